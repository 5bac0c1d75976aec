"""The weekly digest's picture: disputes opened and decided per day, and money recovered.

matplotlib is optional (``pip install 'alex-disputes[chart]'``): without it the weekly digest
goes out as text only, and the log says once why.
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Sequence
from decimal import Decimal

from i18n import ENGLISH, Translator
from notifier import messages as texts

log = logging.getLogger(__name__)


@functools.cache
def _say_text_only() -> None:
    log.info("matplotlib is not installed (the 'chart' extra): weekly digests are sent as text only")


def weekly_chart(
    days: Sequence[str],
    opened: Sequence[int],
    decided: Sequence[int],
    refunded: Sequence[Decimal],
    tr: Translator = ENGLISH,
) -> bytes | None:
    """A PNG labelled in the group's language, or None without matplotlib (the 'chart' extra). It
    is imported here, so only the weekly digest pays for it. ``days`` are ISO days (``2026-01-05``);
    the axis shows ``01-05``."""
    try:
        from matplotlib.figure import Figure  # no pyplot: no global backend, no GUI, thread-safe enough
    except ImportError:
        _say_text_only()
        return None

    figure = Figure(figsize=(8, 4.5), dpi=100)
    bars = figure.add_subplot(1, 1, 1)
    positions = list(range(len(days)))
    width = 0.38
    bars.bar(
        [p - width / 2 for p in positions],
        opened,
        width,
        label=tr.gettext(texts.CHART_OPENED),
        color="#4C72B0",
    )
    bars.bar(
        [p + width / 2 for p in positions],
        decided,
        width,
        label=tr.gettext(texts.CHART_DECIDED),
        color="#55A868",
    )
    bars.set_xticks(positions, [d[5:] for d in days])
    bars.set_ylabel(tr.gettext(texts.CHART_DISPUTES))
    bars.yaxis.get_major_locator().set_params(integer=True)
    money = bars.twinx()
    cumulative: list[float] = []
    total = Decimal("0")
    for amount in refunded:
        total += amount
        cumulative.append(float(total))
    money.plot(positions, cumulative, color="#C44E52", marker="o", label=tr.gettext(texts.CHART_RECOVERED))
    money.set_ylabel(tr.gettext(texts.CHART_RECOVERED_AXIS))
    money.set_ylim(bottom=0)
    handles = bars.get_legend_handles_labels()[0] + money.get_legend_handles_labels()[0]
    labels = bars.get_legend_handles_labels()[1] + money.get_legend_handles_labels()[1]
    bars.legend(handles, labels, loc="upper left", fontsize="small")
    bars.set_title(
        tr.format(texts.CHART_TITLE, first=days[0], last=days[-1])
        if days
        else tr.gettext(texts.CHART_TITLE_EMPTY)
    )
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
