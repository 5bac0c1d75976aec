"""The one thing the notifier needs from Telegram: send a message to a chat.

``bot/push_sender.py`` implements :class:`Sender` with python-telegram-bot and maps its
errors onto :mod:`notifier.errors`; tests use any object with the same method.
"""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

TELEGRAM_TEXT_LIMIT = 4096
TELEGRAM_CAPTION_LIMIT = 1024


class PushButton(BaseModel):
    """An inline button: ``data`` goes back to the conversation engine as a BUTTON event."""

    model_config = ConfigDict(frozen=True)

    label: str = Field(min_length=1, max_length=64)
    data: str = Field(min_length=1, max_length=64)


class PushMessage(BaseModel):
    """Plain text (the sender escapes nothing and sets no parse mode), optional buttons and PNG photo."""

    model_config = ConfigDict(frozen=True)

    chat_id: int
    text: str = Field(min_length=1, max_length=TELEGRAM_TEXT_LIMIT)
    buttons: tuple[tuple[PushButton, ...], ...] = ()
    photo: bytes | None = None


class Sender(Protocol):
    async def send(self, message: PushMessage) -> None:
        """Deliver, or raise a :class:`notifier.errors.SendError`; returning means Telegram accepted."""
        ...
