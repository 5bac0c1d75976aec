"""Retry policy: which failures are retried, how often, and how long it waits (seeded jitter, no sleeps)."""

from __future__ import annotations

import random

import pytest

from cj.errors import (
    BUSY_CODE,
    CJAuthError,
    CJBusinessError,
    CJError,
    CJParamError,
    CJProtocolError,
    CJQuotaExceeded,
    CJRateLimited,
    CJUnavailable,
)
from cj.retry import RetryPolicy, call_with_retry


class Recorder:
    def __init__(self, failures: list[CJError]) -> None:
        self.failures = list(failures)
        self.calls = 0
        self.waits: list[float] = []

    async def operation(self) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "ok"

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)


def policy(seed: int = 7) -> RetryPolicy:
    return RetryPolicy(rng=random.Random(seed))


async def test_outages_are_retried_with_growing_jittered_waits() -> None:
    rec = Recorder([CJUnavailable("HTTP 503"), CJUnavailable("timeout"), CJUnavailable("reset")])
    assert await call_with_retry(rec.operation, policy(), sleep=rec.sleep) == "ok"
    assert rec.calls == 4 and len(rec.waits) == 3
    for attempt, wait in enumerate(rec.waits, start=1):
        ceiling = 0.5 * 2 ** (attempt - 1)
        assert ceiling / 2 <= wait <= ceiling
    again = Recorder([CJUnavailable("a"), CJUnavailable("b"), CJUnavailable("c")])
    await call_with_retry(again.operation, policy(), sleep=again.sleep)
    assert again.waits == rec.waits, "the same seed gives the same schedule"


async def test_outages_give_up_after_max_attempts() -> None:
    rec = Recorder([CJUnavailable(str(i)) for i in range(10)])
    with pytest.raises(CJUnavailable, match="3"):
        await call_with_retry(rec.operation, policy(), sleep=rec.sleep)
    assert rec.calls == 4


async def test_system_busy_is_tried_at_most_three_times() -> None:
    rec = Recorder([CJUnavailable("busy", code=BUSY_CODE) for _ in range(5)])
    with pytest.raises(CJUnavailable):
        await call_with_retry(rec.operation, policy(), sleep=rec.sleep)
    assert rec.calls == 3


async def test_rate_limited_waits_at_least_what_cj_asked() -> None:
    rec = Recorder([CJRateLimited("slow down", retry_after=2.5), CJRateLimited("slow down", retry_after=2.5)])
    assert await call_with_retry(rec.operation, policy(), sleep=rec.sleep) == "ok"
    assert all(w >= 2.5 for w in rec.waits) and rec.calls == 3


@pytest.mark.parametrize(
    "error",
    [
        CJAuthError("key"),
        CJParamError("param"),
        CJBusinessError("order not found"),
        CJQuotaExceeded("quota"),
        CJProtocolError("shape"),
    ],
)
async def test_definitive_failures_are_never_retried(error: CJError) -> None:
    rec = Recorder([error])
    with pytest.raises(type(error)):
        await call_with_retry(rec.operation, policy(), sleep=rec.sleep)
    assert rec.calls == 1 and rec.waits == []


def test_waits_are_capped() -> None:
    p = RetryPolicy(max_delay=8.0, rng=random.Random(1))
    assert all(p.delay(n, CJUnavailable("x")) <= 8.0 for n in range(1, 30))
