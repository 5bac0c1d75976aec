"""What the open flow asks CJ, and how CJ's answers change the draft.

Each call fills part of the draft and returns None, or returns a :class:`Setback` saying what
went wrong in the seller's words, whether trying again can help (CJ busy: yes; CJ refused:
no, then the draft goes back to the step whose answer CJ refused), and which buttons help
(the status or closing of a dispute that holds the order). A tracking check is best effort.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cj.business_id import business_dispute_id
from cj.errors import (
    CJBusinessError,
    CJError,
    CJForeignDispute,
    CJNotDisputable,
    CJNotFound,
    CJQuotaExhausted,
    NotDisputable,
)
from cj.models import CreateDisputeRequest, DisputeLine, DisputeSummary, ExpectType, OrderDetail, RefundType
from conversations import policy
from conversations.buttons import ButtonData, RunCommand, build
from conversations.disputes import is_open
from conversations.failures import (
    explain,
    foreign_dispute_text,
    is_retryable,
    needs_operator,
    not_disputable_text,
    not_found_text,
)
from conversations.flow import FlowContext
from conversations.ids import IdKind, classify_id, shop_number_variants
from conversations.open_state import Confirmed, Held, Item, OpenDisputeState, OpenStep, Reason
from conversations.texts import open as texts
from i18n import Translator

UNPAID_STATUSES = frozenset({"CREATED", "IN_CART", "UNPAID"})
CANCELLED_STATUS = "CANCELLED"
SECONDS_PER_DAY = 86_400
HELD_LIST_PAGE = 50


@dataclass
class Setback:
    """A CJ call that did not give what the draft needs."""

    text: str
    retry: bool  # Try again may help (CJ busy or unreachable, the operator must fix the key)
    back_to: OpenStep = OpenStep.CHECK  # where the draft goes when trying again will not help
    offers: list[tuple[str, ButtonData]] = field(default_factory=list)


def _failed(exc: CJError, doing: str, tr: Translator) -> Setback:
    """A call that failed for a reason other than CJ refusing this order."""
    text = tr.format(texts.KEPT, failure=explain(exc, doing, tr))
    if needs_operator(exc) or isinstance(exc, CJQuotaExhausted):  # the same call works once fixed or reset
        return Setback(f"{text} {tr.gettext(texts.OPERATOR_RETRY)}", retry=True)
    if is_retryable(exc):
        return Setback(f"{text} {tr.gettext(texts.RETRY_OR_BACK)}", retry=True)
    return Setback(
        tr.format(texts.ANOTHER_ORDER, text=explain(exc, doing, tr)), retry=False, back_to=OpenStep.ORDER
    )


def _dispute_offers(tr: Translator, dispute_id: str) -> list[tuple[str, ButtonData]]:
    offers: list[tuple[str, ButtonData]] = []
    for text, command in ((texts.STATUS_OF, "status"), (texts.CLOSE_IT, "close")):
        data = build(RunCommand, command=command, arg=dispute_id)
        if data is not None and data.fits():
            offers.append((tr.format(text, dispute_id=dispute_id), data))
    return offers


def _order_refused(tr: Translator, order_id: str, exc: CJBusinessError, bulk: bool) -> Setback:
    """CJ refused this order: said in the seller's words (``conversations.failures``), decided on
    the exception's class, never on CJ's English message."""
    if isinstance(exc, CJNotFound):
        text = not_found_text(exc, order_id, tr)
    elif bulk:  # CJ's own words, then where bulk orders are disputed on the website
        failure = explain(exc, tr.format(texts.DOING_LOOKUP, order_id=order_id), tr)
        text = tr.format(texts.BULK_REFUSED, failure=failure, bulk_steps=tr.gettext(policy.BULK_WEB_STEPS))
    elif isinstance(exc, CJNotDisputable):
        text = not_disputable_text(exc, order_id, tr)
    else:
        text = explain(exc, tr.format(texts.DOING_LOOKUP, order_id=order_id), tr)
    return Setback(tr.format(texts.ANOTHER_ORDER, text=text), retry=False, back_to=OpenStep.ORDER)


def _refused(tr: Translator, text: str) -> Setback:
    return Setback(tr.format(texts.ANOTHER_ORDER, text=text), retry=False, back_to=OpenStep.ORDER)


async def _order_detail(ctx: FlowContext, typed: str) -> tuple[OrderDetail | None, Setback | None]:
    """CJ's order for what the seller typed: a CJ id, or a shop order number as typed or without '#'."""
    tr = ctx.tr
    kind = classify_id(typed)
    keys = shop_number_variants(typed) if kind is IdKind.SHOP_ORDER else [typed]
    for attempt, key in enumerate(keys, start=1):
        try:
            return await ctx.cj.order_detail(key), None
        except CJNotFound as exc:
            if attempt < len(keys):
                continue
            return None, _order_refused(tr, typed, exc, kind is IdKind.BULK_ORDER)
        except CJBusinessError as exc:
            return None, _order_refused(tr, typed, exc, kind is IdKind.BULK_ORDER)
        except CJError as exc:
            return None, _failed(exc, tr.format(texts.DOING_LOOKUP, order_id=typed), tr)
    return None, _refused(tr, tr.format(texts.NO_SUCH_ORDER, order_id=typed))


async def _open_disputes(ctx: FlowContext, order_id: str) -> list[DisputeSummary]:
    """The disputes CJ is still reviewing on this order (best effort: none when CJ does not say)."""
    try:
        page = await ctx.cj.list_disputes(order_id=order_id, page_num=1, page_size=HELD_LIST_PAGE)
    except CJError:
        return []
    return [d for d in page.items if is_open(d)]


async def lookup_order(ctx: FlowContext, s: OpenDisputeState) -> Setback | None:
    """Order detail, then its disputable lines, then which of the others an open dispute holds."""
    tr = ctx.tr
    typed = s.order.typed or ""
    order, setback = await _order_detail(ctx, typed)
    if order is None:
        return setback
    order_id = order.orderId or typed
    status = (order.orderStatus or "").upper()
    if status in UNPAID_STATUSES:
        return _refused(tr, tr.format(texts.UNPAID, order_id=order_id))
    if status == CANCELLED_STATUS:
        return _refused(tr, tr.format(texts.CANCELLED_ORDER, order_id=order_id))
    bulk = classify_id(order_id) is IdKind.BULK_ORDER or classify_id(typed) is IdKind.BULK_ORDER
    try:
        products = await ctx.cj.dispute_products(order_id)
    except CJBusinessError as exc:
        return _order_refused(tr, order_id, exc, bulk)
    except CJError as exc:
        return _failed(exc, tr.format(texts.DOING_ITEMS, order_id=order_id), tr)
    lines = products.productInfoList
    items = [
        Item(
            line_item_id=p.lineItemId,
            name=(p.cjProductName or p.sku or p.lineItemId).strip() or p.lineItemId,
            sku=p.sku,
            price=p.price,
            ordered=max(p.quantity, 1),
            raw=p.model_dump(mode="json", by_alias=True),
        )
        for p in lines
        if p.canChoose
    ]
    blocked = [p for p in lines if not p.canChoose]
    held: list[Held] = []
    held_ids: set[str] = set()
    if blocked or order.disputeId:
        names = {p.lineItemId: (p.cjProductName or p.sku or p.lineItemId) for p in lines}
        for dispute in await _open_disputes(ctx, order_id):
            covered = [x.lineItemId for x in dispute.productList if x.lineItemId in names]
            held_ids.update(covered)
            held.append(Held(dispute_id=dispute.id, names=[names[x] for x in covered]))
    if not items:
        if held:
            dispute_id = held[0].dispute_id
            text = tr.format(
                texts.ALL_HELD,
                order_id=order_id,
                dispute_id=dispute_id,
                review_time=tr.gettext(policy.REVIEW_TIME).rstrip("."),
            )
            return Setback(text, retry=False, back_to=OpenStep.ORDER, offers=_dispute_offers(tr, dispute_id))
        had = tr.format(texts.HAD_DISPUTE, dispute_id=order.disputeId) if order.disputeId else ""
        return _refused(tr, tr.format(texts.ALL_CLOSED, order_id=order_id) + had)
    o = s.order
    o.id = products.orderId or order_id
    o.typed = None
    o.number = products.orderNumber or order.orderNumber or order.orderNum
    o.status = status or None
    o.country = order.shippingCountryCode
    o.out_warehouse_at = order.outWarehouseTime.timestamp() if order.outWarehouseTime else None
    o.track_number = order.trackNumber or None
    o.existing_dispute_id = order.disputeId or None
    o.items = items
    o.held = held
    o.closed_window = sum(1 for p in blocked if p.lineItemId not in held_ids)
    s.selection.picked = [0] if len(items) == 1 else []
    s.selection.done, s.selection.lines, s.selection.confirmed = False, [], None
    s.answers.reason = None
    return None


async def confirm(ctx: FlowContext, s: OpenDisputeState, notes: list[str]) -> Setback | None:
    """``disputeConfirmInfo`` for the chosen lines: the most CJ can refund, the reasons, the results."""
    tr = ctx.tr
    lines = list(s.selection.lines)
    payload = [{**s.order.items[line.index].raw, "quantity": line.quantity} for line in lines]
    try:
        info = await ctx.cj.dispute_confirm_info(s.order.id or "", payload)
    except CJBusinessError as exc:
        failure = explain(exc, tr.gettext(texts.DOING_CONFIRM), tr)
        if isinstance(exc, CJNotDisputable) and exc.reason is not NotDisputable.IN_PROGRESS:
            failure = not_disputable_text(exc, s.order.id or "", tr)
        held = s.open_dispute()
        if held:
            text = tr.format(texts.CONFIRM_REFUSED_HELD, failure=failure, dispute_id=held)
            return Setback(text, retry=False, back_to=OpenStep.ITEMS, offers=_dispute_offers(tr, held))
        return Setback(tr.format(texts.CONFIRM_REFUSED, failure=failure), retry=False, back_to=OpenStep.ITEMS)
    except CJError as exc:
        return _failed(exc, tr.gettext(texts.DOING_CONFIRM), tr)
    reasons = [
        Reason(id=r.disputeReasonId, name=(r.reasonName or "").strip()) for r in info.disputeReasonList
    ]
    if not reasons:
        return Setback(tr.gettext(texts.NO_REASONS), retry=False, back_to=OpenStep.ITEMS)
    options = list(dict.fromkeys(info.expectResultOptionList)) or list(ExpectType)
    s.selection.confirmed = Confirmed(
        lines=lines,
        max_product=info.maxProductPrice,
        max_postage=info.maxPostage,
        max_ioss_tax=info.maxIossTaxAmount,
        max_ioss_fee=info.maxIossHandTaxAmount,
        max_total=info.maxAmount,
        reasons=reasons,
        expect_options=options,
    )
    answers = s.answers
    if answers.reason is not None and answers.reason not in reasons:
        answers.reason = None
    if answers.expect is not None and answers.expect not in options:
        answers.expect, answers.refund = None, None
    return None


async def check_tracking(ctx: FlowContext, s: OpenDisputeState) -> None:
    """Best effort: a failed tracking call only loses a hint, never the draft."""
    reason = s.answers.reason.name if s.answers.reason else None
    if not s.tracking.checked and s.order.track_number and policy.is_not_received_reason(reason):
        try:
            infos = await ctx.cj.track_info([s.order.track_number])
        except CJError:
            infos = None
        if infos is not None:
            s.tracking.checked = True
            s.tracking.status = next((i.trackingStatus for i in infos if i.trackingStatus), None)
    if s.order.out_warehouse_at is not None:
        s.tracking.days_since_dispatch = int((ctx.now - s.order.out_warehouse_at) // SECONDS_PER_DAY)


def create_request(s: OpenDisputeState) -> CreateDisputeRequest:
    answers, order = s.answers, s.order
    assert order.id and answers.reason and answers.expect and answers.message is not None
    return CreateDisputeRequest(
        businessDisputeId=business_dispute_id(order.id, s.draft_key),
        orderId=order.id,
        disputeReasonId=answers.reason.id,
        expectType=answers.expect,
        refundType=answers.refund or RefundType.BALANCE,
        messageText=answers.message,
        imageUrl=list(s.evidence.images),
        videoUrl=list(s.evidence.videos),
        productInfoList=[
            DisputeLine(
                lineItemId=order.items[line.index].line_item_id,
                quantity=line.quantity,
                price=order.items[line.index].price,
            )
            for line in s.selection.lines
        ],
    )


async def create(ctx: FlowContext, s: OpenDisputeState) -> Setback | None:
    """Create the dispute (retry-safe on the draft's businessDisputeId); fills ``s.dispute_id``."""
    tr = ctx.tr
    try:
        created = await ctx.cj.create_dispute(create_request(s), actor=ctx.actor_tag)
    except CJForeignDispute as exc:  # someone opened another dispute on the order meanwhile
        text = tr.format(texts.CREATE_REFUSED, failure=foreign_dispute_text(exc, tr))
        return Setback(
            text, retry=False, back_to=OpenStep.SUMMARY, offers=_dispute_offers(tr, exc.dispute_id)
        )
    except CJError as exc:
        failure = explain(exc, tr.gettext(texts.DOING_CREATE), tr)
        if is_retryable(exc) or needs_operator(exc) or isinstance(exc, CJQuotaExhausted):
            unsure = tr.gettext(texts.CREATE_MAYBE) if is_retryable(exc) else ""
            return Setback(tr.format(texts.CREATE_FAILED, failure=failure, unsure=unsure), retry=True)
        return Setback(
            tr.format(texts.CREATE_REFUSED, failure=failure), retry=False, back_to=OpenStep.SUMMARY
        )
    s.dispute_id = created.id
    return None
