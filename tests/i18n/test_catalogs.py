"""The message catalogs: the template holds every marked text, the compiled .mo files say what their
.po files say, no translation breaks a placeholder or the plural forms, and every language is
complete (this last test fails until the translators' work lands: that is what it is for)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from conversations import commands
from i18n import LOCALE_DIR, translator
from i18n.catalogs import LANGUAGES, TEMPLATE, check, mo_path, po_path, read_catalog

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("alex", "bot", "conversations", "faq", "notifier")  # as the Makefile's i18n-extract
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "Nn_": (1, 2), "gettext": None, "ngettext": (1, 2)}


def _extracted() -> set[object]:
    found: set[object] = set()
    for package in PACKAGES:
        for _, _, message, _, _ in extract_from_dir(
            ROOT / package, [("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(tuple(message) if isinstance(message, list | tuple) else message)
    return found


def _template_ids() -> set[object]:
    return {tuple(m.id) if isinstance(m.id, list | tuple) else m.id for m in read_catalog(TEMPLATE) if m.id}


def test_the_template_is_what_the_code_marks() -> None:
    """``make i18n-extract`` was run after the last text changed: translators see every text."""
    code, template = _extracted(), _template_ids()
    assert sorted(map(str, code - template)) == [], "run make i18n-extract && make i18n-update"
    assert sorted(map(str, template - code)) == [], "run make i18n-extract && make i18n-update"


def test_every_language_has_a_catalog_with_its_plural_forms() -> None:
    for lang in LANGUAGES:
        assert po_path(lang).exists() and mo_path(lang).exists(), lang
    assert read_catalog(po_path("ru")).num_plurals == 3


def test_shipped_catalogs_are_neither_stale_nor_broken() -> None:
    """What would break Alex today: a .mo behind its .po, a placeholder changed, plural forms wrong."""
    assert check(complete=False) == []


def test_shipped_catalogs_are_complete() -> None:
    """Every text of the template translated (not empty, not fuzzy) in each of the five languages.

    Expected to fail until the translations of es, pt, fr, de and ru are committed."""
    problems = check()
    summary = {lang: sum(p.startswith(f"{lang}:") for p in problems) for lang in LANGUAGES}
    assert problems == [], f"untranslated or missing per language: {summary}"


def test_translated_menu_descriptions_fit_telegram() -> None:
    """setMyCommands takes 1-256 characters (Alex keeps at least 3)."""
    for lang in LANGUAGES:
        tr = translator(lang)
        for command in commands.COMMANDS:
            assert 3 <= len(tr.gettext(command.description)) <= 256, (lang, command.name)


# --- the checks themselves, on deliberately broken catalogs -------------------------------------


def _write(catalog: Catalog, locales: Path, lang: str, *, compile_mo: bool = True) -> None:
    po = po_path(lang, locales)
    po.parent.mkdir(parents=True, exist_ok=True)
    with po.open("wb") as handle:
        write_po(handle, catalog)
    if compile_mo:
        with mo_path(lang, locales).open("wb") as handle:
            write_mo(handle, catalog)


def _complete_ru(locales: Path) -> Catalog:
    """The shipped template, every text "translated" (the msgid itself, three plural forms)."""
    shutil.copy(TEMPLATE, locales / TEMPLATE.name)
    with TEMPLATE.open("rb") as handle:
        template = read_po(handle)
    catalog = Catalog(locale="ru", domain="alex")
    catalog.plural_forms  # noqa: B018  (Babel fills the header from the locale)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, list | tuple):
            catalog.add(tuple(message.id), (message.id[0], message.id[1], message.id[1]))
        else:
            catalog.add(message.id, message.id)
    return catalog


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    return tmp_path / "locales"


def test_a_complete_sound_catalog_passes(locales: Path) -> None:
    locales.mkdir()
    _write(_complete_ru(locales), locales, "ru")
    assert check(["ru"], locales=locales) == []


def test_a_stale_mo_is_caught(locales: Path) -> None:
    locales.mkdir()
    catalog = _complete_ru(locales)
    _write(catalog, locales, "ru")
    catalog["Back"].string = "Назад"
    _write(catalog, locales, "ru", compile_mo=False)  # the .po changed, the .mo was not recompiled
    assert check(["ru"], locales=locales) == [f"ru: {mo_path('ru', locales)} is stale against alex.po: "
                                              "run make i18n-compile"]


def test_broken_placeholders_and_plural_forms_are_caught(locales: Path) -> None:
    locales.mkdir()
    catalog = _complete_ru(locales)
    catalog["Order: {order_id}"].string = "Заказ: {order}"  # renamed field
    catalog["Status: {status}"].string = "Статус: {status"  # broken brace
    catalog["Back"].string = "Назад {dispute_id}"  # a field the msgid does not have
    _write(catalog, locales, "ru")
    problems = check(["ru"], locales=locales)
    assert any("'Order: {order_id}': placeholders ['order'] instead of ['order_id']" in p for p in problems)
    assert any("'Status: {status}': braces do not parse" in p for p in problems)
    assert any("'Back': placeholders ['dispute_id'] instead of []" in p for p in problems)
    assert len(problems) == 3


def test_wrong_plural_forms_are_caught(locales: Path) -> None:
    locales.mkdir()
    _write(_complete_ru(locales), locales, "ru")
    po = po_path("ru", locales)
    text = po.read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if line.startswith('"Plural-Forms:'))
    two = "\n".join(line for line in text.splitlines() if not line.startswith("msgstr[2]"))
    po.write_text(two.replace(header, '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"'), encoding="utf-8")
    assert "ru: Plural-Forms says nplurals=2, the language has 3" in check(["ru"], locales=locales)
    third = 'msgstr[2] "{count} hours"'
    four = text.replace(third, f'{third}\nmsgstr[3] "{{count}} hours"', 1)
    po.write_text(four, encoding="utf-8")  # a fourth form where Russian has three
    [problem] = check(["ru"], locales=locales)
    assert problem.startswith("ru: alex.po does not parse")


def test_missing_empty_and_fuzzy_translations_are_caught(locales: Path) -> None:
    locales.mkdir()
    catalog = _complete_ru(locales)
    del catalog["Back"]
    catalog["Refund"].string = ""
    catalog["Reissue"].flags.add("fuzzy")
    _write(catalog, locales, "ru")
    assert sorted(check(["ru"], locales=locales)) == [
        "ru: fuzzy 'Reissue'",
        "ru: lacks 'Back'",
        "ru: untranslated 'Refund'",
    ]
    assert check(["ru"], locales=locales, complete=False) == []


def test_the_shipped_locale_dir_is_the_one_gettext_reads() -> None:
    assert Path(LOCALE_DIR) == ROOT / "i18n" / "locales"
