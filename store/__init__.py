"""One SQLite file for everything Alex must remember across restarts.

Opened through :func:`open_store`, in WAL mode, migrated by explicit numbered
steps in :mod:`store.migrations`. Each concern reads and writes its own tables
through a small module here (``tokens``, ``conversations``, ``audit``, ...), so
no other package writes SQL.

Exceptions: :class:`StoreError` is the root; :class:`MigrationError` when the
file was written by a newer Alex or a step failed.
"""

from store.db import MigrationError, Store, StoreError, open_store

__all__ = ["MigrationError", "Store", "StoreError", "open_store"]
