"""Reading CJ's dispute records the same way everywhere: open or decided, and in a seller's words.

CJ's ``status`` strings are undocumented ("Processing" is seen): decisions are read from
``finallyDeal`` and the raw status is shown as it came (CJ_API_NOTES.md).
"""

from __future__ import annotations

from cj.models import DisputeDetail, DisputeSummary, FinallyDeal
from conversations import policy
from conversations.render import day, money

FINISHED_STATUSES = frozenset(
    {
        "cancelled",
        "canceled",
        "closed",
        "finished",
        "completed",
        "complete",
        "rejected",
        "refunded",
        "resolved",
        "done",
        "reissued",
    }
)


def is_open(dispute: DisputeSummary) -> bool:
    """Still under review: no final deal and a status that does not say it ended."""
    if dispute.finallyDeal is not None:
        return False
    return (dispute.status or "").strip().lower() not in FINISHED_STATUSES


def outcome(dispute: DisputeSummary) -> str:
    """The decision in a few words, with the amount that matters."""
    if dispute.finallyDeal is FinallyDeal.REFUND:
        return f"refund of {money(dispute.money)}"
    if dispute.finallyDeal is FinallyDeal.REISSUE:
        code = f" (new order {dispute.resendOrderCode})" if dispute.resendOrderCode else ""
        return f"reissue worth {money(dispute.replacementAmount)}{code}"
    if dispute.finallyDeal is FinallyDeal.REJECT:
        return "rejected"
    if is_open(dispute):
        return "under review"
    return "cancelled" if "cancel" in (dispute.status or "").lower() else "ended without a decision"


def one_line(dispute: DisputeSummary) -> str:
    reason = dispute.disputeReason or "reason not given"
    return (
        f"{dispute.id} · {dispute.status or 'status unknown'} · {reason} · {outcome(dispute)} · "
        f"{day(dispute.createDate)}"
    )


def detail_text(d: DisputeDetail) -> str:
    lines = [
        f"Dispute {d.id}",
        f"Status: {d.status or 'unknown'}",
        f"Reason: {d.disputeReason or 'not given'}",
        f"Opened: {day(d.createDate)}",
    ]
    if d.orderId:
        lines.append(f"Order: {d.orderId}")
    for product in d.productList[:10]:
        lines.append(f"• {product.productName or product.productCode or 'item'} ({money(product.price)})")
    if d.finallyDeal is FinallyDeal.REFUND:
        total = d.refundAmount if d.refundAmount is not None else d.money
        lines.append(f"Decision: refund of {money(total)} USD.")
        for part in d.refundDetails:
            lines.append(f"  {part.typeName or part.type or 'amount'}: {money(part.amount)}")
        lines.append(
            f"The refund goes to your {policy.REFUND_BALANCE} or to {policy.REFUND_ORIGINAL}, "
            "as chosen when the dispute was opened."
        )
    elif d.finallyDeal is FinallyDeal.REISSUE:
        code = f" as order {d.resendOrderCode}" if d.resendOrderCode else ""
        lines.append(f"Decision: CJ reissues the items{code} (worth {money(d.replacementAmount)}).")
        lines.append(f"Check the resend and press Agree on CJ's site: {policy.WEB_DISPUTE_VIEW}.")
    elif d.finallyDeal is FinallyDeal.REJECT:
        lines.append("Decision: rejected by CJ.")
        lines.append(f"To discuss it, on CJ's site: {policy.WEB_DISPUTE_VIEW}. {policy.HUMAN_ROUTE}")
    elif is_open(d):
        lines.append(f"Decision: not yet. {policy.REVIEW_TIME}")
        lines.append(policy.ORDER_PAUSED)
    else:
        lines.append("This dispute has ended without a refund or reissue (for example, it was cancelled).")
    return "\n".join(lines)
