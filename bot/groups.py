"""Team groups: /subscribe and /unsubscribe (group admins on the team only), supergroup
migrations (the subscription follows the new chat id), and the bot being blocked or removed."""

from __future__ import annotations

import logging

from telegram import ChatMember, ChatMemberUpdated, Update
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import ContextTypes

from bot import texts
from bot.deps import get_deps
from bot.mapping import can_manage_disputes, is_group, translator_of
from bot.push_sender import retry_after_seconds
from bot.render import escape
from i18n import ENGLISH, Translator
from store import chats, subscriptions

log = logging.getLogger("alex.bot")

ADMIN_STATUSES = frozenset({ChatMember.ADMINISTRATOR, ChatMember.OWNER})
GONE_STATUSES = frozenset({ChatMember.BANNED, ChatMember.LEFT})


class AdminCheckFailed(Exception):
    """getChatMember failed: admin rights are unknown. The message says why, in the chat's language."""


def why_check_failed(exc: TelegramError, tr: Translator) -> str:
    """Telegram's refusal (a 400 or 403 will not pass by waiting) or its silence (it may)."""
    if isinstance(exc, BadRequest | Forbidden):  # BadRequest is a NetworkError in PTB: test it first
        return tr.format(texts.CHECK_REFUSED, detail=exc.message.rstrip("."))
    if isinstance(exc, RetryAfter):
        return tr.format(texts.CHECK_FLOOD, seconds=retry_after_seconds(exc))
    return tr.format(texts.CHECK_NO_ANSWER, detail=type(exc).__name__)


async def is_chat_admin(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, user_id: int, tr: Translator = ENGLISH
) -> bool:
    """Checked with Telegram, never trusted from the message; :class:`AdminCheckFailed` when
    Telegram cannot tell."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError as exc:
        log.warning("admin check in chat %s failed: %s", chat_id, type(exc).__name__)
        raise AdminCheckFailed(tr.format(texts.ADMIN_CHECK_FAILED, why=why_check_failed(exc, tr))) from None
    return member.status in ADMIN_STATUSES


async def _may_change_subscription(
    update: Update, context: ContextTypes.DEFAULT_TYPE, tr: Translator
) -> bool:
    """A group admin (checked with Telegram, not trusted from the message) who is on the team."""
    deps = get_deps(context)
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or not can_manage_disputes(deps.settings, user.id):
        return False
    return await is_chat_admin(context, chat.id, user.id, tr)


async def subscription_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = get_deps(context)
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None or not message.text:
        return
    command = message.text.split()[0].lstrip("/").split("@")[0].lower()
    tr = translator_of(user, chat, deps.store)
    if not is_group(chat):
        await message.reply_text(escape(tr.format(texts.GROUP_ONLY, command=command)))
        return
    try:
        allowed = await _may_change_subscription(update, context, tr)
    except AdminCheckFailed as exc:
        await message.reply_text(escape(str(exc)))
        return
    if not allowed:
        await message.reply_text(escape(tr.gettext(texts.ADMINS_ONLY)))
        return
    if command == "subscribe":
        new = subscriptions.subscribe(deps.store, chat.id, title=chat.title, user_id=user.id)
        chats.set_blocked(deps.store, chat.id, False)
        log.info("chat %s subscribed by user %s", chat.id, user.id)
        await message.reply_text(escape(tr.gettext(texts.SUBSCRIBED if new else texts.ALREADY_SUBSCRIBED)))
    else:
        gone = subscriptions.unsubscribe(deps.store, chat.id)
        log.info("chat %s unsubscribed by user %s", chat.id, user.id)
        await message.reply_text(escape(tr.gettext(texts.UNSUBSCRIBED if gone else texts.NOT_SUBSCRIBED)))


async def migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup: Telegram tells the old chat (and the new one) the other id."""
    deps = get_deps(context)
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    chats.set_migrated(deps.store, old, new)
    if subscriptions.migrate(deps.store, old, new):
        log.info("subscription of chat %s moved to supergroup %s", old, new)


async def membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot was blocked, kicked, or let back in: senders should know before trying."""
    deps = get_deps(context)
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None:
        return
    blocked = change.new_chat_member.status in GONE_STATUSES
    chats.set_blocked(deps.store, change.chat.id, blocked)
    log.info("chat %s %s the bot", change.chat.id, "removed or blocked" if blocked else "added")
