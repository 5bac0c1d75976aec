"""Why a sandbox call fails, as the CJ envelope code and message it must produce.

    SandboxError          .code (CJ envelope code), .message (safe to show: never a key or token),
                          .http_status (200 unless CJ uses an HTTP code for it),
                          .bare (the envelope carries no ``result`` and no ``data``, as CJ's
                          rate-limit and API-points replies are seen to)

Domain code raises it; the HTTP layer turns it into ``{"code", "result": false, "message", ...}``.
"""

from __future__ import annotations

INVALID_TOKEN = 1600001
TOKEN_EMPTY = 1600002
INVALID_REFRESH_TOKEN = 1600003
API_KEY_WRONG = 1600005
PARAM_ERROR = 1600100
INTERFACE_NOT_FOUND = 1600101  # "Interface not found"
METHOD_NOT_SUPPORTED = 16900202  # "Request method '{param}' not supported"
BODY_MISSING = 16900204  # "Required request body is missing"
NOT_JSON = 16900205  # "The request parameter is not in a correct JSON format"
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
WEBHOOK_LOCALHOST = 1607001  # "Please do not use domain names such as localhost, 127.0.0.1"
WEBHOOK_NOT_HTTPS = 1607002  # "Webhook url error, Please ensure URL starts with https://"
WEBHOOK_NOT_200 = 1607003  # "Webhook url error, Http Status must be 200"


class SandboxError(Exception):
    """A refusal the sandbox answers with a CJ error envelope."""

    def __init__(self, code: int, message: str, *, http_status: int = 200, bare: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status
        self.bare = bare


def param_error(message: str, code: int = PARAM_ERROR) -> SandboxError:
    """1600100 "Param error" as the dispute examples show it; shopping endpoints use 1600300."""
    return SandboxError(code, f"Param error: {message}")
