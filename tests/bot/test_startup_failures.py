"""``alex run`` that cannot start says so in one line, without the token, and exits non-zero.

Driven as a real subprocess (the same ``alex`` entry point a user types) against a fake Bot API
that rejects the token (401), and against a loopback port where nothing listens.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path

from tests.fakes.telegram_api import FakeTelegramServer

TOKEN = "123456:ABCdef-the-secret-part"
RUN_TIMEOUT_SECONDS = 60.0


async def _alex_run(tmp_path: Path, api_base_url: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "CJ_", "ALEX_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=api_base_url,
        CJ_API_KEY="cj-key-for-the-startup-test",
        CJ_BASE_URL="http://127.0.0.1:9/api2.0/v1/",  # never reached: Telegram is checked first
        ALEX_DB_PATH=str(tmp_path / "alex.sqlite3"),
        TELEGRAM_CONNECT_TIMEOUT_SECONDS="2",
    )
    script = Path(sys.executable).parent / "alex"  # the installed console script a user types
    command = [str(script)] if script.exists() else [sys.executable, "-m", "alex.cli"]
    process = await asyncio.create_subprocess_exec(
        *command, "run",
        cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        _, err = await asyncio.wait_for(process.communicate(), RUN_TIMEOUT_SECONDS)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return process.returncode, err.decode()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _assert_one_clean_line(code: int, stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert code != 0
    assert len(lines) == 1, f"{len(lines)} lines on stderr:\n{stderr}"
    assert TOKEN not in stderr and "ABCdef" not in stderr and "123456" not in stderr
    return lines[0]


async def test_rejected_token_is_one_line_without_the_token(tmp_path: Path) -> None:
    async with FakeTelegramServer() as tg:  # its own token: ours gets 401 Unauthorized
        code, stderr = await _alex_run(tmp_path, tg.base_url)
    line = _assert_one_clean_line(code, stderr)
    assert "TELEGRAM_BOT_TOKEN" in line and "@BotFather" in line


async def test_unreachable_telegram_is_one_line_without_the_token(tmp_path: Path) -> None:
    code, stderr = await _alex_run(tmp_path, f"http://127.0.0.1:{_free_port()}/bot")
    line = _assert_one_clean_line(code, stderr)
    assert "TELEGRAM_API_BASE_URL" in line and "127.0.0.1" in line
