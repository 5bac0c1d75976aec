"""Groups subscribed to dispute status pushes (``/subscribe`` in a team group).

A group that becomes a supergroup gets a new chat id; :func:`migrate` moves its
subscription so the team keeps receiving updates without subscribing again.
"""

from __future__ import annotations

import time

from pydantic import BaseModel, ConfigDict

from store.db import Store


class Subscription(BaseModel):
    model_config = ConfigDict(frozen=True)

    chat_id: int
    title: str | None
    subscribed_by: int | None
    created_at: float


def subscribe(store: Store, chat_id: int, *, title: str | None, user_id: int | None,
              now: float | None = None) -> bool:
    """Subscribe a group; False when it already was (the title is refreshed)."""
    cur = store.conn.execute(
        "INSERT INTO group_subscriptions (chat_id, title, subscribed_by, created_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(chat_id) DO NOTHING",
        (chat_id, title, user_id, time.time() if now is None else now),
    )
    if cur.rowcount == 0:
        store.conn.execute("UPDATE group_subscriptions SET title = ? WHERE chat_id = ?", (title, chat_id))
        return False
    return True


def unsubscribe(store: Store, chat_id: int) -> bool:
    """Remove a group's subscription; False when it had none."""
    cur = store.conn.execute("DELETE FROM group_subscriptions WHERE chat_id = ?", (chat_id,))
    return cur.rowcount > 0


def is_subscribed(store: Store, chat_id: int) -> bool:
    row = store.conn.execute("SELECT 1 FROM group_subscriptions WHERE chat_id = ?", (chat_id,)).fetchone()
    return row is not None


def list_subscriptions(store: Store) -> list[Subscription]:
    rows = store.conn.execute(
        "SELECT chat_id, title, subscribed_by, created_at FROM group_subscriptions "
        "ORDER BY created_at, chat_id"
    ).fetchall()
    return [Subscription(chat_id=r[0], title=r[1], subscribed_by=r[2], created_at=r[3]) for r in rows]


def migrate(store: Store, old_chat_id: int, new_chat_id: int) -> bool:
    """Move a subscription to the supergroup's new id; False when the old group had none.

    If the new id is somehow subscribed already, the old row is simply dropped.
    """
    conn = store.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("SELECT 1 FROM group_subscriptions WHERE chat_id = ?", (new_chat_id,)).fetchone():
            moved = conn.execute("DELETE FROM group_subscriptions WHERE chat_id = ?", (old_chat_id,)).rowcount
        else:
            moved = conn.execute(
                "UPDATE group_subscriptions SET chat_id = ? WHERE chat_id = ?", (new_chat_id, old_chat_id)
            ).rowcount
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return moved > 0
