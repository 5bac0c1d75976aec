"""The sandbox's side of CJ's order and logistics webhooks: signed POSTs to a configured URL.

It behaves like CJ (CJ_API_NOTES.md, "Webhooks"): the envelope is ``{messageId, type,
messageType, openId, params}``; logistics events travel as a JSON *string*; the header
``sign`` is Base64(HMAC-SHA256(raw body, key = the seller's openId as a decimal string));
a reply other than HTTP 200 within 3 s counts as a failure and is retried 5 minutes later,
up to 3 times, then dropped. Registration sends a test request without ``type``.
Signing lives here on purpose, apart from the notifier's verifier: the two sides agree only
through the wire format, as with the real CJ.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import itertools
import json
import weakref
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field

REPLY_TIMEOUT_SECONDS = 3.0
RETRY_DELAY_SECONDS = 300.0
MAX_RETRIES = 3

LOGISTIC = "LOGISTIC"
ORDER = "ORDER"


def cj_sign(body: bytes, open_id: str | int) -> str:
    return base64.b64encode(hmac.new(str(open_id).encode(), body, hashlib.sha256).digest()).decode("ascii")


@dataclass
class Delivery:
    """What happened to one message: its id, every HTTP status seen (None: no answer in time)."""

    message_id: str
    statuses: list[int | None] = field(default_factory=list)

    @property
    def delivered(self) -> bool:
        return bool(self.statuses) and self.statuses[-1] == 200


class WebhookSender:
    """Posts signed webhook messages to ``url`` as the sandbox account ``open_id``.

    ``sleep`` is the wait between retries (inject a fake one in tests); ``sign_with`` lets a
    test forge a signature with another key.
    """

    def __init__(
        self,
        url: str,
        open_id: str | int,
        *,
        http: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[object]] | None = None,
        retries: int = MAX_RETRIES,
    ) -> None:
        self.url = url
        self.open_id = str(open_id)
        self._http = http or httpx.AsyncClient(timeout=REPLY_TIMEOUT_SECONDS)
        self._owns_http = http is None
        self._sleep = sleep or asyncio.sleep
        self.retries = retries
        self._ids = itertools.count(1)
        self.deliveries: list[Delivery] = []

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> WebhookSender:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def new_message_id(self) -> str:
        return f"sandbox-{next(self._ids):08d}"

    def body(
        self,
        type_: str | None,
        params: Mapping[str, Any],
        *,
        message_type: str = "UPDATE",
        message_id: str | None = None,
    ) -> tuple[str, bytes]:
        message_id = message_id or self.new_message_id()
        envelope: dict[str, Any] = {
            "messageId": message_id,
            "openId": int(self.open_id),
            "params": dict(params),
        }
        if type_ is not None:
            envelope["type"] = type_
            envelope["messageType"] = message_type
        return message_id, json.dumps(envelope, separators=(",", ":")).encode("utf-8")

    async def post(self, body: bytes, *, sign_with: str | int | None = None) -> int | None:
        """One POST; the HTTP status, or None when no answer came within 3 s."""
        headers = {"content-type": "application/json", "sign": cj_sign(body, sign_with or self.open_id)}
        try:
            reply = await self._http.post(
                self.url, content=body, headers=headers, timeout=REPLY_TIMEOUT_SECONDS
            )
        except httpx.HTTPError:
            return None
        return reply.status_code

    async def send(
        self,
        type_: str | None,
        params: Mapping[str, Any],
        *,
        message_type: str = "UPDATE",
        message_id: str | None = None,
        sign_with: str | int | None = None,
    ) -> Delivery:
        """Send like CJ: retry a failed message after 5 minutes, at most 3 times."""
        message_id, body = self.body(type_, params, message_type=message_type, message_id=message_id)
        delivery = Delivery(message_id)
        self.deliveries.append(delivery)
        for attempt in range(self.retries + 1):
            if attempt:
                await self._sleep(RETRY_DELAY_SECONDS)
            status = await self.post(body, sign_with=sign_with)
            delivery.statuses.append(status)
            if status == 200:
                break
        return delivery

    async def test_request(self) -> Delivery:
        """What CJ sends when the webhook is registered: no ``type``, expects 200."""
        return await self.send(None, {})

    async def logistic(
        self,
        order_id: str,
        tracking_number: str,
        tracking_status: int,
        events: Sequence[Mapping[str, Any]] = (),
        **kw: Any,
    ) -> Delivery:
        params = {
            "orderId": order_id,
            "trackingNumber": tracking_number,
            "trackingStatus": tracking_status,
            "logisticsTrackEvents": json.dumps(list(events)),  # CJ sends a JSON string
        }
        return await self.send(LOGISTIC, params, **kw)

    async def order(
        self,
        cj_order_id: str,
        order_number: str | None,
        order_status: str,
        *,
        track_number: str | None = None,
        logistic_name: str | None = None,
        **kw: Any,
    ) -> Delivery:
        params = {
            "cjOrderId": cj_order_id,
            "orderNumber": order_number,
            "orderStatus": order_status,
            "trackNumber": track_number,
            "logisticName": logistic_name,
        }
        return await self.send(ORDER, params, **kw)


# --- the sandbox's webhook settings (``POST webhook/set``) and its emitter ------------------------

TRACKING_BY_STATE = {"lost_in_transit": 13, "returned": 14}  # fixture state -> CJ tracking status


class CallbackBlock(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: Literal["ENABLE", "CANCEL"]
    callbackUrls: list[str] = Field(default_factory=list, max_length=1)  # CJ: one URL


class WebhookSetBody(BaseModel):
    """``webhook/set``: one block per message family; only order and logistics matter here."""

    model_config = ConfigDict(extra="allow")

    order: CallbackBlock | None = None
    logistics: CallbackBlock | None = None
    product: CallbackBlock | None = None
    stock: CallbackBlock | None = None


class SandboxWebhooks:
    """What the sandbox remembers from ``webhook/set`` and what it sends.

    ``configure`` is synchronous (the sandbox runs endpoints under its lock) and schedules CJ's
    test request on the running loop; ``emit_tracking_troubles`` sends, once per order, the
    LOGISTIC message a real carrier would cause for the fixtures' lost and returned parcels.
    """

    def __init__(
        self,
        open_id: str | int,
        *,
        http: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[object]] | None = None,
    ) -> None:
        self.open_id = str(open_id)
        self.urls: dict[str, str] = {}
        self._http = http
        self._sleep = sleep
        self.emitted: set[str] = set()
        self.deliveries: list[Delivery] = []
        self._tasks: set[asyncio.Task[Delivery]] = set()

    def configure(self, body: WebhookSetBody) -> bool:
        for name in ("order", "logistics", "product", "stock"):
            block: CallbackBlock | None = getattr(body, name)
            if block is None:
                continue
            if block.type == "CANCEL":
                self.urls.pop(name, None)
                continue
            if not block.callbackUrls or not block.callbackUrls[0].startswith(("https://", "http://")):
                raise ValueError(f"{name}.callbackUrls must hold one http(s) URL")
            self.urls[name] = block.callbackUrls[0]
        for url in sorted(set(self.urls.values())):
            self._spawn(self._probe(url))
        return True

    async def _probe(self, url: str) -> Delivery:
        """CJ's set-up test request: one try, no retries (CJ reports a failed probe at set-up)."""
        async with WebhookSender(url, self.open_id, http=self._http, retries=0) as sender:
            return await sender.test_request()

    def _sender(self, url: str) -> WebhookSender:
        return WebhookSender(url, self.open_id, http=self._http, sleep=self._sleep)

    def _spawn(self, coroutine: Awaitable[Delivery]) -> None:
        try:
            task = asyncio.get_running_loop().create_task(coroutine)  # type: ignore[arg-type]
        except RuntimeError:  # no loop (a synchronous caller): nothing to send with
            getattr(coroutine, "close", lambda: None)()
            return
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Delivery]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is None:
            self.deliveries.append(task.result())

    async def drain(self) -> None:
        """Wait for the messages in flight (tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def emit_tracking_troubles(self, orders: Sequence[Any]) -> list[Delivery]:
        """LOGISTIC 13 (abnormal) / 14 (returned) for fixture orders in those states, each sent once."""
        url = self.urls.get("logistics")
        if url is None:
            return []
        sent: list[Delivery] = []
        async with self._sender(url) as sender:
            for order in orders:
                status = TRACKING_BY_STATE.get(str(getattr(order, "state", "")))
                if status is None or order.orderId in self.emitted:
                    continue
                self.emitted.add(order.orderId)
                delivery = await sender.logistic(order.orderId, order.trackNumber or "", status)
                sent.append(delivery)
        self.deliveries.extend(sent)
        return sent


_REGISTRY: weakref.WeakKeyDictionary[Any, SandboxWebhooks] = weakref.WeakKeyDictionary()


def webhooks_for(state: Any) -> SandboxWebhooks:
    """The webhook settings of one sandbox state (created on first use, signed with its account's openId)."""
    hooks = _REGISTRY.get(state)
    if hooks is None:
        hooks = _REGISTRY[state] = SandboxWebhooks(state.fixtures.account.openId)
    return hooks
