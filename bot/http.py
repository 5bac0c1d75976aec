"""The HTTP client under python-telegram-bot, tuned for many chats at once.

:class:`FastRequest` (what ``bot.application`` uses) implements PTB's network seam,
``BaseRequest.do_request``, on a small pool of persistent HTTP/1.1 connections over plain
asyncio streams: every Bot API call without files is one form-encoded POST (the same bytes
httpx would send) on a kept-alive connection. Profiling the bot at 200 concurrent chats showed
httpx's request/response models and httpcore's pool bookkeeping costing more CPU per update
than everything else together; this path removes that. File uploads (multipart, e.g. the
notifier's sendPhoto with bytes) and downloads (GET) still go through :class:`GatedRequest`,
PTB's HTTPXRequest.

:class:`GatedRequest` keeps two httpx/httpcore fixes, without changing behaviour:

* httpcore tries ``import sniffio`` on every request; when sniffio is not installed each failed
  import searches ``sys.path`` again. The absence is recorded once (httpcore then assumes
  asyncio, which is what runs).
* Before each request and after each response httpcore asks every idle pooled connection
  whether the server closed it; through anyio that builds an attribute table per connection
  per check. :class:`_FastStream` answers from the socket it remembered at connect time.

TLS verification is unchanged on both paths (one verified context per process, certifi's CA
bundle, host name checked).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ssl
import sys
import typing
import urllib.parse

import certifi
import httpcore
import httpx
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

try:  # httpcore internals; if a future httpcore moves them, the stock transport is used instead
    from httpcore._backends.anyio import AnyIOBackend, AnyIOStream
    from httpcore._utils import is_socket_readable
except ImportError:  # pragma: no cover - depends on the installed httpcore
    AnyIOBackend = AnyIOStream = None  # type: ignore[assignment,misc]

KEEPALIVE_EXPIRY_SECONDS = 5.0


def skip_missing_sniffio() -> None:
    try:
        import sniffio  # noqa: F401
    except ImportError:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One verified TLS context per process (building one costs ~50 ms)."""
    return ssl.create_default_context(cafile=certifi.where())


class _FastStream(AnyIOStream or object):  # type: ignore[misc]
    def __init__(self, stream: typing.Any) -> None:
        super().__init__(stream)
        import anyio.abc

        self._raw_socket = stream.extra(anyio.abc.SocketAttribute.raw_socket, None)

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "is_readable":
            return is_socket_readable(self._raw_socket)
        if info == "socket":
            return self._raw_socket
        return super().get_extra_info(info)

    async def start_tls(self, *args: typing.Any, **kwargs: typing.Any) -> httpcore.AsyncNetworkStream:
        upgraded = await super().start_tls(*args, **kwargs)
        return _FastStream(upgraded._stream) if isinstance(upgraded, AnyIOStream) else upgraded


class _FastBackend(AnyIOBackend or object):  # type: ignore[misc]
    async def connect_tcp(self, *args: typing.Any, **kwargs: typing.Any) -> httpcore.AsyncNetworkStream:
        stream = await super().connect_tcp(*args, **kwargs)
        return _FastStream(stream._stream) if isinstance(stream, AnyIOStream) else stream


def transport(pool_size: int) -> httpx.AsyncHTTPTransport:
    """An HTTP/1.1 transport with ``pool_size`` connections (verified TLS, keep-alive)."""
    skip_missing_sniffio()
    limits = httpx.Limits(max_connections=pool_size, max_keepalive_connections=pool_size,
                          keepalive_expiry=KEEPALIVE_EXPIRY_SECONDS)
    result = httpx.AsyncHTTPTransport(verify=tls_context(), limits=limits)
    if AnyIOBackend is not None and hasattr(result, "_pool"):  # httpx's httpcore pool: cheaper backend
        result._pool = httpcore.AsyncConnectionPool(
            ssl_context=tls_context(), max_connections=pool_size, max_keepalive_connections=pool_size,
            keepalive_expiry=KEEPALIVE_EXPIRY_SECONDS, http1=True, http2=False,
            network_backend=_FastBackend(),
        )
    return result


class GatedRequest(HTTPXRequest):
    """PTB's HTTPX request with at most ``pool_size`` calls inside httpcore at once.

    httpcore matches every waiting request against every pooled connection each time one
    starts or ends, so with hundreds of chats replying at once its bookkeeping grows with
    (waiting × connections). Queueing here first keeps its queue empty and that cost flat;
    requests still run ``pool_size`` at a time, and no request fails with a pool timeout.
    """

    def __init__(self, pool_size: int, **kwargs: typing.Any) -> None:
        super().__init__(connection_pool_size=pool_size, httpx_kwargs={"transport": transport(pool_size)},
                         **kwargs)
        self._gate = asyncio.Semaphore(pool_size)

    async def do_request(self, *args: typing.Any, **kwargs: typing.Any) -> tuple[int, bytes]:
        async with self._gate:
            return await super().do_request(*args, **kwargs)



class _Connection:
    """One keep-alive HTTP/1.1 connection (plain or verified TLS) on asyncio streams."""

    __slots__ = ("idle_since", "reader", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.idle_since = 0.0

    def usable(self, now: float) -> bool:
        return (not self.writer.is_closing() and not self.reader.at_eof()
                and now - self.idle_since < KEEPALIVE_EXPIRY_SECONDS)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()


class _HTTPError(Exception):
    """A malformed or truncated response; reported to PTB as NetworkError."""


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """Status, body and whether the connection may be reused."""
    while True:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise _HTTPError("malformed status line")
        status = int(parts[1])
        if not 100 <= status < 200:
            break
    length: int | None = None
    chunked = False
    keep_alive = parts[0] == "HTTP/1.1"
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if not sep:
            continue
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding":
            chunked = "chunked" in value.lower()
        elif name == "connection":
            token = value.strip().lower()
            keep_alive = token == "keep-alive" or (keep_alive and token != "close")
    if status in (204, 304):
        return status, b"", keep_alive
    if chunked:
        pieces = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
                    pass
                return status, b"".join(pieces), keep_alive
            pieces.append(await reader.readexactly(size))
            await reader.readexactly(2)
    if length is not None:
        return status, await reader.readexactly(length), keep_alive
    return status, await reader.read(), False


class FastRequest(BaseRequest):
    """PTB's request seam (``do_request``) on a small pool of persistent HTTP/1.1 connections.

    Bot API calls without files are form-encoded POSTs exactly like httpx sends them, written
    straight to a kept-alive asyncio stream (verified TLS for https): this skips httpx's request
    and response models and httpcore's pool bookkeeping, which cost more CPU per call than the
    bot's own work. Uploads (multipart) and downloads (GET) go through PTB's HTTPX request.
    Timeouts become :class:`telegram.error.TimedOut`, connection errors
    :class:`telegram.error.NetworkError`; a connection that failed mid-request is dropped.
    """

    def __init__(self, pool_size: int, *, read_timeout: float | None = 5.0, write_timeout: float | None = 5.0,
                 connect_timeout: float | None = 5.0, pool_timeout: float | None = 1.0) -> None:
        self._pool_size = pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._fallback = GatedRequest(pool_size, read_timeout=read_timeout, write_timeout=write_timeout,
                                      connect_timeout=connect_timeout, pool_timeout=pool_timeout)
        self._idle: dict[tuple[str, str, int], list[_Connection]] = {}
        self._slots = asyncio.Semaphore(pool_size)
        self._closed = False

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._closed:  # re-initialized after shutdown, possibly on another event loop
            self._slots = asyncio.Semaphore(self._pool_size)
        self._closed = False
        await self._fallback.initialize()

    async def shutdown(self) -> None:
        self._closed = True
        for connections in self._idle.values():
            for connection in connections:
                connection.close()
        self._idle.clear()
        await self._fallback.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        target = _split_url(url)
        if method != "POST" or target is None or (request_data is not None and request_data.contains_files):
            return await self._fallback.do_request(url, method, request_data, read_timeout, write_timeout,
                                                   connect_timeout, pool_timeout)
        if self._closed:
            raise RuntimeError("This FastRequest is not initialized!")
        scheme, host, port, path, authority = target
        body = urllib.parse.urlencode(request_data.json_parameters).encode() if request_data else b""
        head = (f"POST {path} HTTP/1.1\r\nHost: {authority}\r\n"
                f"User-Agent: {self.USER_AGENT}\r\nAccept: */*\r\n"
                f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n")
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        write = self._write_timeout if isinstance(write_timeout, DefaultValue) else write_timeout
        connect = self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        wait = self._pool_timeout if isinstance(pool_timeout, DefaultValue) else pool_timeout

        if self._slots.locked():
            try:
                async with asyncio.timeout(wait):
                    await self._slots.acquire()
            except TimeoutError as exc:
                raise TimedOut("Pool timeout: all connections are busy; the request was not sent") from exc
        else:
            await self._slots.acquire()
        connection: _Connection | None = None
        try:
            loop = asyncio.get_running_loop()
            key = (scheme, host, port)
            idle = self._idle.get(key)
            while idle:
                candidate = idle.pop()
                if candidate.usable(loop.time()):
                    connection = candidate
                    break
                candidate.close()
            if connection is None:
                connection = await self._connect(scheme, host, port, connect)
            async with asyncio.timeout_at(None if write is None else loop.time() + write) as deadline:
                connection.writer.write(head.encode("latin-1") + body)
                await connection.writer.drain()
                deadline.reschedule(None if read is None else loop.time() + read)
                status, payload, keep_alive = await _read_response(connection.reader)
            if keep_alive and not self._closed:
                connection.idle_since = now = loop.time()
                idle = self._idle.setdefault(key, [])
                while idle and not idle[0].usable(now):  # the least recently used may have expired
                    idle.pop(0).close()
                idle.append(connection)
            else:
                connection.close()
            connection = None
            return status, payload
        except TimeoutError as exc:
            raise TimedOut from exc
        except (OSError, EOFError, ValueError, asyncio.LimitOverrunError, _HTTPError) as exc:
            # IncompleteReadError is an EOFError; ssl errors are OSErrors; bad numbers ValueErrors
            raise NetworkError(f"{exc.__class__.__name__}: {exc}") from exc
        finally:
            if connection is not None:  # failed or cancelled mid-request: never reuse it
                connection.close()
            self._slots.release()

    @staticmethod
    async def _connect(scheme: str, host: str, port: int, timeout: float | None) -> _Connection:
        tls = tls_context() if scheme == "https" else None
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(
                host, port, ssl=tls, server_hostname=host if tls else None, limit=2**20)
        return _Connection(reader, writer)


@functools.lru_cache(maxsize=64)
def _split_url(url: str) -> tuple[str, str, int, str, str] | None:
    """(scheme, host, port, path?query, Host header) for plain http(s) URLs; None for anything else."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        return None
    default_port = 443 if parts.scheme == "https" else 80
    port = parts.port or default_port
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    authority = host if port == default_port else f"{host}:{port}"
    return parts.scheme, parts.hostname, port, path, authority


skip_missing_sniffio()
