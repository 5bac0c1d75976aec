"""The knowledge base: ``data/faq.json`` read into immutable records.

Plain ``json`` and ``NamedTuple`` records (immutable, hashable, typed, like frozen
dataclasses, but without the ~10 ms that importing ``dataclasses`` costs) rather
than pydantic keep ``alex faq`` starting in tens of milliseconds; :func:`load_kb`
still checks every field and says which entry is wrong.

The file holds answerable ``entries``, ``out_of_scope`` topics (phrasings of
questions Alex must *not* answer: shipping quotes, passwords, ...) which let the
matcher abstain when a question resembles something it knows it does not know,
``topic_words``: a question naming none of them is not answered at all, and
``sources``: the table of what the entries cite (id, title, publisher, public URL),
shown to sellers by :mod:`faq.present`.
"""

from __future__ import annotations

import os
from typing import NamedTuple

from faq.errors import KnowledgeBaseError

_ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
DEFAULT_KB_PATH = os.path.join(_ROOT, "data", "faq.json")
ACTIONS: frozenset[str] = frozenset({"open_dispute", "close_dispute", "check_status"})
"""What the bot may offer after an answer: start /dispute, /close, or /status."""
DEFAULT_HUMAN_ROUTE = (
    "CJ's live chat (the \"Chat\" window on the left corner of CJ's site) or a ticket to CJ management"
)


class Entry(NamedTuple):
    """One answerable question. ``phrasings`` are other ways sellers ask it.

    ``requires``: words of which a question must name at least one for this entry to be
    a confident match ("warehouse" alone does not make a question about *returns* to
    the US warehouse); empty for most entries. ``gate``: stricter, words of which a
    question must name at least one for this entry to be considered at all (not even
    as "did you mean"): the AliExpress buyer's guide answers only questions that name
    AliExpress.
    """

    id: str
    question: str
    answer: str
    source: str
    tags: tuple[str, ...] = ()
    action: str | None = None
    phrasings: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    gate: tuple[str, ...] = ()


class Source(NamedTuple):
    """Where a fact comes from, as a seller can read it: ``publisher: title`` and the public ``url``.

    ``id`` is what entries cite (a seed file name for the copied pages, a short slug for
    other public pages); ``url`` is None when the page has no public address.
    """

    id: str
    title: str
    publisher: str
    url: str | None = None


class OutOfScope(NamedTuple):
    """A topic Alex deliberately does not answer, with phrasings that describe it."""

    id: str
    about: str
    phrasings: tuple[str, ...]


class KnowledgeBase(NamedTuple):
    """Entries, out-of-scope topics, ``topic_words`` (a question naming none of them is not
    answered) and the table of ``sources`` the entries cite."""

    entries: tuple[Entry, ...]
    out_of_scope: tuple[OutOfScope, ...] = ()
    human_route: str = DEFAULT_HUMAN_ROUTE
    topic_words: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()

    @property
    def source_table(self) -> dict[str, Source]:
        """The sources by id."""
        return {source.id: source for source in self.sources}


def _text(raw: dict[str, object], key: str, where: str, *, required: bool = True) -> str:
    value = raw.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeBaseError(f"{where}: field {key!r} must be a non-empty string")
    return value.strip()


def _texts(raw: dict[str, object], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KnowledgeBaseError(f"{where}: field {key!r} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def source_ids(cited: str) -> tuple[str, ...]:
    """The ids in an entry's ``source`` field ("a, b" cites two sources)."""
    return tuple(part.strip() for part in cited.split(",") if part.strip())


def _source(raw: object, index: int) -> Source:
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"sources #{index}: must be an object with id, title, publisher, url")
    source_id = _text(raw, "id", f"sources #{index}")
    where = f"source {source_id!r}"
    url = raw.get("url")
    if url is not None and (not isinstance(url, str) or not url.startswith("https://")):
        raise KnowledgeBaseError(f"{where}: 'url' must be an https:// address or null")
    return Source(id=source_id, title=_text(raw, "title", where), publisher=_text(raw, "publisher", where),
                  url=url)


def _sources(data: dict[str, object], *, strict: bool) -> tuple[Source, ...]:
    raw = data.get("sources", [])
    if not isinstance(raw, list):
        raise KnowledgeBaseError("'sources' must be a list")
    if not strict and not all(isinstance(item, dict) for item in raw):
        return ()  # an older or third-party file listing bare names: nothing to show but the ids
    sources = tuple(_source(item, i) for i, item in enumerate(raw))
    if strict and not sources:
        raise KnowledgeBaseError("the knowledge base has no 'sources' table")
    return sources


def _entry(raw: object, index: int, *, known_sources: frozenset[str] | None) -> Entry:
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"entry #{index}: must be an object")
    where = f"entry #{index}"
    entry_id = _text(raw, "id", where)
    where = f"entry {entry_id!r}"
    source = _text(raw, "source", where)
    if known_sources is not None:
        unknown = [s for s in source_ids(source) if s not in known_sources]
        if unknown:
            raise KnowledgeBaseError(f"{where}: source {unknown[0]!r} is not in the 'sources' table")
    action = raw.get("action")
    if action is not None and action not in ACTIONS:
        raise KnowledgeBaseError(f"{where}: action {action!r} is not one of {sorted(ACTIONS)}")
    return Entry(
        id=entry_id,
        question=_text(raw, "question", where),
        answer=_text(raw, "answer", where),
        source=source,
        tags=_texts(raw, "tags", where),
        action=action,
        phrasings=_texts(raw, "phrasings", where),
        requires=_texts(raw, "requires", where),
        gate=_texts(raw, "gate", where),
    )


def _out_of_scope(raw: object, index: int) -> OutOfScope:
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"out_of_scope #{index}: must be an object")
    topic_id = _text(raw, "id", f"out_of_scope #{index}")
    where = f"out_of_scope {topic_id!r}"
    about = _text(raw, "about", where)
    return OutOfScope(id=topic_id, about=about, phrasings=_texts(raw, "phrasings", where))


def parse_kb(data: object, *, strict_sources: bool = True) -> KnowledgeBase:
    """Check and convert the decoded JSON document.

    With ``strict_sources`` the file must have a ``sources`` table and every entry must cite
    ids from it; otherwise a table, when there is one, is still checked against the entries.
    """
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise KnowledgeBaseError("the knowledge base must be an object with an 'entries' list")
    if not data["entries"]:
        raise KnowledgeBaseError("the knowledge base has no entries")
    sources = _sources(data, strict=strict_sources)
    known = frozenset(s.id for s in sources) if (strict_sources or sources) else None
    entries = tuple(_entry(raw, i, known_sources=known) for i, raw in enumerate(data["entries"]))
    oos_raw = data.get("out_of_scope", [])
    if not isinstance(oos_raw, list):
        raise KnowledgeBaseError("'out_of_scope' must be a list")
    out_of_scope = tuple(_out_of_scope(raw, i) for i, raw in enumerate(oos_raw))
    seen: set[str] = set()
    for item_id in [e.id for e in entries] + [o.id for o in out_of_scope]:
        if item_id in seen:
            raise KnowledgeBaseError(f"id {item_id!r} is used twice")
        seen.add(item_id)
    route = data.get("human_route", DEFAULT_HUMAN_ROUTE)
    if not isinstance(route, str) or not route.strip():
        raise KnowledgeBaseError("'human_route' must be a non-empty string")
    topic_words = _texts(data, "topic_words", "the knowledge base")
    return KnowledgeBase(
        entries=entries, out_of_scope=out_of_scope, human_route=route.strip(), topic_words=topic_words,
        sources=sources,
    )


def kb_path(path: str | os.PathLike[str] | None = None) -> str:
    """The knowledge base's file (``os.path`` strings here: importing ``pathlib`` slows ``alex faq``)."""
    return os.fspath(path) if path is not None else DEFAULT_KB_PATH


def read_kb_bytes(path: str | os.PathLike[str] | None = None) -> bytes:
    file = kb_path(path)
    try:
        with open(file, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise KnowledgeBaseError(f"knowledge base not found: {file}") from None
    except OSError as exc:
        raise KnowledgeBaseError(f"cannot read the knowledge base {file}: {exc}") from None


def kb_from_bytes(
    raw: bytes, path: str | os.PathLike[str] | None = None, *, strict_sources: bool | None = None
) -> KnowledgeBase:
    """Decode and check a knowledge-base file's content.

    The shipped file must have a source table that covers every citation; synthetic or
    third-party knowledge bases may leave it out and cite whatever they like.
    """
    import json  # only on a start-up cache miss: saves ~3 ms of every `alex faq`

    file = kb_path(path)
    strict = (os.path.realpath(file) == DEFAULT_KB_PATH) if strict_sources is None else strict_sources
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise KnowledgeBaseError(f"{file} is not UTF-8: {exc}") from None
    except json.JSONDecodeError as exc:
        raise KnowledgeBaseError(f"{file} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    try:
        return parse_kb(data, strict_sources=strict)
    except KnowledgeBaseError as exc:
        raise KnowledgeBaseError(f"{file}: {exc}") from None


def load_kb(
    path: str | os.PathLike[str] | None = None, *, strict_sources: bool | None = None
) -> KnowledgeBase:
    """Read and check a knowledge-base file (default: the shipped ``data/faq.json``)."""
    return kb_from_bytes(read_kb_bytes(path), path, strict_sources=strict_sources)


Rows = tuple[tuple[object, ...], ...]
PlainKB = tuple[Rows, Rows, str, tuple[str, ...], Rows]


def kb_to_plain(kb: KnowledgeBase) -> PlainKB:
    """Built-in types only, for :mod:`marshal` (the start-up cache)."""
    return (tuple(tuple(e) for e in kb.entries), tuple(tuple(o) for o in kb.out_of_scope),
            kb.human_route, tuple(kb.topic_words), tuple(tuple(s) for s in kb.sources))


def kb_from_plain(plain: PlainKB) -> KnowledgeBase:
    entries, out_of_scope, route, topic_words, sources = plain
    return KnowledgeBase(
        entries=tuple(Entry(*e) for e in entries),  # type: ignore[arg-type]
        out_of_scope=tuple(OutOfScope(*o) for o in out_of_scope),  # type: ignore[arg-type]
        human_route=route,
        topic_words=tuple(topic_words),
        sources=tuple(Source(*s) for s in sources),  # type: ignore[arg-type]
    )
