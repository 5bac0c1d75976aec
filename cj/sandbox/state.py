"""The sandbox's domain: one CJ account, its tokens, orders, tracking and disputes.

Plain Python, no HTTP: each public method takes validated request models and returns
JSON-ready data (money as ``Decimal``) or raises :class:`~cj.sandbox.errors.SandboxError`.
Time comes from the :class:`~cj.sandbox.clock.SandboxClock`; call :meth:`tick` before
reading so disputes due for a decision are decided. Not thread-safe by itself: the
runtime serialises access with one lock.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from cj.sandbox import errors as E
from cj.sandbox.clock import SandboxClock
from cj.sandbox.config import SandboxConfig
from cj.sandbox.errors import SandboxError
from cj.sandbox.fixtures import REFUND_TYPE_NAMES, DecisionFixture, FixtureFile, LineFixture, OrderFixture
from cj.sandbox.requests import (
    CancelBody,
    ConfirmBody,
    CreateBody,
    DisputeListQuery,
    OrderListQuery,
    ProductLine,
    WebhookSetBody,
)
from cj.sandbox.wire import epoch_ms, iso_date, money, text_date

ORDER_STATUS = {
    "unpaid": "UNPAID",
    "processing": "UNSHIPPED",
    "dispatched": "SHIPPED",
    "lost_in_transit": "SHIPPED",
    "returned": "SHIPPED",
    "delivered": "DELIVERED",
    "cancelled": "CANCELLED",
}
DEFAULT_REASONS = {
    "processing": [1],
    "dispatched": [10, 11],
    "lost_in_transit": [10, 11],
    "returned": [12, 10],
    "delivered": [8, 2, 3, 4, 10],
}
NOT_DISPUTABLE = {"unpaid", "cancelled"}
WEBHOOK_BLOCKS = ("product", "stock", "order", "logistics")
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
class TokenPair:
    access: str
    refresh: str
    created: datetime
    access_expires: datetime
    refresh_expires: datetime
    access_alive: bool = True
    refresh_alive: bool = True


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


class SandboxState:
    def __init__(self, config: SandboxConfig, clock: SandboxClock, fixtures: FixtureFile) -> None:
        self.config = config
        self.clock = clock
        self.fixtures = fixtures
        self.reset()

    # --- set-up -----------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the fixtures: no tokens, key valid, seeded disputes only, counters zero."""
        self.key_revoked = False
        self.tokens: list[TokenPair] = []
        self.calls: Counter[str] = Counter()
        self.quota_used: Counter[tuple[str, str]] = Counter()
        self.orders: dict[str, OrderFixture] = {o.orderId: o for o in self.fixtures.orders}
        self.reasons = {r.disputeReasonId: r.reasonName for r in self.fixtures.reasons}
        self.disputes: list[Dispute] = []
        self.business_ids: dict[str, Dispute] = {}
        self._next_number = FIRST_DISPUTE_NUMBER
        now, mono = self.clock.now(), self.clock.monotonic()
        for order in self.fixtures.orders:
            lines = {line.lineItemId: line for line in order.lines}
            for seeded in order.disputes:
                dispute = Dispute(
                    id=seeded.id, order=order, reason_id=seeded.reasonId,
                    reason_name=self.reasons[seeded.reasonId],
                    created=now - timedelta(days=seeded.createdDaysAgo),
                    claims=[Claim(lines[c.lineItemId], c.quantity) for c in seeded.lines],
                    channel=seeded.channel, decide_at=mono + self.config.resolve_after,
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

    def _days_ago(self, days: float | None) -> datetime | None:
        return None if days is None else self.clock.start_wall - timedelta(days=days)

    # --- authentication ---------------------------------------------------------------------

    def get_access_token(self, api_key: str) -> dict[str, Any]:
        if self.key_revoked:
            raise SandboxError(E.INVALID_TOKEN, "Invalid API key: it was revoked or regenerated")
        if not secrets.compare_digest(api_key.encode(), self.config.api_key.encode()):
            raise SandboxError(E.API_KEY_WRONG, "apiKey is wrong: copy it from CJ (Authorization > API)")
        now = self.clock.now()
        for pair in reversed(self.tokens):  # within its life the same pair comes back, as live CJ does
            if pair.access_alive and pair.access_expires > now:
                return self._token_data(pair)
        return self._token_data(self._issue(now))

    def refresh_access_token(self, refresh_token: str) -> dict[str, Any]:
        now = self.clock.now()
        pair = self._find(lambda p: secrets.compare_digest(p.refresh.encode(), refresh_token.encode()))
        if pair is None or self.key_revoked or not pair.refresh_alive or pair.refresh_expires <= now:
            raise SandboxError(E.INVALID_REFRESH_TOKEN, "Invalid refresh token: request a new access token")
        pair.access_alive = False
        return self._token_data(self._issue(now))

    def authenticate(self, access_token: str | None) -> str:
        """The account (openId) behind a ``CJ-Access-Token`` header, or CJ's auth error."""
        if not access_token or not access_token.strip():
            raise SandboxError(E.TOKEN_EMPTY, "CJ-Access-Token is empty")
        pair = self._find(lambda p: secrets.compare_digest(p.access.encode(), access_token.strip().encode()))
        if pair is None or self.key_revoked or not pair.access_alive:
            raise SandboxError(E.INVALID_TOKEN, "Invalid access token")
        if pair.access_expires <= self.clock.now():
            raise SandboxError(E.INVALID_TOKEN, "Access token has expired: refresh it")
        return str(self.fixtures.account.openId)

    def logout(self, access_token: str) -> bool:
        pair = self._find(lambda p: p.access == access_token.strip())
        if pair is not None:
            pair.access_alive = pair.refresh_alive = False
        return True

    def expire_tokens(self) -> None:
        """Every access token expires now (refresh tokens stay valid)."""
        now = self.clock.now()
        for pair in self.tokens:
            pair.access_expires = min(pair.access_expires, now)

    def revoke_key(self) -> None:
        """The seller regenerated the key: it and every token stop working."""
        self.key_revoked = True
        for pair in self.tokens:
            pair.access_alive = pair.refresh_alive = False

    def _issue(self, now: datetime) -> TokenPair:
        pair = TokenPair(
            access="API@CJ" + secrets.token_urlsafe(96),
            refresh="API@CJ" + secrets.token_urlsafe(96),
            created=now,
            access_expires=now + self.config.access_token_ttl,
            refresh_expires=now + self.config.refresh_token_ttl,
        )
        self.tokens.append(pair)
        return pair

    def _find(self, predicate: Any) -> TokenPair | None:
        return next((p for p in reversed(self.tokens) if predicate(p)), None)

    def _token_data(self, pair: TokenPair) -> dict[str, Any]:
        return {
            "openId": self.fixtures.account.openId,
            "accessToken": pair.access,
            "accessTokenExpiryDate": iso_date(pair.access_expires),
            "refreshToken": pair.refresh,
            "refreshTokenExpiryDate": iso_date(pair.refresh_expires),
            "createDate": iso_date(pair.created),
        }

    # --- quotas and settings ----------------------------------------------------------------

    def spend_quota(self, path: str) -> None:
        """Count a call against the daily per-interface quota (1600201 when it is used up)."""
        day = text_date(self.clock.now())[:10]  # type: ignore[index]
        key = (day, path)
        if self.config.daily_quota is not None and self.quota_used[key] >= self.config.daily_quota:
            raise SandboxError(
                E.QUOTA_USED_UP, f"Quota used up: {self.config.daily_quota} calls per day for {path}"
            )
        self.quota_used[key] += 1

    def account_settings(self) -> dict[str, Any]:
        account = self.fixtures.account
        quota = self.config.daily_quota or 1000
        return {
            "openId": account.openId,
            "openName": account.openName,
            "openEmail": account.openEmail,
            "setting": {
                "quotaLimits": [
                    {"quotaUrl": "/api2.0/v1/" + path, "quotaLimit": quota, "quotaType": 1}
                    for path in ("shopping/order/list", "shopping/order/getOrderDetail", "logistic/trackInfo",
                                 "disputes/getDisputeList", "disputes/create")
                ],
                "qpsLimit": int(self.config.qps) if float(self.config.qps).is_integer() else self.config.qps,
            },
            "callback": self._callback(),
            "root": "GENERAL",
            "isSandbox": True,
        }

    def _callback(self) -> dict[str, Any]:
        urls = self.webhook_urls()
        callback: dict[str, Any] = {}
        for block in WEBHOOK_BLOCKS:
            callback[f"{block}Type"] = "ENABLE" if block in urls else None
            callback[f"{block}CallbackUrls"] = [urls[block]] if block in urls else []
        return callback

    def set_webhook(self, body: WebhookSetBody) -> bool:
        """``webhook/set``: hand the blocks to the sandbox's webhook emitter (``webhook_sender``),
        which remembers the URLs and sends CJ's set-up test request to them."""
        blocks = body.model_dump(exclude_none=True)
        if not blocks:
            raise E.param_error("at least one of product, stock, order, logistics is required")
        from cj.sandbox import webhook_sender  # loaded on use: the emitter is the notifier's (issue 6)

        request = webhook_sender.WebhookSetBody.model_validate(blocks)
        try:
            return webhook_sender.webhooks_for(self).configure(request)
        except ValueError as exc:
            raise E.param_error(str(exc)) from None

    def webhook_urls(self) -> dict[str, str]:
        """Enabled webhook URLs by block (``order``, ``logistics``, ...)."""
        from cj.sandbox import webhook_sender

        return dict(webhook_sender.webhooks_for(self).urls)

    # --- orders -----------------------------------------------------------------------------

    def find_order(self, key: str) -> OrderFixture | None:
        key = key.strip()
        if key in self.orders:
            return self.orders[key]
        return next((o for o in self.orders.values() if key in (o.orderNumber, o.cjOrderId)), None)

    def _order(self, key: str, *, by_number: bool = True) -> OrderFixture:
        order = self.orders.get(key.strip()) if not by_number else self.find_order(key)
        if order is None and not by_number:
            order = next((o for o in self.orders.values() if o.cjOrderId == key.strip()), None)
        if order is None:
            if by_number:  # getOrderDetail: 1600300 "order not found" (Shopping §1.7)
                raise SandboxError(E.NOT_FOUND, "order not found")
            raise SandboxError(E.ORDER_NOT_FOUND, "Order not found, please check the CJ order id")
        return order

    def _order_summary(self, order: OrderFixture) -> dict[str, Any]:
        product = sum((line.price * line.quantity for line in order.lines), Decimal("0"))
        return {
            "orderId": order.orderId,
            "orderNum": order.orderNumber,
            "cjOrderId": order.cjOrderId,
            "orderStatus": ORDER_STATUS[order.state],
            "trackNumber": order.trackNumber,
            "logisticName": order.logisticName,
            "orderAmount": money(product + order.postage + order.iossTax + order.iossHandlingFee),
            "productAmount": money(product),
            "postageAmount": money(order.postage),
            "createDate": text_date(self._days_ago(order.createdDaysAgo)),
            "paymentDate": text_date(self._days_ago(order.paidDaysAgo)),
        }

    def list_orders(self, query: OrderListQuery) -> dict[str, Any]:
        orders = sorted(self.orders.values(), key=lambda o: o.createdDaysAgo)
        if query.status:
            orders = [o for o in orders if ORDER_STATUS[o.state] == query.status]
        if query.orderIds:
            wanted = set(query.orderIds)
            orders = [o for o in orders if wanted & {o.orderId, o.cjOrderId}]
        start = (query.pageNum - 1) * query.pageSize
        return {
            "pageNum": query.pageNum,
            "pageSize": query.pageSize,
            "total": len(orders),
            "list": [self._order_summary(o) for o in orders[start:start + query.pageSize]],
        }

    def order_detail(self, key: str) -> dict[str, Any]:
        order = self._order(key)
        detail = self._order_summary(order)
        del detail["orderNum"]
        latest = max((d for d in self.disputes if d.order is order), key=lambda d: d.created, default=None)
        detail.update({
            "orderNumber": order.orderNumber,
            "disputeId": latest.id if latest else None,
            "shippingCountryCode": order.shippingCountryCode,
            "outWarehouseTime": text_date(self._days_ago(order.outWarehouseDaysAgo)),
            "isComplete": order.state == "delivered",
            "productList": [
                {
                    "vid": line.vid,
                    "quantity": line.quantity,
                    "sellPrice": money(line.price),
                    "lineItemId": line.lineItemId,
                    "productId": line.cjProductId,
                    "productName": line.productName,
                    "sku": line.sku,
                }
                for line in order.lines
            ],
        })
        return detail

    def track_info(self, numbers: list[str]) -> list[dict[str, Any]]:
        by_number = {o.trackNumber: o for o in self.orders.values() if o.trackNumber}
        found: list[dict[str, Any]] = []
        for number in dict.fromkeys(n.strip() for n in numbers):
            order = by_number.get(number)
            if order is None or order.tracking is None:
                continue
            shipped = self._days_ago(order.outWarehouseDaysAgo)
            delivered = self._days_ago(order.tracking.deliveredDaysAgo)
            end = delivered or self.clock.now()
            found.append({
                "trackingNumber": number,
                "logisticName": order.logisticName,
                "trackingStatus": order.tracking.status,
                "deliveryDay": str(max(0, (end - shipped).days)) if shipped else "",
                "deliveryTime": text_date(delivered) or "",
                "lastMileCarrier": order.tracking.lastMileCarrier or "",
            })
        return found

    # --- disputes: checks -------------------------------------------------------------------

    def _disputable(self, key: str, code: int) -> OrderFixture:
        order = self._order(key, by_number=False)
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

    # --- disputes: endpoints ----------------------------------------------------------------

    def dispute_products(self, key: str) -> dict[str, Any]:
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

    def dispute_confirm_info(self, body: ConfirmBody) -> dict[str, Any]:
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

    def create_dispute(self, body: CreateBody) -> bool:
        """Open a dispute. Repeating a ``businessDisputeId`` for the same order answers ``true`` again
        and opens nothing (so a retry after a lost answer is safe); for another order it is refused."""
        code = E.DISPUTE_CREATE_FAILED
        previous = self.business_ids.get(body.businessDisputeId)
        if previous is not None:
            if body.orderId.strip() in (previous.order.orderId, previous.order.cjOrderId):
                return True
            raise SandboxError(
                code, f"businessDisputeId {body.businessDisputeId} was already used for another order"
            )
        order = self._disputable(body.orderId, code)
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
        text = body.messageText.strip()
        if not text:
            raise SandboxError(code, "messageText must not be empty")
        if len(body.messageText) > MESSAGE_MAX:
            raise SandboxError(code, f"messageText is longer than {MESSAGE_MAX} characters")
        for url in [*body.imageUrl, *body.videoUrl]:
            if not url.startswith(("https://", "http://")) or len(url) > URL_MAX:
                raise SandboxError(
                    code, f"imageUrl and videoUrl entries must be http(s) URLs of {URL_MAX} chars at most"
                )
        dispute = Dispute(
            id=f"SH{self._next_number}", order=order, reason_id=body.disputeReasonId,
            reason_name=self.reasons[body.disputeReasonId], created=self.clock.now(), claims=claims,
            channel="api", decide_at=self.clock.monotonic() + self.config.resolve_after,
            business_id=body.businessDisputeId, expect_type=body.expectType, refund_type=body.refundType,
            message_text=body.messageText, image_urls=list(body.imageUrl), video_urls=list(body.videoUrl),
        )
        self._next_number += 1
        self.disputes.append(dispute)
        self.business_ids[body.businessDisputeId] = dispute
        return True

    def cancel_dispute(self, body: CancelBody) -> bool:
        code = E.DISPUTE_CANCEL_FAILED
        dispute = self._dispute(body.disputeId)
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

    def _dispute(self, dispute_id: str) -> Dispute | None:
        return next((d for d in self.disputes if d.id == dispute_id.strip()), None)

    def list_disputes(self, query: DisputeListQuery) -> dict[str, Any]:
        disputes = sorted(self.disputes, key=lambda d: d.created, reverse=True)
        if query.orderId:
            disputes = [d for d in disputes if query.orderId.strip() in (d.order.orderId, d.order.cjOrderId)]
        if query.disputeId:
            disputes = [d for d in disputes if d.id == query.disputeId.strip()]
        if query.orderNumber:
            disputes = [d for d in disputes if d.order.orderNumber == query.orderNumber.strip()]
        start = (query.pageNum - 1) * query.pageSize
        return {
            "pageNum": query.pageNum,
            "pageSize": query.pageSize,
            "total": len(disputes),
            "list": [self._summary(d) for d in disputes[start:start + query.pageSize]],
        }

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

    def dispute_detail(self, dispute_id: str) -> dict[str, Any]:
        dispute = self._dispute(dispute_id)
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

    # --- inspection -------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Counts tests assert on ("exactly one dispute"); no tokens or keys."""
        per_order: Counter[str] = Counter(d.order.orderId for d in self.disputes)
        open_per_order: Counter[str] = Counter(d.order.orderId for d in self.disputes if d.is_open)
        now = self.clock.now()
        return {
            "now": iso_date(now),
            "clockOffsetSeconds": self.clock.offset,
            "keyRevoked": self.key_revoked,
            "liveAccessTokens": sum(1 for p in self.tokens if p.access_alive and p.access_expires > now),
            "disputesPerOrder": dict(per_order),
            "openDisputesPerOrder": dict(open_per_order),
            "calls": dict(self.calls),
            "webhooks": self.webhook_urls(),
            "disputes": [
                {
                    "id": d.id, "orderId": d.order.orderId, "status": d.status, "finallyDeal": d.finally_deal,
                    "channel": d.channel, "businessDisputeId": d.business_id, "disputeReasonId": d.reason_id,
                    "expectType": d.expect_type, "refundType": d.refund_type,
                    "lines": [{"lineItemId": c.line.lineItemId, "quantity": c.quantity} for c in d.claims],
                    "imageUrl": list(d.image_urls),
                }
                for d in self.disputes
            ],
        }
