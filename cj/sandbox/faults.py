"""Injected failures: a queue of one-shot faults (tests) and seeded random rates (CLI flags).

A queued fault fires on the next call whose path matches (or any path when ``path`` is
None) and is then gone; rates are drawn per call in ``FAULT_NAMES`` order.
"""

from __future__ import annotations

import random
import threading
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cj.sandbox.config import FAULT_NAMES, FaultRates

FaultName = Literal[
    "latency",
    "http_5xx",
    "rate_limited",
    "http_429",
    "busy",
    "drop_after_write",
    "drop_before_write",
    "garbled_after_write",
    "latency_after_write",
]
AFTER_WRITE = frozenset({"drop_after_write", "garbled_after_write", "latency_after_write"})
assert set(FaultName.__args__) == set(FAULT_NAMES)  # type: ignore[attr-defined]


class FaultSpec(BaseModel):
    """One fault: ``{"fault": "drop_after_write", "path": "disputes/create"}``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fault: FaultName
    path: str | None = None  # e.g. "disputes/create"; None matches every API path
    seconds: float | None = Field(default=None, ge=0, le=600)  # latency, latency_after_write
    status: int = Field(default=503, ge=500, le=599)  # http_5xx only
    retry_after: str | None = Field(default=None, max_length=100)  # http_429's Retry-After header, as sent

    def matches(self, path: str) -> bool:
        return self.path is None or self.path.strip("/") == path


class FaultPlan:
    def __init__(self, rates: FaultRates | None = None) -> None:
        self._lock = threading.Lock()
        self._queue: list[FaultSpec] = []
        self.set_rates(rates or FaultRates())

    def set_rates(self, rates: FaultRates) -> None:
        with self._lock:
            self.rates = rates
            self._random = random.Random(rates.seed)

    def enqueue(self, *specs: FaultSpec) -> None:
        with self._lock:
            self._queue.extend(specs)

    def clear(self) -> None:
        """Drop queued faults and zero the rates."""
        with self._lock:
            self._queue.clear()
        self.set_rates(FaultRates())

    def pending(self) -> list[FaultSpec]:
        with self._lock:
            return list(self._queue)

    def pick(self, path: str) -> FaultSpec | None:
        with self._lock:
            for index, spec in enumerate(self._queue):
                if spec.matches(path):
                    return self._queue.pop(index)
            for name in FAULT_NAMES:
                rate = getattr(self.rates, name)
                if rate and self._random.random() < rate:
                    return FaultSpec(fault=name, seconds=self.rates.latency_seconds)
        return None
