"""The adapter's exception tree and the one global error handler.

    BotError            root of what ``bot`` raises on purpose
    ├── EvidenceError   a photo or video cannot be kept (too big, download failed)
    ├── WebhookError    webhook mode cannot start (no public URL, no secret token)
    └── StartupError    Telegram refused or could not be reached at start (one line: what to do)

Anything else a handler raises reaches :func:`on_error`: the log gets the update's context
(ids and kind, never message text or secrets) and the user one short sentence saying what
failed and that the draft is kept (drafts live in the store, so nothing is lost).
"""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ContextTypes

from bot import texts
from bot.deps import DEPS_KEY
from bot.mapping import translator_of
from cj.errors import CJError

log = logging.getLogger("alex.bot")


class BotError(Exception):
    """Root of the adapter's own errors."""


class EvidenceError(BotError):
    """A photo or video cannot be kept; the message is safe to show the user."""


class WebhookError(BotError):
    """Webhook mode is misconfigured; the message says which setting to fix."""


class StartupError(BotError):
    """``alex run`` cannot start; the message is one line saying what to do, never a secret."""


def describe_update(update: object) -> str:
    """Ids and kind of an update, for logs: never its text, never a token."""
    if not isinstance(update, Update):
        return f"non-update {type(update).__name__}"
    kind = "message"
    if update.callback_query:
        kind = "button"
    elif update.inline_query:
        kind = "inline query"
    else:
        message = update.effective_message
        if message and message.text and message.text.startswith("/"):
            kind = f"command {message.text.split()[0].split('@')[0]}"
        elif message and (message.photo or message.video):
            kind = "media"
    chat = update.effective_chat.id if update.effective_chat else None
    user = update.effective_user.id if update.effective_user else None
    return f"update {update.update_id} ({kind}, chat {chat}, user {user})"


def what_failed(error: BaseException | None) -> str:
    """The user-facing name of the failure (an ``N_`` text, translated when shown)."""
    if isinstance(error, CJError):
        return texts.FAILED_CJ
    if isinstance(error, BadRequest):  # a NetworkError in PTB, but Telegram answered: our request was wrong
        return texts.FAILED_ALEX
    if isinstance(error, TimedOut | NetworkError | RetryAfter):
        return texts.FAILED_TELEGRAM
    return texts.FAILED_ALEX


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Global error handler: log with context, tell the user briefly, never leak a secret."""
    error = context.error
    where = describe_update(update)
    if isinstance(error, Forbidden):
        log.info("%s: the bot was blocked or removed (%s)", where, type(error).__name__)
        return
    if isinstance(error, NetworkError) and not isinstance(update, Update):
        log.warning("network trouble talking to Telegram: %s", type(error).__name__)
        return
    log.error("%s failed: %s", where, type(error).__name__, exc_info=error)
    if not isinstance(update, Update):
        return
    if update.callback_query:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    chat = update.effective_chat
    if chat is None:
        return
    with contextlib.suppress(TelegramError):
        deps = context.application.bot_data.get(DEPS_KEY)
        tr = translator_of(update.effective_user, chat, getattr(deps, "store", None))
        await context.bot.send_message(chat.id, tr.format(texts.FAILED, what=tr.gettext(what_failed(error))))
