"""Texts of the open flow: each step's prompt and buttons, its errors, CJ's refusals, the summary."""

from __future__ import annotations

from i18n import N_, Nn_

DESCRIBE = N_("your dispute draft for order {order_id}")
DESCRIBE_ANY = N_("your dispute draft")

# --- order ------------------------------------------------------------------------------------
ORDER = N_(
    "Which order is the dispute for? Send its CJ order id (SD…, shown in CJ under "
    "Orders > Orders Fulfillment) or your shop's order number."
)
NOT_AN_ORDER = N_(
    "I need an order here: the CJ order id (like SD2501150001) or your shop's order number (like #1002)."
)
IS_DISPUTE_ID = N_(
    "{value} is a dispute id (SH…). To follow it: /status {value}. "
    "To open a dispute I need the order id (SD…) or your shop's order number."
)
ANOTHER_ORDER = N_("{text}\nSend another order id, or /cancel.")
NO_SUCH_ORDER = N_(
    "CJ has no order {order_id} in this account. Check the id: the CJ order id (SD…) is shown in CJ under "
    "Orders > Orders Fulfillment; your shop's order number works too."
)
UNPAID = N_(
    "Order {order_id} is not paid yet, so there is nothing to dispute. Pay it on CJ first "
    "(or cancel it there if the buyer no longer wants it)."
)
CANCELLED_ORDER = N_("Order {order_id} is cancelled on CJ: there is nothing to dispute.")
BULK_REFUSED = N_("{failure}\n{bulk_steps}")
ALL_HELD = N_(
    "Every item of order {order_id} is already in dispute {dispute_id}, which CJ is still reviewing. "
    "Wait for CJ's decision ({review_time}), or close that dispute (/close {dispute_id}) to open a new one."
)
ALL_CLOSED = N_(
    "None of the items of order {order_id} can be disputed any more: CJ closed their dispute window."
)
HAD_DISPUTE = N_(" It had dispute {dispute_id} (/status {dispute_id}).")
STATUS_OF = N_("Status of {dispute_id}")
CLOSE_IT = N_("Close {dispute_id}")

# --- waiting on CJ ----------------------------------------------------------------------------
CHECK = N_("Alex could not finish asking CJ. Your draft is kept: press Try again.")
WAITING_ON_CJ = N_("Alex is waiting on CJ: press Try again, or /cancel.")
KEPT = N_("{failure}\nYour draft is kept.")
OPERATOR_RETRY = N_("Once the operator has fixed it, press Try again.")
RETRY_OR_BACK = N_("Press Try again, or Back to change your answer.")

# --- items and quantities -----------------------------------------------------------------
ITEMS = N_("Order {order_id}: which items is the dispute about? Tap to select, then Done.")
ITEMS_CLOSED = Nn_(
    "({count} other item cannot be disputed any more: CJ closed its dispute window.)",
    "({count} other items cannot be disputed any more: CJ closed their dispute window.)",
)
ITEMS_HELD = N_(
    "Dispute {dispute_id} is still open on this order for: {names}. CJ may refuse a second dispute "
    "on the order while it is open: wait for CJ's decision, or close it first (/close {dispute_id})."
)
ITEM_LABEL = N_("{mark} {name} ×{ordered} {price}")
DONE_COUNT = N_("Done ({count})")
PICK_ONE = N_("Pick at least one item first.")
QUANTITY = N_('How many of "{name}" are affected? From 1 to {max} (tap or type the number).')
QUANTITY_RANGE = N_("Send a whole number from 1 to {max}.")
CONFIRM_REFUSED = N_("{failure}\nTrying again will not change that: pick other items, or /cancel.")
CONFIRM_REFUSED_HELD = N_(
    "{failure}\nDispute {dispute_id} is still open on this order: wait for CJ's decision, "
    "or close it first (/close {dispute_id})."
)
NO_REASONS = N_("CJ offers no dispute reason for this selection. Pick other items.")
AMOUNTS = N_("The most CJ can refund for this selection: {parts}; total {total}.")
AMOUNT_PRODUCTS = N_("products {amount}")
AMOUNT_POSTAGE = N_("postage {amount}")
AMOUNT_IOSS = N_("IOSS tax {tax} + fee {fee}")

# --- reason, result, refund route ----------------------------------------------------------------
REASON = N_("What went wrong? Pick the reason closest to the buyer's problem.")
REASON_UNNAMED = N_("Reason {id} (CJ gave no name)")
EXPECT = N_("What do you want CJ to do?")
REFUND = N_("Refund")
REISSUE = N_("Reissue")
ONLY_REFUND = N_("CJ offers only a refund for this selection.")
ONLY_REISSUE = N_("CJ offers only a reissue for this selection.")
ROUTE = N_("Where should the refund go?")
ROUTE_BALANCE = N_("CJ wallet balance")
ROUTE_ORIGINAL = N_("Original payment method")

# --- message ------------------------------------------------------------------------------------
MESSAGE = N_(
    "Write the message for CJ's reviewer (required, 1-{max} characters): "
    "what happened and what the buyer reported."
)
MESSAGE_OR_QUESTION = N_('Send this to CJ as your message, or was it a question for me?\n\n"{text}"')
SEND_TO_CJ = N_("Send it to CJ")
WAS_A_QUESTION = N_("It was a question")
MESSAGE_EMPTY = N_("The message is required: a few words on what went wrong.")
MESSAGE_TOO_LONG = N_(
    "That message is {length} characters: {over} over CJ's limit of {max}. Shorten it and send it again."
)

# --- evidence -----------------------------------------------------------------------------------
EVIDENCE = N_(
    "Evidence (optional, up to {max} photos or videos). What helps for this reason:\n{checklist}\n"
    "Send them now, then press Done. Files so far: {count}."
)
DONE = N_("Done")
SKIP = N_("Skip")
CLEAR = N_("Clear evidence")
CLEARED = N_("Evidence cleared.")
EVIDENCE_TEXT = N_("Send photos or videos here, or press Done / Skip.")
SO_FAR = Nn_(
    "Evidence so far: {count} file for CJ. Send more, or press Done.",
    "Evidence so far: {count} files for CJ. Send more, or press Done.",
)
TOO_MANY = N_("That makes more than {max} files: the extra ones were not added.")
NO_PUBLIC_URL = N_("Got it, but this Alex has no public address to hand files to CJ. {on_web}")
BAD_URL = N_("That file's link is not usable by CJ (http(s), at most {max} characters).")
MEDIA_WRONG_STEP = N_("Photos and videos are taken at the evidence step, after the message.")

# --- summary and edit ---------------------------------------------------------------------------
SUMMARY = N_("Please check, then Confirm. Dispute for order {order_id}:")
SUMMARY_LINE = N_("• {name} × {quantity} ({price} each)")
SUMMARY_REASON = N_("Reason: {reason}")
SUMMARY_REFUND = N_("You ask for: a refund to {route}")
SUMMARY_REISSUE = N_("You ask for: a reissue (CJ sends the items again)")
SUMMARY_MESSAGE = N_("Message: {message}")
SUMMARY_FILES = Nn_("Evidence: {count} file sent to CJ", "Evidence: {count} files sent to CJ")
SUMMARY_ON_WEB = Nn_(", {count} to attach on CJ's site", ", {count} to attach on CJ's site")
BEFORE_CONFIRM = N_("Before you confirm:")
WARNING = N_("⚠ {warning}")
EXISTING = N_("CJ already links dispute {dispute_id} to this order: make sure this is another problem.")
NO_EVIDENCE = N_("No evidence yet: for shipped orders CJ expects proof. For this reason: {checklist}")
CONFIRM = N_("Confirm and open")
EDIT = N_("Edit")
EDIT_PROMPT = N_("What do you want to change?")
EDIT_ITEMS = N_("Items and quantities")
EDIT_REASON = N_("Reason")
EDIT_EXPECT = N_("Refund / reissue")
EDIT_MESSAGE = N_("Message")
EDIT_EVIDENCE = N_("Evidence")
EDIT_BACK = N_("Back to summary")

# --- create -------------------------------------------------------------------------------------
CREATE_FAILED = N_(
    "{failure}{unsure}\nYour draft is kept. "
    "Pressing Confirm again is safe: Alex never opens the same dispute twice."
)
CREATE_MAYBE = N_(" CJ may have received it before the failure.")
CREATE_REFUSED = N_("{failure}\nYour draft is kept: change it with Edit, or /cancel.")
CREATED = N_("Dispute {dispute_id} is open for order {order_id}.")
CREATED_FOLLOW = N_("Follow it with /status {dispute_id}; Alex also tells you when CJ decides.")
CREATED_ON_WEB = N_("Replying to CJ in the dispute, or agreeing to a reissue, is done on CJ's site: {where}.")
CHECK_STATUS = N_("Check status")
ALREADY_CREATED = N_("Already created: {dispute_id}. Nothing was sent twice. /status {dispute_id}")
IS_OPEN = N_("Dispute {dispute_id} is open. /status {dispute_id}")

# --- what Alex was doing when CJ failed (inserted in the failure sentence) ------------------------
DOING_LOOKUP = N_("looking up order {order_id}")
DOING_ITEMS = N_("reading the items of order {order_id}")
DOING_CONFIRM = N_("asking CJ what this dispute can claim")
DOING_CREATE = N_("creating the dispute")
