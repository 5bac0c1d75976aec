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

from cj.sandbox.config import FaultRates, SandboxConfig
from cj.sandbox.faults import FaultSpec
from cj.sandbox.server import SandboxServer, SandboxStartError, SandboxThread, run_sandbox_in_thread

__all__ = [
    "FaultRates",
    "FaultSpec",
    "SandboxConfig",
    "SandboxServer",
    "SandboxStartError",
    "SandboxThread",
    "run_sandbox_in_thread",
]
