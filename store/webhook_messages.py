"""CJ webhook messages taken in, by ``messageId``: the queue between a fast 200 and the slow work.

CJ retries a message it thinks failed, so the same ``messageId`` can arrive again:
:func:`accept` says whether it is new. Rows with ``processed_at`` NULL are the work queue.

The envelope's ``openId`` is CJ's webhook signing key: it is removed before a body is stored
(processing never needs it), so this table holds order data but no secret.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from store.db import Store


@dataclass(frozen=True)
class WebhookMessage:
    message_id: str
    type: str | None
    payload_json: str
    received_at: float


SIGNING_KEY_FIELD = "openId"


def without_signing_key(payload_json: str) -> str:
    """The body minus its ``openId``; a body that is not a JSON object is kept as it came."""
    try:
        payload = json.loads(payload_json)
    except ValueError:
        return payload_json
    if not isinstance(payload, dict) or SIGNING_KEY_FIELD not in payload:
        return payload_json
    payload.pop(SIGNING_KEY_FIELD)
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def accept(store: Store, message_id: str, type_: str | None, payload_json: str, now: float) -> bool:
    """Queue a verified message (without its openId); False when this ``messageId`` was taken before."""
    cursor = store.conn.execute(
        "INSERT OR IGNORE INTO webhook_messages (message_id, type, received_at, payload_json) "
        "VALUES (?, ?, ?, ?)",
        (message_id, type_, now, without_signing_key(payload_json)),
    )
    return cursor.rowcount == 1


def pending(store: Store, limit: int = 100) -> list[WebhookMessage]:
    rows = store.conn.execute(
        "SELECT message_id, type, payload_json, received_at FROM webhook_messages WHERE processed_at IS NULL "
        "ORDER BY received_at, rowid LIMIT ?",
        (limit,),
    ).fetchall()
    return [WebhookMessage(m, t, p, float(r)) for m, t, p, r in rows]


def mark_processed(store: Store, message_id: str, now: float) -> None:
    store.conn.execute("UPDATE webhook_messages SET processed_at = ? WHERE message_id = ?", (now, message_id))


def count(store: Store) -> int:
    return int(store.conn.execute("SELECT COUNT(*) FROM webhook_messages").fetchone()[0])


def prune_processed(store: Store, older_than: float) -> int:
    """Forget handled messages; CJ stops retrying after three tries 5 minutes apart, so days suffice."""
    cursor = store.conn.execute(
        "DELETE FROM webhook_messages WHERE processed_at IS NOT NULL AND received_at < ?", (older_than,)
    )
    return cursor.rowcount
