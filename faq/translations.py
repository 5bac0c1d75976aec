"""A knowledge base's translations: ``<kb>/<code>.json`` beside ``<kb>.json`` (``data/faq/es.json``).

The English file stays the base: ids, sources, actions and the order of entries live
there only. A translation holds, per entry id, the question, the answer, that language's
own phrasings (how sellers there ask, not a word-for-word copy of the English ones) and
optionally its own ``tags``, ``requires`` and ``gate`` words (``gate`` defaults to the
English entry's: "aliexpress" is the same word everywhere); per out-of-scope id its ``about`` and
phrasings; and the language's ``topic_words`` and ``human_route``::

    {"lang": "es", "human_route": "...", "topic_words": ["disputa", ...],
     "entries": {"review_time": {"question": "...", "answer": "...", "phrasings": ["...", ...]}},
     "out_of_scope": {"oos_shipping_rates": {"about": "...", "phrasings": ["...", ...]}}}

Checked on load, one line per problem (:class:`~faq.errors.LanguageError`): every id must
exist in the base, and every number in the English answer must appear in the translated
one ("2 working days" stays 2, "15USD/hour" stays 15), so a figure cannot drift in
translation; every name the English answer quotes ("AS Service Center", "View") must be quoted
in the translated one too, as CJ shows it. A translation may cover only some entries:
questions about the others are matched in English or not at all (see :mod:`faq.matcher`).
"""

from __future__ import annotations

import os
import re

from faq.errors import LanguageError
from faq.kb import Entry, KnowledgeBase, OutOfScope

_QUOTED = re.compile(r'"([^"]+)"')  # CJ's menu names as the English answers quote them
_FIELDS = frozenset({"lang", "human_route", "topic_words", "entries", "out_of_scope", "comment"})
_ENTRY_FIELDS = frozenset({"question", "answer", "phrasings", "tags", "requires", "gate"})
_OOS_FIELDS = frozenset({"about", "phrasings"})
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def translations_dir(kb_file: str | os.PathLike[str]) -> str:
    """``data/faq.json`` -> ``data/faq/``: a knowledge base's translations sit in its namesake folder."""
    return os.path.splitext(os.fspath(kb_file))[0]


def translation_path(kb_file: str | os.PathLike[str], code: str) -> str:
    return os.path.join(translations_dir(kb_file), f"{code}.json")


def read_translation_bytes(kb_file: str | os.PathLike[str], code: str) -> bytes | None:
    """The file's bytes, or None when this language has no translation of this knowledge base."""
    path = translation_path(kb_file, code)
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise LanguageError(f"{path}: cannot read the translation ({exc.strerror or exc})") from None


def parse_translation(
    raw: bytes, code: str, base: KnowledgeBase, path: os.PathLike[str] | str = ""
) -> KnowledgeBase:
    """The knowledge base in language ``code``: the translated entries, in the base's order."""
    import json

    where = str(path or f"{code}.json")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise LanguageError(f"{where}: not UTF-8 ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise LanguageError(f"{where}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    try:
        return _parse(data, code, base)
    except LanguageError as exc:
        raise LanguageError(f"{where}: {exc}") from None


def _parse(data: object, code: str, base: KnowledgeBase) -> KnowledgeBase:
    if not isinstance(data, dict):
        raise LanguageError("must be a JSON object")
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise LanguageError(f"unknown field {unknown[0]!r} (known: {', '.join(sorted(_FIELDS))})")
    if data.get("lang") != code:
        raise LanguageError(f"field 'lang' must be {code!r} (the file name), not {data.get('lang')!r}")
    entries_raw = _object(data, "entries")
    oos_raw = _object(data, "out_of_scope")
    by_id = {e.id: e for e in base.entries}
    oos_by_id = {o.id: o for o in base.out_of_scope}
    for entry_id in entries_raw:
        if entry_id not in by_id:
            raise LanguageError(f"entry {entry_id!r} is not in the English knowledge base")
    for topic_id in oos_raw:
        if topic_id not in oos_by_id:
            raise LanguageError(f"out_of_scope {topic_id!r} is not in the English knowledge base")
    entries = tuple(
        _entry(entries_raw[e.id], e) for e in base.entries if e.id in entries_raw
    )
    out_of_scope = tuple(
        _topic(oos_raw[o.id], o) for o in base.out_of_scope if o.id in oos_raw
    )
    route = data.get("human_route")
    if not isinstance(route, str) or not route.strip():
        raise LanguageError("field 'human_route' must be a non-empty string (the 'ask a human' hint)")
    return KnowledgeBase(
        entries=entries,
        out_of_scope=out_of_scope,
        human_route=route.strip(),
        topic_words=_texts(data, "topic_words", "the translation"),
        sources=base.sources,
    )


def _object(data: dict[str, object], key: str) -> dict[str, object]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise LanguageError(f"field {key!r} must be an object keyed by the English ids")
    return value


def _text(raw: dict[str, object], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise LanguageError(f"{where}: field {key!r} must be a non-empty string")
    return value.strip()


def _texts(raw: dict[str, object], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LanguageError(f"{where}: field {key!r} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _entry(raw: object, base: Entry) -> Entry:
    where = f"entry {base.id!r}"
    if not isinstance(raw, dict):
        raise LanguageError(f"{where} must be an object")
    unknown = sorted(set(raw) - _ENTRY_FIELDS)
    if unknown:
        known = ", ".join(sorted(_ENTRY_FIELDS))
        raise LanguageError(f"{where}: unknown field {unknown[0]!r} (known: {known})")
    answer = _text(raw, "answer", where)
    missing = _numbers(base.answer) - _numbers(answer)
    if missing:
        raise LanguageError(
            f"{where}: the answer lacks the figure {sorted(missing)[0]!r} of the English answer "
            "(figures, amounts and time limits stay as they are)"
        )
    lost = [name for name in _QUOTED.findall(base.answer) if f'"{name}"' not in answer]
    if lost:
        raise LanguageError(
            f'{where}: the answer lacks "{lost[0]}" of the English answer (CJ\'s menu names stay '
            "as CJ shows them, in quotes; a translation may follow in brackets)"
        )
    return base._replace(
        question=_text(raw, "question", where),
        answer=answer,
        phrasings=_texts(raw, "phrasings", where),
        tags=_texts(raw, "tags", where),
        requires=_texts(raw, "requires", where),
        gate=_texts(raw, "gate", where) if "gate" in raw else base.gate,
    )


def _topic(raw: object, base: OutOfScope) -> OutOfScope:
    where = f"out_of_scope {base.id!r}"
    if not isinstance(raw, dict):
        raise LanguageError(f"{where} must be an object")
    unknown = sorted(set(raw) - _OOS_FIELDS)
    if unknown:
        known = ", ".join(sorted(_OOS_FIELDS))
        raise LanguageError(f"{where}: unknown field {unknown[0]!r} (known: {known})")
    return base._replace(about=_text(raw, "about", where), phrasings=_texts(raw, "phrasings", where))


def _numbers(text: str) -> set[str]:
    return {n.replace(",", ".") for n in _NUMBER.findall(text)}
