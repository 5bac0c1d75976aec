"""The seeded account, dispute reasons and orders (``data/sandbox_orders.json``), validated on load.

Dates are relative ("shipped 75 days ago") so the seeded story stays true whenever the
sandbox starts; each order also says how CJ will decide a dispute on it.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

OrderState = Literal[
    "unpaid", "processing", "dispatched", "delivered", "lost_in_transit", "returned", "cancelled"
]
Deal = Literal["refund", "reissue", "reject"]
RefundType = Literal["PRODUCT_COST", "SHIPPING_COST", "IOSS_TAX", "IOSS_HANDLING_FEE"]

REFUND_TYPE_NAMES: dict[str, str] = {
    "PRODUCT_COST": "Product Cost",
    "SHIPPING_COST": "Shipping Cost",
    "IOSS_TAX": "IOSS Tax",
    "IOSS_HANDLING_FEE": "IOSS Handling Fee",
}


class _Fixture(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AccountFixture(_Fixture):
    openId: int
    openName: str
    openEmail: str


class ReasonFixture(_Fixture):
    disputeReasonId: int
    reasonName: str


class LineFixture(_Fixture):
    lineItemId: str
    cjProductId: str
    vid: str
    productName: str
    sku: str
    price: Decimal
    quantity: int = Field(ge=1)
    image: str
    supplierName: str
    canChoose: bool = True


class RefundDetailFixture(_Fixture):
    type: RefundType
    amount: Decimal


class DecisionFixture(_Fixture):
    deal: Deal
    status: str | None = None  # the status text once decided; default per deal
    refundDetails: list[RefundDetailFixture] = Field(default_factory=list)
    resendOrderCode: str | None = None
    replacementAmount: Decimal = Decimal("0")

    @model_validator(mode="after")
    def _consistent(self) -> DecisionFixture:
        if self.deal == "refund" and not self.refundDetails:
            raise ValueError("a refund decision needs refundDetails")
        if self.deal == "reissue" and not self.resendOrderCode:
            raise ValueError("a reissue decision needs resendOrderCode")
        return self


class ClaimFixture(_Fixture):
    lineItemId: str
    quantity: int = Field(ge=1)


class DisputeFixture(_Fixture):
    """A dispute that exists before the sandbox starts (opened on the website or earlier via the API)."""

    id: str = Field(pattern=r"^SH\d+$")
    channel: Literal["website", "api"]
    outcome: Literal["open", "decided", "cancelled"]
    reasonId: int
    createdDaysAgo: float = Field(ge=0)
    lines: list[ClaimFixture] = Field(min_length=1)
    messageText: str = ""


class TrackingFixture(_Fixture):
    status: str  # trackingStatus text, e.g. "In transit", "Delivered"
    deliveredDaysAgo: float | None = None
    lastMileCarrier: str | None = None


class OrderFixture(_Fixture):
    orderId: str = Field(pattern=r"^(SD|ZF)\w+$")
    orderNumber: str
    cjOrderId: str
    scenario: str
    state: OrderState
    createdViaApi: bool = True
    createdDaysAgo: float = Field(ge=0)
    paidDaysAgo: float | None = None
    outWarehouseDaysAgo: float | None = None
    shippingCountryCode: str = Field(min_length=2, max_length=2)
    logisticName: str | None = None
    trackNumber: str | None = None
    tracking: TrackingFixture | None = None
    postage: Decimal = Decimal("0")
    iossTax: Decimal = Decimal("0")
    iossHandlingFee: Decimal = Decimal("0")
    lines: list[LineFixture] = Field(min_length=1)
    reasonIds: list[int] | None = None  # default: by state (see state.DEFAULT_REASONS)
    expectOptions: list[Literal[1, 2]] | None = None  # default: refund only before shipping
    decision: DecisionFixture
    disputes: list[DisputeFixture] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> OrderFixture:
        ids = {line.lineItemId for line in self.lines}
        if len(ids) != len(self.lines):
            raise ValueError(f"{self.orderId}: duplicate lineItemId")
        for dispute in self.disputes:
            for claim in dispute.lines:
                if claim.lineItemId not in ids:
                    raise ValueError(f"{self.orderId}: dispute {dispute.id} claims unknown line")
        if (self.trackNumber is None) != (self.tracking is None):
            raise ValueError(f"{self.orderId}: trackNumber and tracking go together")
        return self


class FixtureFile(_Fixture):
    account: AccountFixture
    reasons: list[ReasonFixture]
    orders: list[OrderFixture] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> FixtureFile:
        keys = [o.orderId for o in self.orders] + [o.orderNumber for o in self.orders]
        if len(set(keys)) != len(keys):
            raise ValueError("order ids and order numbers must be unique")
        reason_ids = {r.disputeReasonId for r in self.reasons}
        for order in self.orders:
            for rid in [*(order.reasonIds or []), *(d.reasonId for d in order.disputes)]:
                if rid not in reason_ids:
                    raise ValueError(f"{order.orderId}: unknown reason id {rid}")
        return self


def load_fixtures(path: Path) -> FixtureFile:
    """Read and validate the fixture file; a broken file fails here, not mid-request."""
    return FixtureFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
