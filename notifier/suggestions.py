"""Orders that may deserve a dispute, suggested to the team groups with a one-tap button.

Two sources: CJ logistics webhooks (tracking status 13 "abnormal" or 14 "returned") and a
daily scan of shipped orders against CJ's delay thresholds (a parcel counts as delayed 60 days
after leaving CJ's warehouse; 45 for the US; 110 for Brazil: CJ's Refund, Resend and Returns
Policy). Each suggestion is keyed by order and reason, so webhooks CJ repeats and daily
rescans never suggest twice.
The button carries :class:`conversations.buttons.RunCommand` data (``/dispute <order id>``), the
conversation engine's "start a command" button: it opens the dispute flow with that order filled in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from pydantic import ValidationError

from cj.errors import CJError
from cj.models import OrderDetail, OrderPage, OrderStatus
from cj.ratelimit import Priority
from conversations.buttons import RunCommand, build
from conversations.language import chat_translator
from conversations.texts import common as common_texts
from i18n import ENGLISH, Translator
from notifier import messages
from notifier.clock import Clock
from notifier.webhooks import LogisticParams, OrderParams, WebhookEnvelope
from store import outbox, webhook_messages
from store.db import Store
from store.outbox import OutboxItem, transaction

log = logging.getLogger(__name__)

DAY = 86_400.0
DEFAULT_DELAY_DAYS = 60
DELAY_DAYS_BY_COUNTRY = {"US": 45, "BR": 110}
TRACKING_ABNORMAL = 13
TRACKING_RETURNED = 14
TRACKING_REASONS = {TRACKING_ABNORMAL: messages.REASON_ABNORMAL, TRACKING_RETURNED: messages.REASON_RETURNED}
ORDER_PAGE_SIZE = 50


def delay_threshold_days(country_code: str | None) -> int:
    return DELAY_DAYS_BY_COUNTRY.get((country_code or "").strip().upper(), DEFAULT_DELAY_DAYS)


def is_delayed(shipped_at: datetime | None, country_code: str | None, now: float) -> bool:
    """Shipped longer ago than CJ's threshold for the destination (no ship date: cannot tell)."""
    if shipped_at is None:
        return False
    return now - shipped_at.timestamp() > delay_threshold_days(country_code) * DAY


def open_dispute_button(
    order_id: str, tr: Translator = ENGLISH
) -> tuple[tuple[tuple[str, str], ...], ...]:
    """The one-tap "Open a dispute" button, or none when the id cannot be packed (never a truncated id)."""
    data = build(RunCommand, command="dispute", arg=order_id)
    if data is None or not data.fits():
        return ()
    return (((tr.gettext(common_texts.ACTION_OPEN), data.pack()),),)


Reason = Callable[[Translator], str]  # the reason in a chat's language


def suggestion_items(
    order_id: str,
    reason_key: str,
    reason: Reason,
    groups: Iterable[int],
    tracking_number: str | None = None,
    translator_of: Callable[[int], Translator] = lambda chat: ENGLISH,
) -> list[OutboxItem]:
    """One queued message per group, each in that group's language (``translator_of``)."""
    items = []
    for chat in sorted(set(groups)):
        tr = translator_of(chat)
        items.append(
            OutboxItem(
                f"suggest:{order_id}:{reason_key}:{chat}",
                chat,
                messages.suggestion(order_id, reason(tr), tracking_number, tr),
                buttons=open_dispute_button(order_id, tr),
                kind="suggestion",
            )
        )
    return items


class WebhookWorker:
    """The slow half of the CJ webhook: turns queued messages into suggestions, each exactly once."""

    def __init__(self, *, store: Store, groups: Callable[[], Iterable[int]], clock: Clock) -> None:
        self.store = store
        self.groups = groups
        self.clock = clock

    def translator_of(self, chat_id: int) -> Translator:
        return chat_translator(self.store, chat_id)

    def process_pending(self, limit: int = 100) -> int:
        """Handle queued messages; returns how many suggestions were queued."""
        queued = 0
        for message in webhook_messages.pending(self.store, limit):
            items = self._items_for(message.type, message.payload_json)
            now = self.clock()
            with transaction(self.store):
                queued += outbox.add(self.store, items, now)
                webhook_messages.mark_processed(self.store, message.message_id, now)
        return queued

    def _items_for(self, type_: str | None, payload_json: str) -> list[OutboxItem]:
        try:
            envelope = WebhookEnvelope.model_validate_json(payload_json)
            if type_ == "LOGISTIC":
                params = LogisticParams.model_validate(envelope.params)
                msgid = TRACKING_REASONS.get(params.trackingStatus or -1)
                if msgid and params.orderId:
                    return suggestion_items(
                        params.orderId,
                        f"tracking{params.trackingStatus}",
                        lambda tr: tr.gettext(msgid),
                        self.groups(),
                        params.trackingNumber,
                        self.translator_of,
                    )
            elif type_ == "ORDER":
                order = OrderParams.model_validate(envelope.params)
                log.debug("CJ order %s is now %s", order.cjOrderId, order.orderStatus)
        except ValidationError:
            log.warning("queued CJ webhook of type %s has unexpected params; skipped", type_)
        return []


class OrderSource(Protocol):
    async def list_orders(
        self,
        status: str | None = ...,
        page_num: int = ...,
        page_size: int = ...,
        order_ids: list[str] | None = ...,
        *,
        priority: Any = ...,
    ) -> OrderPage: ...

    async def order_detail(self, order_id: str, *, priority: Any = ...) -> OrderDetail: ...


@dataclass
class DelayScanReport:
    calls: int = 0
    candidates: int = 0
    suggested: int = 0
    error: str | None = None


class DelayScanner:
    """Once a day: shipped, undelivered orders past CJ's delay threshold become suggestions."""

    def __init__(
        self, *, store: Store, cj: OrderSource, groups: Callable[[], Iterable[int]], clock: Clock
    ) -> None:
        self.store = store
        self.cj = cj
        self.groups = groups
        self.clock = clock

    def translator_of(self, chat_id: int) -> Translator:
        return chat_translator(self.store, chat_id)

    async def scan(self) -> DelayScanReport:
        report = DelayScanReport()
        groups = sorted(set(self.groups()))
        if not groups:
            return report
        now = self.clock()
        min_age = min([DEFAULT_DELAY_DAYS, *DELAY_DAYS_BY_COUNTRY.values()]) * DAY
        try:
            page_num, got = 1, 0
            while True:
                page = await self.cj.list_orders(
                    status=OrderStatus.SHIPPED,
                    page_num=page_num,
                    page_size=ORDER_PAGE_SIZE,
                    priority=Priority.BACKGROUND,
                )
                report.calls += 1
                got += len(page.items)
                for order in page.items:
                    placed = order.paymentDate or order.createDate
                    if placed is None or now - placed.timestamp() <= min_age:
                        continue  # cannot have left the warehouse long enough ago
                    if outbox.get(self.store, f"suggest:{order.orderId}:delayed:{groups[0]}") is not None:
                        continue
                    report.candidates += 1
                    detail = await self.cj.order_detail(order.orderId, priority=Priority.BACKGROUND)
                    report.calls += 1
                    if detail.disputeId or not is_delayed(
                        detail.outWarehouseTime, detail.shippingCountryCode, now
                    ):
                        continue
                    days = delay_threshold_days(detail.shippingCountryCode)
                    report.suggested += outbox.add(
                        self.store,
                        suggestion_items(
                            order.orderId,
                            "delayed",
                            lambda tr, days=days: tr.plural(messages.REASON_DELAYED, days),
                            groups,
                            order.trackNumber,
                            self.translator_of,
                        ),
                        self.clock(),
                    )
                if not page.items or got >= page.total:
                    break
                page_num += 1
        except CJError as exc:
            report.error = f"{type(exc).__name__}: {exc}"
            log.warning("delay scan stopped early: %s", report.error)
        return report
