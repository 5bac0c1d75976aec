"""Exactly once across crashes: 200 changes, 50 restarts at random moments, 200 messages per recipient.

A "restart" kills the process at a random step (after listing, after recording a sweep, after
claiming a message, after marking it sent) by raising from the notifier's step hook, drops
every object and reopens the SQLite file. Uncommitted work is lost exactly as in a real crash
(the transaction rolls back). The one step never used is "accepted" (Telegram took the message,
the mark is not written yet): that window is the documented limit, tested on its own in
``test_dispatcher.py``.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from telegram import Bot

from bot.push_sender import TelegramPushSender
from notifier.clock import FakeClock
from notifier.dispatcher import OutboxDispatcher
from notifier.poller import DisputeWatcher
from notifier.sender import Sender
from store import disputes_seen, open_store, outbox, subscriptions
from tests.fakes.telegram_api import DEFAULT_TOKEN, FakeTelegramServer
from tests.notifier.conftest import ACCOUNT, GROUP_A, GROUP_B, OPENER_CHAT, OPENER_USER, RecordingSender
from tests.notifier.fake_cj import FakeDisputeCJ

DISPUTES = 40
STEPS = (  # five distinct changes per dispute: 40 x 5 = 200
    {"status": "Reviewing"},
    {"status": "Negotiating"},
    {"money": 5.0},
    {"finallyDeal": 1, "money": 12.5},
    {"status": "Finished"},
)
RESTARTS = 50
CRASH_STEPS = frozenset({"listed", "recorded", "claimed", "marked"})


class Crash(Exception):
    pass


class Life:
    """One process lifetime: fresh store connection, watcher and dispatcher; dies after ``budget`` steps."""

    def __init__(
        self, path: Path, cj: FakeDisputeCJ, sender: Sender, clock: FakeClock, budget: int | None
    ) -> None:
        self.store = open_store(path)
        self.budget = budget
        self.steps = 0
        groups = lambda: [s.chat_id for s in subscriptions.list_subscriptions(self.store)]  # noqa: E731
        self.watcher = DisputeWatcher(
            store=self.store, cj=cj, account=ACCOUNT, groups=groups, clock=clock, on_step=self.step
        )
        self.dispatcher = OutboxDispatcher(
            store=self.store, sender=sender, clock=clock, sleep=clock.sleep, on_step=self.step
        )

    def step(self, at: str, key: str) -> None:
        if at not in CRASH_STEPS or self.budget is None:
            return
        self.steps += 1
        if self.steps >= self.budget:
            raise Crash(at)

    def recorded(self, cj: FakeDisputeCJ) -> bool:
        for dispute_id, record in cj.disputes.items():
            seen = disputes_seen.get(self.store, dispute_id)
            if (
                seen is None
                or (seen.status or "") != record["status"]
                or seen.finally_deal != record["finallyDeal"]
            ):
                return False
            if float(seen.money) != float(record["money"]):
                return False
        return True


@pytest.mark.parametrize(
    ("transport", "disputes", "restarts"),
    [("fake Bot API", DISPUTES, RESTARTS), ("in memory", DISPUTES, RESTARTS)],
)
async def test_restarts_at_random_moments_give_exactly_one_message_per_change_and_recipient(
    tmp_path: Path, transport: str, disputes: int, restarts: int
) -> None:
    if transport == "in memory":
        recorder = RecordingSender()
        await run_world(tmp_path, recorder, disputes, restarts)
        sent = {chat: [m.text for m in recorder.to(chat)] for chat in (OPENER_CHAT, GROUP_A, GROUP_B)}
    else:
        async with FakeTelegramServer() as tg, Bot(DEFAULT_TOKEN, base_url=tg.base_url) as bot:
            await run_world(tmp_path, TelegramPushSender(bot), disputes, restarts)
            sent = {
                chat: [c.text or "" for c in tg.calls_of("sendMessage", chat_id=chat)]
                for chat in (OPENER_CHAT, GROUP_A, GROUP_B)
            }
    changes = disputes * len(STEPS)  # 200 in the full run
    for chat, texts in sent.items():
        assert len(texts) == changes, chat
        assert len(set(texts)) == changes, chat


async def run_world(tmp_path: Path, sender: Sender, disputes: int, restarts: int) -> None:
    path = tmp_path / "alex.sqlite3"
    rng = random.Random(20261123)
    clock = FakeClock()
    cj = FakeDisputeCJ()
    setup = open_store(path)
    subscriptions.subscribe(setup, GROUP_A, title="team", user_id=1, now=0)
    subscriptions.subscribe(setup, GROUP_B, title="ops", user_id=1, now=0)
    for i in range(disputes):
        cj.add(f"SH{i:03d}", f"SD{i:03d}")
        disputes_seen.record_opener(
            setup, f"SH{i:03d}", f"SD{i:03d}", ACCOUNT, OPENER_USER, OPENER_CHAT, now=0
        )
    setup.close()

    batches = []  # up to 4 changes, to 4 different disputes (two changes between sweeps would merge)
    for step in STEPS:
        order = [f"SH{d:03d}" for d in rng.sample(range(disputes), disputes)]
        batches += [[(d, step) for d in order[i : i + 4]] for i in range(0, disputes, 4)]
    first_sweep_done = False
    crashes = 0
    done = False
    while not done:
        life = Life(path, cj, sender, clock, rng.randint(1, 25) if crashes < restarts else None)
        try:
            life.dispatcher.recover()
            while True:
                if first_sweep_done and life.recorded(cj):
                    if batches:
                        for dispute_id, change in batches.pop(0):
                            cj.set(dispute_id, **change)
                    elif outbox.counts(life.store).pending == 0:
                        done = True
                        break
                await life.watcher.sweep()
                first_sweep_done = True
                await life.dispatcher.deliver_due()
                clock.advance(300)
        except Crash:
            crashes += 1
        finally:
            life.store.close()

    assert crashes == restarts
