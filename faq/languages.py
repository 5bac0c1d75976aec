"""Per-language settings: how questions in one language are normalised, detected and judged.

One file per language, ``data/faq/lang/<code>.json`` (``en``, ``es``, ``pt``, ...): the
Snowball stemmer's name, stop words, weak words, misspellings, synonyms and phrases
(as groups: ``{"canonical": ["variant", ...]}``), separable phrases ("send ... back"),
small-talk words, the words and letters that tell the language apart, and optional
abstention thresholds. Adding a language is adding such a file (``docs/languages.md``);
its knowledge base is a separate translation file (:mod:`faq.translations`).

Files are checked field by field and a broken one is refused with a one-line
:class:`~faq.errors.LanguageError` naming the file and the field.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import NamedTuple

from faq.errors import LanguageError, UnknownLanguageError

_ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
SETTINGS_DIR = os.path.join(_ROOT, "data", "faq", "lang")
BASE_LANGUAGE = "en"
"""The knowledge base's own language (``data/faq.json``): the fallback for untranslated answers."""
LIGHT_ENGLISH = "alex_light_english"
"""Alex's own suffix stripper, calibrated on the English sets; any other name is a PyStemmer algorithm."""
NO_STEMMER = "none"
SMALLTALK_KINDS = ("greeting", "thanks", "goodbye", "ack", "about", "filler")
THRESHOLD_NAMES = (
    "abstain_below", "sure_from", "sure_margin", "sure_min_weight", "oos_margin_unsure", "oos_margin_sure",
    "requires_penalty", "unknown_word_weight", "weak_weight", "typo_min_length", "typo_min_similarity",
)
APOSTROPHE_MODES = ("join", "split")


class Separable(NamedTuple):
    """``first`` ... ``last`` within ``max_gap`` words means ``becomes`` ("send the lamp back" = return)."""

    first: tuple[str, ...]
    last: str
    max_gap: int
    becomes: str


class LanguageSettings(NamedTuple):
    code: str
    name: str
    stemmer: str
    apostrophes: str
    stop_words: tuple[str, ...]
    weak_words: tuple[str, ...]
    misspellings: dict[str, tuple[str, ...]]
    synonyms: dict[str, tuple[str, ...]]
    synonyms_if_unset: dict[str, tuple[str, ...]]
    phrases: dict[str, tuple[str, ...]]
    separable: tuple[Separable, ...]
    smalltalk: dict[str, tuple[str, ...]]
    detect_words: tuple[str, ...]
    detect_letters: dict[str, float]
    thresholds: dict[str, float]


_FIELDS = frozenset(
    {"lang", "name", "stemmer", "apostrophes", "stop_words", "weak_words", "misspellings", "synonyms",
     "synonyms_if_unset", "phrases", "separable", "smalltalk", "detect_words", "detect_letters", "thresholds",
     "comment"}
)


def settings_dir(override: str | os.PathLike[str] | None = None) -> str:
    return os.fspath(override) if override is not None else SETTINGS_DIR


def supported_languages(directory: str | os.PathLike[str] | None = None) -> tuple[str, ...]:
    """The language codes with a settings file, the base language first."""
    folder = settings_dir(directory)
    try:
        names = os.listdir(folder)
    except OSError:
        return (BASE_LANGUAGE,)
    codes = sorted(n[:-5] for n in names if n.endswith(".json") and not n.startswith("."))
    return tuple(sorted(codes, key=lambda c: (c != BASE_LANGUAGE, c))) or (BASE_LANGUAGE,)


def check_language(code: str, supported: Iterable[str] | None = None) -> str:
    """``code`` normalised ("pt-BR" -> "pt"), or :class:`UnknownLanguageError` listing the supported ones."""
    supported = tuple(supported) if supported is not None else supported_languages()
    wanted = code.strip().lower().replace("_", "-")
    for candidate in (wanted, wanted.split("-", 1)[0]):
        if candidate in supported:
            return candidate
    raise UnknownLanguageError(
        f"unknown language {code!r}: supported languages are {', '.join(supported)}"
    )


def settings_path(code: str, directory: str | os.PathLike[str] | None = None) -> str:
    return os.path.join(settings_dir(directory), f"{code}.json")


def read_settings_bytes(code: str, directory: str | os.PathLike[str] | None = None) -> bytes:
    path = settings_path(code, directory)
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise LanguageError(f"{path}: cannot read the language settings ({exc.strerror or exc})") from None


def parse_settings(raw: bytes, code: str, path: os.PathLike[str] | str = "") -> LanguageSettings:
    """Decode and check one settings file; every problem is one line naming the file and field."""
    import json

    where = str(path or f"{code}.json")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise LanguageError(f"{where}: not UTF-8 ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise LanguageError(f"{where}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    try:
        return _parse(data, code)
    except LanguageError as exc:
        raise LanguageError(f"{where}: {exc}") from None


def load_settings(code: str, directory: str | os.PathLike[str] | None = None) -> LanguageSettings:
    return parse_settings(read_settings_bytes(code, directory), code, settings_path(code, directory))


# -- checking -------------------------------------------------------------------------------------


def _parse(data: object, code: str) -> LanguageSettings:
    if not isinstance(data, dict):
        raise LanguageError("must be a JSON object")
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise LanguageError(f"unknown field {unknown[0]!r} (known: {', '.join(sorted(_FIELDS))})")
    if data.get("lang") != code:
        raise LanguageError(f"field 'lang' must be {code!r} (the file name), not {data.get('lang')!r}")
    stemmer = _word(data, "stemmer")
    _check_stemmer(stemmer)
    apostrophes = data.get("apostrophes", "join")
    if apostrophes not in APOSTROPHE_MODES:
        raise LanguageError(f"field 'apostrophes' must be one of {list(APOSTROPHE_MODES)}")
    synonyms = _groups(data, "synonyms")
    synonyms_if_unset = _groups(data, "synonyms_if_unset")
    smalltalk = _groups(data, "smalltalk")
    bad_kind = sorted(set(smalltalk) - set(SMALLTALK_KINDS))
    if bad_kind:
        known = ", ".join(SMALLTALK_KINDS)
        raise LanguageError(f"field 'smalltalk': unknown kind {bad_kind[0]!r} (known: {known})")
    return LanguageSettings(
        code=code,
        name=_word(data, "name"),
        stemmer=stemmer,
        apostrophes=apostrophes,
        stop_words=_words(data, "stop_words"),
        weak_words=_words(data, "weak_words"),
        misspellings=_groups(data, "misspellings"),
        synonyms=synonyms,
        synonyms_if_unset=synonyms_if_unset,
        phrases=_groups(data, "phrases"),
        separable=_separables(data),
        smalltalk=smalltalk,
        detect_words=_words(data, "detect_words"),
        detect_letters=_letters(data),
        thresholds=_thresholds(data),
    )


def _word(data: dict[str, object], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise LanguageError(f"field {key!r} must be a non-empty string")
    return value.strip()


def _words(
    data: dict[str, object], key: str, value: object = None, label: str | None = None
) -> tuple[str, ...]:
    value = data.get(key, []) if value is None else value
    label = label or f"field {key!r}"
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LanguageError(f"{label} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _groups(data: dict[str, object], key: str) -> dict[str, tuple[str, ...]]:
    """``{"canonical": ["variant", ...]}``; a variant listed under two canonicals is ambiguous."""
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise LanguageError(f"field {key!r} must be an object of lists")
    out: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for canonical, variants in value.items():
        if not isinstance(canonical, str) or not canonical.strip():
            raise LanguageError(f"field {key!r}: keys must be non-empty strings")
        words = _words({}, "", variants, f"field {key!r}, {canonical!r}")
        for variant in words:
            if key.startswith("synonyms") and " " in variant:
                raise LanguageError(f"field {key!r}, {canonical!r}: {variant!r} has several words; "
                                    "put it under 'phrases'")
            if key != "smalltalk" and variant in owner and owner[variant] != canonical:
                raise LanguageError(
                    f"field {key!r}: {variant!r} is listed under both {owner[variant]!r} and {canonical!r}"
                )
            owner[variant] = canonical
        out[canonical.strip()] = words
    return out


def _separables(data: dict[str, object]) -> tuple[Separable, ...]:
    value = data.get("separable", [])
    if not isinstance(value, list):
        raise LanguageError("field 'separable' must be a list of objects")
    out = []
    for i, item in enumerate(value):
        label = f"field 'separable' #{i}"
        if not isinstance(item, dict) or set(item) != {"first", "last", "max_gap", "becomes"}:
            raise LanguageError(f"{label} must have exactly 'first', 'last', 'max_gap', 'becomes'")
        gap = item["max_gap"]
        if not isinstance(gap, int) or isinstance(gap, bool) or not 0 <= gap <= 10:
            raise LanguageError(f"{label}: 'max_gap' must be a whole number from 0 to 10")
        out.append(Separable(_words({}, "", item["first"], f"{label} 'first'"), _word(item, "last"), gap,
                             _word(item, "becomes")))
    return tuple(out)


def _letters(data: dict[str, object]) -> dict[str, float]:
    value = data.get("detect_letters", {})
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and len(k) == 1 and _positive(v) for k, v in value.items()
    ):
        raise LanguageError("field 'detect_letters' must map single characters to positive weights")
    return {k.lower(): float(v) for k, v in value.items()}


def _positive(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def _thresholds(data: dict[str, object]) -> dict[str, float]:
    value = data.get("thresholds", {})
    if not isinstance(value, dict):
        raise LanguageError("field 'thresholds' must be an object")
    out = {}
    for name, number in value.items():
        if name not in THRESHOLD_NAMES:
            known = ", ".join(THRESHOLD_NAMES)
            raise LanguageError(f"field 'thresholds': unknown threshold {name!r} (known: {known})")
        if not isinstance(number, int | float) or isinstance(number, bool) or number < 0:
            raise LanguageError(f"field 'thresholds': {name!r} must be a number >= 0")
        out[name] = float(number)
    return out


def _check_stemmer(name: str) -> None:
    if name in (LIGHT_ENGLISH, NO_STEMMER):
        return
    import Stemmer  # PyStemmer: Snowball's algorithms in C

    if name not in Stemmer.algorithms():
        raise LanguageError(
            f"field 'stemmer': {name!r} is not a Snowball algorithm (PyStemmer has: "
            f"{', '.join(Stemmer.algorithms())}; or {LIGHT_ENGLISH!r}, {NO_STEMMER!r})"
        )
