"""The last state Alex saw of each CJ dispute, and who opened it through Alex.

The notifier diffs CJ's list against these rows. A row written by :func:`record_opener`
before any sweep saw the dispute has ``status`` NULL: *not observed yet*. Observed rows
always carry a status (an empty string when CJ sent none), which is how the two are told apart.
:func:`apply_sweep` updates rows and queues the resulting messages in one transaction, so a
change is either recorded *and* queued, or neither.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from cj.models import FinallyDeal
from store import outbox
from store.db import Store
from store.outbox import OutboxItem, transaction


@dataclass(frozen=True)
class SeenDispute:
    dispute_id: str
    account: str
    order_id: str | None = None
    status: str | None = None
    finally_deal: FinallyDeal | None = None  # stored as CJ's integer (1 refund, 2 reissue, 3 reject)
    money: Decimal = Decimal("0")
    replacement_amount: Decimal = Decimal("0")
    resend_order_code: str | None = None
    opener_user_id: int | None = None
    opener_chat_id: int | None = None
    first_seen_at: float = 0.0
    updated_at: float = 0.0
    opened_at: float | None = None
    decided_at: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "finally_deal", FinallyDeal.of(self.finally_deal))

    @property
    def observed(self) -> bool:
        return self.status is not None

    def evolve(self, **changes: object) -> SeenDispute:
        return replace(self, **changes)  # type: ignore[arg-type]


_FIELDS = (
    "dispute_id, account, order_id, status, finally_deal, money, replacement_amount, resend_order_code, "
    "opener_user_id, opener_chat_id, first_seen_at, updated_at, opened_at, decided_at"
)


def _dec(value: object) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal("0")


def _from_row(row: tuple) -> SeenDispute:
    (
        dispute_id,
        account,
        order_id,
        status,
        finally_deal,
        money,
        replacement,
        resend,
        opener_user,
        opener_chat,
        first_seen_at,
        updated_at,
        opened_at,
        decided_at,
    ) = row
    return SeenDispute(
        dispute_id=dispute_id,
        account=account,
        order_id=order_id,
        status=status,
        finally_deal=FinallyDeal.of(finally_deal),
        money=_dec(money),
        replacement_amount=_dec(replacement),
        resend_order_code=resend,
        opener_user_id=opener_user,
        opener_chat_id=opener_chat,
        first_seen_at=float(first_seen_at),
        updated_at=float(updated_at),
        opened_at=opened_at,
        decided_at=decided_at,
    )


def record_opener(
    store: Store,
    dispute_id: str,
    order_id: str | None,
    account: str,
    user_id: int,
    chat_id: int,
    *,
    now: float | None = None,
) -> None:
    """Remember who opened a dispute through Alex, so its changes reach them in that chat.

    Called by the conversation engine right after CJ created the dispute; safe to call twice.
    """
    at = time.time() if now is None else now
    store.conn.execute(
        "INSERT INTO disputes_seen (dispute_id, account, order_id, opener_user_id, opener_chat_id, "
        "first_seen_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (dispute_id) DO UPDATE SET opener_user_id = excluded.opener_user_id, "
        "opener_chat_id = excluded.opener_chat_id, "
        "order_id = COALESCE(disputes_seen.order_id, excluded.order_id)",
        (dispute_id, account, order_id, user_id, chat_id, at, at),
    )


def get(store: Store, dispute_id: str) -> SeenDispute | None:
    row = store.conn.execute(
        f"SELECT {_FIELDS} FROM disputes_seen WHERE dispute_id = ?", (dispute_id,)
    ).fetchone()
    return _from_row(row) if row else None


def for_account(store: Store, account: str) -> dict[str, SeenDispute]:
    rows = store.conn.execute(f"SELECT {_FIELDS} FROM disputes_seen WHERE account = ?", (account,)).fetchall()
    return {r[0]: _from_row(r) for r in rows}


def has_observed(store: Store, account: str) -> bool:
    """False before the first sweep of this account finished: that sweep is a silent baseline."""
    row = store.conn.execute(
        "SELECT 1 FROM disputes_seen WHERE account = ? AND status IS NOT NULL LIMIT 1", (account,)
    ).fetchone()
    return row is not None


def apply_sweep(store: Store, rows: Iterable[SeenDispute], messages: Iterable[OutboxItem], now: float) -> int:
    """Write the new states and queue their messages atomically. Returns how many messages are new."""
    with transaction(store) as conn:
        for seen in rows:
            conn.execute(
                f"INSERT INTO disputes_seen ({_FIELDS}) VALUES ({', '.join('?' * 14)}) "
                "ON CONFLICT (dispute_id) DO UPDATE SET account = excluded.account, "
                "order_id = COALESCE(excluded.order_id, disputes_seen.order_id), status = excluded.status, "
                "finally_deal = excluded.finally_deal, money = excluded.money, "
                "replacement_amount = excluded.replacement_amount, "
                "resend_order_code = excluded.resend_order_code, "
                "updated_at = excluded.updated_at, "
                "opened_at = COALESCE(excluded.opened_at, disputes_seen.opened_at), "
                "decided_at = COALESCE(disputes_seen.decided_at, excluded.decided_at)",
                (
                    seen.dispute_id,
                    seen.account,
                    seen.order_id,
                    seen.status,
                    int(seen.finally_deal) if seen.finally_deal is not None else None,
                    str(seen.money),
                    str(seen.replacement_amount),
                    seen.resend_order_code,
                    seen.opener_user_id,
                    seen.opener_chat_id,
                    seen.first_seen_at or now,
                    seen.updated_at or now,
                    seen.opened_at,
                    seen.decided_at,
                ),
            )
        return outbox.add(store, messages, now)


# --- figures for the digests -------------------------------------------------------


@dataclass(frozen=True)
class DayFigures:
    opened: int
    decided: int
    refunds: int
    reissues: int
    rejections: int
    refunded: Decimal


def count_open(store: Store) -> int:
    row = store.conn.execute(
        "SELECT COUNT(*) FROM disputes_seen WHERE status IS NOT NULL AND finally_deal IS NULL "
        "AND LOWER(status) NOT IN ('cancelled', 'canceled', 'closed')"
    ).fetchone()
    return int(row[0])


def figures_between(store: Store, start: float, end: float) -> DayFigures:
    """Disputes opened (CJ's date, else first seen) and decided in ``[start, end)``, and money refunded."""
    opened = store.conn.execute(
        "SELECT COUNT(*) FROM disputes_seen WHERE COALESCE(opened_at, first_seen_at) >= ? "
        "AND COALESCE(opened_at, first_seen_at) < ?",
        (start, end),
    ).fetchone()[0]
    decided = store.conn.execute(
        "SELECT finally_deal, money FROM disputes_seen WHERE decided_at >= ? AND decided_at < ?", (start, end)
    ).fetchall()
    deals = [(FinallyDeal.of(deal), money) for deal, money in decided]
    refunded = sum((_dec(money) for deal, money in deals if deal is FinallyDeal.REFUND), Decimal("0"))
    return DayFigures(
        opened=int(opened),
        decided=len(decided),
        refunds=sum(1 for deal, _ in deals if deal is FinallyDeal.REFUND),
        reissues=sum(1 for deal, _ in deals if deal is FinallyDeal.REISSUE),
        rejections=sum(1 for deal, _ in deals if deal is FinallyDeal.REJECT),
        refunded=refunded,
    )
