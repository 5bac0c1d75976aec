"""Free-text questions: the FAQ matcher's answer, "did you mean" buttons, or an honest "I don't know".

One presentation for every path (team member, outsider, inline mode, demo): the answer text
comes from :func:`entry_text`; team members also get the entry's action as a button ("Open a
dispute" after "can I open a dispute for…?"). The matcher is the FAQ package's
(``faq.matcher.Matcher``); only the members in :class:`conversations.ports.MatcherPort` are
used, plus the optional ``kind`` / ``smalltalk`` attributes of its answers when present.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conversations import policy
from conversations.buttons import FaqAnswer, FaqNoneOfThese, RunCommand
from conversations.events import Button, Reply
from conversations.ports import FaqEntryLike, MatcherPort
from conversations.reading import reads_as_question, visible_text
from conversations.render import clip, data_button, reply
from conversations.texts import common as texts
from faq import present
from faq import texts as faq_texts
from i18n import ENGLISH, Translator, translator

ACTIONS = {
    "open_dispute": (texts.ACTION_OPEN, "dispute"),
    "close_dispute": (texts.ACTION_CLOSE, "close"),
    "check_status": (texts.ACTION_STATUS, "disputes"),
}
UNSURE_KIND = "unsure"
ANSWER_KIND = "answer"
MAX_ALTERNATIVES = 3
MIN_QUESTION_CHARS = 8


def entry_text(entry: FaqEntryLike, matcher: MatcherPort | None = None, tr: Translator = ENGLISH) -> str:
    """An answer as every path shows it (:func:`faq.present.format_entry`): the question it
    answers, the answer, and its sources as a seller can read them, labelled in ``tr``'s language."""
    kb = getattr(matcher, "kb", None)
    return present.format_entry(entry, getattr(kb, "source_table", None), tr)


def dont_know(tr: Translator) -> Reply:
    return reply(tr.format(texts.DONT_KNOW, human_route=tr.gettext(policy.HUMAN_ROUTE)))


def _spoken(result: object, tr: Translator) -> Translator:
    """The language of the question (``asked``): the FAQ replies in it, whatever the chat's language."""
    asked = getattr(result, "asked", None) or getattr(result, "lang", None)
    return translator(asked) if isinstance(asked, str) and asked != tr.lang else tr


def _entry_buttons(entries: list[FaqEntryLike], lang: str = "") -> list[list[Button | None]]:
    return [
        [data_button(clip(e.question, 60), FaqAnswer(entry_id=e.id, lang=lang))]
        for e in entries
        if _packable(e.id, lang)
    ]


def _packable(entry_id: str, lang: str = "") -> bool:
    try:
        return FaqAnswer(entry_id=entry_id, lang=lang).fits()
    except ValueError:  # an id of a shape the codec refuses: no button rather than a broken one
        return False


def answer_reply(
    entry: FaqEntryLike,
    tr: Translator,
    *,
    matcher: MatcherPort | None = None,
    prefix: str = "",
    actions: bool = True,
) -> Reply:
    buttons: list[Button | None] = []
    action = getattr(entry, "action", None)
    if actions and action in ACTIONS:
        text, command = ACTIONS[action]
        buttons.append(data_button(tr.gettext(text), RunCommand(command=command)))
    head = f"{prefix}\n" if prefix else ""
    return reply(f"{head}{entry_text(entry, matcher, tr)}", buttons)


def _ask(matcher: MatcherPort, question: str, tr: Translator) -> Any:
    return matcher.answer(question, prefer=tr.lang)


def answer(
    matcher: MatcherPort | None,
    question: str,
    tr: Translator,
    *,
    on_miss: Callable[[Any], None] | None = None,
    actions: bool = True,
) -> list[Reply]:
    """The reply to a free-text question, in the question's language; ``on_miss`` sees each
    abstention, for the miss log.

    ``actions`` False (people outside the team) leaves out the buttons that start a dispute.
    """
    if matcher is None or not visible_text(question):
        return [dont_know(tr)]
    result = _ask(matcher, question, tr)
    tr = _spoken(result, tr)
    if on_miss is not None and getattr(result, "kind", None) == "unknown":
        on_miss(result)
    smalltalk = getattr(result, "smalltalk", None)
    if smalltalk in texts.SMALLTALK:
        return [reply(tr.gettext(texts.SMALLTALK[smalltalk]))]
    best = result.entry
    alternatives = [e for e in result.alternatives if best is None or e.id != best.id][:MAX_ALTERNATIVES]
    lang = str(getattr(result, "lang", "") or "")
    if not result.abstained and best is not None:
        unsure = getattr(result, "kind", None) == UNSURE_KIND
        notes = [tr.gettext(faq_texts.UNTRANSLATED)] if getattr(result, "untranslated", False) else []
        if unsure:
            notes.append(tr.gettext(texts.UNSURE_PREFIX))
        replies = [answer_reply(best, tr, matcher=matcher, prefix="\n".join(notes), actions=actions)]
        if alternatives:
            replies.append(reply(tr.gettext(texts.OR_DID_YOU_MEAN), *_entry_buttons(alternatives, lang)))
        return replies
    if alternatives:
        return [
            reply(
                tr.gettext(texts.NOT_SURE),
                *_entry_buttons(alternatives, lang),
                [data_button(tr.gettext(texts.NONE_OF_THESE), FaqNoneOfThese())],
            )
        ]
    return [dont_know(tr)]


def entry_reply(
    matcher: MatcherPort | None, entry_id: str, tr: Translator, *, actions: bool = True, lang: str = ""
) -> list[Reply]:
    """A pressed "did you mean" button: the entry in the language the choice was offered in."""
    if matcher is None:
        return [dont_know(tr)]
    try:
        english = matcher.entry(entry_id)
        entry = matcher.entry(entry_id, lang) if lang and lang != "en" else english  # type: ignore[call-arg]
    except KeyError:
        english = entry = None
    if entry is None:
        return [reply(tr.gettext(texts.ENTRY_GONE))]
    spoken = translator(lang) if lang and lang != tr.lang else tr
    if lang and lang != "en" and entry is english:  # not translated yet: said so, in the asker's language
        head = spoken.gettext(faq_texts.UNTRANSLATED)
        return [answer_reply(entry, spoken, matcher=matcher, prefix=head, actions=actions)]
    return [answer_reply(entry, spoken, matcher=matcher, actions=actions)]


def confident_answer(matcher: MatcherPort | None, text: str, tr: Translator) -> Reply | None:
    """A sure FAQ answer, or None: a short wrong answer typed at a step must not become a lecture."""
    if matcher is None or len(visible_text(text)) < MIN_QUESTION_CHARS:
        return None
    result = _ask(matcher, text, tr)
    if result.abstained or result.entry is None or getattr(result, "kind", ANSWER_KIND) != ANSWER_KIND:
        return None
    return answer_reply(result.entry, _spoken(result, tr), matcher=matcher, actions=False)


def answer_in_flow(matcher: MatcherPort | None, text: str, tr: Translator) -> list[Reply] | None:
    """Text typed in the middle of a draft: answered when it reads as a question (even with "I
    don't know") or when the FAQ is sure of it; None when it is neither (a wrong answer)."""
    if reads_as_question(text) and len(visible_text(text)) >= MIN_QUESTION_CHARS:
        replies = answer(matcher, text, tr, actions=False)
        return [r for r in replies if r.text.strip()]
    sure = confident_answer(matcher, text, tr)
    return [sure] if sure is not None else None
