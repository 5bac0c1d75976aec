"""Closing (cancelling) a dispute (diagram: ``close_dispute.md`` beside this file).

Pick an open dispute, read its detail and the warning, confirm twice, cancel. CJ's
cancel call needs the order id too; when CJ does not say which order a dispute
belongs to, the seller is asked and the pair is checked against CJ's list.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import BaseModel, Field

from cj.errors import CJBusinessError, CJError, CJNotFound
from conversations import policy
from conversations.disputes import detail_text, is_open, one_line
from conversations.events import Button, Reply
from conversations.failures import explain, not_found_text
from conversations.flow import Flow, FlowContext, FlowState, Outcome, new_nonce
from conversations.ids import IdKind, classify_id, is_order_kind, normalize_id
from conversations.reading import visible_text, whole_number
from conversations.render import clip, flow_button, reply
from conversations.texts import close as texts
from conversations.texts import common
from i18n import Translator

LIST_PAGE_SIZE = 20
PICK_BUTTONS_MAX = 8


class CloseStep(StrEnum):
    PICK = "pick"
    CHECK = "check"  # a CJ call failed: Try again
    ORDER = "order"  # CJ did not say which order: ask
    REVIEW = "review"
    CONFIRM = "confirm"
    DONE = "done"


class Candidate(BaseModel):
    id: str
    line: str
    order_id: str | None = None


class CloseDisputeState(FlowState):
    flow: Literal["close"] = "close"
    step: CloseStep = CloseStep.PICK
    candidates: list[Candidate] = Field(default_factory=list)
    listed: bool = False
    pending_dispute_id: str | None = None
    dispute_id: str | None = None
    order_id: str | None = None
    detail: str | None = None
    closed: bool = False


def _index(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 4 else None


class CloseDisputeFlow(Flow[CloseDisputeState]):
    name: ClassVar[str] = "close"
    state_type: ClassVar[type[FlowState]] = CloseDisputeState

    async def start(self, ctx: FlowContext, args: str) -> Outcome[CloseDisputeState]:
        s = CloseDisputeState(nonce=new_nonce(), started_at=ctx.now)
        if args.strip():
            return await self._take_dispute_id(ctx, s, args)
        return await self._list(ctx, s)

    async def on_text(self, ctx: FlowContext, s: CloseDisputeState, text: str) -> Outcome[CloseDisputeState]:
        pressed = self.typed_press(s, ctx.tr, text)
        if pressed is not None:
            return await self.on_button(ctx, s, str(s.step), pressed)
        if s.step is CloseStep.PICK:
            number = whole_number(text)
            if number is not None:
                if 1 <= number <= min(len(s.candidates), PICK_BUTTONS_MAX):
                    return await self._load(ctx, s, s.candidates[number - 1].id)
                return Outcome(
                    [self.not_a_choice(s, ctx.tr, text, min(len(s.candidates), PICK_BUTTONS_MAX))], s
                )
            odd = self.not_a_number(s, ctx.tr, text)
            if odd is not None:
                return Outcome([odd], s)
            return await self._take_dispute_id(ctx, s, text)
        if s.step is CloseStep.ORDER:
            return await self._take_order_id(ctx, s, text)
        return Outcome(self.buttons_expected(ctx, s, text), s)

    async def on_button(
        self, ctx: FlowContext, s: CloseDisputeState, step: str, value: str
    ) -> Outcome[CloseDisputeState]:
        tr = ctx.tr
        if s.closed:
            return Outcome([reply(tr.format(texts.ALREADY_CLOSED, dispute_id=s.dispute_id))], s)
        if step != s.step:
            return Outcome(self.stale(s, tr), s)
        if s.step is CloseStep.CHECK and value == "retry":
            if s.pending_dispute_id:
                return await self._load(ctx, s, s.pending_dispute_id)
            return await self._list(ctx, s)
        if value == "back":
            return self._back(s, tr)
        index = _index(value)
        if s.step is CloseStep.PICK and index is not None and 0 <= index < len(s.candidates):
            return await self._load(ctx, s, s.candidates[index].id)
        if s.step is CloseStep.REVIEW and value == "close":
            s.step = CloseStep.CONFIRM
            return Outcome([self.prompt(s, tr)], s)
        if s.step is CloseStep.CONFIRM:
            if value == "yes":
                return await self._cancel(ctx, s)
            if value == "no":
                return Outcome([reply(tr.format(texts.KEPT_OPEN, dispute_id=s.dispute_id))], None)
        return Outcome(self.stale(s, tr), s)

    def _back(self, s: CloseDisputeState, tr: Translator) -> Outcome[CloseDisputeState]:
        if s.step is CloseStep.CONFIRM:
            s.step = CloseStep.REVIEW
        elif s.step in (CloseStep.REVIEW, CloseStep.ORDER, CloseStep.CHECK):
            s.dispute_id = s.order_id = s.detail = s.pending_dispute_id = None
            s.step = CloseStep.PICK
        return Outcome([self.prompt(s, tr)], s)

    async def _list(self, ctx: FlowContext, s: CloseDisputeState) -> Outcome[CloseDisputeState]:
        tr = ctx.tr
        try:
            page = await ctx.cj.list_disputes(page_num=1, page_size=LIST_PAGE_SIZE)
        except CJError as exc:
            return self._failed(s, tr, exc, tr.gettext(common.DOING_LIST))
        s.candidates = [
            Candidate(id=d.id, line=one_line(d, tr), order_id=d.orderId or None)
            for d in page.items
            if is_open(d)
        ]
        s.listed = True
        s.step = CloseStep.PICK
        if not s.candidates:
            more = tr.gettext(texts.AMONG_LATEST) if page.total > LIST_PAGE_SIZE else ""
            return Outcome([reply(tr.format(texts.NONE_OPEN, more=more))], None)
        return Outcome([self.prompt(s, tr)], s)

    async def _take_dispute_id(
        self, ctx: FlowContext, s: CloseDisputeState, text: str
    ) -> Outcome[CloseDisputeState]:
        value = normalize_id(visible_text(text))
        kind = classify_id(value)
        if kind is IdKind.DISPUTE:
            return await self._load(ctx, s, value)
        if kind in (IdKind.ORDER, IdKind.BULK_ORDER):
            return Outcome([self.expected(s, ctx.tr, ctx.tr.format(texts.IS_ORDER_ID, value=value))], s)
        return Outcome(self._not_an_id(ctx, s, text, texts.NEED_DISPUTE_ID), s)

    def _not_an_id(self, ctx: FlowContext, s: CloseDisputeState, text: str, expected: str) -> list[Reply]:
        """A question is answered (the draft kept); anything else is told what the step needs."""
        replies = self.buttons_expected(ctx, s, text)
        if len(replies) == 1:  # not a question: say what this step needs instead of "use the buttons"
            return [self.expected(s, ctx.tr, ctx.tr.gettext(expected))]
        return replies

    async def _load(
        self, ctx: FlowContext, s: CloseDisputeState, dispute_id: str
    ) -> Outcome[CloseDisputeState]:
        tr = ctx.tr
        s.pending_dispute_id = dispute_id
        doing = tr.format(common.DOING_READ, dispute_id=dispute_id)
        try:
            detail = await ctx.cj.dispute_detail(dispute_id)
        except CJBusinessError as exc:
            s.pending_dispute_id = None
            s.step = CloseStep.PICK
            if isinstance(exc, CJNotFound):
                text = not_found_text(exc, dispute_id, tr)
            else:
                text = explain(exc, doing, tr)
            return Outcome([self.expected(s, tr, text)], s)
        except CJError as exc:
            return self._failed(s, tr, exc, doing)
        if not is_open(detail):
            shown = detail_text(detail, tr, ctx.refund_route_of(dispute_id))
            return Outcome([reply(tr.format(texts.NOT_OPEN, detail=shown))], None)
        known = next((c.order_id for c in s.candidates if c.id == dispute_id and c.order_id), None)
        # CJ's dispute detail and list do not name the order, and getDisputeList's disputeId filter is
        # typed integer while ids are SH…: the order comes from Alex's records or from the seller.
        order_id = detail.orderId or known or ctx.order_of_dispute(dispute_id)
        s.pending_dispute_id = None
        s.dispute_id = dispute_id
        s.detail = detail_text(detail, tr, ctx.refund_route_of(dispute_id))
        s.order_id = order_id or None
        s.step = CloseStep.REVIEW if order_id else CloseStep.ORDER
        return Outcome([self.prompt(s, tr)], s)

    async def _take_order_id(
        self, ctx: FlowContext, s: CloseDisputeState, text: str
    ) -> Outcome[CloseDisputeState]:
        tr = ctx.tr
        order_id = normalize_id(visible_text(text))
        if not is_order_kind(classify_id(order_id)) or " " in order_id:
            return Outcome(self._not_an_id(ctx, s, text, texts.NEED_ORDER_ID), s)
        try:
            listed = await ctx.cj.list_disputes(order_id=order_id)
        except CJError as exc:
            failure = explain(exc, tr.gettext(texts.DOING_CHECK_ORDER), tr)
            return Outcome([self.expected(s, tr, tr.format(texts.KEPT, failure=failure))], s)
        if not any(d.id == s.dispute_id for d in listed.items):
            mismatch = tr.format(texts.ORDER_MISMATCH, dispute_id=s.dispute_id, order_id=order_id)
            return Outcome([self.expected(s, tr, mismatch)], s)
        s.order_id = order_id
        s.step = CloseStep.REVIEW
        return Outcome([self.prompt(s, tr)], s)

    async def _cancel(self, ctx: FlowContext, s: CloseDisputeState) -> Outcome[CloseDisputeState]:
        tr = ctx.tr
        assert s.dispute_id and s.order_id
        try:
            await ctx.cj.cancel_dispute(s.order_id, s.dispute_id, actor=ctx.actor_tag)
        except CJError as exc:
            if not await self._already_cancelled(ctx, s.dispute_id):
                shown = self.prompt(s, tr)
                text = tr.format(texts.RETRY_PRESS, failure=explain(exc, tr.gettext(texts.DOING_CLOSE), tr))
                return Outcome([reply(f"{text}\n\n{shown.text}", *shown.buttons)], s)
        s.closed = True
        s.step = CloseStep.DONE
        done = tr.format(
            texts.CLOSED_DONE,
            dispute_id=s.dispute_id,
            order_id=s.order_id,
            final=tr.gettext(policy.CANCEL_IS_FINAL),
        )
        return Outcome([reply(done)], s)

    async def _already_cancelled(self, ctx: FlowContext, dispute_id: str) -> bool:
        """After a crash CJ may have cancelled it already: then the seller's wish is done, not failed."""
        try:
            detail = await ctx.cj.dispute_detail(dispute_id)
        except CJError:
            return False
        return "cancel" in (detail.status or "").lower()

    def _failed(
        self, s: CloseDisputeState, tr: Translator, exc: CJError, doing: str
    ) -> Outcome[CloseDisputeState]:
        s.step = CloseStep.CHECK
        text = tr.format(texts.FAILED, failure=explain(exc, doing, tr))
        return Outcome([reply(text, *self.prompt(s, tr).buttons)], s)

    def describe(self, s: CloseDisputeState, tr: Translator) -> str:
        if s.dispute_id:
            return tr.format(texts.DESCRIBE, dispute_id=s.dispute_id)
        return tr.gettext(texts.DESCRIBE_ANY)

    def is_terminal(self, s: CloseDisputeState) -> bool:
        return s.closed

    def prompt(self, s: CloseDisputeState, tr: Translator) -> Reply:
        n, step = s.nonce, s.step
        cancel = flow_button(tr.gettext(common.CANCEL), n, step, "cancel")
        back = flow_button(tr.gettext(common.BACK), n, step, "back")
        if step is CloseStep.PICK:
            shown = s.candidates[:PICK_BUTTONS_MAX]
            buttons: list[list[Button]] = [
                [flow_button(clip(c.line, 60), n, step, str(i))] for i, c in enumerate(shown)
            ]
            listing = "\n".join(f"{i + 1}. {c.line}" for i, c in enumerate(shown))
            head = tr.gettext(texts.PICK)
            return reply(f"{head}\n{listing}" if listing else head, *buttons, [cancel])
        if step is CloseStep.CHECK:
            return reply(
                tr.gettext(texts.CHECK), [flow_button(tr.gettext(common.TRY_AGAIN), n, step, "retry"), cancel]
            )
        if step is CloseStep.ORDER:
            return reply(tr.format(texts.ASK_ORDER, detail=s.detail or ""), [back, cancel])
        if step is CloseStep.REVIEW:
            text = tr.format(
                texts.REVIEW,
                detail=s.detail or "",
                resumes=tr.gettext(policy.ORDER_RESUMES),
                final=tr.gettext(policy.CANCEL_IS_FINAL),
            )
            return reply(text, [flow_button(tr.gettext(common.CLOSE_THIS), n, step, "close"), back, cancel])
        if step is CloseStep.CONFIRM:
            return reply(
                tr.format(texts.CONFIRM, dispute_id=s.dispute_id, order_id=s.order_id),
                [flow_button(tr.gettext(texts.YES), n, step, "yes")],
                [flow_button(tr.gettext(texts.NO), n, step, "no"), back],
            )
        return reply(tr.format(texts.CLOSED, dispute_id=s.dispute_id))
