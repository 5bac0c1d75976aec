"""The one presentation of an FAQ answer, for every path: team member, outsider, inline mode,
``alex faq`` and the demo all show the same text.

    format_entry(entry)            question, answer and "Source: ..." as one text
    source_line(entry)             "Source: CJ Help Center: How to Open/Close a Dispute on CJ? — https://..."
    source_label(source_id)        one source as a seller reads it (publisher, title, public URL)
    source_title(source_id)        the same without the URL
    entry_sources(entry)           the cited :class:`faq.kb.Source` records, e.g. for JSON

Every function takes an optional ``sources`` table (``kb.source_table``, or
``matcher.kb.source_table``); without one it uses the shipped knowledge base's
table, read once. An id missing from the table is shown as it is rather than
dropped, so a third-party knowledge base without a table still reads sensibly.

Labels ("Source:") are said in the answer's language: pass its translator (``tr``,
English by default; :func:`i18n.translator` of ``Answer.lang``).

Plain strings only: no ``telegram``, no pydantic, no markup (callers escape for
their channel).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Protocol

from faq import texts
from faq.kb import Source, load_kb, source_ids
from i18n import ENGLISH, Translator

SourceTable = Mapping[str, Source]
URL_SEPARATOR = " — "


class EntryLike(Protocol):
    """What presentation needs of an entry (:class:`faq.kb.Entry` has it)."""

    @property
    def question(self) -> str: ...

    @property
    def answer(self) -> str: ...

    @property
    def source(self) -> str: ...


@lru_cache(maxsize=1)
def shipped_sources() -> dict[str, Source]:
    """The shipped knowledge base's source table (read on first use, then kept)."""
    return load_kb().source_table


def _table(sources: SourceTable | None) -> SourceTable:
    return shipped_sources() if sources is None else sources


def source_title(source_id: str, sources: SourceTable | None = None) -> str:
    """``Publisher: Title``, e.g. "CJ Help Center: Refund, Resend and Returns Policy" (the id if unknown)."""
    source = _table(sources).get(source_id.strip())
    return f"{source.publisher}: {source.title}" if source is not None else source_id.strip()


def source_label(source_id: str, sources: SourceTable | None = None) -> str:
    """``Publisher: Title — URL`` (no URL part when the page has no public address)."""
    source = _table(sources).get(source_id.strip())
    title = source_title(source_id, sources)
    return f"{title}{URL_SEPARATOR}{source.url}" if source is not None and source.url else title


def entry_sources(entry: EntryLike, sources: SourceTable | None = None) -> tuple[Source, ...]:
    """The table records an entry cites, in the order it cites them (unknown ids skipped)."""
    table = _table(sources)
    return tuple(table[i] for i in source_ids(entry.source) if i in table)


def source_line(entry: EntryLike, sources: SourceTable | None = None, tr: Translator = ENGLISH) -> str:
    """``Source: ...`` for one citation, ``Sources:`` and one line per source for several; "" for none."""
    labels = [source_label(i, sources) for i in source_ids(entry.source)]
    if not labels:
        return ""
    if len(labels) == 1:
        return tr.format(texts.SOURCE, source=labels[0])
    return tr.gettext(texts.SOURCES) + "\n" + "\n".join(f"- {label}" for label in labels)


def format_entry(entry: EntryLike, sources: SourceTable | None = None, tr: Translator = ENGLISH) -> str:
    """The question, the answer and where it comes from, separated by blank lines."""
    parts = [entry.question.strip(), entry.answer.strip(), source_line(entry, sources, tr)]
    return "\n\n".join(part for part in parts if part)
