"""Routing that understands intent: ids only in their real shapes, questions about disputes
answered (not turned into drafts), requests and commands start flows, and a question at any
step of any flow is answered with the draft kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from conversations.ids import IdKind, classify_id, find_dispute_id, find_order_id, normalize_id
from conversations.intent import Intent, Request, parse_request
from faq.matcher import load_matcher
from store import audit
from store.conversations import ConversationStore
from tests.conversations.conftest import Chat, FakeClock

DELIVERED_FR = "SD2510031452310001"  # dripper ×1, tray ×2
OPEN_WEB = "SH1990300112233445566"  # open, on SD2510150911460011 (CJ does not say which order)
QUESTION = "how many days will cj need to look at my dispute?"
ANSWERED = "2 working days"


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


def _step(chat: Chat) -> tuple[str, str] | None:
    saved = ConversationStore(chat.store).load(chat.actor.chat_id, chat.actor.user_id)
    return (saved.flow, saved.step) if saved else None


# --- ids in their real shapes ------------------------------------------------------------------

WORDS = [
    "who pays shipping for returns",
    "should I ask for a refund",
    "my shopify store orders",
    "cjdropshipping support is slow",
    "shenzhen warehouse delay",
    "the shirts arrived torn",
    "SHipping costs",
    "CJPacket tracking",
    "order from 2024",
    "COVID-19 delays",
]


@pytest.mark.parametrize("text", WORDS)
def test_no_id_inside_ordinary_words(text: str) -> None:
    assert find_dispute_id(text) is None
    assert find_order_id(text) is None
    assert parse_request(text) is None


@pytest.mark.parametrize(
    ("token", "kind"),
    [
        ("SD2510031452310001", IdKind.ORDER),
        ("sd2510031452310001", IdKind.ORDER),
        ("ZF2510201502110014", IdKind.BULK_ORDER),
        ("1627572784056172547", IdKind.ORDER),  # CJ's numeric order id
        ("CJPKL7160102171YQ", IdKind.ORDER),  # CJ order code
        ("SH1990300112233445566", IdKind.DISPUTE),
        ("SHOP-1002", IdKind.SHOP_ORDER),  # the seller's own order number (CJ's orderNum)
        ("#1002", IdKind.SHOP_ORDER),
        ("shipping", IdKind.INVALID),
        ("SHipping", IdKind.INVALID),
        ("How", IdKind.INVALID),
        ("a" * 101, IdKind.INVALID),
    ],
)
def test_id_shapes(token: str, kind: IdKind) -> None:
    assert classify_id(normalize_id(token)) is kind


def test_ids_are_found_in_running_text() -> None:
    assert find_order_id("open a dispute for sd2510031452310001 please") == DELIVERED_FR
    assert find_order_id("the buyer of SHOP-1002 says it broke") == "SHOP-1002"
    assert find_order_id("order #1002 never came") == "#1002"
    assert find_dispute_id("what's up with sh1990300112233445566?") == OPEN_WEB
    assert find_order_id(f"status of {OPEN_WEB}") is None  # a dispute id is no order id


# --- questions versus requests -----------------------------------------------------------------

QUESTIONS_ABOUT_DISPUTES = [
    "customer typed the wrong adress, can i open a dispute",
    "can i open a dispute for a wrong address?",
    "how do I open a dispute?",
    "open dispute in classic cj",
    "create a dispute through the api for a manual order",
    "how to close a dispute i opened by mistake",
    "how do i cancel a dispute in the app",
    "cancel or close dispute on aliexpress",
    "what happens to my order when I open a dispute",
    "is there a deadline to open a dispute?",
]


@pytest.mark.parametrize("text", QUESTIONS_ABOUT_DISPUTES)
def test_questions_that_mention_disputes_are_not_requests(text: str) -> None:
    assert parse_request(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"open a dispute for {DELIVERED_FR}", Request(Intent.OPEN, order_id=DELIVERED_FR)),
        (f"can you open a dispute for {DELIVERED_FR}?", Request(Intent.OPEN, order_id=DELIVERED_FR)),
        (f"{DELIVERED_FR} arrived broken", Request(Intent.OPEN, order_id=DELIVERED_FR)),
        ("open a dispute for SHOP-1002", Request(Intent.OPEN, order_id="SHOP-1002")),
        ("i want to open a new dispute", Request(Intent.OPEN)),
        (f"close {OPEN_WEB}", Request(Intent.CLOSE, dispute_id=OPEN_WEB)),
        (f"cancel dispute {OPEN_WEB} please", Request(Intent.CLOSE, dispute_id=OPEN_WEB)),
        (OPEN_WEB, Request(Intent.STATUS, dispute_id=OPEN_WEB)),
        (f"why was {OPEN_WEB} rejected?", Request(Intent.STATUS, dispute_id=OPEN_WEB)),
        ("show my open disputes", Request(Intent.LIST)),
        ("please cancel my dispute", Request(Intent.CLOSE)),
    ],
)
def test_requests(text: str, expected: Request) -> None:
    assert parse_request(text) == expected


async def test_a_question_about_disputes_is_answered_with_the_action_as_a_button(faq_chat: Chat) -> None:
    text = await faq_chat.send("is there a deadline to open a dispute?")
    assert "Which order is the dispute for" not in text
    assert "Open a dispute" in faq_chat.labels()
    assert _step(faq_chat) is None  # no draft started
    text = await faq_chat.press("Open a dispute")
    assert "Which order is the dispute for" in text  # the button is the request


@pytest.mark.parametrize("text", ["who pays shipping for returns", *QUESTIONS_ABOUT_DISPUTES])
async def test_questions_never_derail_into_a_draft_or_an_id_lookup(faq_chat: Chat, text: str) -> None:
    shown = await faq_chat.send(text)
    assert _step(faq_chat) is None, text
    for derailed in ("has no dispute", "has no order", "is a dispute id", "Which order is the dispute for"):
        assert derailed not in shown, (text, shown)


async def test_shop_order_numbers_are_looked_up(faq_chat: Chat) -> None:
    text = await faq_chat.send("open a dispute for SHOP-1002")
    assert "is a dispute id" not in text
    assert "Order SD2510051030220002: which items" in text or "What went wrong?" in text
    await faq_chat.cmd("dispute")
    text = await faq_chat.send("SHOP-1001")
    assert f"Order {DELIVERED_FR}: which items" in text
    await faq_chat.cmd("dispute")
    text = await faq_chat.send("#1001")
    assert "CJ has no order #1001" in text and _step(faq_chat) == ("open", "order")


# --- a question at every step of every flow -----------------------------------------------------


async def _open(chat: Chat) -> None:
    await chat.cmd("dispute")


async def _items(chat: Chat) -> None:
    await chat.cmd("dispute", DELIVERED_FR)


async def _quantity(chat: Chat) -> None:
    await _items(chat)
    await chat.press("Bamboo")
    await chat.press("Done")


async def _reason(chat: Chat) -> None:
    await _quantity(chat)
    await chat.press("2")


async def _expect(chat: Chat) -> None:
    await _reason(chat)
    await chat.press("Product Damaged")


async def _refund(chat: Chat) -> None:
    await _expect(chat)
    await chat.press("Refund")


async def _message(chat: Chat) -> None:
    await _refund(chat)
    await chat.press("CJ wallet balance")


async def _evidence(chat: Chat) -> None:
    await _message(chat)
    await chat.send("Both trays arrived cracked.")


async def _summary(chat: Chat) -> None:
    await _evidence(chat)
    await chat.press("Skip")


async def _edit(chat: Chat) -> None:
    await _summary(chat)
    await chat.press("Edit")


async def _check(chat: Chat) -> None:
    await _quantity(chat)
    chat.sandbox.add_faults(*[{"fault": "http_5xx", "path": "disputes/disputeConfirmInfo"}] * 4)
    await chat.press("2")


async def _pick(chat: Chat) -> None:
    await chat.cmd("close")


async def _close_order(chat: Chat) -> None:
    await chat.cmd("close", OPEN_WEB)


async def _review(chat: Chat) -> None:
    await _close_order(chat)
    await chat.send("SD2510150911460011")


async def _confirm(chat: Chat) -> None:
    await _review(chat)
    await chat.press("Close this dispute")


STEPS = {
    ("open", "order"): _open,
    ("open", "items"): _items,
    ("open", "qty"): _quantity,
    ("open", "reason"): _reason,
    ("open", "expect"): _expect,
    ("open", "refund"): _refund,
    ("open", "evid"): _evidence,
    ("open", "sum"): _summary,
    ("open", "edit"): _edit,
    ("open", "check"): _check,
    ("close", "pick"): _pick,
    ("close", "order"): _close_order,
    ("close", "review"): _review,
    ("close", "confirm"): _confirm,
}


@pytest.mark.parametrize("where", list(STEPS), ids=lambda w: f"{w[0]}-{w[1]}")
async def test_a_policy_question_at_any_step_is_answered_and_the_draft_kept(
    faq_chat: Chat, where: tuple[str, str]
) -> None:
    await STEPS[where](faq_chat)
    assert _step(faq_chat) == where
    saved = ConversationStore(faq_chat.store).load(faq_chat.actor.chat_id, faq_chat.actor.user_id)
    text = await faq_chat.send(QUESTION)
    assert ANSWERED in text, text
    assert "Back to your draft" in text
    assert ConversationStore(faq_chat.store).load(faq_chat.actor.chat_id, faq_chat.actor.user_id) == saved


async def test_at_the_message_step_a_question_is_not_sent_to_cj_silently(faq_chat: Chat) -> None:
    await _message(faq_chat)
    text = await faq_chat.send(QUESTION)
    assert "Send this to CJ as your message, or was it a question for me?" in text
    assert _step(faq_chat) == ("open", "msg")
    text = await faq_chat.press("It was a question")
    assert ANSWERED in text and "Write the message for CJ" in text
    assert _step(faq_chat) == ("open", "msg")
    text = await faq_chat.send("Why did both trays arrive cracked? The buyer sent photos.")
    assert "or was it a question" in text
    text = await faq_chat.press("Send it to CJ")
    assert "Evidence (optional" in text
    await faq_chat.press("Skip")
    text = await faq_chat.press("Confirm")
    assert len(faq_chat.disputes(DELIVERED_FR)) == 1
    [sent] = audit.recent(faq_chat.store, action="dispute.create")
    assert sent.request["messageText"] == "Why did both trays arrive cracked? The buyer sent photos."


async def test_a_plain_message_is_taken_at_once(faq_chat: Chat) -> None:
    await _message(faq_chat)
    text = await faq_chat.send("Both trays arrived cracked; the buyer emailed photos.")
    assert "Evidence (optional" in text


async def test_views_in_the_middle_of_a_draft_keep_it(faq_chat: Chat) -> None:
    await _reason(faq_chat)
    text = await faq_chat.send(f"status {OPEN_WEB}")
    assert f"Dispute {OPEN_WEB}" in text and "Still waiting on your dispute draft" in text
    assert _step(faq_chat) == ("open", "reason")
