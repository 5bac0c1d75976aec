"""What changed in a dispute since Alex last looked, and a stable fingerprint for that change.

The fields watched are the ones a seller acts on: status (compared case-insensitively,
CJ's strings are undocumented), decision (``finallyDeal``), refund amount (``money``),
reissue amount, reissue order code and the order id. The fingerprint names one
transition (dispute, the previous state's timestamp, the new state): detecting the same
transition again after a crash yields the same outbox keys, while a dispute that later
comes back to an earlier state yields new ones.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from cj.models import DisputeSummary, FinallyDeal
from store.disputes_seen import SeenDispute


class Field(StrEnum):
    NEW = "new"
    STATUS = "status"
    DECISION = "decision"
    REFUND = "refund"
    REISSUE_AMOUNT = "reissue_amount"
    RESEND_CODE = "resend_code"
    ORDER = "order"
    GONE = "gone"


GONE_STATUS = "Closed"  # what a dispute CJ no longer lists is recorded as


@dataclass(frozen=True)
class Snapshot:
    """The watched fields of one dispute as CJ lists it now."""

    dispute_id: str
    order_id: str | None
    status: str
    finally_deal: FinallyDeal | None
    money: Decimal
    replacement_amount: Decimal
    resend_order_code: str | None
    opened_at: float | None = None
    reason: str | None = None  # shown in messages, not watched

    @classmethod
    def of(cls, summary: DisputeSummary) -> Snapshot:
        return cls(
            dispute_id=summary.id,
            order_id=summary.orderId or None,
            status=(summary.status or "").strip(),
            finally_deal=FinallyDeal.of(summary.finallyDeal),
            money=summary.money,
            replacement_amount=summary.replacementAmount,
            resend_order_code=(summary.resendOrderCode or "").strip() or None,
            opened_at=summary.createDate.timestamp() if summary.createDate else None,
            reason=summary.disputeReason or None,
        )

    def values(self) -> tuple[str, ...]:
        return (
            self.order_id or "",
            self.status.lower(),
            str(int(self.finally_deal) if self.finally_deal is not None else ""),
            _cents(self.money),
            _cents(self.replacement_amount),
            self.resend_order_code or "",
        )


def _cents(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


@dataclass(frozen=True)
class Change:
    """One transition of one dispute. ``before`` is None for a dispute never observed."""

    after: Snapshot
    before: SeenDispute | None
    fields: frozenset[Field]

    @property
    def dispute_id(self) -> str:
        return self.after.dispute_id

    @property
    def decided(self) -> bool:
        return Field.DECISION in self.fields and self.after.finally_deal is not None

    def fingerprint(self) -> str:
        previous = repr(self.before.updated_at) if self.before is not None and self.before.observed else "new"
        text = "|".join((self.dispute_id, previous, *self.after.values()))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _seen_values(seen: SeenDispute) -> Snapshot:
    return Snapshot(
        dispute_id=seen.dispute_id,
        order_id=seen.order_id,
        status=seen.status or "",
        finally_deal=seen.finally_deal,
        money=seen.money,
        replacement_amount=seen.replacement_amount,
        resend_order_code=seen.resend_order_code or None,
    )


def compare(before: SeenDispute | None, after: Snapshot) -> Change | None:
    """The change from ``before`` to ``after``, or None when nothing watched moved."""
    if before is None or not before.observed:
        return Change(after=after, before=before, fields=frozenset({Field.NEW}))
    old = _seen_values(before)
    fields: set[Field] = set()
    if old.status.lower() != after.status.lower():
        fields.add(Field.STATUS)
    if old.finally_deal != after.finally_deal:
        fields.add(Field.DECISION)
    if _cents(old.money) != _cents(after.money):
        fields.add(Field.REFUND)
    if _cents(old.replacement_amount) != _cents(after.replacement_amount):
        fields.add(Field.REISSUE_AMOUNT)
    if (old.resend_order_code or "") != (after.resend_order_code or ""):
        fields.add(Field.RESEND_CODE)
    if after.order_id and old.order_id and old.order_id != after.order_id:
        fields.add(Field.ORDER)
    if not fields:
        return None
    return Change(after=after, before=before, fields=frozenset(fields))


def gone(before: SeenDispute) -> Change:
    """A dispute CJ no longer lists (closed or cancelled on CJ's site)."""
    after = Snapshot(
        dispute_id=before.dispute_id,
        order_id=before.order_id,
        status=GONE_STATUS,
        finally_deal=before.finally_deal,
        money=before.money,
        replacement_amount=before.replacement_amount,
        resend_order_code=before.resend_order_code,
        opened_at=before.opened_at,
    )
    return Change(after=after, before=before, fields=frozenset({Field.GONE}))


def is_settled(seen: SeenDispute) -> bool:
    """Decided and nothing more to wait for: such disputes are not re-checked when missing from the list."""
    if seen.status is not None and seen.status.lower() in {"closed", "cancelled", "canceled"}:
        return True
    if seen.finally_deal in (FinallyDeal.REFUND, FinallyDeal.REJECT):
        return True
    return seen.finally_deal is FinallyDeal.REISSUE and bool(seen.resend_order_code)
