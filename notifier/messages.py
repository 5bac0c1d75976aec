"""Every push text the notifier sends, in plain text, with the next step from CJ's own help pages.

Facts and where they come from (``/work/shared/seeds``):
- refund destination: Payssion → the payment account, otherwise the CJ wallet; orders closed
  in CJ → always the wallet (001, "Where will the refund be deposited?"); wallet money pays
  other orders (000);
- Stripe refunds: 5-10 business days depending on the bank (001);
- reissue: check the resend in "AS Service Center" > "View" and click "Agree" if correct (000);
- rejection: talk to CJ through the "Chat" window or open a ticket to CJ management (001);
- review time: about 2 working days (001).

Texts are ``N_``-marked; every function takes the recipient chat's translator (``tr``, English
by default), and amounts and days are formatted in its locale (:mod:`i18n.formats`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from cj.models import DisputeDetail, FinallyDeal
from i18n import ENGLISH, N_, Nn_, Translator, formats
from notifier.diff import Change, Field

REFUND_NEXT_STEP = N_(
    "Where the money goes: to your payment account if you paid through Payssion, otherwise to your CJ wallet "
    "(if the order is closed in CJ, always the wallet), where it pays for your next orders. "
    "Card refunds through Stripe take 5-10 business days, depending on the bank."
)
REISSUE_NEXT_STEP = N_(
    'Next step: in CJ, open AS Service Center, click "View" on this dispute, check the resend and click '
    '"Agree" if it is correct; CJ handles the rest.'
)
REISSUE_CODE_PENDING = N_("CJ has not given the new order code yet: you will get a message when it does.")
REJECT_NEXT_STEP = N_(
    'If you disagree, talk to CJ: the "Chat" window in the corner of the CJ page reaches a human agent, '
    "or open a ticket to CJ management."
)
NEW_NEXT_STEP = N_(
    "CJ usually reviews a dispute in about 2 working days. The order is paused until it is closed."
)
HEAD = N_("Dispute {dispute_id}")
HEAD_WITH_ORDER = N_("Dispute {dispute_id} (order {order_id})")
GONE = N_("{head} is no longer listed by CJ: it was closed or cancelled.")
GONE_RESUMES = N_("Processing of the order resumes once the dispute is closed.")
NEW = N_("New dispute {dispute_id}: status {status}.")
NEW_WITH_ORDER = N_("New dispute {dispute_id} (order {order_id}): status {status}.")
NEW_WITH_REASON = N_("New dispute {dispute_id} ({reason}): status {status}.")
NEW_WITH_ORDER_AND_REASON = N_("New dispute {dispute_id} (order {order_id}, {reason}): status {status}.")
STATUS_UNKNOWN = N_("unknown")
WITHDRAWN = N_("{head}: CJ withdrew its decision; the dispute is open again (status {status}).")
DECIDED_REFUND = N_("{head} was decided: REFUND.")
DECIDED_REISSUE = N_("{head} was decided: REISSUE.")
DECIDED_REJECTED = N_("{head} was decided: REJECTED.")
STATUS_CHANGED = N_("{head}: status changed from {before} to {after}.")
UPDATED = N_("{head} was updated.")
REFUND = N_("Refund: {amount}.")
REFUND_WITH_BREAKDOWN = N_("Refund: {amount} ({parts}).")
REFUND_PART_OTHER = N_("other")
REISSUE_WORTH = N_("Reissue worth {amount}.")
NEW_ORDER_CODE = N_("New order code: {code}.")
REFUND_NOW = N_("Refund amount now {amount}.")
ORDER_CHANGED = N_("Order changed from {before} to {after}.")
_DECIDED = {
    FinallyDeal.REFUND: DECIDED_REFUND,
    FinallyDeal.REISSUE: DECIDED_REISSUE,
    FinallyDeal.REJECT: DECIDED_REJECTED,
}

# digests
DAILY_TITLE = N_("Daily disputes digest for {day} (UTC)")
DAILY_OPEN = N_("Open: {count}")
DAILY_DECIDED = N_("Decided: {count}")
DAILY_DECIDED_SPLIT = N_("Decided: {count} ({refunds} refunded, {reissues} reissued, {rejections} rejected)")
DAILY_REFUNDED = N_("Refunded: {amount}")
WEEKLY_TITLE = N_("Disputes, week from {day} (UTC)")
WEEKLY_OPENED = N_("Opened: {count}")
WEEKLY_DECIDED = N_("Decided: {count}")
WEEKLY_RECOVERED = N_("Money recovered (refunds): {amount}")
WEEKLY_STILL_OPEN = N_("Still open: {count}")
# the weekly chart (notifier.chart)
CHART_OPENED = N_("opened")
CHART_DECIDED = N_("decided")
CHART_DISPUTES = N_("disputes")
CHART_RECOVERED = N_("recovered (USD, cumulative)")
CHART_RECOVERED_AXIS = N_("USD recovered")
CHART_TITLE = N_("Disputes {first} to {last} (UTC)")
CHART_TITLE_EMPTY = N_("Disputes")

# suggestions
SUGGESTION = N_(
    "Order {order_id}: {reason}.\n"
    "This order may qualify for a dispute (refund or reissue). Open one now with the button below, "
    "before the dispute window closes."
)
SUGGESTION_TRACKED = N_(
    "Order {order_id}, tracking {tracking_number}: {reason}.\n"
    "This order may qualify for a dispute (refund or reissue). Open one now with the button below, "
    "before the dispute window closes."
)
REASON_ABNORMAL = N_("the carrier reports a delivery failure (tracking status abnormal)")
REASON_RETURNED = N_("the parcel is being returned to the sender")
REASON_DELAYED = Nn_(
    "shipped more than {count} day ago and still not delivered",
    "shipped more than {count} days ago and still not delivered",
)
DETAILS = N_("Dispute details")


def money(value: Decimal | None, tr: Translator = ENGLISH) -> str:
    return formats.money(value, tr.lang)


def _order_id(change: Change) -> str | None:
    """CJ's list often omits the order id; the one Alex recorded at opening fills in."""
    return change.after.order_id or (change.before.order_id if change.before is not None else None)


def _breakdown(detail: DisputeDetail | None, tr: Translator) -> str:
    if detail is None or not detail.refundDetails:
        return ""
    other = tr.gettext(REFUND_PART_OTHER)
    return ", ".join(f"{d.typeName or d.type or other} {money(d.amount, tr)}" for d in detail.refundDetails)


def _new_line(change: Change, detail: DisputeDetail | None, tr: Translator) -> str:
    after = change.after
    why = (detail.disputeReason if detail is not None else None) or after.reason
    order_id = _order_id(change)
    fields = {"dispute_id": after.dispute_id, "status": after.status or tr.gettext(STATUS_UNKNOWN)}
    if order_id and why:
        return tr.format(NEW_WITH_ORDER_AND_REASON, order_id=order_id, reason=why, **fields)
    if order_id:
        return tr.format(NEW_WITH_ORDER, order_id=order_id, **fields)
    if why:
        return tr.format(NEW_WITH_REASON, reason=why, **fields)
    return tr.format(NEW, **fields)


def dispute_change(change: Change, detail: DisputeDetail | None = None, tr: Translator = ENGLISH) -> str:
    """The message for one change: what changed, the amounts, and what to do next."""
    after = change.after
    order_id = _order_id(change)
    head = (
        tr.format(HEAD_WITH_ORDER, dispute_id=after.dispute_id, order_id=order_id)
        if order_id
        else tr.format(HEAD, dispute_id=after.dispute_id)
    )
    unknown = tr.gettext(STATUS_UNKNOWN)
    lines: list[str] = []
    if Field.GONE in change.fields:
        lines.append(tr.format(GONE, head=head))
        lines.append(tr.gettext(GONE_RESUMES))
        return "\n".join(lines)
    if Field.NEW in change.fields:
        lines.append(_new_line(change, detail, tr))
        if after.finally_deal is None:
            lines.append(tr.gettext(NEW_NEXT_STEP))
    deal = after.finally_deal
    if Field.DECISION in change.fields or (Field.NEW in change.fields and deal is not None):
        if deal is None:
            lines.append(tr.format(WITHDRAWN, head=head, status=after.status or unknown))
        else:
            lines.append(tr.format(_DECIDED[deal], head=head))
    elif Field.STATUS in change.fields and Field.NEW not in change.fields:
        old = change.before.status if change.before is not None else None
        lines.append(
            tr.format(STATUS_CHANGED, head=head, before=old or unknown, after=after.status or unknown)
        )
    elif Field.NEW not in change.fields:
        lines.append(tr.format(UPDATED, head=head))
    if deal is FinallyDeal.REFUND and (change.fields & {Field.DECISION, Field.REFUND, Field.NEW}):
        amount = (
            detail.refundAmount if detail is not None and detail.refundAmount is not None else after.money
        )
        parts = _breakdown(detail, tr)
        shown = money(amount, tr)
        lines.append(
            tr.format(REFUND_WITH_BREAKDOWN, amount=shown, parts=parts)
            if parts
            else tr.format(REFUND, amount=shown)
        )
        lines.append(tr.gettext(REFUND_NEXT_STEP))
    elif deal is FinallyDeal.REISSUE and (
        change.fields & {Field.DECISION, Field.REISSUE_AMOUNT, Field.RESEND_CODE, Field.NEW}
    ):
        if after.replacement_amount:
            lines.append(tr.format(REISSUE_WORTH, amount=money(after.replacement_amount, tr)))
        if after.resend_order_code:
            lines.append(tr.format(NEW_ORDER_CODE, code=after.resend_order_code))
            lines.append(tr.gettext(REISSUE_NEXT_STEP))
        else:
            lines.append(tr.gettext(REISSUE_CODE_PENDING))
    elif deal is FinallyDeal.REJECT and (change.fields & {Field.DECISION, Field.NEW}):
        lines.append(tr.gettext(REJECT_NEXT_STEP))
    elif Field.REFUND in change.fields:
        lines.append(tr.format(REFUND_NOW, amount=money(after.money, tr)))
    if Field.ORDER in change.fields and change.before is not None:
        lines.append(tr.format(ORDER_CHANGED, before=change.before.order_id, after=after.order_id))
    return "\n".join(lines)


# --- digests ------------------------------------------------------------------------


def _day(at: float, tr: Translator) -> str:
    return formats.short_date(datetime.fromtimestamp(at, tz=UTC), tr.lang)


def daily_digest(
    day_start: float,
    open_count: int,
    decided: int,
    refunds: int,
    reissues: int,
    rejections: int,
    refunded: Decimal,
    tr: Translator = ENGLISH,
) -> str:
    """The day just ended: disputes still open now, decided that day, money refunded that day."""
    decided_line = (
        tr.format(
            DAILY_DECIDED_SPLIT, count=decided, refunds=refunds, reissues=reissues, rejections=rejections
        )
        if decided
        else tr.format(DAILY_DECIDED, count=decided)
    )
    return "\n".join(
        [
            tr.format(DAILY_TITLE, day=_day(day_start, tr)),
            tr.format(DAILY_OPEN, count=open_count),
            decided_line,
            tr.format(DAILY_REFUNDED, amount=money(refunded, tr)),
        ]
    )


def weekly_digest(
    week_start: float,
    opened: Sequence[int],
    decided: Sequence[int],
    refunded: Sequence[Decimal],
    open_count: int,
    tr: Translator = ENGLISH,
) -> str:
    total_refunded = sum(refunded, Decimal("0"))
    return "\n".join(
        [
            tr.format(WEEKLY_TITLE, day=_day(week_start, tr)),
            tr.format(WEEKLY_OPENED, count=sum(opened)),
            tr.format(WEEKLY_DECIDED, count=sum(decided)),
            tr.format(WEEKLY_RECOVERED, amount=money(total_refunded, tr)),
            tr.format(WEEKLY_STILL_OPEN, count=open_count),
        ]
    )


# --- suggestions from orders and logistics ------------------------------------------------


def suggestion(
    order_id: str, reason: str, tracking_number: str | None = None, tr: Translator = ENGLISH
) -> str:
    """``reason`` is already in the chat's language (one of the ``REASON_*`` texts)."""
    if tracking_number:
        return tr.format(
            SUGGESTION_TRACKED, order_id=order_id, tracking_number=tracking_number, reason=reason
        )
    return tr.format(SUGGESTION, order_id=order_id, reason=reason)
