"""The open flow's draft: what the seller chose so far, grouped, and the step that follows from it.

The draft is four groups (the order as CJ described it, the selection of lines and
quantities, the answers, the evidence) plus what a tracking check found. The next step is
never stored as a decision: :func:`next_step` derives it from what the draft holds, so Back
and Edit only clear an answer and the same walk brings the seller back to where they were.

Drafts saved by the flat model of earlier versions are read into the groups
(:meth:`OpenDisputeState._from_flat`), so a draft in progress survives an update.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from cj.models import ExpectType, RefundType
from conversations.flow import FlowState


class OpenStep(StrEnum):
    ORDER = "order"
    CHECK = "check"  # waiting on CJ after a failed call: Try again
    ITEMS = "items"
    QUANTITY = "qty"
    REASON = "reason"
    EXPECT = "expect"
    REFUND = "refund"
    MESSAGE = "msg"
    EVIDENCE = "evid"
    SUMMARY = "sum"
    EDIT = "edit"
    DONE = "done"


class Item(BaseModel):
    """A choosable line of the order; ``raw`` goes back to CJ unchanged (CJ's docs: pass the
    disputeProducts entries as they came)."""

    line_item_id: str
    name: str
    sku: str | None = None
    price: Decimal
    ordered: int
    raw: dict[str, Any]


class Held(BaseModel):
    """Lines of the order under a dispute that CJ is still reviewing."""

    dispute_id: str
    names: list[str] = Field(default_factory=list)


class OrderPart(BaseModel):
    typed: str | None = None  # what the seller gave, while CJ is being asked about it
    id: str | None = None
    number: str | None = None
    status: str | None = None
    country: str | None = None
    out_warehouse_at: float | None = None
    track_number: str | None = None
    existing_dispute_id: str | None = None  # CJ's order detail names one (open or not)
    items: list[Item] = Field(default_factory=list)
    closed_window: int = 0  # lines CJ no longer lets be disputed
    held: list[Held] = Field(default_factory=list)  # lines under an open dispute


class Line(BaseModel):
    index: int
    quantity: int


class Reason(BaseModel):
    id: int
    name: str


class Confirmed(BaseModel):
    """``disputeConfirmInfo`` for one selection of lines."""

    lines: list[Line]
    max_product: Decimal
    max_postage: Decimal
    max_ioss_tax: Decimal
    max_ioss_fee: Decimal
    max_total: Decimal
    reasons: list[Reason]
    expect_options: list[ExpectType]


class Selection(BaseModel):
    picked: list[int] = Field(default_factory=list)  # item indexes, in the order tapped
    done: bool = False
    lines: list[Line] = Field(default_factory=list)  # quantities, in the order picked
    confirmed: Confirmed | None = None


class Answers(BaseModel):
    reason: Reason | None = None
    expect: ExpectType | None = None
    refund: RefundType | None = None
    message: str | None = None
    unsure_message: str | None = None  # typed at the message step but read like a question: asked


class Evidence(BaseModel):
    images: list[str] = Field(default_factory=list)
    videos: list[str] = Field(default_factory=list)
    without_url: int = 0  # files Alex could not hand to CJ (no public address)
    done: bool = False

    @property
    def for_cj(self) -> int:
        return len(self.images) + len(self.videos)

    @property
    def total(self) -> int:
        return self.for_cj + self.without_url


class Tracking(BaseModel):
    checked: bool = False
    status: str | None = None
    days_since_dispatch: int | None = None


_FLAT = {
    "pending_order_id": ("order", "typed"),
    "order_id": ("order", "id"),
    "order_number": ("order", "number"),
    "order_status": ("order", "status"),
    "country": ("order", "country"),
    "out_warehouse_at": ("order", "out_warehouse_at"),
    "track_number": ("order", "track_number"),
    "existing_dispute_id": ("order", "existing_dispute_id"),
    "items": ("order", "items"),
    "not_choosable": ("order", "closed_window"),
    "selected": ("selection", "picked"),
    "items_done": ("selection", "done"),
    "lines": ("selection", "lines"),
    "confirmed": ("selection", "confirmed"),
    "reason": ("answers", "reason"),
    "expect": ("answers", "expect"),
    "refund": ("answers", "refund"),
    "message": ("answers", "message"),
    "evidence_done": ("evidence", "done"),
    "images": ("evidence", "images"),
    "videos": ("evidence", "videos"),
    "media_without_url": ("evidence", "without_url"),
    "tracking_status": ("tracking", "status"),
    "tracking_checked": ("tracking", "checked"),
    "days_since_dispatch": ("tracking", "days_since_dispatch"),
}


class OpenDisputeState(FlowState):
    flow: Literal["open"] = "open"
    step: OpenStep = OpenStep.ORDER
    draft_key: str = Field(default_factory=lambda: secrets.token_hex(8))
    order: OrderPart = Field(default_factory=OrderPart)
    selection: Selection = Field(default_factory=Selection)
    answers: Answers = Field(default_factory=Answers)
    evidence: Evidence = Field(default_factory=Evidence)
    tracking: Tracking = Field(default_factory=Tracking)
    dispute_id: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_flat(cls, data: Any) -> Any:
        """A draft saved before the groups existed: move each flat field into its group."""
        if not isinstance(data, dict) or not any(key in data for key in _FLAT):
            return data
        grouped: dict[str, Any] = {k: v for k, v in data.items() if k not in _FLAT}
        for key, (group, name) in _FLAT.items():
            if key in data:
                grouped.setdefault(group, {})[name] = data[key]
        return grouped

    # --- derived -------------------------------------------------------------------------------

    def expect_options(self) -> list[ExpectType]:
        confirmed = self.selection.confirmed
        return list(confirmed.expect_options) if confirmed and confirmed.expect_options else list(ExpectType)

    def reasons(self) -> list[Reason]:
        return self.selection.confirmed.reasons if self.selection.confirmed else []

    def quantity_index(self) -> int:
        """The next picked item whose quantity is not known yet."""
        done = {line.index for line in self.selection.lines}
        return next(index for index in self.selection.picked if index not in done)

    def asked_lines(self) -> list[Line]:
        """Quantities the seller chose (items ordered once are filled in without asking)."""
        return [line for line in self.selection.lines if self.order.items[line.index].ordered > 1]

    def open_dispute(self) -> str | None:
        """The dispute CJ is still reviewing on this order, if Alex found one."""
        return self.order.held[0].dispute_id if self.order.held else None


def next_step(s: OpenDisputeState) -> OpenStep:
    """The first question the draft has no answer for."""
    order, selection, answers = s.order, s.selection, s.answers
    if s.dispute_id:
        return OpenStep.DONE
    if not order.id:
        return OpenStep.CHECK if order.typed else OpenStep.ORDER
    if not selection.done or not selection.picked:
        return OpenStep.ITEMS
    if len(selection.lines) < len(selection.picked):
        return OpenStep.QUANTITY
    if selection.confirmed is None or selection.confirmed.lines != selection.lines:
        return OpenStep.CHECK
    if answers.reason is None:
        return OpenStep.REASON
    if answers.expect is None:
        return OpenStep.EXPECT
    if answers.expect is ExpectType.REFUND and answers.refund is None:
        return OpenStep.REFUND
    if answers.message is None:
        return OpenStep.MESSAGE
    if not s.evidence.done:
        return OpenStep.EVIDENCE
    return OpenStep.SUMMARY
