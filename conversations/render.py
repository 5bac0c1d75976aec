"""Small formatting helpers shared by the flows: money, dates, labels, buttons, replies.

Buttons carry typed data (:mod:`conversations.buttons`): :func:`flow_button` binds an answer
to one flow instance and step, :func:`data_button` packs any other kind and gives None when
it cannot fit Telegram's 64 bytes (a very long dispute id), so callers leave that one button
out instead of failing after CJ already did the work.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal

from conversations.buttons import ButtonData, ButtonDataError, FlowPress
from conversations.events import Button, Reply
from i18n import formats

MAX_MESSAGE_CHARS = 4000  # under Telegram's 4096 with room for the transport's escaping
LABEL_MAX_CHARS = 64
EMPTY_LABEL = "…"


def money(value: Decimal | float | int | None, lang: str | None = None) -> str:
    """``$12.50`` (``12,50 $US`` in French): CJ amounts are USD with two decimals, shown per locale."""
    return formats.money(value, lang)


def day(value: datetime | None, unknown: str = "-", lang: str | None = None) -> str:
    """The day in the chat's locale (ISO ``2026-01-05`` in English), or ``unknown``."""
    return formats.short_date(value, lang) if value else unknown


def clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label(text: str) -> str:
    """A button label: one line, at most 64 characters, never empty (CJ may send an empty name)."""
    return clip(text, LABEL_MAX_CHARS) or EMPTY_LABEL


def flow_button(text: str, nonce: str, step: str, value: str) -> Button:
    """A button that only means something to the flow instance ``nonce`` at ``step``."""
    return Button(label=label(text), data=FlowPress(nonce=nonce, step=str(step), value=value).pack())


def data_button(text: str, data: ButtonData | None) -> Button | None:
    """A button for ``data``, or None when there is none or its packed form would not fit Telegram's limit."""
    if data is None:
        return None
    try:
        packed = data.pack()
    except ButtonDataError:
        return None
    return Button(label=label(text), data=packed)


def rows(buttons: Iterable[Button | None], per_row: int = 1) -> tuple[tuple[Button, ...], ...]:
    items = [b for b in buttons if b is not None]
    return tuple(tuple(items[i : i + per_row]) for i in range(0, len(items), per_row))


def reply(
    text: str, *button_rows: Sequence[Button | None], notice: str | None = None, edit: bool = False
) -> Reply:
    body = text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"
    kept = tuple(tuple(b for b in r if b is not None) for r in button_rows)
    return Reply(text=body, buttons=tuple(r for r in kept if r), notice=notice, edit=edit)
