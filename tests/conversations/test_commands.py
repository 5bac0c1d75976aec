"""One registry of commands: the engine, /help, the Telegram menus, deep links and the README agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from telegram import BotCommandScopeChat

from alex.settings import load_settings
from bot.application import menus
from conversations import commands
from conversations.commands import Audience, HandledBy
from conversations.events import Actor, Event
from i18n import ENGLISH
from store import chats
from tests.conversations.conftest import Chat

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_engine_answers_exactly_the_registry_s_engine_commands(chat: Chat) -> None:
    engine_commands = {c.name for c in commands.COMMANDS if c.handled_by is HandledBy.ENGINE}
    assert chat.engine.handled_commands() == engine_commands


async def test_every_command_is_understood_and_nothing_else(chat: Chat) -> None:
    for command in commands.COMMANDS:
        for name in (command.name, *command.aliases):
            replies = await chat.engine.handle(chat.actor, Event.of_command(name))
            text = "\n".join(r.text for r in replies)
            assert "I don't know" not in text, name
            if command.handled_by is HandledBy.TRANSPORT:
                assert replies == []  # the Telegram adapter's (group subscriptions)
            await chat.cmd("cancel")
    assert "I don't know /frobnicate" in await chat.cmd("frobnicate")


async def test_help_lists_what_each_audience_may_use(chat: Chat) -> None:
    team_help = await chat.cmd("help")
    guest = chat.as_user(Actor(user_id=7, chat_id=7, can_manage_disputes=False))
    guest_help = await guest.cmd("help")
    assert commands.help_text(ENGLISH, team=True) in team_help  # the one help text, also the bot's
    assert commands.help_text(ENGLISH, team=False) in guest_help
    for command in commands.COMMANDS:
        assert f"/{command.name}" in team_help
        assert (f"/{command.name} " in guest_help) is (command.audience is Audience.EVERYONE)
    assert commands.help_text(ENGLISH, team=True) in await chat.cmd("start")


def test_menus_per_scope_come_from_the_registry() -> None:
    settings = load_settings(telegram_bot_token="1:x", allowed_user_ids="11,12")
    by_scope = {
        (scope.type, getattr(scope, "chat_id", None)): [c.command for c in listed]
        for scope, listed in menus(settings)
    }
    everyone = [c.name for c in commands.COMMANDS if c.audience is Audience.EVERYONE]
    team = [c.name for c in commands.COMMANDS if c.audience is not Audience.GROUP_ADMINS]
    admins = [*everyone, *(c.name for c in commands.COMMANDS if c.audience is Audience.GROUP_ADMINS)]
    assert by_scope[("default", None)] == everyone
    assert by_scope[("all_private_chats", None)] == everyone
    assert by_scope[("all_group_chats", None)] == everyone
    assert by_scope[("all_chat_administrators", None)] == admins
    assert by_scope[(BotCommandScopeChat.CHAT, 11)] == team == by_scope[(BotCommandScopeChat.CHAT, 12)]
    assert "cancel" in team and "subscribe" not in team
    for scope, listed in menus(settings):
        for item in listed:
            assert 3 <= len(item.description) <= 256, (scope, item)
            assert item.description == commands.find(item.command).description  # type: ignore[union-attr]


def test_cancel_says_what_it_does() -> None:
    """The menu used to promise "your draft is kept" while /cancel deleted it."""
    cancel = commands.find("cancel")
    assert cancel is not None and "nothing is sent" in cancel.description and "kept" not in cancel.description


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("dispute_SD2510031452310001", ("dispute", "SD2510031452310001")),
        ("close_SH1990300112233445566", ("close", "SH1990300112233445566")),
        ("status-SH1", ("status", "SH1")),
        ("disputes", ("disputes", "")),
        ("help", ("help", "")),
        ("cancel", None),  # not a deep link
        ("start", None),
        ("evil_x", None),
        ("", None),
    ],
)
def test_deep_links(payload: str, expected: tuple[str, str] | None) -> None:
    linked = commands.parse_deep_link(payload)
    assert (None if linked is None else (linked[0].name, linked[1])) == expected
    if expected is not None:
        assert commands.parse_deep_link(commands.deep_link_payload(*expected)) == linked


async def test_deep_links_run_in_the_engine(chat: Chat) -> None:
    text = await chat.cmd("start", commands.deep_link_payload("dispute", "SD2510031452310001"))
    assert "Order SD2510031452310001: which items" in text


def test_readme_command_table_matches_the_registry() -> None:
    table = README.read_text(encoding="utf-8").split("### Commands", 1)[1].split("\n\n", 2)[1]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    listed: dict[str, str] = {}
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        for name in re.findall(r"`/(\w+)", cells[0]):
            listed[name] = cells[1]
    assert set(listed) == {c.name for c in commands.COMMANDS}
    for command in commands.COMMANDS:
        assert listed[command.name] == command.audience.value, command.name
        if command.usage:
            assert f"/{command.name} {command.usage}" in table, command.name


# --- /language ----------------------------------------------------------------------------------

NBSP = "\xa0"


async def test_language_offers_the_six_languages_by_their_own_names_and_stores_the_choice(chat: Chat) -> None:
    text = await chat.cmd("language")
    assert "Now: English." in text
    assert chat.labels() == ["English", "Español", "Português (Brasil)", "Français", "Deutsch", "Русский"]
    await chat.press("Deutsch")
    assert chats.get_language(chat.store, chat.actor.chat_id) == "de"
    assert chat.engine.translator_for(chat.actor).lang == "de"
    # what follows is in German's conventions: the detail of a refunded dispute, amount and day
    detail = await chat.cmd("status", "SH1990300112233445567")
    assert f"3,95{NBSP}$" in detail and "12.11.2026" in detail
    await chat.restart()  # stored with the chat, not in memory
    assert chat.engine.translator_for(chat.actor).lang == "de"
    await chat.cmd("language", "pt-BR")
    assert chats.get_language(chat.store, chat.actor.chat_id) == "pt"
    await chat.cmd("language", "русский")
    assert chats.get_language(chat.store, chat.actor.chat_id) == "ru"


async def test_an_unknown_language_is_refused_with_the_choices(chat: Chat) -> None:
    text = await chat.cmd("language", "klingon")
    assert "Alex does not speak klingon yet" in text and "Deutsch" in chat.labels()
    assert chats.get_language(chat.store, chat.actor.chat_id) is None


async def test_in_a_group_only_an_admin_sets_the_language(chat: Chat) -> None:
    member = chat.as_user(Actor(user_id=7, chat_id=-100, is_group=True, can_manage_disputes=False))
    text = await member.cmd("language", "es")
    assert "Only this group's admins can change the language" in text
    assert chats.get_language(chat.store, -100) is None
    admin = chat.as_user(Actor(user_id=8, chat_id=-100, is_group=True, is_group_admin=True))
    assert "in this group (replies, dispute updates and digests)" in await admin.cmd("language")
    assert "Español" in await admin.cmd("language", "es")
    assert chats.get_language(chat.store, -100) == "es"
    assert chat.engine.translator_for(member.actor).lang == "es"  # every member now reads Spanish
