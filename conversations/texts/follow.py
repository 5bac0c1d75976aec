"""Texts of ``/disputes``, ``/status`` and a dispute's detail (also shown by the close flow)."""

from __future__ import annotations

from i18n import N_, Nn_

# one line per dispute, and outcomes
STATUS_UNKNOWN = N_("status unknown")
REASON_NOT_GIVEN = N_("reason not given")
DATE_UNKNOWN = N_("date unknown")
OUTCOME_REFUND = N_("refund of {amount}")
OUTCOME_REISSUE = N_("reissue worth {amount}{code}")
OUTCOME_NEW_ORDER = N_(" (new order {code})")
OUTCOME_REJECTED = N_("rejected")
OUTCOME_OPEN = N_("under review")
OUTCOME_CANCELLED = N_("cancelled")
OUTCOME_ENDED = N_("ended without a decision")

# detail
DETAIL_TITLE = N_("Dispute {dispute_id}")
DETAIL_STATUS = N_("Status: {status}")
DETAIL_REASON = N_("Reason: {reason}")
DETAIL_OPENED = N_("Opened: {date}")
DETAIL_ORDER = N_("Order: {order_id}")
DETAIL_ITEM = N_("• {name} ({price})")
ITEM = N_("item")
UNKNOWN = N_("unknown")
NOT_GIVEN = N_("not given")
AMOUNT = N_("amount")
DECISION_REFUND = N_("Decision: refund of {amount}.")
REFUND_PART = N_("  {name}: {amount}")
REFUND_GOES_TO = N_("The refund goes to {route}, as you chose when Alex opened the dispute.")
REFUND_GOES_EITHER = N_(
    "The refund goes to {balance} or to {original}, whichever was chosen when the dispute was opened "
    "(it was not opened through Alex, so Alex cannot say which)."
)
DECISION_REISSUE = N_("Decision: CJ reissues the items{code} (worth {amount}).")
REISSUE_AS = N_(" as order {code}")
REISSUE_AGREE = N_("Check the resend and press Agree on CJ's site: {where}.")
DECISION_REJECTED = N_("Decision: rejected by CJ.")
REJECTED_DISCUSS = N_("To discuss it, on CJ's site: {where}. {human_route}")
DECISION_PENDING = N_("Decision: not yet. {review_time}")
DECISION_NONE = N_("This dispute has ended without a refund or reissue (for example, it was cancelled).")

# /disputes
PAGE_EMPTY = Nn_(
    "Page {page} is empty: you have {count} dispute.", "Page {page} is empty: you have {count} disputes."
)
NO_DISPUTES = N_("You have no disputes on CJ yet. To open one: /dispute")
PAGE_HEADER = Nn_(
    "Your disputes, page {page} of {pages} ({count} in all):",
    "Your disputes, page {page} of {pages} ({count} in all):",
)
PAGE_FOOTER = N_("Tap one for its detail, or send /status SH….")
TOO_LONG_FOR_BUTTON = N_("(For {dispute_id}: /status {dispute_id})")
FIRST_PAGE = N_("First page")
PREVIOUS = N_("◀ Previous")
NEXT = N_("Next ▶")

# /status
STATUS_NEEDS_ID = N_(
    "Send /status with a dispute id: SH followed by digits (e.g. /status SH1623673863466725376). "
    "Your list: /disputes"
)
NO_SUCH_DISPUTE = N_("{failure} Your list: /disputes")
REFRESH = N_("Refresh")
