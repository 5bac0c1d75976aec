"""Hardening harness: a seller chat (real engine, real CJ client over HTTP, SQLite on disk) whose
client runs on a fake clock, so retry waits and rate-limit deferrals cost no real time.

Reuses :class:`tests.conversations.conftest.Chat` (``restart()`` = a process restart on the
same database file) and only changes how the CJ client is built.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cj.client import CJClient
from conversations.engine import Engine
from store import open_store
from tests.conversations.conftest import DAY, Chat, FakeClock

WRONG_COLOUR_US = "SD2510051030220002"  # one line, delivered, reissue offered
DELIVERED_FR = "SD2510031452310001"  # two lines, delivered
CLIENT_TIMEOUT = 0.25  # seconds; a `latency` fault longer than this is a client timeout
TIMEOUT_LATENCY = 0.4


class ClientClock:
    """Wall-clock-like time for the CJ client that jumps forward when the client sleeps."""

    def __init__(self) -> None:
        self.now = time.time()
        self.slept = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)
        self.slept += max(0.0, seconds)


class HardChat(Chat):
    """A :class:`Chat` whose CJ client sleeps on a fake clock and times out fast."""

    client_clock: ClientClock

    def _build(self) -> None:
        if not hasattr(self, "client_clock"):
            self.client_clock = ClientClock()
        self.store = open_store(self.db_path)
        self.cj = CJClient(
            self.sandbox.config.api_key,
            base_url=self.sandbox.base_url,
            http=self.http,
            store=self.store,
            qps=1000,
            clock=self.client_clock,
            sleep=self.client_clock.sleep,
            timeout=CLIENT_TIMEOUT,
        )
        self.engine = Engine(self.store, self.cj, self.matcher, clock=self.clock, draft_ttl_seconds=self.ttl)

    def calls(self, path: str) -> int:
        return int(self.sandbox.snapshot()["calls"].get(path, 0))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def chat(
    sandbox: Any, tmp_path: Path, http: httpx.AsyncClient, clock: FakeClock
) -> AsyncIterator[HardChat]:
    c = HardChat(sandbox, tmp_path / "alex.sqlite3", http, clock=clock, ttl=2 * DAY)
    yield c
    await c.close()


FIGURES: list[str] = []  # every [hardening] line of this run, shown again in the terminal summary


def report(title: str, **figures: object) -> None:
    """One line per figure run: printed (``-s``) and repeated in the terminal summary, so
    ``make test-long`` shows them without ``-s``."""
    shown = ", ".join(f"{key}={value}" for key, value in figures.items())
    FIGURES.append(f"[hardening] {title}: {shown}")
    print(f"\n{FIGURES[-1]}")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FIGURES:
        terminalreporter.section("hardening figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
