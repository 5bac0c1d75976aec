"""The HTTP client under python-telegram-bot, tuned for many chats at once.

Two costs in httpx/httpcore grow with load and are cut here, without changing behaviour:

* httpcore tries ``import sniffio`` on every request; when sniffio is not installed each failed
  import searches ``sys.path`` again. The absence is recorded once (httpcore then assumes
  asyncio, which is what runs).
* Before each request and after each response httpcore asks every idle pooled connection
  whether the server closed it; through anyio that builds an attribute table per connection
  per check. :class:`_FastStream` answers from the socket it remembered at connect time.

TLS verification is unchanged (one verified context per process, certifi's CA bundle).
"""

from __future__ import annotations

import asyncio
import functools
import ssl
import sys
import typing

import certifi
import httpcore
import httpx
from telegram.request import HTTPXRequest

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


skip_missing_sniffio()
