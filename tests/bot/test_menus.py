"""Publishing the scoped command menus never stops the bot from starting."""

from __future__ import annotations

from typing import Any

from telegram import BotCommandScopeChat
from telegram.error import BadRequest

from alex.settings import load_settings
from bot.application import menus, publish_menus


class RefusingBot:
    """Telegram refuses a private-chat scope for someone who never opened the bot ("chat not found")."""

    def __init__(self) -> None:
        self.published: list[tuple[str, int | None]] = []

    async def set_my_commands(self, commands: list[Any], scope: Any = None) -> bool:
        if isinstance(scope, BotCommandScopeChat) and scope.chat_id == 12:
            raise BadRequest("Chat not found")
        self.published.append((scope.type, getattr(scope, "chat_id", None)))
        return True


async def test_a_refused_scope_is_skipped_and_the_rest_published() -> None:
    settings = load_settings(telegram_bot_token="1:x", allowed_user_ids="11,12,13")
    bot = RefusingBot()
    published = await publish_menus(bot, settings)  # type: ignore[arg-type]
    assert published == len(menus(settings)) - 1
    assert (
        ("chat", 11) in bot.published and ("chat", 13) in bot.published and ("chat", 12) not in bot.published
    )
    assert bot.published[-1] == ("default", None)
