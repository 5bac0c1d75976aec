"""Texts of the close flow (``close_dispute.py``)."""

from __future__ import annotations

from i18n import N_

DESCRIBE = N_("closing dispute {dispute_id}")
DESCRIBE_ANY = N_("closing a dispute")
PICK = N_("Which dispute do you want to close? Tap it, or send its id (SH…).")
PICK_TOO_LONG = N_("(no button: send its id)")
CHECK = N_("Alex could not reach CJ. Press Try again.")
ASK_ORDER = N_("{detail}\n\nCJ needs the order id to close this dispute. Which order (SD…) is it for?")
REVIEW = N_("{detail}\n\nBefore you close it: {resumes} {final}")
CONFIRM = N_(
    "Sure? Dispute {dispute_id} on order {order_id} will be cancelled for good; "
    "CJ then processes the order again."
)
YES = N_("Yes, close it for good")
NO = N_("No, keep it open")
CLOSED = N_("Dispute {dispute_id} is closed. /status {dispute_id} shows it.")
CLOSED_DONE = N_("Dispute {dispute_id} is closed. CJ will process order {order_id} again.\n{final}")
ALREADY_CLOSED = N_("Already closed: {dispute_id}. Nothing was sent twice. /status {dispute_id} shows it.")
KEPT_OPEN = N_("Nothing changed: dispute {dispute_id} stays open. /status {dispute_id} shows it.")
NONE_OPEN = N_("You have no open dispute to close{more}. If you know its id, send /close SH…")
AMONG_LATEST = N_(" (among your latest disputes)")
NEED_DISPUTE_ID = N_("Send the dispute id: SH followed by digits (e.g. SH1623673863466725376).")
IS_ORDER_ID = N_(
    "{value} is an order id. To close a dispute I need the dispute's id (SH…); "
    "the list above shows your open ones."
)
NOT_OPEN = N_(
    "{detail}\n\nThis dispute is no longer open, so there is nothing to close. Your list: /disputes"
)
NEED_ORDER_ID = N_("Send the CJ order id (SD…) this dispute belongs to.")
ORDER_MISMATCH = N_("CJ lists no dispute {dispute_id} on order {order_id}.")
KEPT = N_("{failure} Your answers are kept.")
RETRY_PRESS = N_("{failure}\nNothing is lost: press the button again to retry.")
FAILED = N_("{failure}\nNothing changed. Press Try again.")
DOING_CHECK_ORDER = N_("checking that order")
DOING_CLOSE = N_("closing the dispute")
