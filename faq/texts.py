"""What the FAQ's own presentation says around an answer (labels, "did you mean", the notice for
an answer not translated yet, the human route), ``N_``-marked for the catalogs.

Only :mod:`i18n` (the standard library's gettext) is imported: ``faq`` stays free of telegram
and pydantic and fast to import.
"""

from __future__ import annotations

from i18n import N_

SOURCE = N_("Source: {source}")
SOURCES = N_("Sources:")
UNTRANSLATED = N_("(This answer is not translated into your language yet; here it is in English.)")
DONT_KNOW = N_(
    "I don't know that one: it is outside what I know about CJ disputes, refunds, resends and returns."
)
HUMAN_CAN_HELP = N_("A human can help: {human_route}.")
NOTED = N_("(I noted the question so my knowledge base can grow.)")
NOT_SURE = N_("I'm not sure what you mean. Did you mean:")
ASK_ONE = N_('Ask one of these (e.g. alex faq "{question}"), or rephrase.')
RELATED = N_("Related: {questions}")
SMALLTALK = {
    "greeting": N_("Hello! Ask me about CJ disputes, refunds, resends and returns."),
    "thanks": N_("You're welcome! Anything else about your CJ orders?"),
    "goodbye": N_("Bye! Ask any time about disputes, refunds or returns."),
    "ack": N_("OK. Ask me about CJ disputes, refunds, resends and returns whenever you like."),
    "about": N_(
        "I'm Alex: I answer questions about CJ disputes, refunds, resends and returns, "
        "and in Telegram I can open, close and track disputes (/dispute, /close, /disputes, /status)."
    ),
}
