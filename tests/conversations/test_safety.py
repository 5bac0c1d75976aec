"""Restarts at every step, double presses, CJ failures mid-flow, stale buttons, expiry."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from conversations.events import Actor, Event
from store.conversations import ConversationStore
from tests.conversations.conftest import DAY, Chat

DELIVERED_FR = "SD2510031452310001"
Step = Callable[[Chat], Awaitable[str]]

HAPPY_PATH: list[tuple[Step, str]] = [
    (lambda c: c.cmd("dispute"), "Which order"),
    (lambda c: c.send(DELIVERED_FR), "which items"),
    (lambda c: c.press("Bamboo"), "☑"),
    (lambda c: c.press("Done"), "How many"),
    (lambda c: c.press("2"), "What went wrong?"),
    (lambda c: c.press("Missing Products"), "What do you want CJ to do?"),
    (lambda c: c.press("Refund"), "Where should the refund go?"),
    (lambda c: c.press("CJ wallet balance"), "1-500 characters"),
    (lambda c: c.send("Only one tray in the parcel."), "Evidence (optional"),
    (lambda c: c.photo("https://example.com/parcel.jpg"), "1 file for CJ"),
    (lambda c: c.press("Done"), "Please check, then Confirm"),
    (lambda c: c.press("Confirm"), "is open for order"),
]


async def test_restart_at_every_step_resumes_with_the_same_answers(chat: Chat) -> None:
    for step, expected in HAPPY_PATH:
        await chat.restart()  # the buttons on screen stay valid: same nonce, same step
        text = await step(chat)
        assert expected in text + " ".join(chat.labels()), text
    [dispute] = chat.disputes(DELIVERED_FR)
    assert dispute["lines"] == [{"lineItemId": "1627572784056172548", "quantity": 2}]
    assert dispute["disputeReasonId"] == 3 and dispute["imageUrl"] == ["https://example.com/parcel.jpg"]


async def test_state_is_saved_on_every_transition(chat: Chat) -> None:
    rows = ConversationStore(chat.store)
    steps = []
    for step, _ in HAPPY_PATH[:-1]:
        await step(chat)
        saved = rows.load(chat.actor.chat_id, chat.actor.user_id)
        assert saved is not None
        steps.append(saved.step)
    assert steps == [
        "order",
        "items",
        "items",
        "qty",
        "reason",
        "expect",
        "refund",
        "msg",
        "evid",
        "evid",
        "sum",
    ]


async def _to_summary(chat: Chat) -> None:
    for step, _ in HAPPY_PATH[:-1]:
        await step(chat)


async def test_double_confirm_makes_one_dispute(chat: Chat) -> None:
    await _to_summary(chat)
    confirm = chat.button("Confirm")
    first = await chat.send(confirm)
    second = await chat.send(confirm)
    assert "is open for order" in first
    assert second.startswith("Already created: SH")
    assert len(chat.disputes(DELIVERED_FR)) == 1


async def test_concurrent_double_confirm_makes_one_dispute(chat: Chat) -> None:
    await _to_summary(chat)
    confirm = chat.button("Confirm")
    replies = await asyncio.gather(
        chat.engine.handle(chat.actor, confirm), chat.engine.handle(chat.actor, confirm)
    )
    texts = sorted(r[0].text for r in replies)
    assert texts[0].startswith("Already created: SH") and "is open for order" in texts[1]
    assert len(chat.disputes(DELIVERED_FR)) == 1


async def test_confirm_after_a_restart_is_recognised(chat: Chat) -> None:
    await _to_summary(chat)
    confirm = chat.button("Confirm")
    await chat.send(confirm)
    await chat.restart()
    assert (await chat.send(confirm)).startswith("Already created: SH")
    assert len(chat.disputes(DELIVERED_FR)) == 1


async def test_cj_outage_during_confirm_info_keeps_the_draft(chat: Chat) -> None:
    await chat.cmd("dispute", DELIVERED_FR)
    await chat.press("Bamboo")
    await chat.press("Done")
    chat.sandbox.add_faults(*[{"fault": "http_5xx", "path": "disputes/disputeConfirmInfo"}] * 4)
    text = await chat.press("2")
    assert "CJ did not answer in time" in text and "Your draft is kept" in text
    assert chat.labels() == ["Try again", "Back", "Cancel"]
    await chat.restart()
    text = await chat.press("Try again")
    assert "What went wrong?" in text


async def test_cj_failure_on_create_keeps_the_draft_and_retry_makes_one(chat: Chat) -> None:
    await _to_summary(chat)
    chat.sandbox.add_faults(*[{"fault": "http_5xx", "path": "disputes/create"}] * 4)
    text = await chat.press("Confirm")
    assert "Your draft is kept" in text and "Alex never opens the same dispute twice" in text
    assert chat.disputes(DELIVERED_FR) == []
    text = await chat.press("Confirm")
    assert "is open for order" in text
    assert len(chat.disputes(DELIVERED_FR)) == 1


async def test_answer_lost_after_create_still_makes_one_dispute(chat: Chat) -> None:
    await _to_summary(chat)
    chat.sandbox.add_faults({"fault": "drop_after_write", "path": "disputes/create"})
    text = await chat.press("Confirm")
    assert "is open for order" in text
    assert len(chat.disputes(DELIVERED_FR)) == 1


async def test_revoked_key_asks_for_the_operator_and_keeps_the_draft(chat: Chat) -> None:
    await chat.cmd("dispute", DELIVERED_FR)
    await chat.press("Dripper")
    chat.sandbox.revoke_key()
    await chat.cmd("disputes")  # any call with the old token still works until CJ re-checks the key
    chat.sandbox.expire_tokens()
    text = await chat.press("Done")
    assert "Alex's CJ connection needs the operator's attention" in text
    assert "Your draft is kept" in text
    saved = ConversationStore(chat.store).load(chat.actor.chat_id, chat.actor.user_id)
    assert saved is not None and saved.step == "check"


async def test_button_from_an_older_message_changes_nothing(chat: Chat) -> None:
    await chat.cmd("dispute", DELIVERED_FR)
    done = chat.button("Done")
    await chat.press("Dripper")
    await chat.send(done)  # Done with the dripper selected: now at the reason step
    text = await chat.send(done)
    assert "That button belongs to an older message or another flow; nothing changed." in text
    assert "What went wrong?" in text  # the current step is shown again
    assert chat.last[0].notice


async def test_button_of_a_cancelled_flow_changes_nothing(chat: Chat) -> None:
    await chat.cmd("dispute", DELIVERED_FR)
    old = chat.button("Dripper")
    text = await chat.cmd("cancel")
    assert "Cancelled your dispute draft for order" in text and "Nothing was sent to CJ" in text
    text = await chat.send(old)
    assert "nothing changed" in text
    assert ConversationStore(chat.store).load(chat.actor.chat_id, chat.actor.user_id) is None


async def test_someone_elses_button_changes_nothing(chat: Chat) -> None:
    await chat.cmd("dispute", DELIVERED_FR)
    mine = chat.button("Dripper")
    colleague = chat.as_user(Actor(user_id=7, chat_id=42, is_group=True))
    text = await colleague.send(mine)
    assert "nothing changed" in text
    await chat.send(Event.of_command("help"))
    assert "☐ Ceramic" in " ".join(chat.labels())  # the reminder shows my draft untouched


async def test_stale_draft_expires_with_a_note(chat: Chat) -> None:
    await chat.cmd("dispute", DELIVERED_FR)
    button = chat.button("Dripper")
    chat.clock.advance(2 * DAY + 1)
    text = await chat.send(button)
    assert "was idle for more than 48 hours and has expired" in text
    assert "nothing changed" in text
    text = await chat.send("hello")
    assert "expired" not in text


async def test_sweep_reports_expired_drafts_once(chat: Chat) -> None:
    await chat.cmd("dispute", DELIVERED_FR)
    chat.clock.advance(DAY)
    assert chat.engine.sweep_expired() == []
    chat.clock.advance(DAY + 1)
    [(chat_id, user_id, note)] = chat.engine.sweep_expired()
    assert (chat_id, user_id) == (42, 42) and "expired" in note.text
    assert chat.engine.sweep_expired() == []


async def test_a_new_flow_replaces_the_draft_and_says_so(chat: Chat) -> None:
    await chat.cmd("dispute", DELIVERED_FR)
    text = await chat.cmd("dispute", "SD2510051030220002")
    assert "I dropped your dispute draft for order SD2510031452310001" in text


async def test_cj_outage_during_the_order_lookup_keeps_the_order_id(chat: Chat) -> None:
    chat.sandbox.add_faults(*[{"fault": "http_5xx", "path": "shopping/order/getOrderDetail"}] * 4)
    text = await chat.cmd("dispute", DELIVERED_FR)
    assert f"CJ did not answer in time while looking up order {DELIVERED_FR}" in text
    await chat.restart()
    text = await chat.press("Try again")
    assert f"Order {DELIVERED_FR}: which items" in text
    chat.sandbox.add_faults(*[{"fault": "busy", "path": "shopping/order/getOrderDetail"}] * 3)
    await chat.press("Back")  # back to the order question
    text = await chat.send("SD2510051030220002")
    assert "CJ did not answer in time" in text
    text = await chat.press("Back")
    assert "Which order is the dispute for?" in text
