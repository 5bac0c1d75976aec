"""Orders, tracking and the fixture file the sandbox serves."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import datetime

import pytest

from cj.sandbox import SandboxServer
from cj.sandbox.config import DEFAULT_FIXTURES
from cj.sandbox.fixtures import load_fixtures
from tests.cj import SandboxApi, http_client
from tests.conftest import SANDBOX_API_KEY, SandboxFactory

SUMMARY_KEYS = {
    "orderId",
    "orderNum",
    "cjOrderId",
    "orderStatus",
    "trackNumber",
    "logisticName",
    "orderAmount",
    "productAmount",
    "postageAmount",
    "createDate",
    "paymentDate",
    "storeCreateDate",
}


@pytest.fixture
async def api(sandbox: SandboxServer) -> AsyncIterator[SandboxApi]:
    async with http_client() as http:
        client = SandboxApi(sandbox, http)
        await client.login(SANDBOX_API_KEY)
        yield client


async def test_order_list_pages_and_filters(api: SandboxApi) -> None:
    data = (await api.get("shopping/order/list", {"status": "DELIVERED", "pageNum": 1, "pageSize": 50}))[
        "data"
    ]
    assert data["total"] >= 5 and len(data["list"]) == data["total"]
    assert set(data["list"][0]) == SUMMARY_KEYS
    dates = [datetime.strptime(o["createDate"], "%Y-%m-%d %H:%M:%S") for o in data["list"]]
    assert dates == sorted(dates, reverse=True)
    shipped = (await api.get("shopping/order/list", {"status": "SHIPPED", "pageSize": 50}))["data"]["list"]
    assert shipped and all(o["orderStatus"] == "SHIPPED" for o in shipped)
    params = [("orderIds", "SD2510031452310001"), ("orderIds", "ZF2510201502110014"), ("pageSize", "50")]
    params.append(("status", "DELIVERED"))
    picked = (await api.get("shopping/order/list", params))["data"]["list"]
    assert {o["orderId"] for o in picked} == {"SD2510031452310001", "ZF2510201502110014"}
    page = (await api.get("shopping/order/list", {"status": "DELIVERED", "pageNum": 2, "pageSize": 2}))[
        "data"
    ]
    assert page["pageNum"] == 2 and len(page["list"]) == 2


async def test_order_list_without_a_status_lists_only_cancelled_orders(api: SandboxApi) -> None:
    data = (await api.get("shopping/order/list", {"pageSize": 50}))["data"]  # §1.6 "default: CANCELLED"
    assert data["list"] and {o["orderStatus"] for o in data["list"]} == {"CANCELLED"}


async def test_order_list_money_has_two_decimals(api: SandboxApi) -> None:
    params = {"orderIds": "SD2510031452310001", "status": "DELIVERED"}
    response = await api.raw_get("shopping/order/list", params)
    assert '"orderAmount":33.55' in response.text and '"postageAmount":4.85' in response.text


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"pageSize": 51}, "pageSize"),
        ({"pageNum": 0}, "pageNum"),
        ({"status": "LOST"}, "status"),
        ([("orderIds", str(n)) for n in range(101)], "orderIds"),
    ],
)
async def test_order_list_param_errors(api: SandboxApi, params: object, field: str) -> None:
    reply = await api.get("shopping/order/list", params)
    assert reply["code"] == 1600300 and field in reply["message"]


@pytest.mark.parametrize("key", ["SD2510031452310001", "SHOP-1001", "CJPKL7160102171YQ"])
async def test_order_detail_by_cj_id_or_shop_number(api: SandboxApi, key: str) -> None:
    data = (await api.get("shopping/order/getOrderDetail", {"orderId": key}))["data"]
    assert data["orderId"] == "SD2510031452310001" and data["orderNum"] == "SHOP-1001"
    assert "orderNumber" not in data  # §1.7 names it orderNum
    assert data["disputeId"] is None and data["isComplete"] == 1  # "1: Complete 0: Incomplete"
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
    assert any(
        o.tracking.deliveredDaysAgo is None and (o.outWarehouseDaysAgo or 0) > 60  # type: ignore[union-attr]
        for o in tracked
    )
    countries = {o.shippingCountryCode for o in tracked}
    assert {"US", "BR"} <= countries
    assert {o.decision.deal for o in orders} == {"refund", "reissue", "reject"}
    refund_types = {d.type for o in orders for d in o.decision.refundDetails}
    assert refund_types == {"PRODUCT_COST", "SHIPPING_COST", "IOSS_TAX", "IOSS_HANDLING_FEE"}
    seeded = [d for o in orders for d in o.disputes]
    assert any(d.channel == "website" and d.outcome == "open" for d in seeded)
    numbers = [o.trackNumber for o in tracked]
    assert len(numbers) == len(set(numbers))


def _blocks(url: str, *enabled: str) -> dict[str, dict[str, object]]:
    return {
        name: {"type": "ENABLE" if name in enabled else "CANCEL", "callbackUrls": [url]}
        for name in ("product", "stock", "order", "logistics")
    }


@contextlib.asynccontextmanager
async def _receiver(status: int = 200) -> AsyncIterator[tuple[str, list[bytes]]]:
    received: list[bytes] = []

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        received.append(await reader.read(65536))
        writer.write(f"HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        writer.close()

    listener = await asyncio.start_server(answer, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{listener.sockets[0].getsockname()[1]}/cj/webhook", received
    finally:
        listener.close()
        await listener.wait_closed()


@pytest.fixture
async def loopback_api(sandbox_factory: SandboxFactory) -> AsyncIterator[SandboxApi]:
    async with (
        sandbox_factory(webhook_loopback_ok=True, webhook_http_ok=True) as server,
        http_client() as http,
    ):
        client = SandboxApi(server, http)
        await client.login(SANDBOX_API_KEY)
        yield client


async def test_webhook_set_probes_then_records_and_setting_get_reports(loopback_api: SandboxApi) -> None:
    api = loopback_api
    async with _receiver() as (url, received):
        reply = await api.post("webhook/set", _blocks(url, "order", "logistics"))
        assert reply["code"] == 200 and reply["data"] is True
        assert len(received) == 1 and received[0].startswith(b"POST /cj/webhook")
        probe = json.loads(received[0].split(b"\r\n\r\n", 1)[1])
        assert "type" not in probe and b"\r\nsign:" not in received[0].lower()  # unsigned, no type
    callback = (await api.get("setting/get"))["data"]["callback"]
    assert callback["orderType"] == "ENABLE" and callback["logisticsCallbackUrls"] == [url]
    assert callback["productType"] is None and callback["productCallbackUrls"] == []
    assert api.server.snapshot()["webhooks"] == {"order": url, "logistics": url}
    off = await api.post("webhook/set", _blocks(url))
    assert (
        off["data"] is True and (await api.get("setting/get"))["data"]["callback"]["orderCallbackUrls"] == []
    )


async def test_webhook_set_refuses_a_url_whose_probe_gets_no_200(loopback_api: SandboxApi) -> None:
    async with _receiver(status=503) as (url, received):
        reply = await loopback_api.post("webhook/set", _blocks(url, "order"))
    assert reply["code"] == 1607003 and "Http Status must be 200" in reply["message"] and received
    assert loopback_api.server.snapshot()["webhooks"] == {}


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://alex.example.com/x", 1607002),
        ("https://localhost/x", 1607001),
        ("https://127.0.0.1:9/x", 1607001),
    ],
)
async def test_webhook_set_refuses_what_cj_refuses(api: SandboxApi, url: str, code: int) -> None:
    reply = await api.post("webhook/set", _blocks(url, "order", "logistics"))
    assert reply["code"] == code


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"order": {"type": "ENABLE", "callbackUrls": ["https://alex.example.com/x"]}},  # four blocks required
        {**_blocks("https://alex.example.com/x"), "order": {"type": "MAYBE", "callbackUrls": []}},
        {**_blocks("https://alex.example.com/x"), "order": {"type": "ENABLE", "callbackUrls": []}},
        {**_blocks("https://alex.example.com/x"), "order": {"type": "ENABLE", "callbackUrls": ["a", "b"]}},
    ],
)
async def test_webhook_set_refuses_bad_blocks(api: SandboxApi, body: dict[str, object]) -> None:
    reply = await api.post("webhook/set", body)
    assert reply["code"] == 1600100
