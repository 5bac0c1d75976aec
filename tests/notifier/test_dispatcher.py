"""Delivery: flood limits, RetryAfter, blocked users, migrated groups, network trouble, crashes mid-send."""

from __future__ import annotations

import pytest

from notifier.clock import FakeClock
from notifier.dispatcher import GROUP_CHAT_SPACING, OutboxDispatcher
from notifier.errors import ChatBlocked, ChatMigrated, PermanentSendError, RetryLater, TransientSendError
from store import chats, outbox, subscriptions
from store.db import Store
from store.outbox import OutboxItem
from tests.notifier.conftest import GROUP_A, OPENER_CHAT, RecordingSender


def dispatcher(store: Store, sender: RecordingSender, clock: FakeClock, **kw) -> OutboxDispatcher:
    return OutboxDispatcher(store=store, sender=sender, clock=clock, sleep=clock.sleep, **kw)


def queue(store: Store, clock: FakeClock, chat_id: int, n: int, prefix: str = "m") -> None:
    outbox.add(
        store, [OutboxItem(f"{prefix}{i}:{chat_id}", chat_id, f"{prefix} {i}") for i in range(n)], clock()
    )


async def test_every_row_is_sent_once_and_groups_are_paced(store, sender, clock) -> None:
    queue(store, clock, GROUP_A, 5)
    queue(store, clock, OPENER_CHAT, 5)
    start = clock()
    report = await dispatcher(store, sender, clock).deliver_due()
    assert report.sent == 10 and len(sender.sent) == 10
    assert [m.text for m in sender.to(GROUP_A)] == [f"m {i}" for i in range(5)]
    assert clock() - start >= 4 * GROUP_CHAT_SPACING  # 20 a minute in a group
    assert await dispatcher(store, sender, clock).deliver_due() == type(report)()  # nothing left


async def test_retry_after_holds_the_chat_then_sends(store, sender, clock) -> None:
    queue(store, clock, GROUP_A, 2)
    sender.errors = [RetryLater("flood", chat_id=GROUP_A, retry_after=30)]
    start = clock()
    d = dispatcher(store, sender, clock)
    await d.deliver_due()
    assert sender.sent == [] and clock() - start < 30  # held, not slept on
    while outbox.counts(store).pending:
        clock.advance(31)
        await d.deliver_due()
    assert [m.text for m in sender.to(GROUP_A)] == ["m 0", "m 1"]


async def test_blocked_user_is_marked_and_skipped(store, sender, clock) -> None:
    queue(store, clock, OPENER_CHAT, 3)
    sender.errors = [ChatBlocked("blocked", chat_id=OPENER_CHAT)]
    report = await dispatcher(store, sender, clock).deliver_due()
    assert report.blocked_chats == 1 and sender.sent == []
    assert chats.is_blocked(store, OPENER_CHAT)
    queue(store, clock, OPENER_CHAT, 1, prefix="later")
    await dispatcher(store, sender, clock).deliver_due()
    assert sender.sent == [] and outbox.counts(store).dead == 4


async def test_migrated_group_is_followed_with_its_subscription(store, sender, clock) -> None:
    subscriptions.subscribe(store, GROUP_A, title="team", user_id=1, now=0)
    queue(store, clock, GROUP_A, 2)
    sender.errors = [ChatMigrated("migrated", chat_id=GROUP_A, new_chat_id=-1009)]
    report = await dispatcher(store, sender, clock).deliver_due()
    assert report.migrated_chats == 1
    assert [m.chat_id for m in sender.sent] == [-1009, -1009]
    assert [s.chat_id for s in subscriptions.list_subscriptions(store)] == [-1009]
    assert chats.resolve(store, GROUP_A) == -1009
    queue(store, clock, GROUP_A, 1, prefix="late")  # queued for the old id: resolved on the way out
    await dispatcher(store, sender, clock).deliver_due()
    assert sender.sent[-1].chat_id == -1009


async def test_network_errors_back_off_and_permanent_errors_set_the_row_aside(store, sender, clock) -> None:
    queue(store, clock, OPENER_CHAT, 1)
    sender.errors = [TransientSendError("timed out", chat_id=OPENER_CHAT)] * 3
    d = dispatcher(store, sender, clock)
    for _ in range(4):
        await d.deliver_due()
        clock.advance(60)
    assert len(sender.sent) == 1 and outbox.get(store, f"m0:{OPENER_CHAT}").attempts == 4
    queue(store, clock, OPENER_CHAT, 1, prefix="bad")
    sender.errors = [PermanentSendError("message is too long", chat_id=OPENER_CHAT)]
    await d.deliver_due()
    assert outbox.counts(store).dead == 1


class Crash(Exception):
    """The process dies here."""


@pytest.mark.parametrize("step", ["claimed", "marked"])
async def test_a_crash_outside_the_telegram_round_trip_neither_loses_nor_repeats(store, sender, clock, step):
    queue(store, clock, OPENER_CHAT, 3)

    def hook(at: str, key: str) -> None:
        if at == step and key == f"m1:{OPENER_CHAT}":
            raise Crash

    with pytest.raises(Crash):
        await dispatcher(store, sender, clock, on_step=hook).deliver_due()
    restarted = dispatcher(store, sender, clock)
    restarted.recover()
    await restarted.deliver_due()
    assert [m.text for m in sender.sent] == ["m 0", "m 1", "m 2"]


async def test_the_one_window_a_crash_after_telegram_accepted_sends_again(store, sender, clock) -> None:
    """Documented limit: Telegram has no idempotency key, so a row in doubt is resent (at least once)."""
    queue(store, clock, OPENER_CHAT, 1)

    def hook(at: str, key: str) -> None:
        if at == "accepted":
            raise Crash

    with pytest.raises(Crash):
        await dispatcher(store, sender, clock, on_step=hook).deliver_due()
    assert len(outbox.in_doubt(store)) == 1
    restarted = dispatcher(store, sender, clock)
    assert restarted.recover() == 1
    await restarted.deliver_due()
    assert [m.text for m in sender.sent] == ["m 0", "m 0"]


async def test_stop_lets_the_send_in_flight_finish_and_be_marked(store, clock) -> None:
    import asyncio

    gate = asyncio.Event()
    sent: list[str] = []

    class SlowSender:
        async def send(self, message) -> None:
            await gate.wait()
            sent.append(message.text)

    queue(store, clock, OPENER_CHAT, 2)
    d = OutboxDispatcher(store=store, sender=SlowSender(), clock=clock, sleep=clock.sleep)
    task = asyncio.create_task(d.run())
    for _ in range(5):
        await asyncio.sleep(0)
    task.cancel()  # the runner is cancelled mid-send...
    stopping = asyncio.create_task(d.stop())
    gate.set()
    await stopping
    with pytest.raises(asyncio.CancelledError):
        await task
    assert sent == ["m 0"] and outbox.counts(store).sent == 1 and outbox.in_doubt(store) == []
