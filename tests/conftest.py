"""Shared fixtures: a real CJ sandbox over HTTP on 127.0.0.1 (see docs/sandbox.md).

Stable contract for every test package:

``SANDBOX_API_KEY = "sandbox-key"``
    The API key the sandbox fixtures accept (``getAccessToken`` body ``{"apiKey": ...}``).

``sandbox`` (async, function-scoped)
    A started :class:`cj.sandbox.SandboxServer` with admin endpoints on, ``qps=1000`` and
    ``login_interval=0`` (tests never hit a limit unless they ask) and ``resolve_after=86400`` (disputes stay
    "Processing" until the test calls ``sandbox.advance(86400)``). Point a client at
    ``sandbox.base_url`` (``http://127.0.0.1:PORT/api2.0/v1/``). In-process control:
    ``sandbox.advance(s)``, ``expire_tokens()``, ``revoke_key()``, ``reset()``,
    ``add_faults({"fault": "drop_after_write", "path": "disputes/create"})``,
    ``set_fault_rates({...})``, ``clear_faults()``, ``snapshot()`` (disputes per order,
    calls per path). The same over HTTP under ``sandbox.root_url + "/_sandbox/..."``.

``sandbox_factory`` (async context manager factory)
    ``async with sandbox_factory(qps=1, clock=fake_clock) as server:`` starts a sandbox
    with the ``sandbox`` defaults overridden by any :class:`cj.sandbox.SandboxConfig` field.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx
import pytest

from cj.sandbox import SandboxConfig, SandboxServer

SANDBOX_API_KEY = "sandbox-key"
SANDBOX_DEFAULTS: dict[str, Any] = {
    "api_key": SANDBOX_API_KEY,
    "admin": True,
    "qps": 1000.0,
    "resolve_after": 86400.0,
    "login_interval": 0.0,  # like qps: no login throttle unless a test asks for it
}

SandboxFactory = Callable[..., AbstractAsyncContextManager[SandboxServer]]


@asynccontextmanager
async def _started(**overrides: Any) -> AsyncIterator[SandboxServer]:
    async with SandboxServer(SandboxConfig(**{**SANDBOX_DEFAULTS, **overrides})) as server:
        yield server


@pytest.fixture
async def sandbox() -> AsyncIterator[SandboxServer]:
    async with _started() as server:
        yield server


@pytest.fixture
def sandbox_factory() -> SandboxFactory:
    return _started


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    """One plain httpx client for a test's CJ client (the sandbox is on loopback)."""
    async with httpx.AsyncClient() as client:
        yield client
