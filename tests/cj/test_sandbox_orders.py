"""Orders, tracking and the fixture file the sandbox serves."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime

import pytest

from cj.sandbox import SandboxServer
from cj.sandbox.config import DEFAULT_FIXTURES
from cj.sandbox.fixtures import load_fixtures
from tests.cj import SandboxApi, http_client
from tests.conftest import SANDBOX_API_KEY

SUMMARY_KEYS = {"orderId", "orderNum", "cjOrderId", "orderStatus", "trackNumber", "logisticName",
                "orderAmount", "productAmount", "postageAmount", "createDate", "paymentDate"}


@pytest.fixture
async def api(sandbox: SandboxServer) -> AsyncIterator[SandboxApi]:
    async with http_client() as http:
        client = SandboxApi(sandbox, http)
        await client.login(SANDBOX_API_KEY)
        yield client


async def test_order_list_pages_and_filters(api: SandboxApi) -> None:
    data = (await api.get("shopping/order/list", {"pageNum": 1, "pageSize": 50}))["data"]
    assert data["total"] >= 20 and len(data["list"]) == data["total"]
    assert set(data["list"][0]) == SUMMARY_KEYS
    dates = [datetime.strptime(o["createDate"], "%Y-%m-%d %H:%M:%S") for o in data["list"]]
    assert dates == sorted(dates, reverse=True)
    shipped = (await api.get("shopping/order/list", {"status": "SHIPPED", "pageSize": 50}))["data"]["list"]
    assert shipped and all(o["orderStatus"] == "SHIPPED" for o in shipped)
    params = [("orderIds", "SD2510031452310001"), ("orderIds", "ZF2510201502110014"), ("pageSize", "50")]
    picked = (await api.get("shopping/order/list", params))["data"]["list"]
    assert {o["orderId"] for o in picked} == {"SD2510031452310001", "ZF2510201502110014"}
    page = (await api.get("shopping/order/list", {"pageNum": 2, "pageSize": 5}))["data"]
    assert page["pageNum"] == 2 and len(page["list"]) == 5


async def test_order_list_money_has_two_decimals(api: SandboxApi) -> None:
    response = await api.raw_get("shopping/order/list", {"orderIds": "SD2510031452310001"})
    assert '"orderAmount":33.55' in response.text and '"postageAmount":4.85' in response.text


@pytest.mark.parametrize(
    ("params", "field"),
    [({"pageSize": 51}, "pageSize"), ({"pageNum": 0}, "pageNum"), ({"status": "LOST"}, "status"),
     ([("orderIds", str(n)) for n in range(101)], "orderIds")],
)
async def test_order_list_param_errors(api: SandboxApi, params: object, field: str) -> None:
    reply = await api.get("shopping/order/list", params)
    assert reply["code"] == 1600100 and field in reply["message"]


@pytest.mark.parametrize("key", ["SD2510031452310001", "SHOP-1001", "CJPKL7160102171YQ"])
async def test_order_detail_by_cj_id_or_shop_number(api: SandboxApi, key: str) -> None:
    data = (await api.get("shopping/order/getOrderDetail", {"orderId": key}))["data"]
    assert data["orderId"] == "SD2510031452310001" and data["orderNumber"] == "SHOP-1001"
    assert data["disputeId"] is None and data["isComplete"] is True
    assert data["outWarehouseTime"] and data["shippingCountryCode"] == "FR"
    line = data["productList"][1]
    assert {"vid", "quantity", "sellPrice", "lineItemId"} <= set(line)
    assert (line["quantity"], line["sellPrice"]) == (2, 8.4)


async def test_order_detail_of_a_bulk_order_and_an_unknown_one(api: SandboxApi) -> None:
    bulk = (await api.get("shopping/order/getOrderDetail", {"orderId": "ZF2510201502110014"}))["data"]
    assert len(bulk["productList"]) == 3
    seeded = (await api.get("shopping/order/getOrderDetail", {"orderId": "SD2510150911460011"}))["data"]
    assert seeded["disputeId"] == "SH1990300112233445566"
    unknown = await api.get("shopping/order/getOrderDetail", {"orderId": "SD404"})
    assert unknown["code"] == 1600300 and unknown["message"] == "order not found"  # Shopping §1.7


async def test_unshipped_order_has_no_out_warehouse_time(api: SandboxApi) -> None:
    data = (await api.get("shopping/order/getOrderDetail", {"orderId": "SD2511191108450003"}))["data"]
    assert data["orderStatus"] == "UNSHIPPED" and data["outWarehouseTime"] is None


async def test_track_info_repeated_numbers(api: SandboxApi) -> None:
    params = [("trackNumber", "LB123456785CN"), ("trackNumber", "CJPKL0010233547FR"), ("trackNumber", "NOPE")]
    data = (await api.get("logistic/trackInfo", params))["data"]
    by_number = {t["trackingNumber"]: t for t in data}
    assert set(by_number) == {"LB123456785CN", "CJPKL0010233547FR"}
    assert by_number["CJPKL0010233547FR"]["trackingStatus"] == "Delivered"
    assert by_number["CJPKL0010233547FR"]["deliveryTime"]
    lost = by_number["LB123456785CN"]
    assert lost["trackingStatus"] == "In transit" and lost["deliveryTime"] == ""
    assert int(lost["deliveryDay"]) >= 60
    assert (await api.get("logistic/trackInfo"))["code"] == 1600100


def test_fixture_file_covers_the_required_stories() -> None:
    fixtures = load_fixtures(DEFAULT_FIXTURES)
    orders = fixtures.orders
    assert len(orders) >= 20
    states = {o.state for o in orders}
    assert {"unpaid", "processing", "dispatched", "delivered", "lost_in_transit", "returned"} <= states
    assert sum(len(o.lines) > 1 for o in orders) >= 3
    assert any(o.orderId.startswith("ZF") for o in orders)
    assert all(o.orderId.startswith(("SD", "ZF")) for o in orders)
    assert any(not o.createdViaApi for o in orders)
    assert any(not line.canChoose for o in orders for line in o.lines)
    tracked = [o for o in orders if o.tracking]
    assert any(o.tracking.status == "Delivered" for o in tracked)  # type: ignore[union-attr]
    assert any(o.tracking.deliveredDaysAgo is None and (o.outWarehouseDaysAgo or 0) > 60  # type: ignore[union-attr]
               for o in tracked)
    countries = {o.shippingCountryCode for o in tracked}
    assert {"US", "BR"} <= countries
    assert {o.decision.deal for o in orders} == {"refund", "reissue", "reject"}
    refund_types = {d.type for o in orders for d in o.decision.refundDetails}
    assert refund_types == {"PRODUCT_COST", "SHIPPING_COST", "IOSS_TAX", "IOSS_HANDLING_FEE"}
    seeded = [d for o in orders for d in o.disputes]
    assert any(d.channel == "website" and d.outcome == "open" for d in seeded)
    numbers = [o.trackNumber for o in tracked]
    assert len(numbers) == len(set(numbers))


async def test_webhook_set_records_urls_probes_them_and_setting_get_reports_them(api: SandboxApi) -> None:
    received: list[bytes] = []

    async def receiver(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        received.append(await reader.read(65536))
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    listener = await asyncio.start_server(receiver, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{listener.sockets[0].getsockname()[1]}/cj/webhook"
    try:
        blocks = {name: {"type": "ENABLE", "callbackUrls": [url]} for name in ("order", "logistics")}
        reply = await api.post("webhook/set", blocks)
        assert reply["code"] == 200 and reply["data"] is True
        callback = (await api.get("setting/get"))["data"]["callback"]
        assert callback["orderType"] == "ENABLE" and callback["logisticsCallbackUrls"] == [url]
        assert callback["productType"] is None and callback["productCallbackUrls"] == []
        assert api.server.snapshot()["webhooks"] == {"order": url, "logistics": url}
        await api.server.stop()  # waits for the set-up test request
        assert len(received) == 1 and received[0].startswith(b"POST /cj/webhook")
    finally:
        listener.close()
        await listener.wait_closed()


async def test_webhook_cancel(api: SandboxApi) -> None:
    off = {name: {"type": "CANCEL", "callbackUrls": []} for name in ("order", "logistics")}
    assert (await api.post("webhook/set", off))["data"] is True
    assert (await api.get("setting/get"))["data"]["callback"]["orderCallbackUrls"] == []


@pytest.mark.parametrize(
    "body",
    [{}, {"order": {"type": "ENABLE", "callbackUrls": ["ftp://files.example.com"]}},
     {"order": {"type": "ENABLE", "callbackUrls": []}}, {"order": {"type": "MAYBE"}}],
)
async def test_webhook_set_refuses_bad_blocks(api: SandboxApi, body: dict[str, object]) -> None:
    reply = await api.post("webhook/set", body)
    assert reply["code"] == 1600100
