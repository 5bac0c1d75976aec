"""The FAQ package's exceptions.

    FAQError
    ├── KnowledgeBaseError   the knowledge-base file is missing or malformed (says which entry and field)
    └── UnknownEntryError    Matcher.entry() got an id the knowledge base lacks (also a KeyError)
"""

from __future__ import annotations


class FAQError(Exception):
    """Root of the FAQ package's errors."""


class KnowledgeBaseError(FAQError):
    """The knowledge base cannot be loaded; the message names the file, the entry and the field."""


class UnknownEntryError(FAQError, KeyError):
    """No entry has this id."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else "unknown entry"
