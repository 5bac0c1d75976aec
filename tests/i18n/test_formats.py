"""Money and dates as each language writes them (Babel's CLDR data), English as it always was."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from i18n.formats import locale_of, money, short_date, time_of_day

NBSP, NNBSP = "\xa0", "\u202f"


@pytest.mark.parametrize(
    ("lang", "amount", "day"),
    [
        ("en", "$1,234.50", "2026-01-05"),
        (None, "$1,234.50", "2026-01-05"),
        ("es", f"1.234,50{NBSP}US$", "5 ene 2026"),
        ("pt", f"US${NBSP}1.234,50", "5 de jan. de 2026"),
        ("pt-br", f"US${NBSP}1.234,50", "5 de jan. de 2026"),
        ("fr", f"1{NNBSP}234,50{NBSP}$US", "5 janv. 2026"),
        ("de", f"1.234,50{NBSP}$", "05.01.2026"),
        ("ru", f"1{NBSP}234,50{NBSP}$", f"5 янв. 2026{NNBSP}г."),
        ("ja-unknown-to-alex", "$1,234.50", "2026-01-05"),
    ],
)
def test_money_and_days_per_language(lang: str | None, amount: str, day: str) -> None:
    assert money(Decimal("1234.5"), lang) == amount
    assert short_date(datetime(2026, 1, 5, tzinfo=UTC), lang) == day


def test_amounts_round_half_up_to_cents_and_none_is_zero() -> None:
    assert money(Decimal("2.345"), "en") == "$2.35"
    assert money(None, "de") == f"0,00{NBSP}$"
    assert money(3, "en") == "$3.00"


def test_the_clock_is_24_hours_everywhere() -> None:
    at = datetime(2026, 1, 5, 16, 0, tzinfo=UTC)
    assert {time_of_day(at, lang) for lang in ("en", "es", "pt", "fr", "de", "ru")} == {"16:00"}
    assert locale_of("pt") == "pt_BR" and locale_of("PT_br") == "pt_BR" and locale_of("de-AT") == "de_AT"
