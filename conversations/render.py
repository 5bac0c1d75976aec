"""Small formatting helpers shared by the flows: money, dates, buttons bound to a flow instance."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from conversations.events import Button, Reply

CENT = Decimal("0.01")
MAX_MESSAGE_CHARS = 4000  # under Telegram's 4096 with room for the transport's escaping


def money(value: Decimal | float | int | None) -> str:
    """``$12.50``: CJ amounts are USD with two decimals."""
    amount = Decimal(str(value)) if value is not None else Decimal("0")
    return f"${amount.quantize(CENT, rounding=ROUND_HALF_UP):,}"


def day(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "date unknown"


def clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def flow_button(label: str, nonce: str, step: str, value: str) -> Button:
    """A button that only means something to the flow instance ``nonce`` at ``step``."""
    return Button(label=clip(label, 64), data=f"{nonce}:{step}:{value}")


def plain_button(label: str, data: str) -> Button:
    return Button(label=clip(label, 64), data=data)


def rows(buttons: Iterable[Button], per_row: int = 1) -> tuple[tuple[Button, ...], ...]:
    items = list(buttons)
    return tuple(tuple(items[i : i + per_row]) for i in range(0, len(items), per_row))


def reply(text: str, *button_rows: Sequence[Button], notice: str | None = None) -> Reply:
    body = text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"
    return Reply(text=body, buttons=tuple(tuple(r) for r in button_rows if r), notice=notice)
