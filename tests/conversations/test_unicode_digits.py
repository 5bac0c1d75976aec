"""Any Unicode digit ("²", "٣", "五") typed at a number step or forged into button data never
crashes a turn: the seller gets a clear answer and the draft stays where it was (issue 12 item 4).

``"²".isdigit()`` is True while ``int("²")`` raises: code that checks ``isdigit`` then calls ``int``
crashes. Written before the fix; on the old code every case below raised ValueError.
"""

from __future__ import annotations

import pytest

from conversations.events import Event
from store.conversations import ConversationStore
from tests.conversations.conftest import Chat

DELIVERED_FR = "SD2510031452310001"  # dripper ×1 and tray ×2
ODD_DIGITS = ["²", "٣", "五", "¹²", "⁴", "½", "𝟙"]


def _saved_step(chat: Chat) -> str | None:
    saved = ConversationStore(chat.store).load(chat.actor.chat_id, chat.actor.user_id)
    return saved.step if saved else None


def _forged(data: str, value: str) -> Event:
    """A real button of the current prompt with its last field replaced."""
    head, _, _ = data.rpartition(":")
    return Event.of_button(f"{head}:{value}")


async def _at_items(chat: Chat) -> None:
    text = await chat.cmd("dispute", DELIVERED_FR)
    assert "which items" in text


async def _at_quantity(chat: Chat) -> None:
    await _at_items(chat)
    await chat.press("Bamboo")
    text = await chat.press("Done")
    assert "How many" in text


async def _at_reason(chat: Chat) -> None:
    await _at_quantity(chat)
    text = await chat.press("2")
    assert "What went wrong?" in text


async def _at_expect(chat: Chat) -> None:
    await _at_reason(chat)
    text = await chat.press("Product Damaged")
    assert "What do you want CJ to do?" in text


async def _at_refund(chat: Chat) -> None:
    await _at_expect(chat)
    text = await chat.press("Refund")
    assert "Where should the refund go?" in text


async def _at_evidence(chat: Chat) -> None:
    await _at_refund(chat)
    await chat.press("CJ wallet balance")
    await chat.send("Both trays arrived cracked.")


async def _at_summary(chat: Chat) -> None:
    await _at_evidence(chat)
    await chat.press("Skip")


async def _at_edit(chat: Chat) -> None:
    await _at_summary(chat)
    await chat.press("Edit")


async def _at_close_pick(chat: Chat) -> None:
    text = await chat.cmd("close")
    assert "Which dispute do you want to close?" in text


async def _at_close_review(chat: Chat) -> None:
    await _at_close_pick(chat)
    await chat.press(chat.labels()[0])  # SH1990300112233445566: CJ does not say its order
    text = await chat.send("SD2510150911460011")
    assert "Close dispute" in text or "close" in text.lower()


STEPS = {
    "items": _at_items,
    "qty": _at_quantity,
    "reason": _at_reason,
    "expect": _at_expect,
    "refund": _at_refund,
    "evid": _at_evidence,
    "sum": _at_summary,
    "edit": _at_edit,
    "pick": _at_close_pick,
    "review": _at_close_review,
}


@pytest.mark.parametrize("step", list(STEPS))
async def test_typed_unicode_digits_keep_the_draft(chat: Chat, step: str) -> None:
    await STEPS[step](chat)
    before = _saved_step(chat)
    assert before == step
    for digit in ODD_DIGITS:
        text = await chat.send(digit)
        assert text.strip(), digit
        assert _saved_step(chat) == before, digit


@pytest.mark.parametrize("step", list(STEPS))
async def test_forged_unicode_digits_in_buttons_keep_the_draft(chat: Chat, step: str) -> None:
    await STEPS[step](chat)
    before = _saved_step(chat)
    real = [b.data for r in chat.last for row in r.buttons for b in row]
    assert real
    for data in real:
        for digit in ODD_DIGITS:
            replies = await chat.engine.handle(chat.actor, _forged(data, digit))
            assert replies and all(r.text.strip() for r in replies), (data, digit)
            assert _saved_step(chat) == before, (data, digit)
    for data in ("pg:²", "pg:٣", "st:²", "go:disputes:²"):
        replies = await chat.engine.handle(chat.actor, Event.of_button(data))
        assert replies and all(r.text.strip() for r in replies), data
        assert _saved_step(chat) == before, data
