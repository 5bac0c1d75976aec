"""Everything the bot itself says (the engine writes its own replies). Plain text: render escapes it."""

from __future__ import annotations

# Commands shown in Telegram's menu (setMyCommands), in this order.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "What Alex can do"),
    ("help", "List the commands"),
    ("dispute", "Open a dispute on a CJ order: /dispute SD123…"),
    ("close", "Cancel an open dispute: /close SH123…"),
    ("disputes", "List your open disputes"),
    ("status", "Where a dispute stands: /status SH123…"),
    ("cancel", "Stop the current step; your draft is kept"),
    ("subscribe", "Group admins: post dispute updates in this group"),
    ("unsubscribe", "Group admins: stop dispute updates in this group"),
)

DISPUTE_COMMANDS = frozenset({"dispute", "close", "disputes", "status", "cancel"})
# Deep links (t.me/<bot>?start=dispute_SD123) may open these flows prefilled.
DEEP_LINK_COMMANDS = frozenset({"dispute", "close", "status", "disputes"})

START = (
    "Hi, I'm Alex, your CJdropshipping dispute assistant.\n"
    "Ask me any CJ policy question in plain words, here or as @{bot} question in any chat.\n"
    "I open, follow and close disputes on your CJ orders, and tell you when CJ decides."
)
START_STRANGER = (
    "Hi, I'm Alex, a CJdropshipping dispute assistant.\n"
    "Ask me any CJ policy question in plain words, here or as @{bot} question in any chat.\n"
    "Disputes are handled only for this bot's team; ask its owner to add your Telegram id ({user_id})."
)
START_STRANGER_NO_FAQ = (
    "Hi, I'm Alex, a CJdropshipping dispute assistant for one team.\n"
    "It answers only that team's members; ask the bot's owner to add your Telegram id ({user_id})."
)


def help_text() -> str:
    lines = ["What I understand:"]
    lines += [f"/{name}: {description}" for name, description in COMMANDS]
    lines.append("Or just write: a policy question, an order id (SD…) or a dispute id (SH…).")
    lines.append("Photos and videos you send during a dispute are kept as evidence.")
    return "\n".join(lines)


REFUSE_DISPUTES = (
    "Sorry, disputes are handled only for this bot's team. "
    "Ask its owner to add your Telegram id ({user_id}) to ALLOWED_USER_IDS."
)
REFUSE_ALL = "Sorry, this bot answers only its team. Ask its owner to add your Telegram id ({user_id})."
FOREIGN_BUTTON = "These buttons belong to someone else's conversation. Send /dispute to start your own."
UNKNOWN_COMMAND = "I don't know /{command}. /help lists what I can do."
GROUP_ONLY = "/{command} works in a team group: add me to the group and send it there."
ADMINS_ONLY = "Only this group's admins who are on Alex's team can change its subscription."
SUBSCRIBED = "This group now gets dispute status updates. /unsubscribe stops them."
ALREADY_SUBSCRIBED = "This group already gets dispute status updates. /unsubscribe stops them."
UNSUBSCRIBED = "This group no longer gets dispute status updates."
NOT_SUBSCRIBED = "This group was not subscribed. /subscribe starts dispute status updates."
NO_FAQ_MATCH = "I have no confident answer to that. Try other words, or ask CJ support on their site."
FAQ_ENTRY_GONE = "That answer is no longer in my knowledge base. Ask the question again."
TOO_BIG = "That file is over Telegram's 20 MB limit for bots. Attach it on CJ's site instead (dispute page)."
DOWNLOAD_FAILED = "I could not download that file from Telegram. Send it again in a moment."
FAILED = "Sorry, {what} failed. Your draft is kept: try again in a minute, or /cancel."
NOTHING_TO_CANCEL = "Nothing to cancel."
