"""The whole bot on loopback: fake Bot API → real Application (long polling) → real Engine →
real CJ client → HTTP → CJ sandbox, on a SQLite file. For access, bad-input and secrets tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from telegram.ext import Application

from alex.settings import Settings, load_settings
from bot.application import build_application
from cj.client import CJClient
from cj.sandbox import SandboxServer
from conversations.engine import Engine
from faq.matcher import load_matcher
from store.db import Store, open_store
from tests.bot.conftest import start_polling, stop_polling
from tests.fakes.telegram_api import DEFAULT_TOKEN, FakeTelegramServer
from tests.hardening.conftest import ClientClock

OWNER = 1001  # on ALLOWED_USER_IDS
TEAMMATE = 1002  # on ALLOWED_USER_IDS
STRANGER = 2001
GROUP = -4001


@dataclass
class BotWorld:
    tg: FakeTelegramServer
    app: Application  # type: ignore[type-arg]
    engine: Engine
    cj: CJClient
    store: Store
    settings: Settings
    sandbox: SandboxServer


@asynccontextmanager
async def bot_world(
    sandbox: SandboxServer, tmp_path: Path, *, token: str = DEFAULT_TOKEN, **settings_overrides: Any
) -> AsyncIterator[BotWorld]:
    store = open_store(tmp_path / "alex.sqlite3")
    clock = ClientClock()
    async with FakeTelegramServer(token) as tg, httpx.AsyncClient() as http:
        settings = load_settings(
            **{
                "telegram_bot_token": tg.token,
                "telegram_api_base_url": tg.base_url,
                "allowed_user_ids": f"{OWNER},{TEAMMATE}",
                "cj_api_key": sandbox.config.api_key,
                "cj_base_url": sandbox.base_url,
                "alex_db_path": tmp_path / "alex.sqlite3",
                "media_dir": tmp_path / "media",
                **settings_overrides,
            }
        )
        cj = CJClient(
            sandbox.config.api_key,
            base_url=sandbox.base_url,
            http=http,
            store=store,
            qps=1000,
            clock=clock,
            sleep=clock.sleep,
        )
        matcher = load_matcher()
        engine = Engine(store, cj, matcher)
        app = build_application(settings, engine, matcher, store, album_wait=0.05)
        await start_polling(app)
        try:
            yield BotWorld(tg, app, engine, cj, store, settings, sandbox)
        finally:
            await stop_polling(app)
            await cj.aclose()
            store.close()


def cj_calls(sandbox: SandboxServer) -> int:
    """Calls that read or change disputes and orders (authentication excluded)."""
    calls = sandbox.snapshot()["calls"]
    return sum(n for path, n in calls.items() if path.startswith(("disputes/", "shopping/", "logistic/")))
