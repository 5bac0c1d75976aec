"""Secrets never leak: a full run with every log record captured at DEBUG, then searched.

The run: ``alex check`` and ``alex cj ...`` (CLI, same database), the bot over the fake Bot API
with the real engine against the sandbox (a dispute opened, listed, read, closed; a stranger
refused), a token expiry and refresh, a garbled CJ answer, then the API key revoked (the
operator's error path) and the CLI run again. Logging is set up exactly as ``alex run`` does
(``bot.logs.configure_logging``, level DEBUG) and a second handler placed *before* its
redacting filter sees every raw record of every logger.

Searched for the bot token (and its secret half), the CJ API key, every access and refresh
token the run obtained, the openId and the webhook secret: the raw and written logs, CLI
stdout/stderr, the str() and repr() of every CJ exception raised, every message the bot sent,
and a dump of every SQLite table except ``cj_tokens`` (the token cache, which must hold the
tokens and the openId, but not the key; see SECURITY.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
from pathlib import Path

import pytest

from alex.cli import main as alex_main
from bot.logs import configure_logging
from cj.errors import CJError
from store.tokens import load_token
from tests.bot.test_end_to_end import TelegramChat
from tests.conftest import SandboxFactory
from tests.hardening.botworld import OWNER, STRANGER, BotWorld, bot_world
from tests.hardening.conftest import report

API_KEY = "HK-cj-api-key-9f8e7d6c5b4a3210"
BOT_TOKEN = "987654321:HARDEN-bot-token_ZyXwVuTsRqPoNmLk"
WEBHOOK_SECRET = "HK-webhook-secret-0a1b2c3d"
OPEN_ID = "1876543210987654321"
WRONG_COLOUR_US = "SD2510051030220002"
THIRD_PARTY = ("telegram.", "httpx", "httpcore", "uvicorn", "apscheduler", "hpack")


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.third_party: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        text = self.format(record)
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        # python-telegram-bot logs its Bot API URL (with the token) at DEBUG when the bot starts:
        # only the redacting handler stands between that and the log file, so it is kept apart
        (self.third_party if record.name.startswith(THIRD_PARTY) else self.lines).append(text)


@contextlib.contextmanager
def production_logging() -> object:
    """``alex run``'s logging at DEBUG, plus a raw capture in front of its redacting handler."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    raw = Capture()
    written = io.StringIO()
    configure_logging("DEBUG", [BOT_TOKEN, API_KEY, WEBHOOK_SECRET])
    prod = root.handlers[0]
    assert isinstance(prod, logging.StreamHandler)
    prod.setStream(written)
    root.handlers.insert(0, raw)
    try:
        yield raw, written
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])


def _dump_tables(world: BotWorld) -> tuple[str, str]:
    conn = world.store.conn
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    other, tokens = [], []
    for table in tables:
        rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
        (tokens if table == "cj_tokens" else other).append(f"{table}: {rows!r}")
    return "\n".join(other), "\n".join(tokens)


async def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = await asyncio.to_thread(alex_main, list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err


async def test_no_secret_in_logs_errors_messages_or_database(
    sandbox_factory: SandboxFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    errors: list[str] = []
    cli_output: list[str] = []
    tokens: set[str] = set()
    async with sandbox_factory(api_key=API_KEY) as sandbox:
        for name, value in {
            "CJ_API_KEY": API_KEY,
            "CJ_BASE_URL": sandbox.base_url,
            "CJ_QPS": "50",
            "ALEX_DB_PATH": str(tmp_path / "alex.sqlite3"),
            "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
            "WEBHOOK_SECRET_TOKEN": WEBHOOK_SECRET,
        }.items():
            monkeypatch.setenv(name, value)
        with production_logging() as (raw, written):
            async with bot_world(
                sandbox, tmp_path, token=BOT_TOKEN, webhook_secret_token=WEBHOOK_SECRET
            ) as world:

                def remember() -> None:
                    record = load_token(world.store, world.cj.account)
                    if record is not None:
                        tokens.update({record.access_token, record.refresh_token})

                for argv in (
                    ["check"],
                    ["cj", "orders"],
                    ["cj", "disputes", "--json"],
                    ["cj", "order", WRONG_COLOUR_US],
                ):
                    code, out = await _cli(capsys, *argv)
                    cli_output.append(out)
                    assert code == 0, out
                remember()
                owner = TelegramChat(world.tg, OWNER)
                await owner.send(f"/dispute {WRONG_COLOUR_US}")
                await owner.press("Done")
                await owner.press("Wrong Product Received")
                await owner.press("Reissue")
                await owner.send("Blue instead of black.")
                await owner.press("Skip")
                opened = await owner.press("Confirm")
                assert "is open for order" in opened, opened
                dispute_id = next(
                    d["id"] for d in sandbox.snapshot()["disputes"] if d["orderId"] == WRONG_COLOUR_US
                )
                await owner.send("/disputes")
                await owner.send(f"/status {dispute_id}")
                await TelegramChat(world.tg, STRANGER).send(f"/status {dispute_id}")
                sandbox.expire_tokens()  # the next call refreshes: a second token pair
                await owner.send(f"/close {dispute_id}")
                await owner.press("Close this dispute")
                closed = await owner.press("Yes, close it for good")
                assert "is closed" in closed, closed
                remember()
                # a garbled token answer and an auth failure, caught as the engine would
                sandbox.add_faults({"fault": "http_5xx", "path": "authentication/refreshAccessToken"})
                sandbox.revoke_key()
                sandbox.expire_tokens()
                for call in (world.cj.list_disputes, world.cj.account_settings, world.cj.list_disputes):
                    try:
                        await call()
                    except CJError as exc:
                        errors += [str(exc), repr(exc), exc.message or ""]
                await owner.send("/disputes")  # the seller's view of a revoked key
                for argv in (["check"], ["cj", "orders"]):
                    code, out = await _cli(capsys, *argv)
                    cli_output.append(out)
                    assert code != 0, out
                assert logging.getLogger().isEnabledFor(logging.DEBUG)
                sent = "\n".join(f"{c.method} {c.params!r}" for c in world.tg.calls)
                other_tables, token_table = _dump_tables(world)

    assert len(tokens) >= 4, "the run should have obtained two token pairs"
    secrets = {
        "bot token": BOT_TOKEN,
        "bot token secret half": BOT_TOKEN.split(":", 1)[1],
        "CJ API key": API_KEY,
        "webhook secret": WEBHOOK_SECRET,
        "openId": OPEN_ID,
        **{f"CJ token #{i}": t for i, t in enumerate(sorted(tokens))},
    }
    places = {
        "raw log records of Alex's loggers": "\n".join(raw.lines),
        "written log": written.getvalue(),
        "CLI output": "\n".join(cli_output),
        "CJ exceptions": "\n".join(errors),
        "messages to Telegram (minus the token in the URL)": sent,
        "database (all tables but cj_tokens)": other_tables,
    }
    found = [
        (what, where) for what, secret in secrets.items() for where, text in places.items() if secret in text
    ]
    third_party_raw = [what for what, secret in secrets.items() if secret in "\n".join(raw.third_party)]
    report(
        "secrets search",
        secrets=len(secrets),
        log_records=len(raw.lines) + len(raw.third_party),
        redacted_in_third_party_records=third_party_raw,
        log_bytes=len(written.getvalue()),
        cli_runs=len(cli_output),
        exceptions=len(errors) // 3,
        telegram_calls=sent.count("\n") + 1,
        found=found,
    )
    assert len(raw.lines) > 50 and errors and cli_output
    assert found == []
    assert API_KEY not in token_table  # the cache holds tokens under a hash of the key, never the key
    assert not os.environ.get("ALEX_DEBUG_SECRETS")
