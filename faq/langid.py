"""Which language a seller's question is in, from the question alone.

Seller questions are short and informal ("reembolso cuando", "pacote extraviado"), often
without accents and full of English loanwords ("tracking", "refund", "dispute"). Three
steps, cheapest first, restricted to the languages Alex has settings for:

1. **Script.** More Cyrillic than Latin letters is Russian.
2. **Function words and letters.** Each language's settings list the words that mark it
   (its stop words plus ``detect_words``: "que", "não", "wie", "le", "the", "l'", "'s") and
   the letters that do ("ñ", "ã", "ß", "è"). A word several languages share counts a share
   to each. A lead of :data:`SURE_LEAD` decides.
3. **A statistical model** for the rest: CLD2 (``pycld2``, Google's compact detector, its
   model compiled into the package: nothing is downloaded, ~3 ms to import, ~30 µs a call),
   asked only when step 2 is not sure (about one question in ten), and only trusted when
   it names a supported language.

Why this and not a model alone: on our short-text samples (``tests/faq/sets/langid_*.tsv``,
``python -m benchmarks.langid_compare``) CLD2 alone gets 88 % / 97 %, fastText's bundled lite
model 95 % / 98 % but takes ~300 ms to load (three times the whole ``alex faq`` budget), lingua
99 % / - but 1.2 s; words first, CLD2 for the rest gets 98 % / 100 % and costs nothing at start-up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

from faq.languages import BASE_LANGUAGE, LanguageSettings

SURE_LEAD = 1.0
"""The word-and-letter score lead over the runner-up that decides without the model."""
SCRIPT = "script"
WORDS = "words"
MODEL = "model"
DEFAULT = "default"
FORCED = "forced"

_APOS = re.compile(r"['’‘`´]")
_TOKEN = re.compile(r"[a-z0-9а-яё]+(?:'[a-z0-9а-яё]+)*")


class Detection(NamedTuple):
    """``lang``: the language; ``how``: which step decided (script, words, model, default, forced)."""

    lang: str
    how: str
    scores: dict[str, float]

    @property
    def sure(self) -> bool:
        return self.how in (SCRIPT, WORDS, FORCED)

    @property
    def contenders(self) -> tuple[str, ...]:
        """``lang`` first, then the languages whose words scored nearly as well (empty when sure)."""
        if self.sure:
            return (self.lang,)
        best = max(self.scores.values(), default=0.0)
        near = sorted(
            (c for c, s in self.scores.items() if s > 0 and s > best - SURE_LEAD and c != self.lang),
            key=lambda c: -self.scores[c],
        )
        return (self.lang, *near)


PlainDetector = tuple[tuple[str, ...], dict[str, tuple[str, ...]], dict[str, dict[str, float]]]


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.replace("й", "\ue000"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("\ue000", "й")


class Detector:
    """Language detection over a fixed set of languages (build once, from their settings)."""

    def __init__(
        self, settings: Iterable[LanguageSettings] = (), *, plain: PlainDetector | None = None
    ) -> None:
        if plain is not None:
            languages, owners, letters = plain
            self.languages = tuple(languages)
            self._owners = {w: tuple(o) for w, o in owners.items()}
            self._letters = {c: dict(w) for c, w in letters.items()}
        else:
            self._build(list(settings))

    def _build(self, settings: list[LanguageSettings]) -> None:
        self.languages = tuple(s.code for s in settings) or (BASE_LANGUAGE,)
        owners: dict[str, list[str]] = {}
        letters: dict[str, dict[str, float]] = {}
        for s in settings:
            for word in (*s.stop_words, *s.detect_words):
                key = _strip_accents(_APOS.sub("'", word.casefold()))
                if s.code not in owners.setdefault(key, []):
                    owners[key].append(s.code)
            for letter, weight in s.detect_letters.items():
                letters.setdefault(letter, {})[s.code] = weight
        self._owners = {w: tuple(o) for w, o in owners.items()}
        self._letters = letters

    def to_plain(self) -> PlainDetector:
        return self.languages, dict(self._owners), {c: dict(w) for c, w in self._letters.items()}

    def detect(self, text: str) -> Detection:
        """The language of ``text`` among :attr:`languages` (the base language when nothing tells)."""
        low = text[:2_000].lower()  # not casefold(): that turns "ß" into "ss", a letter cue into noise
        languages = self.languages
        if "ru" in languages:
            cyrillic = sum(1 for ch in low if "а" <= ch <= "я" or ch == "ё")
            if cyrillic and cyrillic > sum(1 for ch in low if "a" <= ch <= "z"):
                return Detection("ru", SCRIPT, {"ru": float(cyrillic)})
        scores = dict.fromkeys(languages, 0.0)
        for letter, weights in self._letters.items():
            if letter in low:
                for code, weight in weights.items():
                    scores[code] += weight
        owners = self._owners
        for token in _TOKEN.findall(_strip_accents(_APOS.sub("'", low))):
            pieces = [token]
            if "'" in token:
                head, _, tail = token.partition("'")
                pieces += [head, f"{head}'", f"'{tail.split(chr(39))[0]}"]
            for piece in pieces:
                found = owners.get(piece)
                if found:
                    share = 1.0 / len(found)
                    for code in found:
                        scores[code] += share
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        best, best_score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if best_score > 0 and best_score - runner_up >= SURE_LEAD:
            return Detection(best, WORDS, scores)
        # The model settles a near tie; it may not pick a language that no word or letter points to.
        contenders = [code for code, score in ranked if score > 0 and score > best_score - SURE_LEAD]
        guess = self._model(text, set(contenders or languages))
        if guess is not None:
            return Detection(guess, MODEL, scores)
        if best_score > 0:
            return Detection(best, DEFAULT, scores)
        default = BASE_LANGUAGE if BASE_LANGUAGE in languages else languages[0]
        return Detection(default, DEFAULT, scores)

    def _model(self, text: str, allowed: Iterable[str]) -> str | None:
        """CLD2's best language for ``text`` among ``allowed``, or None (nothing it trusts, or not ours)."""
        import pycld2  # imported on the first unsure question only

        try:
            _, _, details = pycld2.detect(text, bestEffort=True)
        except pycld2.error:  # invalid UTF-8 and the like: the words are all we have
            return None
        for _, code, percent, _ in details:
            if percent > 0 and code in allowed:
                return str(code)
        return None


_DEFAULT: list[Detector] = []


def detect_language(text: str) -> Detection:
    """:meth:`Detector.detect` over every language with a settings file (built on first use)."""
    if not _DEFAULT:
        from faq.languages import load_settings, supported_languages

        _DEFAULT.append(Detector([load_settings(code) for code in supported_languages()]))
    return _DEFAULT[0].detect(text)
