"""The per-account pacer on a fake clock: spacing, priorities, cancellation, budget, registry."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cj.ratelimit import Priority, RateLimiter, limiter_for

T = TypeVar("T")


class FakeTime:
    """A clock and a sleep that never wait: ``drive`` advances time to the next sleeper whenever
    every task is blocked, so paced code runs at full speed with exact timings."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start
        self.slept: list[float] = []
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(0.0, seconds), next(self._seq), future))
        await future

    @property
    def sleeping(self) -> int:
        return sum(1 for *_, f in self._sleepers if not f.done())

    async def settle(self, rounds: int = 20) -> None:
        for _ in range(rounds):
            await asyncio.sleep(0)

    def wake_next(self) -> bool:
        while self._sleepers:
            at, _, future = heapq.heappop(self._sleepers)
            if not future.done():
                self.now = max(self.now, at)
                future.set_result(None)
                return True
        return False

    async def drive(self, awaitable: Awaitable[T]) -> T:
        task = asyncio.ensure_future(awaitable)
        while not task.done():
            await self.settle()
            if not task.done() and not self.wake_next():
                await asyncio.sleep(0.001)  # blocked on real I/O (the sandbox), not on time
        return task.result()


async def _grant_times(limiter: RateLimiter, clock: FakeTime, priorities: list[Priority]) -> list[float]:
    times: list[float] = []

    async def one(priority: Priority) -> None:
        await limiter.acquire(priority)
        times.append(clock.now)

    await clock.drive(asyncio.gather(*(one(p) for p in priorities)))
    return times


async def test_requests_are_spaced_one_interval_apart() -> None:
    clock = FakeTime()
    limiter = RateLimiter(4, clock=clock, sleep=clock.sleep)
    times = await _grant_times(limiter, clock, [Priority.INTERACTIVE] * 9)
    assert times == pytest.approx([1_000 + i * 0.25 for i in range(9)])


async def test_an_idle_limiter_grants_at_once_and_default_is_one_per_second() -> None:
    clock = FakeTime()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    await limiter.acquire()
    assert clock.slept == []
    clock.now += 5
    await limiter.acquire()
    assert clock.slept == []
    times = await _grant_times(limiter, clock, [Priority.INTERACTIVE] * 2)
    assert times == pytest.approx([1_006.0, 1_007.0])


async def test_interactive_callers_overtake_queued_background_ones() -> None:
    clock = FakeTime()
    limiter = RateLimiter(1, clock=clock, sleep=clock.sleep)
    order: list[str] = []

    async def one(name: str, priority: Priority) -> None:
        await limiter.acquire(priority)
        order.append(name)

    background = [asyncio.ensure_future(one(f"bg{i}", Priority.BACKGROUND)) for i in range(4)]
    await clock.settle()
    assert order == ["bg0"] and clock.sleeping == 1  # bg1 waits for the next slot, bg2-3 queue behind it
    interactive = [asyncio.ensure_future(one(f"ui{i}", Priority.INTERACTIVE)) for i in range(2)]
    await clock.drive(asyncio.gather(*background, *interactive))
    assert order == ["bg0", "ui0", "ui1", "bg1", "bg2", "bg3"]


async def test_a_cancelled_waiter_leaves_the_queue_working() -> None:
    clock = FakeTime()
    limiter = RateLimiter(1, clock=clock, sleep=clock.sleep)
    await limiter.acquire()
    sleeper = asyncio.ensure_future(limiter.acquire())
    queued = asyncio.ensure_future(limiter.acquire(Priority.BACKGROUND))
    await clock.settle()
    sleeper.cancel()
    await clock.drive(queued)
    assert sleeper.cancelled() and clock.now == pytest.approx(1_001.0)
    assert limiter.budget().waiting_background == 0


async def test_defer_pushes_everyone_back() -> None:
    clock = FakeTime()
    limiter = RateLimiter(2, clock=clock, sleep=clock.sleep)
    await limiter.acquire()
    limiter.defer(3.0)
    await clock.drive(limiter.acquire())
    assert clock.now == pytest.approx(1_003.0)


async def test_budget_tells_the_notifier_what_it_may_plan() -> None:
    clock = FakeTime()
    limiter = RateLimiter(2, clock=clock, sleep=clock.sleep)
    await _grant_times(limiter, clock, [Priority.INTERACTIVE] * 4 + [Priority.BACKGROUND] * 2)
    budget = limiter.budget()
    assert (budget.qps, budget.interval) == (2.0, 0.5)
    assert (budget.used_last_minute, budget.used_last_minute_interactive) == (6, 4)
    assert budget.next_free_in == pytest.approx(0.5)
    assert budget.requests_in(300) == 600
    assert budget.background_share(300) == 600 - 20  # 4 interactive calls a minute → 20 in 5 minutes
    clock.now += 120
    assert limiter.budget().used_last_minute == 0


def test_registry_shares_one_limiter_per_account_and_updates_qps() -> None:
    first = limiter_for("acct-registry-test", 1.0)
    assert limiter_for("acct-registry-test", 1.0) is first
    assert limiter_for("acct-registry-test", 4.0) is first and first.qps == 4.0
    assert limiter_for("other-registry-test", 1.0) is not first
    with pytest.raises(ValueError):
        RateLimiter(0)


@settings(max_examples=60, deadline=None)
@given(
    arrivals=st.lists(
        st.tuples(st.sampled_from(list(Priority)), st.floats(min_value=0, max_value=4, allow_nan=False)),
        min_size=1,
        max_size=25,
    ),
    qps=st.sampled_from([0.5, 1.0, 2.0, 6.0]),
)
def test_any_arrival_pattern_keeps_spacing_and_priority(
    arrivals: list[tuple[Priority, float]], qps: float
) -> None:
    async def scenario() -> list[tuple[float, float, Priority]]:
        clock = FakeTime(start=0.0)
        limiter = RateLimiter(qps, clock=clock, sleep=clock.sleep)
        grants: list[tuple[float, float, Priority]] = []

        async def one(priority: Priority, arrive: float) -> None:
            await clock.sleep(arrive)
            arrived = clock.now
            await limiter.acquire(priority)
            grants.append((arrived, clock.now, priority))

        await clock.drive(asyncio.gather(*(one(p, a) for p, a in arrivals)))
        return grants

    grants = asyncio.run(scenario())
    assert len(grants) == len(arrivals)
    times = sorted(g for _, g, _ in grants)
    assert all(b - a >= 1 / qps - 1e-9 for a, b in itertools.pairwise(times))
    for _, granted, priority in grants:
        if priority is Priority.BACKGROUND:
            overtaken = [
                g for a, g, p in grants if p is Priority.INTERACTIVE and a < granted - 1e-6 and g > granted
            ]
            assert not overtaken, "a background call went while an interactive one was waiting"
