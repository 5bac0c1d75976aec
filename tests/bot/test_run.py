"""``alex run``: configuration problems are one clear line, before anything starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from alex.settings import ConfigError
from bot import run

ENV = ("TELEGRAM_BOT_TOKEN", "CJ_API_KEY", "PUBLIC_BASE_URL", "WEBHOOK_SECRET_TOKEN")


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


def test_needs_bot_token() -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        run.main([])


def test_needs_cj_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:abc")
    with pytest.raises(ConfigError, match="CJ_API_KEY"):
        run.main([])


def test_webhook_needs_public_url_and_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:abc")
    monkeypatch.setenv("CJ_API_KEY", "key")
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL"):
        run.main(["--webhook"])
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://alex.example.com")
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET_TOKEN"):
        run.main(["--webhook"])


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run.main(["--help"])
    assert "--webhook" in capsys.readouterr().out


async def test_run_polling_serves_until_stopped(tmp_path: Path) -> None:
    import asyncio

    from alex.settings import load_settings
    from bot.application import build_application
    from store.db import open_store
    from tests.bot.conftest import OWNER, Matcher, ScriptedEngine
    from tests.fakes.telegram_api import FakeTelegramServer

    async with FakeTelegramServer() as tg:
        settings = load_settings(telegram_bot_token=tg.token, telegram_api_base_url=tg.base_url,
                                 allowed_user_ids=str(OWNER), cj_api_key="k")
        store = open_store(tmp_path / "a.sqlite3")
        app = build_application(settings, ScriptedEngine(), Matcher(), store)  # type: ignore[arg-type]
        stop = asyncio.Event()
        task = asyncio.create_task(run.run_polling(app, stop))
        tg.push_update(tg.text_update(OWNER, OWNER, "hello"))
        sent = await tg.wait_for("sendMessage", chat_id=OWNER)
        assert sent.text == "got hello"
        assert tg.calls_of("setMyCommands") and tg.calls_of("deleteWebhook")
        stop.set()
        await task
        assert not app.running
        store.close()
