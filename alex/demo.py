"""``alex demo``: chat with Alex in the terminal against a built-in CJ sandbox, no account needed.

Starts the sandbox on a free loopback port, a throw-away SQLite store and the real CJ
client, then runs the same conversation engine the Telegram bot uses. Buttons are
shown as ``[1] Label``: type the number to press one. Lines are read from stdin, so a
whole conversation can be piped in (``alex demo < session.txt``); it ends at EOF.

Demo-only inputs: ``/photo URL`` and ``/video URL`` send evidence (no URL: a photo
without a public address), ``/wait MINUTES`` moves the sandbox clock so CJ decides
pending disputes, ``/quit`` leaves.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, TextIO

DEMO_API_KEY = "demo-sandbox-key"
DEMO_QPS = 20.0  # the sandbox enforces it like CJ; a real free account allows 1
DEMO_RESOLVE_AFTER_SECONDS = 600.0  # sandbox CJ "decides" a dispute 10 minutes after it is opened
DEMO_USER_ID = 1
DEMO_CHAT_ID = 1
INTRO_ORDERS = (
    "SD2510031452310001",  # delivered to France, one item broken
    "SD2510051030220002",  # wrong colour sent to the US
    "SD2509051203380006",  # lost in transit to Spain
    "SD2511221745090004",  # unpaid: cannot be disputed
)


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="alex demo",
        description="Chat with Alex in the terminal against a built-in CJ sandbox; no account needed.",
    )
    parser.add_argument("--qps", type=float, default=DEMO_QPS, help="sandbox and client requests per second")
    parser.add_argument(
        "--resolve-after",
        type=float,
        default=DEMO_RESOLVE_AFTER_SECONDS,
        help="seconds of sandbox time until CJ decides a new dispute (see /wait)",
    )
    parser.add_argument(
        "--db", type=Path, default=None, help="keep the demo database here (default: temporary)"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = _parse_args(argv)
    interactive = sys.stdin.isatty()
    return asyncio.run(_run(args, sys.stdin, sys.stdout, interactive))


def _scenarios() -> dict[str, str]:
    from cj.sandbox.config import DEFAULT_FIXTURES

    try:
        data = json.loads(DEFAULT_FIXTURES.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {o["orderId"]: str(o.get("scenario", "")) for o in data.get("orders", []) if "orderId" in o}


def _intro(base_url: str) -> str:
    scenarios = _scenarios()
    lines = [
        "Alex demo: a CJ sandbox is running on " + base_url,
        "with sample orders and a temporary database. Nothing leaves this computer.",
        "",
        "Orders to try:",
    ]
    for order_id in INTRO_ORDERS:
        lines.append(f"  {order_id}  {scenarios.get(order_id, '')}".rstrip())
    lines += [
        "",
        "Try: /dispute SD2510031452310001, /disputes, /status SH…, /close, or ask a question.",
        "Type a number to press a button; /photo URL sends a photo; /wait 15 lets CJ decide; /quit leaves.",
    ]
    return "\n".join(lines)


class Transcript:
    """Prints replies with numbered buttons and remembers which number means which button."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.buttons: list[str] = []

    def show(self, replies: list[Any]) -> None:
        self.buttons = []
        for r in replies:
            if r.notice and r.notice not in r.text:
                self.out.write(f"  ({r.notice})\n")
            text = r.text.replace("\n", "\n      ")
            self.out.write(f"alex> {text}\n")
            for row in r.buttons:
                cells = []
                for button in row:
                    self.buttons.append(button.data)
                    cells.append(f"[{len(self.buttons)}] {button.label}")
                self.out.write("      " + "   ".join(cells) + "\n")
        self.out.flush()

    def say(self, text: str) -> None:
        self.out.write(f"{text}\n")
        self.out.flush()


def to_event(line: str, buttons: list[str]) -> Any:
    """A typed line as an engine event: a button number, /photo or /video, a command, or text."""
    from conversations.events import Event, Media

    text = line.strip()
    if text.isdigit() and 1 <= int(text) <= len(buttons):
        return Event.of_button(buttons[int(text) - 1])
    if text.startswith("/"):
        command, _, args = text[1:].partition(" ")
        if command.lower() in {"photo", "video"}:
            url = args.strip() or None
            ref = f"demo-{command.lower()}-{abs(hash(text)) % 10**8}"
            return Event.of_media(Media(kind=command.lower(), file_ref=ref, url=url))  # type: ignore[arg-type]
        return Event.of_command(command, args)
    return Event.of_text(text)


async def _read_lines(source: TextIO, interactive: bool, prompt: Callable[[], None]) -> AsyncIterator[str]:
    """Lines from ``source`` until EOF. A daemon thread reads, so Ctrl-C never waits on a blocked read."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    wanted = threading.Event()

    def reader() -> None:
        while True:
            wanted.wait()
            wanted.clear()
            line = source.readline()
            loop.call_soon_threadsafe(queue.put_nowait, line or None)
            if not line:
                return

    threading.Thread(target=reader, name="alex-demo-stdin", daemon=True).start()
    while True:
        if interactive:
            prompt()
        wanted.set()
        line = await queue.get()
        if line is None:
            return
        yield line.rstrip("\n")


async def _run(args: argparse.Namespace, source: TextIO, out: TextIO, interactive: bool) -> int:
    from alex.services import build_services
    from alex.settings import load_settings
    from cj.sandbox import SandboxConfig, SandboxServer
    from conversations.events import Actor

    with tempfile.TemporaryDirectory(prefix="alex-demo-") as tmp:
        db_path = args.db or Path(tmp) / "alex-demo.sqlite3"
        config = SandboxConfig(
            api_key=DEMO_API_KEY, qps=args.qps, resolve_after=args.resolve_after, admin=True
        )
        transcript = Transcript(out)
        async with SandboxServer(config) as server:
            settings = load_settings(_env_file=None, cj_api_key=DEMO_API_KEY, cj_base_url=server.base_url,
                                     cj_qps=args.qps, alex_db_path=db_path)
            services = build_services(settings, faq="optional")
            if services.faq_error:  # the demo still opens and closes disputes without the FAQ
                out.write(f"(FAQ unavailable: {services.faq_error})\n")
            async with services:
                engine = services.engine
                actor = Actor(user_id=DEMO_USER_ID, chat_id=DEMO_CHAT_ID, display_name="demo seller")
                transcript.say(_intro(server.base_url))

                def prompt() -> None:
                    out.write("you> ")
                    out.flush()

                async for line in _read_lines(source, interactive, prompt):
                    if not line.strip():
                        continue
                    if not interactive:
                        transcript.say(f"you> {line}")
                    command = line.strip().lower()
                    if command in {"/quit", "/exit"}:
                        break
                    if command.startswith("/wait"):
                        transcript.say(await _wait(server, command))
                        continue
                    replies = await engine.handle(actor, to_event(line, transcript.buttons))
                    if replies:
                        transcript.show(replies)
                    else:
                        transcript.say("alex> (that command belongs to the Telegram bot: group updates)")
    transcript.say("Bye.")
    return 0


async def _wait(server: Any, command: str) -> str:
    """``/wait MINUTES``: move the sandbox clock so CJ decides what is pending."""
    _, _, amount = command.partition(" ")
    try:
        minutes = float(amount) if amount.strip() else 15.0
    except ValueError:
        return "Usage: /wait MINUTES (e.g. /wait 15)"
    if minutes <= 0:
        return "Usage: /wait MINUTES (a positive number)"
    server.advance(minutes * 60)
    return f"(Sandbox time moved {minutes:g} minutes ahead: CJ decides disputes opened long enough ago.)"
