"""The typed async CJ client: one method per endpoint Alex uses, every reply checked and parsed.

Each call goes: client-side validation (:mod:`cj.validation`, :class:`CJValidationError`
before any HTTP) → :class:`~cj.transport.Transport` (rate limiter by priority, cached access
token renewed once if CJ refuses it, one HTTP exchange, the envelope, the exception) → pydantic
model. Transient failures are retried by :mod:`cj.retry`; writes only where it is safe:
``create_dispute`` is :mod:`cj.create` (a deterministic ``businessDisputeId`` as idempotency key,
and a lookup that only ever takes the seller's own dispute); ``cancel_dispute`` checks the
dispute's status before trying again. Every write is audited.

The client needs a :class:`~store.Store`: idempotency keys, tokens and the audit trail live
there. There is no silent in-memory default (a caller that forgot the store would lose
idempotency across restarts); pass ``open_store(None)`` to choose an in-memory one knowingly.

Secrets (API key, tokens, openId) never reach a log line or an error message.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, SecretStr, TypeAdapter

from cj.business_id import business_dispute_id
from cj.create import DisputeCreation
from cj.errors import (
    CJAuthError,
    CJBusinessError,
    CJError,
    CJNotFound,
    CJValidationError,
)
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
from cj.tokens import TokenManager, account_id
from cj.transport import Transport
from cj.validation import line_payload, parse, parse_with, require_id, require_range, validated
from store import Store
from store import audit as audit_log

__all__ = ["CJClient", "actor_label", "business_dispute_id"]

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://developers.cjdropshipping.com/api2.0/v1/"
DEFAULT_TIMEOUT_SECONDS = 15.0
MAX_DISPUTE_PAGE_SIZE = (
    50  # CJ's own MCP server caps getDisputeList at 50 (src/mcp-server/tools/dispute.tool.ts)
)
MAX_ORDER_PAGE_SIZE = 50  # the same cap for shopping/order/list (src/mcp-server/tools/order.tool.ts)
MAX_ORDER_IDS = 100  # orderIds: string[], length 100 (05. Shopping §1.6)
MAX_TRACK_NUMBERS = 100
LOOKUP_PAGE_SIZE = 50
LOOKUP_MAX_PAGES = 10
CANCELLED_MARKERS = ("cancel", "close", "withdraw")
ENABLED_BLOCKS = ("order", "logistics")  # what Alex listens to
OTHER_BLOCKS = ("product", "stock")  # required by webhook/set too (08. Webhook): sent as CANCEL
MAX_URL_LENGTH = 200
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

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

    ``store`` is required. ``http``, ``clock``, ``sleep``, ``rng`` and ``limiter`` are seams: by
    default the client makes its own HTTP client and shares the process-wide limiter of the account.
    """

    def __init__(
        self,
        api_key: str | SecretStr,
        *,
        store: Store,
        base_url: str = DEFAULT_BASE_URL,
        http: httpx.AsyncClient | None = None,
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
        if store is None:
            raise ValueError(
                "CJClient needs a store (idempotency keys, tokens, audit): pass store.open_store(path), "
                "or open_store(None) for an in-memory one"
            )
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.account = account_id(key, self.base_url)
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(timeout=timeout)
        self.store = store
        self._clock: Clock = clock or time.time
        self._sleep = sleep
        self.retry_policy = retry or RetryPolicy(rng=rng or random.Random())
        self.limiter = limiter or limiter_for(self.account, qps, clock=clock, sleep=sleep)
        self.transport = Transport(
            key,
            account=self.account,
            base_url=self.base_url,
            http=self._http,
            store=store,
            limiter=self.limiter,
            timeout=timeout,
            clock=self._clock,
        )

    def __repr__(self) -> str:
        return f"CJClient(base_url={self.base_url!r}, account={self.account!r})"

    @property
    def tokens(self) -> TokenManager:
        return self.transport.tokens

    @classmethod
    def from_settings(
        cls, settings: Any, *, store: Store, http: httpx.AsyncClient | None = None, **kwargs: Any
    ) -> CJClient:
        """Build from settings with ``cj_api_key``, ``cj_base_url``, ``cj_qps``, ``cj_timeout_seconds``
        (``alex.settings.Settings`` has them; ``CJ_API_KEY`` must be set)."""
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
            return await self.transport.send(
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
        order_id = require_id("order_id", order_id)
        data = await self._api(
            "GET", "disputes/disputeProducts", params={"orderId": order_id}, priority=priority
        )
        return parse(DisputeProducts, data, "disputes/disputeProducts")

    async def dispute_confirm_info(
        self,
        order_id: str,
        product_info_list: Sequence[Mapping[str, Any] | BaseModel],
        *,
        priority: Priority = Priority.INTERACTIVE,
    ) -> DisputeConfirmInfo:
        """Pass the lines from :meth:`dispute_products` as received (change only ``quantity``)."""
        order_id = require_id("order_id", order_id)
        lines = [line_payload(line, i) for i, line in enumerate(product_info_list)]
        body = validated(DisputeConfirmRequest, {"orderId": order_id, "productInfoList": lines})
        payload = body.model_dump(mode="json", by_alias=True)
        data = await self._api("POST", "disputes/disputeConfirmInfo", body=payload, priority=priority)
        return parse(DisputeConfirmInfo, data, "disputes/disputeConfirmInfo")

    async def create_dispute(
        self,
        request: CreateDisputeRequest | Mapping[str, Any],
        *,
        actor: object = None,
        priority: Priority = Priority.INTERACTIVE,
        no_prior_disputes: bool = False,
    ) -> DisputeSummary:
        """Open a dispute and return it as CJ lists it. Safe to call again with the same request.

        ``no_prior_disputes``: the caller saw CJ's order detail report no dispute on this order
        (``disputeId`` empty), so the list of disputes before the attempt is not asked for.
        Raises :class:`~cj.errors.CJForeignDispute` when CJ refused because another dispute was
        opened on the order meanwhile.
        """
        req = (
            request if isinstance(request, CreateDisputeRequest) else validated(CreateDisputeRequest, request)
        )
        payload = req.model_dump(mode="json", by_alias=True, exclude_none=True)

        async def send(body: dict[str, Any], prio: Priority) -> Any:
            return await self.transport.authed("POST", "disputes/create", None, body, prio)

        creation = DisputeCreation(
            store=self.store,
            clock=self._clock,
            list_order_disputes=self._disputes_of,
            send_create=send,
            retrying=self._retrying,
        )
        try:
            dispute = await creation.run(req, priority, no_prior_disputes=no_prior_disputes)
        except CJError as exc:
            self._audit(
                actor, "dispute.create", payload, {**_error_result(exc), "tries": creation.tries}, ok=False
            )
            raise
        if creation.completed:  # a replay of a finished create is not a new write
            result = {"disputeId": dispute.id, "tries": creation.tries}
            self._audit(actor, "dispute.create", payload, result, ok=True)
        return dispute

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
        req = validated(
            CancelDisputeRequest,
            {"orderId": require_id("order_id", order_id), "disputeId": require_id("dispute_id", dispute_id)},
        )
        payload = req.model_dump(mode="json", by_alias=True)
        tries = 0

        async def attempt() -> bool:
            nonlocal tries
            if tries and await self._is_cancelled(req.disputeId, priority):
                return True
            tries += 1
            data = await self.transport.authed("POST", "disputes/cancel", None, payload, priority)
            if data is False:
                raise CJBusinessError(
                    "CJ did not cancel the dispute (it answered false)", path="disputes/cancel"
                )
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
        """``getDisputeList``. ``dispute_id`` is typed integer in CJ's docs while dispute ids are
        ``SH…``: only a numeric id is sent; look an ``SH…`` id up with :meth:`dispute_detail`, or
        list the disputes of its order."""
        params: dict[str, Any] = {
            "pageNum": require_range("page_num", page_num, 1, 10**6),
            "pageSize": require_range("page_size", page_size, 1, MAX_DISPUTE_PAGE_SIZE),
        }
        if dispute_id is not None and not require_id("dispute_id", dispute_id).isdecimal():
            raise CJValidationError(
                "getDisputeList's disputeId is an integer in CJ's docs: look SH… ids up with dispute_detail"
            )
        for name, cj_field, value in (
            ("order_id", "orderId", order_id),
            ("dispute_id", "disputeId", dispute_id),
            ("order_number", "orderNumber", order_number),
        ):
            if value is not None:
                params[cj_field] = require_id(name, value)
        data = await self._api("GET", "disputes/getDisputeList", params=params, priority=priority)
        return parse(DisputePage, data if data is not None else {}, "disputes/getDisputeList")

    async def dispute_detail(
        self, dispute_id: str, *, priority: Priority = Priority.INTERACTIVE
    ) -> DisputeDetail:
        dispute_id = require_id("dispute_id", dispute_id)
        data = await self._api(
            "GET", "disputes/getDisputeDetail", params={"disputeId": dispute_id}, priority=priority
        )
        if data is None:  # a success with nothing in it: no such dispute
            raise CJNotFound(
                f"CJ lists no dispute {dispute_id}", what="dispute", path="disputes/getDisputeDetail"
            )
        return parse(DisputeDetail, data, "disputes/getDisputeDetail")

    async def disputes_of_order(
        self, order_id: str, *, priority: Priority = Priority.INTERACTIVE
    ) -> list[DisputeSummary]:
        """Every dispute CJ lists on ``order_id`` (pages of 50, at most 10 pages)."""
        return await self._disputes_of(require_id("order_id", order_id), priority)

    # --- orders, logistics, account -----------------------------------------

    async def list_orders(
        self,
        status: str,
        page_num: int = 1,
        page_size: int = 20,
        order_ids: Sequence[str] | None = None,
        *,
        priority: Priority = Priority.INTERACTIVE,
    ) -> OrderPage:
        """``shopping/order/list`` for one ``status``: CJ applies ``status`` always and defaults it
        to CANCELLED (05. Shopping §1.6), so the client always sends it."""
        params: dict[str, Any] = {
            "pageNum": require_range("page_num", page_num, 1, 10**6),
            "pageSize": require_range("page_size", page_size, 1, MAX_ORDER_PAGE_SIZE),
        }
        wanted = str(status or "").strip().upper()
        if wanted not in OrderStatus.ALL:
            raise CJValidationError(f"status must be one of {', '.join(OrderStatus.ALL)}, not {status!r}")
        params["status"] = wanted
        if order_ids is not None:
            ids = [
                require_id("order_ids", i) for i in ([order_ids] if isinstance(order_ids, str) else order_ids)
            ]
            if not ids or len(ids) > MAX_ORDER_IDS:
                raise CJValidationError(f"order_ids must hold 1 to {MAX_ORDER_IDS} ids")
            params["orderIds"] = ids
        data = await self._api("GET", "shopping/order/list", params=params, priority=priority)
        return parse(OrderPage, data if data is not None else {}, "shopping/order/list")

    async def order_detail(self, order_id: str, *, priority: Priority = Priority.INTERACTIVE) -> OrderDetail:
        order_id = require_id("order_id", order_id)
        data = await self._api(
            "GET", "shopping/order/getOrderDetail", params={"orderId": order_id}, priority=priority
        )
        if data is None:
            raise CJNotFound(
                f"CJ lists no order {order_id}", what="order", path="shopping/order/getOrderDetail"
            )
        return parse(OrderDetail, data, "shopping/order/getOrderDetail")

    async def track_info(
        self, track_numbers: str | Sequence[str], *, priority: Priority = Priority.INTERACTIVE
    ) -> list[TrackInfo]:
        numbers = [track_numbers] if isinstance(track_numbers, str) else list(track_numbers)
        numbers = [require_id("track_numbers", n) for n in numbers]
        if not numbers or len(numbers) > MAX_TRACK_NUMBERS:
            raise CJValidationError(f"track_numbers must hold 1 to {MAX_TRACK_NUMBERS} numbers")
        data = await self._api(
            "GET", "logistic/trackInfo", params={"trackNumber": numbers}, priority=priority
        )
        return parse_with(_TRACKS, data if data is not None else [], "logistic/trackInfo")

    async def account_settings(self, *, priority: Priority = Priority.INTERACTIVE) -> AccountSettings:
        data = await self._api("GET", "setting/get", priority=priority)
        return parse(AccountSettings, data, "setting/get")

    async def webhook_set(
        self,
        url: str | None,
        *,
        actor: object = None,
        priority: Priority = Priority.INTERACTIVE,
        current_url: str | None = None,
    ) -> bool:
        """Point CJ's order and logistics webhooks at ``url`` (public HTTPS), or switch them off (None).

        CJ's webhook/set marks all four blocks (``product``, ``stock``, ``order``, ``logistics``)
        required, each ``{"type": "ENABLE"|"CANCEL", "callbackUrls": [one https URL]}`` (08. Webhook;
        older copies say ``ALL`` for ``ENABLE``; CJ's MCP server sends ``ENABLE``). Alex enables
        order and logistics and cancels product and stock. Switching off sends CANCEL for all four
        with the registered URL: ``current_url``, else the one ``setting/get`` reports.
        CJ probes the URL while setting it and wants HTTP 200 back (1607003 otherwise).
        Setting the same configuration twice is harmless, so this write is retried like a read.
        """
        if url is not None:
            target = _webhook_url(url)
            blocks = {name: {"type": "ENABLE", "callbackUrls": [target]} for name in ENABLED_BLOCKS}
            blocks.update({name: {"type": "CANCEL", "callbackUrls": [target]} for name in OTHER_BLOCKS})
        else:
            target = _webhook_url(current_url) if current_url else await self._registered_webhook(priority)
            blocks = {
                name: {"type": "CANCEL", "callbackUrls": [target]}
                for name in (*OTHER_BLOCKS, *ENABLED_BLOCKS)
            }
        try:
            data = await self._api("POST", "webhook/set", body=blocks, priority=priority)
            if data is False:
                raise CJBusinessError("CJ did not set the webhook (it answered false)", path="webhook/set")
        except CJError as exc:
            self._audit(actor, "webhook.set", blocks, _error_result(exc), ok=False)
            raise
        self._audit(actor, "webhook.set", blocks, {"set": True}, ok=True)
        return True

    async def _registered_webhook(self, priority: Priority) -> str:
        account = await self.account_settings(priority=priority)
        callback = account.callback or {}
        for name in (*ENABLED_BLOCKS, *OTHER_BLOCKS):
            urls = callback.get(f"{name}CallbackUrls") or []
            if isinstance(urls, list) and urls and isinstance(urls[0], str):
                return _webhook_url(urls[0])
        raise CJValidationError(
            "CJ reports no webhook URL to switch off; give the registered URL (alex cj webhook cancel URL)"
        )

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
        return await self._retrying(lambda: self.transport.authed(method, path, params, body, priority), path)

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

    async def _is_cancelled(self, dispute_id: str, priority: Priority) -> bool:
        detail = await self.dispute_detail(dispute_id, priority=priority)
        status = (detail.status or "").lower()
        return any(marker in status for marker in CANCELLED_MARKERS)

    async def _quiet_cancelled(self, dispute_id: str, priority: Priority) -> bool:
        try:
            return await self._is_cancelled(dispute_id, priority)
        except CJError:
            return False

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


def _webhook_url(url: str) -> str:
    """A public ``https://`` URL (CJ refuses others: 1607002). Plain ``http://`` only on loopback,
    which CJ refuses anyway (1607001): a sandbox configured to allow it is the one taker."""
    target = url.strip()
    parts = urlsplit(target)
    loopback_http = parts.scheme == "http" and (parts.hostname or "") in LOOPBACK_HOSTS
    if (parts.scheme != "https" and not loopback_http) or len(target) > MAX_URL_LENGTH or " " in target:
        raise CJValidationError(
            f"the webhook URL must be a public https:// URL of at most {MAX_URL_LENGTH} characters"
        )
    return target


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
