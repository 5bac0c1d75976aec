"""Policy wording the dialogues show, each line traced to its source document.

Sources: ``seeds/000`` (CJ help: open/close a dispute), ``seeds/001`` (CJ FAQ),
``seeds/002`` (returns and refunds guide), ``CJ_API_NOTES.md`` (policy facts).
"""

from __future__ import annotations

# seeds/001 Q9
REVIEW_TIME = (
    "CJ reviews a dispute in 2 working days (longer when it is complicated or involves other platforms)."
)
# seeds/000 "Close the dispute"; CJ_API_NOTES.md "Opening a dispute pauses processing"
ORDER_PAUSED = "CJ stops processing this order while the dispute is open."
ORDER_RESUMES = "CJ processes the order again once the dispute is closed."
# seeds/004 (a closed dispute cannot be reopened) and the API: cancel is final
CANCEL_IS_FINAL = "A cancelled dispute cannot be taken back: you would have to open a new one."
# CJ_API_NOTES.md: policy facts
DELIVERED_NO_REFUND = (
    "Tracking shows this parcel as delivered: CJ gives no refund when tracking shows delivered. "
    "Ask the buyer to check with their local post office first."  # seeds/001 Q5
)
DELAY_DAYS_DEFAULT = 60
DELAY_DAYS_BY_COUNTRY = {"US": 45, "BR": 110}
NO_SUBJECTIVE = "CJ takes no disputes for subjective reasons, a wrong address or customs returns."
NO_PROOF_BEFORE_SHIPPING = "Orders still Pending or Processing need no proof."
PROOF = (
    "A screenshot of the buyer's complaint that shows their email address (a must), "
    "plus photos or a video of the item and the parcel."  # seeds/000 step 2d, seeds/002 2.3
)
# seeds/000 step 2d, seeds/001 Q10, CJ_API_NOTES.md refundType
REFUND_BALANCE = "CJ wallet balance"
REFUND_ORIGINAL = "the original payment method"
# seeds/000 "Check the dispute details"
WEB_DISPUTE_VIEW = "AS Service Center > View"
EVIDENCE_ON_WEB = (
    "Attach evidence on CJ's site after the dispute is created: AS Service Center > View, "
    "then add the screenshots and photos there."
)
# seeds/000 "For Bulk Purchase Orders"
BULK_WEB_STEPS = (
    "Bulk purchase orders (ZF…) are disputed on CJ's website, not through the API: "
    'go to My CJ > Purchase List, find the order, click "Dispute" and upload the details.'
)
# seeds/003 create: only orders created through the API
API_ONLY = (
    "CJ lets the API dispute only orders that were created through the API. "
    "For other orders open the dispute on CJ's site: Orders > Orders Fulfillment > "
    "Pending / Processing / Dispatched / Completed > the order > Open Dispute."  # seeds/000, 001 Q1
)
# seeds/001 Q4, seeds/002 3.x
HUMAN_ROUTE = (
    "For a person: CJ's live chat (the Chat window on CJ's site) or a ticket to CJ management "
    "(CJ site > Tickets)."
)
# seeds/002 2.2
OPEN_ON_CJ = (
    "Open every refund, resend or return on CJ: disputes settled elsewhere (e.g. PayPal) risk a block."
)


def delay_days(country_code: str | None) -> int:
    return DELAY_DAYS_BY_COUNTRY.get((country_code or "").upper(), DELAY_DAYS_DEFAULT)


def evidence_checklist(reason_name: str | None) -> list[str]:
    """What proof fits the chosen reason (seeds/000 2d, seeds/002 2.3, CJ_API_NOTES.md)."""
    name = (reason_name or "").lower()
    items = ["Screenshot of the buyer's complaint showing their email address (CJ requires the email)."]
    if any(word in name for word in ("damag", "broken", "defect", "quality")):
        items.append("Photos or a video of the damaged item and of the parcel.")
    elif any(word in name for word in ("wrong", "missing", "incorrect", "size", "color", "colour")):
        items.append("Photos of what arrived next to the parcel label, showing what is wrong or missing.")
    elif any(word in name for word in ("not received", "lost", "delay", "not arrive", "tracking")):
        items.append("The buyer's message that the parcel never came (tracking is checked by CJ).")
    elif "cancel" in name or "unfulfilled" in name:
        return ["No proof needed: the order has not shipped (Pending and Processing orders need none)."]
    else:
        items.append("Photos or a video that show the problem.")
    return items


def is_not_received_reason(reason_name: str | None) -> bool:
    name = (reason_name or "").lower()
    return any(word in name for word in ("not received", "lost", "delay", "not arrive", "never arrived"))
