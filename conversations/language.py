"""Which language a chat is spoken to in: the one chosen with ``/language``, else the person's
Telegram app language (``language_code``, "pt-br" → pt), else English.

The choice is stored with the chat (:func:`store.chats.set_language`); a group's choice is made
by one of its admins and is used for everything Alex posts there (replies, pushes, digests).
FAQ answers are the exception: they come in the language the question was asked in.
"""

from __future__ import annotations

from i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator, translator
from store import chats
from store.db import Store

__all__ = ["LANGUAGES", "chat_language", "chat_translator", "note_app_language", "supported"]


def supported(code: str | None) -> str | None:
    """The UI language for a code as Telegram or a person writes it (``pt-BR``, ``de_AT``, ``RU``),
    or None when Alex has no such language."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return base if base in LANGUAGES else None


def chat_language(store: Store | None, chat_id: int, telegram_code: str | None = None) -> str:
    """The chat's stored choice, else the app language Telegram reports now (or, for a push, last
    reported in that private chat), else English."""
    chosen, app = chats.get_languages(store, chat_id) if store is not None else (None, None)
    return supported(chosen) or supported(telegram_code) or supported(app) or DEFAULT_LANGUAGE


def chat_translator(store: Store | None, chat_id: int, telegram_code: str | None = None) -> Translator:
    return translator(chat_language(store, chat_id, telegram_code))


def note_app_language(store: Store, chat_id: int, telegram_code: str | None) -> None:
    """Remember a private chat's app language when it is one Alex speaks and it changed (one read,
    a write only on change), for the pushes that reach the chat later."""
    app = supported(telegram_code)
    if app is not None and chats.get_languages(store, chat_id)[1] != app:
        chats.set_app_language(store, chat_id, app)
