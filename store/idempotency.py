"""Idempotency keys for CJ writes: a retried or replayed write finds the first one's outcome.

A key goes ``pending`` (with what the write needs to recognise its own result, e.g. the
disputes that existed before) → ``done`` (with the result) or ``failed`` (CJ refused for good:
the same key may be tried again, which :func:`begin` turns back into pending).

Every change after :func:`begin` is conditional on the row still being pending, in one SQL
statement: two processes sharing the database never overwrite a finished row (the second one's
:func:`update`, :func:`complete` or :func:`fail` returns False and changes nothing). The row is
written before the request leaves, so a crash mid-request is visible on restart.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from store.db import Store, StoreError

State = Literal["pending", "done", "failed"]
PENDING: State = "pending"
DONE: State = "done"
FAILED: State = "failed"


@dataclass(frozen=True)
class IdempotencyRecord:
    key: str
    kind: str
    state: State
    data: dict[str, Any] = field(default_factory=dict)
    created_at: float = 0.0
    updated_at: float = 0.0


def get(store: Store, key: str) -> IdempotencyRecord | None:
    row = store.conn.execute(
        "SELECT key, kind, state, result_json, created_at, updated_at FROM idempotency_keys WHERE key = ?",
        (key,),
    ).fetchone()
    if row is None:
        return None
    return IdempotencyRecord(row[0], row[1], row[2], json.loads(row[3] or "{}"), row[4], row[5])


def begin(
    store: Store, key: str, kind: str, data: dict[str, Any], *, now: float | None = None
) -> IdempotencyRecord:
    """Create ``key`` as pending, or restart it when its last attempt failed; return the row as stored.

    An existing pending or done row is returned untouched: the caller must continue from *that*
    row (another process may have begun first), not from the data it passed in.
    """
    at = time.time() if now is None else now
    store.conn.execute(
        "INSERT INTO idempotency_keys (key, kind, state, result_json, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(key) DO UPDATE SET state = excluded.state, result_json = excluded.result_json,"
        " updated_at = excluded.updated_at WHERE idempotency_keys.state = 'failed'",
        (key, kind, PENDING, json.dumps(data, default=str), at, at),
    )
    record = get(store, key)
    if record is None:
        raise StoreError(f"idempotency key {key!r} vanished while being written")
    return record


def _finish_pending(store: Store, key: str, data: dict[str, Any], state: State, now: float | None) -> bool:
    cursor = store.conn.execute(
        "UPDATE idempotency_keys SET state = ?, result_json = ?, updated_at = ?"
        " WHERE key = ? AND state = 'pending'",
        (state, json.dumps(data, default=str), time.time() if now is None else now, key),
    )
    return cursor.rowcount == 1


def update(store: Store, key: str, data: dict[str, Any], *, now: float | None = None) -> bool:
    """Replace a pending row's data. False (and nothing written) when the row is no longer pending."""
    return _finish_pending(store, key, data, PENDING, now)


def complete(store: Store, key: str, data: dict[str, Any], *, now: float | None = None) -> bool:
    """Pending → done. False when someone else already finished the row (theirs stands)."""
    return _finish_pending(store, key, data, DONE, now)


def fail(store: Store, key: str, data: dict[str, Any], *, now: float | None = None) -> bool:
    """Pending → failed. False when the row is no longer pending."""
    return _finish_pending(store, key, data, FAILED, now)
