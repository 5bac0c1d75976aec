"""CJ's per-account QPS limit as a token bucket on the sandbox clock (so tests never wait)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    tokens: float
    updated: float


class QpsLimiter:
    """``allow(key)`` is False when ``key`` went over ``qps`` calls per second; refused calls cost nothing."""

    def __init__(self, qps: float, clock: Callable[[], float]) -> None:
        self.qps = qps
        self._capacity = max(1.0, qps)
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def allow(self, key: str) -> bool:
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(tokens=self._capacity, updated=now)
        bucket.tokens = min(self._capacity, bucket.tokens + (now - bucket.updated) * self.qps)
        bucket.updated = now
        if bucket.tokens < 1.0:
            return False
        bucket.tokens -= 1.0
        return True

    def reset(self) -> None:
        self._buckets.clear()
