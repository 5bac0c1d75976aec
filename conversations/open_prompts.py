"""What each step of the open flow shows: its question, its buttons, and the summary's warnings.

One function per step, ``(state, tr) -> Reply``, registered in the step table of
:mod:`conversations.open_dispute`. Texts come from :mod:`conversations.texts.open`.
"""

from __future__ import annotations

from cj.models import ExpectType, RefundType
from conversations import policy
from conversations.events import Button, Reply
from conversations.open_state import Confirmed, OpenDisputeState, OpenStep, Reason
from conversations.render import clip, flow_button, money, reply
from conversations.texts import common
from conversations.texts import open as texts
from i18n import Translator

MESSAGE_MAX_CHARS = 500  # CJ API docs, create: messageText length 500
MEDIA_MAX_COUNT = 10
QUANTITY_BUTTONS_MAX = 6
ITEM_BUTTONS_MAX = 20
SHIPPED_STATUSES = frozenset({"SHIPPED", "DELIVERED"})
EXPECT_LABELS = {ExpectType.REFUND: texts.REFUND, ExpectType.REISSUE: texts.REISSUE}
ROUTE_LABELS = {RefundType.BALANCE: texts.ROUTE_BALANCE, RefundType.ORIGINAL: texts.ROUTE_ORIGINAL}


def _nav(s: OpenDisputeState, tr: Translator, *extra: Button, back: bool = True) -> list[Button]:
    row = list(extra)
    if back:
        row.append(flow_button(tr.gettext(common.BACK), s.nonce, s.step, "back"))
    row.append(flow_button(tr.gettext(common.CANCEL), s.nonce, s.step, "cancel"))
    return row


def _button(s: OpenDisputeState, text: str, value: str) -> Button:
    return flow_button(text, s.nonce, s.step, value)


def reason_label(reason: Reason, tr: Translator) -> str:
    """CJ's name for a reason; CJ has been seen to send an empty one."""
    return reason.name or tr.format(texts.REASON_UNNAMED, id=reason.id)


def amounts_text(c: Confirmed, tr: Translator) -> str:
    parts = [
        tr.format(texts.AMOUNT_PRODUCTS, amount=money(c.max_product, tr.lang)),
        tr.format(texts.AMOUNT_POSTAGE, amount=money(c.max_postage, tr.lang)),
    ]
    if c.max_ioss_tax or c.max_ioss_fee:
        tax, fee = money(c.max_ioss_tax, tr.lang), money(c.max_ioss_fee, tr.lang)
        parts.append(tr.format(texts.AMOUNT_IOSS, tax=tax, fee=fee))
    return tr.format(texts.AMOUNTS, parts=", ".join(parts), total=money(c.max_total, tr.lang))


def checklist(s: OpenDisputeState, tr: Translator) -> list[str]:
    reason = s.answers.reason.name if s.answers.reason else None
    return policy.evidence_checklist(tr, reason, s.order.track_number)


# --- one prompt per step ------------------------------------------------------------------------


def order_prompt(s: OpenDisputeState, tr: Translator) -> Reply:
    return reply(tr.gettext(texts.ORDER), _nav(s, tr, back=False))


def check_prompt(s: OpenDisputeState, tr: Translator) -> Reply:
    return reply(tr.gettext(texts.CHECK), _nav(s, tr, _button(s, tr.gettext(common.TRY_AGAIN), "retry")))


def items_prompt(s: OpenDisputeState, tr: Translator) -> Reply:
    order, picked = s.order, s.selection.picked
    lines = [tr.format(texts.ITEMS, order_id=order.id)]
    for held in order.held:
        names = ", ".join(clip(n, 40) for n in held.names) or "…"
        lines.append(tr.format(texts.ITEMS_HELD, dispute_id=held.dispute_id, names=names))
    if order.closed_window:
        lines.append(tr.plural(texts.ITEMS_CLOSED, order.closed_window))
    buttons = [
        [
            _button(
                s,
                tr.format(
                    texts.ITEM_LABEL,
                    mark="☑" if i in picked else "☐",
                    name=clip(item.name, 34),
                    ordered=item.ordered,
                    price=money(item.price, tr.lang),
                ),
                f"t{i}",
            )
        ]
        for i, item in enumerate(order.items[:ITEM_BUTTONS_MAX])
    ]
    done = _button(s, tr.format(texts.DONE_COUNT, count=len(picked)), "done")
    return reply("\n".join(lines), *buttons, _nav(s, tr, done))


def quantity_prompt(s: OpenDisputeState, tr: Translator) -> Reply:
    item = s.order.items[s.quantity_index()]
    choices = [_button(s, str(q), str(q)) for q in range(1, min(item.ordered, QUANTITY_BUTTONS_MAX) + 1)]
    text = tr.format(texts.QUANTITY, name=clip(item.name, 60), max=item.ordered)
    return reply(text, choices, _nav(s, tr))


def reason_prompt(s: OpenDisputeState, tr: Translator) -> Reply:
    buttons = [[_button(s, reason_label(r, tr), str(i))] for i, r in enumerate(s.reasons())]
    return reply(tr.gettext(texts.REASON), *buttons, _nav(s, tr))


def expect_prompt(s: OpenDisputeState, tr: Translator) -> Reply:
    buttons = [_button(s, tr.gettext(EXPECT_LABELS[o]), str(int(o))) for o in s.expect_options()]
    return reply(tr.gettext(texts.EXPECT), buttons, _nav(s, tr))


def refund_prompt(s: OpenDisputeState, tr: Translator) -> Reply:
    buttons = [_button(s, tr.gettext(ROUTE_LABELS[r]), str(int(r))) for r in RefundType]
    return reply(tr.gettext(texts.ROUTE), buttons, _nav(s, tr))


def message_prompt(s: OpenDisputeState, tr: Translator) -> Reply:
    unsure = s.answers.unsure_message
    if unsure is not None:
        return reply(
            tr.format(texts.MESSAGE_OR_QUESTION, text=clip(unsure, 300)),
            [
                _button(s, tr.gettext(texts.SEND_TO_CJ), "send"),
                _button(s, tr.gettext(texts.WAS_A_QUESTION), "ask"),
            ],
            _nav(s, tr),
        )
    return reply(tr.format(texts.MESSAGE, max=MESSAGE_MAX_CHARS), _nav(s, tr))


def evidence_prompt(s: OpenDisputeState, tr: Translator) -> Reply:
    count = s.evidence.total
    text = tr.format(
        texts.EVIDENCE,
        max=MEDIA_MAX_COUNT,
        checklist="\n".join(f"• {line}" for line in checklist(s, tr)),
        count=count,
    )
    main = [_button(s, tr.gettext(texts.DONE if count else texts.SKIP), "done")]
    if count:
        main.append(_button(s, tr.gettext(texts.CLEAR), "clear"))
    return reply(text, main, _nav(s, tr))


def summary_prompt(s: OpenDisputeState, tr: Translator) -> Reply:
    return reply(
        summary_text(s, tr),
        [
            _button(s, tr.gettext(texts.CONFIRM), "confirm"),
            _button(s, tr.gettext(texts.EDIT), "edit"),
            _button(s, tr.gettext(common.CANCEL), "cancel"),
        ],
    )


EDIT_CHOICES = (
    (texts.EDIT_ITEMS, "items"),
    (texts.EDIT_REASON, "reason"),
    (texts.EDIT_EXPECT, "expect"),
    (texts.EDIT_MESSAGE, "message"),
    (texts.EDIT_EVIDENCE, "evidence"),
    (texts.EDIT_BACK, "back"),
)


def edit_prompt(s: OpenDisputeState, tr: Translator) -> Reply:
    buttons = [_button(s, tr.gettext(text), value) for text, value in EDIT_CHOICES]
    return reply(tr.gettext(texts.EDIT_PROMPT), buttons[0:2], buttons[2:4], buttons[4:6])


def done_prompt(s: OpenDisputeState, tr: Translator) -> Reply:
    return reply(tr.format(texts.IS_OPEN, dispute_id=s.dispute_id))


PROMPTS = {
    OpenStep.ORDER: order_prompt,
    OpenStep.CHECK: check_prompt,
    OpenStep.ITEMS: items_prompt,
    OpenStep.QUANTITY: quantity_prompt,
    OpenStep.REASON: reason_prompt,
    OpenStep.EXPECT: expect_prompt,
    OpenStep.REFUND: refund_prompt,
    OpenStep.MESSAGE: message_prompt,
    OpenStep.EVIDENCE: evidence_prompt,
    OpenStep.SUMMARY: summary_prompt,
    OpenStep.EDIT: edit_prompt,
    OpenStep.DONE: done_prompt,
}


# --- the summary ---------------------------------------------------------------------------------


def summary_text(s: OpenDisputeState, tr: Translator) -> str:
    order, answers, evidence = s.order, s.answers, s.evidence
    out = [tr.format(texts.SUMMARY, order_id=order.id)]
    for line in s.selection.lines:
        item = order.items[line.index]
        out.append(
            tr.format(
                texts.SUMMARY_LINE,
                name=clip(item.name, 60),
                quantity=line.quantity,
                price=money(item.price, tr.lang),
            )
        )
    out.append(
        tr.format(texts.SUMMARY_REASON, reason=reason_label(answers.reason, tr) if answers.reason else "-")
    )
    if answers.expect is ExpectType.REFUND:
        route = policy.refund_route(tr, balance=answers.refund is not RefundType.ORIGINAL)
        out.append(tr.format(texts.SUMMARY_REFUND, route=route))
    else:
        out.append(tr.gettext(texts.SUMMARY_REISSUE))
    if s.selection.confirmed:
        out.append(amounts_text(s.selection.confirmed, tr))
    out.append(tr.format(texts.SUMMARY_MESSAGE, message=answers.message))
    files = tr.plural(texts.SUMMARY_FILES, evidence.for_cj)
    if evidence.without_url:
        files += tr.plural(texts.SUMMARY_ON_WEB, evidence.without_url)
    out.append(files)
    found = warnings(s, tr)
    if found:
        out.append(tr.gettext(texts.BEFORE_CONFIRM))
        out.extend(tr.format(texts.WARNING, warning=w) for w in found)
    return "\n".join(out)


def delivered(s: OpenDisputeState) -> bool:
    return s.order.status == "DELIVERED" or "deliver" in (s.tracking.status or "").lower()


def warnings(s: OpenDisputeState, tr: Translator) -> list[str]:
    found = [tr.gettext(policy.ORDER_PAUSED)]
    reason = s.answers.reason.name if s.answers.reason else None
    if policy.is_not_received_reason(reason):
        if delivered(s):
            found.append(tr.gettext(policy.DELIVERED_NO_REFUND))
        elif s.tracking.days_since_dispatch is not None:
            delay = policy.delay_warning(tr, s.order.country, s.tracking.days_since_dispatch)
            if delay:
                found.append(delay)
    if s.order.existing_dispute_id:
        found.append(tr.format(texts.EXISTING, dispute_id=s.order.existing_dispute_id))
    if s.evidence.total == 0 and (s.order.status or "") in SHIPPED_STATUSES:
        found.append(tr.format(texts.NO_EVIDENCE, checklist=" ".join(checklist(s, tr))))
    if s.evidence.without_url:
        found.append(tr.gettext(policy.EVIDENCE_ON_WEB))
    return found
