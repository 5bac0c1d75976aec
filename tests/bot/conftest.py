"""Fixtures: a fake Bot API server on loopback and the real Application polling it over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application

from alex.settings import Settings, load_settings
from bot.application import ALLOWED_UPDATES, build_application, start_application, stop_application
from conversations.events import Actor, Button, Event, EventKind, Reply
from store.db import Store, open_store
from tests.fakes.telegram_api import FakeTelegramServer

OWNER = 1001  # on ALLOWED_USER_IDS
TEAMMATE = 1002  # on ALLOWED_USER_IDS
STRANGER = 2001
GROUP = -4001


@dataclass
class ScriptedEngine:
    """Stands in for the engine where a test checks the adapter, not the dialogue."""

    events: list[tuple[Actor, Event]] = field(default_factory=list)
    script: Callable[[Actor, Event], list[Reply]] | None = None
    gate: asyncio.Event | None = None  # when set, handle() waits for it (a "slow CJ call")

    async def handle(self, actor: Actor, event: Event) -> list[Reply]:
        self.events.append((actor, event))
        if self.gate is not None:
            await self.gate.wait()
        if self.script is not None:
            return self.script(actor, event)
        what = event.text or event.command or event.data or event.kind.value
        if event.kind is EventKind.MEDIA:
            what = f"{len(event.media)} file(s)"
        return [Reply(text=f"got {what}", buttons=((Button(label="Next", data="n0nce1:step:next"),),))]


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = open_store(tmp_path / "alex.sqlite3")
    yield s  # type: ignore[misc]
    s.close()


@pytest.fixture
def settings(tg: FakeTelegramServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.chdir(tmp_path)  # no stray .env
    return load_settings(
        telegram_bot_token=tg.token,
        telegram_api_base_url=tg.base_url,
        allowed_user_ids=f"{OWNER},{TEAMMATE}",
        cj_api_key="sandbox-key",
        alex_db_path=tmp_path / "alex.sqlite3",
        media_dir=tmp_path / "media",
        public_base_url="https://alex.example.com",
        webhook_secret_token="right-secret_123",
    )


@pytest.fixture
def engine() -> ScriptedEngine:
    return ScriptedEngine()


class Matcher:
    """A two-entry FAQ, shaped like faq.matcher.Matcher, for adapter tests."""

    @dataclass(frozen=True)
    class Entry:
        id: str
        question: str
        answer: str
        source: str

    @dataclass(frozen=True)
    class Answer:
        entry: Any
        score: float
        alternatives: tuple[Any, ...]
        abstained: bool

    ENTRIES = (
        Entry("refund-time", "How long does a refund take?", "CJ refunds within 3-7 days to your balance.",
              "https://cjdropshipping.com/policy"),
        Entry("dispute-window", "When can I open a dispute?", "Within 7 days after the order is delivered.",
              "https://cjdropshipping.com/policy"),
    )

    def answer(self, question: str, *, prefer: str | None = None) -> Answer:
        words = question.lower()
        hits = [e for e in self.ENTRIES if any(w in words for w in e.question.lower().split()[-2:])]
        if not hits:
            return self.Answer(None, 0.0, (), True)
        return self.Answer(hits[0], 90.0, tuple(hits[1:]), False)

    def entry(self, entry_id: str) -> Entry:
        for e in self.ENTRIES:
            if e.id == entry_id:
                return e
        raise KeyError(entry_id)

    def search(self, question: str, limit: int = 5) -> list[tuple[Entry, float]]:
        return [(e, 50.0) for e in self.ENTRIES][:limit] if question.strip() else []


@pytest.fixture
def matcher() -> Matcher:
    return Matcher()


async def start_polling(app: Application) -> None:  # type: ignore[type-arg]
    await start_application(app)
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES)


async def stop_polling(app: Application) -> None:  # type: ignore[type-arg]
    await stop_application(app)


@pytest.fixture
async def bot(
    tg: FakeTelegramServer, settings: Settings, engine: ScriptedEngine, matcher: Matcher, store: Store
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The real Application, long polling the fake server (no public media URL: polling mode)."""
    app = build_application(settings, engine, matcher, store, album_wait=0.05)  # type: ignore[arg-type]
    await start_polling(app)
    yield app
    await stop_polling(app)
