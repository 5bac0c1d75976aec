"""Free-text questions: the FAQ matcher's answer, "did you mean" buttons, or an honest "I don't know".

The matcher is the FAQ package's (``faq.matcher.Matcher``); only the members in
:class:`conversations.ports.MatcherPort` are used, plus the optional ``kind`` /
``smalltalk`` attributes of its answers when present.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conversations import policy
from conversations.events import CALLBACK_DATA_MAX_BYTES, Button, Reply
from conversations.ports import FaqEntryLike, MatcherPort
from conversations.render import clip, plain_button, reply

ACTION_BUTTONS = {
    "open_dispute": ("Open a dispute", "go:dispute"),
    "close_dispute": ("Close a dispute", "go:close"),
    "check_status": ("My disputes", "go:disputes"),
}
UNSURE_KIND = "unsure"
SMALLTALK_REPLIES = {
    "greeting": "Hello! Ask me about CJ disputes, or open one with /dispute. /help lists everything.",
    "thanks": "You're welcome! Anything else about your CJ disputes?",
    "goodbye": "Bye! Your drafts wait here until they expire.",
    "ack": "OK. Anything else? /help lists what I can do.",
    "about": "I'm Alex, an assistant for CJdropshipping disputes. /help lists what I can do.",
}


def dont_know() -> Reply:
    return reply(
        f"I don't know that one, and I'd rather not guess.\n{policy.HUMAN_ROUTE}\nFor what I can do: /help"
    )


def _fits(entry_id: str) -> bool:
    return len(f"faq:{entry_id}".encode()) <= CALLBACK_DATA_MAX_BYTES


def _entry_buttons(entries: list[FaqEntryLike]) -> list[list[Button]]:
    return [[plain_button(clip(e.question, 60), f"faq:{e.id}")] for e in entries if _fits(e.id)]


def _answer_reply(entry: FaqEntryLike, prefix: str = "") -> Reply:
    buttons: list[Button] = []
    action = getattr(entry, "action", None)
    if action in ACTION_BUTTONS:
        label, data = ACTION_BUTTONS[action]
        buttons.append(plain_button(label, data))
    return reply(f"{prefix}{entry.answer}\n(Source: {entry.source})", buttons)


def answer(
    matcher: MatcherPort | None, question: str, on_miss: Callable[[Any], None] | None = None
) -> list[Reply]:
    """The reply to a free-text question; ``on_miss`` sees each abstention, for the miss log."""
    if matcher is None or not question.strip():
        return [dont_know()]
    result = matcher.answer(question)
    if on_miss is not None and getattr(result, "kind", None) == "unknown":
        on_miss(result)
    smalltalk = getattr(result, "smalltalk", None)
    if smalltalk in SMALLTALK_REPLIES:
        return [reply(SMALLTALK_REPLIES[smalltalk])]
    alternatives = [e for e in result.alternatives if result.entry is None or e.id != result.entry.id][:3]
    if not result.abstained and result.entry is not None:
        unsure = getattr(result, "kind", None) == UNSURE_KIND
        replies = [_answer_reply(result.entry, "I think this answers it:\n" if unsure else "")]
        if alternatives:
            replies.append(reply("Or did you mean:", *_entry_buttons(alternatives)))
        return replies
    if alternatives:
        return [
            reply(
                "I'm not sure I understood. Did you mean:",
                *_entry_buttons(alternatives),
                [plain_button("None of these", "faq:-")],
            )
        ]
    return [dont_know()]


def entry_reply(matcher: MatcherPort | None, entry_id: str) -> list[Reply]:
    if entry_id == "-" or matcher is None:
        return [dont_know()]
    try:
        entry = matcher.entry(entry_id)
    except KeyError:
        entry = None
    if entry is None:
        return [reply("That answer is no longer in Alex's knowledge base. Ask again in your own words.")]
    return [_answer_reply(entry)]


def confident_answer(matcher: MatcherPort | None, text: str) -> Reply | None:
    """A sure FAQ answer to a question asked in the middle of a flow, or None.

    Only a confident match counts: a short wrong answer typed at a button step must not
    turn into a policy lecture.
    """
    if matcher is None or len(text.strip()) < 8:
        return None
    result = matcher.answer(text)
    if result.abstained or result.entry is None or getattr(result, "kind", "answer") != "answer":
        return None
    return _answer_reply(result.entry)
