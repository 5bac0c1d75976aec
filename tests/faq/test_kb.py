"""The shipped knowledge base: well-formed, faithful to the sources, and unambiguous."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faq.errors import KnowledgeBaseError
from faq.kb import ACTIONS, DEFAULT_KB_PATH, load_kb, parse_kb, source_ids
from faq.normalize import normalize
from tests.shared import unavailable

TABLE = [{"id": "s", "title": "A page", "publisher": "CJ Help Center", "url": None}]
SHARED = Path(__file__).resolve().parents[3] / "shared"
SEEDS = SHARED / "seeds"
PUBLIC = Path(__file__).resolve().parent / "sources"
"""Excerpts of the public pages that are not seeds, one file per source id."""

S0, S1, S2, S3, S4 = (
    "000_49e49199d618bf52.txt", "001_f9ba722dcb1627c2.txt", "002_9fee3ebfccb5f5c0.txt",
    "003_692dd793a329dcd8.txt", "004_ef98cd2b0f90cf14.txt",
)
POLICY = "cj_refund_policy"
# Figures and menu paths the answers must quote exactly as the named source writes them.
QUOTED = [
    ("review_time", S1, "2 working days"),
    ("refund_destination", S1, "Payssion"),
    ("stripe_refund", S1, "5-10 business days"),
    ("us_warehouse", S1, "15USD/hour"),
    ("delivered_not_received", S1, "postal office"),
    ("bulk_dispute", S0, "My CJ > Purchase List"),
    ("return_steps", S2, "My CJ > Orders > Disputes > Return"),
    ("app_dispute", S1, "Processing/Processed/Completed > Operation > Dispute"),
    ("app_dispute", S1, "Orders > Orders Fulfillment > Pending/Processing/Dispatched/Completed"),
    ("close_dispute_steps", S1, "AS service center > Awaiting response > Dispute reviewing"),
    ("open_dispute_steps", S0, "Open Dispute"),
    ("open_dispute_steps", S0, "Dropshipping Center"),
    ("delay_threshold", POLICY, "60 days"),
    ("delay_threshold", POLICY, "45 days"),
    ("delay_threshold", POLICY, "110 days"),
    ("buyer_protection", POLICY, "60 days"),
    ("return_not_recommended", S2, "international shipping"),
    ("store_delivery_policy", S1, "Customs & Duties"),
    ("refund_breakdown", S3, "IOSS Handling Fee"),
    ("api_only_orders", S3, "created through the API"),
    ("ali_app", S4, "My Orders"),
    ("dispute_eligibility", "cj_open_close_dispute", "closed order"),
    ("must_use_cj", "cj_open_close_dispute", "PayPal"),
]


@pytest.fixture(scope="module")
def kb():  # type: ignore[no-untyped-def]
    return load_kb()


def source_text(source_id: str) -> str | None:
    """A cited source's words, flattened: the seed file, or the excerpts kept in tests/faq/sources."""
    path = SEEDS / source_id if source_id.endswith(".txt") and "/" not in source_id else None
    if path is None or not path.exists():
        path = PUBLIC / f"{source_id}.txt"
    if not path.exists():
        return None
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return flat(" ".join(lines))


def flat(text: str) -> str:
    """Whitespace, quote marks and case do not matter when comparing a quote with its source."""
    for mark in "\"'“”‘’":
        text = text.replace(mark, "")
    return " ".join(text.split()).lower()


def test_shipped_kb_is_well_formed(kb) -> None:  # type: ignore[no-untyped-def]
    ids = [e.id for e in kb.entries]
    assert len(ids) == len(set(ids)) >= 35
    for entry in kb.entries:
        assert entry.action is None or entry.action in ACTIONS
        assert all(s.strip() in kb.source_table for s in entry.source.split(","))
        assert len(entry.phrasings) >= 4, entry.id
        assert entry.tags, entry.id
    assert "Chat" in kb.human_route and "ticket" in kb.human_route


def test_bot_commands_are_offered_where_they_apply(kb) -> None:  # type: ignore[no-untyped-def]
    by_id = {e.id: e for e in kb.entries}
    for entry_id, action, command in (
        ("open_dispute_steps", "open_dispute", "/dispute"),
        ("close_dispute_steps", "close_dispute", "/close"),
        ("check_dispute", "check_status", "/status"),
    ):
        assert by_id[entry_id].action == action and command in by_id[entry_id].answer


@pytest.mark.parametrize(("entry_id", "source_id", "phrase"), QUOTED)
def test_answers_quote_the_sources_exactly(kb, entry_id: str, source_id: str, phrase: str) -> None:  # type: ignore[no-untyped-def]
    entry = next(e for e in kb.entries if e.id == entry_id)
    assert phrase in entry.answer
    assert source_id in source_ids(entry.source), f"{entry_id} quotes {source_id} without citing it"
    text = source_text(source_id)
    if text is None:
        unavailable("source material not available")
    assert flat(phrase) in text


def test_no_two_entries_share_a_phrasing(kb) -> None:  # type: ignore[no-untyped-def]
    owner: dict[str, str] = {}
    for entry in kb.entries:
        for text in (entry.question, *entry.phrasings):
            key = normalize(text)
            assert key, f"{entry.id}: {text!r} normalises to nothing"
            assert owner.setdefault(key, entry.id) == entry.id, f"{text!r} is in {owner[key]} and {entry.id}"


def test_phrasings_are_not_copied_from_the_dev_eval(kb) -> None:  # type: ignore[no-untyped-def]
    dev = SHARED / "eval" / "faq_dev.jsonl"
    if not dev.exists():
        unavailable("dev eval not available")
    lines = [line for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = {json.loads(line)["q"].strip().lower() for line in lines}
    ours = {t.strip().lower() for e in kb.entries for t in e.phrasings}
    assert not ours & questions


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({}, "'entries' list"),
        ({"entries": []}, "no entries"),
        ({"entries": [{"id": "a", "question": "q", "answer": "a", "source": "s"}]}, "no 'sources' table"),
        ({"sources": TABLE, "entries": [{"id": "a", "question": "q", "answer": "a"}]},
         "entry 'a': field 'source'"),
        ({"sources": TABLE, "entries": [{"id": "a", "question": "q", "answer": "a", "source": "x.txt"}]},
         "'x.txt' is not in the 'sources' table"),
        ({"sources": TABLE, "entries": [{"id": "a", "question": "q", "answer": "a", "source": "s, x.txt"}]},
         "'x.txt' is not in the 'sources' table"),
        ({"sources": ["s"], "entries": [{"id": "a", "question": "q", "answer": "a", "source": "s"}]},
         "sources #0: must be an object"),
        ({"sources": [{"id": "s", "title": "t", "publisher": "p", "url": "http://x"}],
          "entries": [{"id": "a", "question": "q", "answer": "a", "source": "s"}]}, "https://"),
        ({"sources": [{"id": "s", "publisher": "p", "url": None}],
          "entries": [{"id": "a", "question": "q", "answer": "a", "source": "s"}]},
         "source 's': field 'title'"),
        (
            {"sources": TABLE, "entries": [{"id": "a", "question": "q", "answer": "a", "source": "s",
                                            "action": "x"}]},
            "action 'x'",
        ),
        (
            {"sources": TABLE, "entries": [{"id": "a", "question": "q", "answer": "a", "source": "s"}] * 2},
            "used twice",
        ),
        (
            {"sources": TABLE, "entries": [{"id": "a", "question": "q", "answer": "a", "source": "s",
                                            "phrasings": "one string"}]},
            "'phrasings' must be a list",
        ),
    ],
)
def test_malformed_kb_names_the_problem(document: dict[str, object], message: str) -> None:
    with pytest.raises(KnowledgeBaseError, match=message):
        parse_kb(document)


def test_unreadable_files_raise_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="not found"):
        load_kb(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"entries": [', encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="not valid JSON"):
        load_kb(broken)


def test_default_path_points_at_the_repository_data() -> None:
    assert Path(DEFAULT_KB_PATH).name == "faq.json" and Path(DEFAULT_KB_PATH).parent.name == "data"


def test_requires_must_be_a_list_of_words() -> None:
    entry = {"id": "x", "question": "q?", "answer": "a.", "source": "s", "requires": "return"}
    with pytest.raises(KnowledgeBaseError, match="requires"):
        parse_kb({"entries": [entry]}, strict_sources=False)
    entry["requires"] = ["return", "send back"]
    assert parse_kb({"entries": [entry]}, strict_sources=False).entries[0].requires == ("return", "send back")
