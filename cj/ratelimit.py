"""One request pacer per CJ account, with interactive callers ahead of background pollers.

CJ counts requests per account across every process (1/s on free accounts) and
answers excess calls with code 1600200. Pacing here keeps a process under the
limit instead of learning it from errors. Requests are spaced ``1/qps`` apart
(no bursts: CJ's window is short and undocumented). Waiters are served by
priority, then arrival; a seller waiting on a button never queues behind the
notifier's sweep.

Only one waiter ever sleeps (the head of the queue); the others wait on their
own event. That keeps the pacer exact under an injected fake clock and sleep.

The registry (:func:`limiter_for`) shares a limiter between every client of the
same account in the process. Processes do not coordinate: run one Alex per key.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import IntEnum

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[object]]

DEFAULT_QPS = 1.0
USAGE_WINDOW_SECONDS = 60.0
MAX_SHARED_DEFER_SECONDS = 10.0  # what one rate-limit answer may cost every other caller, at most


class Priority(IntEnum):
    """Lower goes first."""

    INTERACTIVE = 0
    BACKGROUND = 1


@dataclass(frozen=True)
class RateBudget:
    """What a background caller needs to plan a sweep (see :meth:`RateLimiter.budget`)."""

    qps: float
    interval: float  # seconds between two requests
    next_free_in: float  # seconds until a request could start
    waiting_interactive: int
    waiting_background: int
    used_last_minute: int
    used_last_minute_interactive: int

    def requests_in(self, seconds: float) -> int:
        """Requests the account can make in ``seconds`` if nobody else asks."""
        return max(0, int(seconds * self.qps))

    def background_share(self, seconds: float) -> int:
        """Requests a background sweep may plan in ``seconds``, leaving room for the interactive rate
        seen in the last minute and for everyone already queued."""
        interactive_rate = self.used_last_minute_interactive / USAGE_WINDOW_SECONDS
        spare = self.requests_in(seconds) - int(interactive_rate * seconds + 0.999)
        return max(0, spare - self.waiting_interactive - self.waiting_background)


@dataclass(order=True)
class _Waiter:
    priority: int
    seq: int
    event: asyncio.Event = field(compare=False, default_factory=asyncio.Event)


class RateLimiter:
    """Spaces request starts ``1/qps`` seconds apart; :meth:`acquire` before each request."""

    def __init__(
        self, qps: float = DEFAULT_QPS, *, clock: Clock | None = None, sleep: Sleep | None = None
    ) -> None:
        self._clock: Clock = clock or time.monotonic
        self._sleep: Sleep = sleep or asyncio.sleep
        self._qps = DEFAULT_QPS
        self._interval = 1.0 / DEFAULT_QPS
        self.set_qps(qps)
        self._next_at = float("-inf")
        self._queue: list[_Waiter] = []
        self._seq = itertools.count()
        self._sleeping = False
        self._granted: deque[tuple[float, Priority]] = deque()

    @property
    def qps(self) -> float:
        return self._qps

    @property
    def interval(self) -> float:
        return self._interval

    def set_qps(self, qps: float) -> None:
        if not qps > 0:
            raise ValueError("qps must be positive")
        self._qps = float(qps)
        self._interval = 1.0 / qps

    def defer(self, seconds: float) -> None:
        """Push the next request at least ``seconds`` out (at most ``MAX_SHARED_DEFER_SECONDS``):
        CJ said 1600200 or 429, so everyone slows down, but a huge ``Retry-After`` freezes nobody."""
        pause = min(max(0.0, seconds), MAX_SHARED_DEFER_SECONDS) if seconds == seconds else 0.0
        self._next_at = max(self._next_at, self._clock() + pause)

    async def acquire(self, priority: Priority = Priority.INTERACTIVE) -> None:
        """Wait for this caller's turn. Cancellation leaves the queue consistent."""
        waiter = _Waiter(int(priority), next(self._seq))
        heapq.heappush(self._queue, waiter)
        try:
            while True:
                if self._queue[0] is waiter and not self._sleeping:
                    now = self._clock()
                    delay = self._next_at - now
                    if delay <= 0:
                        heapq.heappop(self._queue)
                        self._next_at = now + self._interval
                        self._record(now, priority)
                        self._wake_head()
                        return
                    self._sleeping = True
                    try:
                        await self._sleep(delay)
                        if self._clock() < self._next_at:  # an injected sleep that returns at once
                            await asyncio.sleep(0)  # must not starve the loop while real time catches up
                    finally:
                        self._sleeping = False
                    if self._queue[0] is not waiter:  # someone more urgent arrived while we slept
                        self._wake_head()
                    continue
                waiter.event.clear()
                await waiter.event.wait()
        except BaseException:
            if waiter in self._queue:
                self._queue.remove(waiter)
                heapq.heapify(self._queue)
            self._wake_head()
            raise

    def budget(self) -> RateBudget:
        now = self._clock()
        self._trim(now)
        return RateBudget(
            qps=self.qps,
            interval=self._interval,
            next_free_in=max(0.0, self._next_at - now),
            waiting_interactive=sum(1 for w in self._queue if w.priority == Priority.INTERACTIVE),
            waiting_background=sum(1 for w in self._queue if w.priority != Priority.INTERACTIVE),
            used_last_minute=len(self._granted),
            used_last_minute_interactive=sum(1 for _, p in self._granted if p == Priority.INTERACTIVE),
        )

    def _wake_head(self) -> None:
        if self._queue:
            self._queue[0].event.set()

    def _record(self, now: float, priority: Priority) -> None:
        self._granted.append((now, priority))
        self._trim(now)

    def _trim(self, now: float) -> None:
        while self._granted and self._granted[0][0] <= now - USAGE_WINDOW_SECONDS:
            self._granted.popleft()


_REGISTRY: dict[tuple[str, object, object], RateLimiter] = {}


def limiter_for(
    account: str, qps: float = DEFAULT_QPS, *, clock: Clock | None = None, sleep: Sleep | None = None
) -> RateLimiter:
    """The process-wide limiter of ``account`` (a hash, never the key). The latest ``qps`` wins.

    Limiters are also keyed by the injected clock and sleep so a test's fake time
    never leaks into another test's real time.
    """
    key = (account, clock, sleep)
    limiter = _REGISTRY.get(key)
    if limiter is None:
        limiter = _REGISTRY[key] = RateLimiter(qps, clock=clock, sleep=sleep)
    elif limiter.qps != qps:
        limiter.set_qps(qps)
    return limiter
