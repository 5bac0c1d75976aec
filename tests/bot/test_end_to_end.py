"""Telegram → real Application → real Engine → real CJ client → HTTP → CJ sandbox, and back.

A seller opens a dispute with buttons only (edits in place, keyboards, callback answers),
checks it with /disputes, asks a policy question through the real FAQ matcher, and a stale
press after the flow ended is refused politely. Everything runs over loopback HTTP.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram.ext import Application

from alex.settings import Settings
from bot.application import build_application
from cj.client import CJClient
from cj.sandbox import SandboxServer
from conversations.engine import Engine
from faq.matcher import load_matcher
from store.db import Store
from tests.bot.conftest import OWNER, start_polling, stop_polling
from tests.conftest import SANDBOX_API_KEY
from tests.fakes.telegram_api import ApiCall, FakeTelegramServer

SHOWN = frozenset({"sendMessage", "editMessageText"})
WRONG_COLOUR_US = "SD2510051030220002"  # one line, delivered to the US (see data/sandbox_orders.json)


async def _no_sleep(seconds: float) -> None:
    return None


class TelegramChat:
    """Talks to the bot as a seller would, one update at a time, and reads what came back."""

    def __init__(self, tg: FakeTelegramServer, chat_id: int) -> None:
        self.tg = tg
        self.chat_id = chat_id

    async def _turn(self, update: dict[str, Any]) -> list[ApiCall]:
        """Push an update, then /help: same chat, so its answer means the update was fully handled."""
        mark = self.tg.mark()
        self.tg.push_update(update)
        self.tg.push_update(self.tg.text_update(self.chat_id, self.chat_id, "/help"))
        await self.tg.wait_for("sendMessage", chat_id=self.chat_id, after=mark,
                               predicate=lambda c: (c.text or "").startswith("What I understand"))
        calls = self.tg.calls[mark:]
        shown = [c for c in calls if c.chat_id == self.chat_id and c.method in SHOWN]
        toasts = [c for c in calls if c.method == "answerCallbackQuery"]
        return [c for c in shown if not (c.text or "").startswith("What I understand")] + toasts

    async def send(self, text: str) -> str:
        return self._text(await self._turn(self.tg.text_update(self.chat_id, self.chat_id, text)))

    def keyboard(self) -> tuple[int, list[dict[str, Any]]]:
        """The newest message in the chat that has buttons, as (message_id, buttons)."""
        with_buttons = [m for (chat, _), m in self.tg._state.messages.items()
                        if chat == self.chat_id and m.get("reply_markup")]
        message = max(with_buttons, key=lambda m: m["message_id"])
        return message["message_id"], [b for row in message["reply_markup"]["inline_keyboard"] for b in row]

    async def press(self, label: str, *, message_id: int | None = None, data: str | None = None) -> str:
        newest, buttons = self.keyboard()
        if data is None:
            data = next(b["callback_data"] for b in buttons if label.lower() in b["text"].lower())
        update = self.tg.callback_update(self.chat_id, self.chat_id, data, message_id or newest)
        self.last_calls = await self._turn(update)
        return self._text(self.last_calls)

    @staticmethod
    def _text(calls: list[ApiCall]) -> str:
        return "\n".join(c.text or "" for c in calls if c.method != "answerCallbackQuery")


@pytest.fixture
async def real_bot(
    tg: FakeTelegramServer, settings: Settings, store: Store, sandbox: SandboxServer, tmp_path: Path
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    async with httpx.AsyncClient() as http:
        cj = CJClient(SANDBOX_API_KEY, base_url=sandbox.base_url, http=http, store=store, qps=1000,
                      sleep=_no_sleep)
        matcher = load_matcher()
        engine = Engine(store, cj, matcher)
        app = build_application(settings, engine, matcher, store)
        await start_polling(app)
        yield app
        await stop_polling(app)
        await cj.aclose()


async def test_open_a_dispute_with_buttons_then_list_it(
    tg: FakeTelegramServer, real_bot: Application, sandbox: SandboxServer  # type: ignore[type-arg]
) -> None:
    chat = TelegramChat(tg, OWNER)
    text = await chat.send(f"/dispute {WRONG_COLOUR_US}")
    assert "which items is the dispute about?" in text
    text = await chat.press("Done")
    assert "What went wrong?" in text
    await chat.press("Wrong Product Received")
    text = await chat.press("Reissue")
    assert "1-500 characters" in text
    await chat.send("Buyer got a blue one instead of the black one.")
    photo = tg.add_file(b"\xff\xd8photo")
    mark = tg.mark()
    tg.push_update(tg.photo_update(OWNER, OWNER, photo))
    explained = await tg.wait_for("sendMessage", chat_id=OWNER, after=mark)
    assert "CJ's site" in explained.text or "no public address" in explained.text
    text = await chat.press("Done")
    assert "Confirm" in text
    text = await chat.press("Confirm")
    [dispute] = [d for d in sandbox.snapshot()["disputes"] if d["orderId"] == WRONG_COLOUR_US]
    dispute_id = dispute["id"]
    assert dispute_id in text and dispute["expectType"] == 2  # a reissue, created exactly once
    answers = [c for c in chat.last_calls if c.method == "answerCallbackQuery"]
    assert answers  # every press was answered
    listed = await chat.send("/disputes")
    assert dispute_id in listed


async def test_stale_press_after_cancel_is_refused_politely(
    tg: FakeTelegramServer, real_bot: Application  # type: ignore[type-arg]
) -> None:
    chat = TelegramChat(tg, OWNER)
    await chat.send(f"/dispute {WRONG_COLOUR_US}")
    old_message, buttons = chat.keyboard()
    old_data = next(b["callback_data"] for b in buttons if "Done" in b["text"])
    cancelled = await chat.send("/cancel")
    assert "Cancelled" in cancelled
    await chat.press("", message_id=old_message, data=old_data)
    [toast] = [c for c in chat.last_calls if c.method == "answerCallbackQuery"]
    assert "older message" in toast.params["text"]  # refused politely, at once, as the button's toast
    assert "went wrong" not in TelegramChat._text(chat.last_calls).lower()


async def test_policy_question_answered_by_real_matcher(
    tg: FakeTelegramServer, real_bot: Application  # type: ignore[type-arg]
) -> None:
    chat = TelegramChat(tg, OWNER)
    text = await chat.send("how long do I have to open a dispute after delivery?")
    assert "Disputes can be opened" in text or "dispute" in text.lower()
    assert "went wrong" not in text.lower()
