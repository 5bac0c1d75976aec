"""The button codec: every kind round-trips, nothing over Telegram's 64 bytes is ever built, and
anything that is not exactly one of Alex's buttons is refused, by the codec and by the engine."""

from __future__ import annotations

import pytest

from conversations.buttons import (
    MAX_BYTES,
    ButtonDataError,
    DisputesPage,
    FaqAnswer,
    FaqNoneOfThese,
    FlowPress,
    RunCommand,
    ShowDispute,
    build,
    unpack,
    unpack_as,
)
from conversations.events import Event
from conversations.render import data_button
from notifier.poller import details_button
from notifier.suggestions import open_dispute_button
from store.conversations import ConversationStore
from tests.conversations.conftest import Chat

EXAMPLES = [
    FlowPress(nonce="aB3-_z", step="items", value="t12"),
    ShowDispute(dispute_id="SH1990300112233445566"),
    DisputesPage(page=3),
    FaqAnswer(entry_id="review_time"),
    FaqNoneOfThese(),
    RunCommand(command="disputes"),
    RunCommand(command="close", arg="SH1990300112233445566"),
    RunCommand(command="dispute", arg="#1002"),
]


@pytest.mark.parametrize("data", EXAMPLES, ids=lambda d: d.pack())
def test_round_trip(data: object) -> None:
    packed = data.pack()  # type: ignore[attr-defined]
    assert len(packed.encode()) <= MAX_BYTES
    assert unpack(packed) == data
    assert unpack_as(type(data), packed) == data  # type: ignore[arg-type]


def test_wire_format_is_stable() -> None:
    """Buttons already on screen (and the notifier's pushes in the outbox) keep working."""
    assert ShowDispute(dispute_id="SH1").pack() == "st:SH1"
    assert DisputesPage(page=2).pack() == "pg:2"
    assert FaqAnswer(entry_id="x").pack() == "faq:x"
    assert FaqAnswer(entry_id="x", lang="es").pack() == "faq:x:es"  # "did you mean" in Spanish
    assert unpack("faq:x") == FaqAnswer(entry_id="x", lang="")  # buttons sent before languages
    assert RunCommand(command="disputes").pack() == "go:disputes"
    assert RunCommand(command="close", arg="SH1").pack() == "go:close:SH1"


def test_nothing_over_64_bytes_is_built() -> None:
    too_long = ShowDispute(dispute_id="SH" + "1" * 62)  # "st:" + 64 characters
    assert not too_long.fits()
    with pytest.raises(ButtonDataError):
        too_long.pack()
    assert ShowDispute(dispute_id="SH" + "1" * 59).fits()  # exactly 64 bytes
    assert data_button("Refresh", too_long) is None  # the caller leaves the button out
    assert details_button("SH" + "1" * 70) == ()  # notifier pushes: no button rather than a broken one
    assert open_dispute_button("SD" + "1" * 70) == ()
    assert open_dispute_button("SD2510031452310001") == (
        (("Open a dispute", "go:dispute:SD2510031452310001"),),
    )


FORGED = [
    "",
    ":",
    "::",
    "x" * 64,
    "x" * 65,
    "é" * 33,
    "st:",
    "st:SH1:extra",
    "st:" + "S" * 62,
    "st:SH1 OR 1=1",
    "pg:",
    "pg:-1",
    "pg:²",
    "pg:٣",
    "pg:𝟙",
    "pg:1.5",
    "pg:" + "9" * 20,
    "go:",
    "go:CLOSE",
    "go:close:a:b",
    "go:disputes:²",
    "go:" + "close:" * 10,
    "faq:",
    "faq0:x",
    "f:abc:items",
    "f:abc:items:t²",
    "f:abc:it ems:t1",
    "~cmd:dispute",
    "~faq:x",
    "n0nce1:one:go",  # the old unprefixed flow format
    "\x00" * 10,
    "🧨" * 16,
]


@pytest.mark.parametrize("data", FORGED)
def test_unknown_or_forged_data_is_refused(data: str) -> None:
    assert unpack(data) is None


def test_build_refuses_values_no_button_can_carry() -> None:
    assert build(ShowDispute, dispute_id="SH:1") is None
    assert build(RunCommand, command="close", arg="x y") is None
    assert build(ShowDispute, dispute_id="SH1") == ShowDispute(dispute_id="SH1")
    with pytest.raises(ButtonDataError):
        FlowPress.model_construct(nonce="a:b", step="s", value="v").pack()  # a separator inside a value


async def test_engine_refuses_forged_data_and_keeps_the_draft(chat: Chat) -> None:
    await chat.cmd("dispute", "SD2510031452310001")
    saved = ConversationStore(chat.store).load(chat.actor.chat_id, chat.actor.user_id)
    for data in FORGED:
        replies = await chat.engine.handle(chat.actor, Event.of_button(data))
        assert replies and all(r.text.strip() for r in replies), data
        assert ConversationStore(chat.store).load(chat.actor.chat_id, chat.actor.user_id) == saved, data
    text = await chat.send(Event.of_button("~cmd:dispute"))
    assert "not one Alex knows" in text and "which items" in text  # refused, then the draft shown again
