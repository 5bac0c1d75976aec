"""The sandbox's own models of what clients send. It trusts nothing the client's models promise.

Coercion follows CJ's Java back end: ``"1"`` is accepted where an integer is expected (the
seed's own examples send quantities as strings); ``true`` or ``"abc"`` is not. A failure
becomes CJ's param error 1600100 with a message naming the field (:func:`describe`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

ORDER_STATUSES = ("CREATED", "IN_CART", "UNPAID", "UNSHIPPED", "SHIPPED", "DELIVERED", "CANCELLED", "OTHER")


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a number, not a boolean")
    return value


Int = Annotated[int, BeforeValidator(_no_bool)]
Id = Annotated[str, Field(min_length=1, max_length=100)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class GetAccessTokenBody(_Request):
    apiKey: Annotated[str, Field(min_length=1, max_length=500)]


class RefreshTokenBody(_Request):
    refreshToken: Annotated[str, Field(min_length=1, max_length=2000)]


class OrderIdQuery(_Request):
    orderId: Id


class ProductLine(_Request):
    lineItemId: Id
    quantity: Int
    price: Annotated[Decimal, BeforeValidator(_no_bool)] | None = None


class ConfirmBody(_Request):
    orderId: Id
    productInfoList: Annotated[list[ProductLine], Field(min_length=1, max_length=200)]


class CreateBody(_Request):
    businessDisputeId: Id
    orderId: Id
    disputeReasonId: Int
    expectType: Int
    refundType: Int
    messageText: str  # emptiness and length are business checks (1607008), as CJ reports them
    imageUrl: list[str] = Field(default_factory=list, max_length=20)
    videoUrl: list[str] = Field(default_factory=list, max_length=5)
    productInfoList: Annotated[list[ProductLine], Field(min_length=1, max_length=200)]


class CancelBody(_Request):
    orderId: Id
    disputeId: Id


class DisputeListQuery(_Request):
    orderId: Id | None = None
    disputeId: Id | None = None
    orderNumber: Id | None = None
    pageNum: Annotated[Int, Field(ge=1)] = 1
    pageSize: Annotated[Int, Field(ge=1, le=1000)] = 10  # the desk enforces its own cap


class DisputeDetailQuery(_Request):
    disputeId: Id


class OrderListQuery(_Request):
    pageNum: Annotated[Int, Field(ge=1)] = 1
    pageSize: Annotated[Int, Field(ge=1, le=50)] = 20
    orderIds: Annotated[list[Id], Field(max_length=100)] = Field(default_factory=list)
    status: Literal[ORDER_STATUSES] | None = None  # type: ignore[valid-type]


class TrackInfoQuery(_Request):
    trackNumber: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=100)]], Field(min_length=1, max_length=50)
    ]


class WebhookBlock(_Request):
    """``{"type": "ENABLE"|"CANCEL", "callbackUrls": [url]}``; older copies of the docs say ``ALL``
    for ``ENABLE``, which the sandbox accepts as the same."""

    type: Literal["ENABLE", "CANCEL", "ALL"]
    callbackUrls: Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=1)] = Field(
        default_factory=list
    )  # "Only one callback URL is supported" (08. Webhook); its scheme and host are checked later

    @property
    def enabled(self) -> bool:
        return self.type in ("ENABLE", "ALL")


class WebhookSetBody(_Request):
    """All four blocks are marked required in 08. Webhook; the sandbox holds CJ to that (a guess)."""

    product: WebhookBlock
    stock: WebhookBlock
    order: WebhookBlock
    logistics: WebhookBlock


LIST_QUERY_FIELDS = {"orderIds", "trackNumber"}  # query keys that repeat


def describe(error: ValidationError) -> str:
    """``productInfoList[0].quantity: Input should be a valid integer`` for the first problem."""
    first = error.errors(include_url=False)[0]
    where = ""
    for part in first["loc"]:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    message = str(first["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return f"{where or 'body'}: {message}"
