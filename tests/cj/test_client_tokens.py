"""Tokens and pacing against the sandbox over HTTP: one getAccessToken for many callers, tokens
shared through the store file, expiry and refresh, and the limiter on the sandbox's own (fake) clock."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cj.client import CJClient
from cj.errors import CJRateLimited
from cj.ratelimit import Priority, RateLimiter
from cj.retry import NO_RETRY
from cj.sandbox import SandboxServer
from store import Store, open_store
from tests.cj.test_ratelimit import FakeTime
from tests.conftest import SANDBOX_API_KEY, SandboxFactory

ORDER = "SD2510031452310001"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "alex.sqlite3")
    yield opened
    opened.close()


def calls(sandbox: SandboxServer, path: str) -> int:
    return int(sandbox.snapshot()["calls"].get(path, 0))


def client_for(sandbox: SandboxServer, store: Store | None) -> CJClient:
    return CJClient(SANDBOX_API_KEY, base_url=sandbox.base_url, store=store, limiter=RateLimiter(1000))


async def test_a_hundred_concurrent_first_calls_cost_one_get_access_token(
    sandbox: SandboxServer, store: Store
) -> None:
    async with client_for(sandbox, store) as client:
        pages = await asyncio.gather(*(client.list_disputes(order_id=ORDER) for _ in range(100)))
    assert all(p.total == 0 for p in pages)
    assert calls(sandbox, "authentication/getAccessToken") == 1
    assert calls(sandbox, "disputes/getDisputeList") == 100


async def test_two_clients_on_one_store_file_share_the_token(sandbox: SandboxServer, tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    first_store = open_store(path)
    async with client_for(sandbox, first_store) as first:
        await first.account_settings()
    first_store.close()
    second_store = open_store(path)  # a restart: a new process would open the same file
    try:
        async with client_for(sandbox, second_store) as second:
            await second.account_settings()
            await second.order_detail(ORDER)
    finally:
        second_store.close()
    assert calls(sandbox, "authentication/getAccessToken") == 1


async def test_expired_tokens_are_refreshed_once_and_the_call_retried(
    sandbox: SandboxServer, store: Store
) -> None:
    async with client_for(sandbox, store) as client:
        before = (await client.get_access_token()).accessToken
        async with httpx.AsyncClient() as admin:  # the admin API over HTTP, as an operator would
            assert (await admin.post(sandbox.root_url + "/_sandbox/tokens/expire")).json()["ok"]
        results = await asyncio.gather(*(client.order_detail(ORDER) for _ in range(5)))
        assert all(r.orderId == ORDER for r in results)
        assert (await client.get_access_token()).accessToken != before
    assert calls(sandbox, "authentication/refreshAccessToken") == 1
    assert calls(sandbox, "authentication/getAccessToken") == 1


async def test_a_dead_refresh_token_falls_back_to_a_new_token(sandbox: SandboxServer, store: Store) -> None:
    async with client_for(sandbox, store) as client:
        await client.account_settings()
        sandbox.advance(181 * 86_400)  # both tokens are dead at CJ; the client's clock does not know yet
        assert (await client.order_detail(ORDER)).orderId == ORDER
    assert calls(sandbox, "authentication/refreshAccessToken") == 1
    assert calls(sandbox, "authentication/getAccessToken") == 2


async def test_the_limiter_keeps_a_client_under_the_account_qps_on_a_fake_clock(
    sandbox_factory: SandboxFactory,
) -> None:
    time = FakeTime()
    async with sandbox_factory(qps=1, clock=time) as sandbox:
        async with CJClient(
            SANDBOX_API_KEY,
            base_url=sandbox.base_url,
            qps=1,
            clock=time,
            sleep=time.sleep,
            retry=NO_RETRY,
            store=open_store(None),
        ) as client:
            started = time.now
            background = [
                client.list_disputes(order_id=ORDER, priority=Priority.BACKGROUND) for _ in range(4)
            ]
            interactive = [client.order_detail(ORDER) for _ in range(4)]
            await time.drive(asyncio.gather(*background, *interactive))
            elapsed = time.now - started
        assert elapsed >= 8.0, "9 calls (token + 8) at 1/s take 8 seconds of (fake) time"
        assert (
            calls(sandbox, "disputes/getDisputeList") == 4
            and calls(sandbox, "shopping/order/getOrderDetail") == 4
        )


async def test_without_pacing_cj_answers_too_many_requests(sandbox_factory: SandboxFactory) -> None:
    time = FakeTime()
    async with sandbox_factory(qps=1, clock=time) as sandbox:
        async with CJClient(
            SANDBOX_API_KEY,
            base_url=sandbox.base_url,
            limiter=RateLimiter(1000),
            retry=NO_RETRY,
            clock=time,
            store=open_store(None),
        ) as client:
            await client.get_access_token()
            results = await asyncio.gather(
                *(client.order_detail(ORDER) for _ in range(3)), return_exceptions=True
            )
        assert any(isinstance(r, CJRateLimited) for r in results)
