"""One presentation of an FAQ answer: a team member (the engine), an outsider (the adapter's own
answer), inline mode and ``faq.present`` show the same text for the same question."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot import answers
from conversations.events import Actor
from faq import present
from faq import texts as faq_texts
from faq.matcher import load_matcher
from i18n import ENGLISH, translator
from tests.bot.conftest import STRANGER
from tests.conversations.conftest import Chat, FakeClock

QUESTIONS = [
    "how many days will cj need to look at my dispute?",
    "what proof does cj want for a damaged parcel?",
    "is there a deadline to open a dispute?",
]


@pytest.fixture(scope="module")
def matcher() -> Any:
    return load_matcher()


@pytest.mark.parametrize("question", QUESTIONS)
async def test_team_outsider_inline_and_cli_read_the_same_answer(
    sandbox: Any, tmp_path: Path, http: httpx.AsyncClient, matcher: Any, question: str
) -> None:
    chat = Chat(sandbox, tmp_path / "alex.sqlite3", http, clock=FakeClock(), matcher=matcher)
    try:
        await chat.send(question)
        team = chat.last[0].text
        outsider = answers.outsider_answer(matcher, question, ENGLISH)[0]
        entry = matcher.answer(question).entry
        assert entry is not None
        assert team == outsider.text == answers.entry_text(entry, matcher)
        assert team == present.format_entry(entry, matcher.kb.source_table)
        guest = chat.as_user(Actor(user_id=5, chat_id=5, can_manage_disputes=False))
        await guest.send(question)
        assert guest.last[0].text == team
        assert not any(b.data.startswith("go:") for r in guest.last for row in r.buttons for b in row)
    finally:
        await chat.close()


async def test_inline_answers_are_labelled_in_the_query_s_language(
    tg: Any, bot: Any, matcher: Any
) -> None:
    """Inline mode finds the entries in the query's language; their labels speak it too."""
    question = "cuanto tarda el reembolso de stripe"
    tg.push_update(tg.inline_update(STRANGER, question))
    call = await tg.wait_for("answerInlineQuery")
    shown = html.unescape(call.params["results"][0]["input_message_content"]["message_text"])
    entry = matcher.search(question, limit=1)[0][0]
    assert shown == answers.entry_text(entry, matcher, translator("es"))
    assert "Source" not in shown and translator("es").gettext(faq_texts.SOURCE).split("{")[0] in shown
