"""The sandbox's side of CJ's order and logistics webhooks: signed POSTs to a configured URL.

Documented (CJ's "Webhook Mechanism" page and 08. Webhook): the envelope is ``{messageId, type,
messageType, openId, params}``; the header ``sign`` is Base64(HMAC-SHA256(raw body, key = the
seller's openId as a decimal string)); a reply other than HTTP 200 within 3 s is a failure,
retried 5 minutes later, up to 3 times, then dropped; fields without a value are ``null`` (the
sample payloads are full of them).

Chosen (guesses, docs/sandbox.md): logistics events travel as a JSON *string*, ``null`` when
there are none; the set-up test request has no ``type``, no ``messageType``, ``params: null``
and no ``sign`` header (whether CJ signs it is undocumented: the unsigned case is the harder one
for a receiver).
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
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

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
            "params": dict(params) if params else None,
        }
        if type_ is not None:
            envelope["type"] = type_
            envelope["messageType"] = message_type
        return message_id, json.dumps(envelope, separators=(",", ":")).encode("utf-8")

    async def post(
        self, body: bytes, *, sign_with: str | int | None = None, signed: bool = True
    ) -> int | None:
        """One POST; the HTTP status, or None when no answer came within 3 s."""
        headers = {"content-type": "application/json"}
        if signed:
            headers["sign"] = cj_sign(body, sign_with or self.open_id)
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
        signed: bool = True,
    ) -> Delivery:
        """Send like CJ: retry a failed message after 5 minutes, at most 3 times."""
        message_id, body = self.body(type_, params, message_type=message_type, message_id=message_id)
        delivery = Delivery(message_id)
        self.deliveries.append(delivery)
        for attempt in range(self.retries + 1):
            if attempt:
                await self._sleep(RETRY_DELAY_SECONDS)
            status = await self.post(body, sign_with=sign_with, signed=signed)
            delivery.statuses.append(status)
            if status == 200:
                break
        return delivery

    async def test_request(self, *, signed: bool = False) -> Delivery:
        """What CJ sends when the webhook is registered: no ``type``, no params, expects 200."""
        return await self.send(None, {}, signed=signed)

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
            "logisticName": None,
            "lastMileCarrier": None,
            "logisticsTrackEvents": json.dumps(list(events)) if events else None,  # a JSON string
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
            "createDate": None,
            "paymentDate": None,
            "orderItems": None,
        }
        return await self.send(ORDER, params, **kw)


# --- the sandbox's webhook settings (``POST webhook/set``) and its emitter ------------------------

TRACKING_BY_STATE = {"lost_in_transit": 13, "returned": 14}  # fixture state -> CJ tracking status


class SandboxWebhooks:
    """Where the sandbox sends (``urls`` by block, set by ``webhook/set``) and what it sent.

    ``probe`` is CJ's set-up test request; ``emit_tracking_troubles`` sends, once per order, the
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

    def point(self, block: str, url: str | None) -> None:
        """Send ``block``'s messages to ``url`` (None: stop), without CJ's checks: tests use it to aim
        the sandbox at a plain-HTTP loopback receiver. ``webhook/set`` goes through the account desk."""
        if url is None:
            self.urls.pop(block, None)
        else:
            self.urls[block] = url

    async def probe(self, url: str) -> Delivery:
        """CJ's set-up test request: one try, no retries (CJ reports a failed probe at set-up)."""
        async with WebhookSender(url, self.open_id, http=self._http, retries=0) as sender:
            delivery = await sender.test_request()
        self.deliveries.append(delivery)
        return delivery

    def _sender(self, url: str) -> WebhookSender:
        return WebhookSender(url, self.open_id, http=self._http, sleep=self._sleep)

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


def webhooks_for(state: Any) -> SandboxWebhooks:
    """The webhook settings of one sandbox state (its account desk's)."""
    hooks: SandboxWebhooks = state.account.webhooks
    return hooks
