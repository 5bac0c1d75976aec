"""The sandbox's orders and tracking, answered as CJ documents them (CJ API Docs, 05. Shopping; Logistics).

Documented: ``shopping/order/list`` filters by ``status``, which defaults to CANCELLED
(§1.6 "default: CANCELLED"), so a list without a status shows only cancelled orders; items
carry ``orderNum`` (the shop's order number), ``storeCreateDate`` and UTC text dates.
``getOrderDetail`` takes a CJ order id or the seller's own order id (§1.7 "support: Custom
order id, CJ order id"), names the shop number ``orderNum`` (no ``orderNumber``), gives
``isComplete`` as 1/0, dates in UTC, the latest ``disputeId``, and answers an unknown order with
1600300 "order not found" (§1.7 error table).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from cj.sandbox import errors as E
from cj.sandbox.clock import SandboxClock
from cj.sandbox.errors import SandboxError
from cj.sandbox.fixtures import FixtureFile, OrderFixture
from cj.sandbox.requests import OrderListQuery
from cj.sandbox.wire import money, text_date

ORDER_STATUS = {
    "unpaid": "UNPAID",
    "processing": "UNSHIPPED",
    "dispatched": "SHIPPED",
    "lost_in_transit": "SHIPPED",
    "returned": "SHIPPED",
    "delivered": "DELIVERED",
    "cancelled": "CANCELLED",
}
DEFAULT_LIST_STATUS = "CANCELLED"  # §1.6


class OrderBook:
    """The fixture orders; ``latest_dispute(order)`` comes from the dispute desk (for ``disputeId``)."""

    def __init__(self, fixtures: FixtureFile, clock: SandboxClock) -> None:
        self.fixtures = fixtures
        self.clock = clock
        self.latest_dispute: Callable[[OrderFixture], str | None] = lambda order: None
        self.reset()

    def reset(self) -> None:
        self.orders: dict[str, OrderFixture] = {o.orderId: o for o in self.fixtures.orders}

    def days_ago(self, days: float | None) -> datetime | None:
        return None if days is None else self.clock.start_wall - timedelta(days=days)

    # --- look-ups ---------------------------------------------------------------------------

    def find(self, key: str) -> OrderFixture | None:
        """By CJ order id, CJ's internal id, or the seller's own order number."""
        key = key.strip()
        if key in self.orders:
            return self.orders[key]
        return next((o for o in self.orders.values() if key in (o.orderNumber, o.cjOrderId)), None)

    def by_cj_id(self, key: str) -> OrderFixture | None:
        """By CJ order id only (the dispute endpoints take "CJ order id")."""
        key = key.strip()
        return self.orders.get(key) or next((o for o in self.orders.values() if o.cjOrderId == key), None)

    # --- endpoints --------------------------------------------------------------------------

    def list(self, query: OrderListQuery) -> dict[str, Any]:
        wanted_status = query.status or DEFAULT_LIST_STATUS
        orders = sorted(self.orders.values(), key=lambda o: o.createdDaysAgo)
        orders = [o for o in orders if ORDER_STATUS[o.state] == wanted_status]
        if query.orderIds:
            wanted = set(query.orderIds)
            orders = [o for o in orders if wanted & {o.orderId, o.cjOrderId}]
        start = (query.pageNum - 1) * query.pageSize
        return {
            "pageNum": query.pageNum,
            "pageSize": query.pageSize,
            "total": len(orders),
            "list": [self._summary(o) for o in orders[start : start + query.pageSize]],
        }

    def detail(self, key: str) -> dict[str, Any]:
        order = self.find(key)
        if order is None:
            raise SandboxError(E.NOT_FOUND, "order not found")
        detail = self._summary(order)
        detail.update(
            {
                "disputeId": self.latest_dispute(order),
                "shippingCountryCode": order.shippingCountryCode,
                "outWarehouseTime": text_date(self.days_ago(order.outWarehouseDaysAgo)),
                "isComplete": 1 if order.state == "delivered" else 0,
                "productList": [
                    {
                        "vid": line.vid,
                        "quantity": line.quantity,
                        "sellPrice": money(line.price),
                        "lineItemId": line.lineItemId,
                        "storeLineItemId": None,
                        "productId": line.cjProductId,
                        "productName": line.productName,
                        "sku": line.sku,
                    }
                    for line in order.lines
                ],
            }
        )
        return detail

    def track_info(self, numbers: list[str]) -> list[dict[str, Any]]:
        by_number = {o.trackNumber: o for o in self.orders.values() if o.trackNumber}
        found: list[dict[str, Any]] = []
        for number in dict.fromkeys(n.strip() for n in numbers):
            order = by_number.get(number)
            if order is None or order.tracking is None:
                continue
            shipped = self.days_ago(order.outWarehouseDaysAgo)
            delivered = self.days_ago(order.tracking.deliveredDaysAgo)
            end = delivered or self.clock.now()
            found.append(
                {
                    "trackingNumber": number,
                    "logisticName": order.logisticName,
                    "trackingStatus": order.tracking.status,
                    "deliveryDay": str(max(0, (end - shipped).days)) if shipped else "",
                    "deliveryTime": text_date(delivered) or "",
                    "lastMileCarrier": order.tracking.lastMileCarrier or "",
                }
            )
        return found

    def _summary(self, order: OrderFixture) -> dict[str, Any]:
        product = sum((line.price * line.quantity for line in order.lines), Decimal("0"))
        created = text_date(self.days_ago(order.createdDaysAgo))
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
            "createDate": created,
            "paymentDate": text_date(self.days_ago(order.paidDaysAgo)),
            "storeCreateDate": created,
        }
