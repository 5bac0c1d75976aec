"""The sandbox sends CJ-style signed webhooks over real HTTP to Alex's endpoint on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator

import pytest
import uvicorn
from starlette.applications import Starlette

from cj.sandbox.config import DEFAULT_FIXTURES
from cj.sandbox.fixtures import load_fixtures
from cj.sandbox.webhook_sender import SandboxWebhooks
from notifier.clock import FakeClock
from notifier.suggestions import WebhookWorker
from notifier.webhook_app import CJ_WEBHOOK_PATH, cj_webhook_route
from notifier.webhooks import WebhookReceiver
from store import outbox, webhook_messages
from store.db import Store
from tests.notifier.conftest import GROUP_A

OPEN_ID = "1876543210987654321"


class _Quiet(uvicorn.Server):
    def capture_signals(self) -> contextlib.AbstractContextManager[None]:  # type: ignore[override]
        return contextlib.nullcontext()


@contextlib.asynccontextmanager
async def serve(app: Starlette) -> AsyncIterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = _Quiet(uvicorn.Config(app, log_config=None, access_log=False, lifespan="off", ws="none"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.005)  # start-up handshake
    try:
        yield f"http://127.0.0.1:{port}{CJ_WEBHOOK_PATH}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def endpoint(store: Store, clock: FakeClock) -> AsyncIterator[str]:
    receiver = WebhookReceiver(store=store, open_ids=lambda: [OPEN_ID], clock=clock)
    async with serve(Starlette(routes=[cj_webhook_route(receiver)])) as url:
        yield url


async def test_registration_probe_then_one_message_per_troubled_parcel(store, clock, endpoint) -> None:
    hooks = SandboxWebhooks(OPEN_ID)
    probe = await hooks.probe(endpoint)  # CJ's test request at set-up: unsigned, no type
    assert probe.statuses == [200] and webhook_messages.count(store) == 0
    hooks.point("logistics", endpoint)
    orders = load_fixtures(DEFAULT_FIXTURES).orders
    sent = await hooks.emit_tracking_troubles(orders)
    again = await hooks.emit_tracking_troubles(orders)
    troubled = {o.orderId for o in orders if o.state in {"lost_in_transit", "returned"}}
    assert len(sent) == len(troubled) and all(d.delivered for d in sent) and again == []
    assert webhook_messages.count(store) == len(troubled)
    WebhookWorker(store=store, groups=lambda: [GROUP_A], clock=clock).process_pending()
    rows = outbox.due(store, float("inf"))
    assert {r.buttons[0][0][1].removeprefix("go:dispute:") for r in rows} == troubled


async def test_a_forged_sender_is_refused_and_retried_like_cj_then_dropped(store, endpoint) -> None:
    waits: list[float] = []

    async def no_wait(seconds: float) -> None:
        waits.append(seconds)

    hooks = SandboxWebhooks("42", sleep=no_wait)  # the wrong openId: every signature is forged
    hooks.point("logistics", endpoint)
    sent = await hooks.emit_tracking_troubles(load_fixtures(DEFAULT_FIXTURES).orders)
    assert sent and all(d.statuses == [401, 401, 401, 401] for d in sent)
    assert waits == [300.0] * 3 * len(sent)  # CJ retries after 5 minutes, 3 times
    assert webhook_messages.count(store) == 0 and outbox.counts(store).pending == 0


def test_pointing_and_unpointing_a_block() -> None:
    hooks = SandboxWebhooks(OPEN_ID)
    hooks.point("order", "http://127.0.0.1:9/x")
    assert hooks.urls == {"order": "http://127.0.0.1:9/x"}
    hooks.point("order", None)
    assert hooks.urls == {}
