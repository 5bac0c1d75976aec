"""Checking what goes to CJ and parsing what comes back, with errors that never carry values.

Inputs are refused with one :class:`~cj.errors.CJValidationError` before any HTTP call; a reply
of the wrong shape is one :class:`~cj.errors.CJProtocolError` naming field paths only (a garbled
token reply must not leak the token), with no pydantic traceback chained.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from cj.errors import CJProtocolError, CJValidationError

log = logging.getLogger("cj.client")

MAX_ID_LENGTH = 100  # every id field in CJ's docs is at most 100 characters

M = TypeVar("M", bound=BaseModel)


def require_id(name: str, value: object) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise CJValidationError(f"{name} must be text, not {type(value).__name__}")
    text = str(value).strip()
    if not text:
        raise CJValidationError(f"{name} is empty")
    if len(text) > MAX_ID_LENGTH:
        raise CJValidationError(f"{name} is longer than {MAX_ID_LENGTH} characters")
    return text


def require_range(name: str, value: object, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise CJValidationError(f"{name} must be a whole number from {low} to {high}")
    return value


def line_payload(line: Mapping[str, Any] | BaseModel, index: int) -> dict[str, Any]:
    """A ``productInfoList`` entry as CJ wants it back: unchanged, but checked."""
    if isinstance(line, BaseModel):
        data = line.model_dump(mode="json", by_alias=True, exclude_unset=True)
    elif isinstance(line, Mapping):
        data = dict(line)
    else:
        raise CJValidationError(
            f"product_info_list[{index}] must be a product line, not {type(line).__name__}"
        )
    require_id(f"product_info_list[{index}].lineItemId", data.get("lineItemId"))
    quantity = data.get("quantity")
    try:
        ok = int(str(quantity)) >= 1
    except ValueError:
        ok = False
    if not ok:
        raise CJValidationError(f"product_info_list[{index}].quantity must be a whole number of at least 1")
    return data


def validated(model: type[M], data: Any) -> M:
    """Client-side validation: pydantic's verdict as one CJValidationError naming the fields."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise CJValidationError(f"invalid {model.__name__}: {describe(exc)}") from None


def garbled(message: str, *, path: str | None = None) -> CJProtocolError:
    """A reply Alex cannot read is an operator matter even when the seller retries: log it once here.
    The message names paths and fields only, never values."""
    log.warning("%s", message)
    return CJProtocolError(message, path=path)


def parse(model: type[M], data: Any, path: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise garbled(f"CJ's reply to {path} has an unexpected shape: {describe(exc)}", path=path) from None


def parse_with(adapter: TypeAdapter[Any], data: Any, path: str) -> Any:
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        raise garbled(f"CJ's reply to {path} has an unexpected shape: {describe(exc)}", path=path) from None


def describe(exc: ValidationError, limit: int = 3) -> str:
    """Field paths and reasons only: input values may be secrets (tokens) and stay out."""
    parts = []
    for error in exc.errors(include_input=False, include_url=False)[:limit]:
        where = ".".join(str(p) for p in error["loc"]) or "data"
        parts.append(f"{where}: {error['msg']}")
    more = exc.error_count() - limit
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")
