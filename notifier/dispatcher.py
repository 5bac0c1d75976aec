"""Delivering the outbox to Telegram: within the flood limits, each row at least once.

A row is sent twice only when its outcome is unknown: Telegram answered a send after the read
timeout (``TELEGRAM_READ_TIMEOUT_SECONDS``), the connection broke mid-send, or the process was
killed mid-send (below). docs/telegram.md, "Push delivery", states the guarantee.

For one row: *claim* it (committed), send it, mark it *sent* (committed). Between Telegram's
acceptance and the mark there is no ``await``, so cancelling the dispatcher can only interrupt
a send while its HTTP request is in flight; :meth:`OutboxDispatcher.stop` lets that in-flight
send finish and be marked first. Only a hard kill during that one round trip leaves a row *in
doubt*; at start-up such rows are sent again (a possible repeat beats a certain loss).

Errors (``notifier.errors``): a blocked chat is recorded in ``chat_status`` and all its messages
dropped; a migrated group is followed (chat status, subscription and queued rows move to the new
id); ``RetryAfter`` holds that chat for as long as Telegram asks; network errors back off
exponentially; a message Telegram refuses outright is set aside as dead.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from notifier.clock import Clock, Sleep
from notifier.errors import (
    ChatBlocked,
    ChatMigrated,
    PermanentSendError,
    RetryLater,
    SendError,
    TransientSendError,
)
from notifier.sender import PushButton, PushMessage, Sender
from store import chats, outbox, subscriptions
from store.db import Store
from store.outbox import OutboxRow

log = logging.getLogger(__name__)

PRIVATE_CHAT_SPACING = 1.0  # Telegram: about one message per second in a chat
GROUP_CHAT_SPACING = 3.0  # Telegram: 20 messages per minute in a group
GLOBAL_SPACING = 1.0 / 30  # Telegram: about 30 messages per second overall
BACKOFF_BASE_SECONDS = 2.0
BACKOFF_MAX_SECONDS = 600.0
MAX_ATTEMPTS = 25  # with the cap, about three hours of network trouble before a message is set aside
IDLE_POLL_SECONDS = 5.0

StepHook = Callable[[str, str], None]  # (step, dedupe_key); tests crash the process here


def no_hook(step: str, key: str) -> None:
    return None


@dataclass
class DispatchReport:
    sent: int = 0
    retried: int = 0
    dead: int = 0
    blocked_chats: int = 0
    migrated_chats: int = 0


def spacing_for(chat_id: int) -> float:
    return GROUP_CHAT_SPACING if chat_id < 0 else PRIVATE_CHAT_SPACING


def backoff(attempts: int) -> float:
    return min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))


class OutboxDispatcher:
    def __init__(
        self, *, store: Store, sender: Sender, clock: Clock, sleep: Sleep, on_step: StepHook = no_hook
    ) -> None:
        self.store = store
        self.sender = sender
        self.clock = clock
        self.sleep = sleep
        self.on_step = on_step
        self._chat_ready: dict[int, float] = {}
        self._global_ready = 0.0
        self._inflight: asyncio.Task[None] | None = None
        self._wakeup = asyncio.Event()
        self._stopping = False

    # --- lifecycle ------------------------------------------------------------------

    def recover(self) -> int:
        """At start-up: rows claimed by a process that died mid-send go back to the queue."""
        released = outbox.release_in_doubt(self.store, self.clock())
        if released:
            log.warning("%d push message(s) were in flight when Alex stopped; sending them again", released)
        return released

    def poke(self) -> None:
        """New rows were queued: stop idling."""
        self._wakeup.set()

    async def run(self) -> None:
        """Deliver forever; sleeps until the next row is due or :meth:`poke` is called."""
        while not self._stopping:
            self._wakeup.clear()  # a poke while delivering must not be lost
            try:
                await self.deliver_due()
                wait = self._idle_time()
            except Exception:  # e.g. the database is locked for longer than the busy timeout
                log.exception("push delivery failed; trying again shortly")
                wait = IDLE_POLL_SECONDS
            sleeper = asyncio.ensure_future(self.sleep(wait))
            waker = asyncio.ensure_future(self._wakeup.wait())
            try:
                await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in (sleeper, waker):
                    task.cancel()

    async def stop(self) -> None:
        """Graceful stop: the send in flight (if any) completes and is marked before returning."""
        self._stopping = True
        if self._inflight is not None and not self._inflight.done():
            await asyncio.wait({self._inflight})

    def _idle_time(self) -> float:
        now = self.clock()
        next_at = outbox.next_due_at(self.store)
        if next_at is None:
            return IDLE_POLL_SECONDS
        ready = max(next_at, self._global_ready)
        return min(IDLE_POLL_SECONDS, max(0.0, ready - now)) or 0.0

    # --- delivering -------------------------------------------------------------------

    async def deliver_due(self, limit: int = 200) -> DispatchReport:
        """Send every row due now, the earliest chat-ready first; returns when none is due."""
        report = DispatchReport()
        while not self._stopping:
            now = self.clock()
            rows = outbox.due(self.store, now, limit)
            if not rows:
                return report
            row, ready_at = self._pick(rows, now)
            if ready_at > now:
                await self.sleep(ready_at - now)
                continue
            await self._deliver_shielded(row, report)
        return report

    def _pick(self, rows: list[OutboxRow], now: float) -> tuple[OutboxRow, float]:
        best, best_at = rows[0], float("inf")
        for row in rows:
            at = max(self._chat_ready.get(row.chat_id, 0.0), self._global_ready)
            if at <= now:
                return row, at
            if at < best_at:
                best, best_at = row, at
        return best, best_at

    async def _deliver_shielded(self, row: OutboxRow, report: DispatchReport) -> None:
        self._inflight = asyncio.ensure_future(self._deliver(row, report))
        await asyncio.shield(self._inflight)

    async def _deliver(self, row: OutboxRow, report: DispatchReport) -> None:
        key = row.dedupe_key
        chat_id = chats.resolve(self.store, row.chat_id)
        if chat_id != row.chat_id:
            outbox.retarget(self.store, row.chat_id, chat_id)
        if chats.is_blocked(self.store, chat_id):
            report.dead += outbox.kill_chat(self.store, chat_id, "chat blocked the bot")
            return
        if not outbox.claim(self.store, key, self.clock()):
            return
        self.on_step("claimed", key)
        message = _message(row, chat_id)
        now = self.clock()
        self._global_ready = now + GLOBAL_SPACING
        self._chat_ready[chat_id] = now + spacing_for(chat_id)
        try:
            await self.sender.send(message)
        except SendError as exc:
            self._handle_error(exc, row, chat_id, report)
            return
        except Exception as exc:  # a bug in a sender must not lose the message
            log.exception("push sender failed unexpectedly")
            self._retry(row, f"{type(exc).__name__}", report)
            return
        self.on_step("accepted", key)
        outbox.mark_sent(self.store, key, self.clock())
        report.sent += 1
        self.on_step("marked", key)

    def _handle_error(self, exc: SendError, row: OutboxRow, chat_id: int, report: DispatchReport) -> None:
        now = self.clock()
        key = row.dedupe_key
        if isinstance(exc, ChatBlocked):
            chats.set_blocked(self.store, chat_id, True, now=now)
            killed = outbox.kill_chat(self.store, chat_id, "chat blocked the bot")
            report.blocked_chats += 1
            report.dead += killed
            log.info("chat %s blocked the bot; %d queued message(s) dropped", chat_id, killed)
        elif isinstance(exc, ChatMigrated):
            chats.set_migrated(self.store, chat_id, exc.new_chat_id, now=now)
            subscriptions.migrate(self.store, chat_id, exc.new_chat_id)
            outbox.retarget(self.store, chat_id, exc.new_chat_id)
            report.migrated_chats += 1
            log.info("group %s moved to %s; following it", chat_id, exc.new_chat_id)
        elif isinstance(exc, RetryLater):
            until = now + exc.retry_after
            outbox.defer(self.store, key, until, f"flood control: retry after {exc.retry_after:g}s")
            outbox.defer_chat(self.store, chat_id, until, f"flood control: retry after {exc.retry_after:g}s")
            self._chat_ready[chat_id] = until
            report.retried += 1
        elif isinstance(exc, PermanentSendError):
            outbox.mark_dead(self.store, key, str(exc))
            report.dead += 1
            log.warning("push message %s refused by Telegram: %s", key, exc)
        else:  # TransientSendError and anything else retryable
            self._retry(row, str(exc) if isinstance(exc, TransientSendError) else type(exc).__name__, report)

    def _retry(self, row: OutboxRow, error: str, report: DispatchReport) -> None:
        attempts = row.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            outbox.mark_dead(self.store, row.dedupe_key, f"gave up after {attempts} attempts: {error}")
            report.dead += 1
            return
        outbox.defer(self.store, row.dedupe_key, self.clock() + backoff(attempts), error)
        report.retried += 1


def _message(row: OutboxRow, chat_id: int) -> PushMessage:
    buttons = tuple(tuple(PushButton(label=label, data=data) for label, data in r) for r in row.buttons)
    return PushMessage(chat_id=chat_id, text=row.text, buttons=buttons, photo=row.photo)
