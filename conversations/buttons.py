"""Typed button data: one codec for every button Alex puts under a message.

In the spirit of aiogram's ``CallbackData``: each kind of button is a small frozen pydantic
model with a short ``prefix``; :meth:`ButtonData.pack` writes ``prefix:field:field``
(checked against Telegram's 64-byte limit and the separator) and :func:`unpack` reads any
packed value back into its model, or returns None for anything that is not exactly one of
them (unknown prefix, wrong number of fields, a field of the wrong shape, too long).
Nothing else in the code builds or splits callback strings.

===================  ======================================  =====================================
data                 model                                   meaning
===================  ======================================  =====================================
``f:<n>:<s>:<v>``    :class:`FlowPress`                      an answer ``v`` at step ``s`` of flow
                                                             instance ``n`` (stale otherwise)
``st:<id>``          :class:`ShowDispute`                    a dispute's detail (read-only)
``pg:<n>``           :class:`DisputesPage`                   a page of ``/disputes`` (read-only)
``faq:<id>[:<lang>]`` :class:`FaqAnswer`                    a knowledge-base answer (in ``lang``)
``faq0``             :class:`FaqNoneOfThese`                 "none of these" after "did you mean"
``go:<cmd>[:<arg>]`` :class:`RunCommand`                     run a command, e.g. ``go:close:SH…``
===================  ======================================  =====================================
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationError

MAX_BYTES = 64  # Telegram's limit for callback_data
SEPARATOR = ":"

_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")
_ID = re.compile(r"^#?[A-Za-z0-9][A-Za-z0-9_.#-]*$")
_COMMAND = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_ASCII_DIGITS = re.compile(r"^[0-9]{1,9}$")


class ButtonDataError(ValueError):
    """A button could not be packed: a value holds the separator or the result exceeds 64 bytes."""


def _matches(pattern: re.Pattern[str], what: str) -> Any:
    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(f"not a valid {what}")
        return value

    return AfterValidator(check)


def _ascii_int(value: Any) -> Any:
    """Only ASCII digits make a number: ``"²"`` passes ``str.isdigit`` but is no page number."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _ASCII_DIGITS.match(value):
        return int(value)
    raise ValueError("not a whole number in ASCII digits")


Token = Annotated[str, _matches(_TOKEN, "token")]
IdText = Annotated[str, _matches(_ID, "id")]
CommandName = Annotated[str, _matches(_COMMAND, "command")]
OptionalArg = Annotated[str, _matches(re.compile(r"^(#?[A-Za-z0-9_.#-]*)$"), "argument")]
PageNumber = Annotated[int, BeforeValidator(_ascii_int)]

_REGISTRY: dict[str, type[ButtonData]] = {}
B = TypeVar("B", bound="ButtonData")


class ButtonData(BaseModel):
    """Base of every button's data. Subclass with ``class X(ButtonData, prefix="x")``."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    prefix: ClassVar[str]

    def __init_subclass__(cls, *, prefix: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if prefix is None:
            return
        if not _TOKEN.match(prefix) or prefix in _REGISTRY:
            raise TypeError(f"button prefix {prefix!r} is invalid or already used")
        cls.prefix = prefix
        _REGISTRY[prefix] = cls

    def pack(self) -> str:
        """``prefix:value:value``; trailing fields left at their (empty) default are omitted."""
        values = [self._text(getattr(self, name)) for name in type(self).model_fields]
        while values and values[-1] == "" and self._trailing_default(len(values) - 1):
            values.pop()
        for value in values:
            if SEPARATOR in value:
                raise ButtonDataError(f"{type(self).__name__}: a value holds {SEPARATOR!r}")
        data = SEPARATOR.join([self.prefix, *values])
        if len(data.encode("utf-8")) > MAX_BYTES:
            raise ButtonDataError(f"{type(self).__name__}: {len(data.encode())} bytes, over {MAX_BYTES}")
        return data

    def fits(self) -> bool:
        try:
            self.pack()
        except ButtonDataError:
            return False
        return True

    @classmethod
    def _trailing_default(cls, index: int) -> bool:
        field = list(cls.model_fields.values())[index]
        return not field.is_required() and field.default == ""

    @staticmethod
    def _text(value: object) -> str:
        return str(value)


def unpack(data: str | None) -> ButtonData | None:
    """The model that ``data`` packs, or None when it is not exactly one of Alex's buttons."""
    if not data or len(data.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        return None
    prefix, _, rest = data.partition(SEPARATOR)
    kind = _REGISTRY.get(prefix)
    if kind is None:
        return None
    names = list(kind.model_fields)
    values = rest.split(SEPARATOR) if SEPARATOR in data else []
    if len(values) > len(names):
        return None
    try:
        return kind(**dict(zip(names, values, strict=False)))
    except (ValidationError, TypeError):
        return None


def unpack_as(kind: type[B], data: str | None) -> B | None:
    """``unpack`` narrowed to one kind: None for any other button."""
    found = unpack(data)
    return found if isinstance(found, kind) else None


def build(kind: type[B], **fields: Any) -> B | None:
    """``kind(**fields)``, or None when a field has a shape no button can carry (e.g. an odd CJ id)."""
    try:
        return kind(**fields)
    except ValidationError:
        return None


class FlowPress(ButtonData, prefix="f"):
    """An answer in a flow, bound to one flow instance (``nonce``) and one step."""

    nonce: Token
    step: Token
    value: Token


class ShowDispute(ButtonData, prefix="st"):
    dispute_id: IdText


class DisputesPage(ButtonData, prefix="pg"):
    page: PageNumber


class FaqAnswer(ButtonData, prefix="faq"):
    """``lang``: the language the "did you mean" was in, so the answer comes in it too."""

    entry_id: IdText
    lang: OptionalArg = ""


class FaqNoneOfThese(ButtonData, prefix="faq0"):
    pass


class RunCommand(ButtonData, prefix="go"):
    """Run a command as if typed: ``/close SH…``, ``/dispute SD…``, ``/help``."""

    command: CommandName
    arg: OptionalArg = ""
