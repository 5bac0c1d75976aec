"""A seller chatting with the engine: real CJ client over HTTP to the sandbox, SQLite on disk.

``Chat.restart()`` is what a process restart looks like: a new store handle, a new client
and a new :class:`Engine` on the same database file.
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
from conversations.events import Actor, Event, Media, Reply
from store import Store, open_store

DAY = 86_400.0


async def no_sleep(seconds: float) -> None:
    """Retries and rate-limit waits cost nothing in tests."""


class FakeClock:
    """Starts at the real time (the sandbox dates its fixtures from it), then moves only when told."""

    def __init__(self, start: float | None = None) -> None:
        self.now = time.time() if start is None else start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Chat:
    def __init__(
        self,
        sandbox: Any,
        db_path: Path,
        http: httpx.AsyncClient,
        *,
        clock: FakeClock,
        matcher: Any = None,
        actor: Actor | None = None,
        ttl: float = 2 * DAY,
    ) -> None:
        self.sandbox = sandbox
        self.db_path = db_path
        self.http = http
        self.clock = clock
        self.matcher = matcher
        self.actor = actor or Actor(user_id=42, chat_id=42)
        self.ttl = ttl
        self.last: list[Reply] = []
        self.log: list[str] = []
        self.store: Store
        self.cj: CJClient
        self.engine: Engine
        self._build()

    def _build(self) -> None:
        self.store = open_store(self.db_path)
        self.cj = CJClient(
            self.sandbox.config.api_key,
            base_url=self.sandbox.base_url,
            http=self.http,
            store=self.store,
            qps=1000,
            sleep=no_sleep,
        )
        self.engine = Engine(self.store, self.cj, self.matcher, clock=self.clock, draft_ttl_seconds=self.ttl)

    async def restart(self) -> None:
        await self.cj.aclose()
        self.store.close()
        self._build()

    async def close(self) -> None:
        await self.cj.aclose()
        self.store.close()

    def as_user(self, actor: Actor) -> Chat:
        """Another person on the same engine and database."""
        other = object.__new__(Chat)
        other.__dict__.update(self.__dict__)
        other.actor = actor
        other.last = []
        return other

    # --- talking ------------------------------------------------------------

    async def send(self, event: Event | str) -> str:
        if isinstance(event, str):
            event = Event.of_text(event)
        self.last = await self.engine.handle(self.actor, event)
        text = "\n".join(r.text for r in self.last)
        self.log.append(text)
        return text

    async def cmd(self, command: str, args: str = "") -> str:
        return await self.send(Event.of_command(command, args))

    def button(self, label: str) -> Event:
        for r in self.last:
            for row in r.buttons:
                for b in row:
                    if label.lower() in b.label.lower():
                        return Event.of_button(b.data)
        raise AssertionError(f"no button {label!r} in {self.labels()}")

    def labels(self) -> list[str]:
        return [b.label for r in self.last for row in r.buttons for b in row]

    async def press(self, label: str) -> str:
        return await self.send(self.button(label))

    async def photo(self, url: str | None, kind: str = "photo") -> str:
        return await self.send(Event.of_media(Media(kind=kind, file_ref=f"ref-{len(self.log)}", url=url)))  # type: ignore[arg-type]

    def disputes(self, order_id: str | None = None) -> list[dict[str, Any]]:
        found = self.sandbox.snapshot()["disputes"]
        return [d for d in found if order_id is None or d["orderId"] == order_id]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def chat(
    sandbox: Any, tmp_path: Path, http: httpx.AsyncClient, clock: FakeClock
) -> AsyncIterator[Chat]:
    c = Chat(sandbox, tmp_path / "alex.sqlite3", http, clock=clock)
    yield c
    await c.close()
