"""FAQ answers the adapter gives itself: to people outside the team (who never reach the
engine, so nothing about orders can leak) and in inline mode.

The presentation is the engine's (:mod:`conversations.faq_route`, built on
:func:`faq.present.format_entry`): an outsider, a team member, inline mode and the demo read
the same answer. Outsiders get no buttons that start a dispute.
"""

from __future__ import annotations

from conversations import faq_route
from conversations.events import Reply
from conversations.ports import FaqEntryLike as FaqEntry
from conversations.ports import MatcherPort
from i18n import ENGLISH, Translator


def outsider_answer(matcher: MatcherPort | None, question: str, tr: Translator) -> list[Reply]:
    """The best answer with "did you mean" buttons, or an honest "I don't know"."""
    return faq_route.answer(matcher, question, tr, actions=False)


def outsider_entry(matcher: MatcherPort | None, entry_id: str, tr: Translator, lang: str = "") -> list[Reply]:
    """A pressed "did you mean" button (``FaqAnswer``), for someone outside the team."""
    return faq_route.entry_reply(matcher, entry_id, tr, actions=False, lang=lang)


def entry_text(entry: FaqEntry, matcher: MatcherPort | None, tr: Translator = ENGLISH) -> str:
    return faq_route.entry_text(entry, matcher, tr)


def candidates(matcher: MatcherPort | None, query: str, limit: int = 5) -> list[FaqEntry]:
    """Up to ``limit`` distinct entries for an inline query, best first."""
    if matcher is None or not query.strip():
        return []
    search = getattr(matcher, "search", None)
    if callable(search):
        # Matcher.search gives (entry, score) pairs, best first
        entries = [item[0] if isinstance(item, tuple) else item for item in search(query, limit=limit)]
    else:
        answer = matcher.answer(query)
        entries = [answer.entry] if answer.entry is not None and not answer.abstained else []
        entries += list(answer.alternatives)
    unique: dict[str, FaqEntry] = {}
    for entry in entries:
        if entry is not None and entry.id not in unique:
            unique[entry.id] = entry
    return list(unique.values())[:limit]
