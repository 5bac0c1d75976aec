"""The client's reading of CJ's wire format, on scripted replies through httpx's transport seam.

These are replies the sandbox never gives on purpose (garbled data, odd envelopes);
everything else is tested against the sandbox over HTTP in ``test_client_sandbox.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from cj.client import CJClient, business_dispute_id
from cj.errors import (
    CJAuthError,
    CJNotFound,
    CJParamError,
    CJProtocolError,
    CJQuotaExceeded,
    CJRateLimited,
    CJUnavailable,
    CJValidationError,
)
from cj.models import DisputeConfirmInfo, DisputeDetail, DisputeSummary, ExpectType, FinallyDeal
from cj.ratelimit import RateLimiter
from cj.retry import NO_RETRY
from store import audit, open_store

TOKEN_DATA = {
    "openId": 1234567,
    "accessToken": "ACCESS-SECRET",
    "accessTokenExpiryDate": "2099-01-01T00:00:00+08:00",
    "refreshToken": "REFRESH-SECRET",
    "refreshTokenExpiryDate": "2099-06-01T00:00:00+08:00",
    "createDate": "2025-01-01T00:00:00+08:00",
}
Handler = Callable[[httpx.Request], httpx.Response]


def envelope(data: Any = None, code: int = 200, message: str = "Success") -> dict[str, Any]:
    return {"code": code, "result": code == 200, "message": message, "data": data, "requestId": "rid-1"}


class ScriptedCJ:
    """Token endpoints answer normally; ``replies[path]`` scripts the rest and every request is kept."""

    def __init__(self, replies: dict[str, Handler | dict[str, Any]]) -> None:
        self.replies = replies
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path.split("/api2.0/v1/", 1)[1]
        if path in ("authentication/getAccessToken", "authentication/refreshAccessToken"):
            return httpx.Response(200, json=envelope(TOKEN_DATA))
        reply = self.replies[path]
        return reply(request) if callable(reply) else httpx.Response(200, json=reply)

    def api_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if "/authentication/" not in r.url.path]


def client_for(cj: ScriptedCJ) -> CJClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(cj))
    return CJClient(
        "KEY-SECRET",
        base_url="http://cj.test/api2.0/v1/",
        http=http,
        limiter=RateLimiter(1000),
        retry=NO_RETRY,
        store=open_store(None),
    )


async def call(replies: dict[str, Handler | dict[str, Any]], method: str, *args: Any, **kwargs: Any) -> Any:
    cj = ScriptedCJ(replies)
    async with client_for(cj) as client:
        return await getattr(client, method)(*args, **kwargs)


async def test_every_call_but_authentication_carries_the_token_header() -> None:
    cj = ScriptedCJ({"setting/get": envelope({"openId": 1, "qpsLimit": 4, "isSandbox": True})})
    async with client_for(cj) as client:
        settings = await client.account_settings()
    assert settings.qps == 4
    auth, api = cj.requests
    assert "CJ-Access-Token" not in auth.headers and json.loads(auth.content) == {"apiKey": "KEY-SECRET"}
    assert api.headers["CJ-Access-Token"] == "ACCESS-SECRET"


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (1600001, CJAuthError),
        (1600200, CJRateLimited),
        (1600201, CJQuotaExceeded),
        (1600100, CJParamError),
        (1600300, CJNotFound),
        (1603100, CJNotFound),
        (1600000, CJUnavailable),
    ],
)
async def test_the_envelope_code_is_checked_even_with_http_200(code: int, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        await call({"disputes/getDisputeDetail": envelope(None, code, "nope")}, "dispute_detail", "SH1")
    assert info.value.code == code and info.value.request_id == "rid-1"  # type: ignore[attr-defined]


async def test_rate_limit_without_result_field_and_http_429() -> None:
    limited = {"code": 1600200, "message": "Too Many Requests"}
    with pytest.raises(CJRateLimited):
        await call({"setting/get": limited}, "account_settings")
    with pytest.raises(CJRateLimited) as info:
        await call(
            {"setting/get": lambda r: httpx.Response(429, headers={"Retry-After": "3"})}, "account_settings"
        )
    assert info.value.retry_after == 3.0


@pytest.mark.parametrize(
    "reply",
    [
        lambda r: httpx.Response(200, text="<html>gateway</html>"),
        lambda r: httpx.Response(200, json=[1, 2]),
        lambda r: httpx.Response(200, json={"message": "no code"}),  # "success" without a code: no data
        lambda r: httpx.Response(200, json={"code": "abc"}),
        lambda r: httpx.Response(404, text="not found"),
    ],
)
async def test_a_reply_that_is_not_a_cj_envelope_is_a_protocol_error(reply: Handler) -> None:
    with pytest.raises(CJProtocolError):
        await call({"setting/get": reply}, "account_settings")


async def test_server_errors_and_broken_connections_are_unavailable() -> None:
    with pytest.raises(CJUnavailable, match="HTTP 502"):
        await call({"setting/get": lambda r: httpx.Response(502, text="bad gateway")}, "account_settings")

    def broken(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(CJUnavailable, match="could not reach CJ"):
        await call({"setting/get": broken}, "account_settings")

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(CJUnavailable, match="did not answer"):
        await call({"setting/get": slow}, "account_settings")


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"orderId": "SD1", "productInfoList": "nope"},
        {"productInfoList": []},
        {"orderId": "SD1", "productInfoList": [{"lineItemId": "L1", "price": "lots"}]},
    ],
)
async def test_data_of_the_wrong_shape_is_a_protocol_error_not_a_pydantic_traceback(data: Any) -> None:
    with pytest.raises(CJProtocolError, match="disputes/disputeProducts has an unexpected shape") as info:
        await call({"disputes/disputeProducts": envelope(data)}, "dispute_products", "SD1")
    assert info.value.__cause__ is None and info.value.__suppress_context__


async def test_a_garbled_token_reply_never_shows_the_token() -> None:
    def garbled(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=envelope({"accessToken": "LEAKED-TOKEN", "refreshToken": 5}))

    http = httpx.AsyncClient(transport=httpx.MockTransport(garbled))
    async with CJClient(
        "K",
        base_url="http://cj.test/api2.0/v1/",
        http=http,
        limiter=RateLimiter(1000),
        retry=NO_RETRY,
        store=open_store(None),
    ) as client:
        with pytest.raises(CJProtocolError) as info:
            await client.account_settings()
    assert "LEAKED-TOKEN" not in str(info.value)


async def test_models_tolerate_unknown_fields_and_keep_money_exact() -> None:
    seed_detail = {
        "id": "SH1623673863466725376",
        "status": "Processing",
        "disputeReason": "Item not received",
        "replacementAmount": 0.00,
        "resendOrderCode": "",
        "money": 12.50,
        "refundAmount": 12.50,
        "finallyDeal": 1,
        "createDate": 1736928600000,
        "brandNewField": {"x": 1},
        "refundDetails": [
            {"type": "PRODUCT_COST", "typeName": "Product Cost", "amount": 10.10},
            {"type": "SHIPPING_COST", "typeName": "Shipping Cost", "amount": 2.40},
        ],
        "productList": [
            {
                "image": "https://example.com/image.jpg",
                "price": 10.00,
                "productCode": "CJPROD001",
                "productId": "pid001",
                "productName": "Sample Product",
                "standId": "vid001",
                "supplierName": "Supplier A",
            }
        ],
    }
    detail: DisputeDetail = await call(
        {"disputes/getDisputeDetail": envelope(seed_detail)}, "dispute_detail", "SH1"
    )
    assert detail.finallyDeal is FinallyDeal.REFUND and detail.money == Decimal("12.50")
    assert sum(r.amount for r in detail.refundDetails) == Decimal("12.50")
    assert detail.createDate == datetime(2025, 1, 15, 8, 10, tzinfo=UTC)
    assert detail.model_extra == {"brandNewField": {"x": 1}}


def test_naive_list_dates_are_utc_and_undecided_deals_are_none() -> None:
    summary = DisputeSummary.model_validate(
        {
            "id": "SH1",
            "status": "Processing",
            "finallyDeal": None,
            "createDate": "2025-01-15 10:30:00",
            "money": 0.00,
            "productList": [],
        }
    )
    assert summary.createDate == datetime(2025, 1, 15, 10, 30, tzinfo=UTC) and summary.finallyDeal is None


@pytest.mark.parametrize("options", [["1", "2"], [1, 2], [" 1", 2]])
def test_expect_result_options_as_strings_or_numbers(options: list[Any]) -> None:
    info = DisputeConfirmInfo.model_validate(
        {"orderId": "SD1", "expectResultOptionList": options, "disputeReasonList": []}
    )
    assert info.expectResultOptionList == [ExpectType.REFUND, ExpectType.REISSUE]


BAD_INPUTS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("dispute_products", ("",), {}),
    ("dispute_products", ("x" * 101,), {}),
    ("dispute_detail", ("  ",), {}),
    ("dispute_confirm_info", ("SD1", []), {}),
    ("dispute_confirm_info", ("SD1", [{"lineItemId": "L1", "quantity": 0}]), {}),
    ("dispute_confirm_info", ("SD1", [{"quantity": 1}]), {}),
    ("create_dispute", ({"orderId": "SD1"},), {}),
    (
        "create_dispute",
        (
            {
                "businessDisputeId": "AX1",
                "orderId": "SD1",
                "disputeReasonId": 1,
                "expectType": 9,
                "refundType": 1,
                "messageText": "m",
                "productInfoList": [{"lineItemId": "L", "quantity": 1}],
            },
        ),
        {},
    ),
    ("cancel_dispute", ("SD1", ""), {}),
    ("list_disputes", (), {"page_size": 0}),
    ("list_orders", (), {"status": "LOST"}),
    ("list_orders", ("SHIPPED",), {"page_size": 51}),
    ("list_orders", ("SHIPPED",), {"order_ids": []}),
    ("list_orders", (None,), {}),
    ("list_disputes", (), {"dispute_id": "SH1623673863466725376"}),
    ("list_disputes", (), {"page_size": 51}),
    ("track_info", ([],), {}),
]


@pytest.mark.parametrize(("method", "args", "kwargs"), BAD_INPUTS)
async def test_bad_input_is_refused_before_any_http_call(
    method: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    cj = ScriptedCJ({})
    async with client_for(cj) as client:
        with pytest.raises(CJValidationError) as info:
            await getattr(client, method)(*args, **kwargs)
    assert cj.requests == [] and isinstance(info.value, CJParamError) and info.value.code is None


def test_business_dispute_ids_are_deterministic_and_short() -> None:
    first = business_dispute_id("SD100", "draft-1")
    assert first == business_dispute_id("SD100", "draft-1") and first.startswith("AX") and len(first) <= 100
    assert first != business_dispute_id("SD100", "draft-2") and first != business_dispute_id(
        "SD101", "draft-1"
    )


async def test_query_lists_repeat_their_key() -> None:
    tracks = [{"trackingNumber": "A", "trackingStatus": "In transit"}, {"trackingNumber": "B"}]
    cj = ScriptedCJ(
        {
            "logistic/trackInfo": envelope(tracks),
            "shopping/order/list": envelope({"pageNum": 1, "pageSize": 20, "total": 0, "list": []}),
        }
    )
    async with client_for(cj) as client:
        got = await client.track_info(["A", "B"])
        page = await client.list_orders(status="shipped", order_ids=["SD1", "SD2"])
    assert [t.trackingNumber for t in got] == ["A", "B"] and page.items == []
    track_req, list_req = cj.api_requests()
    assert track_req.url.params.get_list("trackNumber") == ["A", "B"]
    assert (
        list_req.url.params.get_list("orderIds") == ["SD1", "SD2"]
        and list_req.url.params["status"] == "SHIPPED"
    )


async def test_webhook_set_sends_all_four_blocks_and_is_audited() -> None:
    url = "https://alex.example.com/cj/webhook"
    cj = ScriptedCJ({"webhook/set": envelope(True)})
    async with client_for(cj) as client:
        assert await client.webhook_set(url, actor="cli") is True
        assert await client.webhook_set(None, current_url=url) is True
        with pytest.raises(CJValidationError, match="https"):
            await client.webhook_set("http://alex.example.com/cj/webhook")
        entries = audit.recent(client.store, action="webhook.set")
    enable, cancel = (json.loads(r.content) for r in cj.api_requests())
    assert enable == {  # 08. Webhook: all four blocks required, one URL each
        "order": {"type": "ENABLE", "callbackUrls": [url]},
        "logistics": {"type": "ENABLE", "callbackUrls": [url]},
        "product": {"type": "CANCEL", "callbackUrls": [url]},
        "stock": {"type": "CANCEL", "callbackUrls": [url]},
    }
    assert cancel == {name: {"type": "CANCEL", "callbackUrls": [url]} for name in enable}
    assert [(e.ok, e.actor) for e in entries] == [(True, None), (True, "cli")]
