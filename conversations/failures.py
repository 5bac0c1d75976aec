"""Turning a CJ client error into a sentence a seller can act on: the one home of these texts.

Decisions follow the exception class (:mod:`cj.errors` classifies CJ's replies where they
arrive), never CJ's English message. Never echoes secrets: only CJ's own short message for
business refusals, which is about the order, not the account.
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

OPERATOR = "Alex's CJ connection needs the operator's attention (the CJ API key)."


def quota_until(exc: CJQuotaExhausted) -> str:
    """``16:00 UTC (midnight in Beijing)`` or CJ's own reset time."""
    when = exc.resets_at
    if when is None:
        return "CJ resets it (usually midnight in Beijing, 16:00 UTC)"
    text = when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if when.astimezone(UTC).date() == datetime.now(UTC).date():
        text = when.astimezone(UTC).strftime("%H:%M UTC today")
    return f"{text} (midnight in Beijing, when CJ resets it)" if exc.estimated else text


def quota_text(exc: CJQuotaExhausted) -> str:
    return f"CJ's API quota for this account is used up until {quota_until(exc)}."


def foreign_dispute_text(exc: CJForeignDispute) -> str:
    lines = ", ".join(exc.lines) if exc.lines else "other items"
    return (
        f"Another dispute ({exc.dispute_id}, lines {lines}) was opened on this order meanwhile; "
        "yours was not created."
    )


def not_found_text(exc: CJNotFound, item_id: str) -> str:
    if exc.what == "dispute":
        return f"CJ has no dispute {item_id} in this account."
    return (
        f"CJ has no order {item_id} in this account. Check the id: it is the CJ order id "
        "(SD…), shown in CJ under Orders > Orders Fulfillment."
    )


def not_disputable_text(exc: CJNotDisputable, order_id: str) -> str:
    if exc.reason is NotDisputable.NOT_VIA_API:
        return f"Order {order_id} was not created through the API. {policy.API_ONLY}"
    if exc.reason is NotDisputable.NOT_PAID:
        return f"CJ says order {order_id} cannot be disputed (usually: it is not paid yet, or cancelled)."
    if exc.reason is NotDisputable.IN_PROGRESS:
        return (
            f"Order {order_id} already has a dispute in progress: wait for CJ's decision, "
            "or close that dispute first (/close)."
        )
    if exc.reason is NotDisputable.WINDOW_CLOSED:
        return f"The dispute window of these items of order {order_id} has closed."
    said = (exc.message or "").strip()[:200]
    return f'CJ will not open a dispute on order {order_id}: "{said}".'


def explain(exc: CJError, doing: str) -> str:
    """One or two sentences: what failed while ``doing`` (e.g. "looking up the order"), and why."""
    if isinstance(exc, CJQuotaExhausted):
        return f"{quota_text(exc)} Alex could not finish {doing}; try again after that."
    if isinstance(exc, CJAuthError):
        return f"CJ refused the request while {doing}. {OPERATOR}"
    if isinstance(exc, CJRateLimited):
        return (
            f"CJ is busy: it asked Alex to slow down while {doing} (too many requests). "
            "Try again in a minute."
        )
    if isinstance(exc, CJUnavailable):
        return f"CJ did not answer in time while {doing} (CJ busy or unreachable). Try again in a moment."
    if isinstance(exc, CJProtocolError):
        return (
            f"CJ sent an answer Alex could not read while {doing}. "
            "Try again; if it persists, tell the operator."
        )
    if isinstance(exc, CJParamError):
        return f"CJ rejected the request while {doing} as malformed. Check the ids you gave and try again."
    if isinstance(exc, CJForeignDispute):
        return foreign_dispute_text(exc)
    if isinstance(exc, CJNotFound):
        return f"CJ could not find that {exc.what} while {doing}."
    if isinstance(exc, CJBusinessError):
        said = (exc.message or "").strip()[:200]
        return f'CJ said no while {doing}: "{said}".' if said else f"CJ refused while {doing}."
    return f"Something went wrong with CJ while {doing}."


def needs_operator(exc: CJError) -> bool:
    return isinstance(exc, CJAuthError)


def is_retryable(exc: CJError) -> bool:
    """Trying the same thing again later may work (the draft is worth keeping as it is)."""
    return exc.retryable or isinstance(exc, CJProtocolError)
