"""CJ's policy as the dialogues state it: figures and wording, each traced to a public source.

Sources (public pages; copies in the project's seed documents):

* **Help**: CJ Help Center, "How to Open/Close a Dispute on CJ?"
* **FAQ**: CJ Help Center FAQ (https://cjdropshipping.com/help-center?navType=faq&faqType=4&scrollToNum=400)
* **Policy**: CJ "Refund, Resend and Returns Policy" (https://cjdropshipping.com/article-details/120)
* **API**: CJ developer docs, section 7 "Dispute" (https://developers.cjdropshipping.com)

Texts are ``N_``-marked and translated when shown; figures (days) are data, and every
sentence that names them is built from this table, so a figure changes in one place.
"""

from __future__ import annotations

from enum import StrEnum

from i18n import N_, Translator

# FAQ Q9
REVIEW_TIME = N_(
    "CJ reviews a dispute in 2 working days (longer when it is complicated or involves other platforms)."
)
# Help, "Close the dispute": CJ stops processing an order once a dispute is opened
ORDER_PAUSED = N_("CJ stops processing this order while the dispute is open.")
ORDER_RESUMES = N_("CJ processes the order again once the dispute is closed.")
# API: disputes can be cancelled, never reopened (no such call); Alex's reading, said as such
CANCEL_IS_FINAL = N_(
    "Closing cannot be taken back: CJ has no way to reopen a closed dispute. "
    "While the items can still be disputed, you can open a new one."
)
# Policy: no refund or resend when tracking shows delivered; FAQ Q5: check with the local post office
DELIVERED_NO_REFUND = N_(
    "Tracking shows this parcel as delivered: CJ gives no refund when tracking shows delivered. "
    "Ask the buyer to check with their local post office first."
)
# Policy: a parcel counts as delayed only this many days after it left CJ's warehouse
DELAY_DAYS_DEFAULT = 60
DELAY_DAYS_BY_COUNTRY = {"US": 45, "BR": 110}
COUNTRY_NAMES = {"US": N_("the US"), "BR": N_("Brazil")}
DELAY_RULE = N_("{default} days in general, {exceptions}")
DELAY_EXCEPTION = N_("{days} for {country}")
DELAY_WARNING = N_(
    "CJ counts a parcel{where} as delayed only {limit} days after it left the warehouse "
    "({rule}); this one left {waited} days ago."
)
DELAY_WHERE = N_(" to {country}")
# Policy
NO_SUBJECTIVE = N_("CJ takes no disputes for subjective reasons, a wrong address or customs returns.")
# Help step 2a: Pending and Processing orders need no proof
NO_PROOF_BEFORE_SHIPPING = N_("Orders still Pending or Processing need no proof.")
# Help step 2d and API refundType: 1 balance, 2 original payment method
REFUND_BALANCE = N_("your CJ wallet balance")
REFUND_ORIGINAL = N_("the original payment method")
# Help, "Check the dispute details"
WEB_DISPUTE_VIEW = N_("AS Service Center > View")
EVIDENCE_ON_WEB = N_(
    "Attach evidence on CJ's site after the dispute is created: AS Service Center > View, "
    "then add the screenshots and photos there."
)
# Help, "For Bulk Purchase Orders"
BULK_WEB_STEPS = N_(
    "On CJ's website, bulk purchase orders (ZF…) are disputed under My CJ > Purchase List: "
    'find the order, click "Dispute" and upload the details.'
)
# API create: only orders created through the API; Help and FAQ Q1: the web route
API_ONLY = N_(
    "CJ lets the API dispute only orders that were created through the API. "
    "For other orders open the dispute on CJ's site: Orders > Orders Fulfillment > "
    "Pending / Processing / Dispatched / Completed > the order > Open Dispute."
)
# FAQ Q4: live chat and tickets
HUMAN_ROUTE = N_(
    "For a person: CJ's live chat (the Chat window on CJ's site) or a ticket to CJ management "
    "(CJ site > Tickets)."
)
# Policy: every refund, resend or return goes through CJ, or the account risks a block
OPEN_ON_CJ = N_(
    "Open every refund, resend or return on CJ: disputes settled elsewhere (e.g. PayPal) risk a block."
)


def delay_days(country_code: str | None) -> int:
    return DELAY_DAYS_BY_COUNTRY.get((country_code or "").upper(), DELAY_DAYS_DEFAULT)


def country_name(country_code: str | None, tr: Translator) -> str | None:
    name = COUNTRY_NAMES.get((country_code or "").upper())
    return tr.gettext(name) if name else None


def delay_rule(tr: Translator) -> str:
    """ "60 days in general, 45 for the US, 110 for Brazil": from the table above, never retyped."""
    exceptions = ", ".join(
        tr.format(DELAY_EXCEPTION, days=days, country=country_name(code, tr) or code)
        for code, days in DELAY_DAYS_BY_COUNTRY.items()
    )
    return tr.format(DELAY_RULE, default=DELAY_DAYS_DEFAULT, exceptions=exceptions)


def delay_warning(tr: Translator, country_code: str | None, waited_days: int) -> str | None:
    """The "not delayed yet" warning, or None once the parcel is past CJ's limit for its destination."""
    limit = delay_days(country_code)
    if not 0 <= waited_days < limit:
        return None
    name = country_name(country_code, tr)
    where = tr.format(DELAY_WHERE, country=name) if name else ""
    return tr.format(DELAY_WARNING, where=where, limit=limit, rule=delay_rule(tr), waited=waited_days)


# --- dispute reasons and the proof that fits them --------------------------------------------


class ReasonKind(StrEnum):
    """What CJ's reason names say happened; CJ sends names, not stable kinds."""

    DAMAGED = "damaged"
    WRONG_OR_MISSING = "wrong_or_missing"
    NOT_RECEIVED = "not_received"
    RETURNED = "returned"
    UNFULFILLED = "unfulfilled"
    OTHER = "other"


_REASON_WORDS: tuple[tuple[ReasonKind, tuple[str, ...]], ...] = (
    (ReasonKind.UNFULFILLED, ("unfulfilled", "cancel")),
    (ReasonKind.RETURNED, ("returned", "return to sender")),
    (ReasonKind.NOT_RECEIVED, ("not received", "lost", "delay", "not arrive", "never arrived", "tracking")),
    (ReasonKind.DAMAGED, ("damag", "broken", "defect", "quality")),
    (ReasonKind.WRONG_OR_MISSING, ("wrong", "missing", "incorrect", "size", "color", "colour")),
)


def reason_kind(reason_name: str | None) -> ReasonKind:
    name = (reason_name or "").lower()
    for kind, needles in _REASON_WORDS:
        if any(needle in name for needle in needles):
            return kind
    return ReasonKind.OTHER


# Help step 2d: the buyer's complaint with their email is a must; Policy and the returns guide:
# photos or video for damaged items. For a parcel that never came there is no item to photograph.
COMPLAINT = N_("A screenshot of the buyer's complaint showing their email address (CJ requires the email).")
COMPLAINT_NOT_RECEIVED = N_(
    "A screenshot of the buyer's message saying the parcel never came, showing their email address "
    "(CJ requires the email)."
)
TRACKING_PROOF = N_("A screenshot of the tracking page{number} showing where the parcel stopped.")
TRACKING_NUMBER = N_(" ({number})")
PROOF_DAMAGED = N_("Photos or a video of the damaged item and of the parcel.")
PROOF_WRONG = N_("Photos of what arrived next to the parcel label, showing what is wrong or missing.")
PROOF_RETURNED = N_("The carrier's return notice or the tracking page showing the return.")
PROOF_OTHER = N_("Photos or a video that show the problem.")
PROOF_NONE = N_("No proof needed: the order has not shipped (Pending and Processing orders need none).")


def evidence_checklist(tr: Translator, reason_name: str | None, track_number: str | None = None) -> list[str]:
    """What proof fits the chosen reason: what the seller can actually have in hand."""
    kind = reason_kind(reason_name)
    if kind is ReasonKind.UNFULFILLED:
        return [tr.gettext(PROOF_NONE)]
    number = tr.format(TRACKING_NUMBER, number=track_number) if track_number else ""
    if kind is ReasonKind.NOT_RECEIVED:
        return [tr.gettext(COMPLAINT_NOT_RECEIVED), tr.format(TRACKING_PROOF, number=number)]
    extra = {
        ReasonKind.DAMAGED: PROOF_DAMAGED,
        ReasonKind.WRONG_OR_MISSING: PROOF_WRONG,
        ReasonKind.RETURNED: PROOF_RETURNED,
    }.get(kind, PROOF_OTHER)
    return [tr.gettext(COMPLAINT), tr.gettext(extra)]


def is_not_received_reason(reason_name: str | None) -> bool:
    return reason_kind(reason_name) is ReasonKind.NOT_RECEIVED


def refund_route(tr: Translator, balance: bool) -> str:
    return tr.gettext(REFUND_BALANCE if balance else REFUND_ORIGINAL)
