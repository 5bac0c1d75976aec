"""The notifier's :class:`notifier.sender.Sender` on a python-telegram-bot ``Bot``.

Push texts are plain text: they are HTML-escaped and sent in HTML mode, so the application's
default parse mode (HTML) cannot misread a ``<`` or ``&`` in a CJ field. PTB's errors map onto
:mod:`notifier.errors`, which the outbox dispatcher acts on:

    Forbidden (blocked, kicked), BadRequest "chat not found"   → ChatBlocked
    ChatMigrated                                                → ChatMigrated(new_chat_id)
    RetryAfter                                                  → RetryLater(retry_after)
    BadRequest (anything else)                                  → PermanentSendError
    TimedOut, NetworkError, any other TelegramError             → TransientSendError
"""

from __future__ import annotations

import datetime as dtm
import html
import warnings

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError

from notifier import errors
from notifier.sender import TELEGRAM_CAPTION_LIMIT, TELEGRAM_TEXT_LIMIT, PushMessage

GONE_CHAT_HINTS = ("chat not found", "user not found", "group chat was deactivated", "peer_id_invalid")


def retry_after_seconds(exc: RetryAfter) -> float:
    """Seconds Telegram asked to wait, without PTB's int-vs-timedelta deprecation warning."""
    value = getattr(exc, "_retry_after", None)
    if value is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = exc.retry_after
    if isinstance(value, dtm.timedelta):
        return value.total_seconds()
    return float(value)


def _escape(text: str, limit: int) -> str:
    """Escape for HTML, cutting the *plain* text first so an entity is never split."""
    escaped = html.escape(text, quote=False)
    while len(escaped) > limit:
        text = text[: max(0, len(text) - (len(escaped) - limit) - 1)]
        escaped = html.escape(text + "…", quote=False)
    return escaped


class TelegramPushSender:
    """Sends push messages through ``bot`` (the application's bot, with its rate limiter)."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self._initialized = False

    async def send(self, message: PushMessage) -> None:
        markup = None
        if message.buttons:
            markup = InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(b.label, callback_data=b.data) for b in row]
                    for row in message.buttons
                ]
            )
        try:
            if (
                not self._initialized
            ):  # the notifier may start before the application: initialize() is idempotent
                await self.bot.initialize()
                self._initialized = True
            if message.photo is not None:
                await self.bot.send_photo(
                    message.chat_id,
                    photo=message.photo,
                    caption=_escape(message.text, TELEGRAM_CAPTION_LIMIT),
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                )
            else:
                await self.bot.send_message(
                    message.chat_id,
                    _escape(message.text, TELEGRAM_TEXT_LIMIT),
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                )
        except Forbidden as exc:
            raise errors.ChatBlocked(f"Telegram: {exc.message}", chat_id=message.chat_id) from None
        except ChatMigrated as exc:
            raise errors.ChatMigrated(
                "Telegram: group migrated", chat_id=message.chat_id, new_chat_id=int(exc.new_chat_id)
            ) from None
        except RetryAfter as exc:
            raise errors.RetryLater(
                "Telegram: flood control", chat_id=message.chat_id, retry_after=retry_after_seconds(exc)
            ) from None
        except BadRequest as exc:
            if any(hint in exc.message.lower() for hint in GONE_CHAT_HINTS):
                raise errors.ChatBlocked(f"Telegram: {exc.message}", chat_id=message.chat_id) from None
            raise errors.PermanentSendError(f"Telegram: {exc.message}", chat_id=message.chat_id) from None
        except TelegramError as exc:  # TimedOut, NetworkError, InvalidToken, server errors
            raise errors.TransientSendError(
                f"Telegram: {type(exc).__name__}: {exc.message}", chat_id=message.chat_id
            ) from None
