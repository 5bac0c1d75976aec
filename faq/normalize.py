"""Text normalisation shared by a language's index and the questions asked in that language.

Sellers type fast: "stirpe refnd still not on my card", "o estorno nao caiu no cartao",
"посылка так и не пришла". Both sides of a comparison go through the same pipeline, so a
synonym only has to be listed once and applies to the knowledge base and the question alike:

    fold (case, accents, apostrophes, punctuation; Cyrillic kept, ё -> е)  ->  tokens
    -> misspellings  ->  stemming  ->  word synonyms  ->  separable and multi-word phrases

Each language's tables are data (``data/faq/lang/<code>.json``, :mod:`faq.languages`);
:class:`Normalizer` compiles them once, and :meth:`Normalizer.to_plain` gives the compiled
tables in built-in types so the start-up cache (:mod:`faq.index_cache`) can skip even that.
Stemming is Snowball's (PyStemmer) for every language but English, which keeps Alex's own
light suffix stripper (:func:`stem`): the English thresholds were calibrated with it.
Folding happens *before* stemming, so "devolução" and "devolucao" always meet.

The module-level :func:`normalize`, :func:`tokens`, ... are the English normaliser's, for
callers that predate languages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from faq.errors import LanguageError
from faq.languages import LIGHT_ENGLISH, NO_STEMMER, LanguageSettings

MAX_CHARS = 2_000
"""A question longer than this is cut: a pasted e-mail still gets an answer, in bounded time."""
MAX_TOKENS = 60

_APOSTROPHES = re.compile(r"['’‘`´]")
_NON_WORD = re.compile(r"[^a-z0-9а-я]+")
_DIGIT_LETTER = re.compile(r"(?<=[0-9])(?=[a-zа-я])|(?<=[a-zа-я])(?=[0-9])")
_BEFORE_NFKD = str.maketrans({"ё": "е", "й": "\ue000", "œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d"})


def fold(text: str, *, split_apostrophes: bool = False) -> str:
    """Lower-case letters (Latin without accents, Cyrillic) and digits separated by single spaces.

    ``split_apostrophes``: "l'entrepôt" -> "l entrepot" (French elision) rather than "lentrepot"
    (English "don't" -> "dont", which the misspellings table expands).
    """
    text = text[:MAX_CHARS]
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text.casefold().translate(_BEFORE_NFKD))
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("\ue000", "й")
    text = _APOSTROPHES.sub(" " if split_apostrophes else "", text)
    text = _NON_WORD.sub(" ", text)
    text = _DIGIT_LETTER.sub(" ", text)
    return " ".join(text.split())


def stem(token: str) -> str:
    """Alex's light English stemmer: strip common suffixes so "refunded", "refunds" and "refunding" meet."""
    if len(token) <= 4 or not token.isalpha():
        return token
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("s", "")):
        if token.endswith(suffix):
            if suffix == "s" and token.endswith(("ss", "us", "is")):
                return token
            base = token[: len(token) - len(suffix)] + replacement
            if len(base) < 3:
                return token
            token = base
            break
    if len(token) > 4 and token.endswith("e"):
        token = token[:-1]
    if len(token) > 3 and token[-1] == token[-2] and token[-1] not in "aeiouls":
        token = token[:-1]
    return token


def stemmer_for(name: str) -> Callable[[str], str]:
    """The stemming function for a settings file's ``stemmer`` name."""
    if name == LIGHT_ENGLISH:
        return stem
    if name == NO_STEMMER:
        return str
    import Stemmer  # PyStemmer; only languages that use it pay its ~2 ms import

    snowball = Stemmer.Stemmer(name)
    snowball.maxCacheSize = 0  # the normaliser keeps its own per-word cache

    def snowball_stem(token: str) -> str:
        return snowball.stemWord(token) if token.isalpha() else token

    return snowball_stem


PlainNormalizer = tuple[object, ...]

_WORD_CACHE_SIZE = 50_000


class Normalizer:
    """One language's normalisation pipeline, compiled from its settings."""

    def __init__(
        self, settings: LanguageSettings | None = None, *, plain: PlainNormalizer | None = None
    ) -> None:
        if plain is not None:
            self._load_plain(plain)
        elif settings is not None:
            self._compile(settings)
        else:
            raise ValueError("a Normalizer needs settings or their compiled plain form")
        self._stem = stemmer_for(self.stemmer)
        self._cache: dict[str, list[str]] = {}
        self._phrase_lengths = sorted({len(k) for k in self._phrases}, reverse=True)
        self._phrase_starts = frozenset(k[0] for k in self._phrases)
        self._separable_starts = frozenset(t for first, _, _, _ in self._separable for t in first)
        # Words the phrase and separable rules read: a typo fix must leave them alone, or the rule
        # never sees them (they are not in the index's vocabulary once a phrase has replaced them).
        self.phrase_words = frozenset(
            {t for key in self._phrases for t in key} | self._separable_starts
            | {last for _, last, _, _ in self._separable}
        )

    # -- building -------------------------------------------------------------------------------

    def _compile(self, s: LanguageSettings) -> None:
        self.code = s.code
        self.stemmer = s.stemmer
        self.split_apostrophes = s.apostrophes == "split"
        self._stem = stemmer_for(s.stemmer)
        self._cache = {}
        self._misspellings = {fold(v): fold(k) for k, variants in s.misspellings.items() for v in variants}
        word_map: dict[str, str] = {}
        self._word_map = word_map  # word_tokens() below reads it while the map is being built
        stop_keys = {t for w in s.stop_words for t in self.word_tokens(w)}  # before any synonym
        for table, only_unset in ((s.synonyms, False), (s.synonyms_if_unset, True)):
            for canonical, variants in table.items():
                target = self._stem_folded(fold(canonical))
                for variant in variants:
                    key = self._stem_folded(fold(variant))
                    if key and target and " " not in key and (not only_unset or key not in word_map):
                        if key in stop_keys and target not in stop_keys:
                            raise LanguageError(
                                f"{s.code}: field 'synonyms', {canonical!r}: {variant!r} stems like a stop "
                                f"word ({key!r}), which would turn {canonical!r} into a stop word; list it "
                                "under 'misspellings' (applied before stemming) or drop it"
                            )
                        word_map[key] = target
        self._phrases = {}
        self._separable = ()
        stop = {t for w in s.stop_words for t in self.word_tokens(w)}
        self._stop = frozenset(stop | set(s.stop_words))
        self._weak = frozenset(t for w in s.weak_words for t in self.word_tokens(w))
        phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        for replacement, variants in s.phrases.items():
            value = tuple(self.word_tokens(replacement))
            for variant in variants:
                key = tuple(self.word_tokens(variant))
                if key and key != value:  # a one-word variant too ("postnl" -> "postal"), not only phrases
                    phrases[key] = value
        self._phrases = phrases
        self._separable = tuple(
            (frozenset(t for w in sep.first for t in self.word_tokens(w)), self._one(sep.last), sep.max_gap,
             self._one(sep.becomes))
            for sep in s.separable
        )
        self._cache = {}

    def _one(self, word: str) -> str:
        found = self.word_tokens(word)
        return found[0] if found else word

    def _stem_folded(self, folded: str) -> str:
        return " ".join(self._stem(w) for w in folded.split())

    def to_plain(self) -> PlainNormalizer:
        """The compiled tables in built-in types (for :mod:`marshal`)."""
        return (
            self.code, self.stemmer, self.split_apostrophes, self._misspellings, self._word_map,
            tuple(sorted(self._stop)), tuple(sorted(self._weak)), tuple(self._phrases.items()),
            tuple((tuple(sorted(f)), last, gap, becomes) for f, last, gap, becomes in self._separable),
        )

    def _load_plain(self, plain: PlainNormalizer) -> None:
        (self.code, self.stemmer, self.split_apostrophes, misspellings, word_map, stop, weak, phrases,
         separable) = plain  # type: ignore[misc]
        self._misspellings = dict(misspellings)  # type: ignore[call-overload]
        self._word_map = dict(word_map)  # type: ignore[call-overload]
        self._stop = frozenset(stop)  # type: ignore[arg-type]
        self._weak = frozenset(weak)  # type: ignore[arg-type]
        self._phrases = {tuple(k): tuple(v) for k, v in phrases}  # type: ignore[union-attr]
        self._separable = tuple(
            (frozenset(f), last, gap, becomes) for f, last, gap, becomes in separable  # type: ignore[union-attr]
        )

    # -- the pipeline ---------------------------------------------------------------------------

    @property
    def weak_words(self) -> frozenset[str]:
        """Question words and generic verbs and nouns: they match everywhere, so they count for little."""
        return self._weak

    def fold(self, text: str) -> str:
        return fold(text, split_apostrophes=self.split_apostrophes)

    def spell(self, text: str) -> str:
        """Folded, each chat spelling written as the word it stands for (Spanish "q" -> "que"), no
        stemming: how small talk is looked up, words and table alike."""
        misspellings = self._misspellings
        return " ".join(misspellings.get(word, word) for word in self.fold(text).split())

    def word_tokens(self, text: str) -> list[str]:
        """Fold, split, fix misspellings, stem and map single-word synonyms."""
        out: list[str] = []
        cache = self._cache
        for raw in self.fold(text).split():
            mapped = cache.get(raw)
            if mapped is None:
                word_map, stem_ = self._word_map, self._stem
                mapped = [word_map.get(s, s) for s in map(stem_, self._misspellings.get(raw, raw).split())]
                if len(cache) < _WORD_CACHE_SIZE:
                    cache[raw] = mapped
            out.extend(mapped)
        return out

    def phrase_tokens(self, words: list[str]) -> list[str]:
        """Apply the separable and multi-word rules to :meth:`word_tokens` output."""
        return self._apply_phrases(self._apply_separable(words[:MAX_TOKENS]))

    def tokens(self, text: str) -> list[str]:
        """Every normalised token of ``text`` in order, stop words included (phrases need them)."""
        return self.phrase_tokens(self.word_tokens(text))

    def is_stopword(self, token: str) -> bool:
        return token in self._stop

    def content_tokens(self, tokens_: list[str]) -> list[str]:
        """The tokens that carry meaning, de-duplicated, in order."""
        seen: dict[str, None] = {}
        stop = self._stop
        for token in tokens_:
            if token not in stop and token not in seen and (len(token) > 1 or token.isdigit()):
                seen[token] = None
        return list(seen)

    def normalize(self, text: str) -> str:
        """The canonical form of a question: content tokens joined by spaces (also the miss-log key)."""
        return " ".join(self.content_tokens(self.tokens(text)))

    def _apply_separable(self, tokens_: list[str]) -> list[str]:
        """"send the broken lamp back" -> "return ... return": a gap phrase the phrase table cannot hold."""
        if not self._separable or not any(t in self._separable_starts for t in tokens_):
            return tokens_
        out = list(tokens_)
        for first, last, gap, becomes in self._separable:
            for i, token in enumerate(out):
                if token in first:
                    for j in range(i + 1, min(i + 2 + gap, len(out))):
                        if out[j] == last:
                            out[i], out[j] = becomes, becomes
                            break
        return out

    def _apply_phrases(self, tokens_: list[str]) -> list[str]:
        """Rewrite multi-word expressions, longest first, left to right."""
        starts = self._phrase_starts
        if not any(t in starts for t in tokens_):
            return tokens_
        phrases, lengths = self._phrases, self._phrase_lengths
        out: list[str] = []
        i = 0
        n = len(tokens_)
        while i < n:
            if tokens_[i] in starts:
                for length in lengths:
                    if i + length <= n:
                        replacement = phrases.get(tuple(tokens_[i : i + length]))
                        if replacement is not None:
                            out.extend(replacement)
                            i += length
                            break
                else:
                    out.append(tokens_[i])
                    i += 1
            else:
                out.append(tokens_[i])
                i += 1
        return out


# -- the English normaliser, for callers that predate languages ------------------------------------

_ENGLISH: list[Normalizer] = []


def english() -> Normalizer:
    """The base language's normaliser, compiled from ``data/faq/lang/en.json`` on first use."""
    if not _ENGLISH:
        from faq.languages import BASE_LANGUAGE, load_settings

        _ENGLISH.append(Normalizer(load_settings(BASE_LANGUAGE)))
    return _ENGLISH[0]


def word_tokens(text: str) -> list[str]:
    return english().word_tokens(text)


def phrase_tokens(words: list[str]) -> list[str]:
    return english().phrase_tokens(words)


def tokens(text: str) -> list[str]:
    return english().tokens(text)


def content_tokens(tokens_: list[str]) -> list[str]:
    return english().content_tokens(tokens_)


def is_stopword(token: str) -> bool:
    return english().is_stopword(token)


def normalize(text: str) -> str:
    return english().normalize(text)
