"""Run the sandbox on loopback with uvicorn: in the caller's event loop, or in a thread for sync code.

``SandboxServer`` binds its own socket first (port 0 means a free port, known before any
request), serves with uvicorn's h11 protocol and no lifespan, and leaves signal handling
to its owner (``alex sandbox`` stops on SIGINT/SIGTERM) so tests and the demo keep Ctrl-C.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from types import TracebackType
from typing import Any

import uvicorn

from cj.sandbox.app import build_app
from cj.sandbox.config import FaultRates, SandboxConfig
from cj.sandbox.faults import FaultSpec
from cj.sandbox.runtime import Sandbox

SHUTDOWN_POLL_SECONDS = 0.005
SHUTDOWN_GRACE_SECONDS = 2.0


class SandboxStartError(RuntimeError):
    """The server could not bind or start (port taken, bad host)."""


class _DropNoise(logging.Filter):
    """Hide uvicorn's complaint about the responses we cut on purpose (fault drop_after_write)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "returned without completing response" not in record.getMessage()


logging.getLogger("uvicorn.error").addFilter(_DropNoise())


class SandboxServer:
    """A CJ API sandbox on ``127.0.0.1``. ``base_url`` ends with ``/api2.0/v1/``.

    The Python API (``reset``, ``advance``, ``expire_tokens``, ``revoke_key``, ``add_faults``,
    ``set_fault_rates``, ``clear_faults``, ``snapshot``) does what the ``/_sandbox`` admin
    endpoints do, in-process and thread-safe.
    """

    def __init__(self, config: SandboxConfig | None = None, /, **overrides: Any) -> None:
        if config is None:
            config = SandboxConfig(**overrides)
        elif overrides:
            config = SandboxConfig(**{**dict(config), **overrides})
        self.config = config
        self.sandbox = Sandbox(config)
        self.app = build_app(self.sandbox)
        self._server: uvicorn.Server | None = None
        self._sock: socket.socket | None = None
        self._port: int | None = None
        self._stopped = asyncio.Event()

    # --- life cycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Bind and serve. Uses uvicorn's ``startup``/``shutdown`` without its main loop, whose
        0.1 s ticks and fixed 0.1 s shutdown pause would cost every test a quarter second."""
        if self._server is not None:
            raise SandboxStartError("sandbox already started")
        # proto=IPPROTO_TCP: asyncio sets TCP_NODELAY only on such sockets; without it every reply
        # waits ~40 ms for a delayed ACK (Nagle) between its header and body writes.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.config.host, self.config.port))
        except OSError as exc:
            sock.close()
            where = f"{self.config.host}:{self.config.port}"
            raise SandboxStartError(f"cannot listen on {where}: {exc.strerror}") from None
        uv_config = uvicorn.Config(
            self.app,
            lifespan="off",
            log_config=None,
            access_log=False,
            http="h11",
            ws="none",
            server_header=False,
        )
        uv_config.load()
        server = uvicorn.Server(uv_config)
        server.lifespan = uv_config.lifespan_class(uv_config)
        try:
            await server.startup(sockets=[sock])
        except BaseException:
            sock.close()
            raise
        if server.should_exit:
            sock.close()
            raise SandboxStartError("sandbox failed to start (see the log)")
        self._server, self._sock, self._port = server, sock, sock.getsockname()[1]
        self._stopped.clear()

    async def stop(self) -> None:
        """Stop accepting, let in-flight requests finish (up to a grace period), close everything."""
        server, sock = self._server, self._sock
        if server is None or sock is None:
            return
        self._server = self._sock = None
        for listener in server.servers:
            listener.close()
        for connection in list(server.server_state.connections):
            connection.shutdown()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SHUTDOWN_GRACE_SECONDS
        while (server.server_state.connections or server.server_state.tasks) and loop.time() < deadline:
            await asyncio.sleep(SHUTDOWN_POLL_SECONDS)
        for task in list(server.server_state.tasks):
            task.cancel()
        for connection in list(server.server_state.connections):
            transport = getattr(connection, "transport", None)
            if transport is not None:
                transport.close()
        for listener in server.servers:
            await listener.wait_closed()
        sock.close()
        self._stopped.set()

    async def wait_closed(self) -> None:
        """Return once :meth:`stop` has finished."""
        await self._stopped.wait()

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    # --- addresses --------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise SandboxStartError("sandbox not started")
        return self._port

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:PORT`` (admin endpoints live under ``/_sandbox/``)."""
        return f"http://{self.config.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/api2.0/v1/"

    # --- in-process control (same as /_sandbox) ---------------------------------------------

    def reset(self) -> None:
        self.sandbox.reset()

    def advance(self, seconds: float) -> None:
        self.sandbox.advance(seconds)

    def expire_tokens(self) -> None:
        self.sandbox.expire_tokens()

    def revoke_key(self) -> None:
        self.sandbox.revoke_key()

    def exhaust_quota(self) -> None:
        """Every interface's daily quota is used up from now on (answered per ``quota_reply``)."""
        self.sandbox.exhaust_quota()

    def add_faults(self, *specs: FaultSpec | dict[str, Any]) -> None:
        self.sandbox.add_faults(*specs)

    def set_fault_rates(self, rates: FaultRates | dict[str, Any]) -> None:
        self.sandbox.set_fault_rates(rates)

    def clear_faults(self) -> None:
        self.sandbox.clear_faults()

    def snapshot(self) -> dict[str, Any]:
        return self.sandbox.snapshot()

    def disputes(self) -> list[dict[str, Any]]:
        """Every dispute held (``GET /_sandbox/disputes``): id, orderId, channel, businessDisputeId,
        lines as ``[{"lineItemId", "quantity"}]``, status. Count duplicates with it as CJ would."""
        return self.sandbox.disputes()

    def open_website_dispute(
        self, order_id: str, lines: list[dict[str, Any]], reason_id: int | None = None
    ) -> dict[str, Any]:
        """A dispute opened on CJ's website meanwhile (``POST /_sandbox/disputes``)."""
        return self.sandbox.open_website_dispute(order_id, lines, reason_id)


class SandboxThread:
    """A sandbox served from its own thread and event loop, for synchronous callers (the demo)."""

    def __init__(self, config: SandboxConfig) -> None:
        self.server = SandboxServer(config)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="cj-sandbox", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self.server.start())
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            self._loop.close()
            return
        self._ready.set()
        try:
            self._loop.run_forever()  # until stop() has stopped the server and then the loop
        finally:
            self._loop.run_until_complete(self._loop.shutdown_asyncgens())
            self._loop.close()

    def start(self) -> SandboxThread:
        """Serve from the thread; returns once the port is bound (or raises SandboxStartError)."""
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            raise SandboxStartError(str(self._error)) from self._error
        return self

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def root_url(self) -> str:
        return self.server.root_url

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        try:
            asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result()
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()

    def __enter__(self) -> SandboxThread:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def run_sandbox_in_thread(config: SandboxConfig) -> SandboxThread:
    """Start a sandbox on a free loopback port in a background thread; call ``.stop()`` when done."""
    return SandboxThread(config).start()
