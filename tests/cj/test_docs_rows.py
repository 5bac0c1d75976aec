"""Issue 11's table, row by row: (a) the sandbox answers as CJ's published docs show, (b) the client,
over HTTP against that sandbox, does what the docs ask.

Sources, quoted where they are cited: "CJ API Docs" (CJ's developer documentation, copies dated
2025-12-31: 05. Shopping, 1 Authentication, Appendix 1 Global Error Codes, Access Frequency
Restrictions, 08. Webhook, 2 Settings) and CJ's own MCP server (github.com/CJ-dropshipping/api-mcp,
``src/api-client/http-client.ts``, ``src/mcp-server/tools/*.ts``). Where they disagree the sandbox
can play both readings (a config field) and the client is run against each.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from cj.client import CJClient
from cj.errors import CJNotFound, CJQuotaExhausted, CJRateLimited, CJValidationError, CJWebhookRefused
from cj.retry import NO_RETRY
from cj.sandbox import SandboxServer
from cj.transport import quota_exhausted_until
from store import Store, open_store
from tests.cj import SandboxApi, http_client
from tests.cj.test_client_sandbox import DELIVERED, make_client
from tests.cj.test_sandbox_orders import _receiver
from tests.conftest import SANDBOX_API_KEY, SandboxFactory

# --- what the docs show, as data -------------------------------------------------------------

# 05. Shopping §1.7 error table: 1600300 "order not found".
ORDER_NOT_FOUND = {"code": 1600300, "message": "order not found"}
# 05. Shopping §1.6: status "default: CANCELLED, values: CREATED,IN_CART,UNPAID,UNSHIPPED,SHIPPED,
# DELIVERED,CANCELLED,OTHER"; pageSize "Default 20".
LIST_STATUSES = {"CREATED", "IN_CART", "UNPAID", "UNSHIPPED", "SHIPPED", "DELIVERED", "CANCELLED", "OTHER"}
# 05. Shopping §1.7 fields: orderNum (string), isComplete ("1: Complete 0: Incomplete", Number),
# createDate / paymentDate ("UTC Time"), outWarehouseTime ("UTC Time, eg: 2025-03-14 13:21:07").
DETAIL_TYPES = {
    "orderNum": str,
    "isComplete": int,
    "createDate": str,
    "paymentDate": str,
    "disputeId": type(None),
}
UTC_EXAMPLE = "2025-03-14 13:21:07"
# 08. Webhook, webhook/set: product, stock, order, logistics blocks required; 1607001-1607003.
WEBHOOK_BLOCKS = ("product", "stock", "order", "logistics")
# Global Error Codes: 1600001 invalid/expired token; 1600200 too many requests; 1600201 quota used up.
# Public client code: HTTP 200 + 16900500 "Insufficient API points. Used today: ..., Remaining: 0".


@pytest.fixture
def store(tmp_path: Path) -> Any:
    opened = open_store(tmp_path / "alex.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
async def api(sandbox: SandboxServer) -> AsyncIterator[SandboxApi]:
    async with http_client() as http:
        raw = SandboxApi(sandbox, http)
        await raw.login(SANDBOX_API_KEY)
        yield raw


@pytest.fixture
async def client(sandbox: SandboxServer, store: Store) -> AsyncIterator[CJClient]:
    async with make_client(sandbox, store) as opened:
        yield opened


# --- row 1: unknown order --------------------------------------------------------------------


async def test_row1_sandbox_answers_1600300_order_not_found(api: SandboxApi) -> None:
    reply = await api.get("shopping/order/getOrderDetail", {"orderId": "SD404404"})
    assert {k: reply[k] for k in ORDER_NOT_FOUND} == ORDER_NOT_FOUND


async def test_row1_client_reads_1600300_as_order_not_found(client: CJClient) -> None:
    with pytest.raises(CJNotFound) as caught:
        await client.order_detail("SD404404")
    assert caught.value.what == "order" and caught.value.code == 1600300


# --- row 2: the order list defaults to CANCELLED -----------------------------------------------


async def test_row2_sandbox_lists_only_cancelled_orders_without_status(api: SandboxApi) -> None:
    data = (await api.get("shopping/order/list", {"pageNum": 1, "pageSize": 50}))["data"]
    assert data["list"] and {o["orderStatus"] for o in data["list"]} == {"CANCELLED"}


async def test_row2_client_always_sends_a_status(client: CJClient, sandbox: SandboxServer) -> None:
    page = await client.list_orders("SHIPPED", page_size=50)
    assert page.items and {o.orderStatus for o in page.items} == {"SHIPPED"}
    with pytest.raises(CJValidationError):
        await client.list_orders("")  # no silent default: CJ's would be CANCELLED
    assert set(LIST_STATUSES) >= {o.orderStatus for o in page.items}


# --- row 3: orderNum, isComplete 1/0, UTC dates ------------------------------------------------


async def test_row3_sandbox_detail_fields_as_documented(api: SandboxApi) -> None:
    data = (await api.get("shopping/order/getOrderDetail", {"orderId": DELIVERED}))["data"]
    for name, kind in DETAIL_TYPES.items():
        assert isinstance(data[name], kind), (name, data[name])
    assert "orderNumber" not in data and data["isComplete"] in (0, 1)
    for name in ("createDate", "paymentDate", "outWarehouseTime"):
        assert len(data[name]) == len(UTC_EXAMPLE) and data[name][10] == " ", data[name]


async def test_row3_client_reads_the_dates_as_utc(client: CJClient, api: SandboxApi) -> None:
    raw = (await api.get("shopping/order/getOrderDetail", {"orderId": DELIVERED}))["data"]
    detail = await client.order_detail(DELIVERED)
    assert detail.orderNum == raw["orderNum"] and detail.isComplete is True
    expected = datetime.strptime(raw["createDate"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    assert detail.createDate == expected  # not 8 hours off


# --- row 4: webhook/set sends all four blocks; CJ's refusals ----------------------------------


async def test_row4_client_sends_four_blocks_and_cancel_keeps_the_url(
    sandbox_factory: SandboxFactory, store: Store
) -> None:
    async with (
        sandbox_factory(webhook_loopback_ok=True, webhook_http_ok=True) as sandbox,
        make_client(sandbox, store) as client,
        _receiver() as (url, received),
    ):
        assert await client.webhook_set(url) is True
        assert sandbox.snapshot()["webhooks"] == {"order": url, "logistics": url}
        assert received, "CJ's set-up probe reached the receiver"
        assert await client.webhook_set(None) is True  # CANCEL with the registered URL, not []
        assert sandbox.snapshot()["webhooks"] == {}


async def test_row4_client_reports_cjs_webhook_refusals(client: CJClient) -> None:
    with pytest.raises(CJWebhookRefused) as caught:
        await client.webhook_set("https://127.0.0.1:9/hook")
    assert caught.value.code == 1607001


async def test_row5_a_probe_that_gets_no_200_fails_webhook_set(
    sandbox_factory: SandboxFactory, store: Store
) -> None:
    """Row 5 is the receiver's side (bot/, tests/notifier); here: what CJ does when it is not 200."""
    async with (
        sandbox_factory(webhook_loopback_ok=True, webhook_http_ok=True) as sandbox,
        make_client(sandbox, store) as client,
        _receiver(status=401) as (url, _),
    ):
        with pytest.raises(CJWebhookRefused) as caught:
            await client.webhook_set(url)
    assert caught.value.code == 1607003 and "Http Status must be 200" in str(caught.value)


# --- row 6: quota exhausted, three ways --------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "code", "status"),
    [("quota_code", 1600201, 200), ("api_points", 16900500, 200), ("too_many_requests", 1600200, 429)],
)
async def test_row6_sandbox_quota_replies(
    sandbox_factory: SandboxFactory, reply: str, code: int, status: int
) -> None:
    async with sandbox_factory(daily_quota=1, quota_reply=reply) as sandbox, http_client() as http:
        api = SandboxApi(sandbox, http)
        await api.login(SANDBOX_API_KEY)
        await api.get("setting/get")
        response = await api.raw_get("setting/get")
        body = response.json()
        assert response.status_code == status and body["code"] == code
        if code != 1600201:  # the limit-style replies come bare, without result/data
            assert "data" not in body and "result" not in body


@pytest.mark.parametrize("reply", ["quota_code", "api_points", "too_many_requests"])
async def test_row6_client_tells_the_operator_once_and_never_retries(
    sandbox_factory: SandboxFactory, store: Store, reply: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="cj.client")
    async with sandbox_factory(daily_quota=1, quota_reply=reply) as sandbox:
        async with make_client(sandbox, store) as client:
            await client.order_detail(DELIVERED)
            for _ in range(2):
                with pytest.raises(CJQuotaExhausted) as caught:
                    await client.order_detail(DELIVERED)
                assert not isinstance(caught.value, CJRateLimited) and caught.value.resets_at is not None
        assert sandbox.snapshot()["calls"]["shopping/order/getOrderDetail"] == 3, "no retries"
    told = [r for r in caplog.records if "quota for this account is used up until" in r.getMessage()]
    assert len(told) == 1 and "\n" not in told[0].getMessage()
    until = quota_exhausted_until(store, now=datetime.now(UTC).timestamp())
    assert until is not None and until == caught.value.resets_at  # what `alex check` shows


# --- row 7: pageSize cap, disputeId typed integer ----------------------------------------------


async def test_row7_sandbox_refuses_page_sizes_over_50_and_sh_ids(api: SandboxApi) -> None:
    over = await api.get("disputes/getDisputeList", {"pageNum": 1, "pageSize": 51})
    by_sh = await api.get("disputes/getDisputeList", {"disputeId": "SH1990300112233445566"})
    assert over["code"] != 200 and by_sh["code"] != 200


async def test_row7_client_pages_by_50_and_looks_sh_ids_up_by_order(
    client: CJClient, sandbox: SandboxServer
) -> None:
    with pytest.raises(CJValidationError):
        await client.list_disputes(page_size=100)
    with pytest.raises(CJValidationError):
        await client.list_disputes(dispute_id="SH1990300112233445566")
    listed = await client.disputes_of_order("SD2510150911460011")
    assert [d.id for d in listed] == ["SH1990300112233445566"]
    assert "disputes/getDisputeList" in sandbox.snapshot()["calls"]


# --- row 8: an expired token, 1600001 or 1600100 ----------------------------------------------


@pytest.mark.parametrize("expired", [1600001, 1600100])
async def test_row8_an_expired_token_is_renewed_once(
    sandbox_factory: SandboxFactory, store: Store, expired: int
) -> None:
    async with sandbox_factory(expired_token_code=expired) as sandbox:
        async with make_client(sandbox, store, retry=NO_RETRY) as client:
            await client.order_detail(DELIVERED)
            sandbox.expire_tokens()
            assert (await client.order_detail(DELIVERED)).orderId == DELIVERED
        calls = sandbox.snapshot()["calls"]
        assert calls["shopping/order/getOrderDetail"] == 3  # refused once, then once more with the new one
        assert calls.get("authentication/refreshAccessToken", 0) == 1


# --- row 9: login throttled, refresh returns the cached pair -----------------------------------


async def test_row9_sandbox_throttles_login_and_refresh_returns_the_same_pair(
    sandbox_factory: SandboxFactory,
) -> None:
    async with sandbox_factory(login_interval=300.0) as sandbox, http_client() as http:
        api = SandboxApi(sandbox, http)
        first = await api.login(SANDBOX_API_KEY)
        throttled = await api.raw_post(
            "authentication/getAccessToken", {"apiKey": SANDBOX_API_KEY}, auth=False
        )
        assert throttled.status_code == 429 and throttled.json()["code"] == 1600200
        again = await api.refresh(first["refreshToken"])
        assert again["data"]["accessToken"] == first["accessToken"]


async def test_row9_client_logs_in_once_across_processes(
    sandbox_factory: SandboxFactory, tmp_path: Path
) -> None:
    async with sandbox_factory(login_interval=300.0) as sandbox:
        for _ in range(3):  # three `alex cj` commands: one store file, three clients
            store = open_store(tmp_path / "alex.sqlite3")
            async with make_client(sandbox, store) as client:
                await client.order_detail(DELIVERED)
            store.close()
        assert sandbox.snapshot()["calls"]["authentication/getAccessToken"] == 1
