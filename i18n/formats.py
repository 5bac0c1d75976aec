"""Money and dates as a seller of each language reads them, formatted by Babel (CLDR data).

``money(Decimal("1234.5"), "de")`` → ``1.234,50 $``; ``money(…, "en")`` → ``$1,234.50``;
``short_date(datetime(2026, 1, 5), "fr")`` → ``5 janv. 2026``. CJ's amounts are USD with two decimals,
rounded half up before formatting. Babel is imported on first use, so importing this module
(and :mod:`faq`, which does not use it) stays fast.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

CURRENCY = "USD"
CENT = Decimal("0.01")
DEFAULT_LOCALE = "en_US"
# the locale each UI language formats with ("pt" is Brazilian Portuguese)
LOCALES = {"en": "en_US", "es": "es", "pt": "pt_BR", "fr": "fr_FR", "de": "de_DE", "ru": "ru_RU"}


@lru_cache(maxsize=64)
def locale_of(lang: str | None) -> str:
    """The Babel locale for a UI language code (``pt``, ``pt_BR``, ``pt-br``); English when unknown."""
    from babel import Locale, UnknownLocaleError

    code = (lang or "en").replace("-", "_").strip() or "en"
    base = code.split("_", 1)[0].lower()
    if base in LOCALES and code.lower() in {base, LOCALES[base].lower()}:
        return LOCALES[base]
    try:
        return str(Locale.parse(code))
    except (ValueError, UnknownLocaleError):
        return LOCALES.get(base, DEFAULT_LOCALE)


def money(value: Decimal | float | int | None, lang: str | None = None) -> str:
    """A USD amount with two decimals, in the language's conventions."""
    from babel.numbers import format_currency

    amount = Decimal(str(value)) if value is not None else Decimal("0")
    return format_currency(amount.quantize(CENT, rounding=ROUND_HALF_UP), CURRENCY, locale=locale_of(lang))


def short_date(value: date | datetime, lang: str | None = None) -> str:
    """A calendar day, unambiguous for the language (``5 janv. 2026``) (``2026-01-05`` in English)."""
    if lang is None or locale_of(lang) == DEFAULT_LOCALE:
        return value.strftime("%Y-%m-%d")  # English keeps the ISO day sellers and CJ's site use
    from babel.dates import format_date

    return format_date(value, format="medium", locale=locale_of(lang))


def time_of_day(value: datetime, lang: str | None = None) -> str:
    """``16:00``: a 24-hour clock in every language (CJ states its reset times so)."""
    from babel.dates import format_time

    return format_time(value, format="HH:mm", locale=locale_of(lang))
