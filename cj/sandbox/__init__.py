"""A CJ API 2.0 sandbox: a real HTTP server on loopback that speaks CJ's protocol.

Same paths, envelopes, error codes and QPS limit as CJ, seeded orders
(``data/sandbox_orders.json``), a dispute life cycle on an advanceable clock, and fault
injection. The demo and every test run against it. See ``docs/sandbox.md``.

    async with SandboxServer(SandboxConfig(api_key="k", admin=True)) as server:
        server.base_url           # http://127.0.0.1:PORT/api2.0/v1/
        server.advance(3600)      # an hour later: disputes due are decided

    handle = run_sandbox_in_thread(SandboxConfig(api_key="k"))   # sync callers
    handle.base_url; handle.stop()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cj.sandbox.config import FaultRates, SandboxConfig
from cj.sandbox.faults import FaultSpec

if TYPE_CHECKING:
    from cj.sandbox.server import SandboxServer, SandboxStartError, SandboxThread, run_sandbox_in_thread

_SERVER_NAMES = {"SandboxServer", "SandboxStartError", "SandboxThread", "run_sandbox_in_thread"}

__all__ = [
    "FaultRates",
    "FaultSpec",
    "SandboxConfig",
    "SandboxServer",
    "SandboxStartError",
    "SandboxThread",
    "run_sandbox_in_thread",
]


def __getattr__(name: str) -> Any:
    """The server (uvicorn, Starlette) loads only when asked for: ``cj.sandbox.state`` and the
    other domain modules import without them."""
    if name in _SERVER_NAMES:
        from cj.sandbox import server

        return getattr(server, name)
    raise AttributeError(f"module 'cj.sandbox' has no attribute {name!r}")
