"""The chat's language, stored with the chat (migration 4): set, changed, kept across a reopen,
and an old database (schema 2) upgraded without losing anything."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from store import chats, open_store


def test_a_language_is_set_changed_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "alex.sqlite3"
    store = open_store(path)
    try:
        assert chats.get_language(store, -100) is None
        chats.set_language(store, -100, "es", set_by=7, now=1.0)
        chats.set_language(store, -100, "ru", set_by=8, now=2.0)
        chats.set_language(store, 42, "de")
    finally:
        store.close()
    store = open_store(path)
    try:
        assert (chats.get_language(store, -100), chats.get_language(store, 42)) == ("ru", "de")
        query = "SELECT set_by, updated_at FROM chat_languages WHERE chat_id = ?"
        row = store.conn.execute(query, (-100,)).fetchone()
        assert tuple(row) == (8, 2.0)
    finally:
        store.close()


def test_a_database_from_before_languages_gets_the_table(tmp_path: Path) -> None:
    path = tmp_path / "alex.sqlite3"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM schema_migrations WHERE version = 4")
    conn.execute("DROP TABLE chat_languages")
    conn.commit()
    conn.close()
    store = open_store(path)
    try:
        assert "chat_languages" in store.db.table_names()
        chats.set_language(store, 1, "pt")
        assert chats.get_language(store, 1) == "pt"
    finally:
        store.close()
