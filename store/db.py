"""Opening the database: WAL, foreign keys, busy timeout, migrations."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import sqlite_utils

from store.migrations import MIGRATIONS

BUSY_TIMEOUT_MS = 5_000
DB_FILE_MODE = 0o600  # SQLite gives its -wal and -shm files the database file's mode


class StoreError(Exception):
    """Root of the store's errors."""


class MigrationError(StoreError):
    """The schema cannot be brought to this version of Alex."""


class Store:
    """A migrated database. ``db`` is the sqlite-utils handle for the table modules."""

    def __init__(self, db: sqlite_utils.Database, path: Path | None) -> None:
        self.db = db
        self.path = path

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def schema_version(self) -> int:
        return _current_version(self.db)

    def close(self) -> None:
        self.db.conn.close()


def open_store(path: str | Path | None) -> Store:
    """Open (creating it and its folder if needed) and migrate. ``None`` means in memory."""
    if path is None or str(path) == ":memory:":
        conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        file_path = None
    else:
        file_path = Path(path)
        file_path.parent.mkdir(parents=True, exist_ok=True)
        if not file_path.exists():  # owner-only from the first byte: it holds CJ tokens
            os.close(os.open(file_path, os.O_CREAT | os.O_WRONLY, DB_FILE_MODE))
        conn = sqlite3.connect(str(file_path), check_same_thread=False, isolation_level=None, timeout=5)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if file_path is not None:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    db = sqlite_utils.Database(conn)
    migrate(db)
    return Store(db, file_path)


def _current_version(db: sqlite_utils.Database) -> int:
    if "schema_migrations" not in db.table_names():
        return 0
    row = db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(db: sqlite_utils.Database) -> None:
    """Apply every numbered step not applied yet, each in its own transaction."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name TEXT, applied_at REAL)"
    )
    applied = {int(row[0]) for row in db.execute("SELECT version FROM schema_migrations").fetchall()}
    known = {m.version for m in MIGRATIONS}
    unknown = applied - known
    if unknown:
        raise MigrationError(
            f"the database has schema version {max(unknown)}, newer than this Alex "
            f"(latest {max(known, default=0)}): upgrade Alex"
        )
    for step in MIGRATIONS:
        if step.version in applied:  # by set, not by maximum: a step merged late still runs
            continue
        try:
            db.conn.execute("BEGIN IMMEDIATE")
            for statement in step.statements:
                db.conn.execute(statement)
            db.conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (step.version, step.name, time.time()),
            )
            db.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            db.conn.execute("ROLLBACK")
            raise MigrationError(f"migration {step.version} ({step.name}) failed: {exc}") from exc
