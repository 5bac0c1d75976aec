"""The CJ client's exception tree, and the one place where a CJ reply becomes an exception.

    CJError                       root; .code (CJ's envelope code or None), .message, .request_id, .path
    ├── CJAuthError               1600001-1600008, 1600030/1600031, 1601000: key or token refused
    ├── CJRateLimited             1600200 or HTTP 429 (QPS): slow down; .retry_after seconds (≤ 60)
    ├── CJQuotaExhausted          1600201, 16900500, or a daily-cap "Too Many Requests"; .resets_at
    ├── CJParamError              1600300 (most paths), 1600101, 169002xx, 16900403; 1600100 (see below)
    │   └── CJValidationError     refused by the client before any HTTP call (code None)
    ├── CJBusinessError           any other refusal of a well-formed request
    │   ├── CJNotFound            unknown order (1600300 on getOrderDetail, 1603100) or dispute; .what
    │   ├── CJNotDisputable       CJ will not open a dispute here; .reason (a NotDisputable)
    │   ├── CJForeignDispute      someone else's dispute was opened on the order meanwhile; ours was not
    │   └── CJWebhookRefused      webhook/set refused the URL (1606000-1607003)
    ├── CJUnavailable             busy (1600000), read timed out (1600301), HTTP 5xx, timeouts, no connection
    └── CJProtocolError           the reply is not a CJ envelope, or its data has the wrong shape

``retryable`` tells whether waiting and trying again can help. Callers decide on the class
(and ``reason``/``what``), never on CJ's English message: CJ's docs ask clients to troubleshoot
by code, not message ("CJ API Docs: Appendix 1, Global Error Codes"). Where CJ uses one code for
several things (1600300, 1600200, the dispute codes 1607006-1607009), :func:`error_for_code`
tells them apart here, once, from the path and the message.

1600100 means "Interface is offline" in the global table, "Param error" in the dispute examples,
and an expired token to CJ's own MCP server (``src/api-client/http-client.ts``): it is a
:class:`CJParamError` with ``token_may_be_stale`` set, and the transport renews the token once
before believing it.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from enum import StrEnum

AUTH_CODES = frozenset(
    {1600001, 1600002, 1600003, 1600004, 1600005, 1600006, 1600007, 1600008, 1600030, 1600031, 1601000}
)
EXPIRED_TOKEN_CODE = 1600001
AMBIGUOUS_CODE = 1600100  # "Interface is offline" / "Param error" / expired token (see above)
RATE_LIMIT_CODE = 1600200
QUOTA_CODE = 1600201
API_POINTS_CODE = 16900500  # "Insufficient API points. Used today: ..., Remaining: 0" (HTTP 200)
QUOTA_CODES = frozenset({QUOTA_CODE, API_POINTS_CODE})
PARAM_CODE = 1600300
PARAM_CODES = frozenset({PARAM_CODE, 1600101, 16900202, 16900203, 16900204, 16900205, 16900403})
BUSY_CODE = 1600000
READ_TIMEOUT_CODE = 1600301
ORDER_NOT_FOUND_CODE = 1603100  # "Order not found, please check the CJ order id" (global table)
WEBHOOK_CODES = frozenset({1606000, 1606001, 1607000, 1607001, 1607002, 1607003})
DISPUTE_CODES = frozenset({1607006, 1607007, 1607008, 1607009})

ORDER_DETAIL_PATH = "shopping/order/getOrderDetail"
DISPUTE_DETAIL_PATH = "disputes/getDisputeDetail"

MAX_RETRY_AFTER_SECONDS = 60.0  # no wait CJ (or anyone in between) asks for is honoured beyond this
QUOTA_RESET_HOUR_UTC = 16  # midnight in Beijing: when sellers report CJ's daily points coming back

# A 1600200 or HTTP 429 is a short QPS limit unless its words say a daily cap: CJ's limits page
# answers the daily call limit with "Too Many Requests", the same words as the QPS limit.
_DAILY_CAP = re.compile(r"quota|daily|per day|/day|points|call limit|used up", re.IGNORECASE)
_RESET_AT = re.compile(
    r"reset\w*\s*(?:at|time)?\s*[:：]?\s*(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?)", re.IGNORECASE
)


class NotDisputable(StrEnum):
    """Why CJ will not open a dispute (:class:`CJNotDisputable`)."""

    NOT_VIA_API = "not_via_api"  # "only for orders that were created through the API" (07. Dispute)
    NOT_PAID = "not_paid"  # "Order cannot be disputed" (unpaid or cancelled orders)
    IN_PROGRESS = "in_progress"  # another dispute on the order is still open
    WINDOW_CLOSED = "window_closed"  # the line's dispute period has ended
    OTHER = "other"


class CJError(Exception):
    retryable = False

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        request_id: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.request_id = request_id
        self.path = path

    def __str__(self) -> str:
        return f"{self.message} (CJ code {self.code})" if self.code is not None else self.message


class CJAuthError(CJError):
    pass


class CJRateLimited(CJError):
    retryable = True

    def __init__(self, message: str, *, retry_after: float = 1.0, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.retry_after = cap_wait(retry_after)


class CJQuotaExhausted(CJError):
    """The account's daily quota (or API points) is used up. ``resets_at`` is CJ's reset time when
    its message gives one, else the next midnight in Beijing (``estimated`` then says so)."""

    def __init__(
        self, message: str, *, resets_at: datetime | None = None, estimated: bool = False, **kw: object
    ) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.resets_at = resets_at
        self.estimated = estimated


CJQuotaExceeded = CJQuotaExhausted  # the old name


class CJParamError(CJError):
    token_may_be_stale = False


class CJValidationError(CJParamError):
    """The client refused the input before sending it: CJ would have refused it anyway."""


class CJBusinessError(CJError):
    pass


class CJNotFound(CJBusinessError):
    """CJ has no such ``what`` ("order" or "dispute") in this account."""

    def __init__(self, message: str, *, what: str = "order", **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.what = what


class CJNotDisputable(CJBusinessError):
    def __init__(self, message: str, *, reason: NotDisputable = NotDisputable.OTHER, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.reason = reason


class CJForeignDispute(CJBusinessError):
    """While Alex retried a create, another dispute (CJ's website, a teammate) was opened on the
    order and CJ did not create the seller's own: ``dispute_id`` and ``lines`` name the other one."""

    def __init__(self, message: str, *, dispute_id: str, lines: tuple[str, ...] = (), **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.dispute_id = dispute_id
        self.lines = lines


class CJWebhookRefused(CJBusinessError):
    pass


class CJUnavailable(CJError):
    retryable = True


class CJProtocolError(CJError):
    pass


def cap_wait(seconds: float) -> float:
    """A wait CJ asked for, made safe: finite, at least 0, at most a minute."""
    try:
        value = float(seconds)
    except (TypeError, ValueError):
        return 1.0
    if value != value or value < 0:  # NaN or negative
        return 1.0
    return min(value, MAX_RETRY_AFTER_SECONDS)


def next_quota_reset(now: float) -> datetime:
    """The next midnight in Beijing (16:00 UTC) after ``now``."""
    moment = datetime.fromtimestamp(now, tz=UTC)
    reset = moment.replace(hour=QUOTA_RESET_HOUR_UTC, minute=0, second=0, microsecond=0)
    return reset if reset > moment else reset + timedelta(days=1)


def quota_error(
    message: str, *, code: int | None, request_id: str | None, path: str | None, now: float | None = None
) -> CJQuotaExhausted:
    stated = _RESET_AT.search(message)
    if stated:
        try:
            resets = datetime.fromisoformat(stated.group(1).replace(" ", "T")).replace(tzinfo=UTC)
            return CJQuotaExhausted(message, resets_at=resets, code=code, request_id=request_id, path=path)
        except ValueError:
            pass
    resets = next_quota_reset(time.time() if now is None else now)
    return CJQuotaExhausted(
        message, resets_at=resets, estimated=True, code=code, request_id=request_id, path=path
    )


def is_daily_cap(message: str) -> bool:
    return bool(_DAILY_CAP.search(message))


def _dispute_refusal(code: int, message: str, path: str | None, **kw: object) -> CJError:
    said = message.lower()
    if "not found" in said or "not exist" in said:
        what = "dispute" if code == 1607009 or said.startswith("dispute") else "order"
        return CJNotFound(message, what=what, code=code, **kw)  # type: ignore[arg-type]
    reason = None
    if "through the api" in said or "via the api" in said or "via api" in said:
        reason = NotDisputable.NOT_VIA_API
    elif "in progress" in said or "already has a dispute" in said or "already in dispute" in said:
        reason = NotDisputable.IN_PROGRESS
    elif "period has ended" in said or "no longer be disputed" in said or "window" in said:
        reason = NotDisputable.WINDOW_CLOSED
    elif "cannot be disputed" in said or "unpaid" in said or "not paid" in said:
        reason = NotDisputable.NOT_PAID
    if reason is not None:
        return CJNotDisputable(message, reason=reason, code=code, path=path, **kw)  # type: ignore[arg-type]
    return CJBusinessError(message, code=code, path=path, **kw)  # type: ignore[arg-type]


def error_for_code(
    code: int,
    message: str,
    request_id: str | None = None,
    *,
    path: str | None = None,
    http_status: int = 200,
    retry_after: float = 1.0,
    now: float | None = None,
) -> CJError:
    """The exception for a non-200 envelope ``code`` on ``path`` (see the module docstring)."""
    kw: dict[str, object] = {"code": code, "request_id": request_id}
    if code in AUTH_CODES:
        return CJAuthError(message, path=path, **kw)  # type: ignore[arg-type]
    if code in QUOTA_CODES or ((code == RATE_LIMIT_CODE or http_status == 429) and is_daily_cap(message)):
        return quota_error(message, code=code, request_id=request_id, path=path, now=now)
    if code == RATE_LIMIT_CODE or http_status == 429:
        return CJRateLimited(message, retry_after=retry_after, path=path, **kw)  # type: ignore[arg-type]
    if code in (BUSY_CODE, READ_TIMEOUT_CODE):
        return CJUnavailable(message, path=path, **kw)  # type: ignore[arg-type]
    if code == ORDER_NOT_FOUND_CODE:
        return CJNotFound(message, what="order", path=path, **kw)  # type: ignore[arg-type]
    if code == PARAM_CODE and path == ORDER_DETAIL_PATH:
        # Shopping §1.7 lists 1600300 "order not found" (and two input errors the client never sends)
        return CJNotFound(message, what="order", path=path, **kw)  # type: ignore[arg-type]
    if code == PARAM_CODE and path == DISPUTE_DETAIL_PATH:
        return CJNotFound(message, what="dispute", path=path, **kw)  # type: ignore[arg-type]
    if code == AMBIGUOUS_CODE:
        error = CJParamError(message, path=path, **kw)  # type: ignore[arg-type]
        error.token_may_be_stale = True
        return error
    if code in PARAM_CODES:
        return CJParamError(message, path=path, **kw)  # type: ignore[arg-type]
    if code in WEBHOOK_CODES:
        return CJWebhookRefused(message, path=path, **kw)  # type: ignore[arg-type]
    if code in DISPUTE_CODES:
        return _dispute_refusal(code, message, path, request_id=request_id)
    return CJBusinessError(message, path=path, **kw)  # type: ignore[arg-type]
