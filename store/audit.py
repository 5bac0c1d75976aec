"""The audit trail of every CJ write: who asked, when, what was sent, what came back.

Secrets never reach the table: :func:`redact` masks token, key and openId fields
at any depth before anything is written.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from store.db import Store

SECRET_FIELDS = frozenset(
    {
        "apikey",
        "accesstoken",
        "refreshtoken",
        "openid",
        "token",
        "cj-access-token",
        "password",
        "secret",
        "sign",
    }
)
MASK = "***"


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: float
    actor: str | None
    action: str
    request: Any
    result: Any
    ok: bool


def redact(value: Any) -> Any:
    """A copy of ``value`` with every secret-looking field masked."""
    if isinstance(value, dict):
        return {
            k: MASK if str(k).replace("_", "").lower() in SECRET_FIELDS else redact(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    return value


def record(
    store: Store,
    *,
    actor: str | None,
    action: str,
    request: Any,
    result: Any,
    ok: bool,
    now: float | None = None,
) -> int:
    cursor = store.conn.execute(
        "INSERT INTO audit_log (at, actor, action, request_json, result_json, ok) VALUES (?, ?, ?, ?, ?, ?)",
        (
            time.time() if now is None else now,
            actor,
            action,
            json.dumps(redact(request), default=str, ensure_ascii=False),
            json.dumps(redact(result), default=str, ensure_ascii=False),
            int(ok),
        ),
    )
    return int(cursor.lastrowid or 0)


def recent(store: Store, limit: int = 50, *, action: str | None = None) -> list[AuditEntry]:
    """Newest first."""
    query = "SELECT id, at, actor, action, request_json, result_json, ok FROM audit_log"
    params: tuple[Any, ...] = ()
    if action is not None:
        query += " WHERE action = ?"
        params = (action,)
    rows = store.conn.execute(query + " ORDER BY id DESC LIMIT ?", (*params, limit)).fetchall()
    return [
        AuditEntry(r[0], r[1], r[2], r[3], json.loads(r[4]), json.loads(r[5]) if r[5] else None, bool(r[6]))
        for r in rows
    ]
