"""A real CJ client with one answer changed: for CJ behaviour the sandbox does not produce
(an empty reason name, a dispute id longer than a button can carry, a bulk order CJ refuses).

Everything else goes over HTTP to the sandbox unchanged.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any


class Tweaked:
    def __init__(self, real: Any, **overrides: Callable[..., Awaitable[Any]]) -> None:
        self._real = real
        self._overrides = overrides

    def __getattr__(self, name: str) -> Any:
        if name in self._overrides:
            return self._overrides[name]
        return getattr(self._real, name)
