"""The CJ client's exception tree. Every failure of a CJ call is one of these.

    CJError                      root; .code (CJ's envelope code or None), .message, .request_id
    ├── CJAuthError              1600001-1600005, 1600008: key or token refused (operator must act)
    ├── CJRateLimited            1600200 or HTTP 429: too many requests; .retry_after seconds
    ├── CJQuotaExceeded          1600201: daily quota used up; stop until it resets
    ├── CJParamError             1600100, 1600300: the request was malformed
    │   └── CJValidationError    refused by the client before any HTTP call (code None)
    ├── CJBusinessError          any other non-200 code (order not found, cannot be disputed...)
    ├── CJUnavailable            system busy (1600000), HTTP 5xx, timeouts, connection errors
    └── CJProtocolError          the reply is not a CJ envelope or its data has the wrong shape

``retryable`` tells whether waiting and trying again can help.
"""

from __future__ import annotations

AUTH_CODES = frozenset({1600001, 1600002, 1600003, 1600004, 1600005, 1600008})
RATE_LIMIT_CODE = 1600200
QUOTA_CODE = 1600201
PARAM_CODES = frozenset({1600100, 1600300})
BUSY_CODE = 1600000
ORDER_NOT_FOUND_CODE = 1603100


class CJError(Exception):
    retryable = False

    def __init__(self, message: str, *, code: int | None = None, request_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.request_id = request_id

    def __str__(self) -> str:
        return f"{self.message} (CJ code {self.code})" if self.code is not None else self.message


class CJAuthError(CJError):
    pass


class CJRateLimited(CJError):
    retryable = True

    def __init__(self, message: str, *, retry_after: float = 1.0, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.retry_after = retry_after


class CJQuotaExceeded(CJError):
    pass


class CJParamError(CJError):
    pass


class CJValidationError(CJParamError):
    """The client refused the input before sending it: CJ would have answered 1600100 anyway."""


class CJBusinessError(CJError):
    pass


class CJUnavailable(CJError):
    retryable = True


class CJProtocolError(CJError):
    pass


def error_for_code(code: int, message: str, request_id: str | None = None) -> CJError:
    """Map a non-200 envelope code to its exception."""
    if code in AUTH_CODES:
        return CJAuthError(message, code=code, request_id=request_id)
    if code == RATE_LIMIT_CODE:
        return CJRateLimited(message, code=code, request_id=request_id)
    if code == QUOTA_CODE:
        return CJQuotaExceeded(message, code=code, request_id=request_id)
    if code in PARAM_CODES:
        return CJParamError(message, code=code, request_id=request_id)
    if code == BUSY_CODE:
        return CJUnavailable(message, code=code, request_id=request_id)
    return CJBusinessError(message, code=code, request_id=request_id)
