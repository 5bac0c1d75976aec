"""One CJ account's authenticated channel: pacing, the access token, one HTTP exchange, the envelope.

A call is a success only when the HTTP status is 200 and the envelope's ``code`` is 200, or
the body has no ``code`` at all ("CJ API Docs: Development Documentation": "Success: HTTP
status 200 AND (code=200 OR no code field present)"). Everything else becomes one exception of
:mod:`cj.errors`, classified here from the code, the path and the HTTP status. CJ sends most
errors inside HTTP 200, often without ``result`` or ``data``; rate limits come as 1600200 in a
200 or as HTTP 429.

Waits are bounded: ``Retry-After`` is capped at a minute, and a rate-limit answer pauses the
account's other callers by at most :data:`cj.ratelimit.MAX_SHARED_DEFER_SECONDS`.

A used-up quota (1600201, 16900500, a daily-cap "Too Many Requests") is told to the operator
once per reset: one log line, and a ``cj.quota`` row in the audit log that ``alex check`` reads.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx

from cj.errors import (
    RATE_LIMIT_CODE,
    CJAuthError,
    CJError,
    CJParamError,
    CJQuotaExhausted,
    CJRateLimited,
    CJUnavailable,
    cap_wait,
    error_for_code,
)
from cj.models import AccessToken
from cj.ratelimit import Priority, RateLimiter
from cj.tokens import KEY_REFUSED_HINT, TokenManager
from cj.validation import garbled, parse
from store import Store
from store import audit as audit_log

log = logging.getLogger("cj.client")

TOKEN_HEADER = "CJ-Access-Token"
QUOTA_AUDIT_ACTION = "cj.quota"

Clock = Callable[[], float]


def retry_after_seconds(header: str | None, default: float) -> float:
    """``Retry-After`` as seconds (a number; an HTTP date or junk falls back), capped at a minute."""
    if header is None:
        return cap_wait(default)
    try:
        value = float(header.strip())
    except ValueError:
        return cap_wait(default)
    return cap_wait(max(default, value)) if value == value else cap_wait(default)


class Transport:
    """Sends requests for one account (``account`` is a hash, never the key)."""

    def __init__(
        self,
        api_key: str,
        *,
        account: str,
        base_url: str,
        http: httpx.AsyncClient,
        store: Store,
        limiter: RateLimiter,
        timeout: float,
        clock: Clock,
    ) -> None:
        self.base_url = base_url
        self.account = account
        self.http = http
        self.store = store
        self.limiter = limiter
        self.timeout = timeout
        self.clock = clock
        self.tokens = TokenManager(account, api_key, call=self.auth_call, store=store, clock=clock)
        self._quota_told: set[tuple[str | None, str]] = set()

    async def auth_call(self, path: str, body: dict[str, str]) -> AccessToken:
        data = await self.send("POST", path, body=body, token=None, priority=Priority.INTERACTIVE)
        return parse(AccessToken, data, path)

    async def authed(
        self, method: str, path: str, params: Mapping[str, Any] | None, body: Any, priority: Priority
    ) -> Any:
        """One call with the cached token; if CJ refuses the token, one more with a renewed one.

        1600100 also renews once (CJ's MCP server reads it as an expired token); if the renewal
        hands back the same token, the token was fine and the 1600100 stands.
        """
        token = await self.tokens.token()
        try:
            return await self.send(method, path, params=params, body=body, token=token, priority=priority)
        except CJAuthError as exc:
            log.info("CJ refused the access token on %s (code %s); renewing it once", path, exc.code)
            certain, first = True, exc
        except CJParamError as exc:
            if not exc.token_may_be_stale:
                raise
            log.info("CJ answered %s on %s; renewing the token once in case it expired", exc.code, path)
            certain, first = False, exc
        renewed = await self.tokens.replace(token, certain=certain)
        if renewed == token:
            raise first
        try:
            return await self.send(method, path, params=params, body=body, token=renewed, priority=priority)
        except CJAuthError as exc:
            self.tokens.forget()
            raise CJAuthError(
                f"CJ refused a freshly issued access token on {path} ({exc.message}): {KEY_REFUSED_HINT}",
                code=exc.code,
                request_id=exc.request_id,
                path=path,
            ) from None

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        token: str | None,
        priority: Priority,
    ) -> Any:
        """One HTTP exchange, paced by the limiter; returns the envelope's ``data`` or raises a CJError."""
        await self.limiter.acquire(priority)
        headers = {TOKEN_HEADER: token} if token is not None else {}
        started = time.perf_counter()
        try:
            response = await self.http.request(
                method, self.base_url + path, params=params, json=body, headers=headers, timeout=self.timeout
            )
        except httpx.TimeoutException:
            raise CJUnavailable(f"CJ did not answer {path} within {self.timeout:g} s", path=path) from None
        except httpx.TransportError as exc:
            raise CJUnavailable(f"could not reach CJ for {path} ({type(exc).__name__})", path=path) from None
        elapsed_ms = (time.perf_counter() - started) * 1000
        status = response.status_code
        if status >= 500:
            raise CJUnavailable(f"CJ answered HTTP {status} on {path}", path=path)
        envelope = _json(response.content)
        if status == 429:
            raise self._rate_limited(path, response, envelope)
        if not isinstance(envelope, dict):
            kind = "not JSON" if envelope is _NOT_JSON else "not a CJ envelope"
            raise garbled(f"CJ's reply to {path} is {kind} (HTTP {status})", path=path)
        request_id = envelope.get("requestId")
        request_id = str(request_id) if request_id is not None else None
        if "code" not in envelope:  # documented as a success when the HTTP status is 200
            if status != 200:
                raise garbled(f"CJ answered HTTP {status} without a code on {path}", path=path)
            return envelope.get("data")
        try:
            code = int(envelope["code"])
        except (TypeError, ValueError):
            raise garbled(f"CJ's reply to {path} has a non-numeric code", path=path) from None
        log.debug(
            "CJ %s %s -> HTTP %s code %s in %.0f ms (request %s)",
            method,
            path,
            status,
            code,
            elapsed_ms,
            request_id,
        )
        if code != 200:
            message = str(envelope.get("message") or "no message").strip()
            error = error_for_code(
                code,
                f"CJ {path}: {message}",
                request_id,
                path=path,
                http_status=status,
                retry_after=self.limiter.interval,
                now=self.clock(),
            )
            self._note(error)
            raise error
        if status != 200:
            raise garbled(f"CJ answered HTTP {status} with code 200 on {path}", path=path)
        if envelope.get("result") is False or envelope.get("success") is False:
            raise garbled(f"CJ answered code 200 but result false on {path}", path=path)
        return envelope.get("data")

    def _rate_limited(self, path: str, response: httpx.Response, envelope: Any) -> CJError:
        wait = retry_after_seconds(response.headers.get("Retry-After"), self.limiter.interval)
        message, code, request_id = "Too Many Requests", RATE_LIMIT_CODE, None
        if isinstance(envelope, dict):
            message = str(envelope.get("message") or message)
            request_id = str(envelope["requestId"]) if envelope.get("requestId") is not None else None
            try:
                code = int(envelope.get("code") or RATE_LIMIT_CODE)
            except (TypeError, ValueError):
                code = RATE_LIMIT_CODE
        error = error_for_code(
            code,
            f"CJ is rate limiting {path} (HTTP 429): {message}",
            request_id,
            path=path,
            http_status=429,
            retry_after=wait,
            now=self.clock(),
        )
        if isinstance(error, CJRateLimited):
            error.retry_after = wait
        self._note(error)
        return error

    def _note(self, error: CJError) -> None:
        """What every caller must know: slow down, or the quota is gone."""
        if isinstance(error, CJRateLimited):
            error.retry_after = cap_wait(max(error.retry_after, 1.0, self.limiter.interval))
            self.limiter.defer(error.retry_after)
        elif isinstance(error, CJQuotaExhausted):
            self._report_quota(error)

    def _report_quota(self, error: CJQuotaExhausted) -> None:
        until = error.resets_at.isoformat() if error.resets_at else "unknown"
        key = (error.path, until)
        if key in self._quota_told:
            return
        self._quota_told.add(key)
        guess = " (estimated: midnight in Beijing)" if error.estimated else ""
        log.warning(
            "CJ's API quota for this account is used up until %s%s (code %s on %s): "
            "calls to it fail until then",
            until,
            guess,
            error.code,
            error.path,
        )
        audit_log.record(
            self.store,
            actor="cj",
            action=QUOTA_AUDIT_ACTION,
            request={"path": error.path},
            result={
                "code": error.code,
                "resetsAt": until,
                "estimated": error.estimated,
                "message": error.message[:200],
            },
            ok=False,
            now=self.clock(),
        )


def quota_exhausted_until(store: Store, *, now: float | None = None) -> datetime | None:
    """When the last reported used-up quota resets, if that is still ahead (what ``alex check`` shows)."""
    entries = audit_log.recent(store, 1, action=QUOTA_AUDIT_ACTION)
    if not entries or not isinstance(entries[0].result, dict):
        return None
    try:
        until = datetime.fromisoformat(str(entries[0].result.get("resetsAt")))
    except ValueError:
        return None
    return until if until.timestamp() > (time.time() if now is None else now) else None


_NOT_JSON = object()


def _json(content: bytes) -> Any:
    try:
        return json.loads(content, parse_float=Decimal)  # money stays exact
    except ValueError:
        return _NOT_JSON
