"""Answer a seller's question in the language it was asked in, or admit not knowing.

:class:`Matcher` puts one :class:`~faq.index.LanguageIndex` per language (English from
``data/faq.json``, the others from their translations ``data/faq/<code>.json``, each with
its settings ``data/faq/lang/<code>.json``) behind the API the bot and the conversations
use: ``answer``, ``search``, ``entry``. For each question:

1. its language is detected (:mod:`faq.langid`), unless the caller names one; when the
   detection is not sure (a near tie, "como cancelar disputa"), the indexes of the few
   near-tied languages all answer and the strongest answer wins (``prefer``, the chat's
   language, goes first among them);
2. that language's index answers: an entry in that language, "did you mean", small talk,
   or "unknown" (the index's abstention thresholds are the language's own);
3. when it abstains with "unknown" and the question is not English, the English index gets
   a second look, and only a *sure* English answer counts. It is then given in the
   question's language when that entry is translated, else in English (``Answer.lang`` =
   "en", ``Answer.asked`` = the question's language, so the reply can say so). This is the
   fallback for a topic a translation does not cover yet, and for questions that are mostly
   English loanwords ("stripe refund tempo"). Anything less than sure abstains: an unsure
   guess from another language's text is worse than "I don't know" plus the human route.
   A language with no translation at all gets the English index's answer as it is (sure or
   "did you mean"), which is what Alex did before it knew languages.

Indexes are built on first use, each from the start-up cache when it can
(:mod:`faq.index_cache`): ``alex faq`` only builds the question's language.
:meth:`Matcher.load_all` builds every one (the bot at start-up, the benchmark).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from functools import lru_cache

from faq import index_cache
from faq.answer import ANSWER, SMALLTALK, UNKNOWN, UNSURE, Answer
from faq.errors import UnknownEntryError, UnknownLanguageError
from faq.index import (
    ABSTAIN_BELOW,
    OOS_MARGIN_SURE,
    OOS_MARGIN_UNSURE,
    SURE_FROM,
    SURE_MARGIN,
    LanguageIndex,
    Thresholds,
    clean,
)
from faq.kb import Entry, KnowledgeBase, kb_from_bytes, kb_from_plain, kb_path, kb_to_plain, read_kb_bytes
from faq.langid import Detection, Detector
from faq.languages import (
    BASE_LANGUAGE,
    check_language,
    parse_settings,
    read_settings_bytes,
    settings_path,
    supported_languages,
)
from faq.normalize import Normalizer
from faq.smalltalk import compile_table

__all__ = [
    "ABSTAIN_BELOW", "ANSWER", "OOS_MARGIN_SURE", "OOS_MARGIN_UNSURE", "SMALLTALK", "SURE_FROM",
    "SURE_MARGIN", "UNKNOWN", "UNSURE", "Answer", "Matcher", "load_matcher",
]

MAX_CANDIDATES = 3
"""When the language is unclear, at most this many near-tied languages' indexes are asked."""
IndexBuilder = Callable[[KnowledgeBase], LanguageIndex]
"""Builds one language's index, given the English knowledge base (translations refer to its ids)."""


class Matcher:
    """Every language's index behind one API; build it once (:func:`load_matcher`) and reuse it."""

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        builders: Mapping[str, IndexBuilder] | None = None,
        detector: Detector | None = None,
        english: LanguageIndex | Callable[[], LanguageIndex] | None = None,
    ) -> None:
        """``Matcher(kb)``: English only, as before languages. :func:`load_matcher` passes one
        ``builders[code]`` per language and the ``detector`` over them."""
        self.kb = kb
        if english is None:
            english = build_index(kb, BASE_LANGUAGE, _shipped_settings(BASE_LANGUAGE))
        self._indexes: dict[str, LanguageIndex] = {}
        self._builders: dict[str, IndexBuilder] = dict(builders or {})
        self._builders.pop(BASE_LANGUAGE, None)
        self.languages: tuple[str, ...] = (BASE_LANGUAGE, *sorted(self._builders))
        if isinstance(english, LanguageIndex):
            self._indexes[BASE_LANGUAGE] = english
        else:  # built on first use: a question answered in its own language never needs it
            build_english = english
            self._builders[BASE_LANGUAGE] = lambda _kb: build_english()
        self._detector = detector if detector is not None else Detector(plain=(self.languages, {}, {}))
        self._by_id: dict[str, Entry] = {e.id: e for e in kb.entries}

    # -- languages ----------------------------------------------------------------------------

    def index(self, lang: str) -> LanguageIndex:
        """The index of ``lang`` (built on first use); :class:`UnknownLanguageError` for others."""
        found = self._indexes.get(lang)
        if found is None:
            builder = self._builders.get(lang)
            if builder is None:
                lang = check_language(lang, self.languages)
                if lang in self._indexes:
                    return self._indexes[lang]
                builder = self._builders[lang]
            found = self._indexes[lang] = builder(self.kb)
        return found

    def load_all(self) -> Matcher:
        """Build every language's index now (a long-running process pays this once, up front)."""
        for lang in self.languages:
            self.index(lang)
        return self

    def language(self, lang: str) -> str:
        """``lang`` checked and normalised ("pt-BR" -> "pt"), or :class:`UnknownLanguageError`."""
        return check_language(lang, self.languages)

    def detect(self, question: str) -> Detection:
        return self._detector.detect(clean(question))

    def _asked(self, question: str, lang: str | None, prefer: str | None = None) -> str:
        return self._candidates(question, lang, prefer)[0]

    def _candidates(self, question: str, lang: str | None, prefer: str | None) -> tuple[str, ...]:
        """The languages to try, best guess first: one when forced or sure, a few near ties otherwise."""
        if lang is not None:
            return (self.language(lang),)
        if len(self.languages) == 1:
            return self.languages
        found = self._detector.detect(question)
        if found.sure:
            return (found.lang,)
        candidates = list(found.contenders[:MAX_CANDIDATES])
        if prefer is not None:
            try:
                preferred = self.language(prefer)
            except UnknownLanguageError:
                preferred = None
            if preferred is not None and (preferred in candidates or not any(found.scores.values())):
                candidates = [preferred, *(c for c in candidates if c != preferred)]
        return tuple(candidates)

    # -- public API ---------------------------------------------------------------------------

    @property
    def entries(self) -> tuple[Entry, ...]:
        """The English entries (every id; translations may cover fewer)."""
        return self.kb.entries

    @property
    def human_route(self) -> str:
        return self.kb.human_route

    def human_route_for(self, lang: str) -> str:
        """The "ask a human" hint in ``lang`` (English when the translation has none)."""
        return self.index(self.language(lang)).human_route

    def entry(self, entry_id: str, lang: str | None = None) -> Entry:
        """The entry with this id, in ``lang`` when translated (else English); :class:`UnknownEntryError`."""
        if entry_id not in self._by_id:
            raise UnknownEntryError(f"no FAQ entry {entry_id!r}")
        if lang is not None and lang != BASE_LANGUAGE:
            translated = self.index(self.language(lang)).get(entry_id)
            if translated is not None:
                return translated
        return self._by_id[entry_id]

    def answer(self, question: str, lang: str | None = None, prefer: str | None = None) -> Answer:
        """The best entry in the question's language (or ``lang``), "did you mean", or an abstention.

        ``prefer`` (the chat's language, say) settles a question whose language is unclear
        ("como cancelar disputa" is Spanish and Portuguese alike); it never overrides a clear one.
        """
        question = clean(question)
        candidates = self._candidates(question, lang, prefer)
        found = max((self.index(c).answer(question) for c in candidates), key=_strength)
        asked = found.asked
        if found.kind != UNKNOWN or asked == BASE_LANGUAGE:
            return found
        english = self.index(BASE_LANGUAGE).answer(question)
        local = self._indexes[asked]
        if not local.entries:  # no translation at all: English is all Alex has, as before languages
            return english._replace(asked=asked) if english.kind != UNKNOWN else found
        if english.kind != ANSWER or english.entry is None:
            return found
        translated = local.get(english.entry.id)
        alternatives = [local.get(e.id) or e for e in english.alternatives]
        if translated is not None:
            return english._replace(entry=translated, alternatives=alternatives, lang=asked, asked=asked,
                                    normalized=found.normalized)
        return english._replace(alternatives=alternatives, asked=asked)

    def search(self, question: str, limit: int = 5, lang: str | None = None) -> list[tuple[Entry, float]]:
        """Entries ranked for a partial query (Telegram inline mode), in the query's language."""
        question = clean(question)
        asked = self._asked(question, lang)
        index = self.index(asked)
        if not index.entries:  # nothing translated yet: the English entries are all there is
            index = self.index(BASE_LANGUAGE)
        return index.search(question, limit)

    def normalize(self, question: str, lang: str | None = None) -> str:
        """The canonical form used as the miss-log key (in the question's language)."""
        question = clean(question)
        return self.index(self._asked(question, lang)).normalize(question)

    def explain(self, question: str, limit: int = 5, lang: str | None = None) -> list[dict[str, object]]:
        """The top candidates and their score parts, for tuning a knowledge base (``--explain``)."""
        question = clean(question)
        asked = self._asked(question, lang)
        return [{"lang": asked, **row} for row in self.index(asked).explain(question, limit)]


# -- building indexes ---------------------------------------------------------------------------


_KIND_STRENGTH = {ANSWER: 3, UNSURE: 2, SMALLTALK: 1, UNKNOWN: 0}


def _strength(answer: Answer) -> tuple[int, float]:
    """How good an answer is, for choosing between languages (``max`` keeps the first of equals)."""
    return _KIND_STRENGTH[answer.kind], answer.score


def build_index(
    kb: KnowledgeBase,
    lang: str,
    settings_raw: bytes,
    *,
    path: os.PathLike[str] | str = "",
) -> LanguageIndex:
    """One language's index from its knowledge base and its settings file's bytes."""
    settings = parse_settings(settings_raw, lang, path)
    normalizer = Normalizer(settings)
    return LanguageIndex(
        kb,
        normalizer,
        compile_table(settings.smalltalk, normalizer.spell),
        _thresholds(settings.thresholds),
        lang,
    )


def _thresholds(overrides: Mapping[str, float]) -> Thresholds:
    return Thresholds()._replace(**overrides) if overrides else Thresholds()


@lru_cache(maxsize=8)
def _shipped_settings(lang: str) -> bytes:
    return read_settings_bytes(lang)


def _key(kb_file: str, lang: str, inputs: tuple[bytes, ...]) -> str:
    return index_cache.cache_key(b"\x00".join(inputs), kb_file, lang)


def _cached_index(
    kb_file: str, lang: str, inputs: tuple[bytes, ...], build: Callable[[], LanguageIndex]
) -> tuple[KnowledgeBase, Callable[[], LanguageIndex]]:
    """``build()`` through the start-up cache (the key covers every input file and the code).

    Returns the knowledge base at once and the index as a function: from the cache, setting up
    the index waits until it is asked something.
    """
    key = _key(kb_file, lang, inputs)
    cached = index_cache.load(key)
    if isinstance(cached, tuple) and len(cached) == 5:
        try:
            plain_kb, plain_norm, table, thresholds, state = cached
            kb = kb_from_plain(plain_kb)
            normalizer = Normalizer(plain=plain_norm)
            smalltalk = (dict(table[0]), frozenset(table[1]))
            limits = Thresholds(*thresholds)
            return kb, lambda: LanguageIndex(kb, normalizer, smalltalk, limits, lang, state=state)
        except (TypeError, ValueError, IndexError, KeyError):
            pass  # a cache from another layout: rebuild below
    index = build()
    words, filler = index.smalltalk
    index_cache.save(key, (kb_to_plain(index.kb), index.normalizer.to_plain(), (words, tuple(sorted(filler))),
                           tuple(index.thresholds), index.to_state()))
    return index.kb, lambda: index


@lru_cache(maxsize=8)
def load_matcher(path: str | os.PathLike[str] | None = None) -> Matcher:
    """The matcher for a knowledge base (default: the shipped one) and its translations, once per process.

    Languages are those with a settings file (``data/faq/lang``); a language's translation of
    the knowledge base ``X.json`` is ``X/<code>.json`` (none: that language abstains, or gets
    a sure English answer). Each index is cached on disk between runs (:mod:`faq.index_cache`).
    """
    from faq.translations import parse_translation, read_translation_bytes, translation_path

    kb_file = kb_path(path)
    raw = read_kb_bytes(path)
    codes = supported_languages()
    settings_raw = {code: read_settings_bytes(code) for code in codes}

    def english_build() -> LanguageIndex:
        return build_index(kb_from_bytes(raw, path), BASE_LANGUAGE, settings_raw[BASE_LANGUAGE],
                           path=settings_path(BASE_LANGUAGE))

    english_inputs = (raw, settings_raw[BASE_LANGUAGE])
    english_kb, english = _cached_index(kb_file, BASE_LANGUAGE, english_inputs, english_build)

    translations = {code: read_translation_bytes(kb_file, code) for code in codes if code != BASE_LANGUAGE}

    def inputs(code: str) -> tuple[bytes, ...]:
        return raw, settings_raw[code], translations[code] or b""

    def translated(code: str, base: KnowledgeBase) -> KnowledgeBase:
        translation = translations[code]
        if translation is None:
            return KnowledgeBase(entries=(), human_route=base.human_route, sources=base.sources)
        return parse_translation(translation, code, base, translation_path(kb_file, code))

    built: dict[str, LanguageIndex] = {}

    def builder(code: str) -> IndexBuilder:
        def build(base: KnowledgeBase) -> LanguageIndex:
            if code in built:
                return built.pop(code)

            def fresh() -> LanguageIndex:
                return build_index(translated(code, base), code, settings_raw[code], path=settings_path(code))

            return _cached_index(kb_file, code, inputs(code), fresh)[1]()

        return build

    # A broken translation is refused now, not at the first question in its language. One the
    # cache holds was checked when it was cached, so once warm this costs a stat per language;
    # one it lacks is indexed and cached now, so the next start finds every language warm.
    caching = index_cache.cache_dir() is not None
    for code, translation in translations.items():
        if translation is not None and not index_cache.exists(_key(kb_file, code, inputs(code))):
            if caching:
                built[code] = builder(code)(english_kb)
            else:
                translated(code, english_kb)

    detector = _cached_detector(settings_raw) if len(codes) > 1 else None
    return Matcher(
        english_kb,
        builders={code: builder(code) for code in codes if code != BASE_LANGUAGE},
        detector=detector,
        english=english,
    )


def _cached_detector(settings_raw: Mapping[str, bytes]) -> Detector:
    codes = tuple(settings_raw)
    key = index_cache.cache_key(b"\x00".join(c.encode() + b"=" + settings_raw[c] for c in codes),
                                os.path.dirname(settings_path(codes[0])), "langid")
    cached = index_cache.load(key)
    if isinstance(cached, tuple) and len(cached) == 3:
        try:
            return Detector(plain=cached)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            pass
    detector = Detector([parse_settings(settings_raw[c], c, settings_path(c)) for c in codes])
    index_cache.save(key, detector.to_plain())
    return detector
