"""Recognising CJ ids and what the seller asks for in free text.

CJ order ids that the order calls accept are ``SD…`` codes (or CJ's long numeric ids);
bulk purchase orders start with ``ZF``; dispute ids start with ``SH`` (CJ_API_NOTES.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

ID_MAX_LENGTH = 100  # CJ's documented length for orderId / disputeId
_ID_CHARS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_ORDER_IN_TEXT = re.compile(r"\b((?:SD|ZF|CJ)[A-Za-z0-9]{4,98}|\d{10,30})\b", re.IGNORECASE)
_DISPUTE_IN_TEXT = re.compile(r"\b(SH[A-Za-z0-9]{4,98})\b", re.IGNORECASE)


class IdKind(StrEnum):
    ORDER = "order"
    BULK_ORDER = "bulk_order"
    DISPUTE = "dispute"
    INVALID = "invalid"


def normalize_id(text: str) -> str:
    """Trim, drop a leading '#', and upper-case the letter prefix CJ uses (``sd123`` → ``SD123``)."""
    value = text.strip().lstrip("#").strip()
    if len(value) >= 2 and value[:2].isalpha():
        value = value[:2].upper() + value[2:]
    return value


def classify_id(value: str) -> IdKind:
    if not value or len(value) > ID_MAX_LENGTH or not _ID_CHARS.match(value):
        return IdKind.INVALID
    head = value[:2].upper()
    if head == "SH":
        return IdKind.DISPUTE
    if head == "ZF":
        return IdKind.BULK_ORDER
    if len(value) < 4:
        return IdKind.INVALID
    return IdKind.ORDER


class Intent(StrEnum):
    OPEN = "open"
    CLOSE = "close"
    STATUS = "status"
    LIST = "list"


@dataclass(frozen=True)
class Request:
    intent: Intent
    order_id: str | None = None
    dispute_id: str | None = None


_OPEN_WORDS = re.compile(r"\b(open|start|file|raise|create|new|submit|make)\b", re.IGNORECASE)
_CLOSE_WORDS = re.compile(r"\b(close|cancel|withdraw|stop|end|drop)\b", re.IGNORECASE)
_STATUS_WORDS = re.compile(
    r"\b(status|check|where|progress|update|follow|how is|what happened)\b", re.IGNORECASE
)
_LIST_WORDS = re.compile(r"\b(my disputes|list|all disputes|show disputes|open disputes)\b", re.IGNORECASE)
_DISPUTE_WORD = re.compile(r"\bdisputes?\b", re.IGNORECASE)


def find_order_id(text: str) -> str | None:
    match = _ORDER_IN_TEXT.search(text)
    return normalize_id(match.group(1)) if match else None


def find_dispute_id(text: str) -> str | None:
    match = _DISPUTE_IN_TEXT.search(text)
    return normalize_id(match.group(1)) if match else None


def parse_request(text: str) -> Request | None:
    """A request to open, close, check or list disputes, with ids pulled out; None for anything else.

    Questions ("how do I open a dispute?") are left to the FAQ: an action needs either an id
    or an imperative without a question mark.
    """
    order_id = find_order_id(text)
    dispute_id = find_dispute_id(text)
    is_question = text.rstrip().endswith("?") or bool(
        re.match(r"^\s*(how|can|what|why|when|is|are|do|does|should|will)\b", text, re.IGNORECASE)
    )
    mentions_dispute = bool(_DISPUTE_WORD.search(text))
    if dispute_id and _CLOSE_WORDS.search(text):
        return Request(Intent.CLOSE, dispute_id=dispute_id)
    if dispute_id:
        return Request(Intent.STATUS, dispute_id=dispute_id)
    if mentions_dispute and _CLOSE_WORDS.search(text) and not is_question:
        return Request(Intent.CLOSE)
    if order_id and (_OPEN_WORDS.search(text) or mentions_dispute):
        return Request(Intent.OPEN, order_id=order_id)
    if is_question or not mentions_dispute:
        return None
    if _LIST_WORDS.search(text) or _STATUS_WORDS.search(text):
        return Request(Intent.LIST)
    if _OPEN_WORDS.search(text):
        return Request(Intent.OPEN)
    return None
