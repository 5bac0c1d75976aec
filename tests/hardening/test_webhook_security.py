"""Forged and replayed webhooks: 100 % rejected, nothing processed.

Runs the webhook server as ``alex run --webhook`` does (``bot.run.run_webhook``: our Starlette
server on 127.0.0.1, the real Application, the fake Bot API), with the notifier's real CJ
receiver mounted at ``POST /webhooks/cj`` on a SQLite file. Attacks go over real HTTP.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import random
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from alex.settings import Settings, load_settings
from bot.application import build_application
from bot.run import run_webhook
from bot.webserver import SECRET_HEADER, WEBHOOK_PATH
from notifier.clock import FakeClock
from notifier.suggestions import WebhookWorker
from notifier.webhook_app import CJ_WEBHOOK_PATH, cj_webhook_route
from notifier.webhooks import SIGN_HEADER, WebhookReceiver, sign
from store import outbox, subscriptions, webhook_messages
from store.db import Store, open_store
from tests.bot.conftest import OWNER, Matcher, ScriptedEngine
from tests.fakes.telegram_api import FakeTelegramServer
from tests.hardening.conftest import report

SECRET = "right-Secret_123-abcdef"
OPEN_ID = "1876543210987654321"
GROUP = -4001


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _logistic(message_id: str, order_id: str = "SD2509051203380006", status: int = 13) -> bytes:
    return json.dumps(
        {
            "messageId": message_id,
            "type": "LOGISTIC",
            "messageType": "UPDATE",
            "openId": int(OPEN_ID),
            "params": {
                "orderId": order_id,
                "trackingNumber": "LB123456785CN",
                "trackingStatus": status,
                "logisticsTrackEvents": "[]",
            },
        }
    ).encode()


class World:
    def __init__(
        self,
        tg: FakeTelegramServer,
        http: httpx.AsyncClient,
        engine: ScriptedEngine,
        store: Store,
        clock: FakeClock,
    ) -> None:
        self.tg, self.http, self.engine, self.store, self.clock = tg, http, engine, store, clock


@pytest.fixture
async def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[World]:
    monkeypatch.chdir(tmp_path)
    port = _free_port()
    public = f"http://127.0.0.1:{port}"
    store = open_store(tmp_path / "alex.sqlite3")
    subscriptions.subscribe(store, GROUP, title="team", user_id=OWNER, now=0)
    clock = FakeClock()
    receiver = WebhookReceiver(store=store, open_ids=lambda: [OPEN_ID], clock=clock)
    engine = ScriptedEngine()
    async with FakeTelegramServer() as tg:
        settings: Settings = load_settings(
            telegram_bot_token=tg.token,
            telegram_api_base_url=tg.base_url,
            allowed_user_ids=str(OWNER),
            alex_db_path=tmp_path / "alex.sqlite3",
            media_dir=tmp_path / "media",
            public_base_url=public,
            webhook_secret_token=SECRET,
            webhook_listen_port=port,
        )
        app = build_application(settings, engine, Matcher(), store, media_base_url=public)  # type: ignore[arg-type]
        stop = asyncio.Event()
        task = asyncio.create_task(
            run_webhook(app, settings, stop, extra_routes=[cj_webhook_route(receiver)])
        )
        await tg.wait_for("setWebhook")
        async with httpx.AsyncClient(base_url=public) as http:
            yield World(tg, http, engine, store, clock)
        stop.set()
        await task
    store.close()


def _wrong_secrets(rng: random.Random) -> list[dict[str, str] | None]:
    wrong: list[dict[str, str] | None] = [
        None,
        {SECRET_HEADER: ""},
        {SECRET_HEADER: SECRET[:-1]},
        {SECRET_HEADER: SECRET + "x"},
        {SECRET_HEADER: SECRET.upper()},
        {SECRET_HEADER: SECRET.lower()},
        {SECRET_HEADER: SECRET[1:]},
        {"X-Telegram-Secret": SECRET},
        {"Authorization": f"Bearer {SECRET}"},
        {SECRET_HEADER: "right-secret_123"},
    ]
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
    while len(wrong) < 60:
        wrong.append({SECRET_HEADER: "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 256)))})
    return wrong


async def test_telegram_webhook_without_the_secret_is_always_refused(world: World) -> None:
    rng = random.Random(7)
    refused = 0
    attempts = 0
    for n, headers in enumerate(_wrong_secrets(rng)):
        for update in (
            {"update_id": 10_000 + n, **world.tg.text_update(OWNER, OWNER, "/dispute SD2510031452310001")},
            {
                "update_id": 20_000 + n,
                **world.tg.callback_update(OWNER, OWNER, "st:SH1990300112233445566", 1),
            },
        ):
            attempts += 1
            response = await world.http.post(WEBHOOK_PATH, json=update, headers=headers or {})
            refused += response.status_code == 403
    # secret in the query string or the body is not the header either
    for extra in ({"params": {"secret_token": SECRET}}, {"headers": {"Cookie": f"secret={SECRET}"}}):
        attempts += 1
        update = {"update_id": 30_000 + attempts, **world.tg.text_update(OWNER, OWNER, "forged")}
        response = await world.http.post(WEBHOOK_PATH, json=update, **extra)  # type: ignore[arg-type]
        refused += response.status_code == 403
    # the genuine update afterwards is the first and only one the engine ever sees
    await world.tg.deliver_webhook(world.tg.text_update(OWNER, OWNER, "genuine"))
    await world.tg.wait_for("sendMessage", chat_id=OWNER)
    processed = [e.text for _, e in world.engine.events]
    report("telegram webhook forgeries", attempts=attempts, refused=refused, processed=len(processed) - 1)
    assert refused == attempts
    assert processed == ["genuine"]
    assert len(world.tg.calls_of("sendMessage")) == 1


def _forgeries(rng: random.Random) -> list[tuple[bytes, dict[str, str]]]:
    genuine = _logistic("m-genuine")
    good = sign(genuine, OPEN_ID)
    raw = hmac.new(OPEN_ID.encode(), genuine, hashlib.sha256)
    out: list[tuple[bytes, dict[str, str]]] = [
        (genuine, {}),
        (genuine, {SIGN_HEADER: ""}),
        (genuine, {SIGN_HEADER: good[:-2]}),
        (genuine, {SIGN_HEADER: good.lower()}),
        (genuine, {SIGN_HEADER: raw.hexdigest()}),
        (genuine, {SIGN_HEADER: base64.b64encode(hashlib.sha256(genuine).digest()).decode()}),
        (genuine, {SIGN_HEADER: sign(genuine, "1876543210987654322")}),
        (genuine, {SIGN_HEADER: sign(genuine, "")}),
        (genuine, {"signature": good}),
        (genuine + b" ", {SIGN_HEADER: good}),
        (genuine.replace(b"SD2509051203380006", b"SD2510031452310001"), {SIGN_HEADER: good}),
        (_logistic("m-other"), {SIGN_HEADER: good}),
        (b"", {SIGN_HEADER: sign(b"", "x")}),
        (b"x" * 1_100_000, {SIGN_HEADER: sign(b"x" * 1_100_000, OPEN_ID)}),  # too large even if signed
    ]
    while len(out) < 60:
        body = _logistic(f"m-{rng.randrange(10**9)}", status=rng.choice([12, 13, 14]))
        key = rng.choice(["", "0", OPEN_ID[:-1], OPEN_ID + "0", str(rng.randrange(10**19))])
        out.append((body, {SIGN_HEADER: sign(body, key)}))
    return out


async def test_cj_webhook_forgeries_and_replays_change_nothing(world: World) -> None:
    rng = random.Random(11)
    attempts = refused = 0
    for body, headers in _forgeries(rng):
        attempts += 1
        response = await world.http.post(CJ_WEBHOOK_PATH, content=body, headers=headers)
        refused += response.status_code >= 400
    forged_queued = webhook_messages.count(world.store)
    # one genuine message, then replays of it (CJ's own retries look the same)
    genuine = _logistic("m-genuine")
    headers = {SIGN_HEADER: sign(genuine, OPEN_ID)}
    first = await world.http.post(CJ_WEBHOOK_PATH, content=genuine, headers=headers)
    worker = WebhookWorker(store=world.store, groups=lambda: [GROUP], clock=world.clock)
    assert first.status_code == 200 and worker.process_pending() == 1
    replays = []
    for _ in range(40):
        replays.append(await world.http.post(CJ_WEBHOOK_PATH, content=genuine, headers=headers))
    processed_after_replay = worker.process_pending()
    # a replay after the processed message was pruned (7 days) is queued again but sends nothing new
    world.clock.advance(8 * 86_400)
    webhook_messages.prune_processed(world.store, world.clock() - 7 * 86_400)
    late = await world.http.post(CJ_WEBHOOK_PATH, content=genuine, headers=headers)
    late_messages = worker.process_pending()
    report(
        "CJ webhook forgeries",
        attempts=attempts,
        refused=refused,
        forged_queued=forged_queued,
        replays=len(replays) + 1,
        replays_processed=processed_after_replay + late_messages,
        outbox_rows=outbox.counts(world.store).pending,
    )
    assert refused == attempts and forged_queued == 0
    assert all(r.status_code == 200 and r.json()["message"] == "duplicate" for r in replays)
    assert processed_after_replay == 0
    assert late.status_code == 200 and late_messages == 0
    assert outbox.counts(world.store).pending == 1  # the one suggestion of the genuine message
    assert world.engine.events == []
