"""What the conversation engine needs from the outside world, and nothing more.

These are structural types: :class:`cj.client.CJClient` and :class:`faq.matcher.Matcher`
satisfy them without inheriting, and nothing here imports either, so the engine can
be driven by anything that speaks the same methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from cj.models import (
    CreateDisputeRequest,
    DisputeConfirmInfo,
    DisputeDetail,
    DisputePage,
    DisputeProducts,
    DisputeSummary,
    OrderDetail,
    TrackInfo,
)


class CJPort(Protocol):
    """The CJ client methods the dialogues call (all async, all raising :mod:`cj.errors`).

    ``account`` names the CJ account (a hash, never the key) for the disputes Alex opens.
    """

    account: str

    async def dispute_products(self, order_id: str) -> DisputeProducts: ...

    async def dispute_confirm_info(
        self, order_id: str, product_info_list: list[dict[str, Any]]
    ) -> DisputeConfirmInfo: ...

    async def create_dispute(
        self, request: CreateDisputeRequest, *, actor: str | None = ...
    ) -> DisputeSummary: ...

    async def cancel_dispute(self, order_id: str, dispute_id: str, *, actor: str | None = ...) -> object: ...

    async def list_disputes(
        self,
        order_id: str | None = ...,
        dispute_id: str | None = ...,
        order_number: str | None = ...,
        page_num: int = ...,
        page_size: int = ...,
    ) -> DisputePage: ...

    async def dispute_detail(self, dispute_id: str) -> DisputeDetail: ...

    async def order_detail(self, order_id: str) -> OrderDetail: ...

    async def track_info(self, track_numbers: Sequence[str]) -> list[TrackInfo]: ...


class FaqEntryLike(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def question(self) -> str: ...

    @property
    def answer(self) -> str: ...

    @property
    def source(self) -> str: ...


class AnswerLike(Protocol):
    @property
    def entry(self) -> FaqEntryLike | None: ...

    @property
    def score(self) -> float: ...

    @property
    def alternatives(self) -> Sequence[FaqEntryLike]: ...

    @property
    def abstained(self) -> bool: ...


class MatcherPort(Protocol):
    """The FAQ matcher: free-text questions in, a scored answer (or an abstention) out."""

    def answer(self, question: str, *, prefer: str | None = None) -> AnswerLike:
        """``prefer``: the chat's language, to settle a question whose language is unclear.
        The answer may carry ``lang`` (its language) and ``asked`` (the question's)."""
        ...

    def entry(self, entry_id: str) -> FaqEntryLike | None:
        """The entry with this id; None or a ``KeyError`` when there is none."""
        ...
