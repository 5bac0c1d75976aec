"""The webhook-mode HTTP server (Starlette on uvicorn).

Routes: ``POST /telegram/webhook`` (Telegram's updates, accepted only with the right
``X-Telegram-Bot-Api-Secret-Token``), ``GET /media/<name>`` (evidence files for CJ, by
unguessable name), ``GET /healthz``, plus whatever ``extra_routes`` other parts mount on the
same server (the CJ webhook, ``POST /webhooks/cj``).

Limits (:class:`WebLimits`) hold for every route, so an anonymous client cannot make Alex buffer a
big body or hold its connections: a body whose ``Content-Length`` is over the cap is refused before
a byte of it is read; any other body is counted as it streams in and refused at the cap; a body
that has not fully arrived ``body_timeout`` seconds after its headers is refused (408); idle
keep-alive connections, and new ones that send nothing, close after ``keep_alive_timeout``
(uvicorn's ``timeout_keep_alive``, armed at connect by :class:`IdleTimeoutH11`);
beyond ``max_concurrency`` connections uvicorn answers 503 at once (its ``limit_concurrency``).
A response sent before the request's body was read carries ``Connection: close``.
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
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from telegram import Update
from telegram.ext import Application
from uvicorn.protocols.http.h11_impl import H11Protocol

from bot.media import media_path
from notifier.webhooks import MAX_BODY_BYTES

log = logging.getLogger("alex.bot")

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CLOSE = (b"connection", b"close")


@dataclass(frozen=True)
class WebLimits:
    """What one client may cost the webhook server; small values in tests, the defaults in production."""

    max_body_bytes: int = MAX_BODY_BYTES  # a Telegram update or CJ message is a few KB (1 MB)
    body_timeout: float = 10.0  # seconds from the headers to the body's last byte
    keep_alive_timeout: int = 5  # seconds an idle keep-alive connection is kept (uvicorn)
    max_concurrency: int = 64  # open connections/requests before uvicorn answers 503
    max_header_bytes: int = 16_384  # request line and headers (h11)


class BodyLimit:
    """Pure ASGI middleware: caps and times the request body for whatever route reads it.

    Routes keep calling ``await request.body()``; this wraps ``receive`` so that read stops at
    ``max_body_bytes`` (413) or at ``body_timeout`` (408) instead of buffering whatever a client sends.
    """

    def __init__(self, app: ASGIApp, limits: WebLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.limits.max_body_bytes
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None and declared.isascii() and declared.isdigit() and int(declared) > cap:
            await PlainTextResponse("too large", status_code=413, headers={"Connection": "close"})(
                scope, receive, send
            )
            return
        deadline = asyncio.get_running_loop().time() + self.limits.body_timeout
        received = 0
        body_done = declared in (None, "0") and "transfer-encoding" not in headers  # e.g. a GET

        async def limited_receive() -> Message:
            nonlocal received, body_done
            if body_done:  # e.g. waiting for the disconnect while a file is served: no deadline
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise HTTPException(408, "body too slow", headers={"Connection": "close"}) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    raise HTTPException(413, "too large", headers={"Connection": "close"})
                body_done = not message.get("more_body", False)
            else:
                body_done = True
            return message

        async def closing_send(message: Message) -> None:
            if message["type"] == "http.response.start" and not body_done:
                message = {**message, "headers": [*message.get("headers", []), CLOSE]}
            await send(message)

        await self.app(scope, limited_receive, closing_send)


def build_web_app(
    application: Application,  # type: ignore[type-arg]
    secret_token: str,
    *,
    media_dir: Path,
    extra_routes: Sequence[BaseRoute] = (),
    limits: WebLimits = WebLimits(),
) -> Starlette:
    """The ASGI app; ``extra_routes`` lets other packages mount their endpoints beside Telegram's."""
    expected = secret_token.encode("utf-8")

    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8")
        if not expected or not hmac.compare_digest(given, expected):
            log.warning("webhook call without the right secret token from %s",
                        request.client.host if request.client else "?")
            return PlainTextResponse("forbidden", status_code=403)
        body = await request.body()  # capped and timed by BodyLimit
        try:
            update = Update.de_json(json.loads(body), application.bot)
        except (ValueError, TypeError, KeyError, AttributeError):  # `[]`, `1`, `{"message": 1}`: 400, not 500
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
    return Starlette(routes=routes, middleware=[Middleware(BodyLimit, limits=limits)])


class IdleTimeoutH11(H11Protocol):
    """uvicorn's h11 protocol with its keep-alive timer also armed at connect.

    uvicorn starts that timer only after a response, so a connection that never sends a byte
    would stay open (and count toward ``limit_concurrency``) for ever. Any data cancels it, as
    after a response; the body deadline then belongs to :class:`BodyLimit`.
    """

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.timeout_keep_alive_task = self.loop.call_later(self.timeout_keep_alive,
                                                            self.timeout_keep_alive_handler)


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

    def __init__(
        self,
        app: Starlette,
        host: str = "127.0.0.1",
        port: int = 0,
        limits: WebLimits = WebLimits(),
    ) -> None:
        self.app = app
        self.limits = limits
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
                                http=IdleTimeoutH11,
                                timeout_graceful_shutdown=5, proxy_headers=True,
                                limit_concurrency=self.limits.max_concurrency,
                                timeout_keep_alive=self.limits.keep_alive_timeout,
                                h11_max_incomplete_event_size=self.limits.max_header_bytes)
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
