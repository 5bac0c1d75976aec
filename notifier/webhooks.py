"""CJ order and logistics webhooks: verify, queue, acknowledge; process later from the queue.

CJ signs each request: header ``sign`` = Base64(HMAC-SHA256(raw body, key = the seller's
openId as a decimal string)). The signature is checked on the raw bytes *before* any parsing;
a forged or malformed request is refused and logged with its size only, never its body.
A verified message is stored under its ``messageId`` (a repeat is acknowledged and dropped)
and answered at once: CJ wants HTTP 200 within 3 s, and pauses every message when half fail.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from cj.models import IdStr
from notifier.clock import Clock
from notifier.errors import WebhookRejected
from store import webhook_messages
from store.db import Store

log = logging.getLogger(__name__)

CJ_WEBHOOK_PATH = "/webhooks/cj"  # where Alex serves CJ's webhooks (notifier.webhook_app)
SIGN_HEADER = "sign"
MAX_BODY_BYTES = 1_000_000


def sign(body: bytes, open_id: str) -> str:
    """CJ's signature of ``body``: what the sandbox sends and what :func:`verify` expects."""
    digest = hmac.new(str(open_id).encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify(body: bytes, signature: str | None, open_ids: Iterable[str]) -> bool:
    """True when ``signature`` matches ``body`` under one of the accounts' openIds (constant time)."""
    if not signature:
        return False
    given = signature.strip().encode("ascii", "replace")
    ok = False
    for open_id in open_ids:
        if open_id and hmac.compare_digest(sign(body, open_id).encode("ascii"), given):
            ok = True
    return ok


class WebhookEnvelope(BaseModel):
    """``{messageId, type, messageType, openId, params}``; CJ's setup test request has no ``type``."""

    model_config = ConfigDict(extra="allow", frozen=True)

    messageId: IdStr | None = None
    type: str | None = None
    messageType: str | None = None
    openId: IdStr | None = None
    params: dict[str, Any] = {}

    @field_validator("params", mode="before")
    @classmethod
    def _params(cls, value: Any) -> Any:
        if value is None:
            return {}
        if isinstance(value, str):  # some senders double-encode
            return json.loads(value)
        return value


class LogisticParams(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    orderId: IdStr | None = None
    trackingNumber: str | None = None
    trackingStatus: int | None = None
    logisticsTrackEvents: list[dict[str, Any]] = []

    @field_validator("trackingStatus", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        return None if value in (None, "") else int(value)

    @field_validator("logisticsTrackEvents", mode="before")
    @classmethod
    def _events(cls, value: Any) -> Any:
        if value in (None, ""):
            return []
        if isinstance(value, str):  # CJ sends the events as a JSON string
            try:
                parsed = json.loads(value)
            except ValueError:
                return []
            return parsed if isinstance(parsed, list) else []
        return value


class OrderParams(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    cjOrderId: IdStr | None = None
    orderNumber: IdStr | None = None
    orderStatus: str | None = None
    trackNumber: str | None = None
    logisticName: str | None = None


@dataclass(frozen=True)
class Receipt:
    status: int
    text: str
    queued: bool = False


class WebhookReceiver:
    """The fast half: what ``POST /webhooks/cj`` runs. ``open_ids`` returns the accounts' openIds now."""

    def __init__(
        self,
        *,
        store: Store,
        open_ids: Callable[[], Iterable[str]],
        clock: Clock,
        on_queued: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.open_ids = open_ids
        self.clock = clock
        self.on_queued = on_queued

    def receive(self, body: bytes, signature: str | None) -> Receipt:
        try:
            envelope = self._check(body, signature)
        except WebhookRejected as exc:
            log.warning("CJ webhook rejected (%d bytes): %s", len(body), exc)
            return Receipt(exc.status, str(exc))
        if not envelope.type:
            return Receipt(200, "ok")  # CJ's test request when the webhook is registered
        queued = webhook_messages.accept(
            self.store, str(envelope.messageId), envelope.type.upper(), body.decode("utf-8"), self.clock()
        )
        if queued and self.on_queued is not None:
            self.on_queued()
        return Receipt(200, "ok" if queued else "duplicate", queued=queued)

    def _check(self, body: bytes, signature: str | None) -> WebhookEnvelope:
        if len(body) > MAX_BODY_BYTES:
            raise WebhookRejected("body too large", status=413)
        if not signature:
            raise WebhookRejected("missing sign header", status=401)
        open_ids = [i for i in self.open_ids() if i]
        if not open_ids:
            raise WebhookRejected(
                "no CJ openId known yet: run `alex check` once to fetch a token", status=503
            )
        if not verify(body, signature, open_ids):
            raise WebhookRejected("bad signature", status=401)
        try:
            envelope = WebhookEnvelope.model_validate_json(body)
        except (ValidationError, ValueError):
            raise WebhookRejected("not a CJ webhook message", status=400) from None
        if envelope.type and not envelope.messageId:
            raise WebhookRejected("message without messageId", status=400)
        return envelope
