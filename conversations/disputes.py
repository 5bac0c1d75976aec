"""Reading CJ's dispute records the same way everywhere: open or decided, and in a seller's words.

CJ's ``status`` strings are undocumented ("Processing" is seen): decisions are read from
``finallyDeal`` (CJ API docs, "Dispute": 1 refund, 2 reissue, 3 reject) and the raw status
is shown as it came.
"""

from __future__ import annotations

from cj.models import DisputeDetail, DisputeSummary, FinallyDeal, RefundType
from conversations import policy
from conversations.render import day, money
from conversations.texts import follow as texts
from i18n import Translator

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
MAX_ITEMS_SHOWN = 10


def is_open(dispute: DisputeSummary) -> bool:
    """Still under review: no final deal and a status that does not say it ended."""
    if dispute.finallyDeal is not None:
        return False
    return (dispute.status or "").strip().lower() not in FINISHED_STATUSES


def outcome(dispute: DisputeSummary, tr: Translator) -> str:
    """The decision in a few words, with the amount that matters."""
    if dispute.finallyDeal is FinallyDeal.REFUND:
        return tr.format(texts.OUTCOME_REFUND, amount=money(dispute.money, tr.lang))
    if dispute.finallyDeal is FinallyDeal.REISSUE:
        code = (
            tr.format(texts.OUTCOME_NEW_ORDER, code=dispute.resendOrderCode)
            if dispute.resendOrderCode
            else ""
        )
        return tr.format(texts.OUTCOME_REISSUE, amount=money(dispute.replacementAmount, tr.lang), code=code)
    if dispute.finallyDeal is FinallyDeal.REJECT:
        return tr.gettext(texts.OUTCOME_REJECTED)
    if is_open(dispute):
        return tr.gettext(texts.OUTCOME_OPEN)
    cancelled = "cancel" in (dispute.status or "").lower()
    return tr.gettext(texts.OUTCOME_CANCELLED if cancelled else texts.OUTCOME_ENDED)


def one_line(dispute: DisputeSummary, tr: Translator) -> str:
    reason = dispute.disputeReason or tr.gettext(texts.REASON_NOT_GIVEN)
    status = dispute.status or tr.gettext(texts.STATUS_UNKNOWN)
    when = day(dispute.createDate, tr.gettext(texts.DATE_UNKNOWN), tr.lang)
    return f"{dispute.id} · {status} · {reason} · {outcome(dispute, tr)} · {when}"


def detail_text(d: DisputeDetail, tr: Translator, refund_route: RefundType | None = None) -> str:
    """The whole record; ``refund_route`` is the destination chosen when Alex opened it, if it did."""
    lines = [
        tr.format(texts.DETAIL_TITLE, dispute_id=d.id),
        tr.format(texts.DETAIL_STATUS, status=d.status or tr.gettext(texts.UNKNOWN)),
        tr.format(texts.DETAIL_REASON, reason=d.disputeReason or tr.gettext(texts.NOT_GIVEN)),
        tr.format(texts.DETAIL_OPENED, date=day(d.createDate, tr.gettext(texts.DATE_UNKNOWN), tr.lang)),
    ]
    if d.orderId:
        lines.append(tr.format(texts.DETAIL_ORDER, order_id=d.orderId))
    for product in d.productList[:MAX_ITEMS_SHOWN]:
        name = product.productName or product.productCode or tr.gettext(texts.ITEM)
        lines.append(tr.format(texts.DETAIL_ITEM, name=name, price=money(product.price, tr.lang)))
    lines += _decision(d, tr, refund_route)
    return "\n".join(lines)


def _decision(d: DisputeDetail, tr: Translator, refund_route: RefundType | None) -> list[str]:
    if d.finallyDeal is FinallyDeal.REFUND:
        total = d.refundAmount if d.refundAmount is not None else d.money
        lines = [tr.format(texts.DECISION_REFUND, amount=money(total, tr.lang))]
        for part in d.refundDetails:
            name = part.typeName or part.type or tr.gettext(texts.AMOUNT)
            lines.append(tr.format(texts.REFUND_PART, name=name, amount=money(part.amount, tr.lang)))
        if refund_route is not None:
            route = policy.refund_route(tr, balance=refund_route is RefundType.BALANCE)
            lines.append(tr.format(texts.REFUND_GOES_TO, route=route))
        else:
            lines.append(
                tr.format(
                    texts.REFUND_GOES_EITHER,
                    balance=tr.gettext(policy.REFUND_BALANCE),
                    original=tr.gettext(policy.REFUND_ORIGINAL),
                )
            )
        return lines
    where = tr.gettext(policy.WEB_DISPUTE_VIEW)
    if d.finallyDeal is FinallyDeal.REISSUE:
        code = tr.format(texts.REISSUE_AS, code=d.resendOrderCode) if d.resendOrderCode else ""
        return [
            tr.format(texts.DECISION_REISSUE, code=code, amount=money(d.replacementAmount, tr.lang)),
            tr.format(texts.REISSUE_AGREE, where=where),
        ]
    if d.finallyDeal is FinallyDeal.REJECT:
        return [
            tr.gettext(texts.DECISION_REJECTED),
            tr.format(texts.REJECTED_DISCUSS, where=where, human_route=tr.gettext(policy.HUMAN_ROUTE)),
        ]
    if is_open(d):
        return [
            tr.format(texts.DECISION_PENDING, review_time=tr.gettext(policy.REVIEW_TIME)),
            tr.gettext(policy.ORDER_PAUSED),
        ]
    return [tr.gettext(texts.DECISION_NONE)]
