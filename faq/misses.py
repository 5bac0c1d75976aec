"""Logging abstentions to the store, opened only when there is something to log.

The store (sqlite-utils, migrations) is imported on the first miss, not at start-up,
so answering stays fast; a store that cannot be opened costs one warning, never
an answer.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path


class MissLog:
    """Appends unanswered questions to ``faq_misses`` in the configured database."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._store: Any = None
        self._failed = False
        self.recorded = 0

    @property
    def enabled(self) -> bool:
        return self.path is not None and not self._failed

    def record(self, question: str, normalized: str) -> bool:
        """Log one miss; False when logging is off or the store is unusable."""
        if not self.enabled or not question.strip():
            return False
        try:
            import sqlite3

            from store import StoreError, open_store
            from store.faq_misses import record_miss
        except ImportError as exc:  # a broken install must not stop answers
            return self._fail(f"cannot load the store: {exc}")
        try:
            if self._store is None:
                self._store = open_store(self.path)
            record_miss(self._store, question, normalized)
        except (StoreError, OSError, sqlite3.Error) as exc:
            return self._fail(str(exc))
        self.recorded += 1
        return True

    def _fail(self, reason: str) -> bool:
        self._failed = True
        print(f"alex faq: not logging unanswered questions to {self.path}: {reason}", file=sys.stderr)
        return False

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
