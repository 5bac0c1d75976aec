"""Sweeping one CJ account's disputes and turning what changed into queued messages.

CJ has no dispute webhook and ``getDisputeList`` has no status filter, so a sweep pages
through the account's whole list (disputes opened on CJ's website included) in pages of 50
(the cap CJ's own MCP server uses), diffs each entry against ``disputes_seen`` and fetches a
detail only for refunds that changed (the breakdown). A known, unsettled dispute missing from
the list is looked up before it is reported closed (pages shift when disputes are added or
removed during a sweep): among its order's disputes when Alex knows the order, else by
``getDisputeDetail``. ``getDisputeList``'s ``disputeId`` filter is never used: CJ's docs type
it integer while ids are ``SH…`` (CJ API Docs, 07. Dispute).

Every CJ call goes at ``Priority.BACKGROUND``: the account's limiter serves people first.
The first sweep of an account records a silent baseline (no flood of "new dispute" messages
at install); later sweeps, including the one at start-up, deliver what changed meanwhile.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from cj.client import MAX_DISPUTE_PAGE_SIZE
from cj.errors import CJError, CJNotFound
from cj.models import DisputeDetail, DisputePage, FinallyDeal
from cj.ratelimit import Priority
from conversations.buttons import ShowDispute, build
from conversations.language import chat_translator
from i18n import ENGLISH, Translator
from notifier import messages
from notifier.clock import Clock
from notifier.diff import Change, Field, Snapshot, compare, gone, is_settled
from notifier.dispatcher import StepHook, no_hook
from store import disputes_seen
from store.db import Store
from store.disputes_seen import SeenDispute
from store.outbox import OutboxItem

log = logging.getLogger(__name__)

DISPUTE_PAGE_SIZE = MAX_DISPUTE_PAGE_SIZE
BUDGET_SHARE = 0.5  # at most half of the account's requests go to sweeps; people get the rest
DEFAULT_INTERVAL_SECONDS = 300.0


class DisputeSource(Protocol):
    """The two CJ client methods a sweep uses (``cj.client.CJClient`` has them)."""

    async def list_disputes(
        self,
        order_id: str | None = ...,
        dispute_id: str | None = ...,
        order_number: str | None = ...,
        page_num: int = ...,
        page_size: int = ...,
        *,
        priority: Any = ...,
    ) -> DisputePage: ...

    async def dispute_detail(self, dispute_id: str, *, priority: Any = ...) -> DisputeDetail: ...


@dataclass
class SweepReport:
    account: str
    started_at: float
    finished_at: float = 0.0
    calls: int = 0
    pages: int = 0
    listed: int = 0
    changes: int = 0
    queued: int = 0
    baseline: bool = False
    error: str | None = None
    changed_ids: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return self.finished_at - self.started_at


def min_interval(calls_per_sweep: int, qps: float, share: float = BUDGET_SHARE) -> float:
    """Shortest pause between sweep starts that keeps sweeps within ``share`` of the account's rate."""
    return calls_per_sweep / (qps * share)


def calls_per_sweep(open_disputes: int, page_size: int = DISPUTE_PAGE_SIZE, changed_refunds: int = 0) -> int:
    """Requests one sweep makes: one per list page (at least one) and one per changed refund."""
    return max(1, math.ceil(open_disputes / page_size)) + changed_refunds


def details_button(dispute_id: str, tr: Translator = ENGLISH) -> tuple[tuple[tuple[str, str], ...], ...]:
    """The engine's dispute-detail button (:class:`conversations.buttons.ShowDispute`), when the id
    can be packed within Telegram's 64 bytes; none otherwise (the message still names the id)."""
    data = build(ShowDispute, dispute_id=dispute_id)
    return (((tr.gettext(messages.DETAILS), data.pack()),),) if data is not None and data.fits() else ()


def dedupe_key(change: Change, chat_id: int) -> str:
    return f"dispute:{change.dispute_id}:{change.fingerprint()}:{chat_id}"


class DisputeWatcher:
    """Sweeps one account. ``groups`` returns the chat ids of subscribed team groups at call time."""

    def __init__(
        self,
        *,
        store: Store,
        cj: DisputeSource,
        account: str,
        groups: Callable[[], Iterable[int]],
        clock: Clock,
        page_size: int = DISPUTE_PAGE_SIZE,
        on_step: StepHook = no_hook,
    ) -> None:
        self.store = store
        self.cj = cj
        self.account = account
        self.groups = groups
        self.clock = clock
        self.page_size = page_size
        self.on_step = on_step

    async def sweep(self) -> SweepReport:
        report = SweepReport(account=self.account, started_at=self.clock())
        self._gone_ids: set[str] = set()
        seen = disputes_seen.for_account(self.store, self.account)
        report.baseline = not any(s.observed for s in seen.values())
        listed: dict[str, Snapshot] = {}
        complete = False
        try:
            complete = await self._list_all(listed, report)
            if complete and not report.baseline:
                await self._recheck_missing(seen, listed, report)
        except CJError as exc:
            report.error = f"{type(exc).__name__}: {exc}"
            log.warning("dispute sweep of account %s stopped early: %s", self.account[:8], report.error)
        changes = [c for c in (compare(seen.get(i), snap) for i, snap in listed.items()) if c is not None]
        if complete and not report.baseline:
            changes += [gone(s) for i, s in seen.items() if i in self._gone_ids]
        self.on_step("listed", self.account)
        if report.baseline and not complete:  # a partial baseline would announce the rest as new
            report.finished_at = self.clock()
            return report
        await self._record(changes, seen, report)
        self.on_step("recorded", self.account)
        report.finished_at = self.clock()
        return report

    async def _list_all(self, listed: dict[str, Snapshot], report: SweepReport) -> bool:
        """Read every page; True when the whole list was seen (pages may shift: count unique ids)."""
        page_num, max_pages = 1, 1
        while page_num <= max_pages:
            page = await self.cj.list_disputes(
                page_num=page_num, page_size=self.page_size, priority=Priority.BACKGROUND
            )
            report.calls += 1
            report.pages += 1
            for summary in page.items:
                listed.setdefault(summary.id, Snapshot.of(summary))
            report.listed = len(listed)
            if page_num == 1:  # CJ may serve fewer per page than asked: plan the pages from what it serves
                per_page = max(1, len(page.items))
                max_pages = math.ceil(page.total / per_page) + 2
            if not page.items or len(listed) >= page.total:
                return True
            page_num += 1
        return False

    async def _recheck_missing(
        self, seen: dict[str, SeenDispute], listed: dict[str, Snapshot], report: SweepReport
    ) -> None:
        for dispute_id, before in seen.items():
            if dispute_id in listed or not before.observed or is_settled(before):
                continue
            found = await self._look_up(dispute_id, before, report)
            if found is not None:
                listed[dispute_id] = found
            else:
                self._gone_ids.add(dispute_id)

    async def _look_up(self, dispute_id: str, before: SeenDispute, report: SweepReport) -> Snapshot | None:
        """The dispute as CJ shows it now, or None when CJ no longer has it."""
        report.calls += 1
        if before.order_id:
            page = await self.cj.list_disputes(
                order_id=before.order_id, page_size=self.page_size, priority=Priority.BACKGROUND
            )
            match = next((s for s in page.items if s.id == dispute_id), None)
            return Snapshot.of(match) if match is not None else None
        try:
            detail = await self.cj.dispute_detail(dispute_id, priority=Priority.BACKGROUND)
        except CJNotFound:
            return None
        return Snapshot.of(detail)

    async def _detail_for(self, change: Change, report: SweepReport) -> DisputeDetail | None:
        wants = change.after.finally_deal is FinallyDeal.REFUND and change.fields & {
            Field.DECISION,
            Field.REFUND,
            Field.NEW,
        }
        if not wants:
            return None
        try:
            report.calls += 1
            return await self.cj.dispute_detail(change.dispute_id, priority=Priority.BACKGROUND)
        except CJError as exc:  # the list already has the amount; the breakdown is a nicety
            log.info("no detail for dispute %s: %s", change.dispute_id, type(exc).__name__)
            return None

    async def _record(self, changes: list[Change], seen: dict[str, SeenDispute], report: SweepReport) -> None:
        rows: list[SeenDispute] = []
        items: list[OutboxItem] = []
        groups = sorted(set(self.groups())) if changes and not report.baseline else []
        for change in changes:
            before = seen.get(change.dispute_id)
            rows.append(self._next_row(before, change))
            if report.baseline:
                continue
            detail = await self._detail_for(change, report)
            for chat_id in self._recipients(change, before, groups):
                tr = chat_translator(self.store, chat_id)
                text = messages.dispute_change(change, detail, tr)
                buttons = details_button(change.dispute_id, tr)
                items.append(
                    OutboxItem(dedupe_key(change, chat_id), chat_id, text, buttons=buttons, kind="dispute")
                )
        now = self.clock()
        report.changes = 0 if report.baseline else len(changes)
        report.changed_ids = [c.dispute_id for c in changes]
        report.queued = disputes_seen.apply_sweep(self.store, rows, items, now)

    def _next_row(self, before: SeenDispute | None, change: Change) -> SeenDispute:
        now = self.clock()
        after = change.after
        base = before or SeenDispute(dispute_id=after.dispute_id, account=self.account, first_seen_at=now)
        updated_at = max(now, base.updated_at + 1e-6) if before is not None else now
        decided_at = base.decided_at
        if after.finally_deal is not None and decided_at is None:
            decided_at = now
        return base.evolve(
            account=self.account,
            order_id=after.order_id or base.order_id,
            status=after.status,
            finally_deal=after.finally_deal,
            money=after.money,
            replacement_amount=after.replacement_amount,
            resend_order_code=after.resend_order_code,
            updated_at=updated_at,
            first_seen_at=base.first_seen_at or now,
            opened_at=after.opened_at or base.opened_at,
            decided_at=decided_at,
        )

    @staticmethod
    def _recipients(change: Change, before: SeenDispute | None, groups: list[int]) -> list[int]:
        chats: list[int] = []
        just_opened = Field.NEW in change.fields and change.after.finally_deal is None
        if before is not None and before.opener_chat_id is not None and not just_opened:
            chats.append(before.opener_chat_id)  # the opener already had Alex's confirmation of a new one
        chats += [g for g in groups if g not in chats]
        return chats
