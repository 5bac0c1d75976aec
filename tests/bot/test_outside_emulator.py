"""`alex run` as a separate process against a Bot API we did not write: ``telegram-test-api``.

Our own fake Bot API (tests/fakes) only proves Alex agrees with our reading of Telegram. Here the
npm package ``telegram-test-api`` (with the mends python-telegram-bot needs, from
``../shared/telegram-emulator``) plays Telegram, the CJ sandbox runs as its own process, and a
seller opens a dispute by typing and pressing buttons. What is checked is what the outside world
sees: the replies in the emulator and the disputes at the sandbox (what CJ would store).

Needs node and npm (the emulator is installed from the npm registry into a cache folder once).
Without them, or without ``../shared``, the test skips on a developer's machine and fails in CI.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.shared import unavailable

ROOT = Path(__file__).resolve().parents[2]
EMULATOR_SRC = ROOT.parent / "shared" / "telegram-emulator"
ALEX = Path(sys.executable).with_name("alex")
ORDER = "SD2510031452310001"  # delivered, two lines, refund expected (data/sandbox_orders.json)
SELLER_ID = 1001


@pytest.fixture(scope="module")
def emulator_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable copy of the emulator with its npm packages, cached by the lock file's hash."""
    if not (EMULATOR_SRC / "emulator.js").exists():
        unavailable(f"{EMULATOR_SRC} is missing")
    if not shutil.which("node") or not shutil.which("npm"):
        unavailable("node and npm are not on PATH")
    lock = (EMULATOR_SRC / "package-lock.json").read_bytes()
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "alex-tests"
    target = cache / f"tg-emulator-{hashlib.sha256(lock).hexdigest()[:12]}"
    if not (target / "node_modules").exists():
        staging = tmp_path_factory.mktemp("tg-emulator")
        shutil.copytree(EMULATOR_SRC, staging, dirs_exist_ok=True)
        for path in staging.rglob("*"):
            path.chmod(path.stat().st_mode | 0o200)  # ../shared is read-only in CI
        run = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=staging, capture_output=True, text=True, timeout=300
        )
        if run.returncode != 0:
            unavailable(f"npm ci failed: {run.stderr[-500:]}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(staging, target)
    return target


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def sandbox_url() -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [str(ALEX), "sandbox", "--port", str(port), "--api-key", "KEY", "--qps", "20", "--admin"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert "listening on" in proc.stdout.readline()
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=10)


def _press(emu: Any, reply: Any, label: str) -> None:
    """Press the button whose label contains ``label`` (case-insensitive)."""
    for button in reply.buttons:
        if label.lower() in button["text"].lower() and "callback_data" in button:
            query = emu.press_button(button["callback_data"])
            emu.wait_for_callback_answer(query)
            return
    raise AssertionError(f"no button {label!r} in {[b['text'] for b in reply.buttons]}: {reply.text!r}")


def test_a_seller_opens_a_dispute_through_an_outside_bot_api(
    emulator_dir: Path, sandbox_url: str, tmp_path: Path
) -> None:
    sys.path.insert(0, str(emulator_dir))
    try:
        from tg_emulator import TelegramEmulator, TgChat, TgUser
    finally:
        sys.path.remove(str(emulator_dir))

    before = _disputes_on(sandbox_url, ORDER)
    seller = TgUser(SELLER_ID, "Ana", "ana")
    chat = TgChat.private(seller)
    with TelegramEmulator(bot_username="AlexBot") as emu:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": emu.token,
            "TELEGRAM_API_BASE_URL": emu.base_url,
            "CJ_API_KEY": "KEY",
            "CJ_BASE_URL": f"{sandbox_url}/api2.0/v1/",
            "CJ_QPS": "20",
            "ALLOWED_USER_IDS": str(SELLER_ID),
            "ALEX_DB_PATH": str(tmp_path / "alex.db"),
            "MEDIA_DIR": str(tmp_path / "media"),
            "ALEX_CACHE_DIR": "off",
        }
        env.pop("PUBLIC_BASE_URL", None)
        bot = subprocess.Popen(
            [str(ALEX), "run"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        try:
            emu.send_text(seller, chat, "/start")
            [hello] = emu.get_bot_replies(timeout=20)  # start-up included
            assert "Alex" in hello.text

            # a question that mentions shipping is answered, not read as an id
            emu.send_text(seller, chat, "who pays shipping for returns")
            [answer] = emu.get_bot_replies()
            assert "shipping" in answer.text.lower() and "SHipping" not in answer.text

            emu.send_text(seller, chat, f"/dispute {ORDER}")
            [items] = emu.get_bot_replies()
            assert ORDER in items.text
            _press(emu, items, "Dripper")
            _press(emu, items, "Done")
            [reason] = emu.get_bot_replies()
            _press(emu, reason, "Damaged")
            [expect] = emu.get_bot_replies()
            _press(emu, expect, "Refund")
            [destination] = emu.get_bot_replies()
            _press(emu, destination, "wallet")
            emu.get_bot_replies()  # "Write the message for CJ's reviewer"
            emu.send_text(seller, chat, "The dripper arrived cracked; the buyer sent photos by email.")
            [evidence] = emu.get_bot_replies()
            _press(emu, evidence, "Skip")
            [summary] = emu.get_bot_replies()
            assert "Product Damaged" in summary.text
            _press(emu, summary, "Confirm")
            [opened] = emu.get_bot_replies()
            assert f"is open for order {ORDER}" in opened.text
        finally:
            bot.send_signal(signal.SIGINT)
            try:
                output = bot.communicate(timeout=20)[0]
            except subprocess.TimeoutExpired:
                bot.kill()
                output = bot.communicate()[0]
        assert "Traceback" not in output, output[-3000:]
        assert emu.token not in output

    # what CJ stores: exactly one new dispute on that order, the dripper line alone, quantity 1
    after = _disputes_on(sandbox_url, ORDER)
    new = [d for d in after if d["id"] not in {b["id"] for b in before}]
    assert len(new) == 1, after
    assert new[0]["id"] in opened.text
    assert len(new[0]["lines"]) == 1 and new[0]["lines"][0]["quantity"] == 1


def _disputes_on(sandbox_url: str, order_id: str) -> list[dict[str, Any]]:
    listed = httpx.get(f"{sandbox_url}/_sandbox/disputes", timeout=10).json()["disputes"]
    return [d for d in listed if d["orderId"] == order_id]
