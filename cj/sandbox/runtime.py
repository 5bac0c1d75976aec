"""One running sandbox: the domain state plus the things around it (clock, QPS limiter, faults).

The HTTP layer and the in-process Python API both go through this object, under one lock,
so a test thread and the server thread never see half an update.
"""

from __future__ import annotations

import threading
from typing import Any

from cj.sandbox.clock import SandboxClock
from cj.sandbox.config import FaultRates, SandboxConfig
from cj.sandbox.faults import FaultPlan, FaultSpec
from cj.sandbox.fixtures import load_fixtures
from cj.sandbox.ratelimit import QpsLimiter
from cj.sandbox.requests import ProductLine
from cj.sandbox.state import SandboxState


class Sandbox:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.lock = threading.RLock()
        self.clock = SandboxClock(config.clock, config.start_time)
        self.state = SandboxState(config, self.clock, load_fixtures(config.fixtures_path))
        self.limiter = QpsLimiter(config.qps, self.clock.monotonic)
        self.faults = FaultPlan(config.faults)

    def reset(self) -> None:
        """Fixtures reloaded, tokens and counters gone, faults cleared, key valid. Time keeps going."""
        with self.lock:
            self.state.reset()
            self.limiter.reset()
            self.faults.clear()
            self.faults.set_rates(self.config.faults)

    def advance(self, seconds: float) -> None:
        with self.lock:
            self.clock.advance(seconds)
            self.state.tick()

    def expire_tokens(self) -> None:
        with self.lock:
            self.state.auth.expire_tokens()

    def revoke_key(self) -> None:
        with self.lock:
            self.state.auth.revoke_key()

    def open_website_dispute(
        self, order_id: str, lines: list[dict[str, Any]], reason_id: int | None = None
    ) -> dict[str, Any]:
        """A dispute opened on CJ's website (by the seller or a teammate): no businessDisputeId."""
        wanted = [ProductLine.model_validate(line) for line in lines]
        with self.lock:
            self.state.tick()
            return self.state.disputes.open_on_website(order_id, wanted, reason_id).record()

    def disputes(self) -> list[dict[str, Any]]:
        """Every dispute held, with ``orderId`` and ``lines`` (lineItemId, quantity): what CJ would count."""
        with self.lock:
            self.state.tick()
            return self.state.dispute_records()

    def exhaust_quota(self) -> None:
        with self.lock:
            self.state.account.quota_exhausted = True

    def add_faults(self, *specs: FaultSpec | dict[str, Any]) -> None:
        self.faults.enqueue(*(s if isinstance(s, FaultSpec) else FaultSpec.model_validate(s) for s in specs))

    def set_fault_rates(self, rates: FaultRates | dict[str, Any]) -> None:
        self.faults.set_rates(rates if isinstance(rates, FaultRates) else FaultRates.model_validate(rates))

    def clear_faults(self) -> None:
        self.faults.clear()

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            self.state.tick()
            snap = self.state.snapshot()
        snap["pendingFaults"] = [s.model_dump() for s in self.faults.pending()]
        snap["faultRates"] = self.faults.rates.model_dump()
        return snap
