"""From Telegram updates to the engine's :class:`Actor` and :class:`Event`, plus the access rules."""

from __future__ import annotations

from telegram import Chat, Message, User

from alex.settings import Settings
from conversations import commands
from conversations.events import Actor, Event
from i18n import Translator, translator

GROUP_TYPES = frozenset({Chat.GROUP, Chat.SUPERGROUP})


def can_manage_disputes(settings: Settings, user_id: int) -> bool:
    """Dispute actions (open, close, list, status) are for ALLOWED_USER_IDS only."""
    return user_id in settings.allowed_user_ids


def can_ask_faq(settings: Settings, user_id: int) -> bool:
    return settings.faq_open_to_all or can_manage_disputes(settings, user_id)


def is_group(chat: Chat | None) -> bool:
    return chat is not None and chat.type in GROUP_TYPES


def actor_of(settings: Settings, user: User, chat: Chat) -> Actor:
    return Actor(
        user_id=user.id,
        chat_id=chat.id,
        display_name=user.full_name or None,
        is_group=is_group(chat),
        can_manage_disputes=can_manage_disputes(settings, user.id),
    )


def translator_of(user: User | None) -> Translator:
    """The translator for a person's chat: English until catalogs and a language setting exist."""
    return translator(None)


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
