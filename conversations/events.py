"""What goes in and out of a conversation, with no transport in sight.

A transport (Telegram, the terminal demo, tests) turns what the user did into an
:class:`Event`, passes it with the :class:`Actor` to the engine, and renders the
:class:`Reply` list it gets back. Reply text is plain text: the transport escapes it.
Button ``data`` is opaque to the transport, at most 64 bytes (Telegram's limit),
and is handed back unchanged in a ``BUTTON`` event when pressed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

CALLBACK_DATA_MAX_BYTES = 64


class EventKind(StrEnum):
    TEXT = "text"
    BUTTON = "button"
    MEDIA = "media"
    COMMAND = "command"


class Media(BaseModel):
    """A photo or video the user sent. ``url`` is a public URL CJ can fetch, or None when there is none."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["photo", "video"]
    file_ref: str = Field(min_length=1, max_length=256)
    url: str | None = None
    size_bytes: int | None = Field(default=None, ge=0)


class Event(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: EventKind
    text: str = ""
    command: str | None = None  # without the slash: "dispute", "close", ...
    args: str = ""
    data: str | None = None  # callback data of the pressed button
    media: tuple[Media, ...] = ()

    @classmethod
    def of_text(cls, text: str) -> Event:
        return cls(kind=EventKind.TEXT, text=text)

    @classmethod
    def of_command(cls, command: str, args: str = "") -> Event:
        return cls(kind=EventKind.COMMAND, command=command.lstrip("/").lower(), args=args.strip())

    @classmethod
    def of_button(cls, data: str) -> Event:
        return cls(kind=EventKind.BUTTON, data=data)

    @classmethod
    def of_media(cls, *media: Media, caption: str = "") -> Event:
        return cls(kind=EventKind.MEDIA, media=tuple(media), text=caption)


class Actor(BaseModel):
    """Who acts, and where. ``can_manage_disputes`` is decided by the transport's access rules."""

    model_config = ConfigDict(frozen=True)

    user_id: int
    chat_id: int
    display_name: str | None = None
    is_group: bool = False
    can_manage_disputes: bool = True
    language_code: str | None = None  # Telegram's app language of the person ("pt-br"): a fallback
    is_group_admin: bool = False  # may set a group's /language


class Button(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str = Field(min_length=1, max_length=64)
    data: str

    @field_validator("data")
    @classmethod
    def _fits_telegram(cls, value: str) -> str:
        if not value or len(value.encode("utf-8")) > CALLBACK_DATA_MAX_BYTES:
            raise ValueError(f"button data must be 1-{CALLBACK_DATA_MAX_BYTES} bytes")
        return value


class Reply(BaseModel):
    """One message to show. ``edit`` asks the transport to replace the message whose button was pressed."""

    model_config = ConfigDict(frozen=True)

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit: bool = False
    notice: str | None = None  # short toast for a button press (Telegram's answerCallbackQuery text)
