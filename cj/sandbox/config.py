"""How a sandbox behaves: key, limits, time, fixtures and fault rates, with named defaults."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_FIXTURES = Path(__file__).resolve().parents[2] / "data" / "sandbox_orders.json"
DEFAULT_QPS = 1.0  # a free CJ account
DEFAULT_RESOLVE_AFTER = 300.0  # seconds until CJ "decides" a new dispute
ACCESS_TOKEN_TTL = timedelta(days=15)
REFRESH_TOKEN_TTL = timedelta(days=180)
DEFAULT_LATENCY_SECONDS = 2.0
DEFAULT_DAILY_QUOTA = 1000  # calls per interface per day for unverified users (Access Frequency Restrictions)
DEFAULT_LOGIN_INTERVAL = 1.0  # getAccessToken: newer docs 1/s (older: "Once every 5 minutes", i.e. 300)
DEFAULT_REFRESHES_PER_MINUTE = 5  # refreshAccessToken: "5 times per minute"
DEFAULT_DISPUTE_PAGE_MAX = 50  # getDisputeList pageSize: CJ's MCP server never asks for more (a guess)
# How a used-up daily quota answers: 1600201 "Quota has been used up" (global error table), the limits
# page's "Too Many Requests" (1600200, HTTP 429), or 16900500 "Insufficient API points" (seen in the wild).
QuotaReply = Literal["quota_code", "too_many_requests", "api_points"]
# Guesses (CJ documents neither): may a second dispute be opened while one is open on the order, and
# what does a repeated ``businessDisputeId`` do? The defaults are the kind readings; the hardening
# tests run the worst ones, where only the client stands between a retry and a duplicate dispute.
OpenDisputes = Literal["one_per_order", "allow_overlap"]
RepeatedBusinessId = Literal["answer_true", "open_another"]

FAULT_NAMES = (
    "latency",  # wait, then answer normally
    "http_5xx",  # HTTP 503 with an HTML body, nothing done
    "rate_limited",  # code 1600200 inside HTTP 200, nothing done
    "http_429",  # HTTP 429, nothing done
    "busy",  # code 1600000 "system busy", nothing done
    "drop_after_write",  # the call takes effect, the connection closes without an answer
    "drop_before_write",  # the connection closes, nothing done
    "garbled_after_write",  # the call takes effect, the answer is HTML in an HTTP 200
    "latency_after_write",  # the call takes effect, the answer waits ``seconds`` (a kill lands mid-request)
)


class FaultRates(BaseModel):
    """Random faults: each API call draws once per fault name (seeded, so runs repeat)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    latency: float = Field(default=0.0, ge=0, le=1)
    http_5xx: float = Field(default=0.0, ge=0, le=1)
    rate_limited: float = Field(default=0.0, ge=0, le=1)
    http_429: float = Field(default=0.0, ge=0, le=1)
    busy: float = Field(default=0.0, ge=0, le=1)
    drop_after_write: float = Field(default=0.0, ge=0, le=1)
    drop_before_write: float = Field(default=0.0, ge=0, le=1)
    garbled_after_write: float = Field(default=0.0, ge=0, le=1)
    latency_after_write: float = Field(default=0.0, ge=0, le=1)
    seed: int = 0
    latency_seconds: float = Field(default=DEFAULT_LATENCY_SECONDS, ge=0, le=600)


class SandboxConfig(BaseModel):
    """Everything a :class:`~cj.sandbox.server.SandboxServer` needs; overrides go through ``model_copy``."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    api_key: str = Field(min_length=1)
    host: str = "127.0.0.1"
    port: int = Field(default=0, ge=0, le=65535)
    qps: float = Field(default=DEFAULT_QPS, gt=0)
    resolve_after: float = Field(default=DEFAULT_RESOLVE_AFTER, ge=0)
    admin: bool = False
    fixtures_path: Path = DEFAULT_FIXTURES
    daily_quota: int | None = Field(default=None, ge=1)  # None: quotas reported but not enforced
    quota_reply: QuotaReply = "quota_code"
    login_interval: float = Field(default=DEFAULT_LOGIN_INTERVAL, ge=0)  # seconds between getAccessToken
    refreshes_per_minute: int = Field(default=DEFAULT_REFRESHES_PER_MINUTE, ge=1)
    dispute_page_max: int = Field(default=DEFAULT_DISPUTE_PAGE_MAX, ge=1)
    # An expired access token: 1600001 (Global Error Codes) or 1600100, which CJ's own MCP server
    # also reads as expired (src/api-client/http-client.ts). Both readings, so the client meets both.
    expired_token_code: Literal[1600001, 1600100] = 1600001
    open_disputes: OpenDisputes = "one_per_order"
    repeated_business_id: RepeatedBusinessId = "answer_true"
    # CJ refuses localhost/127.0.0.1 (1607001) and plain http (1607002) webhook URLs; tests on loopback
    # allow them here. CJ's set-up probe must get HTTP 200 either way (1607003).
    webhook_loopback_ok: bool = False
    webhook_http_ok: bool = False
    faults: FaultRates = FaultRates()
    # Time: ``clock`` is a monotonic source in seconds (tests pass a fake); ``start_time`` is the
    # wall time at start-up (default: now), from which fixture dates ("shipped 75 days ago") are drawn.
    clock: Callable[[], float] | None = None
    start_time: datetime | None = None
    access_token_ttl: timedelta = ACCESS_TOKEN_TTL
    refresh_token_ttl: timedelta = REFRESH_TOKEN_TTL
