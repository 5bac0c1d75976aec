"""Turning a CJ client error into a sentence a seller can act on.

Never echoes secrets: only CJ's own short message for business refusals, which is
about the order, not the account.
"""

from __future__ import annotations

from cj.errors import (
    ORDER_NOT_FOUND_CODE,
    CJAuthError,
    CJBusinessError,
    CJError,
    CJParamError,
    CJProtocolError,
    CJQuotaExceeded,
    CJRateLimited,
    CJUnavailable,
)

OPERATOR = "Alex's CJ connection needs the operator's attention (the CJ API key or daily quota)."


def explain(exc: CJError, doing: str) -> str:
    """One or two sentences: what failed while ``doing`` (e.g. "looking up the order"), and why."""
    if isinstance(exc, CJAuthError | CJQuotaExceeded):
        return f"CJ refused the request while {doing}. {OPERATOR}"
    if isinstance(exc, CJRateLimited):
        return f"CJ asked Alex to slow down while {doing} (too many requests). Wait a minute and try again."
    if isinstance(exc, CJUnavailable):
        return f"CJ did not answer in time while {doing} (CJ busy or unreachable). Try again in a moment."
    if isinstance(exc, CJProtocolError):
        return (
            f"CJ sent an answer Alex could not read while {doing}. "
            "Try again; if it persists, tell the operator."
        )
    if isinstance(exc, CJParamError):
        return f"CJ rejected the request while {doing} as malformed. Check the ids you gave and try again."
    if isinstance(exc, CJBusinessError):
        if exc.code == ORDER_NOT_FOUND_CODE:
            return f"CJ could not find that order while {doing}."
        said = (exc.message or "").strip()[:200]
        return f'CJ said no while {doing}: "{said}".' if said else f"CJ refused while {doing}."
    return f"Something went wrong with CJ while {doing}."


def needs_operator(exc: CJError) -> bool:
    return isinstance(exc, CJAuthError | CJQuotaExceeded)


def is_retryable(exc: CJError) -> bool:
    return exc.retryable or isinstance(exc, CJProtocolError)
