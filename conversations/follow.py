"""Following disputes: ``/disputes`` (paged list) and ``/status ID`` (detail and decision).

Read-only, so their buttons carry no flow binding: :class:`~conversations.buttons.DisputesPage`
and :class:`~conversations.buttons.ShowDispute` do the same thing whenever they are pressed,
and never touch a draft in progress.
"""

from __future__ import annotations

import math

from cj.errors import CJBusinessError, CJError, CJNotFound
from conversations.buttons import DisputesPage, RunCommand, ShowDispute, build
from conversations.disputes import detail_text, is_open, one_line
from conversations.events import Button, Reply
from conversations.failures import explain, not_found_text
from conversations.flow import FlowContext
from conversations.ids import IdKind, classify_id, normalize_id
from conversations.render import data_button, reply
from conversations.texts import common
from conversations.texts import follow as texts

PAGE_SIZE = 5
MAX_PAGE = 100_000


async def disputes_page(ctx: FlowContext, page: int) -> list[Reply]:
    tr = ctx.tr
    page = min(max(page, 1), MAX_PAGE)
    try:
        result = await ctx.cj.list_disputes(page_num=page, page_size=PAGE_SIZE)
    except CJError as exc:
        retry = data_button(tr.gettext(common.TRY_AGAIN), DisputesPage(page=page))
        return [reply(explain(exc, tr.gettext(common.DOING_LIST), tr), [retry])]
    pages = max(1, math.ceil(result.total / PAGE_SIZE))
    if not result.items:
        if page > 1:
            first = data_button(tr.gettext(texts.FIRST_PAGE), DisputesPage(page=1))
            return [reply(tr.plural(texts.PAGE_EMPTY, result.total, page=page), [first])]
        return [reply(tr.gettext(texts.NO_DISPUTES))]
    lines = [tr.plural(texts.PAGE_HEADER, result.total, page=page, pages=pages)]
    first_number = (page - 1) * PAGE_SIZE + 1
    lines += [f"{i}. {one_line(d, tr)}" for i, d in enumerate(result.items, start=first_number)]
    lines.append(tr.gettext(texts.PAGE_FOOTER))
    detail_buttons: list[list[Button | None]] = []
    for d in result.items:
        button = data_button(f"{d.id} · {d.status or '?'}", build(ShowDispute, dispute_id=d.id))
        if button is None:
            lines.append(tr.format(texts.TOO_LONG_FOR_BUTTON, dispute_id=d.id))
        detail_buttons.append([button])
    nav: list[Button | None] = []
    if page > 1:
        nav.append(data_button(tr.gettext(texts.PREVIOUS), DisputesPage(page=page - 1)))
    if page < pages:
        nav.append(data_button(tr.gettext(texts.NEXT), DisputesPage(page=page + 1)))
    return [reply("\n".join(lines), *detail_buttons, nav)]


async def dispute_status(ctx: FlowContext, raw_id: str) -> list[Reply]:
    tr = ctx.tr
    dispute_id = normalize_id(raw_id)
    if classify_id(dispute_id) is not IdKind.DISPUTE:
        return [reply(tr.gettext(texts.STATUS_NEEDS_ID))]
    doing = tr.format(common.DOING_READ, dispute_id=dispute_id)
    try:
        detail = await ctx.cj.dispute_detail(dispute_id)
    except CJNotFound as exc:
        return [reply(tr.format(texts.NO_SUCH_DISPUTE, failure=not_found_text(exc, dispute_id, tr)))]
    except CJBusinessError as exc:
        return [reply(explain(exc, doing, tr))]
    except CJError as exc:
        retry = data_button(tr.gettext(common.TRY_AGAIN), build(ShowDispute, dispute_id=dispute_id))
        return [reply(explain(exc, doing, tr), [retry])]
    buttons: list[Button | None] = [
        data_button(tr.gettext(texts.REFRESH), build(ShowDispute, dispute_id=dispute_id))
    ]
    if is_open(detail):
        close = build(RunCommand, command="close", arg=dispute_id)
        buttons.append(data_button(tr.gettext(common.CLOSE_THIS), close))
    return [reply(detail_text(detail, tr, ctx.refund_route_of(dispute_id)), buttons)]
