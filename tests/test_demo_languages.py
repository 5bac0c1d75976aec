"""`alex demo --lang xx`: a whole dispute opened and closed with no English left on screen but
CJ's own names and data. The transcript is scanned for the English of every catalog text (any
run of three words of a msgid between its placeholders); the scan is shown to work by running
the demo on a pseudo-language (every text accented: "Díspúté") complete, then partial.
"""

from __future__ import annotations

import argparse
import gettext
import io
import json
import re
import string
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from alex.demo import DEMO_QPS, DEMO_RESOLVE_AFTER_SECONDS, _run
from i18n import Translator
from i18n.catalogs import LANGUAGES, TEMPLATE, check, read_catalog
from tests.test_demo import SESSION

ROOT = Path(__file__).resolve().parents[1]
TYPED = ("Wrong colour sent: black ordered, blue received.", "https://example.com/blue.jpg")
ACCENTS = str.maketrans("aeiouAEIOU", "áéíóúÁÉÍÓÚ")


def _template() -> list[object]:
    return [m.id for m in read_catalog(TEMPLATE) if m.id]


def _cj_data() -> set[str]:
    """What CJ and the sandbox show as they are: product names, dispute reasons, scenario notes."""
    fixtures = json.loads((ROOT / "data" / "sandbox_orders.json").read_text(encoding="utf-8"))
    names = {line["productName"] for order in fixtures["orders"] for line in order["lines"]}
    return names | {"Product Damaged", "Wrong Product Received", "Missing Products", "Quality Problem",
                    "Products Not Received", "Tracking Information Not Updated",
                    "Package Returned to Sender", "Unfulfilled Order Cancellation"}


def english_fragments() -> set[str]:
    """Runs of three or more words of the English texts, cut at their placeholders."""
    found = set()
    for msgid in _template():
        for text in msgid if isinstance(msgid, tuple) else (msgid,):
            for literal, _, _, _ in string.Formatter().parse(text):
                for piece in re.split(r"[\n:;()\"•⚠]+", literal):
                    words = re.findall(r"[A-Za-z']+", piece)
                    if len(words) >= 3:
                        found.add(" ".join(piece.split()))
    return found


def _screen(transcript: str) -> str:
    """What Alex showed: the seller's own typed lines and CJ's data taken out."""
    screen = "\n".join(line for line in transcript.splitlines() if not line.startswith("you> "))
    for data in sorted(_cj_data() | set(TYPED), key=len, reverse=True):
        screen = screen.replace(data, " ")
    return " ".join(screen.split())


def english_left(transcript: str, fragments: set[str]) -> list[str]:
    """English texts of the catalog found on screen."""
    screen = _screen(transcript)
    return sorted(f for f in fragments if f in screen)


def pseudo_translator(tmp_path: Path, keep_english: Callable[[str], bool] = lambda _: False) -> Translator:
    """The whole template in a pseudo-language (vowels accented, placeholders kept), compiled to a
    real .mo; ``keep_english`` leaves some texts untranslated (a partial catalog)."""

    def accent(text: str) -> str:  # Alex's texts use plain {name} fields, no literal braces
        parts = string.Formatter().parse(text)
        return "".join(lit.translate(ACCENTS) + (f"{{{name}}}" if name else "") for lit, name, _, _ in parts)

    catalog = Catalog(locale="de", domain="alex")
    for msgid in _template():
        first = msgid[0] if isinstance(msgid, tuple) else msgid
        if keep_english(first):
            continue
        if isinstance(msgid, tuple):
            catalog.add(msgid, (accent(msgid[0]), accent(msgid[1])))
        else:
            catalog.add(msgid, accent(msgid))
    mo = tmp_path / "xx.mo"
    with mo.open("wb") as handle:
        write_mo(handle, catalog)
    with mo.open("rb") as handle:
        return Translator("xx", gettext.GNUTranslations(handle))


async def run_demo(tmp_path: Path, lang: str | None = None, catalog: Translator | None = None) -> str:
    args = argparse.Namespace(
        qps=DEMO_QPS, resolve_after=DEMO_RESOLVE_AFTER_SECONDS, db=tmp_path / "demo.sqlite3", lang=lang
    )
    out = io.StringIO()
    assert await _run(args, io.StringIO(SESSION), out, False, catalog=catalog) == 0
    return out.getvalue()


def _opened_and_closed(transcript: str) -> None:
    """The dispute the session opened (the first id shown) is listed by CJ as cancelled at the end."""
    opened = re.search(r"SH\d{10,}", transcript)
    assert opened, transcript
    assert f"{opened.group(0)} · Cancelled" in transcript, transcript


def complete_languages() -> list[str]:
    problems = check()
    return [lang for lang in LANGUAGES if not any(p.startswith(f"{lang}:") for p in problems)]


async def test_a_complete_catalog_leaves_no_english_on_screen(tmp_path: Path) -> None:
    transcript = await run_demo(tmp_path, catalog=pseudo_translator(tmp_path))
    _opened_and_closed(transcript)
    assert english_left(transcript, english_fragments()) == []
    # nothing outside the catalog either: three plain-ASCII words with vowels in a row are English
    # that never passed through the catalog (the pseudo-language accents every vowel)
    word = r"[A-Za-z']*[aeiouAEIOU][A-Za-z']*"
    assert re.findall(rf"\b{word}(?:[ ,]+{word}){{2,}}", _screen(transcript)) == []


async def test_the_scan_catches_a_partial_catalog(tmp_path: Path) -> None:
    """The open flow's texts left in English: the scan must name them."""
    from conversations.texts import open as open_texts

    untranslated = {v for k, v in vars(open_texts).items() if k.isupper() and isinstance(v, str)}
    partial = pseudo_translator(tmp_path, keep_english=lambda msgid: msgid in untranslated)
    transcript = await run_demo(tmp_path, catalog=partial)
    _opened_and_closed(transcript)
    left = english_left(transcript, english_fragments())
    assert "Please check, then Confirm. Dispute for order" in left
    assert any("is open for order" in f for f in left)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_demo_in_each_language_with_a_complete_catalog(tmp_path: Path, lang: str) -> None:
    """``alex demo --lang xx`` for each shipped language whose catalog is complete."""
    if lang not in complete_languages():
        pytest.skip(f"the {lang} catalog is not complete yet (make i18n-check)")
    transcript = await run_demo(tmp_path, lang=lang)
    _opened_and_closed(transcript)
    assert english_left(transcript, english_fragments()) == []


async def test_demo_lang_sets_the_chat_s_language_and_refuses_an_unknown_one(tmp_path: Path) -> None:
    german = await run_demo(tmp_path, lang="de")
    assert "3,95\xa0$" in german and "$3.95" not in german  # German conventions from --lang
    args = argparse.Namespace(qps=DEMO_QPS, resolve_after=DEMO_RESOLVE_AFTER_SECONDS, db=None, lang="klingon")
    out = io.StringIO()
    assert await _run(args, io.StringIO(""), out, False) == 2
    assert "unknown language 'klingon'" in out.getvalue()
