"""What the Telegram adapter says itself (the engine writes its own replies). Plain text: render
escapes it. ``N_``-marked and shown through the chat's translator (:func:`bot.mapping.translator_of`).

Commands, their descriptions, ``/help`` and the ``/start`` text are not here: they come from
the one registry, :mod:`conversations.commands`, shared with the engine and the demo.
"""

from __future__ import annotations

from i18n import N_

# the /start keyboard
COMMANDS = N_("Commands")
ASK_ANYWHERE = N_("Ask in any chat")
TEAM_ONLY_INLINE = N_("Alex answers its team only")

REFUSE_DISPUTES = N_(
    "Sorry, disputes are handled only for this bot's team. "
    "Ask its owner to add your Telegram id ({user_id}) to ALLOWED_USER_IDS."
)
REFUSE_ALL = N_("Sorry, this bot answers only its team. Ask its owner to add your Telegram id ({user_id}).")
FOREIGN_BUTTON = N_("These buttons belong to someone else's conversation. Send /dispute to start your own.")
NOTHING_TO_CANCEL = N_("Nothing to cancel.")

# groups (bot.groups)
GROUP_ONLY = N_("/{command} works in a team group: add me to the group and send it there.")
ADMINS_ONLY = N_("Only this group's admins who are on Alex's team can change its subscription.")
SUBSCRIBED = N_("This group now gets dispute status updates. /unsubscribe stops them.")
ALREADY_SUBSCRIBED = N_("This group already gets dispute status updates. /unsubscribe stops them.")
UNSUBSCRIBED = N_("This group no longer gets dispute status updates.")
NOT_SUBSCRIBED = N_("This group was not subscribed. /subscribe starts dispute status updates.")
ADMIN_CHECK_FAILED = N_(
    "I could not check your admin rights in this group, so its subscription is unchanged. {why}"
)
CHECK_REFUSED = N_("Telegram refused the check: {detail}. Trying again will not help until that is fixed.")
CHECK_FLOOD = N_("Telegram asked me to wait {seconds:g} seconds: try again after that.")
CHECK_NO_ANSWER = N_("Telegram did not answer ({detail}): try again in a minute.")

# evidence files (bot.media) and failures (bot.errors)
TOO_BIG = N_(
    "That file is over Telegram's 20 MB limit for bots. Attach it on CJ's site instead (dispute page)."
)
DOWNLOAD_FAILED = N_("I could not download that file from Telegram. Send it again in a moment.")
FAILED = N_("Sorry, {what} failed. Your draft is kept: try again in a minute, or /cancel.")
FAILED_CJ = N_("talking to CJ")
FAILED_TELEGRAM = N_("talking to Telegram")
FAILED_ALEX = N_("something on Alex's side")
FAILED_ALBUM = N_("saving your album")
