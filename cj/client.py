"""The typed async CJ client: one method per endpoint Alex uses, every reply checked and parsed.

Each call goes: client-side validation (:class:`CJValidationError` before any
HTTP) → rate limiter (per account, by priority) → access token (cached,
refreshed, replaced once if CJ refuses it) → HTTP on the injected
``httpx.AsyncClient`` → envelope check (HTTP 200 *and* ``code`` 200) → pydantic
model (a wrong shape is :class:`CJProtocolError`, never a pydantic traceback).
Transient failures are retried by :mod:`cj.retry`; writes only where it is safe:
``create_dispute`` sends a deterministic ``businessDisputeId``, records it as an
idempotency key and looks for the dispute before every retry; ``cancel_dispute``
checks the dispute's status before trying again. Every write is audited.

Secrets (API key, tokens, openId) never reach a log line or an error message.
"""

from __future__ import annotations

import json
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, SecretStr, TypeAdapter, ValidationError

from cj.business_id import business_dispute_id
from cj.errors import (
    RATE_LIMIT_CODE,
    CJAuthError,
    CJBusinessError,
    CJError,
    CJProtocolError,
    CJRateLimited,
    CJUnavailable,
    CJValidationError,
    error_for_code,
)

__all__ = ["CJClient", "actor_label", "business_dispute_id"]
from cj.models import (
    AccessToken,
    AccountSettings,
    CancelDisputeRequest,
    CreateDisputeRequest,
    DisputeConfirmInfo,
    DisputeConfirmRequest,
    DisputeDetail,
    DisputePage,
    DisputeProducts,
    DisputeSummary,
    OrderDetail,
    OrderPage,
    OrderStatus,
    TrackInfo,
)
from cj.ratelimit import Priority, RateBudget, RateLimiter, limiter_for
from cj.retry import RetryPolicy, call_with_retry
from cj.tokens import KEY_REFUSED_HINT, TokenManager, account_id
from store import Store, idempotency, open_store
from store import audit as audit_log

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://developers.cjdropshipping.com/api2.0/v1/"
DEFAULT_TIMEOUT_SECONDS = 15.0
MAX_ID_LENGTH = 100
MAX_DISPUTE_PAGE_SIZE = 100
MAX_ORDER_PAGE_SIZE = 50
MAX_ORDER_IDS = 100
MAX_TRACK_NUMBERS = 100
LOOKUP_PAGE_SIZE = 50
LOOKUP_MAX_PAGES = 10
CANCELLED_MARKERS = ("cancel", "close", "withdraw")
WEBHOOK_BLOCKS = ("order", "logistics")
MAX_URL_LENGTH = 200

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[object]]

_TRACKS = TypeAdapter(list[TrackInfo])


def actor_label(actor: object) -> str | None:
    """Who to write in the audit log: a string as is, a conversation ``Actor`` as ``tg:user@chat``."""
    if actor is None or isinstance(actor, str):
        return actor
    user_id = getattr(actor, "user_id", None)
    if user_id is not None:
        chat_id = getattr(actor, "chat_id", None)
        return f"tg:{user_id}" + (f"@{chat_id}" if chat_id is not None and chat_id != user_id else "")
    return str(actor)


class CJClient:
    """A CJ account's API. Use ``async with`` or call :meth:`aclose`.

    ``http``, ``store``, ``clock``, ``sleep``, ``rng`` and ``limiter`` are seams: by
    default the client makes its own HTTP client and an in-memory store, and shares
    the process-wide limiter of the account.
    """

    def __init__(
        self,
        api_key: str | SecretStr,
        *,
        base_url: str = DEFAULT_BASE_URL,
        http: httpx.AsyncClient | None = None,
        store: Store | None = None,
        qps: float = 1.0,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        rng: random.Random | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        key = api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key
        if not key or not key.strip():
            raise CJValidationError("the CJ API key is empty: set CJ_API_KEY")
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.account = account_id(key, self.base_url)
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(timeout=timeout)
        self._owns_store = store is None
        self.store = store or open_store(None)
        self._clock: Clock = clock or time.time
        self._sleep = sleep
        self._timeout = timeout
        self.retry_policy = retry or RetryPolicy(rng=rng or random.Random())
        self.limiter = limiter or limiter_for(self.account, qps, clock=clock, sleep=sleep)
        self.tokens = TokenManager(
            self.account, key, call=self._auth_call, store=self.store, clock=self._clock
        )

    def __repr__(self) -> str:
        return f"CJClient(base_url={self.base_url!r}, account={self.account!r})"

    @classmethod
    def from_settings(
        cls,
        settings: Any,
        *,
        store: Store | None = None,
        http: httpx.AsyncClient | None = None,
        **kwargs: Any,
    ) -> CJClient:
        """Build from :class:`alex.settings.Settings` (``CJ_API_KEY`` must be set: call ``require`` first)."""
        return cls(
            settings.cj_api_key,
            base_url=settings.cj_base_url,
            qps=settings.cj_qps,
            timeout=settings.cj_timeout_seconds,
            store=store,
            http=http,
            **kwargs,
        )

    async def __aenter__(self) -> CJClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()
        if self._owns_store:
            self.store.close()

    def rate_budget(self) -> RateBudget:
        """The account's pacing, for background callers planning a sweep."""
        return self.limiter.budget()

    # --- authentication -----------------------------------------------------

    async def get_access_token(self, *, priority: Priority = Priority.INTERACTIVE) -> AccessToken:
        """The current token pair: the cached one, refreshed or fetched only when due."""
        record = await self._retrying(self.tokens.fetch, "authentication/getAccessToken")
        return _as_access_token(record)

    async def refresh_access_token(self, *, priority: Priority = Priority.INTERACTIVE) -> AccessToken:
        """Refresh now (falls back to a new token when the refresh token is refused)."""
        record = await self._retrying(self.tokens.refresh, "authentication/refreshAccessToken")
        return _as_access_token(record)

    async def logout(self, *, actor: object = None, priority: Priority = Priority.INTERACTIVE) -> bool:
        """End the cached tokens at CJ and forget them. False when there was nothing to log out."""
        record = self.tokens.current()
        if record is None:
            return False

        async def attempt() -> object:
            return await self._send(
                "POST", "authentication/logout", token=record.access_token, priority=priority
            )

        try:
            await self._retrying(attempt, "authentication/logout")
            result: dict[str, Any] = {"loggedOut": True}
        except CJAuthError:  # the token was already dead: the goal is reached
            result = {"loggedOut": True, "note": "token already refused"}
        except CJError as exc:
            self._audit(actor, "auth.logout", {}, _error_result(exc), ok=False)
            raise
        self.tokens.forget()
        self._audit(actor, "auth.logout", {}, result, ok=True)
        return True

    # --- disputes -----------------------------------------------------------

    async def dispute_products(
        self, order_id: str, *, priority: Priority = Priority.INTERACTIVE
    ) -> DisputeProducts:
        order_id = _require_id("order_id", order_id)
        data = await self._api(
            "GET", "disputes/disputeProducts", params={"orderId": order_id}, priority=priority
        )
        return _parse(DisputeProducts, data, "disputes/disputeProducts")

    async def dispute_confirm_info(
        self,
        order_id: str,
        product_info_list: Sequence[Mapping[str, Any] | BaseModel],
        *,
        priority: Priority = Priority.INTERACTIVE,
    ) -> DisputeConfirmInfo:
        """Pass the lines from :meth:`dispute_products` as received (change only ``quantity``)."""
        order_id = _require_id("order_id", order_id)
        lines = [_line_payload(line, i) for i, line in enumerate(product_info_list)]
        body = _validated(DisputeConfirmRequest, {"orderId": order_id, "productInfoList": lines})
        payload = body.model_dump(mode="json", by_alias=True)
        data = await self._api("POST", "disputes/disputeConfirmInfo", body=payload, priority=priority)
        return _parse(DisputeConfirmInfo, data, "disputes/disputeConfirmInfo")

    async def create_dispute(
        self,
        request: CreateDisputeRequest | Mapping[str, Any],
        *,
        actor: object = None,
        priority: Priority = Priority.INTERACTIVE,
    ) -> DisputeSummary:
        """Open a dispute and return it as CJ lists it. Safe to call again with the same request:
        the ``businessDisputeId`` is the idempotency key, and a dispute that already landed is returned."""
        req = (
            request
            if isinstance(request, CreateDisputeRequest)
            else _validated(CreateDisputeRequest, request)
        )
        payload = req.model_dump(mode="json", by_alias=True, exclude_none=True)
        key, order_id = req.businessDisputeId, req.orderId
        record = idempotency.get(self.store, key)
        if record is not None and record.state == idempotency.DONE:
            return DisputeSummary.model_validate(record.data["dispute"])
        if record is not None and record.kind == "dispute.create" and record.state == idempotency.PENDING:
            state = dict(record.data)
            resumed = True
        else:
            before = await self._dispute_ids(order_id, priority)
            state = {"orderId": order_id, "before": sorted(before), "accepted": False}
            idempotency.begin(self.store, key, "dispute.create", state, now=self._clock())
            resumed = False
        before_ids = set(state["before"])
        lines = frozenset(line.lineItemId for line in req.productInfoList)
        tries = 0

        async def attempt() -> DisputeSummary:
            nonlocal tries
            if resumed or tries:
                found = await self._new_dispute(order_id, before_ids, priority, lines)
                if found is not None:
                    return found
                if state["accepted"]:
                    raise CJUnavailable("CJ accepted the dispute but does not list it yet")
            tries += 1
            data = await self._authed_once("POST", "disputes/create", None, payload, priority)
            if data is False:
                raise CJBusinessError("CJ did not create the dispute (it answered false)")
            state["accepted"] = True
            idempotency.update(self.store, key, state, now=self._clock())
            found = await self._new_dispute(order_id, before_ids, priority, lines)
            if found is None:
                raise CJUnavailable("CJ accepted the dispute but does not list it yet")
            return found

        try:
            dispute = await self._retrying(attempt, "disputes/create")
        except CJError as exc:
            if tries > 1 or resumed:  # an earlier try may have landed after all (CJ refuses the duplicate id)
                found = await self._quiet_lookup(order_id, before_ids, priority, lines)
                if found is not None:
                    return self._create_done(key, state, found, payload, actor, tries)
            if not exc.retryable and not state["accepted"]:
                idempotency.fail(self.store, key, {**state, "error": _error_result(exc)}, now=self._clock())
            self._audit(actor, "dispute.create", payload, {**_error_result(exc), "tries": tries}, ok=False)
            raise
        return self._create_done(key, state, dispute, payload, actor, tries)

    async def cancel_dispute(
        self,
        order_id: str,
        dispute_id: str,
        *,
        actor: object = None,
        priority: Priority = Priority.INTERACTIVE,
    ) -> bool:
        """Cancel (close) a dispute. Before a retry the dispute's status is checked, so a cancel
        that landed without an answer is not sent twice."""
        req = _validated(
            CancelDisputeRequest,
            {
                "orderId": _require_id("order_id", order_id),
                "disputeId": _require_id("dispute_id", dispute_id),
            },
        )
        payload = req.model_dump(mode="json", by_alias=True)
        tries = 0

        async def attempt() -> bool:
            nonlocal tries
            if tries and await self._is_cancelled(req.disputeId, priority):
                return True
            tries += 1
            data = await self._authed_once("POST", "disputes/cancel", None, payload, priority)
            if data is False:
                raise CJBusinessError("CJ did not cancel the dispute (it answered false)")
            return True

        try:
            await self._retrying(attempt, "disputes/cancel")
        except CJError as exc:
            if (
                tries > 1
                and isinstance(exc, CJBusinessError)
                and await self._quiet_cancelled(req.disputeId, priority)
            ):
                self._audit(actor, "dispute.cancel", payload, {"cancelled": True, "tries": tries}, ok=True)
                return True
            self._audit(actor, "dispute.cancel", payload, {**_error_result(exc), "tries": tries}, ok=False)
            raise
        self._audit(actor, "dispute.cancel", payload, {"cancelled": True, "tries": tries}, ok=True)
        return True

    async def list_disputes(
        self,
        order_id: str | None = None,
        dispute_id: str | None = None,
        order_number: str | None = None,
        page_num: int = 1,
        page_size: int = 10,
        *,
        priority: Priority = Priority.INTERACTIVE,
    ) -> DisputePage:
        params: dict[str, Any] = {
            "pageNum": _require_range("page_num", page_num, 1, 10**6),
            "pageSize": _require_range("page_size", page_size, 1, MAX_DISPUTE_PAGE_SIZE),
        }
        for name, field, value in (
            ("order_id", "orderId", order_id),
            ("dispute_id", "disputeId", dispute_id),
            ("order_number", "orderNumber", order_number),
        ):
            if value is not None:
                params[field] = _require_id(name, value)
        data = await self._api("GET", "disputes/getDisputeList", params=params, priority=priority)
        return _parse(DisputePage, data if data is not None else {}, "disputes/getDisputeList")

    async def dispute_detail(
        self, dispute_id: str, *, priority: Priority = Priority.INTERACTIVE
    ) -> DisputeDetail:
        dispute_id = _require_id("dispute_id", dispute_id)
        data = await self._api(
            "GET", "disputes/getDisputeDetail", params={"disputeId": dispute_id}, priority=priority
        )
        return _parse(DisputeDetail, data, "disputes/getDisputeDetail")

    # --- orders, logistics, account -----------------------------------------

    async def list_orders(
        self,
        status: str | None = None,
        page_num: int = 1,
        page_size: int = 20,
        order_ids: Sequence[str] | None = None,
        *,
        priority: Priority = Priority.INTERACTIVE,
    ) -> OrderPage:
        params: dict[str, Any] = {
            "pageNum": _require_range("page_num", page_num, 1, 10**6),
            "pageSize": _require_range("page_size", page_size, 1, MAX_ORDER_PAGE_SIZE),
        }
        if status is not None:
            wanted = status.strip().upper()
            if wanted not in OrderStatus.ALL:
                raise CJValidationError(f"status must be one of {', '.join(OrderStatus.ALL)}, not {status!r}")
            params["status"] = wanted
        if order_ids is not None:
            ids = [
                _require_id("order_ids", i)
                for i in ([order_ids] if isinstance(order_ids, str) else order_ids)
            ]
            if not ids or len(ids) > MAX_ORDER_IDS:
                raise CJValidationError(f"order_ids must hold 1 to {MAX_ORDER_IDS} ids")
            params["orderIds"] = ids
        data = await self._api("GET", "shopping/order/list", params=params, priority=priority)
        return _parse(OrderPage, data if data is not None else {}, "shopping/order/list")

    async def order_detail(self, order_id: str, *, priority: Priority = Priority.INTERACTIVE) -> OrderDetail:
        order_id = _require_id("order_id", order_id)
        data = await self._api(
            "GET", "shopping/order/getOrderDetail", params={"orderId": order_id}, priority=priority
        )
        return _parse(OrderDetail, data, "shopping/order/getOrderDetail")

    async def track_info(
        self, track_numbers: str | Sequence[str], *, priority: Priority = Priority.INTERACTIVE
    ) -> list[TrackInfo]:
        numbers = [track_numbers] if isinstance(track_numbers, str) else list(track_numbers)
        numbers = [_require_id("track_numbers", n) for n in numbers]
        if not numbers or len(numbers) > MAX_TRACK_NUMBERS:
            raise CJValidationError(f"track_numbers must hold 1 to {MAX_TRACK_NUMBERS} numbers")
        data = await self._api(
            "GET", "logistic/trackInfo", params={"trackNumber": numbers}, priority=priority
        )
        return _parse_with(_TRACKS, data if data is not None else [], "logistic/trackInfo")

    async def account_settings(self, *, priority: Priority = Priority.INTERACTIVE) -> AccountSettings:
        data = await self._api("GET", "setting/get", priority=priority)
        return _parse(AccountSettings, data, "setting/get")

    async def webhook_set(
        self, url: str | None, *, actor: object = None, priority: Priority = Priority.INTERACTIVE
    ) -> bool:
        """Point CJ's order and logistics webhooks at ``url`` (public HTTPS), or switch them off (None).

        Setting the same configuration twice is harmless, so this write is retried like a read.
        CJ sends a test request to the URL while setting it and wants HTTP 200 back.
        """
        if url is None:
            blocks = {name: {"type": "CANCEL", "callbackUrls": []} for name in WEBHOOK_BLOCKS}
        else:
            url = url.strip()
            if not url.startswith("https://") or len(url) > MAX_URL_LENGTH or " " in url:
                raise CJValidationError(
                    f"the webhook URL must be a public https:// URL of at most {MAX_URL_LENGTH} characters"
                )
            blocks = {name: {"type": "ENABLE", "callbackUrls": [url]} for name in WEBHOOK_BLOCKS}
        try:
            data = await self._api("POST", "webhook/set", body=blocks, priority=priority)
            if data is False:
                raise CJBusinessError("CJ did not set the webhook (it answered false)")
        except CJError as exc:
            self._audit(actor, "webhook.set", blocks, _error_result(exc), ok=False)
            raise
        self._audit(actor, "webhook.set", blocks, {"set": True}, ok=True)
        return True

    # --- plumbing -----------------------------------------------------------

    async def _retrying(self, operation: Callable[[], Awaitable[T]], what: str) -> T:
        return await call_with_retry(operation, self.retry_policy, sleep=self._sleep, what=what)

    async def _api(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        priority: Priority = Priority.INTERACTIVE,
    ) -> Any:
        """An authenticated call with retries of transient failures (reads and idempotent writes only)."""
        return await self._retrying(lambda: self._authed_once(method, path, params, body, priority), path)

    async def _authed_once(
        self, method: str, path: str, params: Mapping[str, Any] | None, body: Any, priority: Priority
    ) -> Any:
        """One call with the cached token; if CJ refuses the token, one more with a renewed one."""
        token = await self.tokens.token()
        try:
            return await self._send(method, path, params=params, body=body, token=token, priority=priority)
        except CJAuthError as exc:
            log.info("CJ refused the access token on %s (code %s); renewing it once", path, exc.code)
        token = await self.tokens.replace(token)
        try:
            return await self._send(method, path, params=params, body=body, token=token, priority=priority)
        except CJAuthError as exc:
            self.tokens.forget()
            raise CJAuthError(
                f"CJ refused a freshly issued access token on {path} ({exc.message}): {KEY_REFUSED_HINT}",
                code=exc.code,
                request_id=exc.request_id,
            ) from None

    async def _auth_call(self, path: str, body: dict[str, str]) -> AccessToken:
        data = await self._send("POST", path, body=body, token=None, priority=Priority.INTERACTIVE)
        return _parse(AccessToken, data, path)

    async def _send(
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
        headers = {"CJ-Access-Token": token} if token is not None else {}
        started = time.perf_counter()
        try:
            response = await self._http.request(
                method, self.base_url + path, params=params, json=body, headers=headers, timeout=self._timeout
            )
        except httpx.TimeoutException:
            raise CJUnavailable(f"CJ did not answer {path} within {self._timeout:g} s") from None
        except httpx.TransportError as exc:
            raise CJUnavailable(f"could not reach CJ for {path} ({type(exc).__name__})") from None
        elapsed_ms = (time.perf_counter() - started) * 1000
        if response.status_code == 429:
            wait = _retry_after(response.headers.get("Retry-After"), self.limiter.interval)
            self.limiter.defer(wait)
            raise CJRateLimited(f"CJ is rate limiting {path} (HTTP 429)", retry_after=wait)
        if response.status_code >= 500:
            raise CJUnavailable(f"CJ answered HTTP {response.status_code} on {path}")
        try:
            envelope = json.loads(response.content, parse_float=Decimal)  # money stays exact
        except ValueError:
            raise _garbled(f"CJ's reply to {path} is not JSON (HTTP {response.status_code})") from None
        if not isinstance(envelope, dict) or "code" not in envelope:
            raise _garbled(f"CJ's reply to {path} is not a CJ envelope (HTTP {response.status_code})")
        try:
            code = int(envelope["code"])
        except (TypeError, ValueError):
            raise _garbled(f"CJ's reply to {path} has a non-numeric code") from None
        request_id = envelope.get("requestId")
        request_id = str(request_id) if request_id is not None else None
        log.debug(
            "CJ %s %s -> HTTP %s code %s in %.0f ms (request %s)",
            method,
            path,
            response.status_code,
            code,
            elapsed_ms,
            request_id,
        )
        if code != 200:
            message = str(envelope.get("message") or "no message").strip()
            error = error_for_code(code, f"CJ {path}: {message}", request_id, path=path, now=self._clock())
            if code == RATE_LIMIT_CODE and isinstance(error, CJRateLimited):
                error.retry_after = max(1.0, self.limiter.interval)
                self.limiter.defer(error.retry_after)
            raise error
        if response.status_code != 200:
            raise _garbled(f"CJ answered HTTP {response.status_code} with code 200 on {path}")
        return envelope.get("data")

    async def _dispute_ids(self, order_id: str, priority: Priority) -> set[str]:
        return {d.id for d in await self._disputes_of(order_id, priority)}

    async def _disputes_of(self, order_id: str, priority: Priority) -> list[DisputeSummary]:
        found: list[DisputeSummary] = []
        for page_num in range(1, LOOKUP_MAX_PAGES + 1):
            page = await self.list_disputes(
                order_id=order_id, page_num=page_num, page_size=LOOKUP_PAGE_SIZE, priority=priority
            )
            found.extend(page.items)
            if not page.items or len(found) >= page.total or len(page.items) < LOOKUP_PAGE_SIZE:
                break
        return found

    async def _new_dispute(
        self, order_id: str, before: set[str], priority: Priority, lines: frozenset[str] = frozenset()
    ) -> DisputeSummary | None:
        """The dispute on ``order_id`` that was not there before our first try. CJ does not echo
        ``businessDisputeId``, so among several new ones (someone used the website meanwhile) prefer
        those listing our lines, then the newest."""
        fresh = [d for d in await self._disputes_of(order_id, priority) if d.id not in before]
        if fresh:
            oldest = datetime.min.replace(tzinfo=UTC)
            ours = [d for d in fresh if lines & {p.lineItemId for p in d.productList if p.lineItemId}]
            return max(ours or fresh, key=lambda d: d.createDate or oldest)
        detail = await self.order_detail(order_id, priority=priority)
        if detail.disputeId and detail.disputeId not in before:
            page = await self.list_disputes(dispute_id=detail.disputeId, priority=priority)
            match = [d for d in page.items if d.id == detail.disputeId]
            return match[0] if match else DisputeSummary(id=detail.disputeId, orderId=order_id)
        return None

    async def _quiet_lookup(
        self, order_id: str, before: set[str], priority: Priority, lines: frozenset[str]
    ) -> DisputeSummary | None:
        try:
            return await self._retrying(
                lambda: self._new_dispute(order_id, before, priority, lines), "dispute lookup"
            )
        except CJError:
            return None

    async def _is_cancelled(self, dispute_id: str, priority: Priority) -> bool:
        detail = await self.dispute_detail(dispute_id, priority=priority)
        status = (detail.status or "").lower()
        return any(marker in status for marker in CANCELLED_MARKERS)

    async def _quiet_cancelled(self, dispute_id: str, priority: Priority) -> bool:
        try:
            return await self._is_cancelled(dispute_id, priority)
        except CJError:
            return False

    def _create_done(
        self,
        key: str,
        state: dict[str, Any],
        dispute: DisputeSummary,
        payload: dict[str, Any],
        actor: object,
        tries: int,
    ) -> DisputeSummary:
        summary = dispute.model_dump(mode="json", by_alias=True)
        idempotency.complete(self.store, key, {**state, "dispute": summary}, now=self._clock())
        self._audit(actor, "dispute.create", payload, {"disputeId": dispute.id, "tries": tries}, ok=True)
        return dispute

    def _audit(self, actor: object, action: str, request: Any, result: Any, *, ok: bool) -> None:
        audit_log.record(
            self.store,
            actor=actor_label(actor),
            action=action,
            request=request,
            result=result,
            ok=ok,
            now=self._clock(),
        )


# --- helpers ------------------------------------------------------------------


def _as_access_token(record: Any) -> AccessToken:
    return AccessToken(
        openId=record.open_id,
        accessToken=record.access_token,
        accessTokenExpiryDate=datetime.fromtimestamp(record.access_expires_at, tz=UTC),
        refreshToken=record.refresh_token,
        refreshTokenExpiryDate=datetime.fromtimestamp(record.refresh_expires_at, tz=UTC),
    )


def _error_result(exc: CJError) -> dict[str, Any]:
    return {
        "error": type(exc).__name__,
        "code": exc.code,
        "message": exc.message,
        "requestId": exc.request_id,
    }


def _retry_after(header: str | None, default: float) -> float:
    try:
        value = float(header) if header is not None else default
    except ValueError:
        value = default
    return max(default, value) if math.isfinite(value) else default


def _require_id(name: str, value: object) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise CJValidationError(f"{name} must be text, not {type(value).__name__}")
    text = str(value).strip()
    if not text:
        raise CJValidationError(f"{name} is empty")
    if len(text) > MAX_ID_LENGTH:
        raise CJValidationError(f"{name} is longer than {MAX_ID_LENGTH} characters")
    return text


def _require_range(name: str, value: object, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise CJValidationError(f"{name} must be a whole number from {low} to {high}")
    return value


def _line_payload(line: Mapping[str, Any] | BaseModel, index: int) -> dict[str, Any]:
    """A ``productInfoList`` entry as CJ wants it back: unchanged, but checked."""
    if isinstance(line, BaseModel):
        data = line.model_dump(mode="json", by_alias=True, exclude_unset=True)
    elif isinstance(line, Mapping):
        data = dict(line)
    else:
        raise CJValidationError(
            f"product_info_list[{index}] must be a product line, not {type(line).__name__}"
        )
    _require_id(f"product_info_list[{index}].lineItemId", data.get("lineItemId"))
    quantity = data.get("quantity")
    try:
        ok = int(str(quantity)) >= 1
    except ValueError:
        ok = False
    if not ok:
        raise CJValidationError(f"product_info_list[{index}].quantity must be a whole number of at least 1")
    return data


def _validated(model: type[M], data: Any) -> M:
    """Client-side validation: pydantic's verdict as one CJValidationError naming the fields."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise CJValidationError(f"invalid {model.__name__}: {_describe(exc)}") from None


def _garbled(message: str) -> CJProtocolError:
    """A reply Alex cannot read is an operator matter even when the seller retries: log it once here.
    The message names paths and fields only, never values (a garbled token reply stays secret)."""
    log.warning("%s", message)
    return CJProtocolError(message)


def _parse(model: type[M], data: Any, path: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _garbled(f"CJ's reply to {path} has an unexpected shape: {_describe(exc)}") from None


def _parse_with(adapter: TypeAdapter[Any], data: Any, path: str) -> Any:
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        raise _garbled(f"CJ's reply to {path} has an unexpected shape: {_describe(exc)}") from None


def _describe(exc: ValidationError, limit: int = 3) -> str:
    """Field paths and reasons only: input values may be secrets (tokens) and stay out."""
    parts = []
    for error in exc.errors(include_input=False, include_url=False)[:limit]:
        where = ".".join(str(p) for p in error["loc"]) or "data"
        parts.append(f"{where}: {error['msg']}")
    more = exc.error_count() - limit
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")
