"""Why a sandbox call fails, as the CJ envelope code and message it must produce.

    SandboxError          .code (CJ envelope code), .message (safe to show: never a key or token),
                          .http_status (200 unless CJ uses an HTTP code for it)

Domain code raises it; the HTTP layer turns it into ``{"code", "result": false, "message", ...}``.
"""

from __future__ import annotations

INVALID_TOKEN = 1600001
TOKEN_EMPTY = 1600002
INVALID_REFRESH_TOKEN = 1600003
API_KEY_WRONG = 1600005
PARAM_ERROR = 1600100
NOT_FOUND = 1600300  # getOrderDetail: "order not found" (Shopping §1.7); dispute detail: a guess
RATE_LIMITED = 1600200
QUOTA_USED_UP = 1600201
API_POINTS = 16900500
SYSTEM_BUSY = 1600000
ORDER_NOT_FOUND = 1603100  # "Order not found, please check the CJ order id" (global table)
DISPUTE_PRODUCTS_FAILED = 1607006
DISPUTE_CONFIRM_FAILED = 1607007
DISPUTE_CREATE_FAILED = 1607008
DISPUTE_CANCEL_FAILED = 1607009
DISPUTE_NOT_FOUND = NOT_FOUND


class SandboxError(Exception):
    """A refusal the sandbox answers with a CJ error envelope."""

    def __init__(self, code: int, message: str, *, http_status: int = 200) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status


def param_error(message: str) -> SandboxError:
    return SandboxError(PARAM_ERROR, f"Param error: {message}")
