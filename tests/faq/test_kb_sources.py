"""The shipped knowledge base as a seller reads it: every fact traced to a public source that
exists, the AliExpress buyer's guide kept to AliExpress questions, no answer that contradicts
its own first word."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from faq.kb import load_kb, source_ids
from faq.matcher import Matcher
from tests.faq.test_kb import SEEDS, flat, source_text
from tests.shared import unavailable

ROOT = Path(__file__).resolve().parents[2]
ALI_SEED = "004_ef98cd2b0f90cf14.txt"
ALI_LABEL = "On AliExpress, as a buyer: "
ALI_WORDS = ("aliexpress", "ali express", "ali")
PRIVATE_NOTES = "CJ_API" + "_NOTES"  # spelled in two parts so this file does not mention it

FIGURE = re.compile(
    r"\b\d+(?:[.,]\d+)?(?:\s?[-–]\s?\d+)?\s?(?:working days|business days|days|hours?|USD/hour|USD|%)",
    re.IGNORECASE,
)
QUOTED_NAME = re.compile(r'"([^"]+)"')

# No answer opens with a bare "Yes" or "No": phrasings ask one question in many forms ("can I
# refund via PayPal myself?", "do I have to open it on CJ?"), and one word cannot answer them all.
YES_NO = re.compile(r"^(?:On AliExpress, as a buyer: )?(?:yes|no)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def kb():  # type: ignore[no-untyped-def]
    return load_kb()


def _cited_texts(entry) -> list[str]:  # type: ignore[no-untyped-def]
    texts = [source_text(s) for s in source_ids(entry.source)]
    if any(t is None for t in texts):
        unavailable("source material not available")
    return [t for t in texts if t is not None]


def test_every_source_in_the_table_is_public_and_cited(kb) -> None:  # type: ignore[no-untyped-def]
    cited = {s for e in kb.entries for s in source_ids(e.source)}
    table = kb.source_table
    assert cited <= table.keys()
    assert table.keys() <= cited, f"sources nobody cites: {sorted(table.keys() - cited)}"
    for source in kb.sources:
        assert source.url and source.url.startswith("https://"), source.id
        assert source.title and source.publisher and not source.title.endswith((".txt", ".md"))
        if source.id.endswith(".txt"):  # a seed: the copy the project was given must exist
            if SEEDS.is_dir():
                assert (SEEDS / source.id).exists(), source.id
        else:  # another public page: the passages the answers use are kept with the tests
            assert source_text(source.id), f"tests/faq/sources/{source.id}.txt is missing"


def test_every_figure_comes_from_a_cited_source(kb) -> None:  # type: ignore[no-untyped-def]
    for entry in kb.entries:
        figures = FIGURE.findall(entry.answer)
        if not figures:
            continue
        texts = _cited_texts(entry)
        for figure in figures:
            assert any(flat(figure) in t for t in texts), f"{entry.id}: {figure!r} not in {entry.source}"


def test_every_quoted_cj_name_comes_from_a_cited_source(kb) -> None:  # type: ignore[no-untyped-def]
    """Menu names and buttons in quotes ("AS Service Center", "Open Dispute") are CJ's own words."""
    for entry in kb.entries:
        names = [n for n in QUOTED_NAME.findall(entry.answer) if not n.startswith("/")]
        if not names:
            continue
        texts = _cited_texts(entry)
        for name in names:
            assert any(flat(name) in t for t in texts), f"{entry.id}: \"{name}\" is in none of {entry.source}"


def test_nothing_points_at_the_private_notes() -> None:
    files = [*(ROOT / "data").rglob("*"), *(ROOT / "faq").rglob("*.py"), ROOT / "docs" / "faq.md",
             *(ROOT / "tests" / "faq").rglob("*")]
    offenders = [
        str(f.relative_to(ROOT)) for f in files
        if f.is_file() and f.suffix in {".json", ".py", ".md", ".txt", ".jsonl"}
        and PRIVATE_NOTES in f.read_text(encoding="utf-8", errors="replace")
    ]
    assert offenders == []


def test_aliexpress_entries_need_an_aliexpress_word_and_say_so(kb) -> None:  # type: ignore[no-untyped-def]
    for entry in kb.entries:
        sources = source_ids(entry.source)
        if sources == (ALI_SEED,):
            assert entry.gate == ("aliexpress",), entry.id
            for text in (entry.question, *entry.phrasings):  # a phrasing the gate can never let through
                assert re.search(r"\b(?:aliexpress|ali express|ali)\b", text, re.IGNORECASE), (entry.id, text)
            assert entry.answer.startswith(ALI_LABEL), entry.id
            assert "aliexpress" in entry.question.lower(), entry.id
        elif ALI_SEED in sources:  # a CJ answer that also says what AliExpress does: labelled there
            assert ALI_LABEL.strip() in entry.answer, entry.id
        else:
            assert "aliexpress" not in entry.answer.lower(), entry.id


def test_questions_without_an_aliexpress_word_never_reach_the_aliexpress_guide(  # type: ignore[no-untyped-def]
    kb, matcher: Matcher
) -> None:
    ali_ids = {e.id for e in kb.entries if e.gate}
    assert len(ali_ids) >= 6
    questions = [
        "how to close a dispute i opened by mistake",
        "how do i cancel a dispute in the app",
        "can i open the dispute again",
        "seller asks me to cancel the dispute",
        "the product arrived, what about my dispute",
        "someone used my stolen card",
        "my dispute is about to end and nobody answered",
    ]
    # ... and every phrasing of the AliExpress entries with its AliExpress word taken out
    for entry in kb.entries:
        if entry.id in ali_ids:
            for text in entry.phrasings:
                stripped = re.sub(r"\b(?:aliexpress|ali express|ali)\b", " ", text, flags=re.IGNORECASE)
                if stripped.split():
                    questions.append(stripped)
    for question in questions:
        answer = matcher.answer(question)
        shown = ([answer.entry] if answer.entry is not None else []) + list(answer.alternatives)
        assert not {e.id for e in shown} & ali_ids, (question, [e.id for e in shown])
        assert not {e.id for e, _ in matcher.search(question)} & ali_ids, question


def test_questions_naming_aliexpress_get_the_labelled_guide(matcher: Matcher) -> None:
    for question, expected in [
        ("how do i close a dispute on aliexpress", "ali_cancel_vs_close"),
        ("can i reopen a dispute on ali express", "ali_reopen"),
        ("ali app close dispute", "ali_app"),
    ]:
        answer = matcher.answer(question)
        assert answer.entry is not None and answer.entry.id == expected, (question, answer.entry)
        assert answer.entry.answer.startswith(ALI_LABEL)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how to close a dispute i opened by mistake", {"close_dispute_steps"}),
        ("how do i cancel a dispute in the app", {"close_dispute_steps", "app_dispute"}),
        ("can i reopen a dispute after i closed it", {"reopen_dispute"}),
        ("can i just refund via paypal myself without a cj dispute", {"must_use_cj"}),
    ],
)
def test_cj_questions_about_closing_and_reopening_get_cj_answers(
    matcher: Matcher, question: str, expected: set[str]
) -> None:
    answer = matcher.answer(question)
    assert answer.entry is not None and answer.entry.id in expected, (question, answer.entry)
    assert not answer.entry.answer.startswith(("Yes", "No", "On AliExpress"))
    if "close_dispute_steps" in expected:
        assert "AS service center > Awaiting response > Dispute reviewing" in answer.entry.answer


def test_no_answer_opens_with_a_yes_or_no(kb) -> None:  # type: ignore[no-untyped-def]
    assert [e.id for e in kb.entries if YES_NO.match(e.answer)] == []
