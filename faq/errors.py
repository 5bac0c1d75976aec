"""The FAQ package's exceptions.

    FAQError
    ├── KnowledgeBaseError   the knowledge-base file is missing or malformed (says which entry and field)
    ├── LanguageError        a language's settings or translation file is malformed (names file and field)
    ├── UnknownLanguageError a language was asked for that has no settings file (lists the supported ones)
    └── UnknownEntryError    Matcher.entry() got an id the knowledge base lacks (also a KeyError)
"""

from __future__ import annotations


class FAQError(Exception):
    """Root of the FAQ package's errors."""


class KnowledgeBaseError(FAQError):
    """The knowledge base cannot be loaded; the message names the file, the entry and the field."""


class LanguageError(FAQError):
    """A language file cannot be loaded; the message names the file and the field, on one line."""


class UnknownLanguageError(FAQError, ValueError):
    """``--lang xx`` (or ``answer(..., lang=...)``) named a language Alex has no settings for."""


class UnknownEntryError(FAQError, KeyError):
    """No entry has this id."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else "unknown entry"
