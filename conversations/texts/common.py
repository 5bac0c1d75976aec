"""Texts of the engine, ``/start`` and ``/help``, the FAQ replies, and what every step shares."""

from __future__ import annotations

from i18n import N_, Nn_

# --- welcome and help (the bot's /start and /help use these too) ---------------------------
WHAT_I_DO = N_(
    "I help you handle CJdropshipping disputes without opening CJ's website:\n"
    "• answer questions on CJ's refund, reissue and dispute rules;\n"
    "• open, follow and close disputes on your CJ orders, step by step;\n"
    "• tell you when CJ decides on a dispute."
)
WELCOME_TEAM = N_("Hi, I'm Alex, your CJdropshipping dispute assistant.")
WELCOME_GUEST = N_("Hi, I'm Alex, a CJdropshipping dispute assistant.")
INLINE_HINT = N_("Ask me any CJ policy question in plain words, here or as @{bot} question in any chat.")
GUEST_DISPUTES = N_(
    "Disputes are handled only for this bot's team; ask its owner to add your Telegram id ({user_id})."
)
GUEST_CLOSED = N_(
    "Alex answers only its team's members; ask the bot's owner to add your Telegram id ({user_id})."
)
TEAM_DOES = N_("I open, follow and close disputes on your CJ orders, and tell you when CJ decides.")
HELP_HEADER = N_("What I understand:")
HELP_GROUP_ADMINS_ONLY = N_(" (group admins, in a team group)")
HELP_WRITE_TEAM = N_(
    'Or just write: a question in your own words, "open a dispute for SD…", "status SH…", '
    '"close SH…". Photos and videos sent while opening a dispute become its evidence.'
)
HELP_WRITE_EVERYONE = N_("Or just write a question about CJ's dispute, refund and reissue rules.")

# --- engine ------------------------------------------------------------------------------------
REFUSAL = N_(
    "Sorry, only the shop's authorised team can open, close or look up disputes with Alex. "
    "I can still answer questions about CJ's dispute rules: just ask."
)
NOT_ALLOWED_NOTICE = N_("Not allowed")
UNKNOWN_COMMAND = N_("I don't know /{command}. /help lists what I can do.")
NOTHING_TO_CANCEL = N_("Nothing to cancel. /help lists what I can do.")
CANCELLED = N_(
    "Cancelled {what}. Nothing was sent to CJ. Start again with /dispute or /close, "
    "or /help for everything else."
)
CANCELLED_NOTICE = N_("Cancelled")
DROPPED = N_("(I dropped {what}; nothing was sent to CJ.)")
STILL_WAITING = N_("(Still waiting on {what}: answer below, or /cancel.)")
EXPIRED = N_(
    "{what} was idle for more than {span} and has expired; nothing was sent to CJ. "
    "Start again whenever you like."
)
HOURS = Nn_("{count} hour", "{count} hours")
MINUTES = Nn_("{count} minute", "{count} minutes")
NOT_RESTORED = N_("Your previous draft could not be restored after an update of Alex; please start again.")
MEDIA_OUTSIDE_FLOW = N_("I take photos and videos only as evidence while opening a dispute: /dispute")
STALE = N_("That button belongs to an older message or another flow; nothing changed.")
UNKNOWN_BUTTON = N_("That button is not one Alex knows (an old or altered message); nothing changed.")
GROUP_COMMAND = N_("/{command} is for team groups: send it in the group (group admins only).")

# --- /language ---------------------------------------------------------------------------------
LANGUAGE_PICK = N_("Which language should Alex speak in this chat? Now: {language}.")
LANGUAGE_PICK_GROUP = N_(
    "Which language should Alex speak in this group (replies, dispute updates and digests)? Now: {language}."
)
LANGUAGE_SET = N_("From now on Alex speaks {language} in this chat.")
LANGUAGE_SET_GROUP = N_("From now on Alex speaks {language} in this group, updates and digests included.")
LANGUAGE_UNKNOWN = N_("Alex does not speak {value} yet. Tap one of the languages below.")
LANGUAGE_ADMINS_ONLY = N_("Only this group's admins can change the language Alex speaks here.")
LANGUAGE_FAQ_NOTE = N_("Questions are answered in the language you ask them in.")

# --- every step -------------------------------------------------------------------------------
USE_BUTTONS = N_("Please answer with the buttons below (or /cancel).")
BACK_TO_DRAFT = N_("Back to your draft: your answers are kept.")
INVISIBLE = N_(
    "That message has no visible text (only spaces or invisible characters). Please type it again."
)
NOT_A_CHOICE = N_("{typed} is not one of the choices: tap a button, or type a number from 1 to {count}.")
NOT_A_NUMBER = N_("Please type the number in plain digits (1, 2, 3…), or tap a button.")
MEDIA_NOT_NOW = N_("Photos and videos are only taken at the evidence step.")
BACK = N_("Back")
CANCEL = N_("Cancel")
TRY_AGAIN = N_("Try again")

# --- FAQ -----------------------------------------------------------------------------------------
DONT_KNOW = N_("I don't know that one, and I'd rather not guess.\n{human_route}\nFor what I can do: /help")
UNSURE_PREFIX = N_("I think this answers it:")
OR_DID_YOU_MEAN = N_("Or did you mean:")
NOT_SURE = N_("I'm not sure I understood. Did you mean:")
NONE_OF_THESE = N_("None of these")
ENTRY_GONE = N_("That answer is no longer in Alex's knowledge base. Ask again in your own words.")
ACTION_OPEN = N_("Open a dispute")  # also the push suggestions' and /start's button
ACTION_CLOSE = N_("Close a dispute")
ACTION_STATUS = N_("My disputes")
SMALLTALK = {
    "greeting": N_("Hello! Ask me about CJ disputes, or open one with /dispute. /help lists everything."),
    "thanks": N_("You're welcome! Anything else about your CJ disputes?"),
    "goodbye": N_("Bye! Your drafts wait here until they expire."),
    "ack": N_("OK. Anything else? /help lists what I can do."),
    "about": N_("I'm Alex, an assistant for CJdropshipping disputes. /help lists what I can do."),
}

# --- typed words that work like a step's buttons ("|" separates the phrases) -------------------
TYPED_BACK = N_("back|go back|previous|prev|return")
TYPED_DONE = N_("done|skip|next|finish|finished|no more|that's all|thats all|nothing|none|no evidence")
TYPED_RETRY = N_("retry|try again|again|try")
TYPED_CONFIRM = N_("confirm|yes|open it|send it|go|submit")
TYPED_EDIT = N_("edit|change|modify")
TYPED_YES = N_("yes|yes close it|close it for good|sure")
TYPED_NO = N_("no|keep it|keep it open|don't close")
TYPED_CLOSE = N_("close|close it|close this dispute")

# shared by the close and follow flows
CLOSE_THIS = N_("Close this dispute")
DOING_LIST = N_("listing your disputes")
DOING_READ = N_("reading dispute {dispute_id}")
