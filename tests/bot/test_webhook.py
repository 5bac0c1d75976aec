"""Webhook mode as ``alex run --webhook`` runs it: our Starlette server, the secret token,
evidence downloaded from the (fake) Bot API and served at PUBLIC_BASE_URL/media/<name>."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from alex.settings import Settings
from bot.application import build_application
from bot.run import run_webhook
from bot.webserver import SECRET_HEADER, WEBHOOK_PATH
from conversations.events import EventKind
from store.db import Store
from tests.bot.conftest import OWNER, Matcher, ScriptedEngine
from tests.fakes.telegram_api import FakeTelegramServer


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def webhook_bot(
    tg: FakeTelegramServer, settings: Settings, engine: ScriptedEngine, matcher: Matcher, store: Store
) -> AsyncIterator[dict[str, Any]]:
    port = _free_port()
    public = f"http://127.0.0.1:{port}"
    settings = settings.model_copy(update={"public_base_url": public, "webhook_listen_port": port})
    app = build_application(settings, engine, matcher, store, media_base_url=public)  # type: ignore[arg-type]

    async def cj_webhook(request: object) -> PlainTextResponse:
        return PlainTextResponse("cj ok")

    stop = asyncio.Event()
    task = asyncio.create_task(
        run_webhook(app, settings, stop, extra_routes=[Route("/webhooks/cj", cj_webhook, methods=["POST"])])
    )
    await tg.wait_for("setWebhook")
    async with httpx.AsyncClient(base_url=public) as http:
        yield {"http": http, "public": public, "settings": settings}
    stop.set()
    await task


async def test_set_webhook_with_secret_and_allowed_updates(
    tg: FakeTelegramServer, webhook_bot: dict[str, Any]
) -> None:
    call = tg.calls_of("setWebhook")[0]
    assert call.params["url"] == webhook_bot["public"] + WEBHOOK_PATH
    assert call.params["secret_token"] == "right-secret_123"
    assert "callback_query" in call.params["allowed_updates"]
    assert tg.calls_of("setMyCommands")


async def test_right_secret_is_processed(
    tg: FakeTelegramServer, webhook_bot: dict[str, Any], engine: ScriptedEngine
) -> None:
    response = await tg.deliver_webhook(tg.text_update(OWNER, OWNER, "hello by webhook"))
    assert response.status_code == 200
    sent = await tg.wait_for("sendMessage", chat_id=OWNER)
    assert sent.text == "got hello by webhook"


async def test_wrong_or_missing_secret_is_refused(
    tg: FakeTelegramServer, webhook_bot: dict[str, Any], engine: ScriptedEngine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    http: httpx.AsyncClient = webhook_bot["http"]
    update = {"update_id": 99, **tg.text_update(OWNER, OWNER, "forged")}
    wrong = await http.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: "wrong-secret"})
    missing = await http.post(WEBHOOK_PATH, json=update)
    assert (wrong.status_code, missing.status_code) == (403, 403)
    garbage = await http.post(WEBHOOK_PATH, content=b"{not json", headers={SECRET_HEADER: "right-secret_123"})
    assert garbage.status_code == 400
    # a real update afterwards is the first (and only) thing the engine sees
    await tg.deliver_webhook(tg.text_update(OWNER, OWNER, "real"))
    await tg.wait_for("sendMessage", chat_id=OWNER)
    assert [e.text for _, e in engine.events] == ["real"]
    assert "right-secret_123" not in caplog.text


async def test_photo_is_downloaded_and_served_by_unguessable_url(
    tg: FakeTelegramServer, webhook_bot: dict[str, Any], engine: ScriptedEngine
) -> None:
    content = b"\xff\xd8\xff\xe0 a real-enough jpeg"
    photo = tg.add_file(content)
    await tg.deliver_webhook(tg.photo_update(OWNER, OWNER, photo, caption="dented"))
    await tg.wait_for("sendMessage", chat_id=OWNER)
    event = engine.events[0][1]
    assert event.kind is EventKind.MEDIA
    item = event.media[0]
    assert item.url is not None and item.url.startswith(webhook_bot["public"] + "/media/")
    assert tg.token not in item.url and "api.telegram.org" not in item.url
    name = item.url.rsplit("/", 1)[1]
    assert len(name.split(".")[0]) == 32 and item.size_bytes == len(content)
    http: httpx.AsyncClient = webhook_bot["http"]
    served = await http.get(f"/media/{name}")
    assert served.status_code == 200 and served.content == content
    assert (await http.get("/media/" + "A" * 32 + ".jpg")).status_code == 404
    assert (await http.get("/media/..%2Falex.sqlite3")).status_code == 404


async def test_extra_routes_and_health_share_the_server(webhook_bot: dict[str, Any]) -> None:
    http: httpx.AsyncClient = webhook_bot["http"]
    assert (await http.post("/webhooks/cj")).text == "cj ok"
    assert (await http.get("/healthz")).text == "ok"


async def test_token_never_logged_during_a_run(
    tg: FakeTelegramServer, webhook_bot: dict[str, Any], engine: ScriptedEngine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    tg.fail_next("sendMessage", 500, "Internal Server Error: injected")
    await tg.deliver_webhook(tg.text_update(OWNER, OWNER, "first"))
    await tg.deliver_webhook(tg.photo_update(OWNER, OWNER, tg.add_file(b"img")))
    await tg.wait_for("sendMessage", chat_id=OWNER, predicate=lambda c: c.text == "got 1 file(s)")
    assert caplog.records  # DEBUG logging really was on
    assert tg.token not in caplog.text
    assert tg.token.split(":", 1)[1] not in caplog.text
