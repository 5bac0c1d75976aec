"""CJ's order and dispute ids in the shapes they really have, and nothing that merely starts alike.

CJ's documented shapes (CJ API docs, "Shopping" and "Dispute"): order ids ``SD`` + a long
digit run (``SD2510031452310001``), bulk purchase orders ``ZF`` + digits, CJ's numeric order
ids (a long digit run), CJ order codes (``CJPKL7160102171YQ``: ``CJ``, letters and digits
with a long digit run inside), dispute ids ``SH`` + digits (``SH1623673863466725376``). The
seller's own shop order number (CJ's ``orderNum``) is whatever their shop uses: in running
text only the unmistakable forms count (``#1002``, ``SHOP-1002``); typed alone at the order
step, any token with a digit is tried as one. "shipping", "should", "shopify" and
"cjdropshipping" are words, never ids.
"""

from __future__ import annotations

import re
from enum import StrEnum

ID_MAX_LENGTH = 100  # CJ's documented length for orderId / disputeId
MIN_DIGITS = 8  # the digit run after SD / ZF / SH (CJ's own are 16-19 long)

_EDGE_BEFORE = r"(?<![A-Za-z0-9_#-])"
_EDGE_AFTER = r"(?![A-Za-z0-9_-])"
_DISPUTE = rf"SH\d{{{MIN_DIGITS},60}}"
_CJ_ORDER = rf"SD\d{{{MIN_DIGITS},60}}"
_BULK = rf"ZF\d{{{MIN_DIGITS},60}}"
_NUMERIC = r"\d{10,30}"
_CJ_CODE = r"CJ(?=[A-Z]*\d)(?=(?:[A-Z]*\d){6})[A-Z0-9]{8,40}"
_SHOP = r"#\d{3,20}|[A-Z]{2,12}-\d{3,20}"

_DISPUTE_RE = re.compile(rf"^{_DISPUTE}$", re.IGNORECASE)
_ORDER_RE = re.compile(rf"^(?:{_CJ_ORDER}|{_NUMERIC}|{_CJ_CODE})$", re.IGNORECASE)
_BULK_RE = re.compile(rf"^{_BULK}$", re.IGNORECASE)
_SHOP_RE = re.compile(rf"^(?:{_SHOP})$", re.IGNORECASE)
_LOOSE_ORDER_RE = re.compile(r"^#?(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9][A-Za-z0-9_-]{2,99}$")

_DISPUTE_IN_TEXT = re.compile(rf"{_EDGE_BEFORE}({_DISPUTE}){_EDGE_AFTER}", re.IGNORECASE)
_ORDER_IN_TEXT = re.compile(
    rf"(?:{_EDGE_BEFORE}({_CJ_ORDER}|{_BULK}|{_NUMERIC}|{_CJ_CODE}|[A-Z]{{2,12}}-\d{{3,20}}){_EDGE_AFTER})"
    rf"|(?<![A-Za-z0-9])(#\d{{3,20}}){_EDGE_AFTER}",
    re.IGNORECASE,
)


class IdKind(StrEnum):
    ORDER = "order"  # a CJ order id or code
    BULK_ORDER = "bulk_order"  # ZF…: CJ decides whether the API may dispute it
    SHOP_ORDER = "shop_order"  # the seller's own order number (CJ's orderNum)
    DISPUTE = "dispute"
    INVALID = "invalid"


def normalize_id(text: str) -> str:
    """Trim, and upper-case CJ-shaped ids (``sd123…`` → ``SD123…``); shop numbers stay as typed."""
    value = text.strip().strip(".,;!?()[]\"'")
    if _DISPUTE_RE.match(value) or _ORDER_RE.match(value) or _BULK_RE.match(value):
        return value.upper()
    return value


def classify_id(value: str) -> IdKind:
    """What a single token is. Loose on purpose for shop numbers: CJ says whether it exists."""
    if not value or len(value) > ID_MAX_LENGTH:
        return IdKind.INVALID
    if _DISPUTE_RE.match(value):
        return IdKind.DISPUTE
    if _BULK_RE.match(value):
        return IdKind.BULK_ORDER
    if _ORDER_RE.match(value):
        return IdKind.ORDER
    if _SHOP_RE.match(value) or _LOOSE_ORDER_RE.match(value):
        return IdKind.SHOP_ORDER
    return IdKind.INVALID


def is_order_kind(kind: IdKind) -> bool:
    return kind in (IdKind.ORDER, IdKind.BULK_ORDER, IdKind.SHOP_ORDER)


def is_dispute_id(value: str) -> bool:
    return classify_id(normalize_id(value)) is IdKind.DISPUTE


def find_order_id(text: str) -> str | None:
    """The first order id or shop order number in running text, in one of its strict shapes."""
    match = _ORDER_IN_TEXT.search(text)
    if not match:
        return None
    return normalize_id(match.group(1) or match.group(2))


def find_dispute_id(text: str) -> str | None:
    match = _DISPUTE_IN_TEXT.search(text)
    return normalize_id(match.group(1)) if match else None


def shop_number_variants(value: str) -> list[str]:
    """How to ask CJ for a shop order number: as typed, then without a leading ``#``."""
    variants = [value]
    if value.startswith("#") and len(value) > 1:
        variants.append(value[1:])
    return variants
