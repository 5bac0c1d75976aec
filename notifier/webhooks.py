"""CJ order and logistics webhooks: verify, queue, acknowledge; process later from the queue.

CJ signs each request: header ``sign`` = Base64(HMAC-SHA256(raw body, key = the seller's
openId as a decimal string)) (CJ's "Webhook Mechanism" page). The signature is checked on the
raw bytes *before* the message is parsed for processing; a forged or malformed request is
refused and logged with its size only, never its body. A verified message is stored under its
``messageId`` (a repeat is acknowledged and dropped) and answered at once: CJ wants HTTP 200
within 3 s, retries a failure after 5 minutes up to 3 times, and pauses every message when half
fail ("Webhook Mechanism"; 08. Webhook).

Every answer is HTTP JSON in the shape CJ's Chinese page documents for the receiver's reply,
``{"code": 200, "result": "success", "message": ...}`` (a refusal: its HTTP status as ``code``,
``"result": "fail"``).

CJ's set-up test request (sent while ``webhook/set`` runs; CJ wants HTTP 200 or it refuses the URL
with 1607003) has no ``type``; whether it is signed is not documented. So a small body that is a
JSON object without a ``type`` gets 200 even unsigned, and nothing of it is stored or processed.
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
MAX_PROBE_BYTES = 16_384  # CJ's test request is a few hundred bytes; nothing bigger passes unsigned
JSON_MEDIA_TYPE = "application/json"


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
    """The answer to one POST: ``status`` (HTTP), ``text`` (the message), and what happened."""

    status: int
    text: str
    queued: bool = False
    probe: bool = False

    @property
    def body(self) -> bytes:
        """CJ's receiver reply: ``{"code": 200, "result": "success", "message": ...}``."""
        result = "success" if self.status == 200 else "fail"
        return json.dumps({"code": self.status, "result": result, "message": self.text}).encode("utf-8")

    media_type = JSON_MEDIA_TYPE


def is_setup_probe(body: bytes) -> bool:
    """CJ's set-up test request: a small JSON object with no ``type`` (signed or not)."""
    if len(body) > MAX_PROBE_BYTES:
        return False
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(parsed, dict) and not parsed.get("type")


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
            if exc.status in (401, 503) and is_setup_probe(body):
                log.info("CJ webhook set-up test request acknowledged (%d bytes, unsigned)", len(body))
                return Receipt(200, "test request received", probe=True)
            log.warning("CJ webhook rejected (%d bytes): %s", len(body), exc)
            return Receipt(exc.status, str(exc))
        if not envelope.type:
            return Receipt(200, "test request received", probe=True)
        queued = webhook_messages.accept(
            self.store, str(envelope.messageId), envelope.type.upper(), body.decode("utf-8"), self.clock()
        )
        if queued and self.on_queued is not None:
            self.on_queued()
        return Receipt(200, "success" if queued else "duplicate", queued=queued)

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
