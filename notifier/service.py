"""The notifier as one long-running service: sweep at start, then on an interval; deliver; digest.

``bot/`` starts it next to the Telegram application (``await service.start()`` after the bot
is up, ``await service.stop()`` before it goes down); nothing here imports Telegram. Tasks:

- sweeps: every account at once at start (what changed while Alex was down is delivered once),
  then every ``interval`` seconds, stretched when a sweep needs more than half the account's
  request budget (:func:`notifier.poller.min_interval`);
- the outbox dispatcher, woken when a sweep or a webhook queues something;
- housekeeping every minute: queued CJ webhooks → suggestions, digests, the daily delay scan.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from notifier.clock import Clock, Sleep, system_clock
from notifier.digests import Digests
from notifier.dispatcher import OutboxDispatcher, StepHook, no_hook
from notifier.poller import (
    BUDGET_SHARE,
    DEFAULT_INTERVAL_SECONDS,
    DisputeSource,
    DisputeWatcher,
    SweepReport,
    min_interval,
)
from notifier.sender import Sender
from notifier.suggestions import DelayScanner, WebhookWorker
from notifier.webhooks import WebhookReceiver
from store import chats, outbox, subscriptions, tokens, webhook_messages
from store.db import Store

log = logging.getLogger(__name__)

HOUSEKEEPING_SECONDS = 60.0
DELAY_SCAN_SECONDS = 86_400.0
ERROR_RETRY_SECONDS = 60.0
KEEP_SENT_SECONDS = 30 * 86_400.0  # digest keys must outlive their catch-up window (2 days)
KEEP_WEBHOOKS_SECONDS = 7 * 86_400.0  # CJ retries for 15 minutes at most


@dataclass(frozen=True)
class Account:
    """One CJ account to watch: its id (a hash, never the key), its client and its request rate."""

    account: str
    cj: DisputeSource
    qps: float = 1.0


def subscribed_groups(store: Store) -> list[int]:
    """Subscribed team groups that still let the bot in."""
    return [
        s.chat_id for s in subscriptions.list_subscriptions(store) if not chats.is_blocked(store, s.chat_id)
    ]


@dataclass
class _State:
    last_reports: dict[str, SweepReport] = field(default_factory=dict)
    next_delay_scan: float = 0.0


class NotifierService:
    """Sweeps, delivery and housekeeping for the given accounts; ``receiver`` serves ``POST /webhooks/cj``.

    ``on_step`` is a seam for crash tests (called at each durable step); leave it alone in production.
    """

    def __init__(
        self,
        *,
        store: Store,
        sender: Sender,
        accounts: Sequence[Account],
        clock: Clock = system_clock,
        sleep: Sleep = asyncio.sleep,
        interval: float = DEFAULT_INTERVAL_SECONDS,
        delay_scan: bool = True,
        on_step: StepHook = no_hook,
    ) -> None:
        self.store = store
        self.clock = clock
        self.sleep = sleep
        self.interval = interval
        self.accounts = list(accounts)
        self.delay_scan = delay_scan
        groups = lambda: subscribed_groups(store)  # noqa: E731 - read at call time
        self.watchers = [
            DisputeWatcher(
                store=store, cj=a.cj, account=a.account, groups=groups, clock=clock, on_step=on_step
            )
            for a in self.accounts
        ]
        self.dispatcher = OutboxDispatcher(
            store=store, sender=sender, clock=clock, sleep=sleep, on_step=on_step
        )
        self.digests = Digests(store=store, groups=groups, clock=clock)
        self.webhook_worker = WebhookWorker(store=store, groups=groups, clock=clock)
        self.receiver = WebhookReceiver(
            store=store, open_ids=self.open_ids, clock=clock, on_queued=self._webhook_queued
        )
        self.delay_scanners = [
            DelayScanner(store=store, cj=a.cj, groups=groups, clock=clock)  # type: ignore[arg-type]
            for a in self.accounts
            if hasattr(a.cj, "list_orders")
        ]
        self._state = _State()
        self._tasks: list[asyncio.Task[None]] = []
        self._webhook_event = asyncio.Event()

    @classmethod
    def for_client(cls, *, store: Store, sender: Sender, cj: DisputeSource, settings: Any) -> NotifierService:
        """What ``alex run`` starts: the ``CJ_API_KEY`` account, ``POLL_INTERVAL_SECONDS``, ``CJ_QPS``."""
        account = Account(str(getattr(cj, "account", "default")), cj, qps=float(settings.cj_qps))
        return cls(
            store=store, sender=sender, accounts=[account], interval=float(settings.poll_interval_seconds)
        )

    def open_ids(self) -> Iterable[str]:
        """The accounts' openIds, from the token store: the keys CJ signs webhooks with."""
        for account in self.accounts:
            record = tokens.load_token(self.store, account.account)
            if record is not None and record.open_id:
                yield str(record.open_id)

    # --- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        self.dispatcher.recover()
        self._tasks = [
            asyncio.create_task(self._sweep_loop(), name="notifier-sweeps"),
            asyncio.create_task(self.dispatcher.run(), name="notifier-dispatcher"),
            asyncio.create_task(self._housekeeping_loop(), name="notifier-housekeeping"),
        ]

    async def stop(self) -> None:
        """Stop sweeping and deliver no more, letting a send in flight finish and be marked."""
        for task in self._tasks:
            if task.get_name() != "notifier-dispatcher":
                task.cancel()
        await self.dispatcher.stop()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def __aenter__(self) -> NotifierService:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- work ---------------------------------------------------------------------------

    async def sweep_all(self) -> list[SweepReport]:
        reports = []
        for watcher in self.watchers:
            report = await watcher.sweep()
            self._state.last_reports[watcher.account] = report
            reports.append(report)
            if report.queued:
                self.dispatcher.poke()
        return reports

    def next_interval(self) -> float:
        """The configured interval, stretched so sweeps use at most half of each account's budget."""
        needed = [
            min_interval(r.calls, a.qps, BUDGET_SHARE)
            for a in self.accounts
            if (r := self._state.last_reports.get(a.account)) is not None
        ]
        return max([self.interval, *needed])

    async def _sweep_loop(self) -> None:
        while True:
            try:
                reports = await self.sweep_all()
                for r in reports:
                    log.info(
                        "dispute sweep %s: %d listed, %d changed, %d calls in %.1fs%s",
                        r.account[:8],
                        r.listed,
                        r.changes,
                        r.calls,
                        r.seconds,
                        " (baseline)" if r.baseline else "",
                    )
                wait = self.next_interval()
            except Exception:
                log.exception("dispute sweep failed")
                wait = ERROR_RETRY_SECONDS
            await self.sleep(wait)

    def _webhook_queued(self) -> None:
        self._webhook_event.set()

    async def housekeeping(self) -> None:
        """One round of the periodic chores (also called by tests directly)."""
        now = self.clock()
        outbox.prune_sent(self.store, now - KEEP_SENT_SECONDS)
        webhook_messages.prune_processed(self.store, now - KEEP_WEBHOOKS_SECONDS)
        queued = self.webhook_worker.process_pending()
        queued += self.digests.enqueue_due()
        if self.delay_scan and now >= self._state.next_delay_scan:
            self._state.next_delay_scan = now + DELAY_SCAN_SECONDS
            for scanner in self.delay_scanners:
                queued += (await scanner.scan()).suggested
        if queued:
            self.dispatcher.poke()

    async def _housekeeping_loop(self) -> None:
        while True:
            try:
                await self.housekeeping()
            except Exception:
                log.exception("notifier housekeeping failed")
            self._webhook_event.clear()
            sleeper = asyncio.ensure_future(self.sleep(HOUSEKEEPING_SECONDS))
            waker = asyncio.ensure_future(self._webhook_event.wait())
            try:
                await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                sleeper.cancel()
                waker.cancel()
