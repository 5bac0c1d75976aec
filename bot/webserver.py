"""The webhook-mode HTTP server (Starlette on uvicorn).

Routes: ``POST /telegram/webhook`` (Telegram's updates, accepted only with the right
``X-Telegram-Bot-Api-Secret-Token``), ``GET /media/<name>`` (evidence files for CJ, by
unguessable name), ``GET /healthz``, plus whatever ``extra_routes`` other parts mount on the
same server (the CJ webhook, ``POST /webhooks/cj``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import json
import logging
import socket
from collections.abc import Sequence
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from telegram import Update
from telegram.ext import Application

from bot.media import media_path

log = logging.getLogger("alex.bot")

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1_000_000  # a Telegram update is a few KB; refuse anything absurd


def build_web_app(
    application: Application,  # type: ignore[type-arg]
    secret_token: str,
    *,
    media_dir: Path,
    extra_routes: Sequence[BaseRoute] = (),
) -> Starlette:
    """The ASGI app; ``extra_routes`` lets other packages mount their endpoints beside Telegram's."""
    expected = secret_token.encode("utf-8")

    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8")
        if not expected or not hmac.compare_digest(given, expected):
            log.warning("webhook call without the right secret token from %s",
                        request.client.host if request.client else "?")
            return PlainTextResponse("forbidden", status_code=403)
        body = await request.body()
        if len(body) > MAX_UPDATE_BYTES:
            return PlainTextResponse("too large", status_code=413)
        try:
            update = Update.de_json(json.loads(body), application.bot)
        except (ValueError, TypeError, KeyError):
            return PlainTextResponse("not an update", status_code=400)
        await application.update_queue.put(update)
        return Response(status_code=200)

    async def media(request: Request) -> Response:
        path = media_path(media_dir, request.path_params["name"])
        if path is None:
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(path, headers={"Cache-Control": "private, max-age=604800",
                                           "X-Content-Type-Options": "nosniff"})

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    routes: list[BaseRoute] = [
        Route(WEBHOOK_PATH, telegram_webhook, methods=["POST"]),
        Route("/media/{name}", media, methods=["GET", "HEAD"]),
        Route("/healthz", health, methods=["GET"]),
        *extra_routes,
    ]
    return Starlette(routes=routes)


class QuietServer(uvicorn.Server):
    """uvicorn without its own signal handling: ``alex run`` owns SIGINT/SIGTERM and stops us."""

    def capture_signals(self) -> contextlib.AbstractContextManager[None]:  # type: ignore[override]
        return contextlib.nullcontext()

    async def main_loop(self) -> None:
        """uvicorn's loop, but woken at once by :meth:`request_exit` instead of on its next 0.1 s tick."""
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864_000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.exit_requested.wait(), 0.1)

    def request_exit(self) -> None:
        self.should_exit = True
        self.exit_requested.set()

    @functools.cached_property
    def exit_requested(self) -> asyncio.Event:
        return asyncio.Event()


class WebServer:
    """uvicorn serving an ASGI app in the running loop; port 0 picks a free port (tests)."""

    def __init__(self, app: Starlette, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # proto=IPPROTO_TCP: asyncio sets TCP_NODELAY only on sockets that say they are TCP; without it
        # each response can wait ~40 ms for a delayed ACK.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_config=None, access_log=False, lifespan="off", ws="none",
                                timeout_graceful_shutdown=5, proxy_headers=True)
        self._server = QuietServer(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            if self._task.done():
                self._task.result()
            await asyncio.sleep(0.01)  # start-up handshake, not a timing assumption

    async def wait(self) -> None:
        if self._task is not None:
            await self._task

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.request_exit()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
