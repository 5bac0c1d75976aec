"""An in-memory CJ dispute list for the notifier's unit tests and benchmark.

It speaks the two methods a sweep uses with CJ's own models, optionally paced by the real
``cj.ratelimit.RateLimiter`` on a fake clock (the benchmark's "1 request/s"). End-to-end
tests use the HTTP sandbox instead.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from cj.errors import CJNotFound, CJUnavailable, CJValidationError
from cj.models import DisputeDetail, DisputePage, DisputeSummary, OrderDetail, OrderPage
from cj.ratelimit import Priority, RateLimiter


class FakeDisputeCJ:
    def __init__(self, limiter: RateLimiter | None = None) -> None:
        self.disputes: dict[str, dict[str, Any]] = {}
        self.calls: Counter[str] = Counter()
        self.priorities: Counter[Any] = Counter()
        self.limiter = limiter
        self.fail_next: list[Exception] = []
        self.orders: list[dict[str, Any]] = []
        self.order_details: dict[str, dict[str, Any]] = {}

    def add(self, dispute_id: str, order_id: str, **fields: Any) -> None:
        record: dict[str, Any] = {
            "id": dispute_id,
            "orderId": order_id,
            "status": "Processing",
            "disputeReason": "Products Not Received",
            "replacementAmount": 0,
            "resendOrderCode": "",
            "money": 0,
            "finallyDeal": None,
            "createDate": 1_767_225_600_000 + len(self.disputes) * 1000,
            "productList": [],
        }
        record.update(fields)
        self.disputes[dispute_id] = record

    def set(self, dispute_id: str, **fields: Any) -> None:
        self.disputes[dispute_id].update(fields)

    async def _call(self, name: str, priority: Any) -> None:
        if self.limiter is not None:
            await self.limiter.acquire(priority or Priority.BACKGROUND)
        self.calls[name] += 1
        self.priorities[priority] += 1
        if self.fail_next:
            raise self.fail_next.pop(0)

    async def list_disputes(
        self,
        order_id: str | None = None,
        dispute_id: str | None = None,
        order_number: str | None = None,
        page_num: int = 1,
        page_size: int = 10,
        *,
        priority: Any = None,
    ) -> DisputePage:
        if dispute_id is not None and not dispute_id.isdecimal():  # as cj.client refuses SH… ids here
            raise CJValidationError("getDisputeList's disputeId is an integer in CJ's docs")
        await self._call("list_disputes", priority)
        items = sorted(self.disputes.values(), key=lambda d: d["createDate"], reverse=True)
        if dispute_id is not None:
            items = [d for d in items if d["id"] == dispute_id]
        if order_id is not None:
            items = [d for d in items if d["orderId"] == order_id]
        start = (page_num - 1) * page_size
        return DisputePage.model_validate(
            {
                "pageNum": page_num,
                "pageSize": page_size,
                "total": len(items),
                "list": items[start : start + page_size],
            }
        )

    async def dispute_detail(self, dispute_id: str, *, priority: Any = None) -> DisputeDetail:
        await self._call("dispute_detail", priority)
        record = self.disputes.get(dispute_id)
        if record is None:
            raise CJNotFound("dispute not found", what="dispute", code=1600300)
        money = Decimal(str(record["money"]))
        details = (
            [
                {
                    "type": "PRODUCT_COST",
                    "typeName": "Product Cost",
                    "amount": float(money - Decimal("2.50")),
                },
                {"type": "SHIPPING_COST", "typeName": "Shipping Cost", "amount": 2.50},
            ]
            if money > Decimal("2.50")
            else []
        )
        return DisputeDetail.model_validate(
            {**record, "refundAmount": float(money), "refundDetails": details}
        )

    async def list_orders(
        self,
        status: str | None = None,
        page_num: int = 1,
        page_size: int = 20,
        order_ids: Any = None,
        *,
        priority: Any = None,
    ) -> OrderPage:
        await self._call("list_orders", priority)
        items = [o for o in self.orders if status is None or o.get("orderStatus") == status]
        start = (page_num - 1) * page_size
        return OrderPage.model_validate(
            {
                "pageNum": page_num,
                "pageSize": page_size,
                "total": len(items),
                "list": items[start : start + page_size],
            }
        )

    async def order_detail(self, order_id: str, *, priority: Any = None) -> OrderDetail:
        await self._call("order_detail", priority)
        return OrderDetail.model_validate(self.order_details[order_id])


def summary(**fields: Any) -> DisputeSummary:
    return DisputeSummary.model_validate({"id": "SH1", **fields})


UNAVAILABLE = CJUnavailable("system busy", code=1600000)
