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
import math
import sys
import tempfile
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from i18n import ENGLISH, N_, Nn_, Translator

DEMO_API_KEY = "demo-sandbox-key"
DEMO_QPS = 20.0  # the sandbox enforces it like CJ; a real free account allows 1
DEMO_RESOLVE_AFTER_SECONDS = 600.0  # sandbox CJ "decides" a dispute 10 minutes after it is opened
DEMO_USER_ID = 1
DEMO_CHAT_ID = 1
DEMO_GROUP_ID = -1001  # the team's group, subscribed to the dispute updates


# what the demo says itself (the engine's replies have their own texts)
INTRO_RUNNING = N_("Alex demo: a CJ sandbox is running on {url}")
INTRO_LOCAL = N_("with sample orders and a temporary database. Nothing leaves this computer.")
INTRO_ORDERS_HEAD = N_("Orders to try:")
INTRO_TRY = N_("Try: /dispute SD2510031452310001, /disputes, /status SH…, /close, or ask a question.")
INTRO_KEYS = N_(
    "Type a number to press a button; /photo URL sends a photo; /wait 15 lets CJ decide; /quit leaves."
)
FAQ_UNAVAILABLE = N_("(FAQ unavailable: {error})")
TELEGRAM_ONLY = N_("(that command belongs to the Telegram bot: group updates)")
BYE = N_("Bye.")
WAIT_USAGE = N_("Usage: /wait MINUTES (e.g. /wait 15)")
WAIT_RANGE = N_("Usage: /wait MINUTES, more than 0 and at most {most} (30 days)")
MAX_WAIT_MINUTES = 43_200
PUSH_TO_YOU = N_("push to you")
PUSH_TO_GROUP = N_("push to your team's group")
WAITED = Nn_(
    "(Sandbox time moved {count} minute ahead: CJ decides disputes opened long enough ago.)",
    "(Sandbox time moved {count} minutes ahead: CJ decides disputes opened long enough ago.)",
)
# sample orders of the sandbox (data/sandbox_orders.json) and what each shows
INTRO_ORDERS = {
    "SD2510031452310001": N_("delivered to France, one of two items arrived broken; refund of that item"),
    "SD2510051030220002": N_("delivered to the US, wrong colour sent; CJ reissues"),
    "SD2509051203380006": N_("lost in transit to Spain, never delivered; full refund with IOSS"),
    "SD2511221745090004": N_("unpaid: CJ refuses a dispute"),
}
WAITED_FRACTION = N_(
    "(Sandbox time moved {minutes} minutes ahead: CJ decides disputes opened long enough ago.)"
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
    parser.add_argument(
        "--lang",
        default=None,
        help="the chat's language: en, es, pt, fr, de, ru (default: English); as /language sets it",
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = _parse_args(argv)
    interactive = sys.stdin.isatty()
    return asyncio.run(_run(args, sys.stdin, sys.stdout, interactive))


def _intro(base_url: str, tr: Translator = ENGLISH) -> str:
    lines = [
        tr.format(INTRO_RUNNING, url=base_url),
        tr.gettext(INTRO_LOCAL),
        "",
        tr.gettext(INTRO_ORDERS_HEAD),
    ]
    lines += [f"  {order_id}  {tr.gettext(what)}" for order_id, what in INTRO_ORDERS.items()]
    lines += ["", tr.gettext(INTRO_TRY), tr.gettext(INTRO_KEYS)]
    return "\n".join(lines)


class Waited(NamedTuple):
    text: str
    moved: bool


class Transcript:
    """Prints replies with numbered buttons and remembers which number means which button."""

    def __init__(self, out: TextIO, tr: Translator = ENGLISH) -> None:
        self.out = out
        self.tr = tr
        self.buttons: list[str] = []

    def push(self, where: str, message: Any) -> None:
        """A status push (pushes' buttons are numbered too: the seller can press them)."""
        self.buttons = []
        self._write(f"({where}) ", message.text, message.buttons)
        self.out.flush()

    def show(self, replies: list[Any]) -> None:
        self.buttons = []
        for r in replies:
            if r.notice and r.notice not in r.text:
                self.out.write(f"  ({r.notice})\n")
            self._write("alex> ", r.text, r.buttons)
        self.out.flush()

    def _write(self, head: str, text: str, rows: Any) -> None:
        """One message: its text indented under ``head``, then its buttons numbered on from the last."""
        body = text.replace("\n", "\n      ")
        self.out.write(f"{head}{body}\n")
        for row in rows:
            cells = []
            for button in row:
                self.buttons.append(button.data)
                cells.append(f"[{len(self.buttons)}] {button.label}")
            self.out.write("      " + "   ".join(cells) + "\n")

    def say(self, text: str) -> None:
        self.out.write(f"{text}\n")
        self.out.flush()


def to_event(line: str, buttons: list[str]) -> Any:
    """A typed line as an engine event: a button number, /photo or /video, a command, or text."""
    from conversations.events import Event, Media

    text = line.strip()
    if text.isascii() and text.isdigit() and 1 <= int(text) <= len(buttons):  # "²" is a digit, not a number
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


async def _run(
    args: argparse.Namespace,
    source: TextIO,
    out: TextIO,
    interactive: bool,
    catalog: Translator | None = None,
) -> int:
    """``catalog``: a translator to speak instead of ``--lang``'s (tests check a catalog with it)."""
    from alex.services import build_services
    from alex.settings import load_settings
    from cj.sandbox import SandboxConfig, SandboxServer
    from conversations.events import Actor
    from conversations.language import LANGUAGES, supported
    from i18n import translator
    from store import chats, subscriptions

    lang = supported(args.lang)
    if args.lang and lang is None:
        out.write(f"alex demo: unknown language {args.lang!r} (one of {', '.join(LANGUAGES)})\n")
        return 2
    tr = catalog or translator(lang)

    with tempfile.TemporaryDirectory(prefix="alex-demo-") as tmp:
        db_path = args.db or Path(tmp) / "alex-demo.sqlite3"
        config = SandboxConfig(
            api_key=DEMO_API_KEY, qps=args.qps, resolve_after=args.resolve_after, admin=True
        )
        transcript = Transcript(out, tr)
        async with SandboxServer(config) as server:
            settings = load_settings(_env_file=None, cj_api_key=DEMO_API_KEY, cj_base_url=server.base_url,
                                     cj_qps=args.qps, alex_db_path=db_path)
            speak = (lambda actor: catalog) if catalog is not None else None
            services = build_services(settings, faq="optional", translator_of=speak)
            if services.faq_error:  # the demo still opens and closes disputes without the FAQ
                out.write(tr.format(FAQ_UNAVAILABLE, error=services.faq_error) + "\n")
            async with services:
                store, engine = services.store, services.engine
                if lang is not None:
                    chats.set_language(store, DEMO_CHAT_ID, lang, set_by=DEMO_USER_ID)
                    chats.set_language(store, DEMO_GROUP_ID, lang, set_by=DEMO_USER_ID)
                subscriptions.subscribe(store, DEMO_GROUP_ID, title="demo team", user_id=DEMO_USER_ID)
                notifier = _notifier(services, transcript, args.qps)
                await notifier.sweep_all()  # the baseline: what CJ already holds is not news
                actor = Actor(user_id=DEMO_USER_ID, chat_id=DEMO_CHAT_ID, display_name="demo seller")
                transcript.say(_intro(server.base_url, tr))

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
                        waited = await _wait(server, command, tr)
                        transcript.say(waited.text)
                        if waited.moved:  # what the bot's notifier would now push, as it would push it
                            await notifier.sweep_all()
                            await notifier.dispatcher.deliver_due()
                        continue
                    replies = await engine.handle(actor, to_event(line, transcript.buttons))
                    if replies:
                        transcript.show(replies)
                    else:
                        transcript.say("alex> " + tr.gettext(TELEGRAM_ONLY))
    transcript.say(tr.gettext(BYE))
    return 0


def _notifier(services: Any, transcript: Transcript, qps: float) -> Any:
    """The bot's notifier, its sweeps run on ``/wait`` instead of a timer, its pushes printed."""
    from notifier.service import Account, NotifierService

    async def no_wait(seconds: float) -> None:  # the demo shows pushes at once, not at Telegram's pace
        await asyncio.sleep(0)

    account = Account(str(getattr(services.cj, "account", "default")), services.cj, qps=qps)
    return NotifierService(
        store=services.store, sender=TranscriptSender(transcript), accounts=[account], sleep=no_wait,
        delay_scan=False,
    )


class TranscriptSender:
    """The notifier's :class:`notifier.sender.Sender` for the terminal: a push is printed as the
    seller's private chat or the team group would show it."""

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript

    async def send(self, message: Any) -> None:
        where = PUSH_TO_YOU if message.chat_id == DEMO_CHAT_ID else PUSH_TO_GROUP
        self.transcript.push(self.transcript.tr.gettext(where), message)


async def _wait(server: Any, command: str, tr: Translator = ENGLISH) -> Waited:
    """``/wait MINUTES``: move the sandbox clock so CJ decides what is pending (at most 30 days)."""
    _, _, amount = command.partition(" ")
    try:
        minutes = float(amount) if amount.strip() else 15.0
    except ValueError:
        return Waited(tr.gettext(WAIT_USAGE), moved=False)
    if not math.isfinite(minutes) or not 0 < minutes <= MAX_WAIT_MINUTES:
        return Waited(tr.format(WAIT_RANGE, most=MAX_WAIT_MINUTES), moved=False)
    server.advance(minutes * 60)
    if minutes.is_integer():
        return Waited(tr.plural(WAITED, int(minutes)), moved=True)
    return Waited(tr.format(WAITED_FRACTION, minutes=f"{minutes:g}"), moved=True)
