"""The notifier end to end: CJ sandbox over HTTP → sweep → outbox → python-telegram-bot → fake Bot API.

Also the CJ webhook path: the sandbox's signed sender → ``POST /webhooks/cj`` → suggestion with a
button in the team group; a forged request changes nothing.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from telegram import Bot

from bot.push_sender import TelegramPushSender
from cj.client import CJClient, business_dispute_id
from cj.models import CreateDisputeRequest, DisputeLine, ExpectType, RefundType
from cj.ratelimit import RateLimiter
from cj.sandbox import SandboxConfig, SandboxServer
from cj.sandbox.webhook_sender import WebhookSender
from notifier.clock import FakeClock
from notifier.service import Account, NotifierService
from notifier.webhook_app import CJ_WEBHOOK_PATH, cj_webhook_route
from store import disputes_seen, open_store, outbox, subscriptions, webhook_messages
from store.db import Store
from tests.fakes.telegram_api import DEFAULT_TOKEN, FakeTelegramServer

SANDBOX_API_KEY = "sandbox-key"
DELIVERED = "SD2510031452310001"  # refund decision in the fixtures
LINE = "1627572784056172547"
WEBSITE_DISPUTE = "SH1990300112233445566"  # opened on CJ's site, open
SELLER = 42
TEAM = -100500
RESOLVE_AFTER = 300.0


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    config = SandboxConfig(api_key=SANDBOX_API_KEY, qps=1000, admin=True, resolve_after=RESOLVE_AFTER)
    async with SandboxServer(config) as server:
        yield server


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture
async def bot(tg: FakeTelegramServer) -> AsyncIterator[Bot]:
    async with Bot(DEFAULT_TOKEN, base_url=tg.base_url, base_file_url=tg.base_file_url) as opened:
        yield opened


class Alex:
    """One process: its store connection, CJ client and notifier service."""

    def __init__(self, path: Path, sandbox: SandboxServer, bot: Bot, clock: FakeClock) -> None:
        self.store: Store = open_store(path)
        self.cj = CJClient(
            SANDBOX_API_KEY, base_url=sandbox.base_url, store=self.store, limiter=RateLimiter(1000)
        )
        self.service = NotifierService(
            store=self.store,
            sender=TelegramPushSender(bot),
            clock=clock,
            sleep=clock.sleep,
            accounts=[Account(self.cj.account, self.cj, qps=1.0)],
            delay_scan=False,
        )

    async def close(self) -> None:
        await self.service.stop()
        await self.cj.aclose()
        self.store.close()


async def open_dispute_through_alex(alex: Alex) -> str:
    request = CreateDisputeRequest(
        businessDisputeId=business_dispute_id(DELIVERED, "draft-e2e"),
        orderId=DELIVERED,
        disputeReasonId=8,
        expectType=ExpectType.REFUND,
        refundType=RefundType.BALANCE,
        messageText="Arrived broken.",
        productInfoList=[DisputeLine(lineItemId=LINE, quantity=1)],
    )
    created = await alex.cj.create_dispute(request, actor=f"tg:{SELLER}")
    disputes_seen.record_opener(alex.store, created.id, DELIVERED, alex.cj.account, SELLER, SELLER)
    return created.id


def texts(tg: FakeTelegramServer, chat_id: int) -> list[str]:
    """Dispute messages to a chat (the daily digest for yesterday also goes out at start)."""
    return [
        c.text or "" for c in tg.calls_of("sendMessage", chat_id=chat_id) if "digest" not in (c.text or "")
    ]


async def test_a_decided_dispute_reaches_the_opener_and_the_group_once(tmp_path, sandbox, tg, bot) -> None:
    alex = Alex(tmp_path / "alex.sqlite3", sandbox, bot, FakeClock())
    subscriptions.subscribe(alex.store, TEAM, title="team", user_id=SELLER)
    dispute_id = await open_dispute_through_alex(alex)
    await alex.service.start()  # the first sweep runs at once: a silent baseline
    await asyncio.wait_for(_until(lambda: disputes_seen.has_observed(alex.store, alex.cj.account)), 10)
    sandbox.advance(RESOLVE_AFTER + 1)  # CJ decides both open disputes
    await tg.wait_for("sendMessage", chat_id=SELLER)
    await tg.wait_for("sendMessage", chat_id=TEAM, predicate=lambda c: WEBSITE_DISPUTE in (c.text or ""))
    await tg.wait_for("sendMessage", chat_id=TEAM, predicate=lambda c: dispute_id in (c.text or ""))
    for _ in range(3):  # more sweeps find nothing new
        await alex.service.sweep_all()
    await alex.close()
    seller = texts(tg, SELLER)
    assert len(seller) == 1 and dispute_id in seller[0] and "REFUND" in seller[0] and "$11.90" in seller[0]
    assert "CJ wallet" in seller[0]
    team = texts(tg, TEAM)
    assert len(team) == 2 and sorted(WEBSITE_DISPUTE in t for t in team) == [False, True]


async def test_a_restart_between_detection_and_sending_neither_loses_nor_repeats(
    tmp_path, sandbox, tg, bot
) -> None:
    path = tmp_path / "alex.sqlite3"
    clock = FakeClock()
    first = Alex(path, sandbox, bot, clock)
    subscriptions.subscribe(first.store, TEAM, title="team", user_id=SELLER)
    dispute_id = await open_dispute_through_alex(first)
    await first.service.sweep_all()  # baseline
    sandbox.advance(RESOLVE_AFTER + 1)
    reports = await first.service.sweep_all()  # detected and queued...
    assert reports[0].queued == 3
    first.store.close()  # ...and the process dies before anything is sent
    await first.cj.aclose()
    assert tg.calls_of("sendMessage") == []

    second = Alex(path, sandbox, bot, clock)
    await second.service.start()  # sweeps at once (nothing new) and delivers the queue
    await asyncio.wait_for(_until(lambda: outbox.counts(second.store).pending == 0), 10)
    await second.service.sweep_all()
    await second.close()
    assert len(texts(tg, SELLER)) == 1 and dispute_id in texts(tg, SELLER)[0]
    assert len(texts(tg, TEAM)) == 2


async def test_signed_logistics_webhook_suggests_a_dispute_and_a_forged_one_changes_nothing(
    tmp_path, sandbox, tg, bot
) -> None:
    alex = Alex(tmp_path / "alex.sqlite3", sandbox, bot, FakeClock())
    subscriptions.subscribe(alex.store, TEAM, title="team", user_id=SELLER)
    token = await alex.cj.get_access_token()  # the token store now knows the openId CJ signs with
    app = Starlette(routes=[cj_webhook_route(alex.service.receiver)])
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
    waits: list[float] = []

    async def no_wait(seconds: float) -> None:
        waits.append(seconds)

    cj_side = WebhookSender(f"http://127.0.0.1{CJ_WEBHOOK_PATH}", str(token.openId), http=http, sleep=no_wait)
    forged = await cj_side.logistic("SD2509051203380006", "YT0006", 13, sign_with="1234")
    assert forged.statuses == [401, 401, 401, 401] and waits == [300.0] * 3  # CJ retries, then drops it
    await alex.service.housekeeping()
    assert webhook_messages.count(alex.store) == 0
    assert [r for r in outbox.due(alex.store, float("inf")) if r.kind == "suggestion"] == []

    assert (await cj_side.test_request()).delivered
    genuine = await cj_side.logistic("SD2509051203380006", "YT0006", 13)
    repeat = await cj_side.send(
        "LOGISTIC", {"orderId": "SD2509051203380006", "trackingStatus": 13}, message_id=genuine.message_id
    )
    assert genuine.delivered and repeat.delivered
    await alex.service.start()
    call = await tg.wait_for("sendMessage", chat_id=TEAM, predicate=lambda c: "digest" not in (c.text or ""))
    await alex.close()
    await http.aclose()
    assert "SD2509051203380006" in (call.text or "")
    assert call.button_data() == ["go:dispute:SD2509051203380006"]
    assert len(texts(tg, TEAM)) == 1


async def _until(condition) -> None:
    while not condition():
        await asyncio.sleep(0.01)


async def test_daily_delay_scan_suggests_overdue_shipped_orders_from_the_sandbox(tmp_path, sandbox, tg, bot):
    alex = Alex(
        tmp_path / "alex.sqlite3", sandbox, bot, FakeClock(time.time())
    )  # the fixtures' dates are real
    alex.service.delay_scan = True
    subscriptions.subscribe(alex.store, TEAM, title="team", user_id=SELLER)
    await alex.service.housekeeping()
    await alex.service.housekeeping()  # the scan runs once a day
    suggestions = [r for r in outbox.due(alex.store, float("inf")) if r.kind == "suggestion"]
    await alex.close()
    assert suggestions, "the fixtures hold shipped orders past CJ's delay threshold"
    for row in suggestions:
        order_id = row.buttons[0][0][1].removeprefix("go:dispute:")
        assert order_id in row.text and "days ago and still not delivered" in row.text
    assert len({r.dedupe_key for r in suggestions}) == len(suggestions)
    assert "SD2509051203380006" in {
        r.buttons[0][0][1].removeprefix("go:dispute:") for r in suggestions
    }  # 75 d, ES
