"""The sandbox's notion of time: one monotonic source plus an offset that admins can advance.

Token expiry, QPS windows and dispute decisions all read this clock, so a test that
advances it by an hour sees everything an hour later without waiting.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class SandboxClock:
    def __init__(self, source: Callable[[], float] | None = None, start_time: datetime | None = None) -> None:
        self._source = source or time.monotonic
        self._offset = 0.0
        self._lock = threading.Lock()
        self._start_mono = self._source()
        start = start_time or datetime.now(UTC)
        self._start_wall = start if start.tzinfo else start.replace(tzinfo=UTC)

    def monotonic(self) -> float:
        with self._lock:
            return self._source() + self._offset

    def advance(self, seconds: float) -> None:
        """Move time forward (never back: expiries and decisions must not un-happen)."""
        if seconds < 0:
            raise ValueError("the sandbox clock only moves forward")
        with self._lock:
            self._offset += seconds

    def now(self) -> datetime:
        """Wall time (UTC) as the sandbox sees it."""
        return self._start_wall + timedelta(seconds=self.monotonic() - self._start_mono)

    @property
    def start_wall(self) -> datetime:
        return self._start_wall

    @property
    def offset(self) -> float:
        return self._offset
