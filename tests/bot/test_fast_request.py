"""bot.http.FastRequest: the Bot API client under the Application, against raw loopback servers.

The end-to-end bot tests already run every call through it against the fake Bot API; these pin
the edges a fake server does not produce: chunked bodies, keep-alive reuse, timeouts, refused and
truncated connections, TLS verification, a busy pool, cancellation, and PTB's error mapping.
"""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.http import FastRequest

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
OK_CHUNKED = (
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    b'5\r\n{"ok"\r\n9\r\n:true,"re\r\nb\r\nsult":true}\r\n0\r\n\r\n'
)
DATA = RequestData([RequestParameter("chat_id", 1, []), RequestParameter("text", "héllo & x", [])])


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
    )
    return head + await reader.readexactly(length)


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Awaitable[int]]]:
    servers: list[asyncio.Server] = []
    writers: list[asyncio.StreamWriter] = []

    async def start(handler: Handler, tls: ssl.SSLContext | None = None) -> int:
        async def closing(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writers.append(writer)
            try:
                await handler(reader, writer)
            finally:
                writer.close()

        server = await asyncio.start_server(closing, "127.0.0.1", 0, ssl=tls)
        servers.append(server)
        return int(server.sockets[0].getsockname()[1])

    yield start
    for writer in writers:
        writer.close()
    for server in servers:
        server.close()
        await server.wait_closed()


@pytest.fixture
async def request_() -> AsyncIterator[FastRequest]:
    req = FastRequest(2, read_timeout=2.0, pool_timeout=0.2)
    await req.initialize()
    yield req
    await req.shutdown()


async def test_chunked_replies_on_one_kept_alive_connection(serve, request_: FastRequest) -> None:
    seen: list[bytes] = []
    connections = 0

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        while True:
            try:
                seen.append(await _read_request(reader))
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            writer.write(OK_CHUNKED)
            await writer.drain()

    port = await serve(handler)
    for _ in range(3):
        assert await request_.post(f"http://127.0.0.1:{port}/botX/sendMessage", DATA) is True
    assert connections == 1 and len(seen) == 3
    head, _, body = seen[0].partition(b"\r\n\r\n")
    assert head.startswith(b"POST /botX/sendMessage HTTP/1.1\r\n")
    assert b"Content-Type: application/x-www-form-urlencoded" in head
    assert body == b"chat_id=1&text=h%C3%A9llo+%26+x"


async def test_a_slow_reply_times_out(serve, request_: FastRequest) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(5)

    port = await serve(handler)
    with pytest.raises(TimedOut):
        await request_.post(f"http://127.0.0.1:{port}/botX/sendMessage", DATA, read_timeout=0.2)


async def test_refused_and_truncated_connections_are_network_errors(serve, request_: FastRequest) -> None:
    async def truncated(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{"ok"')
        await writer.drain()
        writer.close()

    port = await serve(truncated)
    with pytest.raises(NetworkError):
        await request_.post(f"http://127.0.0.1:{port}/botX/sendMessage", DATA)
    with pytest.raises(NetworkError):
        await request_.post("http://127.0.0.1:9/botX/sendMessage", DATA)


async def test_bot_api_errors_keep_ptb_mapping(serve, request_: FastRequest) -> None:
    async def bad(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        body = b'{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}'
        writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        await writer.drain()

    port = await serve(bad)
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await request_.post(f"http://127.0.0.1:{port}/botX/sendMessage", DATA)


async def test_busy_pool_times_out_and_a_cancelled_call_frees_its_slot(serve) -> None:
    async def slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        await asyncio.sleep(0.5)
        writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 23\r\n\r\n{"ok":true,"result":1}\n')
        await writer.drain()

    port = await serve(slow)
    url = f"http://127.0.0.1:{port}/botX/getMe"
    req = FastRequest(1, pool_timeout=0.1)
    await req.initialize()
    try:
        first, second = await asyncio.gather(req.post(url), req.post(url), return_exceptions=True)
        assert first == 1 and isinstance(second, TimedOut)
        task = asyncio.ensure_future(req.post(url))
        await asyncio.sleep(0.1)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        assert await req.post(url) == 1  # the cancelled call's slot and connection were released
    finally:
        await req.shutdown()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
async def test_tls_certificates_are_verified(serve, request_: FastRequest, tmp_path: Path) -> None:
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=localhost"],
        capture_output=True, check=True, timeout=60,
    )
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await _read_request(reader)
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            return
        writer.write(OK_CHUNKED)

    port = await serve(handler, tls)
    with pytest.raises(NetworkError):  # self-signed: refused, never sent
        await request_.post(f"https://localhost:{port}/botX/sendMessage", DATA)
