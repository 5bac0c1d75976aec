"""From Telegram updates to the engine's :class:`Actor` and :class:`Event`, plus the access rules."""

from __future__ import annotations

from telegram import Chat, Message, User

from alex.settings import Settings
from conversations import commands
from conversations.events import Actor, Event
from conversations.language import chat_translator
from i18n import Translator
from store.db import Store

GROUP_TYPES = frozenset({Chat.GROUP, Chat.SUPERGROUP})


def can_manage_disputes(settings: Settings, user_id: int) -> bool:
    """Dispute actions (open, close, list, status) are for ALLOWED_USER_IDS only."""
    return user_id in settings.allowed_user_ids


def can_ask_faq(settings: Settings, user_id: int) -> bool:
    return settings.faq_open_to_all or can_manage_disputes(settings, user_id)


def is_group(chat: Chat | None) -> bool:
    return chat is not None and chat.type in GROUP_TYPES


def actor_of(settings: Settings, user: User, chat: Chat, *, group_admin: bool = False) -> Actor:
    """``group_admin``: checked with Telegram by the caller when it matters (``/language`` in a group)."""
    return Actor(
        user_id=user.id,
        chat_id=chat.id,
        display_name=user.full_name or None,
        is_group=is_group(chat),
        can_manage_disputes=can_manage_disputes(settings, user.id),
        language_code=user.language_code,
        is_group_admin=group_admin,
    )


def translator_of(user: User | None, chat: Chat | None = None, store: Store | None = None) -> Translator:
    """The chat's language (``/language``, stored), else the person's Telegram app language, else English.

    Without a chat (inline mode) it is the person's own: their private chat's choice, then the app's.
    """
    chat_id = chat.id if chat is not None else (user.id if user is not None else 0)
    return chat_translator(store, chat_id, user.language_code if user is not None else None)


def deep_link_event(payload: str) -> Event | None:
    """``/start dispute_SD123`` → ``/dispute SD123``; anything unknown → None (plain /start).

    The parsing is the registry's (:func:`conversations.commands.parse_deep_link`), shared with
    the engine's own ``/start``.
    """
    linked = commands.parse_deep_link(payload)
    if linked is None:
        return None
    command, argument = linked
    return Event.of_command(command.name, argument)


def addressed_to_bot(message: Message, bot_id: int) -> bool:
    """In groups, plain text counts only when it replies to one of the bot's messages."""
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot_id
