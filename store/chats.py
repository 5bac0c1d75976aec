"""What Alex knows about chats: the language chosen for them, and chats it cannot reach as
before (blocked the bot, or migrated).

Senders (replies, the notifier's outbox) ask :func:`resolve` for the chat id to use
and skip chats that :func:`is_blocked` reports; the Telegram adapter records both
facts as Telegram reports them.
"""

from __future__ import annotations

import time

from pydantic import BaseModel, ConfigDict

from store.db import Store

MAX_MIGRATION_HOPS = 8  # a group migrates at most once in practice; this only guards against loops


class ChatStatus(BaseModel):
    model_config = ConfigDict(frozen=True)

    chat_id: int
    blocked: bool
    migrated_to: int | None
    updated_at: float


def set_blocked(store: Store, chat_id: int, blocked: bool = True, *, now: float | None = None) -> None:
    """Record that the bot was blocked or removed (or, with ``blocked=False``, let back in)."""
    store.conn.execute(
        "INSERT INTO chat_status (chat_id, blocked, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(chat_id) DO UPDATE SET blocked = excluded.blocked, updated_at = excluded.updated_at",
        (chat_id, int(blocked), time.time() if now is None else now),
    )


def is_blocked(store: Store, chat_id: int) -> bool:
    row = store.conn.execute("SELECT blocked FROM chat_status WHERE chat_id = ?", (chat_id,)).fetchone()
    return bool(row and row[0])


def set_migrated(store: Store, old_chat_id: int, new_chat_id: int, *, now: float | None = None) -> None:
    """Record that a group became a supergroup with a new id."""
    store.conn.execute(
        "INSERT INTO chat_status (chat_id, migrated_to, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(chat_id) DO UPDATE SET migrated_to = excluded.migrated_to, "
        "updated_at = excluded.updated_at",
        (old_chat_id, new_chat_id, time.time() if now is None else now),
    )


def resolve(store: Store, chat_id: int) -> int:
    """The id to send to now: follows recorded migrations."""
    current = chat_id
    for _ in range(MAX_MIGRATION_HOPS):
        row = store.conn.execute(
            "SELECT migrated_to FROM chat_status WHERE chat_id = ?", (current,)
        ).fetchone()
        if not row or row[0] is None:
            return current
        current = int(row[0])
    return current


def get_status(store: Store, chat_id: int) -> ChatStatus | None:
    row = store.conn.execute(
        "SELECT chat_id, blocked, migrated_to, updated_at FROM chat_status WHERE chat_id = ?", (chat_id,)
    ).fetchone()
    if row is None:
        return None
    return ChatStatus(chat_id=row[0], blocked=bool(row[1]), migrated_to=row[2], updated_at=row[3])


def set_language(
    store: Store, chat_id: int, lang: str, *, set_by: int | None = None, now: float | None = None
) -> None:
    """Record the language chosen for a chat (``/language``); the caller checks it is one Alex has."""
    store.conn.execute(
        "INSERT INTO chat_languages (chat_id, lang, set_by, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(chat_id) DO UPDATE SET lang = excluded.lang, set_by = excluded.set_by, "
        "updated_at = excluded.updated_at",
        (chat_id, lang, set_by, time.time() if now is None else now),
    )


def set_app_language(store: Store, chat_id: int, app_lang: str, *, now: float | None = None) -> None:
    """Record the Telegram app language of a private chat's person (not a choice: it never
    overrides ``set_language``), so pushes sent while they are not talking use it."""
    store.conn.execute(
        "INSERT INTO chat_languages (chat_id, app_lang, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(chat_id) DO UPDATE SET app_lang = excluded.app_lang, updated_at = excluded.updated_at",
        (chat_id, app_lang, time.time() if now is None else now),
    )


def get_languages(store: Store, chat_id: int) -> tuple[str | None, str | None]:
    """(the language chosen for the chat, the app language last seen in it); None when unknown."""
    row = store.conn.execute(
        "SELECT lang, app_lang FROM chat_languages WHERE chat_id = ?", (chat_id,)
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def get_language(store: Store, chat_id: int) -> str | None:
    """The language chosen for the chat, or None when nobody chose one."""
    return get_languages(store, chat_id)[0]
