"""Following disputes: ``/disputes`` (paged list) and ``/status ID`` (detail and decision).

Read-only, so their buttons carry no flow binding: ``pg:<page>`` and ``st:<dispute id>``
do the same thing whenever they are pressed, and never touch a draft in progress.
"""

from __future__ import annotations

import math

from cj.errors import CJBusinessError, CJError, CJNotFound
from conversations.disputes import detail_text, is_open, one_line
from conversations.events import CALLBACK_DATA_MAX_BYTES, Button, Reply
from conversations.failures import explain, not_found_text
from conversations.ids import IdKind, classify_id, normalize_id
from conversations.ports import CJPort
from conversations.render import plain_button, reply

PAGE_SIZE = 5


def _fits(data: str) -> bool:
    return len(data.encode()) <= CALLBACK_DATA_MAX_BYTES


async def disputes_page(cj: CJPort, page: int) -> list[Reply]:
    page = max(page, 1)
    try:
        result = await cj.list_disputes(page_num=page, page_size=PAGE_SIZE)
    except CJError as exc:
        retry = [plain_button("Try again", f"pg:{page}")]
        return [reply(f"{explain(exc, 'listing your disputes')}", retry)]
    pages = max(1, math.ceil(result.total / PAGE_SIZE))
    if not result.items:
        if page > 1:
            return [
                reply(
                    f"Page {page} is empty: you have {result.total} dispute(s).",
                    [plain_button("First page", "pg:1")],
                )
            ]
        return [reply("You have no disputes on CJ yet. To open one: /dispute")]
    lines = [f"Your disputes, page {page} of {pages} ({result.total} in all):"]
    lines += [f"{i}. {one_line(d)}" for i, d in enumerate(result.items, start=(page - 1) * PAGE_SIZE + 1)]
    lines.append("Tap one for its detail, or send /status SH….")
    detail_buttons = [
        [plain_button(f"{d.id} · {d.status or '?'}", f"st:{d.id}")]
        for d in result.items
        if _fits(f"st:{d.id}")
    ]
    nav: list[Button] = []
    if page > 1:
        nav.append(plain_button("◀ Previous", f"pg:{page - 1}"))
    if page < pages:
        nav.append(plain_button("Next ▶", f"pg:{page + 1}"))
    return [reply("\n".join(lines), *detail_buttons, nav)]


async def dispute_status(cj: CJPort, raw_id: str) -> list[Reply]:
    dispute_id = normalize_id(raw_id)
    if classify_id(dispute_id) is not IdKind.DISPUTE:
        return [
            reply(
                "Send /status with a dispute id: it starts with SH (e.g. /status SH1623673863466725376). "
                "Your list: /disputes"
            )
        ]
    try:
        detail = await cj.dispute_detail(dispute_id)
    except CJNotFound as exc:
        return [reply(f"{not_found_text(exc, dispute_id)} Your list: /disputes")]
    except CJBusinessError as exc:
        return [reply(explain(exc, f"reading dispute {dispute_id}"))]
    except CJError as exc:
        return [
            reply(
                explain(exc, f"reading dispute {dispute_id}"), [plain_button("Try again", f"st:{dispute_id}")]
            )
        ]
    buttons: list[Button] = [plain_button("Refresh", f"st:{dispute_id}")]
    if is_open(detail) and _fits(f"go:close:{dispute_id}"):
        buttons.append(plain_button("Close this dispute", f"go:close:{dispute_id}"))
    return [reply(detail_text(detail), buttons)]
