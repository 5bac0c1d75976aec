"""Checks of the message catalogs, for the tests and ``make i18n-check``: every problem as one line.

    python -m i18n.catalogs            every language's catalog: stale, broken or incomplete
    python -m i18n.catalogs --broken   only what breaks Alex (stale .mo, placeholders, plural
                                       forms); untranslated texts allowed (they show in English)

A catalog is ``i18n/locales/<lang>/LC_MESSAGES/alex.po`` (what translators edit) and its
compiled ``alex.mo`` (what :mod:`gettext` loads), made from the template ``i18n/locales/alex.pot``
(``make i18n-extract``, ``make i18n-update``, ``make i18n-compile``). Babel reads them; it is
imported here only, never on a conversation's path.
"""

from __future__ import annotations

import io
import re
import string
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import PoFileError, read_po

from i18n import DEFAULT_LANGUAGE, DOMAIN
from i18n import LANGUAGES as UI_LANGUAGES
from i18n import LOCALE_DIR as _LOCALE_DIR

LOCALE_DIR = Path(_LOCALE_DIR)
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
# the catalogs Alex ships, one per UI language but English (the msgids); each must be complete
LANGUAGES = tuple(code for code in UI_LANGUAGES if code != DEFAULT_LANGUAGE)
# the number of plural forms each language's catalog must declare (GNU gettext's usual Plural-Forms)
PLURAL_FORMS = {"es": 2, "pt": 2, "fr": 2, "de": 2, "ru": 3}
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")


def po_path(lang: str, locales: Path = LOCALE_DIR) -> Path:
    return locales / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str, locales: Path = LOCALE_DIR) -> Path:
    return locales / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def read_catalog(path: Path) -> Catalog:
    """The catalog; :class:`PoFileError` when it does not parse (e.g. more plural forms than declared)."""
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a text; ValueError when its braces are broken ("{order_id")."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _ids(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, list | tuple) else (message.id,)


def _forms(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, list | tuple) else (message.string,)


def _label(message: Message) -> str:
    first = _ids(message)[0]
    return repr(first if len(first) <= 60 else first[:57] + "...")


def _translated(message: Message) -> bool:
    return all(form.strip() for form in _forms(message))


def missing(catalog: Catalog, template: Catalog) -> list[str]:
    """Texts of the template that the catalog lacks, leaves empty, or marks fuzzy."""
    found = []
    for message in template:
        if not message.id:
            continue
        have = catalog.get(message.id)
        if have is None:
            found.append(f"lacks {_label(message)}")
        elif have.fuzzy:
            found.append(f"fuzzy {_label(message)}")
        elif not _translated(have):
            found.append(f"untranslated {_label(message)}")
    return found


def broken(catalog: Catalog, plural_forms: int | None = None) -> list[str]:
    """Translations Alex cannot show: placeholders that differ from the msgid's or braces that do not
    parse, and a ``Plural-Forms`` that is not the language's (Babel pads missing plural forms with
    empty ones, reported by :func:`missing`; extra ones do not parse)."""
    found = []
    declared = _NPLURALS.search(catalog.plural_forms or "")
    nplurals = int(declared.group(1)) if declared else catalog.num_plurals
    if plural_forms is not None and nplurals != plural_forms:
        found.append(f"Plural-Forms says nplurals={nplurals}, the language has {plural_forms}")
    for message in catalog:
        if not message.id:
            continue
        ids, forms = _ids(message), _forms(message)
        if message.pluralizable and len(forms) != nplurals:
            found.append(f"{_label(message)} has {len(forms)} plural forms, Plural-Forms says {nplurals}")
        try:
            wanted = set().union(*(placeholders(i) for i in ids))
        except ValueError:
            found.append(f"{_label(message)}: the msgid's braces do not parse")
            continue
        for form in forms:
            if not form:
                continue
            try:
                have = placeholders(form)
            except ValueError:
                found.append(f"{_label(message)}: braces do not parse in {form!r}")
                continue
            # a plural form may leave out {count} ("один файл"); every other field must be the msgid's
            optional = {"count"} if message.pluralizable else set()
            if have - wanted or (wanted - optional) - have:
                found.append(f"{_label(message)}: placeholders {sorted(have)} instead of {sorted(wanted)}")
    return found


def _compiled(catalog: Catalog) -> dict[object, object]:
    """What gettext would find in this catalog's .mo (the header aside)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _mo_messages(buffer)


def _mo_messages(handle: io.BufferedIOBase | io.BytesIO) -> dict[object, object]:
    mo = read_mo(handle)
    return {_key(m.id): _key(m.string) for m in mo if m.id}


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def stale(po: Path, mo: Path) -> list[str]:
    """The committed .mo does not say what its .po says (run ``make i18n-compile``)."""
    if not mo.exists():
        return [f"{mo} is missing: run make i18n-compile"]
    with mo.open("rb") as handle:
        shipped = _mo_messages(handle)
    if shipped != _compiled(read_catalog(po)):
        return [f"{mo} is stale against {po.name}: run make i18n-compile"]
    return []


def check(
    langs: Iterable[str] = LANGUAGES, *, locales: Path = LOCALE_DIR, complete: bool = True
) -> list[str]:
    """Every problem of every language's catalog, one line each (empty: all good)."""
    template = read_catalog(locales / f"{DOMAIN}.pot")
    problems = []
    for lang in langs:
        po = po_path(lang, locales)
        if not po.exists():
            problems.append(f"{lang}: no catalog {po} (pybabel init, see docs/languages.md)")
            continue
        try:
            catalog = read_catalog(po)
        except PoFileError as exc:
            problems.append(f"{lang}: {po.name} does not parse: {exc}")
            continue
        found = stale(po, mo_path(lang, locales)) + broken(catalog, PLURAL_FORMS.get(lang))
        if complete:
            found += missing(catalog, template)
        problems += [f"{lang}: {line}" for line in found]
    return problems


def main(argv: list[str]) -> int:
    problems = check(complete="--broken" not in argv)
    for line in problems:
        print(line)
    print(f"{len(problems)} problem(s) in {', '.join(LANGUAGES)}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
