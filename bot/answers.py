"""FAQ answers the adapter gives itself: to people outside the team (who never reach the
engine, so nothing about orders can leak) and in inline mode."""

from __future__ import annotations

from bot import texts
from conversations.events import CALLBACK_DATA_MAX_BYTES, Button, Reply
from conversations.ports import FaqEntryLike as FaqEntry
from conversations.ports import MatcherPort

FAQ_BUTTON_PREFIX = "~faq:"  # "~" never starts the engine's data (flow nonces are url-safe base64)
MAX_ALTERNATIVES = 3


def entry_text(entry: FaqEntry) -> str:
    text = f"{entry.question}\n\n{entry.answer}"
    return f"{text}\n\nSource: {entry.source}" if entry.source else text


def _button(entry: FaqEntry) -> Button | None:
    data = f"{FAQ_BUTTON_PREFIX}{entry.id}"
    if len(data.encode("utf-8")) > CALLBACK_DATA_MAX_BYTES:
        return None
    label = entry.question if len(entry.question) <= 64 else entry.question[:63] + "…"
    return Button(label=label, data=data)


def faq_reply(matcher: MatcherPort | None, question: str) -> Reply:
    """The best answer with up to three related questions as buttons, or an honest 'no idea'."""
    if matcher is None:
        return Reply(text=texts.NO_FAQ_MATCH)
    answer = matcher.answer(question)
    if answer.abstained or answer.entry is None:
        buttons = [b for b in (_button(e) for e in list(answer.alternatives)[:MAX_ALTERNATIVES]) if b]
        text = texts.NO_FAQ_MATCH + ("\nPerhaps one of these:" if buttons else "")
        return Reply(text=text, buttons=tuple((b,) for b in buttons))
    related = [b for b in (_button(e) for e in list(answer.alternatives)[:MAX_ALTERNATIVES]) if b]
    return Reply(text=entry_text(answer.entry), buttons=tuple((b,) for b in related))


def entry_reply(matcher: MatcherPort | None, entry_id: str) -> Reply:
    try:
        entry = matcher.entry(entry_id) if matcher is not None else None
    except KeyError:  # UnknownEntryError: the knowledge base changed since the button was sent
        entry = None
    if entry is None:
        return Reply(text=texts.FAQ_ENTRY_GONE)
    return Reply(text=entry_text(entry))


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
        entries = ([answer.entry] if answer.entry is not None and not answer.abstained else [])
        entries += list(answer.alternatives)
    unique: dict[str, FaqEntry] = {}
    for entry in entries:
        if entry is not None and entry.id not in unique:
            unique[entry.id] = entry
    return list(unique.values())[:limit]
