"""The sandbox's disputes: the six endpoints of CJ API Docs "07. Dispute", and a decision on a clock.

Documented: disputes are opened only for orders created through the API; ``create`` answers
``data: true`` (not the id); ``businessDisputeId`` is the customer's unique value; ids start
with ``SH``; the list's entries carry ``id``, ``status``, ``disputeReason``, ``finallyDeal``
(1 refund, 2 reissue, 3 reject, null until decided), ``createDate`` text and ``productList``
(lineItemId, price, names; no quantities); the detail's ``createDate`` is epoch milliseconds.

Chosen where CJ says nothing (guesses, listed in docs/sandbox.md): an order with an open
dispute takes no second one (1607007/1607008 "already has a dispute in progress"); a line in
an open dispute shows ``canChoose: false``; a repeated ``businessDisputeId`` for the same order
answers ``true`` again and opens nothing; status texts are "Processing", "Refunded",
"Reissued", "Rejected", "Cancelled"; an unknown dispute's detail is 1600300 "dispute not found";
getDisputeList's ``disputeId`` (typed integer in the docs) refuses ``SH…`` with 1600300 and
matches the digits otherwise; ``pageSize`` above ``dispute_page_max`` (50) is a param error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from cj.sandbox import errors as E
from cj.sandbox.clock import SandboxClock
from cj.sandbox.config import SandboxConfig
from cj.sandbox.errors import SandboxError
from cj.sandbox.fixtures import REFUND_TYPE_NAMES, DecisionFixture, FixtureFile, LineFixture, OrderFixture
from cj.sandbox.orders import OrderBook
from cj.sandbox.requests import CancelBody, ConfirmBody, CreateBody, DisputeListQuery, ProductLine
from cj.sandbox.wire import epoch_ms, money, text_date

DEFAULT_REASONS = {
    "processing": [1],
    "dispatched": [10, 11],
    "lost_in_transit": [10, 11],
    "returned": [12, 10],
    "delivered": [8, 2, 3, 4, 10],
}
NOT_DISPUTABLE = {"unpaid", "cancelled"}
OPEN = "Processing"
CANCELLED = "Cancelled"
DEAL_CODE = {"refund": 1, "reissue": 2, "reject": 3}
DEAL_STATUS = {"refund": "Refunded", "reissue": "Reissued", "reject": "Rejected"}
EXPECT_NAMES = {1: "refund", 2: "reissue"}
MESSAGE_MAX = 500
URL_MAX = 200
FIRST_DISPUTE_NUMBER = 1990400000000000001  # SH + 19 digits, like CJ's snowflake ids
NOT_VIA_API = (
    "This order was not created through the API, so its dispute cannot be created through the API: "
    "open it on the CJ website (My CJ > Orders > Dispute)"
)


@dataclass
class Claim:
    line: LineFixture
    quantity: int


@dataclass
class Dispute:
    id: str
    order: OrderFixture
    reason_id: int
    reason_name: str
    created: datetime
    claims: list[Claim]
    channel: str
    decide_at: float | None  # sandbox monotonic seconds; None when already decided or cancelled
    business_id: str | None = None
    expect_type: int | None = None
    refund_type: int | None = None
    message_text: str = ""
    image_urls: list[str] = field(default_factory=list)
    video_urls: list[str] = field(default_factory=list)
    status: str = OPEN
    finally_deal: int | None = None
    money: Decimal = Decimal("0")
    replacement_amount: Decimal = Decimal("0")
    resend_order_code: str = ""
    refund_details: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    def decide(self, decision: DecisionFixture) -> None:
        self.decide_at = None
        self.status = decision.status or DEAL_STATUS[decision.deal]
        self.finally_deal = DEAL_CODE[decision.deal]
        if decision.deal == "refund":
            self.refund_details = [
                {"type": d.type, "typeName": REFUND_TYPE_NAMES[d.type], "amount": money(d.amount)}
                for d in decision.refundDetails
            ]
            self.money = money(sum((d.amount for d in decision.refundDetails), Decimal("0")))
        elif decision.deal == "reissue":
            self.replacement_amount = money(decision.replacementAmount)
            self.resend_order_code = decision.resendOrderCode or ""

    def record(self) -> dict[str, Any]:
        """What the admin API shows of a dispute (tests count disputes per order and line with it)."""
        return {
            "id": self.id,
            "orderId": self.order.orderId,
            "status": self.status,
            "finallyDeal": self.finally_deal,
            "channel": self.channel,
            "businessDisputeId": self.business_id,
            "disputeReasonId": self.reason_id,
            "expectType": self.expect_type,
            "refundType": self.refund_type,
            "lines": [{"lineItemId": c.line.lineItemId, "quantity": c.quantity} for c in self.claims],
            "imageUrl": list(self.image_urls),
            "createdAt": self.created.isoformat(),
        }


class DisputeDesk:
    def __init__(
        self, config: SandboxConfig, clock: SandboxClock, fixtures: FixtureFile, orders: OrderBook
    ) -> None:
        self.config = config
        self.clock = clock
        self.fixtures = fixtures
        self.orders = orders
        self.reasons = {r.disputeReasonId: r.reasonName for r in fixtures.reasons}
        orders.latest_dispute = self.latest_id
        self.reset()

    def reset(self) -> None:
        self.disputes: list[Dispute] = []
        self.business_ids: dict[str, Dispute] = {}
        self._next_number = FIRST_DISPUTE_NUMBER
        now, mono = self.clock.now(), self.clock.monotonic()
        for order in self.fixtures.orders:
            lines = {line.lineItemId: line for line in order.lines}
            for seeded in order.disputes:
                dispute = Dispute(
                    id=seeded.id,
                    order=order,
                    reason_id=seeded.reasonId,
                    reason_name=self.reasons[seeded.reasonId],
                    created=now - timedelta(days=seeded.createdDaysAgo),
                    claims=[Claim(lines[c.lineItemId], c.quantity) for c in seeded.lines],
                    channel=seeded.channel,
                    decide_at=mono + self.config.resolve_after,
                    message_text=seeded.messageText,
                )
                if seeded.outcome == "decided":
                    dispute.decide(order.decision)
                elif seeded.outcome == "cancelled":
                    dispute.status, dispute.decide_at = CANCELLED, None
                self.disputes.append(dispute)

    def tick(self) -> None:
        """Decide every open dispute whose time has come, from its order's fixture."""
        mono = self.clock.monotonic()
        for dispute in self.disputes:
            if dispute.is_open and dispute.decide_at is not None and dispute.decide_at <= mono:
                dispute.decide(dispute.order.decision)

    def latest_id(self, order: OrderFixture) -> str | None:
        latest = max((d for d in self.disputes if d.order is order), key=lambda d: d.created, default=None)
        return latest.id if latest else None

    # --- checks -----------------------------------------------------------------------------

    def _disputable(self, key: str, code: int) -> OrderFixture:
        order = self.orders.by_cj_id(key)
        if order is None:
            raise SandboxError(E.ORDER_NOT_FOUND, "Order not found, please check the CJ order id")
        if order.state in NOT_DISPUTABLE:
            raise SandboxError(code, "Order cannot be disputed")
        if not order.createdViaApi:
            raise SandboxError(code, NOT_VIA_API)
        return order

    def _open_dispute(self, order: OrderFixture) -> Dispute | None:
        return next((d for d in self.disputes if d.order is order and d.is_open), None)

    def _refuse_if_open(self, order: OrderFixture, code: int) -> None:
        existing = self._open_dispute(order)
        if existing is not None:
            raise SandboxError(
                code,
                f"Order {order.orderId} already has a dispute in progress ({existing.id}): "
                "wait for CJ's decision or cancel it first",
            )

    def _claims(self, order: OrderFixture, lines: list[ProductLine], code: int) -> list[Claim]:
        known = {line.lineItemId: line for line in order.lines}
        claims: list[Claim] = []
        seen: set[str] = set()
        for asked in lines:
            line = known.get(asked.lineItemId)
            if line is None:
                raise SandboxError(code, f"lineItemId {asked.lineItemId} is not in order {order.orderId}")
            if asked.lineItemId in seen:
                raise SandboxError(code, f"lineItemId {asked.lineItemId} is listed twice")
            seen.add(asked.lineItemId)
            if not 1 <= asked.quantity <= line.quantity:
                raise SandboxError(
                    code, f"quantity for lineItemId {line.lineItemId} must be between 1 and {line.quantity}"
                )
            if not line.canChoose:
                raise SandboxError(
                    code, f"Product {line.sku} can no longer be disputed: its dispute period has ended"
                )
            claims.append(Claim(line, asked.quantity))
        return claims

    def _reason_ids(self, order: OrderFixture) -> list[int]:
        return order.reasonIds or DEFAULT_REASONS.get(order.state, [])

    def _expect_options(self, order: OrderFixture) -> list[int]:
        return list(order.expectOptions or ([1] if order.state == "processing" else [1, 2]))

    @staticmethod
    def _product_info(line: LineFixture, quantity: int, can_choose: bool) -> dict[str, Any]:
        return {
            "lineItemId": line.lineItemId,
            "cjProductId": line.cjProductId,
            "cjVariantId": line.vid,
            "canChoose": can_choose,
            "price": money(line.price),
            "quantity": quantity,
            "cjProductName": line.productName,
            "cjImage": line.image,
            "sku": line.sku,
            "supplierName": line.supplierName,
        }

    # --- endpoints --------------------------------------------------------------------------

    def products(self, key: str) -> dict[str, Any]:
        order = self._disputable(key, E.DISPUTE_PRODUCTS_FAILED)
        open_dispute = self._open_dispute(order)
        claimed = {c.line.lineItemId for c in open_dispute.claims} if open_dispute else set()
        return {
            "orderId": order.orderId,
            "orderNumber": order.orderNumber,
            "productInfoList": [
                self._product_info(line, line.quantity, line.canChoose and line.lineItemId not in claimed)
                for line in order.lines
            ],
        }

    def confirm_info(self, body: ConfirmBody) -> dict[str, Any]:
        code = E.DISPUTE_CONFIRM_FAILED
        order = self._disputable(body.orderId, code)
        self._refuse_if_open(order, code)
        claims = self._claims(order, body.productInfoList, code)
        ordered = sum((line.price * line.quantity for line in order.lines), Decimal("0"))
        claimed = sum((c.line.price * c.quantity for c in claims), Decimal("0"))
        share = claimed / ordered if ordered else Decimal("0")
        whole = share == 1
        postage = order.postage if whole and order.state != "delivered" else Decimal("0")
        ioss_tax, ioss_fee = money(order.iossTax * share), money(order.iossHandlingFee * share)
        return {
            "orderId": order.orderId,
            "orderNumber": order.orderNumber,
            "maxProductPrice": money(claimed),
            "maxPostage": money(postage),
            "maxIossTaxAmount": ioss_tax,
            "maxIossHandTaxAmount": ioss_fee,
            "maxAmount": money(claimed + postage + ioss_tax + ioss_fee),
            "expectResultOptionList": [str(option) for option in self._expect_options(order)],
            "productInfoList": [self._product_info(c.line, c.quantity, c.line.canChoose) for c in claims],
            "disputeReasonList": [
                {"disputeReasonId": rid, "reasonName": self.reasons[rid]} for rid in self._reason_ids(order)
            ],
        }

    def create(self, body: CreateBody) -> bool:
        """Open a dispute. Repeating a ``businessDisputeId`` for the same order answers ``true`` again
        and opens nothing (so a retry after a lost answer is safe); for another order it is refused."""
        code = E.DISPUTE_CREATE_FAILED
        previous = self.business_ids.get(body.businessDisputeId)
        if previous is not None and self.config.repeated_business_id == "answer_true":
            if body.orderId.strip() in (previous.order.orderId, previous.order.cjOrderId):
                return True
            raise SandboxError(
                code, f"businessDisputeId {body.businessDisputeId} was already used for another order"
            )
        order = self._disputable(body.orderId, code)
        if self.config.open_disputes == "one_per_order":
            self._refuse_if_open(order, code)
        claims = self._claims(order, body.productInfoList, code)
        if body.disputeReasonId not in self._reason_ids(order):
            raise SandboxError(code, f"disputeReasonId {body.disputeReasonId} is not offered for this order")
        if body.expectType not in EXPECT_NAMES:
            raise SandboxError(code, "expectType must be 1 (refund) or 2 (reissue)")
        if body.expectType not in self._expect_options(order):
            raise SandboxError(
                code,
                f"expectType {body.expectType} ({EXPECT_NAMES[body.expectType]}) is not offered here",
            )
        if body.refundType not in (1, 2):
            raise SandboxError(code, "refundType must be 1 (CJ balance) or 2 (original payment method)")
        if not body.messageText.strip():
            raise SandboxError(code, "messageText must not be empty")
        if len(body.messageText) > MESSAGE_MAX:
            raise SandboxError(code, f"messageText is longer than {MESSAGE_MAX} characters")
        for url in [*body.imageUrl, *body.videoUrl]:
            if not url.startswith(("https://", "http://")) or len(url) > URL_MAX:
                raise SandboxError(
                    code, f"imageUrl and videoUrl entries must be http(s) URLs of {URL_MAX} chars at most"
                )
        dispute = self._open(order, claims, body.disputeReasonId, channel="api", message=body.messageText)
        dispute.business_id = body.businessDisputeId
        dispute.expect_type, dispute.refund_type = body.expectType, body.refundType
        dispute.image_urls, dispute.video_urls = list(body.imageUrl), list(body.videoUrl)
        self.business_ids[body.businessDisputeId] = dispute
        return True

    def cancel(self, body: CancelBody) -> bool:
        code = E.DISPUTE_CANCEL_FAILED
        dispute = self.find(body.disputeId)
        if dispute is None or body.orderId.strip() not in (dispute.order.orderId, dispute.order.cjOrderId):
            raise SandboxError(code, f"Dispute {body.disputeId} not found for order {body.orderId}")
        if dispute.status == CANCELLED:
            raise SandboxError(code, f"Dispute {dispute.id} is already cancelled")
        if not dispute.is_open:
            raise SandboxError(
                code, f"Dispute {dispute.id} was already decided ({dispute.status}) and cannot be cancelled"
            )
        dispute.status, dispute.decide_at = CANCELLED, None
        return True

    def list(self, query: DisputeListQuery) -> dict[str, Any]:
        if query.pageSize > self.config.dispute_page_max:
            raise E.param_error(f"pageSize must be at most {self.config.dispute_page_max}", E.NOT_FOUND)
        disputes = sorted(self.disputes, key=lambda d: d.created, reverse=True)
        if query.orderId:
            disputes = [d for d in disputes if query.orderId.strip() in (d.order.orderId, d.order.cjOrderId)]
        if query.disputeId:
            digits = query.disputeId.strip()
            if not digits.isdecimal():  # typed integer in the docs: "SH…" is not one
                raise E.param_error("disputeId must be an integer", E.NOT_FOUND)
            disputes = [d for d in disputes if d.id == f"SH{digits}"]
        if query.orderNumber:
            disputes = [d for d in disputes if d.order.orderNumber == query.orderNumber.strip()]
        start = (query.pageNum - 1) * query.pageSize
        return {
            "pageNum": query.pageNum,
            "pageSize": query.pageSize,
            "total": len(disputes),
            "list": [self._summary(d) for d in disputes[start : start + query.pageSize]],
        }

    def detail(self, dispute_id: str) -> dict[str, Any]:
        dispute = self.find(dispute_id)
        if dispute is None:
            raise SandboxError(E.DISPUTE_NOT_FOUND, "dispute not found")
        return {
            "id": dispute.id,
            "status": dispute.status,
            "disputeReason": dispute.reason_name,
            "replacementAmount": dispute.replacement_amount,
            "resendOrderCode": dispute.resend_order_code,
            "money": dispute.money,
            "refundAmount": dispute.money,
            "finallyDeal": dispute.finally_deal,
            "createDate": epoch_ms(dispute.created),
            "refundDetails": list(dispute.refund_details),
            "productList": [
                {
                    "image": c.line.image,
                    "price": money(c.line.price),
                    "productCode": c.line.sku,
                    "productId": c.line.cjProductId,
                    "productName": c.line.productName,
                    "standId": c.line.vid,
                    "supplierName": c.line.supplierName,
                }
                for c in dispute.claims
            ],
        }

    # --- the CJ website (admin) -------------------------------------------------------------

    def open_on_website(
        self, order_id: str, lines: list[ProductLine], reason_id: int | None = None
    ) -> Dispute:
        """What a seller (or a teammate) does on CJ's website: a dispute with no businessDisputeId.
        The website opens disputes for any paid order, API or not."""
        order = self.orders.by_cj_id(order_id)
        if order is None or order.state in NOT_DISPUTABLE:
            raise SandboxError(E.DISPUTE_CREATE_FAILED, "Order cannot be disputed")
        if self.config.open_disputes == "one_per_order":
            self._refuse_if_open(order, E.DISPUTE_CREATE_FAILED)
        claims = self._claims(order, lines, E.DISPUTE_CREATE_FAILED)
        reasons = self._reason_ids(order)
        return self._open(order, claims, reason_id or (reasons[0] if reasons else 10), channel="website")

    def _open(
        self, order: OrderFixture, claims: list[Claim], reason_id: int, *, channel: str, message: str = ""
    ) -> Dispute:
        dispute = Dispute(
            id=f"SH{self._next_number}",
            order=order,
            reason_id=reason_id,
            reason_name=self.reasons.get(reason_id, "Other"),
            created=self.clock.now(),
            claims=claims,
            channel=channel,
            decide_at=self.clock.monotonic() + self.config.resolve_after,
            message_text=message,
        )
        self._next_number += 1
        self.disputes.append(dispute)
        return dispute

    def find(self, dispute_id: str) -> Dispute | None:
        return next((d for d in self.disputes if d.id == dispute_id.strip()), None)

    def _summary(self, dispute: Dispute) -> dict[str, Any]:
        return {
            "id": dispute.id,
            "status": dispute.status,
            "disputeReason": dispute.reason_name,
            "replacementAmount": dispute.replacement_amount,
            "resendOrderCode": dispute.resend_order_code,
            "money": dispute.money,
            "finallyDeal": dispute.finally_deal,
            "createDate": text_date(dispute.created),
            "productList": [
                {
                    "image": c.line.image,
                    "price": money(c.line.price),
                    "lineItemId": c.line.lineItemId,
                    "cjProductId": c.line.cjProductId,
                    "cjVariantId": c.line.vid,
                    "productName": c.line.productName,
                    "supplierName": c.line.supplierName,
                }
                for c in dispute.claims
            ],
        }
