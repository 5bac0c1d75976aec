"""How the sandbox writes values on the wire the way CJ does.

Money is a JSON number with exactly two decimals (``23.00``, which ``json`` cannot write
from a float); order dates are UTC text ``2025-03-14 13:21:07`` (05. Shopping: "UTC Time");
the dispute list's text dates use the same form (zone undocumented: UTC is the sandbox's guess);
dispute detail dates are epoch milliseconds (07. Dispute example ``1736928600000``); token dates
are ISO with ``+08:00`` (1 Authentication example).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CJ_TZ = timezone(timedelta(hours=8))
CENT = Decimal("0.01")


def money(value: Decimal | float | int) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def text_date(moment: datetime | None) -> str | None:
    """``2025-03-14 13:21:07`` in UTC (orders, the dispute list)."""
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def iso_date(moment: datetime) -> str:
    """``2021-08-18T09:16:33+08:00`` (token expiry dates)."""
    return moment.astimezone(CJ_TZ).replace(microsecond=0).isoformat()


def dumps(value: Any) -> str:
    """JSON text where every ``Decimal`` is written as a number with two decimals."""
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def _write(value: Any, out: list[str]) -> None:
    if isinstance(value, Decimal):
        out.append(str(money(value)))
    elif isinstance(value, dict):
        out.append("{")
        for index, (key, item) in enumerate(value.items()):
            if index:
                out.append(",")
            out.append(json.dumps(str(key), ensure_ascii=False))
            out.append(":")
            _write(item, out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _write(item, out)
        out.append("]")
    else:
        out.append(json.dumps(value, ensure_ascii=False))
