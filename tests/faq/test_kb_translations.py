"""Every translation of the knowledge base (``data/faq/<lang>.json``), held to the same rules.

Complete against the English base, in its order; phrasings of its own, about as many as the
English has, not copied from it; CJ's quoted menu names and Alex's commands kept; no answer
opening with a bare yes or no; the AliExpress buyer's answers labelled alike. What is particular
to one language (its spellings, its sellers' words) is tested in ``test_kb_<lang>.py``. Figures and
quoted names are also refused at load (:mod:`faq.translations`); this file checks the shipped data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data"
ENGLISH = json.loads((DATA / "faq.json").read_text(encoding="utf-8"))
LANGS = sorted(p.stem for p in (DATA / "faq").glob("*.json"))
QUOTED = re.compile(r'"[^"]+"')
COMMAND = re.compile(r"(?<![\w/])/[a-z]+\b")
BARE_YES_NO = {
    "es": {"sí", "si", "no"}, "pt": {"sim", "não", "nao"}, "fr": {"oui", "non"},
    "de": {"ja", "nein", "doch", "jein"}, "ru": {"да", "нет"},
}
ALI_LABEL = "On AliExpress, as a buyer: "


def translation(lang: str) -> dict:  # type: ignore[type-arg]
    return json.loads((DATA / "faq" / f"{lang}.json").read_text(encoding="utf-8"))


def test_every_language_with_settings_has_a_translation() -> None:
    settings = sorted(p.stem for p in (DATA / "faq" / "lang").glob("*.json") if p.stem != "en")
    assert settings == LANGS and len(LANGS) >= 5


@pytest.mark.parametrize("lang", LANGS)
def test_every_entry_and_out_of_scope_topic_is_translated_in_order(lang: str) -> None:
    mine = translation(lang)
    assert list(mine["entries"]) == [e["id"] for e in ENGLISH["entries"]]
    assert list(mine["out_of_scope"]) == [o["id"] for o in ENGLISH["out_of_scope"]]


@pytest.mark.parametrize("lang", LANGS)
def test_phrasings_are_its_own_and_about_as_many_as_in_english(lang: str) -> None:
    mine = translation(lang)
    copied = total = 0
    for group, floor in (("entries", lambda n: min(n, 8) * 0.75), ("out_of_scope", lambda n: n // 2)):
        for base in ENGLISH[group]:
            phrasings = mine[group][base["id"]]["phrasings"]
            assert len(phrasings) >= floor(len(base["phrasings"])), (base["id"], len(phrasings))
            assert len(set(phrasings)) == len(phrasings), (base["id"], "repeated phrasing")
            shared = set(phrasings) & set(base["phrasings"])  # loanword-only ones ("zf dispute") at most
            assert len(shared) <= 4, (base["id"], shared)
            copied += len(shared)
            total += len(phrasings)
    assert copied <= 0.02 * total


@pytest.mark.parametrize("lang", LANGS)
def test_cj_names_and_commands_stay_as_cj_and_alex_show_them(lang: str) -> None:
    mine = translation(lang)
    lost = [
        (base["id"], name)
        for base in ENGLISH["entries"]
        for name in QUOTED.findall(base["answer"]) + COMMAND.findall(base["answer"])
        if name not in mine["entries"][base["id"]]["answer"]
    ]
    assert lost == []


@pytest.mark.parametrize("lang", LANGS)
def test_no_answer_opens_with_a_bare_yes_or_no(lang: str) -> None:
    """"No, ..." / "Sí." (not "No se recomienda ..."), nor right after the AliExpress label."""
    bare = BARE_YES_NO[lang]
    for entry_id, entry in translation(lang)["entries"].items():
        head, colon, rest = entry["answer"].partition(": ")
        starts = [entry["answer"]] + ([rest] if colon and len(head.split()) <= 7 else [])
        for text in starts:
            first = text.split()[0]
            word = first.rstrip(",.:;!")
            assert not (word.casefold() in bare and (word != first or len(text.split()) == 1)), entry_id


@pytest.mark.parametrize("lang", LANGS)
def test_the_aliexpress_buyers_answers_carry_one_label(lang: str) -> None:
    ali = [e["id"] for e in ENGLISH["entries"] if e["answer"].startswith(ALI_LABEL)]
    answers = [translation(lang)["entries"][i]["answer"] for i in ali]
    labels = {a.partition(": ")[0] for a in answers}
    assert ali and len(labels) == 1 and all(": " in a for a in answers), labels
