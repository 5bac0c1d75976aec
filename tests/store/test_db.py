"""Opening the store: migrations on a fresh file, WAL, idempotent re-open, newer schemas refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from store import MigrationError, open_store
from store.migrations import MIGRATIONS

EXPECTED_TABLES = {
    "cj_tokens",
    "conversations",
    "disputes_seen",
    "group_subscriptions",
    "idempotency_keys",
    "audit_log",
    "faq_misses",
    "outbox",
    "chat_status",
    "webhook_messages",
    "schema_migrations",
}
LATEST = max(m.version for m in MIGRATIONS)


def test_fresh_file_gets_every_table_and_the_latest_version(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "alex.sqlite3"
    store = open_store(path)
    try:
        assert path.exists()
        assert set(store.db.table_names()) >= EXPECTED_TABLES
        assert store.schema_version() == LATEST
    finally:
        store.close()


def test_wal_mode_is_on(tmp_path: Path) -> None:
    store = open_store(tmp_path / "alex.sqlite3")
    try:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        store.close()


def test_reopen_is_idempotent_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "alex.sqlite3"
    store = open_store(path)
    store.conn.execute("INSERT INTO faq_misses (at, question, normalized) VALUES (1, 'q', 'q')")
    store.close()
    again = open_store(path)
    try:
        assert again.schema_version() == LATEST
        steps = again.conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
        assert steps == len(MIGRATIONS)
        assert again.conn.execute("SELECT COUNT(*) FROM faq_misses").fetchone()[0] == 1
    finally:
        again.close()


def test_database_from_a_newer_alex_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "alex.sqlite3"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 0)", (LATEST + 1,)
    )
    conn.commit()
    conn.close()
    with pytest.raises(
        MigrationError, match=rf"schema version {LATEST + 1}, newer than this Alex.*upgrade Alex"
    ):
        open_store(path)


def test_in_memory_store_is_migrated() -> None:
    store = open_store(None)
    try:
        assert store.schema_version() == LATEST
    finally:
        store.close()


def test_new_database_files_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "var" / "alex.sqlite3"
    store = open_store(path)
    store.conn.execute("INSERT INTO faq_misses (at, question, normalized) VALUES (0, 'q', 'q')")
    try:
        for file in (path, path.with_name("alex.sqlite3-wal")):
            assert file.stat().st_mode & 0o777 == 0o600, file
    finally:
        store.close()


def test_a_step_merged_below_the_latest_still_runs(tmp_path: Path) -> None:
    """Versions are tracked one by one, so a late-merged lower step is applied, not skipped."""
    path = tmp_path / "alex.sqlite3"
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM schema_migrations WHERE version = 2")
    conn.execute("DROP INDEX disputes_seen_account")
    conn.execute("ALTER TABLE outbox DROP COLUMN claimed_at")
    conn.execute("ALTER TABLE disputes_seen DROP COLUMN opened_at")
    conn.execute("ALTER TABLE disputes_seen DROP COLUMN decided_at")
    conn.commit()
    conn.close()
    store = open_store(path)
    try:
        assert "claimed_at" in store.db["outbox"].columns_dict
        assert store.schema_version() == LATEST
    finally:
        store.close()
