"""The German knowledge base: complete, faithful to the English, and answering as German sellers write."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from faq.kb import load_kb
from faq.matcher import Matcher, load_matcher
from faq.translations import parse_translation, read_translation_bytes

KB_FILE = Path(__file__).resolve().parents[2] / "data" / "faq.json"
BASE = load_kb(KB_FILE)
RAW = json.loads(read_translation_bytes(KB_FILE, "de") or b"{}")
QUOTED = re.compile(r'"([^"]+)"')


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return load_matcher(str(KB_FILE))


def test_every_entry_and_out_of_scope_topic_is_translated() -> None:
    german = parse_translation(json.dumps(RAW).encode(), "de", BASE)  # also checks every figure
    assert [e.id for e in german.entries] == [e.id for e in BASE.entries]
    assert [t.id for t in german.out_of_scope] == [t.id for t in BASE.out_of_scope]


def test_phrasings_are_about_as_many_as_in_english_and_not_copied() -> None:
    """Shared phrasings are only loanwords German sellers type as they are ("zf dispute")."""
    english = {e.id: e for e in BASE.entries} | {t.id: t for t in BASE.out_of_scope}
    german = RAW["entries"] | RAW["out_of_scope"]
    copied = 0
    for topic_id, raw in german.items():
        assert len(raw["phrasings"]) >= 0.7 * len(english[topic_id].phrasings), topic_id
        shared = set(raw["phrasings"]) & set(english[topic_id].phrasings)
        assert len(shared) <= 4, (topic_id, shared)
        copied += len(shared)
    assert copied <= 0.02 * sum(len(raw["phrasings"]) for raw in german.values())


def test_cj_menu_names_stay_as_cj_shows_them() -> None:
    """Every quoted name in an English answer ("AS Service Center", "View") is in the German one."""
    for entry in BASE.entries:
        answer = RAW["entries"][entry.id]["answer"]
        for name in QUOTED.findall(entry.answer):
            assert f'"{name}"' in answer, (entry.id, name)


def test_no_answer_opens_with_a_bare_yes_or_no() -> None:
    for entry_id, raw in RAW["entries"].items():
        first = raw["answer"].split()[0].strip(".,:;!").casefold()
        assert first not in {"ja", "nein", "doch", "jein"}, entry_id


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("wie lange braucht cj für ne reklamation", "review_time"),
        ("rueckerstattung bekommen aber wo ist die kohle", "refund_destination"),
        ("warum wurde mir nur ein teil erstattet", "refund_breakdown"),
        ("tracking bewegt sich seit wochen nicht, ab wann verspätet", "delay_threshold"),
        ("wie mach ich einen streitfall auf aliexpress auf", "ali_open"),
        ("wo ist der knopf zum dispute eröffnen", "open_dispute_steps"),
        ("ich will mit jemandem von cj reden", "contact_support"),
        ("wie weit ist meine reklamation", "check_dispute"),
    ],
)
def test_german_sellers_words_reach_the_entry_in_german(matcher: Matcher, question: str, topic: str) -> None:
    answer = matcher.answer(question)
    assert (answer.entry.id if answer.entry else None, answer.lang) == (topic, "de")


@pytest.mark.parametrize(
    "question",
    [
        "wie lange dauert die bearbeitung einer neuen bestellung",
        "was kostet der versand nach österreich",
        "wie verbinde ich meinen shopify shop",
        "welche zahlungsmethoden nimmt cj",
        "passwort vergessen",
        "gibt es ein lager in deutschland",
    ],
)
def test_german_near_misses_stay_unanswered(matcher: Matcher, question: str) -> None:
    answer = matcher.answer(question)
    assert answer.entry is None and answer.lang == "de"
