"""The real Application over HTTP against the fake Bot API: commands, text, buttons, edits, access."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from telegram.ext import Application

from conversations.events import Button, EventKind, Reply
from store import chats
from store.db import Store
from tests.bot.conftest import GROUP, OWNER, STRANGER, TEAMMATE, ScriptedEngine
from tests.fakes.telegram_api import FakeTelegramServer


async def test_start_sets_commands_and_answers_with_three_lines_and_buttons(
    tg: FakeTelegramServer, bot: Application  # type: ignore[type-arg]
) -> None:
    await tg.wait_for(  # the English menus come last, without a language_code
        "setMyCommands",
        predicate=lambda c: "default" in str(c.params.get("scope")) and not c.params.get("language_code"),
    )
    menus = {}
    languages = set()
    for call in tg.calls_of("setMyCommands"):
        scope, commands = _decoded(call.params["scope"]), _decoded(call.params["commands"])
        menus[(scope["type"], scope.get("chat_id"))] = [c["command"] for c in commands]
        languages.add(call.params.get("language_code"))
        assert all(c["description"] for c in commands)
    assert languages == {"es", "pt", "fr", "de", "ru", None}
    everyone = ["start", "help", "language"]
    team = ["start", "help", "dispute", "close", "disputes", "status", "cancel", "language"]
    assert menus[("default", None)] == everyone
    assert menus[("all_private_chats", None)] == everyone
    assert menus[("all_group_chats", None)] == everyone
    assert menus[("all_chat_administrators", None)] == [*everyone, "subscribe", "unsubscribe"]
    assert menus[("chat", OWNER)] == team and menus[("chat", TEAMMATE)] == team
    assert ("chat", STRANGER) not in menus
    tg.push_update(tg.text_update(OWNER, OWNER, "/start"))
    sent = await tg.wait_for("sendMessage", chat_id=OWNER)
    assert sent.params["parse_mode"] == "HTML"
    assert len(sent.text.splitlines()) == 3
    assert "go:dispute" in sent.button_data()


def _decoded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def test_help_lists_every_command(tg: FakeTelegramServer, bot: Application) -> None:  # type: ignore[type-arg]
    tg.push_update(tg.text_update(OWNER, OWNER, "/help"))
    sent = await tg.wait_for("sendMessage", chat_id=OWNER)
    for name in ("/start", "/dispute", "/close", "/disputes", "/status", "/cancel", "/subscribe"):
        assert name in sent.text


async def test_text_goes_to_engine_and_reply_carries_keyboard_escaped(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    tg.push_update(tg.text_update(OWNER, OWNER, "order <SD123> & co"))
    sent = await tg.wait_for("sendMessage", chat_id=OWNER)
    assert sent.text == "got order &lt;SD123&gt; &amp; co"
    assert sent.buttons[0][0] == {"text": "Next", "callback_data": "n0nce1:step:next"}
    actor, event = engine.events[0]
    assert (actor.user_id, actor.chat_id) == (OWNER, OWNER)
    assert actor.can_manage_disputes and not actor.is_group
    assert event.kind is EventKind.TEXT and event.text == "order <SD123> & co"


async def test_command_with_args_becomes_command_event(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    tg.push_update(tg.text_update(OWNER, OWNER, "/dispute SD1234567"))
    await tg.wait_for("sendMessage", chat_id=OWNER)
    event = engine.events[0][1]
    assert (event.kind, event.command, event.args) == (EventKind.COMMAND, "dispute", "SD1234567")


async def test_deep_link_opens_flow_prefilled(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    tg.push_update(tg.text_update(OWNER, OWNER, "/start dispute_SD99887766"))
    await tg.wait_for("sendMessage", chat_id=OWNER)
    event = engine.events[0][1]
    assert (event.command, event.args) == ("dispute", "SD99887766")


async def test_button_press_is_answered_and_edits_in_place(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    step_one = Reply(text="Step one", buttons=((Button(label="Go", data="n0nce1:one:go"),),))
    step_two = Reply(text="Step two", edit=True, notice="Saved",
                     buttons=((Button(label="Done", data="n0nce1:two:done"),),))
    engine.script = lambda actor, event: [step_two] if event.kind is EventKind.BUTTON else [step_one]
    tg.push_update(tg.text_update(OWNER, OWNER, "hello"))
    first = await tg.wait_for("sendMessage", chat_id=OWNER)
    mark = tg.mark()
    msg_id = await _sent_message_id(tg, first)
    tg.push_update(tg.callback_update(OWNER, OWNER, "n0nce1:one:go", msg_id))
    answered = await tg.wait_for("answerCallbackQuery", after=mark)
    assert answered.params.get("text") == "Saved"
    edited = await tg.wait_for("editMessageText", after=mark)
    assert edited.params["message_id"] == msg_id and edited.text == "Step two"
    assert edited.button_data() == ["n0nce1:two:done"]
    assert engine.events[-1][1].data == "n0nce1:one:go"


async def _sent_message_id(tg: FakeTelegramServer, call: object) -> int:
    """The id the fake gave the first message sent to OWNER."""
    messages = [m for (chat, _), m in tg._state.messages.items() if chat == OWNER]
    return int(messages[0]["message_id"])


async def test_unchanged_edit_is_not_an_error(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    same = Reply(text="Same", buttons=((Button(label="Again", data="n0nce1:s:again"),),), edit=True)
    engine.script = lambda actor, event: [same]
    tg.push_update(tg.text_update(OWNER, OWNER, "hi"))
    first = await tg.wait_for("sendMessage", chat_id=OWNER)
    msg_id = await _sent_message_id(tg, first)
    mark = tg.mark()
    tg.push_update(tg.callback_update(OWNER, OWNER, "n0nce1:s:again", msg_id))
    await tg.wait_for("editMessageText", after=mark)
    await tg.wait_for("answerCallbackQuery", after=mark)
    # no error message reached the user, and no duplicate message was sent
    assert len(tg.calls_of("sendMessage", chat_id=OWNER)) == 1


async def test_slow_engine_gets_typing_and_immediate_answer(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    import asyncio

    engine.gate = asyncio.Event()
    tg.push_update(tg.text_update(OWNER, OWNER, "/disputes"))
    typing = await tg.wait_for("sendChatAction", chat_id=OWNER)
    assert typing.params["action"] == "typing"
    assert not tg.calls_of("sendMessage", chat_id=OWNER)
    engine.gate.set()
    await tg.wait_for("sendMessage", chat_id=OWNER)


async def test_long_reply_is_split_under_4096(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    paragraph = "CJ & you " * 50
    engine.script = lambda actor, event: [Reply(text="\n\n".join([paragraph] * 20),
                                                buttons=((Button(label="Ok", data="x:y:z"),),))]
    tg.push_update(tg.text_update(OWNER, OWNER, "long please"))
    await tg.wait_for("sendMessage", chat_id=OWNER, predicate=lambda c: bool(c.buttons))
    parts = tg.calls_of("sendMessage", chat_id=OWNER)
    assert len(parts) == 3
    assert all(len(p.text.replace("&amp;", "&")) <= 4096 for p in parts)
    assert [bool(p.buttons) for p in parts] == [False, False, True]


async def test_stranger_gets_faq_but_no_disputes(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    tg.push_update(tg.text_update(STRANGER, STRANGER, "/disputes"))
    refusal = await tg.wait_for("sendMessage", chat_id=STRANGER)
    assert "only for this bot's team" in refusal.text and str(STRANGER) in refusal.text
    mark = tg.mark()
    tg.push_update(tg.text_update(STRANGER, STRANGER, "how long does a refund take"))
    answer = await tg.wait_for("sendMessage", chat_id=STRANGER, after=mark)
    assert "3-7 days" in answer.text
    mark = tg.mark()
    tg.push_update(tg.callback_update(STRANGER, STRANGER, "n0nce1:one:go", 5))
    denied = await tg.wait_for("answerCallbackQuery", after=mark)
    assert denied.params["show_alert"] is True and "team" in denied.params["text"]
    assert engine.events == []  # a stranger never reaches the engine (nothing about orders can leak)


async def test_stranger_refused_entirely_when_faq_closed(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    deps = bot.bot_data["alex"]
    deps.settings = deps.settings.model_copy(update={"faq_open_to_all": False})
    tg.push_update(tg.text_update(STRANGER, STRANGER, "how long does a refund take"))
    refusal = await tg.wait_for("sendMessage", chat_id=STRANGER)
    assert "answers only its team" in refusal.text


async def test_faq_button_shows_entry(
    tg: FakeTelegramServer, bot: Application  # type: ignore[type-arg]
) -> None:
    tg.push_update(tg.callback_update(STRANGER, STRANGER, "faq:dispute-window", 7))
    sent = await tg.wait_for("sendMessage", chat_id=STRANGER)
    assert "Within 7 days" in sent.text
    tg.push_update(tg.callback_update(STRANGER, STRANGER, "faq:gone", 7))
    await tg.wait_for("sendMessage", chat_id=STRANGER, predicate=lambda c: "no longer" in (c.text or ""))


async def test_group_ignores_plain_text_and_foreign_bot_commands(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    tg.push_update(tg.text_update(GROUP, OWNER, "just chatting"))
    tg.push_update(tg.text_update(GROUP, OWNER, "/disputes@some_other_bot"))
    tg.push_update(tg.text_update(GROUP, OWNER, f"/disputes@{tg.bot_username}"))
    sent = await tg.wait_for("sendMessage", chat_id=GROUP)
    assert sent.text == "got disputes"
    assert [e.kind for _, e in engine.events] == [EventKind.COMMAND]
    assert engine.events[0][0].is_group


async def test_foreign_press_in_group_is_refused(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    tg.push_update(tg.text_update(GROUP, OWNER, "/dispute"))
    await tg.wait_for("sendMessage", chat_id=GROUP)
    msg_id = next(m["message_id"] for (chat, _), m in tg._state.messages.items() if chat == GROUP)
    mark = tg.mark()
    tg.push_update(tg.callback_update(GROUP, TEAMMATE, "n0nce1:step:next", msg_id))
    refused = await tg.wait_for("answerCallbackQuery", after=mark)
    assert "someone else's" in refused.params["text"]
    assert len(engine.events) == 1


async def test_unknown_command_in_private(tg: FakeTelegramServer, bot: Application) -> None:  # type: ignore[type-arg]
    tg.push_update(tg.text_update(OWNER, OWNER, "/frobnicate"))
    sent = await tg.wait_for("sendMessage", chat_id=OWNER)
    assert "/frobnicate" in sent.text and "/help" in sent.text


async def test_engine_error_tells_user_draft_is_kept_and_logs_context(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine,  # type: ignore[type-arg]
    caplog: pytest.LogCaptureFixture,
) -> None:
    from cj.errors import CJUnavailable

    def boom(actor: object, event: object) -> list[Reply]:
        raise CJUnavailable("CJ timed out")

    engine.script = boom
    caplog.set_level(logging.DEBUG)
    tg.push_update(tg.text_update(OWNER, OWNER, "/disputes"))
    sent = await tg.wait_for("sendMessage", chat_id=OWNER)
    assert "talking to CJ" in sent.text and "draft is kept" in sent.text
    record = next(r for r in caplog.records if r.levelno == logging.ERROR and r.name == "alex.bot")
    assert f"chat {OWNER}" in record.getMessage() and "command /disputes" in record.getMessage()
    assert tg.token not in caplog.text
    assert tg.token.split(":")[1] not in caplog.text


async def test_blocked_chat_is_recorded(
    tg: FakeTelegramServer, bot: Application, store: Store  # type: ignore[type-arg]
) -> None:
    tg.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    tg.push_update(tg.text_update(OWNER, OWNER, "hello"))
    await tg.wait_for("sendMessage", chat_id=OWNER)
    mark = tg.mark()
    tg.push_update(tg.text_update(OWNER, OWNER, "again"))  # same chat: handled only after the first
    await tg.wait_for("sendMessage", chat_id=OWNER, after=mark)
    assert chats.is_blocked(store, OWNER)


async def test_updates_of_one_chat_are_handled_in_order(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    for n in range(20):
        tg.push_update(tg.text_update(OWNER, OWNER, f"m{n}"))
    await tg.wait_for("sendMessage", chat_id=OWNER, predicate=lambda c: c.text == "got m19")
    assert [e.text for _, e in engine.events] == [f"m{n}" for n in range(20)]
    assert [c.text for c in tg.calls_of("sendMessage", chat_id=OWNER)] == [f"got m{n}" for n in range(20)]
