"""Opening a dispute safely: a retried, resumed or concurrent create is always the seller's own dispute.

``disputes/create`` answers ``data: true``, not the new dispute's id, and CJ's list does not
echo ``businessDisputeId`` (CJ API Docs, 07. Dispute). So Alex finds its dispute afterwards:

- The attempt is a typed :class:`CreateAttempt` kept in the idempotency row under the
  ``businessDisputeId`` (deterministic per draft, so CJ keeps it unique too): the order, the
  draft's lines and quantities, when the attempt began, the disputes the order already had,
  and whether a create may have reached CJ (``sent``, written *before* each request leaves, so a
  process killed mid-request resumes knowing it).
- *Ours* is a dispute on the order that was not there before (when the order's disputes could
  not be listed first: created after the attempt began, less a clock-skew allowance), and lists
  exactly the draft's lines (and quantities, when CJ includes them; its list documents none).
  Anything else new on the order is
  *foreign*: when CJ refuses our create and a foreign dispute appeared, the seller hears
  "another dispute (SH…, lines …) was opened on this order meanwhile; yours was not created"
  (:class:`~cj.errors.CJForeignDispute`), never someone else's dispute as theirs.
- A reply Alex cannot read (HTML in an HTTP 200, a lost connection) after the request left is
  followed by a lookup: the seller is told the real id, and the row never stays pending
  because of it. Only a definite refusal with nothing of ours found marks the row failed.
- Rows move pending → done/failed only (conditional updates, :mod:`store.idempotency`): two
  processes on one database never turn a finished row back to pending; the second one resumes
  the first one's attempt and ends with the same dispute.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from cj.errors import (
    CJBusinessError,
    CJError,
    CJForeignDispute,
    CJParamError,
    CJProtocolError,
    CJUnavailable,
)
from cj.models import CreateDisputeRequest, DisputeSummary
from cj.ratelimit import Priority
from store import Store, idempotency

KIND = "dispute.create"
CLOCK_SKEW_SECONDS = 300.0  # CJ's clock and ours may differ; its dates have whole seconds
CLOSED_MARKERS = ("cancel", "close", "withdraw")

Lister = Callable[[str, Priority], Awaitable[list[DisputeSummary]]]
Sender = Callable[[dict[str, Any], Priority], Awaitable[Any]]
Retrying = Callable[[Callable[[], Awaitable[Any]], str], Awaitable[Any]]

_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)


class CreateAttempt(BaseModel):
    """What a create needs to recognise its own result, persisted as the idempotency row's data."""

    order_id: str
    lines: dict[str, int]  # lineItemId -> quantity, as the draft asks
    started_at: float  # epoch seconds (Alex's clock) when the attempt began
    before: list[str] = Field(default_factory=list)  # dispute ids on the order when it began
    before_known: bool = True  # ``before`` was listed (False: the caller vouched there were none)
    sent: bool = False  # a create request may have reached CJ
    accepted: bool = False  # CJ answered true
    dispute: dict[str, Any] | None = None  # the dispute, once found

    @classmethod
    def from_record(cls, data: dict[str, Any], request: CreateDisputeRequest, now: float) -> CreateAttempt:
        try:
            return cls.model_validate(data)
        except ValidationError:  # a row written by an older Alex: {"orderId", "before", "accepted"}
            return cls(
                order_id=str(data.get("orderId") or request.orderId),
                lines=_lines_of(request),
                started_at=float(data.get("startedAt") or now),
                before=[str(i) for i in data.get("before") or []],
                sent=True,  # it may have been sent: look before sending again
                accepted=bool(data.get("accepted")),
            )


@dataclass
class Lookup:
    ours: DisputeSummary | None = None
    foreign: list[DisputeSummary] = field(default_factory=list)


def _lines_of(request: CreateDisputeRequest) -> dict[str, int]:
    return {line.lineItemId: int(line.quantity) for line in request.productInfoList}


def _closed(dispute: DisputeSummary) -> bool:
    status = (dispute.status or "").lower()
    return any(marker in status for marker in CLOSED_MARKERS)


def is_ours(dispute: DisputeSummary, attempt: CreateAttempt) -> bool:
    """Same lines (and quantities, where CJ lists them), created after the attempt began, still open."""
    if dispute.id in attempt.before or _closed(dispute):
        return False
    listed: dict[str, int | None] = {}
    for product in dispute.productList:
        if not product.lineItemId:
            continue
        extra = getattr(product, "model_extra", None) or {}
        quantity = extra.get("quantity")
        try:
            listed[product.lineItemId] = int(str(quantity)) if quantity is not None else None
        except ValueError:
            listed[product.lineItemId] = None
    if set(listed) != set(attempt.lines):
        return False
    if any(q is not None and q != attempt.lines[line] for line, q in listed.items()):
        return False
    if not attempt.before_known and dispute.createDate is not None:
        # Only when the order's disputes were not listed first: the listing is authoritative and
        # immune to clock skew (Alex's clock minutes off CJ's must not leave a create unrecognised).
        created = dispute.createDate.astimezone(UTC).timestamp()
        if created < attempt.started_at - CLOCK_SKEW_SECONDS:
            return False
    return True


def match(disputes: list[DisputeSummary], attempt: CreateAttempt, business_id: str) -> Lookup:
    fresh = [d for d in disputes if d.id not in attempt.before]
    echoed = [d for d in fresh if (d.model_extra or {}).get("businessDisputeId") is not None]
    if echoed:  # CJ echoed the key after all: that settles it
        ours = [d for d in echoed if str((d.model_extra or {}).get("businessDisputeId")) == business_id]
    else:
        ours = [d for d in fresh if is_ours(d, attempt)]
    oldest = datetime.min.replace(tzinfo=UTC)
    picked = min(ours, key=lambda d: d.createDate or oldest) if ours else None
    return Lookup(ours=picked, foreign=[d for d in fresh if d is not picked and not _closed(d)])


def _lock(key: str) -> asyncio.Lock:
    locks = _LOCKS.setdefault(asyncio.get_running_loop(), {})
    lock = locks.get(key)
    if lock is None:
        lock = locks[key] = asyncio.Lock()
    return lock


class DisputeCreation:
    """One ``create_dispute`` call. The client supplies listing, sending and its retry loop."""

    def __init__(
        self,
        *,
        store: Store,
        clock: Callable[[], float],
        list_order_disputes: Lister,
        send_create: Sender,
        retrying: Retrying,
    ) -> None:
        self.store = store
        self.clock = clock
        self._list = list_order_disputes
        self._send = send_create
        self._retrying = retrying
        self.tries = 0  # create requests sent by this call
        self.completed = False  # this call turned the row done (a replay of a finished one does not)

    async def run(
        self, request: CreateDisputeRequest, priority: Priority, *, no_prior_disputes: bool = False
    ) -> DisputeSummary:
        key = request.businessDisputeId
        async with _lock(key):  # one create per key at a time in this process (others resume after)
            return await self._run(request, priority, no_prior_disputes)

    async def _run(self, request: CreateDisputeRequest, priority: Priority, no_prior: bool) -> DisputeSummary:
        key = request.businessDisputeId
        payload = request.model_dump(mode="json", by_alias=True, exclude_none=True)
        record = idempotency.get(self.store, key)
        if record is not None and record.state == idempotency.DONE:
            return _stored(record)
        if record is not None and record.state == idempotency.PENDING and record.kind == KIND:
            attempt = CreateAttempt.from_record(record.data, request, self.clock())
        else:
            before = [] if no_prior else [d.id for d in await self._list(request.orderId, priority)]
            fresh = CreateAttempt(
                order_id=request.orderId,
                lines=_lines_of(request),
                started_at=self.clock(),
                before=before,
                before_known=not no_prior,
            )
            record = idempotency.begin(self.store, key, KIND, fresh.model_dump(), now=self.clock())
            if record.state == idempotency.DONE:  # another process finished it meanwhile
                return _stored(record)
            attempt = CreateAttempt.from_record(record.data, request, self.clock())  # maybe theirs

        async def once() -> DisputeSummary:
            if attempt.sent:  # an earlier try (ours, a crashed process's, or a concurrent one's)
                found = await self._lookup(attempt, key, priority)
                if found.ours is not None:
                    return found.ours
                if attempt.accepted:  # CJ said yes: wait for its list rather than ask again
                    raise CJUnavailable(
                        "CJ accepted the dispute but does not list it yet", path="disputes/create"
                    )
            attempt.sent = True
            self._save(key, attempt)  # before the request leaves: a kill mid-request is visible
            self.tries += 1
            data = await self._send(payload, priority)
            if data is False:
                raise CJBusinessError(
                    "CJ did not create the dispute (it answered false)", path="disputes/create"
                )
            attempt.accepted = data is True
            self._save(key, attempt)
            found = await self._lookup(attempt, key, priority)
            if found.ours is not None:
                return found.ours
            if not attempt.accepted:
                raise CJProtocolError("CJ's answer to disputes/create was not true", path="disputes/create")
            raise CJUnavailable("CJ accepted the dispute but does not list it yet", path="disputes/create")

        try:
            dispute: DisputeSummary = await self._retrying(once, "disputes/create")
        except CJError as exc:
            return self._after_failure(exc, attempt, key, await self._quiet_lookup(attempt, key, priority))
        return self._done(key, attempt, dispute)

    def _after_failure(
        self, exc: CJError, attempt: CreateAttempt, key: str, found: Lookup | None
    ) -> DisputeSummary:
        if found is not None and found.ours is not None:  # an earlier try landed after all
            return self._done(key, attempt, found.ours)
        definite = isinstance(exc, CJBusinessError | CJParamError) and not attempt.accepted
        if not definite:  # CJ may have it: keep the row pending, the next try looks first
            raise exc
        if found is not None and found.foreign:
            other = found.foreign[0]
            lines = tuple(sorted(other.line_ids()))
            refusal = CJForeignDispute(
                f"another dispute ({other.id}, lines {', '.join(lines) or '?'}) was opened on order "
                f"{attempt.order_id} meanwhile; yours was not created (CJ: {exc.message})",
                dispute_id=other.id,
                lines=lines,
                code=exc.code,
                request_id=exc.request_id,
                path="disputes/create",
            )
            idempotency.fail(
                self.store, key, {**attempt.model_dump(), "error": _error_result(refusal)}, now=self.clock()
            )
            raise refusal from None
        idempotency.fail(
            self.store, key, {**attempt.model_dump(), "error": _error_result(exc)}, now=self.clock()
        )
        raise exc

    async def _lookup(self, attempt: CreateAttempt, key: str, priority: Priority) -> Lookup:
        return match(await self._list(attempt.order_id, priority), attempt, key)

    async def _quiet_lookup(self, attempt: CreateAttempt, key: str, priority: Priority) -> Lookup | None:
        if not attempt.sent:
            return None
        try:
            found: Lookup = await self._retrying(
                lambda: self._lookup(attempt, key, priority), "dispute lookup"
            )
        except CJError:
            return None
        return found

    def _save(self, key: str, attempt: CreateAttempt) -> None:
        idempotency.update(self.store, key, attempt.model_dump(), now=self.clock())

    def _done(self, key: str, attempt: CreateAttempt, dispute: DisputeSummary) -> DisputeSummary:
        attempt.dispute = dispute.model_dump(mode="json", by_alias=True)
        self.completed = idempotency.complete(self.store, key, attempt.model_dump(), now=self.clock())
        if not self.completed:
            record = idempotency.get(self.store, key)  # someone else finished first: theirs stands
            if record is not None and record.state == idempotency.DONE:
                return _stored(record)
        return dispute


def _stored(record: idempotency.IdempotencyRecord) -> DisputeSummary:
    data = record.data.get("dispute")
    if not isinstance(data, dict):
        raise CJProtocolError("the stored dispute of this draft is unreadable; tell the operator")
    return DisputeSummary.model_validate(data)


def _error_result(exc: CJError) -> dict[str, Any]:
    return {
        "error": type(exc).__name__,
        "code": exc.code,
        "message": exc.message,
        "requestId": exc.request_id,
    }
