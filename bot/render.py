"""From the engine's :class:`Reply` values to Telegram messages.

Reply text is plain: it is HTML-escaped here (the application's default parse mode is HTML),
split under Telegram's 4,096-character limit (counted, like Telegram does, in UTF-16 units and
before escaping), and given its buttons as an inline keyboard on the last part. ``edit``
replaces the message whose button was pressed; ``notice`` becomes the button's toast.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import CallbackQueryLimit, MessageLimit
from telegram.error import BadRequest, Forbidden

from bot.deps import BotDeps
from conversations.events import Reply
from store import chats

log = logging.getLogger("alex.bot")

TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH
CAPTION_LIMIT = MessageLimit.CAPTION_LENGTH
NOTICE_LIMIT = CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH
_BREAKS = ("\n\n", "\n", ". ", " ")


def utf16_len(text: str) -> int:
    """Telegram's length: UTF-16 code units (an emoji outside the BMP counts two)."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def _fit(text: str, limit: int) -> int:
    """The longest prefix length (in characters) within ``limit`` UTF-16 units."""
    end = min(len(text), limit)
    while (excess := utf16_len(text[:end]) - limit) > 0:
        end -= max(1, excess // 2)
    return end


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Parts of at most ``limit`` units, cut at a paragraph, line, sentence or word when one is near."""
    parts: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        end = _fit(rest, limit)
        cut = end
        for mark in _BREAKS:
            at = rest.rfind(mark, 0, end)
            if at > end // 2:
                cut = at + len(mark.rstrip(" ")) if mark == ". " else at
                break
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    parts.append(rest)
    return [p for p in parts if p.strip()] or [text]


def fit_caption(text: str) -> tuple[str, list[str]]:
    """A media caption within 1,024 units, and the remainder as follow-up message texts."""
    if utf16_len(text) <= CAPTION_LIMIT:
        return text, []
    first = split_text(text, CAPTION_LIMIT)[0]
    rest = text[len(first):].lstrip()
    return first, split_text(rest) if rest else []


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in reply.buttons if row]
    )


def notice_of(replies: Sequence[Reply]) -> str | None:
    """The first toast asked for, cut to Telegram's 200 characters."""
    for reply in replies:
        notice = reply.notice
        if notice:
            return notice if len(notice) <= NOTICE_LIMIT else notice[: NOTICE_LIMIT - 1] + "…"
    return None


async def _edit(message: Message, text: str, markup: InlineKeyboardMarkup | None) -> Message | None:
    """Edit in place; None when Telegram will not (too old, deleted), so the caller sends instead."""
    try:
        edited = await message.edit_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" in exc.message.lower():
            return message
        log.info("could not edit message %s in chat %s (%s); sending a new one",
                 message.message_id, message.chat_id, exc.message)
        return None
    return edited if isinstance(edited, Message) else message


async def deliver(
    bot: Bot,
    deps: BotDeps,
    chat_id: int,
    replies: Sequence[Reply],
    *,
    owner: int | None = None,
    pressed: Message | None = None,
) -> list[Message]:
    """Send (or edit into ``pressed``) every reply; remembers who owns messages with buttons."""
    sent: list[Message] = []
    edit_target = pressed
    try:
        for reply in replies:
            if not reply.text.strip():
                continue
            chunks = split_text(reply.text)
            markup = keyboard(reply)
            for index, chunk in enumerate(chunks):
                chunk_markup = markup if index == len(chunks) - 1 else None
                message: Message | None = None
                if reply.edit and edit_target is not None and index == 0:
                    message = await _edit(edit_target, escape(chunk), chunk_markup)
                    edit_target = None
                if message is None:
                    message = await bot.send_message(chat_id, escape(chunk), reply_markup=chunk_markup)
                sent.append(message)
                if chunk_markup is not None and owner is not None:
                    deps.owners.set(chat_id, message.message_id, owner)
    except Forbidden:
        chats.set_blocked(deps.store, chat_id)
        log.info("chat %s blocked the bot; not sending there any more", chat_id)
    return sent
