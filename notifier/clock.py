"""Injected time. Everything in the notifier asks a ``Clock`` for the time and a ``Sleep`` to wait,
so tests and the benchmark run hours of polling on a fake clock in milliseconds."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Awaitable, Callable

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[object]]


def system_clock() -> float:
    """Wall-clock epoch seconds: digests and ``disputes_seen`` timestamps are calendar times."""
    return time.time()


class FakeClock:
    """A clock that only moves when someone sleeps on it (or :meth:`advance` is called).

    ``await clock.sleep(s)`` parks the caller until fake time reaches ``now + s``; time
    jumps to the earliest parked deadline as soon as every task is waiting, so a
    simulated day passes as fast as the code runs. Use :meth:`advance` to move time by hand.
    """

    def __init__(self, start: float = 1_767_225_600.0) -> None:  # 2026-01-01 00:00 UTC
        self._now = float(start)
        self._parked: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._driver: asyncio.Task[None] | None = None

    def __call__(self) -> float:
        return self._now

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += max(0.0, seconds)
        self._wake_due()

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._parked, (self._now + seconds, next(self._seq), future))
        self._ensure_driver()
        await future

    def _wake_due(self) -> None:
        while self._parked and self._parked[0][0] <= self._now:
            _, _, future = heapq.heappop(self._parked)
            if not future.done():
                future.set_result(None)

    def _ensure_driver(self) -> None:
        if self._driver is None or self._driver.done():
            self._driver = asyncio.get_running_loop().create_task(self._drive())

    async def _drive(self) -> None:
        """Jump to the next deadline once the loop has had several idle turns."""
        while self._parked:
            for _ in range(20):  # let runnable tasks (HTTP replies on loopback aside) make progress
                await asyncio.sleep(0)
            self._parked = [p for p in self._parked if not p[2].done()]
            heapq.heapify(self._parked)
            if not self._parked:
                return
            self._now = max(self._now, self._parked[0][0])
            self._wake_due()
