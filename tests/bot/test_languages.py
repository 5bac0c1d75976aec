"""The Telegram adapter and the chat's language, over HTTP against the fake Bot API: the person's
app language reaches the engine, a group's /language is its admins' (asked of Telegram), anyone
may choose their own, and what the adapter says itself follows the stored choice."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from conversations.events import EventKind
from store import chats
from store.db import Store
from tests.bot.conftest import GROUP, OWNER, STRANGER, TEAMMATE, ScriptedEngine
from tests.fakes.telegram_api import FakeTelegramServer


def _speaking(update: dict[str, Any], code: str) -> dict[str, Any]:
    update["message"]["from"]["language_code"] = code
    return update


async def test_the_app_language_reaches_the_engine(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    tg.push_update(_speaking(tg.text_update(OWNER, OWNER, "/disputes"), "pt-br"))
    await tg.wait_for("sendMessage", chat_id=OWNER)
    actor, event = engine.events[-1]
    assert (actor.language_code, event.command) == ("pt-br", "disputes")
    assert not actor.is_group_admin  # never asked of Telegram outside /language in a group
    assert tg.calls_of("getChatMember") == []


async def test_a_group_s_language_is_for_its_admins(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    tg.set_member_status(GROUP, OWNER, "administrator")
    tg.push_update(tg.text_update(GROUP, TEAMMATE, "/language es"))
    await tg.wait_for("sendMessage", chat_id=GROUP)
    assert engine.events[-1][0].is_group_admin is False
    mark = tg.mark()
    tg.push_update(tg.text_update(GROUP, OWNER, f"/language@{tg.bot_username} es"))
    await tg.wait_for("sendMessage", chat_id=GROUP, after=mark)
    actor, event = engine.events[-1]
    assert actor.is_group_admin and (event.command, event.args) == ("language", "es")
    assert tg.calls_of("getChatMember")[-1].params == {"chat_id": GROUP, "user_id": OWNER}


async def test_someone_outside_the_team_may_choose_their_own_language(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    tg.push_update(tg.text_update(STRANGER, STRANGER, "/language"))
    await tg.wait_for("sendMessage", chat_id=STRANGER)
    actor, event = engine.events[-1]
    assert event.kind is EventKind.COMMAND and event.command == "language"
    assert not actor.can_manage_disputes
    mark = tg.mark()
    tg.push_update(tg.text_update(STRANGER, STRANGER, "/disputes"))  # the team's commands stay refused
    refused = await tg.wait_for("sendMessage", chat_id=STRANGER, after=mark)
    assert "only for this bot's team" in refused.text and len(engine.events) == 1


async def test_the_adapter_s_own_texts_follow_the_stored_language(
    tg: FakeTelegramServer, bot: Application, store: Store  # type: ignore[type-arg]
) -> None:
    """Proved by the one thing that differs without translations: the translator the adapter picks."""
    from telegram import Chat, User

    from bot.mapping import translator_of

    chats.set_language(store, GROUP, "ru")
    person = User(OWNER, "Seller", False, language_code="de")
    assert translator_of(person, Chat(GROUP, "group"), store).lang == "ru"  # the group's choice
    assert translator_of(person, Chat(OWNER, "private"), store).lang == "de"  # else the app's
    assert translator_of(User(STRANGER, "X", False), None, store).lang == "en"
