"""Commands, deep links, free text (requests with ids, FAQ questions, "I don't know") and access."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from conversations.events import Actor, Event
from conversations.ids import Intent, Request, parse_request
from faq.matcher import load_matcher
from tests.conversations.conftest import Chat, FakeClock


@pytest.fixture(scope="module")
def matcher() -> Any:
    return load_matcher()


@pytest.fixture
async def faq_chat(
    sandbox: Any, tmp_path: Path, http: httpx.AsyncClient, clock: FakeClock, matcher: Any
) -> Any:
    c = Chat(sandbox, tmp_path / "alex.sqlite3", http, clock=clock, matcher=matcher)
    yield c
    await c.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("open a dispute for SD2510031452310001", Request(Intent.OPEN, order_id="SD2510031452310001")),
        (
            "I need to file a dispute on order sd2510031452310001 please",
            Request(Intent.OPEN, order_id="SD2510031452310001"),
        ),
        ("dispute SD2510031452310001", Request(Intent.OPEN, order_id="SD2510031452310001")),
        ("open a dispute", Request(Intent.OPEN)),
        ("close dispute SH1990300112233445566", Request(Intent.CLOSE, dispute_id="SH1990300112233445566")),
        ("please cancel my dispute", Request(Intent.CLOSE)),
        ("what's up with SH1990300112233445566", Request(Intent.STATUS, dispute_id="SH1990300112233445566")),
        ("show my disputes", Request(Intent.LIST)),
        ("check the status of my disputes", Request(Intent.LIST)),
        ("how do I open a dispute?", None),
        ("how long does a dispute review take", None),
        ("hello", None),
    ],
)
def test_requests_are_pulled_out_of_free_text(text: str, expected: Request | None) -> None:
    assert parse_request(text) == expected


async def test_start_help_and_transport_commands(chat: Chat) -> None:
    text = await chat.cmd("start")
    assert text.startswith("Hi, I'm Alex.")
    for command in (
        "/start",
        "/help",
        "/dispute",
        "/close",
        "/disputes",
        "/status",
        "/cancel",
        "/subscribe",
        "/unsubscribe",
    ):
        assert command in text
    assert "/dispute" in await chat.cmd("help")
    assert await chat.engine.handle(chat.actor, Event.of_command("subscribe")) == []
    assert "I don't know /frobnicate" in await chat.cmd("frobnicate")
    assert "Nothing to cancel" in await chat.cmd("cancel")


async def test_deep_links_start_flows(chat: Chat) -> None:
    text = await chat.cmd("start", "dispute_SD2510031452310001")
    assert "Order SD2510031452310001: which items" in text
    text = await chat.cmd("start", "status_SH1990300112233445567")
    assert "Decision: refund of $3.95" in text
    text = await chat.cmd("start", "close_SH1990300112233445566")
    assert "I dropped your dispute draft" in text and "Which order (SD…) is it for?" in text


async def test_free_text_requests_start_flows(faq_chat: Chat) -> None:
    text = await faq_chat.send("Hi, please open a dispute for SD2510031452310001")
    assert "which items" in text
    await faq_chat.cmd("cancel")
    text = await faq_chat.send("status SH1990300112233445567")
    assert "Dispute SH1990300112233445567" in text
    text = await faq_chat.send("close my dispute")
    assert "Which dispute do you want to close?" in text


async def test_questions_go_to_the_faq(faq_chat: Chat) -> None:
    text = await faq_chat.send("How long does CJ take to review a dispute?")
    assert "2 working days" in text and "(Source: 001_f9ba722dcb1627c2.txt" in text
    assert "My disputes" in faq_chat.labels()  # the entry's action
    text = await faq_chat.press("My disputes")
    assert "Your disputes, page 1" in text


async def test_unknown_questions_get_an_honest_answer(faq_chat: Chat) -> None:
    text = await faq_chat.send("What is the capital of Mongolia?")
    assert "I don't know that one" in text and "live chat" in text


async def test_did_you_mean_buttons(faq_chat: Chat) -> None:
    for question in ("refund", "dispute evidence", "where money"):
        await faq_chat.send(question)
        faq_buttons = [
            b for r in faq_chat.last for row in r.buttons for b in row if b.data.startswith("faq:")
        ]
        if faq_buttons:
            text = await faq_chat.send(Event.of_button(faq_buttons[0].data))
            assert "(Source:" in text
            return
    pytest.skip("the matcher was sure of every probe question")


async def test_faq_button_for_a_removed_entry(faq_chat: Chat) -> None:
    text = await faq_chat.send(Event.of_button("faq:no_such_entry"))
    assert "no longer in Alex's knowledge base" in text


async def test_photo_outside_a_flow(chat: Chat) -> None:
    text = await chat.photo("https://example.com/a.jpg")
    assert "only as evidence while opening a dispute" in text


async def test_without_dispute_access_only_the_faq_works(faq_chat: Chat) -> None:
    guest = faq_chat.as_user(Actor(user_id=9, chat_id=9, can_manage_disputes=False))
    calls_before = dict(faq_chat.sandbox.snapshot()["calls"])
    for command, args in (
        ("dispute", "SD2510031452310001"),
        ("close", ""),
        ("disputes", ""),
        ("status", "SH1990300112233445567"),
    ):
        text = await guest.cmd(command, args)
        assert text.startswith("Sorry, only the shop's authorised team"), command
        assert "SD25" not in text and "SH19" not in text
    text = await guest.send("open a dispute for SD2510031452310001")
    assert text.startswith("Sorry")
    text = await guest.send(Event.of_button("st:SH1990300112233445567"))
    assert text.startswith("Sorry") and "Processing" not in text
    text = await guest.send("How long does CJ take to review a dispute?")
    assert "2 working days" in text
    assert faq_chat.sandbox.snapshot()["calls"] == calls_before  # nothing was asked of CJ


async def test_a_question_mid_flow_is_answered_and_the_draft_kept(faq_chat: Chat) -> None:
    await faq_chat.cmd("dispute", "SD2510031452310001")
    await faq_chat.press("Ceramic Pour-Over Coffee Dripper ×1 $11.90")
    text = await faq_chat.send("how long until a stripe refund shows up?")
    assert "5-10 business days" in text
    assert "Back to your draft" in text and "which items" in text
    assert "☑ Ceramic" in " ".join(faq_chat.labels())  # the selection survived
    text = await faq_chat.send("banana")
    assert "Please answer with the buttons below" in text


async def test_unanswered_questions_feed_the_miss_log(faq_chat: Chat) -> None:
    from store.faq_misses import top_misses

    await faq_chat.send("what is the weather tomorrow in paris")
    await faq_chat.send("How long does CJ take to review a dispute?")
    misses = top_misses(faq_chat.store)
    assert [m.example for m in misses] == ["what is the weather tomorrow in paris"]
