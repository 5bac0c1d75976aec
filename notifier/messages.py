"""Every push text the notifier sends, in plain text, with the next step from CJ's own help pages.

Facts and where they come from (``/work/shared/seeds``):
- refund destination: Payssion → the payment account, otherwise the CJ wallet; orders closed
  in CJ → always the wallet (001, "Where will the refund be deposited?"); wallet money pays
  other orders (000);
- Stripe refunds: 5-10 business days depending on the bank (001);
- reissue: check the resend in "AS Service Center" > "View" and click "Agree" if correct (000);
- rejection: talk to CJ through the "Chat" window or open a ticket to CJ management (001);
- review time: about 2 working days (001).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from cj.models import DisputeDetail, FinallyDeal
from notifier.diff import Change, Field

CENT = Decimal("0.01")

REFUND_NEXT_STEP = (
    "Where the money goes: to your payment account if you paid through Payssion, otherwise to your CJ wallet "
    "(if the order is closed in CJ, always the wallet), where it pays for your next orders. "
    "Card refunds through Stripe take 5-10 business days, depending on the bank."
)
REISSUE_NEXT_STEP = (
    'Next step: in CJ, open AS Service Center, click "View" on this dispute, check the resend and click '
    '"Agree" if it is correct; CJ handles the rest.'
)
REISSUE_CODE_PENDING = "CJ has not given the new order code yet: you will get a message when it does."
REJECT_NEXT_STEP = (
    'If you disagree, talk to CJ: the "Chat" window in the corner of the CJ page reaches a human agent, '
    "or open a ticket to CJ management."
)
NEW_NEXT_STEP = (
    "CJ usually reviews a dispute in about 2 working days. The order is paused until it is closed."
)


def money(value: Decimal | None) -> str:
    amount = value if value is not None else Decimal("0")
    return f"${amount.quantize(CENT, rounding=ROUND_HALF_UP):,}"


def _order(change: Change) -> str:
    """CJ's list often omits the order id; the one Alex recorded at opening fills in."""
    order_id = change.after.order_id or (change.before.order_id if change.before is not None else None)
    return f" (order {order_id})" if order_id else ""


def _breakdown(detail: DisputeDetail | None) -> str:
    if detail is None or not detail.refundDetails:
        return ""
    parts = [f"{d.typeName or d.type or 'other'} {money(d.amount)}" for d in detail.refundDetails]
    return " (" + ", ".join(parts) + ")"


def dispute_change(change: Change, detail: DisputeDetail | None = None) -> str:
    """The message for one change: what changed, the amounts, and what to do next."""
    after = change.after
    head = f"Dispute {after.dispute_id}{_order(change)}"
    lines: list[str] = []
    if Field.GONE in change.fields:
        lines.append(f"{head} is no longer listed by CJ: it was closed or cancelled.")
        lines.append("Processing of the order resumes once the dispute is closed.")
        return "\n".join(lines)
    if Field.NEW in change.fields:
        why = (detail.disputeReason if detail is not None else None) or after.reason
        reason = f" ({why})" if why else ""
        lines.append(
            f"New dispute {after.dispute_id}{_order(change)}{reason}: status {after.status or 'unknown'}."
        )
        if after.finally_deal is None:
            lines.append(NEW_NEXT_STEP)
    deal = after.finally_deal
    if Field.DECISION in change.fields or (Field.NEW in change.fields and deal is not None):
        if deal is None:
            lines.append(
                f"{head}: CJ withdrew its decision; the dispute is open again (status {after.status})."
            )
        else:
            lines.append(f"{head} was decided: {deal.label.upper()}.")
    elif Field.STATUS in change.fields and Field.NEW not in change.fields:
        old = change.before.status if change.before is not None else None
        lines.append(f"{head}: status changed from {old or 'unknown'} to {after.status or 'unknown'}.")
    elif Field.NEW not in change.fields:
        lines.append(f"{head} was updated.")
    if deal is FinallyDeal.REFUND and (change.fields & {Field.DECISION, Field.REFUND, Field.NEW}):
        amount = (
            detail.refundAmount if detail is not None and detail.refundAmount is not None else after.money
        )
        lines.append(f"Refund: {money(amount)}{_breakdown(detail)}.")
        lines.append(REFUND_NEXT_STEP)
    elif deal is FinallyDeal.REISSUE and (
        change.fields & {Field.DECISION, Field.REISSUE_AMOUNT, Field.RESEND_CODE, Field.NEW}
    ):
        if after.replacement_amount:
            lines.append(f"Reissue worth {money(after.replacement_amount)}.")
        if after.resend_order_code:
            lines.append(f"New order code: {after.resend_order_code}.")
            lines.append(REISSUE_NEXT_STEP)
        else:
            lines.append(REISSUE_CODE_PENDING)
    elif deal is FinallyDeal.REJECT and (change.fields & {Field.DECISION, Field.NEW}):
        lines.append(REJECT_NEXT_STEP)
    elif Field.REFUND in change.fields:
        lines.append(f"Refund amount now {money(after.money)}.")
    if Field.ORDER in change.fields and change.before is not None:
        lines.append(f"Order changed from {change.before.order_id} to {after.order_id}.")
    return "\n".join(lines)


# --- digests ------------------------------------------------------------------------


def _day(at: float) -> str:
    return datetime.fromtimestamp(at, tz=UTC).strftime("%Y-%m-%d")


def daily_digest(
    day_start: float,
    open_count: int,
    decided: int,
    refunds: int,
    reissues: int,
    rejections: int,
    refunded: Decimal,
) -> str:
    """The day just ended: disputes still open now, decided that day, money refunded that day."""
    outcome = f" ({refunds} refunded, {reissues} reissued, {rejections} rejected)" if decided else ""
    return "\n".join(
        [
            f"Daily disputes digest for {_day(day_start)} (UTC)",
            f"Open: {open_count}",
            f"Decided: {decided}{outcome}",
            f"Refunded: {money(refunded)}",
        ]
    )


def weekly_digest(
    week_start: float,
    opened: Sequence[int],
    decided: Sequence[int],
    refunded: Sequence[Decimal],
    open_count: int,
) -> str:
    total_refunded = sum(refunded, Decimal("0"))
    return "\n".join(
        [
            f"Disputes, week from {_day(week_start)} (UTC)",
            f"Opened: {sum(opened)}",
            f"Decided: {sum(decided)}",
            f"Money recovered (refunds): {money(total_refunded)}",
            f"Still open: {open_count}",
        ]
    )


# --- suggestions from orders and logistics ------------------------------------------------


def suggestion(order_id: str, reason: str, tracking_number: str | None = None) -> str:
    track = f", tracking {tracking_number}" if tracking_number else ""
    return (
        f"Order {order_id}{track}: {reason}.\n"
        "This order may qualify for a dispute (refund or reissue). Open one now with the button below, "
        "before the dispute window closes."
    )
