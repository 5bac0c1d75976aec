"""Publishing the scoped command menus, one per language, never stops the bot from starting."""

from __future__ import annotations

from typing import Any

from telegram import BotCommandScopeChat
from telegram.error import BadRequest

from alex.settings import load_settings
from bot.application import menu_languages, menus, publish_menus
from conversations import commands
from i18n import Translator


class RefusingBot:
    """Telegram refuses a private-chat scope for someone who never opened the bot ("chat not found")."""

    def __init__(self) -> None:
        self.published: list[tuple[str, int | None]] = []
        self.languages: list[tuple[str | None, str, list[str]]] = []

    async def set_my_commands(
        self, commands: list[Any], scope: Any = None, language_code: Any = None
    ) -> bool:
        if isinstance(scope, BotCommandScopeChat) and scope.chat_id == 12:
            raise BadRequest("Chat not found")
        self.published.append((scope.type, getattr(scope, "chat_id", None)))
        self.languages.append((language_code, scope.type, [c.description for c in commands]))
        return True


async def test_a_refused_scope_is_skipped_and_the_rest_published() -> None:
    settings = load_settings(telegram_bot_token="1:x", allowed_user_ids="11,12,13")
    bot = RefusingBot()
    published = await publish_menus(bot, settings)  # type: ignore[arg-type]
    assert published == (len(menus(settings)) - 1) * 6
    assert (
        ("chat", 11) in bot.published and ("chat", 13) in bot.published and ("chat", 12) not in bot.published
    )
    assert bot.published[-1] == ("default", None)


async def test_each_scope_gets_a_menu_in_each_language() -> None:
    """setMyCommands(language_code=...) for es, pt, fr, de, ru and English for the rest, each menu's
    descriptions through that language's translator (a tagging translator stands in for catalogs)."""

    class Tagging(Translator):
        def gettext(self, msgid: str) -> str:
            return f"[{self.lang}] {msgid}"

    settings = load_settings(telegram_bot_token="1:x", allowed_user_ids="11")
    bot = RefusingBot()
    await publish_menus(bot, settings, translator_of=lambda lang: Tagging(lang or "en"))  # type: ignore[arg-type]
    assert menu_languages() == ["es", "pt", "fr", "de", "ru", None]
    scopes = {scope for _, scope, _ in bot.languages}
    for lang in menu_languages():
        mine = [(scope, shown) for code, scope, shown in bot.languages if code == lang]
        assert {scope for scope, _ in mine} == scopes
        assert all(d.startswith(f"[{lang or 'en'}] ") for _, shown in mine for d in shown)
    [(_, _, private_es)] = [x for x in bot.languages if x[0] == "es" and x[1] == "all_private_chats"]
    language = commands.find("language")
    assert language is not None and f"[es] {language.description}" in private_es
