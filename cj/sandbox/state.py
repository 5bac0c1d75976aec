"""The sandbox's domain: one CJ account, as four desks that each own a concern.

    auth      the API key and tokens (cj/sandbox/auth.py)
    orders    orders and tracking (cj/sandbox/orders.py)
    disputes  the dispute endpoints and their decisions (cj/sandbox/disputes.py)
    account   quotas, settings, webhook settings (cj/sandbox/account.py)

Plain Python, no HTTP (importing this loads neither Starlette nor uvicorn): desks take validated
request models and return JSON-ready data (money as ``Decimal``) or raise
:class:`~cj.sandbox.errors.SandboxError`. Time comes from the
:class:`~cj.sandbox.clock.SandboxClock`; :meth:`SandboxState.tick` before reading decides disputes
that are due. Not thread-safe by itself: the runtime serialises access with one lock.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from cj.sandbox.account import AccountDesk
from cj.sandbox.auth import AuthDesk
from cj.sandbox.clock import SandboxClock
from cj.sandbox.config import SandboxConfig
from cj.sandbox.disputes import DisputeDesk
from cj.sandbox.fixtures import FixtureFile
from cj.sandbox.orders import OrderBook
from cj.sandbox.wire import iso_date


class SandboxState:
    def __init__(self, config: SandboxConfig, clock: SandboxClock, fixtures: FixtureFile) -> None:
        self.config = config
        self.clock = clock
        self.fixtures = fixtures
        self.auth = AuthDesk(config, clock, fixtures.account.openId)
        self.orders = OrderBook(fixtures, clock)
        self.disputes = DisputeDesk(config, clock, fixtures, self.orders)
        self.account = AccountDesk(config, clock, fixtures.account)
        self.calls: Counter[str] = Counter()

    def reset(self) -> None:
        """Back to the fixtures: no tokens, key valid, seeded disputes only, counters zero."""
        self.calls = Counter()
        self.auth.reset()
        self.orders.reset()
        self.disputes.reset()
        self.account.reset()

    def tick(self) -> None:
        self.disputes.tick()

    def dispute_records(self) -> list[dict[str, Any]]:
        """Every dispute the sandbox holds, with its lines and quantities (count disputes as CJ would)."""
        return [d.record() for d in self.disputes.disputes]

    def snapshot(self) -> dict[str, Any]:
        """Counts tests assert on ("exactly one dispute"); no tokens or keys."""
        disputes = self.disputes.disputes
        per_order: Counter[str] = Counter(d.order.orderId for d in disputes)
        open_per_order: Counter[str] = Counter(d.order.orderId for d in disputes if d.is_open)
        per_line: Counter[str] = Counter(
            f"{d.order.orderId}/{c.line.lineItemId}" for d in disputes for c in d.claims
        )
        return {
            "now": iso_date(self.clock.now()),
            "clockOffsetSeconds": self.clock.offset,
            "keyRevoked": self.auth.key_revoked,
            "liveAccessTokens": self.auth.live_access_tokens(),
            "disputesPerOrder": dict(per_order),
            "openDisputesPerOrder": dict(open_per_order),
            "disputesPerLine": dict(per_line),
            "calls": dict(self.calls),
            "quotaUsed": {f"{day} {path}": n for (day, path), n in self.account.quota_used.items()},
            "webhooks": dict(self.account.webhooks.urls),
            "disputes": self.dispute_records(),
        }
