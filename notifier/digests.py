"""Daily and weekly digests for subscribed groups, queued through the outbox.

Keys name the period (``digest:daily:2026-01-05:<chat>``), so :meth:`Digests.enqueue_due`
may run on every tick and after every restart: a period's digest is queued once. A digest is
due once its period is over (the daily one after midnight UTC for the day before, the weekly
one on Monday for the week before) and only within ``CATCH_UP_SECONDS``: an Alex that was
down for a week does not send seven stale digests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from conversations.language import chat_translator
from i18n import Translator
from notifier import messages
from notifier.chart import weekly_chart
from notifier.clock import Clock
from store import disputes_seen, outbox
from store.db import Store
from store.outbox import OutboxItem

DAY = 86_400.0
CATCH_UP_SECONDS = 2 * DAY


def _midnight(at: float) -> float:
    moment = datetime.fromtimestamp(at, tz=UTC)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def _label(at: float) -> str:
    return datetime.fromtimestamp(at, tz=UTC).strftime("%Y-%m-%d")


def _week_start(at: float) -> float:
    midnight = _midnight(at)
    weekday = datetime.fromtimestamp(midnight, tz=UTC).weekday()
    return (datetime.fromtimestamp(midnight, tz=UTC) - timedelta(days=weekday)).timestamp()


class Digests:
    def __init__(self, *, store: Store, groups: Callable[[], Iterable[int]], clock: Clock) -> None:
        self.store = store
        self.groups = groups
        self.clock = clock

    def translator_of(self, chat_id: int) -> Translator:
        """The group's language (``/language`` by an admin), English until one is chosen."""
        return chat_translator(self.store, chat_id)

    def daily_items(self, day_start: float) -> list[OutboxItem]:
        figures = disputes_seen.figures_between(self.store, day_start, day_start + DAY)
        open_count = disputes_seen.count_open(self.store)
        label = _label(day_start)
        items = []
        for chat in sorted(set(self.groups())):
            text = messages.daily_digest(
                day_start,
                open_count,
                figures.decided,
                figures.refunds,
                figures.reissues,
                figures.rejections,
                figures.refunded,
                self.translator_of(chat),
            )
            items.append(OutboxItem(f"digest:daily:{label}:{chat}", chat, text, kind="digest"))
        return items

    def weekly_items(self, week_start: float) -> list[OutboxItem]:
        days = [week_start + i * DAY for i in range(7)]
        figures = [disputes_seen.figures_between(self.store, d, d + DAY) for d in days]
        opened = [f.opened for f in figures]
        decided = [f.decided for f in figures]
        refunded: list[Decimal] = [f.refunded for f in figures]
        open_count = disputes_seen.count_open(self.store)
        chats = sorted(set(self.groups()))
        label = _label(week_start)
        charts: dict[str, bytes] = {}  # one drawing per language, not per group
        items = []
        for chat in chats:
            tr = self.translator_of(chat)
            text = messages.weekly_digest(week_start, opened, decided, refunded, open_count, tr)
            if tr.lang not in charts:
                charts[tr.lang] = weekly_chart([_label(d) for d in days], opened, decided, refunded, tr)
            items.append(
                OutboxItem(f"digest:weekly:{label}:{chat}", chat, text, photo=charts[tr.lang], kind="digest")
            )
        return items

    def enqueue_due(self) -> int:
        """Queue the digests whose period just ended; returns how many rows are new."""
        now = self.clock()
        added = 0
        today = _midnight(now)
        if now - today < CATCH_UP_SECONDS:
            yesterday = today - DAY
            if not self._queued(f"digest:daily:{_label(yesterday)}:"):
                added += outbox.add(self.store, self.daily_items(yesterday), now)
        this_week = _week_start(now)
        if now - this_week < CATCH_UP_SECONDS:
            last_week = this_week - 7 * DAY
            if not self._queued(f"digest:weekly:{_label(last_week)}:"):
                added += outbox.add(self.store, self.weekly_items(last_week), now)
        return added

    def _queued(self, prefix: str) -> bool:
        """Skip recomputing (and redrawing the chart) when this period's digest is already queued."""
        chats = sorted(set(self.groups()))
        return all(outbox.get(self.store, f"{prefix}{chat}") is not None for chat in chats)
