"""Pydantic models for every CJ request and response Alex uses.

Field names follow CJ's JSON (camelCase) so a payload round-trips unchanged.
Models tolerate unknown fields (``extra="allow"``: CJ adds fields without notice,
and ``productInfoList`` entries must be passed back to CJ exactly as received).
Money is ``Decimal``; dates accept text and epoch milliseconds.

Dates without an offset are UTC: CJ documents the order times (``createDate``, ``paymentDate``,
``outWarehouseTime``, ``storeCreateDate``) as "UTC Time, eg: 2025-03-14 13:21:07" (CJ API Docs,
05. Shopping §1.6-1.7). The dispute list's ``createDate`` ("2025-01-15 10:30:00", 07. Dispute)
has no documented zone: read as UTC too (a guess; if CJ meant Beijing time, a dispute looks up
to 8 h younger, which only ever makes Alex's "created after the attempt began" check more lenient).
Token dates carry their offset (``2021-08-18T09:16:33+08:00``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from enum import IntEnum
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, field_validator

CJ_TZ = timezone(timedelta(hours=8))  # Beijing: the offset CJ writes on token dates
NAIVE_TZ = UTC  # what a CJ date without an offset is read as (see the module docstring)


def parse_cj_datetime(value: Any) -> datetime | None:
    """Accept ``1736928600000`` (ms), ``"2025-01-15 10:30:00"``, ISO with offset, or empty."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=NAIVE_TZ)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        seconds = float(value) / 1000 if value > 10**11 else float(value)
        return datetime.fromtimestamp(seconds, tz=UTC)
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return parse_cj_datetime(int(text))
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValueError(f"not a CJ date: {value!r}") from exc
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=NAIVE_TZ)
    raise ValueError(f"not a CJ date: {value!r}")


def _money(value: Any) -> Any:
    if value is None or value == "":
        return Decimal("0")
    if isinstance(value, float):
        return Decimal(str(value))
    return value


CJDateTime = Annotated[datetime | None, BeforeValidator(parse_cj_datetime)]
Money = Annotated[
    Decimal,
    BeforeValidator(_money),
    PlainSerializer(lambda d: float(d), return_type=float, when_used="json"),
]
IdStr = Annotated[str, BeforeValidator(lambda v: "" if v is None else str(v))]


class CJModel(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=True)


class ExpectType(IntEnum):
    """``expectType`` / ``expectResultOptionList`` (07. Dispute: "1: Refund, 2: Reissue")."""

    REFUND = 1
    REISSUE = 2


class RefundType(IntEnum):
    """``refundType`` (07. Dispute: "1: balance, 2: platform")."""

    BALANCE = 1  # CJ wallet balance
    ORIGINAL = 2  # original payment method ("platform")


class FinallyDeal(IntEnum):
    """``finallyDeal``: CJ's decision (07. Dispute: "1: Refund, 2: Reissue, 3: Reject"); null: undecided."""

    REFUND = 1
    REISSUE = 2
    REJECT = 3

    @property
    def label(self) -> str:
        return DEAL_LABELS[self]

    @classmethod
    def of(cls, value: object) -> FinallyDeal | None:
        """A stored or received value (``1``, ``"2"``, None, 0) as the enum; unknown values are None."""
        if value in (None, "", 0, "0"):
            return None
        try:
            return cls(int(str(value)))
        except ValueError:
            return None


DEAL_LABELS = {FinallyDeal.REFUND: "refund", FinallyDeal.REISSUE: "reissue", FinallyDeal.REJECT: "rejected"}

T = TypeVar("T")


class Envelope(CJModel, Generic[T]):
    """CJ's reply wrapper. Success needs HTTP 200 *and* ``code == 200``."""

    code: int
    result: bool | None = None
    message: str | None = None
    data: T | None = None
    requestId: str | None = None
    success: bool | None = None


# --- authentication ---------------------------------------------------------


class AccessToken(CJModel):
    openId: IdStr | None = Field(default=None, repr=False)
    accessToken: str = Field(min_length=1, repr=False)
    accessTokenExpiryDate: CJDateTime = None
    refreshToken: str = Field(min_length=1, repr=False)
    refreshTokenExpiryDate: CJDateTime = None
    createDate: CJDateTime = None


class AccountSettings(CJModel):
    """``setting/get``: the QPS limit may sit at the top or under ``setting``."""

    openId: IdStr | None = None
    openName: str | None = None
    openEmail: str | None = None
    qpsLimit: int | None = None
    setting: dict[str, Any] | None = None
    callback: dict[str, Any] | None = None
    isSandbox: bool | None = None

    @property
    def qps(self) -> int | None:
        if self.qpsLimit is not None:
            return self.qpsLimit
        if self.setting and self.setting.get("qpsLimit") is not None:
            return int(self.setting["qpsLimit"])
        return None


# --- disputes ---------------------------------------------------------------


class DisputeProduct(CJModel):
    """A line of ``productInfoList`` (disputeProducts and disputeConfirmInfo)."""

    lineItemId: IdStr
    cjProductId: IdStr | None = None
    cjVariantId: IdStr | None = None
    canChoose: bool  # required: a missing flag must not read as "cannot be disputed"
    price: Money = Decimal("0")
    quantity: int = 0
    cjProductName: str | None = None
    cjImage: str | None = None
    sku: str | None = None
    supplierName: str | None = None


class DisputeProducts(CJModel):
    orderId: IdStr
    orderNumber: IdStr | None = None
    productInfoList: list[DisputeProduct]  # required: absent is a garbled reply, not "no items"


class DisputeLine(CJModel):
    """A chosen line with its quantity, as CJ wants it in confirm and create."""

    lineItemId: IdStr
    quantity: int = Field(ge=1)
    price: Money | None = None


class DisputeConfirmRequest(CJModel):
    orderId: str = Field(min_length=1, max_length=100)
    productInfoList: list[dict[str, Any]] = Field(min_length=1)


class DisputeReason(CJModel):
    disputeReasonId: int
    reasonName: str


class DisputeConfirmInfo(CJModel):
    orderId: IdStr
    orderNumber: IdStr | None = None
    maxProductPrice: Money = Decimal("0")
    maxPostage: Money = Decimal("0")
    maxIossTaxAmount: Money = Decimal("0")
    maxIossHandTaxAmount: Money = Decimal("0")
    maxAmount: Money = Decimal("0")
    expectResultOptionList: list[ExpectType] = Field(default_factory=list)
    productInfoList: list[DisputeProduct] = Field(default_factory=list)
    disputeReasonList: list[DisputeReason]  # required: absent is a garbled reply, not "no reasons"

    @field_validator("expectResultOptionList", mode="before")
    @classmethod
    def _options_as_ints(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [int(str(v).strip()) for v in value]
        return value


class CreateDisputeRequest(CJModel):
    businessDisputeId: str = Field(min_length=1, max_length=100)
    orderId: str = Field(min_length=1, max_length=100)
    disputeReasonId: int
    expectType: ExpectType
    refundType: RefundType
    messageText: str = Field(min_length=1, max_length=500)
    imageUrl: list[str] = Field(default_factory=list)
    videoUrl: list[str] = Field(default_factory=list)
    productInfoList: list[DisputeLine] = Field(min_length=1)


class CancelDisputeRequest(CJModel):
    orderId: str = Field(min_length=1, max_length=100)
    disputeId: str = Field(min_length=1, max_length=100)


class DisputeListProduct(CJModel):
    image: str | None = None
    price: Money = Decimal("0")
    lineItemId: IdStr | None = None
    cjProductId: IdStr | None = None
    cjVariantId: IdStr | None = None
    productName: str | None = None
    supplierName: str | None = None


class DisputeSummary(CJModel):
    """An entry of ``getDisputeList``. Decide on ``finallyDeal``, keep ``status`` raw."""

    id: IdStr
    status: str | None = None
    disputeReason: str | None = None
    replacementAmount: Money = Decimal("0")
    resendOrderCode: str | None = None
    money: Money = Decimal("0")
    finallyDeal: FinallyDeal | None = None
    createDate: CJDateTime = None
    orderId: IdStr | None = None  # not documented, sent by some accounts
    productList: list[DisputeListProduct] = Field(default_factory=list)

    @field_validator("finallyDeal", mode="before")
    @classmethod
    def _deal(cls, value: Any) -> Any:
        return None if value in (None, "", 0, "0") else int(value)

    def line_ids(self) -> frozenset[str]:
        return frozenset(p.lineItemId for p in self.productList if getattr(p, "lineItemId", None))


class DisputePage(CJModel):
    pageNum: int = 1
    pageSize: int = 10
    total: int = 0
    items: list[DisputeSummary] = Field(default_factory=list, alias="list")


class RefundDetail(CJModel):
    type: str | None = None
    typeName: str | None = None
    amount: Money = Decimal("0")


class DisputeDetailProduct(CJModel):
    image: str | None = None
    price: Money = Decimal("0")
    productCode: str | None = None
    productId: IdStr | None = None
    productName: str | None = None
    standId: IdStr | None = None
    supplierName: str | None = None


class DisputeDetail(DisputeSummary):
    refundAmount: Money | None = None
    refundDetails: list[RefundDetail] = Field(default_factory=list)
    productList: list[DisputeDetailProduct] = Field(default_factory=list)  # type: ignore[assignment]


# --- orders and logistics ---------------------------------------------------


class OrderStatus:
    """CJ's order status filter values (``shopping/order/list``)."""

    CREATED = "CREATED"
    IN_CART = "IN_CART"
    UNPAID = "UNPAID"
    UNSHIPPED = "UNSHIPPED"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    CANCELLED = "CANCELLED"
    OTHER = "OTHER"
    ALL = (CREATED, IN_CART, UNPAID, UNSHIPPED, SHIPPED, DELIVERED, CANCELLED, OTHER)


class OrderSummary(CJModel):
    orderId: IdStr
    orderNum: IdStr | None = None
    cjOrderId: IdStr | None = None
    orderStatus: str | None = None
    trackNumber: str | None = None
    logisticName: str | None = None
    orderAmount: Money = Decimal("0")
    productAmount: Money = Decimal("0")
    postageAmount: Money = Decimal("0")
    createDate: CJDateTime = None
    paymentDate: CJDateTime = None


class OrderPage(CJModel):
    pageNum: int = 1
    pageSize: int = 10
    total: int = 0
    items: list[OrderSummary] = Field(default_factory=list, alias="list")


class OrderProduct(CJModel):
    vid: IdStr | None = None
    quantity: int = 0
    sellPrice: Money = Decimal("0")
    lineItemId: IdStr | None = None
    productName: str | None = None


def _one_or_zero(value: Any) -> Any:
    """``isComplete`` is "1: Complete 0: Incomplete" (a Number) in CJ's docs; booleans are accepted too."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    if str(value).strip() in ("1", "0"):
        return str(value).strip() == "1"
    raise ValueError("isComplete must be 1 or 0")


class OrderDetail(CJModel):
    """``getOrderDetail`` (05. Shopping §1.7). CJ names the shop's order number ``orderNum``;
    ``orderNumber`` (webhooks, dispute endpoints) is accepted as a fallback."""

    orderId: IdStr
    orderNum: IdStr | None = None
    orderNumber: IdStr | None = None
    cjOrderId: IdStr | None = None
    orderStatus: str | None = None
    disputeId: IdStr | None = None
    trackNumber: str | None = None
    logisticName: str | None = None
    shippingCountryCode: str | None = None
    orderAmount: Money = Decimal("0")
    productAmount: Money = Decimal("0")
    postageAmount: Money = Decimal("0")
    createDate: CJDateTime = None
    paymentDate: CJDateTime = None
    outWarehouseTime: CJDateTime = None
    isComplete: Annotated[bool | None, BeforeValidator(_one_or_zero)] = None
    productList: list[OrderProduct] = Field(default_factory=list)

    @property
    def shop_order_number(self) -> str | None:
        return self.orderNum or self.orderNumber


class TrackInfo(CJModel):
    trackingNumber: str
    logisticName: str | None = None
    trackingStatus: str | None = None
    deliveryDay: IdStr | None = None
    deliveryTime: CJDateTime = None
    lastMileCarrier: str | None = None
