"""CJ access tokens per account, so a restart reuses them instead of asking CJ again.

``account`` is a hash of the base URL and the API key (see ``cj.tokens.account_id``):
the key itself is never stored. Tokens are stored as TEXT (CJ's run to hundreds of
characters) with their expiry as epoch seconds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from store.db import Store


@dataclass(frozen=True)
class TokenRecord:
    account: str
    access_token: str
    access_expires_at: float
    refresh_token: str
    refresh_expires_at: float
    open_id: str | None = None
    updated_at: float = 0.0

    def __repr__(self) -> str:  # tokens are secrets: keep them out of logs and tracebacks
        return (
            f"TokenRecord(account={self.account!r}, access_expires_at={self.access_expires_at}, "
            f"refresh_expires_at={self.refresh_expires_at})"
        )


def load_token(store: Store, account: str) -> TokenRecord | None:
    row = store.conn.execute(
        "SELECT account, access_token, access_expires_at, refresh_token, refresh_expires_at, open_id,"
        " updated_at FROM cj_tokens WHERE account = ?",
        (account,),
    ).fetchone()
    return TokenRecord(*row) if row else None


def save_token(store: Store, record: TokenRecord, *, now: float | None = None) -> TokenRecord:
    saved = TokenRecord(
        account=record.account,
        access_token=record.access_token,
        access_expires_at=record.access_expires_at,
        refresh_token=record.refresh_token,
        refresh_expires_at=record.refresh_expires_at,
        open_id=record.open_id,
        updated_at=time.time() if now is None else now,
    )
    store.conn.execute(
        "INSERT INTO cj_tokens (account, open_id, access_token, access_expires_at, refresh_token,"
        " refresh_expires_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(account) DO UPDATE SET open_id = excluded.open_id,"
        " access_token = excluded.access_token,"
        " access_expires_at = excluded.access_expires_at, refresh_token = excluded.refresh_token,"
        " refresh_expires_at = excluded.refresh_expires_at, updated_at = excluded.updated_at",
        (
            saved.account,
            saved.open_id,
            saved.access_token,
            saved.access_expires_at,
            saved.refresh_token,
            saved.refresh_expires_at,
            saved.updated_at,
        ),
    )
    return saved


def delete_token(store: Store, account: str) -> None:
    store.conn.execute("DELETE FROM cj_tokens WHERE account = ?", (account,))
