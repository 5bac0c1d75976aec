"""Turning a CJ client error into a sentence a seller can act on: the one home of these texts.

Decisions follow the exception class (:mod:`cj.errors` classifies CJ's replies where they
arrive), never CJ's English message. Never echoes secrets: only CJ's own short message for
business refusals, which is about the order, not the account. Every sentence is ``N_``-marked
and said in the chat's language (``tr``; English when a caller gives none).
"""

from __future__ import annotations

from datetime import UTC, datetime

from cj.errors import (
    CJAuthError,
    CJBusinessError,
    CJError,
    CJForeignDispute,
    CJNotDisputable,
    CJNotFound,
    CJParamError,
    CJProtocolError,
    CJQuotaExhausted,
    CJRateLimited,
    CJUnavailable,
    NotDisputable,
)
from conversations import policy
from i18n import ENGLISH, N_, Translator
from i18n.formats import short_date, time_of_day

OPERATOR = N_("Alex's CJ connection needs the operator's attention (the CJ API key).")
QUOTA_RESETS_USUALLY = N_("CJ resets it (usually midnight in Beijing, 16:00 UTC)")
QUOTA_AT = N_("{date} {time} UTC")
QUOTA_TODAY = N_("{time} UTC today")
QUOTA_ESTIMATED = N_("{when} (midnight in Beijing, when CJ resets it)")
QUOTA = N_("CJ's API quota for this account is used up until {until}.")
OTHER_ITEMS = N_("other items")
FOREIGN_DISPUTE = N_(
    "Another dispute ({dispute_id}, lines {lines}) was opened on this order meanwhile; yours was not created."
)
NO_SUCH_DISPUTE = N_("CJ has no dispute {item_id} in this account.")
NO_SUCH_ORDER = N_(
    "CJ has no order {item_id} in this account. Check the id: it is the CJ order id "
    "(SD…), shown in CJ under Orders > Orders Fulfillment."
)
NOT_VIA_API = N_("Order {order_id} was not created through the API. {api_only}")
NOT_PAID = N_("CJ says order {order_id} cannot be disputed (usually: it is not paid yet, or cancelled).")
IN_PROGRESS = N_(
    "Order {order_id} already has a dispute in progress: wait for CJ's decision, "
    "or close that dispute first (/close)."
)
WINDOW_CLOSED = N_("The dispute window of these items of order {order_id} has closed.")
WILL_NOT_OPEN = N_('CJ will not open a dispute on order {order_id}: "{said}".')
QUOTA_DOING = N_("{quota} Alex could not finish {doing}; try again after that.")
AUTH = N_("CJ refused the request while {doing}. {operator}")
RATE_LIMITED = N_(
    "CJ is busy: it asked Alex to slow down while {doing} (too many requests). Try again in a minute."
)
UNAVAILABLE = N_("CJ did not answer in time while {doing} (CJ busy or unreachable). Try again in a moment.")
PROTOCOL = N_(
    "CJ sent an answer Alex could not read while {doing}. Try again; if it persists, tell the operator."
)
PARAM = N_("CJ rejected the request while {doing} as malformed. Check the ids you gave and try again.")
NOT_FOUND = N_("CJ could not find that {what} while {doing}.")
WHAT_ORDER = N_("order")
WHAT_DISPUTE = N_("dispute")
SAID_NO = N_('CJ said no while {doing}: "{said}".')
REFUSED = N_("CJ refused while {doing}.")
SOMETHING_WRONG = N_("Something went wrong with CJ while {doing}.")
_WHAT = {"order": WHAT_ORDER, "dispute": WHAT_DISPUTE}


def quota_until(exc: CJQuotaExhausted, tr: Translator = ENGLISH) -> str:
    """``16:00 UTC (midnight in Beijing)`` or CJ's own reset time, in the chat's locale."""
    when = exc.resets_at
    if when is None:
        return tr.gettext(QUOTA_RESETS_USUALLY)
    at = when.astimezone(UTC)
    clock = time_of_day(at, tr.lang)
    if at.date() == datetime.now(UTC).date():
        text = tr.format(QUOTA_TODAY, time=clock)
    else:
        text = tr.format(QUOTA_AT, date=short_date(at, tr.lang), time=clock)
    return tr.format(QUOTA_ESTIMATED, when=text) if exc.estimated else text


def quota_text(exc: CJQuotaExhausted, tr: Translator = ENGLISH) -> str:
    return tr.format(QUOTA, until=quota_until(exc, tr))


def foreign_dispute_text(exc: CJForeignDispute, tr: Translator = ENGLISH) -> str:
    lines = ", ".join(exc.lines) if exc.lines else tr.gettext(OTHER_ITEMS)
    return tr.format(FOREIGN_DISPUTE, dispute_id=exc.dispute_id, lines=lines)


def not_found_text(exc: CJNotFound, item_id: str, tr: Translator = ENGLISH) -> str:
    if exc.what == "dispute":
        return tr.format(NO_SUCH_DISPUTE, item_id=item_id)
    return tr.format(NO_SUCH_ORDER, item_id=item_id)


def not_disputable_text(exc: CJNotDisputable, order_id: str, tr: Translator = ENGLISH) -> str:
    if exc.reason is NotDisputable.NOT_VIA_API:
        return tr.format(NOT_VIA_API, order_id=order_id, api_only=tr.gettext(policy.API_ONLY))
    if exc.reason is NotDisputable.NOT_PAID:
        return tr.format(NOT_PAID, order_id=order_id)
    if exc.reason is NotDisputable.IN_PROGRESS:
        return tr.format(IN_PROGRESS, order_id=order_id)
    if exc.reason is NotDisputable.WINDOW_CLOSED:
        return tr.format(WINDOW_CLOSED, order_id=order_id)
    said = (exc.message or "").strip()[:200]
    return tr.format(WILL_NOT_OPEN, order_id=order_id, said=said)


def explain(exc: CJError, doing: str, tr: Translator = ENGLISH) -> str:
    """One or two sentences: what failed while ``doing`` (e.g. "looking up the order"), and why."""
    if isinstance(exc, CJQuotaExhausted):
        return tr.format(QUOTA_DOING, quota=quota_text(exc, tr), doing=doing)
    if isinstance(exc, CJAuthError):
        return tr.format(AUTH, doing=doing, operator=tr.gettext(OPERATOR))
    if isinstance(exc, CJRateLimited):
        return tr.format(RATE_LIMITED, doing=doing)
    if isinstance(exc, CJUnavailable):
        return tr.format(UNAVAILABLE, doing=doing)
    if isinstance(exc, CJProtocolError):
        return tr.format(PROTOCOL, doing=doing)
    if isinstance(exc, CJParamError):
        return tr.format(PARAM, doing=doing)
    if isinstance(exc, CJForeignDispute):
        return foreign_dispute_text(exc, tr)
    if isinstance(exc, CJNotFound):
        what = _WHAT.get(exc.what)
        return tr.format(NOT_FOUND, what=tr.gettext(what) if what else exc.what, doing=doing)
    if isinstance(exc, CJBusinessError):
        said = (exc.message or "").strip()[:200]
        return tr.format(SAID_NO, doing=doing, said=said) if said else tr.format(REFUSED, doing=doing)
    return tr.format(SOMETHING_WRONG, doing=doing)


def needs_operator(exc: CJError) -> bool:
    return isinstance(exc, CJAuthError)


def is_retryable(exc: CJError) -> bool:
    """Trying the same thing again later may work (the draft is worth keeping as it is)."""
    return exc.retryable or isinstance(exc, CJProtocolError)
