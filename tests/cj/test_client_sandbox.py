"""The client against the sandbox over real HTTP on loopback: every endpoint, every error class,
retries on injected faults, the retry-safe create, cancel, and the audit trail."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from cj.client import CJClient, business_dispute_id
from cj.errors import (
    CJAuthError,
    CJBusinessError,
    CJNotFound,
    CJParamError,
    CJQuotaExceeded,
    CJRateLimited,
    CJUnavailable,
    CJValidationError,
)
from cj.models import CreateDisputeRequest, DisputeLine, ExpectType, RefundType
from cj.ratelimit import Priority, RateLimiter
from cj.retry import NO_RETRY, RetryPolicy
from cj.sandbox import SandboxServer
from store import Store, audit, idempotency, open_store
from tests.cj.test_ratelimit import FakeTime
from tests.conftest import SANDBOX_API_KEY, SandboxFactory

DELIVERED = "SD2510031452310001"  # two lines, via API, no dispute yet
CANCELLED_BEFORE = "SD2511011238470013"  # in transit; an earlier dispute was cancelled
UNPAID = "SD2511221745090004"
NOT_VIA_API = "SD2510110844010010"
WEBSITE_DISPUTE = "SH1990300112233445566"


class Waits:
    """The retry layer's sleep: records instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def store(tmp_path: Path) -> Any:
    opened = open_store(tmp_path / "alex.sqlite3")
    yield opened
    opened.close()


def make_client(
    sandbox: SandboxServer, store: Store | None, waits: Waits | None = None, **kwargs: Any
) -> CJClient:
    kwargs.setdefault("retry", RetryPolicy(rng=random.Random(3)))
    kwargs.setdefault("limiter", RateLimiter(1000))
    return CJClient(
        SANDBOX_API_KEY,
        base_url=sandbox.base_url,
        store=store,
        sleep=waits or Waits(),
        **kwargs,
    )


@pytest.fixture
async def client(sandbox: SandboxServer, store: Store) -> AsyncIterator[CJClient]:
    async with make_client(sandbox, store) as opened:
        yield opened


def calls(sandbox: SandboxServer, path: str) -> int:
    return int(sandbox.snapshot()["calls"].get(path, 0))


def create_request(
    order_id: str, line_item: str, draft: str = "draft-1", **overrides: Any
) -> CreateDisputeRequest:
    fields: dict[str, Any] = {
        "businessDisputeId": business_dispute_id(order_id, draft),
        "orderId": order_id,
        "disputeReasonId": 8,
        "expectType": ExpectType.REFUND,
        "refundType": RefundType.BALANCE,
        "messageText": "The dripper arrived broken; photos attached.",
        "imageUrl": ["https://example.com/broken.jpg"],
        "productInfoList": [DisputeLine(lineItemId=line_item, quantity=1)],
    }
    return CreateDisputeRequest(**{**fields, **overrides})


# --- every endpoint -------------------------------------------------------------------------


async def test_the_dispute_flow_end_to_end(client: CJClient, sandbox: SandboxServer, store: Store) -> None:
    products = await client.dispute_products(DELIVERED)
    assert products.orderId == DELIVERED and len(products.productInfoList) == 2
    first = products.productInfoList[0]
    assert first.canChoose and first.price == Decimal("11.90") and first.lineItemId == "1627572784056172547"

    info = await client.dispute_confirm_info(DELIVERED, [first])
    assert info.maxProductPrice == Decimal("11.90") and ExpectType.REFUND in info.expectResultOptionList
    reason_ids = [r.disputeReasonId for r in info.disputeReasonList]
    assert 8 in reason_ids

    request = create_request(DELIVERED, first.lineItemId)
    created = await client.create_dispute(request, actor="tg:42")
    assert created.id.startswith("SH") and created.status == "Processing" and created.finallyDeal is None

    page = await client.list_disputes(order_id=DELIVERED)
    assert [d.id for d in page.items] == [created.id] and page.total == 1
    detail = await client.dispute_detail(created.id)
    assert detail.id == created.id and detail.createDate is not None and detail.productList

    assert await client.cancel_dispute(DELIVERED, created.id, actor="tg:42") is True
    assert (await client.dispute_detail(created.id)).status == "Cancelled"

    entries = audit.recent(store)
    assert [(e.action, e.ok, e.actor) for e in entries] == [
        ("dispute.cancel", True, "tg:42"),
        ("dispute.create", True, "tg:42"),
    ]
    assert entries[1].result["disputeId"] == created.id
    assert entries[1].request["businessDisputeId"] == request.businessDisputeId


async def test_orders_tracking_and_account(client: CJClient) -> None:
    page = await client.list_orders(status="DELIVERED", page_size=50)
    assert page.total >= 5 and all(o.orderStatus == "DELIVERED" for o in page.items)
    second = await client.list_orders("DELIVERED", page_size=2, page_num=2)
    assert len(second.items) == 2 and second.pageNum == 2
    picked = await client.list_orders("DELIVERED", order_ids=[DELIVERED, UNPAID])
    assert {o.orderId for o in picked.items} == {DELIVERED}  # CJ filters by status even then

    order = await client.order_detail(DELIVERED)
    assert order.orderId == DELIVERED and order.trackNumber and order.productList
    assert order.orderAmount == order.productAmount + order.postageAmount

    tracks = await client.track_info([order.trackNumber or "", "CJPKL0010233511NL"])
    assert {t.trackingNumber for t in tracks} == {order.trackNumber, "CJPKL0010233511NL"}
    assert all(t.trackingStatus for t in tracks)

    account = await client.account_settings()
    assert account.qps == 1000 and account.isSandbox and account.openName == "Sandbox Seller"


async def test_disputes_opened_elsewhere_are_listed_and_detailed(client: CJClient) -> None:
    page = await client.list_disputes(order_id="SD2510150911460011")
    assert [d.id for d in page.items] == [WEBSITE_DISPUTE]
    by_number = await client.list_disputes(order_number="SHOP-1011")
    assert [d.id for d in by_number.items] == [WEBSITE_DISPUTE]
    assert (await client.dispute_detail(WEBSITE_DISPUTE)).status == "Processing"


async def test_tokens_login_refresh_and_logout(
    client: CJClient, sandbox: SandboxServer, store: Store
) -> None:
    token = await client.get_access_token()
    assert token.accessTokenExpiryDate is not None and token.accessToken not in repr(token)
    assert (await client.get_access_token()).accessToken == token.accessToken
    same = await client.refresh_access_token()  # CJ hands back the cached pair while it lives
    assert same.accessToken == token.accessToken
    for _ in range(3):
        await client.account_settings()  # and the client keeps using it without refreshing again
    sandbox.expire_tokens()
    refreshed = await client.refresh_access_token()
    assert refreshed.accessToken != token.accessToken
    await client.account_settings()
    assert calls(sandbox, "authentication/getAccessToken") == 1
    assert calls(sandbox, "authentication/refreshAccessToken") == 2
    assert await client.logout(actor="operator") is True
    assert client.tokens.current() is None and sandbox.snapshot()["liveAccessTokens"] == 0
    assert await client.logout() is False
    assert audit.recent(store, action="auth.logout")[0].ok
    await client.account_settings()  # a new token is fetched after logout
    assert calls(sandbox, "authentication/getAccessToken") == 2


# --- errors ---------------------------------------------------------------------------------


async def test_business_errors_are_clear_and_create_is_not_retried(
    client: CJClient, sandbox: SandboxServer, store: Store
) -> None:
    with pytest.raises(CJBusinessError) as info:
        await client.dispute_products(UNPAID)
    assert "cannot be disputed" in str(info.value).lower() or info.value.code
    with pytest.raises(CJNotFound) as not_found:
        await client.order_detail("SD0000000000000404")
    assert not_found.value.code == 1600300 and not_found.value.what == "order"

    request = create_request(NOT_VIA_API, "anything")
    with pytest.raises(CJBusinessError):
        await client.create_dispute(request, actor="tg:1")
    assert calls(sandbox, "disputes/create") == 1
    record = idempotency.get(store, request.businessDisputeId)
    assert record is not None and record.state == idempotency.FAILED
    entry = audit.recent(store, action="dispute.create")[0]
    assert not entry.ok and entry.result["error"] == "CJNotDisputable"


async def test_cj_param_errors_are_param_errors(client: CJClient) -> None:
    with pytest.raises(CJParamError) as info:
        await client._api("GET", "disputes/getDisputeDetail")
    assert info.value.code == 1600100 and not isinstance(info.value, CJValidationError)


async def test_bad_input_never_reaches_cj(client: CJClient, sandbox: SandboxServer) -> None:
    before = sum(sandbox.snapshot()["calls"].values())
    with pytest.raises(CJValidationError, match="quantity"):
        await client.dispute_confirm_info(DELIVERED, [{"lineItemId": "1627572784056172547", "quantity": -1}])
    with pytest.raises(CJValidationError, match="messageText"):
        await client.create_dispute({**create_request(DELIVERED, "x").model_dump(), "messageText": ""})
    assert sum(sandbox.snapshot()["calls"].values()) == before


@pytest.mark.parametrize(
    ("fault", "error", "tries"),
    [
        ("http_5xx", CJUnavailable, 4),
        ("drop_before_write", CJUnavailable, 4),
        ("busy", CJUnavailable, 3),
        ("rate_limited", CJRateLimited, 5),
        ("http_429", CJRateLimited, 5),
    ],
)
async def test_transient_faults_are_retried_then_reported(
    sandbox: SandboxServer, store: Store, fault: str, error: type[Exception], tries: int
) -> None:
    waits, time = Waits(), FakeTime()
    limiter = RateLimiter(1000, clock=time, sleep=time.sleep)  # rate limits defer the limiter: fake time
    async with make_client(sandbox, store, waits, limiter=limiter) as client:
        await time.drive(client.get_access_token())
        sandbox.add_faults(*[{"fault": fault, "path": "setting/get"}] * (tries - 1))
        assert (await time.drive(client.account_settings())).openName == "Sandbox Seller"
        assert calls(sandbox, "setting/get") == tries and len(waits.waits) == tries - 1
        sandbox.add_faults(*[{"fault": fault, "path": "setting/get"}] * tries)
        with pytest.raises(error):
            await time.drive(client.account_settings())
    if error is CJRateLimited:
        assert all(w >= 1.0 for w in waits.waits)
        assert time.now - 1_000 >= 2 * (tries - 1), "every 1600200 held the whole account back"


async def test_a_used_up_quota_is_not_retried(store: Store, sandbox_factory: SandboxFactory) -> None:
    async with sandbox_factory(daily_quota=2) as sandbox, make_client(sandbox, store) as client:
        await client.order_detail(DELIVERED)
        await client.order_detail(DELIVERED)
        with pytest.raises(CJQuotaExceeded):
            await client.order_detail(DELIVERED)
        assert calls(sandbox, "shopping/order/getOrderDetail") == 3


async def test_a_revoked_key_is_one_operator_error_not_a_loop(
    client: CJClient, sandbox: SandboxServer
) -> None:
    await client.account_settings()
    sandbox.revoke_key()
    with pytest.raises(CJAuthError) as info:
        await client.account_settings()
    assert "CJ_API_KEY" in str(info.value) and SANDBOX_API_KEY not in str(info.value)
    snapshot = sandbox.snapshot()["calls"]
    assert snapshot["authentication/getAccessToken"] == 2 and snapshot["setting/get"] == 2
    with pytest.raises(CJAuthError, match="CJ_API_KEY"):
        await client.account_settings()
    assert sandbox.snapshot()["calls"] == snapshot, "fails fast: no more calls to CJ"


async def test_a_wrong_key_is_refused_with_a_hint(sandbox: SandboxServer) -> None:
    async with CJClient(
        "wrong-key", base_url=sandbox.base_url, limiter=RateLimiter(1000), store=open_store(None)
    ) as client:
        with pytest.raises(CJAuthError, match=r"CJ refused the API key.*CJ_API_KEY") as info:
            await client.list_orders("SHIPPED")
    assert "wrong-key" not in str(info.value)


async def test_background_callers_use_the_same_client(client: CJClient) -> None:
    page = await client.list_disputes(order_id=DELIVERED, priority=Priority.BACKGROUND)
    assert page.total == 0
    assert client.rate_budget().used_last_minute >= 1


# --- the retry-safe create ------------------------------------------------------------------


async def test_create_with_a_dropped_answer_opens_exactly_one_dispute(
    client: CJClient, sandbox: SandboxServer, store: Store
) -> None:
    info = await client.dispute_confirm_info(
        CANCELLED_BEFORE, [{"lineItemId": "1627700031128856577", "quantity": 1}]
    )
    request = create_request(
        CANCELLED_BEFORE,
        "1627700031128856577",
        disputeReasonId=info.disputeReasonList[0].disputeReasonId,
        expectType=info.expectResultOptionList[0],
    )
    sandbox.add_faults({"fault": "drop_after_write", "path": "disputes/create"})
    created = await client.create_dispute(request, actor="tg:7")
    assert created.id != "SH1990300112233445568", "not the earlier, cancelled dispute"
    async with httpx.AsyncClient() as admin:
        state = (await admin.get(sandbox.root_url + "/_sandbox/state")).json()
    assert state["openDisputesPerOrder"][CANCELLED_BEFORE] == 1
    assert state["disputesPerOrder"][CANCELLED_BEFORE] == 2  # the cancelled one and ours
    assert calls(sandbox, "disputes/create") == 1, "the lookup found it: no second create"
    ours = next(d for d in state["disputes"] if d["id"] == created.id)
    assert ours["businessDisputeId"] == request.businessDisputeId

    again = await client.create_dispute(request, actor="tg:7")
    assert again.id == created.id and calls(sandbox, "disputes/create") == 1
    record = idempotency.get(store, request.businessDisputeId)
    assert record is not None and record.state == idempotency.DONE


async def test_a_lost_answer_is_followed_by_a_lookup_that_finds_the_dispute(
    sandbox: SandboxServer, store: Store
) -> None:
    request = create_request(DELIVERED, "1627572784056172548")
    sandbox.add_faults({"fault": "drop_after_write", "path": "disputes/create"})
    async with make_client(sandbox, store, retry=NO_RETRY) as first:
        created = await first.create_dispute(request)
    done = idempotency.get(store, request.businessDisputeId)
    assert done is not None and done.state == idempotency.DONE and done.data["dispute"]["id"] == created.id
    assert sandbox.snapshot()["disputesPerOrder"][DELIVERED] == 1
    assert calls(sandbox, "disputes/create") == 1 and created.id.startswith("SH")


async def test_create_retries_through_outages_and_still_opens_one(
    client: CJClient, sandbox: SandboxServer
) -> None:
    request = create_request(DELIVERED, "1627572784056172547", draft="outage")
    sandbox.add_faults(
        {"fault": "http_5xx", "path": "disputes/create"},
        {"fault": "drop_after_write", "path": "disputes/create"},
        {"fault": "busy", "path": "disputes/getDisputeList"},
    )
    created = await client.create_dispute(request)
    assert sandbox.snapshot()["disputesPerOrder"][DELIVERED] == 1
    assert calls(sandbox, "disputes/create") == 2 and created.status == "Processing"


async def test_cancel_with_a_dropped_answer_is_not_sent_twice(
    client: CJClient, sandbox: SandboxServer, store: Store
) -> None:
    created = await client.create_dispute(create_request(DELIVERED, "1627572784056172547", draft="cancel"))
    sandbox.add_faults({"fault": "drop_after_write", "path": "disputes/cancel"})
    assert await client.cancel_dispute(DELIVERED, created.id) is True
    assert calls(sandbox, "disputes/cancel") == 1
    assert (await client.dispute_detail(created.id)).status == "Cancelled"
    with pytest.raises(CJBusinessError, match="already cancelled"):
        await client.cancel_dispute(DELIVERED, created.id)
    assert [e.ok for e in audit.recent(store, action="dispute.cancel")] == [False, True]
