"""Opening a dispute, step by step (diagram: ``open_dispute.md`` beside this file).

The next step is derived from what the draft already holds (``next_step``), so Back and
Edit only clear an answer and the same walk brings the seller back to where they were.
CJ is asked only when an answer needs it: the order at the start, ``disputeConfirmInfo``
once the items and quantities are known, tracking before the summary, create on Confirm.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field

from cj.business_id import business_dispute_id
from cj.errors import CJBusinessError, CJError, CJNotDisputable, CJNotFound
from cj.models import CreateDisputeRequest, DisputeLine, ExpectType, RefundType
from conversations import policy
from conversations.events import Button, Media, Reply
from conversations.failures import (
    explain,
    is_retryable,
    needs_operator,
    not_disputable_text,
    not_found_text,
)
from conversations.flow import Flow, FlowContext, FlowState, Outcome, new_nonce
from conversations.ids import IdKind, classify_id, normalize_id
from conversations.render import clip, flow_button, money, plain_button, reply

MESSAGE_MAX_CHARS = 500  # seeds/003 create: messageText length 500
MEDIA_MAX_COUNT = 10
MEDIA_URL_MAX_CHARS = 200  # seeds/003 create: imageUrl / videoUrl length 200
QUANTITY_BUTTONS_MAX = 6
ITEM_BUTTONS_MAX = 20
UNPAID_STATUSES = frozenset({"CREATED", "IN_CART", "UNPAID"})
SHIPPED_STATUSES = frozenset({"SHIPPED", "DELIVERED"})
SECONDS_PER_DAY = 86_400


class OpenStep(StrEnum):
    ORDER = "order"
    CHECK = "check"  # waiting on CJ after a failed call: Try again
    ITEMS = "items"
    QUANTITY = "qty"
    REASON = "reason"
    EXPECT = "expect"
    REFUND = "refund"
    MESSAGE = "msg"
    EVIDENCE = "evid"
    SUMMARY = "sum"
    EDIT = "edit"
    DONE = "done"


class Item(BaseModel):
    """A choosable line of the order; ``raw`` goes back to CJ unchanged (CJ_API_NOTES.md)."""

    line_item_id: str
    name: str
    sku: str | None = None
    price: Decimal
    ordered: int
    raw: dict[str, Any]


class Line(BaseModel):
    index: int
    quantity: int


class Reason(BaseModel):
    id: int
    name: str


class Confirmed(BaseModel):
    """``disputeConfirmInfo`` for one selection of lines."""

    lines: list[Line]
    max_product: Decimal
    max_postage: Decimal
    max_ioss_tax: Decimal
    max_ioss_fee: Decimal
    max_total: Decimal
    reasons: list[Reason]
    expect_options: list[int]


class OpenDisputeState(FlowState):
    flow: Literal["open"] = "open"
    step: OpenStep = OpenStep.ORDER
    draft_key: str = Field(default_factory=lambda: secrets.token_hex(8))
    pending_order_id: str | None = None
    order_id: str | None = None
    order_number: str | None = None
    order_status: str | None = None
    country: str | None = None
    out_warehouse_at: float | None = None
    track_number: str | None = None
    existing_dispute_id: str | None = None
    items: list[Item] = Field(default_factory=list)
    not_choosable: int = 0
    selected: list[int] = Field(default_factory=list)
    items_done: bool = False
    lines: list[Line] = Field(default_factory=list)
    confirmed: Confirmed | None = None
    reason: Reason | None = None
    expect: ExpectType | None = None
    refund: RefundType | None = None
    message: str | None = None
    evidence_done: bool = False
    images: list[str] = Field(default_factory=list)
    videos: list[str] = Field(default_factory=list)
    media_without_url: int = 0
    tracking_status: str | None = None
    tracking_checked: bool = False
    days_since_dispatch: int | None = None
    dispute_id: str | None = None


def _new_state(ctx: FlowContext) -> OpenDisputeState:
    return OpenDisputeState(nonce=new_nonce(), started_at=ctx.now)


def next_step(s: OpenDisputeState) -> OpenStep:
    """The first question the draft has no answer for."""
    if s.dispute_id:
        return OpenStep.DONE
    if not s.order_id:
        return OpenStep.CHECK if s.pending_order_id else OpenStep.ORDER
    if not s.items_done or not s.selected:
        return OpenStep.ITEMS
    if len(s.lines) < len(s.selected):
        return OpenStep.QUANTITY
    if s.confirmed is None or s.confirmed.lines != s.lines:
        return OpenStep.CHECK
    if s.reason is None:
        return OpenStep.REASON
    if s.expect is None:
        return OpenStep.EXPECT
    if s.expect is ExpectType.REFUND and s.refund is None:
        return OpenStep.REFUND
    if s.message is None:
        return OpenStep.MESSAGE
    if not s.evidence_done:
        return OpenStep.EVIDENCE
    return OpenStep.SUMMARY


class OpenDisputeFlow(Flow[OpenDisputeState]):
    name: ClassVar[str] = "open"
    state_type: ClassVar[type[FlowState]] = OpenDisputeState

    # --- entry points -------------------------------------------------------

    async def start(self, ctx: FlowContext, args: str) -> Outcome[OpenDisputeState]:
        s = _new_state(ctx)
        if args.strip():
            return await self._take_order_id(ctx, s, args)
        return Outcome([self.prompt(s)], s)

    async def on_text(self, ctx: FlowContext, s: OpenDisputeState, text: str) -> Outcome[OpenDisputeState]:
        step = s.step
        if step is OpenStep.ORDER:
            return await self._take_order_id(ctx, s, text)
        if step is OpenStep.QUANTITY:
            return await self._take_quantity(ctx, s, text.strip())
        if step is OpenStep.MESSAGE:
            return self._take_message(s, text)
        if step is OpenStep.EVIDENCE:
            if text.strip().lower() in {"done", "skip", "no", "none", "next"}:
                s.evidence_done = True
                return await self._advance(ctx, s, [])
            return Outcome([self.expected(s, "Send photos or videos here, or press Done / Skip.")], s)
        if step is OpenStep.CHECK:
            return Outcome([self.expected(s, "Alex is waiting on CJ: press Try again, or /cancel.")], s)
        if (
            step in (OpenStep.REASON, OpenStep.EXPECT, OpenStep.REFUND, OpenStep.ITEMS)
            and text.strip().isdigit()
        ):
            return await self._pick_by_number(ctx, s, int(text.strip()))
        return Outcome(self.buttons_expected(ctx, s, text), s)

    async def on_media(
        self, ctx: FlowContext, s: OpenDisputeState, media: tuple[Media, ...], caption: str
    ) -> Outcome[OpenDisputeState]:
        if s.step is not OpenStep.EVIDENCE:
            return Outcome(
                [self.expected(s, "Photos and videos are taken at the evidence step, after the message.")], s
            )
        notes: list[str] = []
        for item in media:
            if len(s.images) + len(s.videos) + s.media_without_url >= MEDIA_MAX_COUNT:
                notes.append(f"That makes more than {MEDIA_MAX_COUNT} files: the extra ones were not added.")
                break
            if item.url is None:
                s.media_without_url += 1
                notes.append(
                    "Got it, but this Alex has no public address to hand files to CJ. "
                    f"{policy.EVIDENCE_ON_WEB}"
                )
                continue
            if len(item.url) > MEDIA_URL_MAX_CHARS or not item.url.startswith(("http://", "https://")):
                notes.append(
                    f"That file's link is not usable by CJ (http(s), at most {MEDIA_URL_MAX_CHARS} chars)."
                )
                continue
            (s.images if item.kind == "photo" else s.videos).append(item.url)
        attached = len(s.images) + len(s.videos)
        notes.append(f"Evidence so far: {attached} file(s) for CJ. Send more, or press Done.")
        shown = self.prompt(s)
        return Outcome([reply("\n".join(dict.fromkeys(notes)), *shown.buttons)], s)

    async def on_button(
        self, ctx: FlowContext, s: OpenDisputeState, step: str, value: str
    ) -> Outcome[OpenDisputeState]:
        if s.dispute_id:
            return Outcome(
                [reply(f"Already created: {s.dispute_id}. Nothing was sent twice. /status {s.dispute_id}")], s
            )
        if step != s.step:
            return Outcome(self.stale(s), s)
        if value == "back":
            self._back(s)
            return await self._advance(ctx, s, [])
        if s.step is OpenStep.CHECK and value == "retry":
            return await self._advance(ctx, s, [])
        if s.step is OpenStep.ITEMS:
            if value == "done":
                if not s.selected:
                    return Outcome([self.expected(s, "Pick at least one item first.")], s)
                s.items_done = True
                s.lines = [line for line in s.lines if line.index in s.selected]
                s.lines.sort(key=lambda line: s.selected.index(line.index))
                return await self._advance(ctx, s, [])
            if value.startswith("t") and value[1:].isdigit():
                return self._toggle(s, int(value[1:]))
        if s.step is OpenStep.QUANTITY and value.isdigit():
            return await self._take_quantity(ctx, s, value)
        if s.step is OpenStep.REASON and value.isdigit():
            return await self._pick_reason(ctx, s, int(value))
        if s.step is OpenStep.EXPECT and value in {str(o) for o in self._expect_options(s)}:
            s.expect = ExpectType(int(value))
            if s.expect is ExpectType.REISSUE:
                s.refund = None
            return await self._advance(ctx, s, [])
        if s.step is OpenStep.REFUND and value in {"1", "2"}:
            s.refund = RefundType(int(value))
            return await self._advance(ctx, s, [])
        if s.step is OpenStep.EVIDENCE and value in {"done", "clear"}:
            if value == "clear":
                s.images, s.videos, s.media_without_url = [], [], 0
                return Outcome([self.expected(s, "Evidence cleared.")], s)
            s.evidence_done = True
            return await self._advance(ctx, s, [])
        if s.step is OpenStep.SUMMARY:
            if value == "confirm":
                return await self._create(ctx, s)
            if value == "edit":
                s.step = OpenStep.EDIT
                return Outcome([self.prompt(s)], s)
        if s.step is OpenStep.EDIT:
            return await self._edit(ctx, s, value)
        return Outcome(self.stale(s), s)

    # --- answers ------------------------------------------------------------

    async def _take_order_id(
        self, ctx: FlowContext, s: OpenDisputeState, text: str
    ) -> Outcome[OpenDisputeState]:
        order_id = normalize_id(text)
        kind = classify_id(order_id)
        if kind is IdKind.INVALID:
            return Outcome(
                [
                    self.expected(
                        s,
                        "That does not look like a CJ order id: letters and digits only, like SD2501150001.",
                    )
                ],
                s,
            )
        if kind is IdKind.DISPUTE:
            return Outcome(
                [
                    self.expected(
                        s,
                        f"{order_id} is a dispute id (SH…). To follow it: /status {order_id}. "
                        "To open a dispute I need the order id (SD…).",
                    )
                ],
                s,
            )
        if kind is IdKind.BULK_ORDER:
            return Outcome([self.expected(s, policy.BULK_WEB_STEPS)], s)
        s.pending_order_id = order_id
        return await self._advance(ctx, s, [])

    def _toggle(self, s: OpenDisputeState, index: int) -> Outcome[OpenDisputeState]:
        if not 0 <= index < len(s.items):
            return Outcome(self.stale(s), s)
        if index in s.selected:
            s.selected.remove(index)
            s.lines = [line for line in s.lines if line.index != index]
        else:
            s.selected.append(index)
        shown = self.prompt(s)
        return Outcome([Reply(text=shown.text, buttons=shown.buttons, edit=True)], s)

    async def _take_quantity(
        self, ctx: FlowContext, s: OpenDisputeState, text: str
    ) -> Outcome[OpenDisputeState]:
        item = s.items[self._quantity_index(s)]
        if not text.isdigit() or not 1 <= int(text) <= item.ordered:
            return Outcome([self.expected(s, f"Send a whole number from 1 to {item.ordered}.")], s)
        s.lines.append(Line(index=self._quantity_index(s), quantity=int(text)))
        return await self._advance(ctx, s, [])

    async def _pick_reason(
        self, ctx: FlowContext, s: OpenDisputeState, index: int
    ) -> Outcome[OpenDisputeState]:
        reasons = s.confirmed.reasons if s.confirmed else []
        if not 0 <= index < len(reasons):
            return Outcome([self.expected(s, f"Pick one of the {len(reasons)} reasons below.")], s)
        s.reason = reasons[index]
        return await self._advance(ctx, s, [])

    async def _pick_by_number(
        self, ctx: FlowContext, s: OpenDisputeState, number: int
    ) -> Outcome[OpenDisputeState]:
        """Typed numbers work like the nth button (handy in the terminal and for screen readers)."""
        if s.step is OpenStep.REASON:
            return await self._pick_reason(ctx, s, number - 1)
        if s.step is OpenStep.ITEMS and 1 <= number <= len(s.items):
            return self._toggle(s, number - 1)
        allowed = self._expect_options(s) if s.step is OpenStep.EXPECT else [1, 2]
        if s.step in (OpenStep.EXPECT, OpenStep.REFUND) and number in allowed:
            return await self.on_button(ctx, s, s.step, str(number))
        return Outcome([self.expected(s, "That number is not one of the choices.")], s)

    def _take_message(self, s: OpenDisputeState, text: str) -> Outcome[OpenDisputeState]:
        message = text.strip()
        if not message:
            return Outcome([self.expected(s, "The message is required: a few words on what went wrong.")], s)
        if len(message) > MESSAGE_MAX_CHARS:
            over = len(message) - MESSAGE_MAX_CHARS
            return Outcome(
                [
                    self.expected(
                        s,
                        f"That message is {len(message)} characters: {over} over CJ's limit of "
                        f"{MESSAGE_MAX_CHARS}. Shorten it and send it again.",
                    )
                ],
                s,
            )
        s.message = message
        s.step = next_step(s)
        return Outcome([self.prompt(s)], s)

    def _back(self, s: OpenDisputeState) -> None:
        """Clear the answer given just before the current step."""
        step = s.step
        if step is OpenStep.CHECK:
            if not s.order_id:
                s.pending_order_id = None
                return
            step = OpenStep.REASON
        if step is OpenStep.ITEMS:
            s.order_id, s.pending_order_id, s.items, s.selected, s.lines = None, None, [], [], []
            s.confirmed = s.reason = None
        elif step in (OpenStep.QUANTITY, OpenStep.REASON):
            manual = self._manual_lines(s)
            if manual:
                s.lines.remove(manual[-1])
            else:
                s.items_done, s.lines = False, []
        elif step is OpenStep.EXPECT:
            s.reason = None
        elif step is OpenStep.REFUND:
            self._clear_expect_or_reason(s)
        elif step is OpenStep.MESSAGE:
            if s.expect is ExpectType.REFUND:
                s.refund = None
            else:
                self._clear_expect_or_reason(s)
        elif step is OpenStep.EVIDENCE:
            s.message = None
        elif step is OpenStep.EDIT:
            s.step = OpenStep.SUMMARY

    def _clear_expect_or_reason(self, s: OpenDisputeState) -> None:
        if len(self._expect_options(s)) > 1:
            s.expect, s.refund = None, None
        else:
            s.expect, s.refund, s.reason = None, None, None

    def _manual_lines(self, s: OpenDisputeState) -> list[Line]:
        """Quantities the seller chose (items ordered once are filled in without asking)."""
        return [line for line in s.lines if s.items[line.index].ordered > 1]

    async def _edit(self, ctx: FlowContext, s: OpenDisputeState, value: str) -> Outcome[OpenDisputeState]:
        if value == "items":
            s.items_done, s.lines = False, []
        elif value == "reason":
            s.reason = None
        elif value == "expect":
            s.expect, s.refund = None, None
        elif value == "message":
            s.message = None
        elif value == "evidence":
            s.evidence_done = False
        elif value != "back":
            return Outcome(self.stale(s), s)
        return await self._advance(ctx, s, [])

    # --- walking forward, asking CJ when needed -----------------------------

    async def _advance(
        self, ctx: FlowContext, s: OpenDisputeState, notes: list[str]
    ) -> Outcome[OpenDisputeState]:
        while True:
            step = next_step(s)
            if step is OpenStep.CHECK and not s.order_id:
                failure = await self._lookup_order(ctx, s, notes)
                if failure is not None:
                    return failure
                continue
            if step is OpenStep.QUANTITY:
                index = self._quantity_index(s)
                if s.items[index].ordered == 1:
                    s.lines.append(Line(index=index, quantity=1))
                    continue
            if step is OpenStep.CHECK:
                failure = await self._confirm(ctx, s, notes)
                if failure is not None:
                    return failure
                continue
            if step is OpenStep.EXPECT and len(self._expect_options(s)) == 1:
                s.expect = ExpectType(self._expect_options(s)[0])
                notes.append(f"CJ offers only {_expect_label(s.expect)} for this selection.")
                continue
            if step is OpenStep.SUMMARY:
                await self._check_tracking(ctx, s)
                if s.out_warehouse_at is not None:
                    s.days_since_dispatch = int((ctx.now - s.out_warehouse_at) // SECONDS_PER_DAY)
            break
        s.step = step
        shown = self.prompt(s)
        text = "\n".join([*notes, shown.text]) if notes else shown.text
        return Outcome([reply(text, *shown.buttons)], s)

    def _quantity_index(self, s: OpenDisputeState) -> int:
        done = {line.index for line in s.lines}
        return next(index for index in s.selected if index not in done)

    def _cj_failed(self, s: OpenDisputeState, exc: CJError, doing: str) -> Outcome[OpenDisputeState]:
        s.step = OpenStep.CHECK
        text = f"{explain(exc, doing)}\nYour draft is kept."
        if needs_operator(exc):
            text += " Once the operator has fixed it, press Try again."
        elif not is_retryable(exc):
            text += " Press Try again, or Back to change your answer."
        buttons = [
            flow_button("Try again", s.nonce, OpenStep.CHECK, "retry"),
            flow_button("Back", s.nonce, OpenStep.CHECK, "back"),
            flow_button("Cancel", s.nonce, OpenStep.CHECK, "cancel"),
        ]
        return Outcome([reply(text, buttons)], s)

    async def _lookup_order(
        self, ctx: FlowContext, s: OpenDisputeState, notes: list[str]
    ) -> Outcome[OpenDisputeState] | None:
        order_id = s.pending_order_id or ""
        try:
            order = await ctx.cj.order_detail(order_id)
        except CJBusinessError as exc:
            return self._order_refused(s, order_id, exc)
        except CJError as exc:
            return self._cj_failed(s, exc, f"looking up order {order_id}")
        status = (order.orderStatus or "").upper()
        if status in UNPAID_STATUSES:
            return self._order_rejected(
                s,
                f"Order {order_id} is not paid yet, so there is nothing to dispute. Pay it on CJ first "
                "(or cancel it there if the buyer no longer wants it).",
            )
        if status == "CANCELLED":
            return self._order_rejected(
                s, f"Order {order_id} is cancelled on CJ: there is nothing to dispute."
            )
        try:
            products = await ctx.cj.dispute_products(order.orderId or order_id)
        except CJBusinessError as exc:
            return self._order_refused(s, order_id, exc)
        except CJError as exc:
            return self._cj_failed(s, exc, f"reading the items of order {order_id}")
        items = [
            Item(
                line_item_id=p.lineItemId,
                name=p.cjProductName or p.sku or p.lineItemId,
                sku=p.sku,
                price=p.price,
                ordered=max(p.quantity, 1),
                raw=p.model_dump(mode="json", by_alias=True),
            )
            for p in products.productInfoList
            if p.canChoose
        ]
        if not items:
            already = (
                f" It already has dispute {order.disputeId} (/status {order.disputeId})."
                if order.disputeId
                else ""
            )
            return self._order_rejected(
                s,
                f"None of the items of order {order_id} can be disputed now: the dispute window may have "
                f"closed, or the items are already in a dispute.{already}",
            )
        s.order_id = products.orderId or order.orderId or order_id
        s.pending_order_id = None
        s.order_number = products.orderNumber or order.orderNumber or order.orderNum
        s.order_status = status or None
        s.country = order.shippingCountryCode
        s.out_warehouse_at = order.outWarehouseTime.timestamp() if order.outWarehouseTime else None
        s.track_number = order.trackNumber or None
        s.existing_dispute_id = order.disputeId or None
        s.items = items
        s.not_choosable = len(products.productInfoList) - len(items)
        s.selected = [0] if len(items) == 1 else []
        s.items_done, s.lines, s.confirmed, s.reason = False, [], None, None
        if s.existing_dispute_id:
            notes.append(
                f"Note: CJ already links dispute {s.existing_dispute_id} to this order "
                f"(/status {s.existing_dispute_id} shows it)."
            )
        return None

    def _order_refused(
        self, s: OpenDisputeState, order_id: str, exc: CJBusinessError
    ) -> Outcome[OpenDisputeState]:
        if isinstance(exc, CJNotFound):
            text = not_found_text(exc, order_id)
        elif isinstance(exc, CJNotDisputable):
            text = not_disputable_text(exc, order_id)
        else:
            text = explain(exc, f"looking up order {order_id}")
        return self._order_rejected(s, text)

    def _order_rejected(self, s: OpenDisputeState, text: str) -> Outcome[OpenDisputeState]:
        s.pending_order_id = None
        s.step = OpenStep.ORDER
        return Outcome([self.expected(s, f"{text}\nSend another order id, or /cancel.")], s)

    async def _confirm(
        self, ctx: FlowContext, s: OpenDisputeState, notes: list[str]
    ) -> Outcome[OpenDisputeState] | None:
        lines = list(s.lines)
        payload = [{**s.items[line.index].raw, "quantity": line.quantity} for line in lines]
        try:
            info = await ctx.cj.dispute_confirm_info(s.order_id or "", payload)
        except CJError as exc:
            return self._cj_failed(s, exc, "asking CJ what this dispute can claim")
        reasons = [Reason(id=r.disputeReasonId, name=r.reasonName) for r in info.disputeReasonList]
        options = [int(o) for o in info.expectResultOptionList] or [
            int(ExpectType.REFUND),
            int(ExpectType.REISSUE),
        ]
        if not reasons:
            s.items_done, s.lines = False, []
            s.step = OpenStep.ITEMS
            return Outcome(
                [self.expected(s, "CJ offers no dispute reason for this selection. Pick other items.")], s
            )
        s.confirmed = Confirmed(
            lines=lines,
            max_product=info.maxProductPrice,
            max_postage=info.maxPostage,
            max_ioss_tax=info.maxIossTaxAmount,
            max_ioss_fee=info.maxIossHandTaxAmount,
            max_total=info.maxAmount,
            reasons=reasons,
            expect_options=options,
        )
        if s.reason is not None and s.reason not in reasons:
            s.reason = None
        if s.expect is not None and int(s.expect) not in options:
            s.expect, s.refund = None, None
        notes.append(_amounts_text(s.confirmed))
        return None

    async def _check_tracking(self, ctx: FlowContext, s: OpenDisputeState) -> None:
        """Best effort: a failed tracking call only loses a hint, never the draft."""
        if (
            s.tracking_checked
            or not s.track_number
            or not policy.is_not_received_reason(s.reason and s.reason.name)
        ):
            return
        try:
            infos = await ctx.cj.track_info([s.track_number])
        except CJError:
            return
        s.tracking_checked = True
        s.tracking_status = next((i.trackingStatus for i in infos if i.trackingStatus), None)

    async def _create(self, ctx: FlowContext, s: OpenDisputeState) -> Outcome[OpenDisputeState]:
        assert s.order_id and s.reason and s.expect and s.message is not None
        request = CreateDisputeRequest(
            businessDisputeId=business_dispute_id(s.order_id, s.draft_key),
            orderId=s.order_id,
            disputeReasonId=s.reason.id,
            expectType=s.expect,
            refundType=s.refund or RefundType.BALANCE,
            messageText=s.message,
            imageUrl=list(s.images),
            videoUrl=list(s.videos),
            productInfoList=[
                DisputeLine(
                    lineItemId=s.items[line.index].line_item_id,
                    quantity=line.quantity,
                    price=s.items[line.index].price,
                )
                for line in s.lines
            ],
        )
        try:
            created = await ctx.cj.create_dispute(request, actor=ctx.actor_tag)
        except CJError as exc:
            s.step = OpenStep.SUMMARY
            unsure = " CJ may have received it before the failure." if is_retryable(exc) else ""
            text = (
                f"{explain(exc, 'creating the dispute')}{unsure}\n"
                "Your draft is kept. Pressing Confirm again is safe: "
                "Alex never opens the same dispute twice."
            )
            shown = self.prompt(s)
            return Outcome([reply(f"{text}\n\n{shown.text}", *shown.buttons)], s)
        s.dispute_id = created.id
        s.step = OpenStep.DONE
        lines = [
            f"Dispute {created.id} is open for order {s.order_id}.",
            policy.REVIEW_TIME,
            policy.ORDER_PAUSED,
            f"Follow it with /status {created.id}; Alex also tells you when CJ decides.",
            "Replying to CJ in the dispute, or agreeing to a reissue, is done on CJ's site: "
            f"{policy.WEB_DISPUTE_VIEW}.",
        ]
        if s.media_without_url:
            lines.append(policy.EVIDENCE_ON_WEB)
        return Outcome(
            [reply("\n".join(lines), [plain_button("Check status", f"st:{created.id}")])],
            s,
            opened=(created.id, s.order_id),
        )

    # --- showing the current step -------------------------------------------

    def _expect_options(self, s: OpenDisputeState) -> list[int]:
        return s.confirmed.expect_options if s.confirmed else [1, 2]

    def describe(self, s: OpenDisputeState) -> str:
        order = s.order_id or s.pending_order_id
        return f"your dispute draft for order {order}" if order else "your dispute draft"

    def is_terminal(self, s: OpenDisputeState) -> bool:
        return s.step is OpenStep.DONE

    def prompt(self, s: OpenDisputeState) -> Reply:
        n = s.nonce
        step = s.step

        def nav(*extra: Button, back: bool = True) -> list[Button]:
            row = list(extra)
            if back:
                row.append(flow_button("Back", n, step, "back"))
            row.append(flow_button("Cancel", n, step, "cancel"))
            return row

        if step is OpenStep.ORDER:
            return reply(
                "Which order is the dispute for? Send its CJ order id (SD…, shown in CJ under "
                "Orders > Orders Fulfillment).",
                nav(back=False),
            )
        if step is OpenStep.CHECK:
            return reply(
                "Alex could not finish asking CJ. Your draft is kept: press Try again.",
                [flow_button("Try again", n, step, "retry"), *nav()],
            )
        if step is OpenStep.ITEMS:
            header = f"Order {s.order_id}: which items is the dispute about? Tap to select, then Done."
            if s.not_choosable:
                header += (
                    f"\n({s.not_choosable} other item(s) cannot be disputed now: CJ closed their window.)"
                )
            buttons = [
                [
                    flow_button(
                        f"{'☑' if i in s.selected else '☐'} {clip(item.name, 34)} ×{item.ordered} "
                        f"{money(item.price)}",
                        n,
                        step,
                        f"t{i}",
                    )
                ]
                for i, item in enumerate(s.items[:ITEM_BUTTONS_MAX])
            ]
            return reply(header, *buttons, nav(flow_button(f"Done ({len(s.selected)})", n, step, "done")))
        if step is OpenStep.QUANTITY:
            item = s.items[self._quantity_index(s)]
            choices = [
                flow_button(str(q), n, step, str(q))
                for q in range(1, min(item.ordered, QUANTITY_BUTTONS_MAX) + 1)
            ]
            return reply(
                f'How many of "{clip(item.name, 60)}" are affected? From 1 to {item.ordered} '
                "(tap or type the number).",
                choices,
                nav(),
            )
        if step is OpenStep.REASON:
            reasons = s.confirmed.reasons if s.confirmed else []
            return reply(
                "What went wrong? Pick the reason closest to the buyer's problem.",
                *[[flow_button(r.name, n, step, str(i))] for i, r in enumerate(reasons)],
                nav(),
            )
        if step is OpenStep.EXPECT:
            options = self._expect_options(s)
            return reply(
                "What do you want CJ to do?",
                [flow_button(_expect_label(ExpectType(o)).capitalize(), n, step, str(o)) for o in options],
                nav(),
            )
        if step is OpenStep.REFUND:
            return reply(
                "Where should the refund go?",
                [
                    flow_button("CJ wallet balance", n, step, "1"),
                    flow_button("Original payment method", n, step, "2"),
                ],
                nav(),
            )
        if step is OpenStep.MESSAGE:
            return reply(
                f"Write the message for CJ's reviewer (required, 1-{MESSAGE_MAX_CHARS} characters): "
                "what happened "
                "and what the buyer reported.",
                nav(),
            )
        if step is OpenStep.EVIDENCE:
            checklist = "\n".join(
                f"• {line}" for line in policy.evidence_checklist(s.reason and s.reason.name)
            )
            count = len(s.images) + len(s.videos) + s.media_without_url
            extra = [flow_button("Clear evidence", n, step, "clear")] if count else []
            return reply(
                f"Evidence (optional, up to {MEDIA_MAX_COUNT} photos or videos). "
                "What helps for this reason:\n"
                f"{checklist}\nSend them now, then press Done. Files so far: {count}.",
                [flow_button("Done" if count else "Skip", n, step, "done"), *extra],
                nav(),
            )
        if step is OpenStep.SUMMARY:
            return reply(
                self._summary_text(s),
                [
                    flow_button("Confirm and open", n, step, "confirm"),
                    flow_button("Edit", n, step, "edit"),
                    flow_button("Cancel", n, step, "cancel"),
                ],
            )
        if step is OpenStep.EDIT:
            return reply(
                "What do you want to change?",
                [
                    flow_button("Items and quantities", n, step, "items"),
                    flow_button("Reason", n, step, "reason"),
                ],
                [
                    flow_button("Refund / reissue", n, step, "expect"),
                    flow_button("Message", n, step, "message"),
                ],
                [
                    flow_button("Evidence", n, step, "evidence"),
                    flow_button("Back to summary", n, step, "back"),
                ],
            )
        return reply(f"Dispute {s.dispute_id} is open. /status {s.dispute_id}")

    def _summary_text(self, s: OpenDisputeState) -> str:
        out = [f"Please check, then Confirm. Dispute for order {s.order_id}:"]
        for line in s.lines:
            item = s.items[line.index]
            out.append(f"• {clip(item.name, 60)} × {line.quantity} ({money(item.price)} each)")
        out.append(f"Reason: {s.reason.name if s.reason else '-'}")
        if s.expect is ExpectType.REFUND:
            route = policy.REFUND_BALANCE if s.refund is RefundType.BALANCE else policy.REFUND_ORIGINAL
            out.append(f"You ask for: a refund to {route}")
        else:
            out.append("You ask for: a reissue (CJ sends the items again)")
        if s.confirmed:
            out.append(_amounts_text(s.confirmed))
        out.append(f"Message: {s.message}")
        files = len(s.images) + len(s.videos)
        out.append(
            f"Evidence: {files} file(s) sent to CJ"
            + (f", {s.media_without_url} to attach on CJ's site" if s.media_without_url else "")
        )
        warnings = self._warnings(s)
        if warnings:
            out.append("Before you confirm:")
            out.extend(f"⚠ {w}" for w in warnings)
        return "\n".join(out)

    def _warnings(self, s: OpenDisputeState) -> list[str]:
        warnings = [policy.ORDER_PAUSED]
        reason = s.reason.name if s.reason else None
        delivered = (s.order_status == "DELIVERED") or "deliver" in (s.tracking_status or "").lower()
        if policy.is_not_received_reason(reason):
            if delivered:
                warnings.append(policy.DELIVERED_NO_REFUND)
            if s.days_since_dispatch is not None:
                limit = policy.delay_days(s.country)
                waited = s.days_since_dispatch
                if 0 <= waited < limit:
                    where = (
                        f" to {s.country}"
                        if s.country and s.country.upper() in policy.DELAY_DAYS_BY_COUNTRY
                        else ""
                    )
                    warnings.append(
                        f"CJ counts a parcel{where} as delayed only {limit} days after it left the warehouse "
                        f"(60 in general, 45 for the US, 110 for Brazil); this one left {waited} days ago."
                    )
        if s.existing_dispute_id:
            warnings.append(
                f"CJ already links dispute {s.existing_dispute_id} to this order: "
                "make sure this is another problem."
            )
        files = len(s.images) + len(s.videos) + s.media_without_url
        if files == 0 and (s.order_status or "") in SHIPPED_STATUSES:
            warnings.append(f"No evidence: for shipped orders CJ expects proof. {policy.PROOF}")
        if s.media_without_url:
            warnings.append(policy.EVIDENCE_ON_WEB)
        return warnings


def _expect_label(expect: ExpectType) -> str:
    return "refund" if expect is ExpectType.REFUND else "reissue"


def _amounts_text(c: Confirmed) -> str:
    parts = [f"products {money(c.max_product)}", f"postage {money(c.max_postage)}"]
    if c.max_ioss_tax or c.max_ioss_fee:
        parts.append(f"IOSS tax {money(c.max_ioss_tax)} + fee {money(c.max_ioss_fee)}")
    return f"The most CJ can refund for this selection: {', '.join(parts)}; total {money(c.max_total)} USD."
