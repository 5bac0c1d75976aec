"""FAQ questions Alex could not answer, so the knowledge base can grow where sellers need it.

``faq_misses`` keeps one row per abstention. Rows are grouped by the normalised
question, so "refund to klarna?" and "Refund to Klarna" count as one topic.
Questions are cut to :data:`MAX_QUESTION_CHARS` and anything that looks like a
key or token is blanked before it is stored: sellers do paste secrets into chats.
"""

from __future__ import annotations

import re
import time
from typing import NamedTuple

from store.db import Store

MAX_QUESTION_CHARS = 500
_SECRET_LIKE = re.compile(r"[A-Za-z0-9_\-+/=.]{24,}")


class Miss(NamedTuple):
    """One unanswered topic: how often it came up, the latest wording, and when."""

    normalized: str
    count: int
    example: str
    last_at: float


def _redact(text: str) -> str:
    return _SECRET_LIKE.sub("[redacted]", text)


def record_miss(store: Store, question: str, normalized: str, *, at: float | None = None) -> None:
    """Log one question the matcher abstained on."""
    store.conn.execute(
        "INSERT INTO faq_misses (at, question, normalized) VALUES (?, ?, ?)",
        (
            time.time() if at is None else at,
            _redact(question[:MAX_QUESTION_CHARS]),
            _redact(normalized[:MAX_QUESTION_CHARS]),
        ),
    )


def top_misses(store: Store, limit: int = 20) -> list[Miss]:
    """The most frequent unanswered topics, most frequent first, then most recent."""
    rows = store.conn.execute(
        """
        SELECT m.normalized, COUNT(*) AS n, MAX(m.at) AS last_at,
               (SELECT question FROM faq_misses l WHERE l.normalized = m.normalized
                ORDER BY l.at DESC, l.id DESC LIMIT 1) AS example
        FROM faq_misses m
        GROUP BY m.normalized
        ORDER BY n DESC, last_at DESC
        LIMIT ?
        """,
        (max(int(limit), 0),),
    ).fetchall()
    return [Miss(normalized=r[0], count=int(r[1]), example=r[3], last_at=float(r[2])) for r in rows]


def count_misses(store: Store) -> int:
    row = store.conn.execute("SELECT COUNT(*) FROM faq_misses").fetchone()
    return int(row[0])


def clear_misses(store: Store, normalized: str | None = None) -> int:
    """Forget one topic (after adding an entry for it) or all of them; returns the rows removed."""
    if normalized is None:
        cursor = store.conn.execute("DELETE FROM faq_misses")
    else:
        cursor = store.conn.execute("DELETE FROM faq_misses WHERE normalized = ?", (normalized,))
    return int(cursor.rowcount)
