"""What the handlers need, built once and kept in ``application.bot_data``."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from telegram.ext import ContextTypes

from alex.settings import Settings
from bot.processing import PerChatUpdateProcessor
from conversations.events import Actor, Event, Reply
from conversations.ports import MatcherPort
from store.db import Store

DEPS_KEY = "alex"
MAX_TRACKED_MESSAGES = 20_000
DEFAULT_ALBUM_WAIT_SECONDS = 1.5  # albums arrive as separate updates within about a second


class EnginePort(Protocol):
    async def handle(self, actor: Actor, event: Event) -> list[Reply]: ...


class MessageOwners:
    """Which user a message with buttons was sent for, so a group member cannot press another's.

    In memory and bounded: after a restart the engine's per-flow nonces still refuse
    presses that do not belong to the presser's own conversation.
    """

    def __init__(self, limit: int = MAX_TRACKED_MESSAGES) -> None:
        self._owners: OrderedDict[tuple[int, int], int] = OrderedDict()
        self._limit = limit

    def set(self, chat_id: int, message_id: int, user_id: int) -> None:
        self._owners[(chat_id, message_id)] = user_id
        self._owners.move_to_end((chat_id, message_id))
        while len(self._owners) > self._limit:
            self._owners.popitem(last=False)

    def get(self, chat_id: int, message_id: int) -> int | None:
        return self._owners.get((chat_id, message_id))


@dataclass
class BotDeps:
    settings: Settings
    engine: EnginePort
    matcher: MatcherPort | None
    store: Store
    processor: PerChatUpdateProcessor
    media_base_url: str | None = None  # where /media/<name> is public; None: evidence goes on CJ's site
    media_dir: Path = Path("var/media")
    album_wait: float = DEFAULT_ALBUM_WAIT_SECONDS
    owners: MessageOwners = field(default_factory=MessageOwners)
    albums: dict[tuple[int, int, str], Any] = field(default_factory=dict)  # bot.media.Album values


def get_deps(context: ContextTypes.DEFAULT_TYPE) -> BotDeps:
    return context.application.bot_data[DEPS_KEY]  # type: ignore[no-any-return]
