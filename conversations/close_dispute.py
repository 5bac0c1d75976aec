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
from conversations.ids import IdKind, classify_id, normalize_id
from conversations.render import clip, flow_button, reply

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


class CloseDisputeFlow(Flow[CloseDisputeState]):
    name: ClassVar[str] = "close"
    state_type: ClassVar[type[FlowState]] = CloseDisputeState

    async def start(self, ctx: FlowContext, args: str) -> Outcome[CloseDisputeState]:
        s = CloseDisputeState(nonce=new_nonce(), started_at=ctx.now)
        if args.strip():
            return await self._take_dispute_id(ctx, s, args)
        return await self._list(ctx, s)

    async def on_text(self, ctx: FlowContext, s: CloseDisputeState, text: str) -> Outcome[CloseDisputeState]:
        if s.step is CloseStep.PICK:
            if text.strip().isdigit() and 1 <= int(text.strip()) <= len(s.candidates):
                return await self._pick(ctx, s, int(text.strip()) - 1)
            return await self._take_dispute_id(ctx, s, text)
        if s.step is CloseStep.ORDER:
            return await self._take_order_id(ctx, s, text)
        return Outcome(self.buttons_expected(ctx, s, text), s)

    async def on_button(
        self, ctx: FlowContext, s: CloseDisputeState, step: str, value: str
    ) -> Outcome[CloseDisputeState]:
        if s.closed:
            return Outcome([reply(f"Already closed: {s.dispute_id}. Nothing was sent twice.")], s)
        if step != s.step:
            return Outcome(self.stale(s), s)
        if s.step is CloseStep.CHECK and value == "retry":
            if s.pending_dispute_id:
                return await self._load(ctx, s, s.pending_dispute_id)
            return await self._list(ctx, s)
        if value == "back":
            return self._back(s)
        if s.step is CloseStep.PICK and value.isdigit():
            return await self._pick(ctx, s, int(value))
        if s.step is CloseStep.REVIEW and value == "close":
            s.step = CloseStep.CONFIRM
            return Outcome([self.prompt(s)], s)
        if s.step is CloseStep.CONFIRM:
            if value == "yes":
                return await self._cancel(ctx, s)
            if value == "no":
                return Outcome([reply(f"Nothing changed: dispute {s.dispute_id} stays open.")], None)
        return Outcome(self.stale(s), s)

    def _back(self, s: CloseDisputeState) -> Outcome[CloseDisputeState]:
        if s.step is CloseStep.CONFIRM:
            s.step = CloseStep.REVIEW
        elif s.step in (CloseStep.REVIEW, CloseStep.ORDER, CloseStep.CHECK):
            s.dispute_id = s.order_id = s.detail = s.pending_dispute_id = None
            s.step = CloseStep.PICK
        return Outcome([self.prompt(s)], s)

    async def _list(self, ctx: FlowContext, s: CloseDisputeState) -> Outcome[CloseDisputeState]:
        try:
            page = await ctx.cj.list_disputes(page_num=1, page_size=LIST_PAGE_SIZE)
        except CJError as exc:
            return self._failed(s, exc, "listing your disputes")
        s.candidates = [
            Candidate(id=d.id, line=one_line(d), order_id=d.orderId or None) for d in page.items if is_open(d)
        ]
        s.listed = True
        s.step = CloseStep.PICK
        if not s.candidates:
            more = " (among your latest disputes)" if page.total > LIST_PAGE_SIZE else ""
            return Outcome(
                [reply(f"You have no open dispute to close{more}. If you know its id, send /close SH…")], None
            )
        return Outcome([self.prompt(s)], s)

    async def _pick(self, ctx: FlowContext, s: CloseDisputeState, index: int) -> Outcome[CloseDisputeState]:
        if not 0 <= index < len(s.candidates):
            return Outcome(self.stale(s), s)
        return await self._load(ctx, s, s.candidates[index].id)

    async def _take_dispute_id(
        self, ctx: FlowContext, s: CloseDisputeState, text: str
    ) -> Outcome[CloseDisputeState]:
        dispute_id = normalize_id(text)
        if classify_id(dispute_id) is not IdKind.DISPUTE:
            return Outcome(
                [self.expected(s, "Send the dispute id: it starts with SH (e.g. SH1623673863466725376).")], s
            )
        return await self._load(ctx, s, dispute_id)

    async def _load(
        self, ctx: FlowContext, s: CloseDisputeState, dispute_id: str
    ) -> Outcome[CloseDisputeState]:
        s.pending_dispute_id = dispute_id
        try:
            detail = await ctx.cj.dispute_detail(dispute_id)
        except CJBusinessError as exc:
            s.pending_dispute_id = None
            s.step = CloseStep.PICK
            text = (
                not_found_text(exc, dispute_id)
                if isinstance(exc, CJNotFound)
                else explain(exc, f"reading dispute {dispute_id}")
            )
            return Outcome([self.expected(s, text)], s)
        except CJError as exc:
            return self._failed(s, exc, f"reading dispute {dispute_id}")
        if not is_open(detail):
            return Outcome(
                [
                    reply(
                        f"{detail_text(detail)}\n\n"
                        "This dispute is no longer open, so there is nothing to close."
                    )
                ],
                None,
            )
        known = next((c.order_id for c in s.candidates if c.id == dispute_id and c.order_id), None)
        # CJ's dispute detail and list do not name the order, and getDisputeList's disputeId filter is
        # typed integer while ids are SH…: the order comes from Alex's records or from the seller.
        order_id = detail.orderId or known or ctx.order_of_dispute(dispute_id)
        s.pending_dispute_id = None
        s.dispute_id = dispute_id
        s.detail = detail_text(detail)
        s.order_id = order_id or None
        s.step = CloseStep.REVIEW if order_id else CloseStep.ORDER
        return Outcome([self.prompt(s)], s)

    async def _take_order_id(
        self, ctx: FlowContext, s: CloseDisputeState, text: str
    ) -> Outcome[CloseDisputeState]:
        order_id = normalize_id(text)
        if classify_id(order_id) not in (IdKind.ORDER, IdKind.BULK_ORDER):
            return Outcome([self.expected(s, "Send the CJ order id (SD…) this dispute belongs to.")], s)
        try:
            listed = await ctx.cj.list_disputes(order_id=order_id)
        except CJError as exc:
            return Outcome(
                [self.expected(s, f"{explain(exc, 'checking that order')} Your answers are kept.")], s
            )
        if not any(d.id == s.dispute_id for d in listed.items):
            return Outcome([self.expected(s, f"CJ lists no dispute {s.dispute_id} on order {order_id}.")], s)
        s.order_id = order_id
        s.step = CloseStep.REVIEW
        return Outcome([self.prompt(s)], s)

    async def _cancel(self, ctx: FlowContext, s: CloseDisputeState) -> Outcome[CloseDisputeState]:
        assert s.dispute_id and s.order_id
        try:
            await ctx.cj.cancel_dispute(s.order_id, s.dispute_id, actor=ctx.actor_tag)
        except CJError as exc:
            if not await self._already_cancelled(ctx, s.dispute_id):
                shown = self.prompt(s)
                text = (
                    f"{explain(exc, 'closing the dispute')}\n"
                    "Nothing is lost: press the button again to retry."
                )
                return Outcome([reply(f"{text}\n\n{shown.text}", *shown.buttons)], s)
        s.closed = True
        s.step = CloseStep.DONE
        return Outcome(
            [
                reply(
                    f"Dispute {s.dispute_id} is closed. CJ will process order {s.order_id} again.\n"
                    f"{policy.CANCEL_IS_FINAL}"
                )
            ],
            s,
        )

    async def _already_cancelled(self, ctx: FlowContext, dispute_id: str) -> bool:
        """After a crash CJ may have cancelled it already: then the seller's wish is done, not failed."""
        try:
            detail = await ctx.cj.dispute_detail(dispute_id)
        except CJError:
            return False
        return "cancel" in (detail.status or "").lower()

    def _failed(self, s: CloseDisputeState, exc: CJError, doing: str) -> Outcome[CloseDisputeState]:
        s.step = CloseStep.CHECK
        return Outcome(
            [reply(f"{explain(exc, doing)}\nNothing changed. Press Try again.", *self.prompt(s).buttons)], s
        )

    def describe(self, s: CloseDisputeState) -> str:
        return f"closing dispute {s.dispute_id}" if s.dispute_id else "closing a dispute"

    def is_terminal(self, s: CloseDisputeState) -> bool:
        return s.closed

    def prompt(self, s: CloseDisputeState) -> Reply:
        n, step = s.nonce, s.step
        cancel = flow_button("Cancel", n, step, "cancel")
        back = flow_button("Back", n, step, "back")
        if step is CloseStep.PICK:
            buttons: list[list[Button]] = [
                [flow_button(clip(c.line, 60), n, step, str(i))]
                for i, c in enumerate(s.candidates[:PICK_BUTTONS_MAX])
            ]
            listing = "\n".join(f"{i + 1}. {c.line}" for i, c in enumerate(s.candidates[:PICK_BUTTONS_MAX]))
            head = "Which dispute do you want to close? Tap it, or send its id (SH…)."
            return reply(f"{head}\n{listing}" if listing else head, *buttons, [cancel])
        if step is CloseStep.CHECK:
            return reply(
                "Alex could not reach CJ. Press Try again.",
                [flow_button("Try again", n, step, "retry"), cancel],
            )
        if step is CloseStep.ORDER:
            return reply(
                f"{s.detail}\n\nCJ needs the order id to close this dispute. Which order (SD…) is it for?",
                [back, cancel],
            )
        if step is CloseStep.REVIEW:
            return reply(
                f"{s.detail}\n\nBefore you close it: {policy.ORDER_RESUMES} {policy.CANCEL_IS_FINAL}",
                [flow_button("Close this dispute", n, step, "close"), back, cancel],
            )
        if step is CloseStep.CONFIRM:
            return reply(
                f"Sure? Dispute {s.dispute_id} on order {s.order_id} will be cancelled for good; "
                "CJ then processes the "
                "order again.",
                [flow_button("Yes, close it for good", n, step, "yes")],
                [flow_button("No, keep it open", n, step, "no"), back],
            )
        return reply(f"Dispute {s.dispute_id} is closed.")

