"""Bounded retries of transient CJ failures, with exponential backoff and jitter.

Retried: system busy (1600000, at most :attr:`RetryPolicy.busy_attempts` tries in
all, as CJ asks), HTTP 5xx, timeouts and connection errors (:class:`CJUnavailable`),
and rate limiting (1600200 / HTTP 429, after waiting at least what CJ asked).
Never retried: auth, param, business, quota and protocol errors: trying again
cannot change CJ's answer. Writes decide themselves whether a retry is safe: the
operation passed in is called again as is, so a write wraps its own "did the
first try land?" check into it (see ``CJClient.create_dispute``).

Every wait is bounded: CJ's ``Retry-After`` is capped at a minute where it arrives
(:func:`cj.errors.cap_wait`), and a retry that would wait longer than
:attr:`RetryPolicy.max_wait` is not made: the error goes to the caller at once (the seller is
told CJ is busy and keeps the draft), so one hostile 429 never holds a chat.

Jitter comes from an injectable ``random.Random`` and waiting from an injectable
sleep, so tests replay the exact schedule without waiting.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from cj.errors import BUSY_CODE, CJError, CJRateLimited, CJUnavailable, cap_wait

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[object]]

log = logging.getLogger(__name__)


@dataclass
class RetryPolicy:
    """How hard to try. Defaults: 4 tries for outages, 3 for "system busy", 5 when rate limited."""

    max_attempts: int = 4
    busy_attempts: int = 3
    rate_limited_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_wait: float = 10.0  # a retry needing a longer wait is not made: the caller hears "busy" now
    rng: random.Random = field(default_factory=random.Random)

    def attempts_for(self, error: CJError) -> int:
        """Total tries allowed for this kind of failure (1 means: do not retry)."""
        if isinstance(error, CJRateLimited):
            return self.rate_limited_attempts
        if isinstance(error, CJUnavailable):
            return self.busy_attempts if error.code == BUSY_CODE else self.max_attempts
        return 1

    def delay(self, attempt: int, error: CJError) -> float:
        """Seconds to wait after failed try number ``attempt`` (1-based): "equal jitter" backoff,
        never shorter than what CJ asked for in a rate-limit answer."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        wait = ceiling / 2 + self.rng.uniform(0, ceiling / 2)
        if isinstance(error, CJRateLimited):
            wait = max(wait, error.retry_after)
        return cap_wait(wait)


NO_RETRY = RetryPolicy(max_attempts=1, busy_attempts=1, rate_limited_attempts=1)


async def call_with_retry(
    operation: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    sleep: Sleep | None = None,
    on_retry: Callable[[int, CJError, float], None] | None = None,
    what: str = "CJ call",
) -> T:
    """Run ``operation`` until it succeeds, fails for good, or runs out of tries; the last error is raised."""
    pause = sleep or asyncio.sleep
    attempt = 1
    while True:
        try:
            return await operation()
        except CJError as error:
            if not error.retryable or attempt >= policy.attempts_for(error):
                raise
            wait = policy.delay(attempt, error)
            if wait > policy.max_wait:
                log.info("%s failed (%s); CJ asks for %.0fs, more than Alex waits: giving up", what,
                         type(error).__name__, wait)
                raise
            log.info(
                "%s failed (%s: %s); try %d in %.2fs", what, type(error).__name__, error, attempt + 1, wait
            )
            if on_retry is not None:
                on_retry(attempt, error, wait)
            await pause(wait)
            attempt += 1
