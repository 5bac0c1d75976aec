"""Inline mode: ``@bot question`` in any chat offers up to five FAQ answers to share, each in
the one presentation every path uses (question, answer, sources)."""

from __future__ import annotations

import hashlib

from telegram import InlineQueryResultArticle, InlineQueryResultsButton, InputTextMessageContent, Update
from telegram.ext import ContextTypes

from bot import answers, texts
from bot.deps import get_deps
from bot.mapping import can_ask_faq, translator_of
from bot.render import escape, split_text
from i18n import translator

MAX_RESULTS = 5
CACHE_SECONDS = 300
DESCRIPTION_CHARS = 120


def _result_id(entry_id: str) -> str:
    """Result ids are at most 64 bytes; long entry ids are hashed."""
    if len(entry_id.encode("utf-8")) <= 64:
        return entry_id
    return hashlib.sha256(entry_id.encode("utf-8")).hexdigest()[:64]


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = get_deps(context)
    query = update.inline_query
    if query is None:
        return
    if not can_ask_faq(deps.settings, query.from_user.id):
        text = translator_of(query.from_user, None, deps.store).gettext(texts.TEAM_ONLY_INLINE)
        button = InlineQueryResultsButton(text=text, start_parameter="help")
        await query.answer([], cache_time=CACHE_SECONDS, is_personal=True, button=button)
        return
    # the entries come in the query's language (Matcher.search detects it): label them in it too
    detect = getattr(deps.matcher, "detect", None)
    asked = detect(query.query).lang if callable(detect) and query.query.strip() else None
    tr = translator(asked) if asked else translator_of(query.from_user, None, deps.store)
    results = []
    for entry in answers.candidates(deps.matcher, query.query, limit=MAX_RESULTS):
        summary = " ".join(entry.answer.split())
        if len(summary) > DESCRIPTION_CHARS:
            summary = summary[: DESCRIPTION_CHARS - 1] + "…"
        results.append(
            InlineQueryResultArticle(
                id=_result_id(entry.id),
                title=entry.question[:200],
                description=summary,
                input_message_content=InputTextMessageContent(
                    escape(split_text(answers.entry_text(entry, deps.matcher, tr))[0])
                ),
            )
        )
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=False)
