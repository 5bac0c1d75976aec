"""Notifier fixtures: a store on disk, a fake clock, an in-memory CJ and a recording sender."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from notifier.clock import FakeClock
from notifier.errors import SendError
from notifier.sender import PushMessage
from store import open_store
from store.db import Store
from tests.notifier.fake_cj import FakeDisputeCJ

ACCOUNT = "acct-test"
OPENER_USER = 501
OPENER_CHAT = 501
GROUP_A = -1001
GROUP_B = -1002


class RecordingSender:
    """Accepts every message (or raises the scripted errors first) and remembers what it sent."""

    def __init__(self) -> None:
        self.sent: list[PushMessage] = []
        self.errors: list[SendError] = []

    async def send(self, message: PushMessage) -> None:
        if self.errors and self.errors[0].chat_id == message.chat_id:
            raise self.errors.pop(0)
        self.sent.append(message)

    def to(self, chat_id: int) -> list[PushMessage]:
        return [m for m in self.sent if m.chat_id == chat_id]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "alex.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = open_store(db_path)
    yield s
    s.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake_cj() -> FakeDisputeCJ:
    return FakeDisputeCJ()


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()
