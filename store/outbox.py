"""The outbox: every push message Alex owes someone, keyed so it is sent at least once and never twice.

A row is written in the same SQLite transaction as the state change that caused it
(``INSERT OR IGNORE`` on ``dedupe_key``), so a crash either keeps both or neither, and
detecting the same change again after a restart adds nothing. The sender *claims* a row
(``claimed_at``, ``attempts + 1``) right before handing it to Telegram and marks
``sent_at`` right after Telegram accepted it. A row claimed but never marked is *in doubt*:
the process died during that one HTTP round trip.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from store.db import Store


@contextmanager
def transaction(store: Store) -> Iterator[sqlite3.Connection]:
    """One ``BEGIN IMMEDIATE`` ... ``COMMIT``; joins the caller's transaction when one is open."""
    conn = store.conn
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@dataclass(frozen=True)
class OutboxItem:
    """A message to queue: ``buttons`` rows of ``(label, data)``; ``photo``: PNG, ``text`` its caption."""

    dedupe_key: str
    chat_id: int
    text: str
    buttons: tuple[tuple[tuple[str, str], ...], ...] = ()
    photo: bytes | None = None
    kind: str = "message"

    def payload_json(self) -> str:
        payload: dict[str, object] = {
            "kind": self.kind,
            "text": self.text,
            "buttons": [[list(b) for b in row] for row in self.buttons],
        }
        if self.photo is not None:
            payload["photo_b64"] = base64.b64encode(self.photo).decode("ascii")
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class OutboxRow:
    dedupe_key: str
    chat_id: int
    text: str
    buttons: tuple[tuple[tuple[str, str], ...], ...]
    photo: bytes | None
    kind: str
    created_at: float
    attempts: int
    claimed_at: float | None = None
    last_error: str | None = None


@dataclass(frozen=True)
class OutboxCounts:
    pending: int
    sent: int
    dead: int
    in_doubt: int


_COLUMNS = "dedupe_key, chat_id, payload_json, created_at, attempts, claimed_at, last_error"


def _row(values: tuple) -> OutboxRow:
    key, chat_id, payload_json, created_at, attempts, claimed_at, last_error = values
    payload = json.loads(payload_json)
    photo_b64 = payload.get("photo_b64")
    return OutboxRow(
        dedupe_key=key,
        chat_id=int(chat_id),
        text=str(payload.get("text", "")),
        buttons=tuple(tuple((str(b[0]), str(b[1])) for b in row) for row in payload.get("buttons", [])),
        photo=base64.b64decode(photo_b64) if photo_b64 else None,
        kind=str(payload.get("kind", "message")),
        created_at=float(created_at),
        attempts=int(attempts),
        claimed_at=claimed_at,
        last_error=last_error,
    )


def add(store: Store, items: Iterable[OutboxItem], now: float) -> int:
    """Queue messages; keys already present are ignored. Returns how many rows are new."""
    added = 0
    with transaction(store) as conn:
        for item in items:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO outbox "
                "(dedupe_key, chat_id, payload_json, created_at, next_attempt_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (item.dedupe_key, item.chat_id, item.payload_json(), now, now),
            )
            added += cursor.rowcount
    return added


def due(store: Store, now: float, limit: int = 100) -> list[OutboxRow]:
    """Unsent, alive rows whose time has come, oldest first (claimed rows are in someone's hands)."""
    rows = store.conn.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE sent_at IS NULL AND dead = 0 AND claimed_at IS NULL "
        "AND next_attempt_at <= ? ORDER BY created_at, rowid LIMIT ?",
        (now, limit),
    ).fetchall()
    return [_row(r) for r in rows]


def next_due_at(store: Store) -> float | None:
    """When the earliest unsent row may go (None: nothing waits)."""
    row = store.conn.execute(
        "SELECT MIN(next_attempt_at) FROM outbox WHERE sent_at IS NULL AND dead = 0 AND claimed_at IS NULL"
    ).fetchone()
    return None if row[0] is None else float(row[0])


def get(store: Store, dedupe_key: str) -> OutboxRow | None:
    row = store.conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE dedupe_key = ?", (dedupe_key,)).fetchone()
    return _row(row) if row else None


def claim(store: Store, dedupe_key: str, now: float) -> bool:
    """Take a row for sending; False when it was sent, dead or claimed meanwhile."""
    cursor = store.conn.execute(
        "UPDATE outbox SET claimed_at = ?, attempts = attempts + 1 "
        "WHERE dedupe_key = ? AND sent_at IS NULL AND dead = 0 AND claimed_at IS NULL",
        (now, dedupe_key),
    )
    return cursor.rowcount == 1


def mark_sent(store: Store, dedupe_key: str, now: float) -> None:
    store.conn.execute(
        "UPDATE outbox SET sent_at = ?, claimed_at = NULL, last_error = NULL WHERE dedupe_key = ?",
        (now, dedupe_key),
    )


def defer(store: Store, dedupe_key: str, until: float, error: str) -> None:
    """Release a claimed row to be tried again at ``until``."""
    store.conn.execute(
        "UPDATE outbox SET claimed_at = NULL, next_attempt_at = ?, last_error = ? WHERE dedupe_key = ?",
        (until, error[:500], dedupe_key),
    )


def defer_chat(store: Store, chat_id: int, until: float, error: str) -> int:
    """Hold every unsent row of a chat until ``until`` (Telegram asked us to wait)."""
    cursor = store.conn.execute(
        "UPDATE outbox SET next_attempt_at = MAX(next_attempt_at, ?), last_error = ?, claimed_at = NULL "
        "WHERE chat_id = ? AND sent_at IS NULL AND dead = 0",
        (until, error[:500], chat_id),
    )
    return cursor.rowcount


def mark_dead(store: Store, dedupe_key: str, error: str) -> None:
    store.conn.execute(
        "UPDATE outbox SET dead = 1, claimed_at = NULL, last_error = ? WHERE dedupe_key = ?",
        (error[:500], dedupe_key),
    )


def kill_chat(store: Store, chat_id: int, error: str) -> int:
    """Give up every unsent row of a chat (it blocked the bot or no longer exists)."""
    cursor = store.conn.execute(
        "UPDATE outbox SET dead = 1, claimed_at = NULL, last_error = ? "
        "WHERE chat_id = ? AND sent_at IS NULL AND dead = 0",
        (error[:500], chat_id),
    )
    return cursor.rowcount


def retarget(store: Store, old_chat_id: int, new_chat_id: int) -> int:
    """A group became a supergroup: its unsent rows go to the new chat id (keys stay, so no duplicates)."""
    cursor = store.conn.execute(
        "UPDATE outbox SET chat_id = ?, claimed_at = NULL, next_attempt_at = 0 "
        "WHERE chat_id = ? AND sent_at IS NULL AND dead = 0",
        (new_chat_id, old_chat_id),
    )
    return cursor.rowcount


def in_doubt(store: Store) -> list[OutboxRow]:
    """Rows claimed and never marked: the process stopped while Telegram had (or had not) the message."""
    rows = store.conn.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE claimed_at IS NOT NULL AND sent_at IS NULL AND dead = 0 "
        "ORDER BY created_at, rowid"
    ).fetchall()
    return [_row(r) for r in rows]


def release_in_doubt(store: Store, now: float) -> int:
    """At start-up, put in-doubt rows back in the queue: resending beats losing (at least once)."""
    cursor = store.conn.execute(
        "UPDATE outbox SET claimed_at = NULL, next_attempt_at = ?, last_error = 'in doubt after restart' "
        "WHERE claimed_at IS NOT NULL AND sent_at IS NULL AND dead = 0",
        (now,),
    )
    return cursor.rowcount


def counts(store: Store) -> OutboxCounts:
    row = store.conn.execute(
        "SELECT "
        "SUM(CASE WHEN sent_at IS NULL AND dead = 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN dead = 1 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN claimed_at IS NOT NULL AND sent_at IS NULL AND dead = 0 THEN 1 ELSE 0 END) "
        "FROM outbox"
    ).fetchone()
    return OutboxCounts(*(int(v or 0) for v in row))


def prune_sent(store: Store, older_than: float) -> int:
    """Forget rows delivered (or given up) before ``older_than``; ``disputes_seen`` keeps their changes."""
    cursor = store.conn.execute(
        "DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < ?) OR (dead = 1 AND created_at < ?)",
        (older_than, older_than),
    )
    return cursor.rowcount
