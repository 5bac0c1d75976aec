"""POST /webhooks/cj: signature before parsing, fast 200, duplicates skipped, forgeries change nothing."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from starlette.applications import Starlette

from notifier.clock import FakeClock
from notifier.suggestions import WebhookWorker
from notifier.webhook_app import CJ_WEBHOOK_PATH, cj_webhook_route
from notifier.webhooks import WebhookReceiver, sign, verify
from store import outbox, subscriptions, webhook_messages
from store.db import Store
from tests.notifier.conftest import GROUP_A

OPEN_ID = "1234567890"


def logistic(message_id: str, status: int, order_id: str = "SD100") -> bytes:
    events = json.dumps([{"time": "2026-01-02 10:00:00", "desc": "exception"}])
    return json.dumps(
        {
            "messageId": message_id,
            "type": "LOGISTIC",
            "messageType": "UPDATE",
            "openId": int(OPEN_ID),
            "params": {
                "orderId": order_id,
                "trackingNumber": "YT123",
                "trackingStatus": status,
                "logisticsTrackEvents": events,
            },
        }
    ).encode()


@pytest.fixture
def receiver(store: Store, clock: FakeClock) -> WebhookReceiver:
    return WebhookReceiver(store=store, open_ids=lambda: [OPEN_ID], clock=clock)


@pytest.fixture
def client(receiver: WebhookReceiver) -> httpx.AsyncClient:
    app = Starlette(routes=[cj_webhook_route(receiver)])
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1")


def test_signature_is_base64_hmac_sha256_keyed_by_open_id() -> None:
    body = b'{"a":1}'
    assert sign(body, OPEN_ID) == "JSCjph7XsBf5WLB2Bcgo4erARaz4601C7p/9ADHI4Q4="  # computed independently
    assert verify(body, sign(body, OPEN_ID), ["other", OPEN_ID])
    assert not verify(body + b" ", sign(body, OPEN_ID), [OPEN_ID])
    assert not verify(body, None, [OPEN_ID])


async def test_signed_message_is_queued_once_and_becomes_one_suggestion(store, clock, client) -> None:
    subscriptions.subscribe(store, GROUP_A, title="team", user_id=1, now=0)
    body = logistic("m-1", 13)
    for _ in range(3):  # CJ retries what it thinks failed
        reply = await client.post(CJ_WEBHOOK_PATH, content=body, headers={"sign": sign(body, OPEN_ID)})
        assert reply.status_code == 200
    assert webhook_messages.count(store) == 1
    worker = WebhookWorker(store=store, groups=lambda: [GROUP_A], clock=clock)
    assert worker.process_pending() == 1
    assert worker.process_pending() == 0
    row = outbox.due(store, clock())[0]
    assert row.chat_id == GROUP_A and "SD100" in row.text and "delivery failure" in row.text
    assert row.buttons == (((("Open a dispute", "go:dispute:SD100")),),)


async def test_forged_and_malformed_requests_change_nothing_and_are_logged_without_body(
    store, client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    body = logistic("m-2", 14)
    forged = await client.post(CJ_WEBHOOK_PATH, content=body, headers={"sign": sign(body, "999")})
    unsigned = await client.post(CJ_WEBHOOK_PATH, content=body)
    garbage = b"not json at all"
    malformed = await client.post(CJ_WEBHOOK_PATH, content=garbage, headers={"sign": sign(garbage, OPEN_ID)})
    assert (forged.status_code, unsigned.status_code, malformed.status_code) == (401, 401, 400)
    assert webhook_messages.count(store) == 0 and outbox.counts(store).pending == 0
    assert "YT123" not in caplog.text and "SD100" not in caplog.text and "not json" not in caplog.text
    assert "rejected" in caplog.text


async def test_cj_setup_test_request_gets_200_and_is_not_queued(store, client) -> None:
    body = b'{"messageId": "t", "params": {}}'
    reply = await client.post(CJ_WEBHOOK_PATH, content=body, headers={"sign": sign(body, OPEN_ID)})
    assert reply.status_code == 200 and webhook_messages.count(store) == 0


async def test_without_a_known_open_id_requests_are_refused_until_a_token_exists(store, clock) -> None:
    receiver = WebhookReceiver(store=store, open_ids=lambda: [], clock=clock)
    body = logistic("m-3", 13)
    assert receiver.receive(body, sign(body, OPEN_ID)).status == 503


def test_other_tracking_statuses_suggest_nothing(store, clock, receiver) -> None:
    body = logistic("m-4", 12)  # delivered
    assert receiver.receive(body, sign(body, OPEN_ID)).queued
    assert WebhookWorker(store=store, groups=lambda: [GROUP_A], clock=clock).process_pending() == 0
    assert webhook_messages.pending(store) == []
