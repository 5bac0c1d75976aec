"""Forged and replayed webhooks: 100 % rejected, nothing processed.

Runs the webhook server as ``alex run --webhook`` does (``bot.run.run_webhook``: our Starlette
server on 127.0.0.1, the real Application, the fake Bot API), with the notifier's real CJ
receiver mounted at ``POST /webhooks/cj`` on a SQLite file. Attacks go over real HTTP.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import random
import socket
import time
import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from telegram.ext import Application

from alex.settings import Settings, load_settings
from bot.application import build_application
from bot.run import run_webhook
from bot.webserver import SECRET_HEADER, WEBHOOK_PATH, WebLimits, WebServer, build_web_app
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


# --- resource limits (issue 12 item 1): a real uvicorn server on loopback with small limits ----------

LIMITS = WebLimits(max_body_bytes=64_000, body_timeout=0.5, keep_alive_timeout=1, max_concurrency=4)
ROUTES = (WEBHOOK_PATH, CJ_WEBHOOK_PATH)


class Limited:
    def __init__(self, web: WebServer, store: Store) -> None:
        self.web, self.store = web, store

    async def connect(
        self, path: str, headers: dict[str, str]
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """A raw connection that has sent the request line and headers of ``POST path``, no body yet."""
        reader, writer = await asyncio.open_connection("127.0.0.1", self.web.port)
        head = [f"POST {path} HTTP/1.1", "Host: alex", *(f"{k}: {v}" for k, v in headers.items())]
        if path == WEBHOOK_PATH:
            head.append(f"{SECRET_HEADER}: {SECRET}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
        await writer.drain()
        return reader, writer


async def _status(reader: asyncio.StreamReader, timeout: float) -> int:
    line = await asyncio.wait_for(reader.readline(), timeout)
    return int(line.split()[1])


async def _closed(reader: asyncio.StreamReader, timeout: float) -> bool:
    """True once the server has closed the connection (EOF or reset) within ``timeout``."""
    try:
        async with asyncio.timeout(timeout):
            while await reader.read(65_536):
                pass
    except TimeoutError:
        return False
    except ConnectionError:
        return True
    return True


@pytest.fixture
async def limited(tmp_path: Path) -> AsyncIterator[Limited]:
    store = open_store(tmp_path / "alex.sqlite3")
    receiver = WebhookReceiver(store=store, open_ids=lambda: [OPEN_ID], clock=FakeClock())
    application = Application.builder().token("123456:TEST").updater(None).build()
    app = build_web_app(application, SECRET, media_dir=tmp_path / "media",
                        extra_routes=[cj_webhook_route(receiver)], limits=LIMITS)
    web = WebServer(app, limits=LIMITS)
    await web.start()
    yield Limited(web, store)
    await web.stop()
    store.close()


@pytest.mark.parametrize("path", ROUTES)
async def test_a_declared_oversized_body_is_refused_before_it_is_read(limited: Limited, path: str) -> None:
    reader, writer = await limited.connect(path, {"Content-Length": "400000000"})
    started = time.monotonic()
    status = await _status(reader, 2)
    closed = await _closed(reader, 2)
    report("declared 400 MB body", route=path, status=status, seconds=round(time.monotonic() - started, 3))
    writer.close()
    assert status == 413 and closed


@pytest.mark.parametrize("path", ROUTES)
async def test_an_undeclared_oversized_body_is_cut_at_the_cap(limited: Limited, path: str) -> None:
    total = 20_000_000
    chunk = b"x" * 65_536
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    tracemalloc.start()
    try:
        reader, writer = await limited.connect(path, {"Transfer-Encoding": "chunked", SIGN_HEADER: "bad"})
        sent = 0
        with contextlib.suppress(ConnectionError):
            while sent < total:
                writer.write(frame)
                await asyncio.wait_for(writer.drain(), 2)
                sent += len(chunk)
            writer.write(b"0\r\n\r\n")
            await writer.drain()
        closed = await _closed(reader, 2)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    writer.close()
    report("chunked 20 MB body", route=path, client_sent=sent, peak_python_bytes=peak,
           cap=LIMITS.max_body_bytes)
    assert closed
    assert sent < total  # the server stopped taking it
    assert peak < 4_000_000  # the cap plus a few socket reads, not the body


@pytest.mark.parametrize("path", ROUTES)
async def test_a_slow_body_is_cut_after_the_timeout(limited: Limited, path: str) -> None:
    reader, writer = await limited.connect(path, {"Content-Length": "1000", SIGN_HEADER: "bad"})
    started = time.monotonic()

    async def trickle() -> None:
        with contextlib.suppress(ConnectionError):
            for _ in range(1000):
                writer.write(b"x")
                await writer.drain()
                await asyncio.sleep(0.05)

    dripping = asyncio.create_task(trickle())
    try:
        status = await _status(reader, LIMITS.body_timeout + 1.5)
        closed = await _closed(reader, 1.0)  # while the client keeps trickling
    finally:
        dripping.cancel()
        writer.close()
    seconds = time.monotonic() - started
    report("slow body (1 byte / 50 ms)", route=path, status=status, cut_after_s=round(seconds, 2),
           body_timeout=LIMITS.body_timeout)
    assert status == 408 and closed
    assert seconds < LIMITS.body_timeout + 1.0


async def test_a_refused_telegram_call_closes_its_connection(limited: Limited) -> None:
    """No secret: 403 without reading the body, and the trickling client is dropped, not kept."""
    reader, writer = await asyncio.open_connection("127.0.0.1", limited.web.port)
    writer.write(f"POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: alex\r\nContent-Length: 1000\r\n\r\n".encode())
    await writer.drain()
    status = await _status(reader, 1)
    for _ in range(5):
        with contextlib.suppress(ConnectionError):
            writer.write(b"x")
            await writer.drain()
        await asyncio.sleep(0.05)
    closed = await _closed(reader, 1.0)
    writer.close()
    assert status == 403 and closed


async def test_requests_beyond_the_bound_are_refused_at_once(limited: Limited) -> None:
    held: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    for _ in range(LIMITS.max_concurrency + 1):
        held.append(await limited.connect(CJ_WEBHOOK_PATH, {"Content-Length": "1000", SIGN_HEADER: "bad"}))
        await asyncio.sleep(0.05)  # the server has parsed these headers before the next connection
    started = time.monotonic()

    async def answer(reader: asyncio.StreamReader) -> int | None:
        try:
            return await _status(reader, 0.2)
        except TimeoutError:
            return None

    answers = await asyncio.gather(*(answer(reader) for reader, _ in held))
    refused_in = time.monotonic() - started
    for _, writer in held:
        writer.close()
    report("slow requests beyond the bound", max_concurrency=LIMITS.max_concurrency, sent=len(held),
           held=answers.count(None), refused_503=answers.count(503))
    # uvicorn counts the new connection itself: max_concurrency - 1 are served, the rest get 503
    assert answers[: LIMITS.max_concurrency - 1] == [None] * (LIMITS.max_concurrency - 1)
    assert answers[LIMITS.max_concurrency - 1 :] == [503, 503]
    assert refused_in < 1.5
    async with httpx.AsyncClient(base_url=limited.web.origin) as http:  # recovers once they are gone
        await asyncio.sleep(0.1)
        assert (await http.get("/healthz")).status_code == 200


async def test_an_idle_keep_alive_connection_is_closed(limited: Limited) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", limited.web.port)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: alex\r\n\r\n")
    await writer.drain()
    assert await _status(reader, 1) == 200
    started = time.monotonic()
    closed = await _closed(reader, LIMITS.keep_alive_timeout + 1.5)
    writer.close()
    report("idle keep-alive", closed_after_s=round(time.monotonic() - started, 2),
           keep_alive_timeout=LIMITS.keep_alive_timeout)
    assert closed


NOT_UPDATES = [b"[]", b'"x"', b"1", b"null", b"true", b"[{}]", b"{}", b'{"update_id": 1, "message": 1}',
               b'{"update_id": 1, "callback_query": "x"}', b'{"update_id": 1, "message": {"chat": 1}}']


async def test_a_connection_that_sends_nothing_is_closed(limited: Limited) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", limited.web.port)
    started = time.monotonic()
    closed = await _closed(reader, LIMITS.keep_alive_timeout + 1.5)
    writer.close()
    report("silent connection", closed_after_s=round(time.monotonic() - started, 2),
           keep_alive_timeout=LIMITS.keep_alive_timeout)
    assert closed


@pytest.mark.parametrize("body", NOT_UPDATES)
async def test_a_non_object_update_is_a_400_not_a_crash(limited: Limited, body: bytes) -> None:
    async with httpx.AsyncClient(base_url=limited.web.origin) as http:
        response = await http.post(WEBHOOK_PATH, content=body, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 400
