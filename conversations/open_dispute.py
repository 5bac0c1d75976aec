"""Opening a dispute, step by step (diagram: ``open_dispute.md`` beside this file).

The flow is a table (:data:`STEPS`): each step names its prompt, what its buttons do, what
typed text does, and what Back clears. What the steps share (typed "back"/"done"/"skip" or a
button's label, a typed number as the nth button, a policy question answered while the draft
waits) lives in :class:`conversations.flow.Flow`. The next step is derived from the draft
(:func:`conversations.open_state.next_step`); CJ is asked only when an answer needs it
(:mod:`conversations.open_cj`): the order at the start, ``disputeConfirmInfo`` once the items
and quantities are known, tracking before the summary, create on Confirm.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import ClassVar

from cj.models import ExpectType, RefundType
from conversations import faq_route, open_cj, policy
from conversations.buttons import ShowDispute, build
from conversations.events import Media, Reply
from conversations.flow import Flow, FlowContext, FlowState, Outcome, new_nonce
from conversations.ids import IdKind, classify_id, find_dispute_id, find_order_id, normalize_id
from conversations.open_prompts import (
    MEDIA_MAX_COUNT,
    MESSAGE_MAX_CHARS,
    PROMPTS,
    amounts_text,
)
from conversations.open_state import (
    Line,
    OpenDisputeState,
    OpenStep,
    OrderPart,
    Selection,
    next_step,
)
from conversations.reading import is_blank, looks_numeric, reads_as_question, visible_text, whole_number
from conversations.render import data_button, flow_button, reply
from conversations.texts import common
from conversations.texts import open as texts
from i18n import Translator

__all__ = [
    "MEDIA_MAX_COUNT",
    "MESSAGE_MAX_CHARS",
    "OpenDisputeFlow",
    "OpenDisputeState",
    "OpenStep",
    "next_step",
]

MEDIA_URL_MAX_CHARS = 200  # CJ API docs, create: imageUrl / videoUrl length 200

Result = Outcome[OpenDisputeState]
S = OpenDisputeState
Ctx = FlowContext
ValueHandler = Callable[["OpenDisputeFlow", FlowContext, OpenDisputeState, str], Awaitable[Result | None]]
TextHandler = Callable[["OpenDisputeFlow", FlowContext, OpenDisputeState, str], Awaitable[Result | None]]


@dataclass(frozen=True)
class Step:
    """One row of the table: what the step shows and how it takes its answers."""

    prompt: Callable[[OpenDisputeState, Translator], Reply]
    on_value: ValueHandler | None = None  # a press of one of its buttons (None: stale)
    on_text: TextHandler | None = None  # typed text; None lets the shared handling answer
    back: Callable[[OpenDisputeState], None] | None = None  # clears the answer given before this step
    numbered: Callable[[OpenDisputeState], list[str]] | None = None  # typed "2" = the 2nd of these values


def _index(value: str, prefix: str = "") -> int | None:
    """A button value's number, ASCII digits only (button data is never trusted)."""
    digits = value.removeprefix(prefix) if value.startswith(prefix) else None
    if digits is None or not (digits.isascii() and digits.isdigit()) or len(digits) > 4:
        return None
    return int(digits)


# --- Back: each clears the answer given just before its step -------------------------------------


def _back_to_order(s: OpenDisputeState) -> None:
    s.order, s.selection = OrderPart(), Selection()
    s.answers.reason = None


def _back_from_check(s: OpenDisputeState) -> None:
    if not s.order.id:
        s.order.typed = None
    else:
        _back_one_quantity(s)


def _back_one_quantity(s: OpenDisputeState) -> None:
    asked = s.asked_lines()
    if asked:
        s.selection.lines.remove(asked[-1])
    else:
        s.selection.done, s.selection.lines = False, []


def _clear_expect_or_reason(s: OpenDisputeState) -> None:
    """Back over a result CJ offered alone (chosen automatically) clears the reason as well."""
    a = s.answers
    a.expect, a.refund = None, None
    if len(s.expect_options()) <= 1:
        a.reason = None


def _back_from_message(s: OpenDisputeState) -> None:
    s.answers.unsure_message = None
    if s.answers.expect is ExpectType.REFUND:
        s.answers.refund = None
    else:
        _clear_expect_or_reason(s)


def _clear(field: str) -> Callable[[OpenDisputeState], None]:
    def clear(s: OpenDisputeState) -> None:
        setattr(s.answers, field, None)

    return clear


def _leave_edit(s: OpenDisputeState) -> None:
    s.step = OpenStep.SUMMARY


def _back_from_evidence(s: OpenDisputeState) -> None:
    s.answers.message = None


# --- answers, step by step ---------------------------------------------------------------------


async def _order_text(flow: OpenDisputeFlow, ctx: Ctx, s: S, text: str) -> Result:
    """An order id or shop number (alone, or inside a sentence); a question is answered instead."""
    tr = ctx.tr
    alone = visible_text(text)
    value = normalize_id(alone) if len(alone.split()) == 1 else None
    kind = classify_id(value) if value else IdKind.INVALID
    if kind is IdKind.INVALID and not reads_as_question(text):
        found = find_dispute_id(text) or find_order_id(text)
        if found:
            value, kind = found, classify_id(found)
    if kind is IdKind.DISPUTE:
        return Outcome([flow.expected(s, tr, tr.format(texts.IS_DISPUTE_ID, value=value))], s)
    if kind is IdKind.INVALID or value is None:
        replies = flow.buttons_expected(ctx, s, text)
        if len(replies) == 1:  # not a question either: say what this step needs
            replies = [flow.expected(s, tr, tr.gettext(texts.NOT_AN_ORDER))]
        return Outcome(replies, s)
    s.order.typed = value
    return await flow.advance(ctx, s)


async def _retry(flow: OpenDisputeFlow, ctx: Ctx, s: S, value: str) -> Result | None:
    return await flow.advance(ctx, s) if value == "retry" else None


async def _check_text(flow: OpenDisputeFlow, ctx: Ctx, s: S, text: str) -> Result | None:
    if faq_route.answer_in_flow(ctx.matcher, text, ctx.tr) is not None:
        return None  # a question: the shared handling answers it
    return Outcome([flow.expected(s, ctx.tr, ctx.tr.gettext(texts.WAITING_ON_CJ))], s)


async def _items_value(flow: OpenDisputeFlow, ctx: Ctx, s: S, value: str) -> Result | None:
    selection = s.selection
    if value == "done":
        if not selection.picked:
            return Outcome([flow.expected(s, ctx.tr, ctx.tr.gettext(texts.PICK_ONE))], s)
        selection.done = True
        selection.lines = sorted(
            (line for line in selection.lines if line.index in selection.picked),
            key=lambda line: selection.picked.index(line.index),
        )
        return await flow.advance(ctx, s)
    index = _index(value, "t")
    if index is None or not 0 <= index < len(s.order.items):
        return None
    if index in selection.picked:
        selection.picked.remove(index)
        selection.lines = [line for line in selection.lines if line.index != index]
    else:
        selection.picked.append(index)
    shown = flow.prompt(s, ctx.tr)
    return Outcome([Reply(text=shown.text, buttons=shown.buttons, edit=True)], s)


async def _quantity(flow: OpenDisputeFlow, ctx: Ctx, s: S, number: int | None) -> Result:
    item = s.order.items[s.quantity_index()]
    if number is None or not 1 <= number <= item.ordered:
        return Outcome([flow.expected(s, ctx.tr, ctx.tr.format(texts.QUANTITY_RANGE, max=item.ordered))], s)
    s.selection.lines.append(Line(index=s.quantity_index(), quantity=number))
    return await flow.advance(ctx, s)


async def _quantity_value(flow: OpenDisputeFlow, ctx: Ctx, s: S, value: str) -> Result | None:
    number = _index(value)
    return await _quantity(flow, ctx, s, number) if number is not None else None


async def _quantity_text(flow: OpenDisputeFlow, ctx: Ctx, s: S, text: str) -> Result | None:
    number = whole_number(text)
    if (
        number is not None
        or looks_numeric(text)
        or faq_route.answer_in_flow(ctx.matcher, text, ctx.tr) is None
    ):
        return await _quantity(flow, ctx, s, number)
    return None  # a question: the shared handling answers it


async def _reason_value(flow: OpenDisputeFlow, ctx: Ctx, s: S, value: str) -> Result | None:
    index = _index(value)
    reasons = s.reasons()
    if index is None or not 0 <= index < len(reasons):
        return None
    s.answers.reason = reasons[index]
    return await flow.advance(ctx, s)


async def _expect_value(flow: OpenDisputeFlow, ctx: Ctx, s: S, value: str) -> Result | None:
    chosen = next((o for o in s.expect_options() if str(int(o)) == value), None)
    if chosen is None:
        return None
    s.answers.expect = chosen
    if chosen is ExpectType.REISSUE:
        s.answers.refund = None
    return await flow.advance(ctx, s)


async def _refund_value(flow: OpenDisputeFlow, ctx: Ctx, s: S, value: str) -> Result | None:
    chosen = next((r for r in RefundType if str(int(r)) == value), None)
    if chosen is None:
        return None
    s.answers.refund = chosen
    return await flow.advance(ctx, s)


async def _message_text(flow: OpenDisputeFlow, ctx: Ctx, s: S, text: str) -> Result:
    tr = ctx.tr
    message = text.strip()
    if is_blank(message):
        return Outcome([flow.expected(s, tr, tr.gettext(texts.MESSAGE_EMPTY))], s)
    if len(message) > MESSAGE_MAX_CHARS:
        over = len(message) - MESSAGE_MAX_CHARS
        too_long = tr.format(texts.MESSAGE_TOO_LONG, length=len(message), over=over, max=MESSAGE_MAX_CHARS)
        return Outcome([flow.expected(s, tr, too_long)], s)
    if reads_as_question(message) and message != s.answers.unsure_message:
        s.answers.unsure_message = message  # ask before sending a question to CJ as the message
        return Outcome([flow.prompt(s, tr)], s)
    s.answers.message, s.answers.unsure_message = message, None
    return await flow.advance(ctx, s)


async def _message_value(flow: OpenDisputeFlow, ctx: Ctx, s: S, value: str) -> Result | None:
    unsure = s.answers.unsure_message
    if unsure is None or value not in ("send", "ask"):
        return None
    s.answers.unsure_message = None
    if value == "send":
        s.answers.message = unsure
        return await flow.advance(ctx, s)
    answered = faq_route.answer(ctx.matcher, unsure, ctx.tr, actions=False)
    return Outcome([*answered, flow.expected(s, ctx.tr, ctx.tr.gettext(common.BACK_TO_DRAFT))], s)


async def _evidence_value(flow: OpenDisputeFlow, ctx: Ctx, s: S, value: str) -> Result | None:
    if value == "clear":
        s.evidence.images, s.evidence.videos, s.evidence.without_url = [], [], 0
        return Outcome([flow.expected(s, ctx.tr, ctx.tr.gettext(texts.CLEARED))], s)
    if value == "done":
        s.evidence.done = True
        return await flow.advance(ctx, s)
    return None


async def _evidence_text(flow: OpenDisputeFlow, ctx: Ctx, s: S, text: str) -> Result | None:
    if faq_route.answer_in_flow(ctx.matcher, text, ctx.tr) is not None:
        return None
    return Outcome([flow.expected(s, ctx.tr, ctx.tr.gettext(texts.EVIDENCE_TEXT))], s)


async def _summary_value(flow: OpenDisputeFlow, ctx: Ctx, s: S, value: str) -> Result | None:
    if value == "confirm":
        return await flow.create(ctx, s)
    if value == "edit":
        s.step = OpenStep.EDIT
        return Outcome([flow.prompt(s, ctx.tr)], s)
    return None


def _edit_items(s: OpenDisputeState) -> None:
    s.selection = Selection(picked=s.selection.picked)


def _edit_expect(s: OpenDisputeState) -> None:
    s.answers.expect, s.answers.refund = None, None


def _edit_evidence(s: OpenDisputeState) -> None:
    s.evidence.done = False


EDITS: dict[str, Callable[[OpenDisputeState], None]] = {
    "items": _edit_items,
    "reason": _clear("reason"),
    "expect": _edit_expect,
    "message": _clear("message"),
    "evidence": _edit_evidence,
    "back": lambda s: None,
}


async def _edit_value(flow: OpenDisputeFlow, ctx: Ctx, s: S, value: str) -> Result | None:
    edit = EDITS.get(value)
    if edit is None:
        return None
    edit(s)
    return await flow.advance(ctx, s)


def _numbered_items(s: OpenDisputeState) -> list[str]:
    return [f"t{i}" for i in range(len(s.order.items))]


STEPS: dict[OpenStep, Step] = {
    OpenStep.ORDER: Step(PROMPTS[OpenStep.ORDER], on_text=_order_text),
    OpenStep.CHECK: Step(
        PROMPTS[OpenStep.CHECK], on_value=_retry, on_text=_check_text, back=_back_from_check
    ),
    OpenStep.ITEMS: Step(
        PROMPTS[OpenStep.ITEMS], on_value=_items_value, back=_back_to_order, numbered=_numbered_items
    ),
    OpenStep.QUANTITY: Step(
        PROMPTS[OpenStep.QUANTITY], on_value=_quantity_value, on_text=_quantity_text, back=_back_one_quantity
    ),
    OpenStep.REASON: Step(
        PROMPTS[OpenStep.REASON],
        on_value=_reason_value,
        back=_back_one_quantity,
        numbered=lambda s: [str(i) for i in range(len(s.reasons()))],
    ),
    OpenStep.EXPECT: Step(
        PROMPTS[OpenStep.EXPECT],
        on_value=_expect_value,
        back=_clear("reason"),
        numbered=lambda s: [str(int(o)) for o in s.expect_options()],
    ),
    OpenStep.REFUND: Step(
        PROMPTS[OpenStep.REFUND],
        on_value=_refund_value,
        back=_clear_expect_or_reason,
        numbered=lambda s: [str(int(r)) for r in RefundType],
    ),
    OpenStep.MESSAGE: Step(
        PROMPTS[OpenStep.MESSAGE], on_value=_message_value, on_text=_message_text, back=_back_from_message
    ),
    OpenStep.EVIDENCE: Step(
        PROMPTS[OpenStep.EVIDENCE], on_value=_evidence_value, on_text=_evidence_text, back=_back_from_evidence
    ),
    OpenStep.SUMMARY: Step(PROMPTS[OpenStep.SUMMARY], on_value=_summary_value),
    OpenStep.EDIT: Step(PROMPTS[OpenStep.EDIT], on_value=_edit_value, back=_leave_edit),
    OpenStep.DONE: Step(PROMPTS[OpenStep.DONE]),
}


class OpenDisputeFlow(Flow[OpenDisputeState]):
    name: ClassVar[str] = "open"
    state_type: ClassVar[type[FlowState]] = OpenDisputeState

    # --- entry points ---------------------------------------------------------------------------

    async def start(self, ctx: FlowContext, args: str) -> Result:
        s = OpenDisputeState(nonce=new_nonce(), started_at=ctx.now)
        if args.strip():
            return await _order_text(self, ctx, s, args)
        return Outcome([self.prompt(s, ctx.tr)], s)

    async def on_text(self, ctx: FlowContext, s: OpenDisputeState, text: str) -> Result:
        step = STEPS[s.step]
        pressed = self.typed_press(s, ctx.tr, text)
        if pressed is not None and s.step is not OpenStep.ORDER:
            return await self.on_button(ctx, s, str(s.step), pressed)
        if step.on_text is not None:
            handled = await step.on_text(self, ctx, s, text)
            if handled is not None:
                return handled
        if step.numbered is not None:
            number = whole_number(text)
            if number is not None:
                values = step.numbered(s)
                if 1 <= number <= len(values):
                    return await self.on_button(ctx, s, str(s.step), values[number - 1])
                return Outcome([self.not_a_choice(s, ctx.tr, text, len(values))], s)
            odd = self.not_a_number(s, ctx.tr, text)
            if odd is not None:
                return Outcome([odd], s)
        return Outcome(self.buttons_expected(ctx, s, text), s)

    async def on_button(self, ctx: FlowContext, s: OpenDisputeState, step: str, value: str) -> Result:
        tr = ctx.tr
        if s.dispute_id:
            return Outcome([reply(tr.format(texts.ALREADY_CREATED, dispute_id=s.dispute_id))], s)
        if step != s.step:
            return Outcome(self.stale(s, tr), s)
        row = STEPS[s.step]
        if value == "back" and row.back is not None:
            row.back(s)
            return await self.advance(ctx, s)
        handled = await row.on_value(self, ctx, s, value) if row.on_value is not None else None
        return handled if handled is not None else Outcome(self.stale(s, tr), s)

    async def on_media(
        self, ctx: FlowContext, s: OpenDisputeState, media: tuple[Media, ...], caption: str
    ) -> Result:
        tr = ctx.tr
        if s.step is not OpenStep.EVIDENCE:
            return Outcome([self.expected(s, tr, tr.gettext(texts.MEDIA_WRONG_STEP))], s)
        evidence = s.evidence
        notes: list[str] = []
        for item in media:
            if evidence.total >= MEDIA_MAX_COUNT:
                notes.append(tr.format(texts.TOO_MANY, max=MEDIA_MAX_COUNT))
                break
            if item.url is None:
                evidence.without_url += 1
                notes.append(tr.format(texts.NO_PUBLIC_URL, on_web=tr.gettext(policy.EVIDENCE_ON_WEB)))
                continue
            if len(item.url) > MEDIA_URL_MAX_CHARS or not item.url.startswith(("http://", "https://")):
                notes.append(tr.format(texts.BAD_URL, max=MEDIA_URL_MAX_CHARS))
                continue
            (evidence.images if item.kind == "photo" else evidence.videos).append(item.url)
        notes.append(tr.plural(texts.SO_FAR, evidence.for_cj))
        shown = self.prompt(s, tr)
        return Outcome([reply("\n".join(dict.fromkeys(notes)), *shown.buttons)], s)

    # --- walking forward, asking CJ when needed ---------------------------------------------------

    async def advance(self, ctx: FlowContext, s: OpenDisputeState, notes: list[str] | None = None) -> Result:
        """Fill in what needs no question (CJ's answers, single choices), then show the next step."""
        tr = ctx.tr
        notes = notes if notes is not None else []
        while True:
            step = next_step(s)
            if step is OpenStep.CHECK and not s.order.id:
                setback = await open_cj.lookup_order(ctx, s)
                if setback is not None:
                    return self._setback(s, tr, setback)
                continue
            if step is OpenStep.QUANTITY:
                index = s.quantity_index()
                if s.order.items[index].ordered == 1:
                    s.selection.lines.append(Line(index=index, quantity=1))
                    continue
            if step is OpenStep.CHECK:
                setback = await open_cj.confirm(ctx, s, notes)
                if setback is not None:
                    return self._setback(s, tr, setback)
                assert s.selection.confirmed is not None
                notes.append(amounts_text(s.selection.confirmed, tr))
                continue
            if step is OpenStep.EXPECT and len(s.expect_options()) == 1:
                s.answers.expect = s.expect_options()[0]
                only = texts.ONLY_REFUND if s.answers.expect is ExpectType.REFUND else texts.ONLY_REISSUE
                notes.append(tr.gettext(only))
                continue
            if step is OpenStep.SUMMARY:
                await open_cj.check_tracking(ctx, s)
            break
        s.step = step
        shown = self.prompt(s, tr)
        text = "\n".join([*notes, shown.text]) if notes else shown.text
        return Outcome([reply(text, *shown.buttons)], s)

    def _setback(self, s: OpenDisputeState, tr: Translator, setback: open_cj.Setback) -> Result:
        """CJ did not give what the draft needs: Try again when that can help, else go back a step."""
        offers = [data_button(text, data) for text, data in setback.offers]
        if setback.retry:
            s.step = OpenStep.CHECK
            buttons = [
                flow_button(tr.gettext(common.TRY_AGAIN), s.nonce, OpenStep.CHECK, "retry"),
                flow_button(tr.gettext(common.BACK), s.nonce, OpenStep.CHECK, "back"),
                flow_button(tr.gettext(common.CANCEL), s.nonce, OpenStep.CHECK, "cancel"),
            ]
            return Outcome([reply(setback.text, buttons, offers)], s)
        if setback.back_to is OpenStep.ORDER:
            _back_to_order(s)
        elif setback.back_to is OpenStep.ITEMS:
            s.selection.done, s.selection.lines, s.selection.confirmed = False, [], None
        s.step = next_step(s) if setback.back_to is not OpenStep.SUMMARY else OpenStep.SUMMARY
        shown = self.prompt(s, tr)
        return Outcome([reply(f"{setback.text}\n\n{shown.text}", offers, *shown.buttons)], s)

    async def create(self, ctx: FlowContext, s: OpenDisputeState) -> Result:
        tr = ctx.tr
        setback = await open_cj.create(ctx, s)
        if setback is not None:
            stay = open_cj.Setback(setback.text, retry=False, back_to=OpenStep.SUMMARY, offers=setback.offers)
            return self._setback(s, tr, stay)
        assert s.dispute_id and s.order.id
        s.step = OpenStep.DONE
        lines = [
            tr.format(texts.CREATED, dispute_id=s.dispute_id, order_id=s.order.id),
            tr.gettext(policy.REVIEW_TIME),
            tr.gettext(policy.ORDER_PAUSED),
            tr.format(texts.CREATED_FOLLOW, dispute_id=s.dispute_id),
            tr.format(texts.CREATED_ON_WEB, where=tr.gettext(policy.WEB_DISPUTE_VIEW)),
        ]
        if s.evidence.without_url:
            lines.append(tr.gettext(policy.EVIDENCE_ON_WEB))
        status = data_button(tr.gettext(texts.CHECK_STATUS), build(ShowDispute, dispute_id=s.dispute_id))
        return Outcome([reply("\n".join(lines), [status])], s, opened=(s.dispute_id, s.order.id))

    # --- showing the current step -----------------------------------------------------------------

    def prompt(self, s: OpenDisputeState, tr: Translator) -> Reply:
        return STEPS[s.step].prompt(s, tr)

    def describe(self, s: OpenDisputeState, tr: Translator) -> str:
        order = s.order.id or s.order.typed
        return tr.format(texts.DESCRIBE, order_id=order) if order else tr.gettext(texts.DESCRIBE_ANY)

    def is_terminal(self, s: OpenDisputeState) -> bool:
        return s.step is OpenStep.DONE
