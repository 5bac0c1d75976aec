"""The one live conversation per (chat, user): its flow, step and pydantic state as JSON.

Written on every transition by the conversation engine, so a restart resumes at the
same step with the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from store.db import Store


@dataclass(frozen=True)
class SavedConversation:
    chat_id: int
    user_id: int
    flow: str
    step: str
    state_json: str
    updated_at: float


class ConversationStore:
    """Load, save and drop the conversation row of a (chat, user)."""

    def __init__(self, store: Store) -> None:
        self._conn = store.conn

    def load(self, chat_id: int, user_id: int) -> SavedConversation | None:
        row = self._conn.execute(
            "SELECT chat_id, user_id, flow, step, state_json, updated_at FROM conversations"
            " WHERE chat_id = ? AND user_id = ?",
            (chat_id, user_id),
        ).fetchone()
        return SavedConversation(*row) if row else None

    def save(
        self, chat_id: int, user_id: int, flow: str, step: str, state_json: str, updated_at: float
    ) -> None:
        self._conn.execute(
            "INSERT INTO conversations (chat_id, user_id, flow, step, state_json, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (chat_id, user_id) DO UPDATE SET flow = excluded.flow, step = excluded.step,"
            " state_json = excluded.state_json, updated_at = excluded.updated_at",
            (chat_id, user_id, flow, step, state_json, updated_at),
        )

    def delete(self, chat_id: int, user_id: int) -> None:
        self._conn.execute("DELETE FROM conversations WHERE chat_id = ? AND user_id = ?", (chat_id, user_id))

    def older_than(self, cutoff: float) -> list[SavedConversation]:
        """Rows last touched before ``cutoff`` (epoch seconds), oldest first."""
        rows = self._conn.execute(
            "SELECT chat_id, user_id, flow, step, state_json, updated_at FROM conversations"
            " WHERE updated_at < ? ORDER BY updated_at",
            (cutoff,),
        ).fetchall()
        return [SavedConversation(*row) for row in rows]

    def count(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0])
