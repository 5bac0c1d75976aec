"""The shape every dialogue shares: a pydantic state with a named step, and handlers that
take one event and return the replies plus the next state.

A flow never touches the store: the engine loads the state before calling it and saves
what it returns before handing the replies to the transport. What every step does alike
lives here: typed words that work like the step's buttons ("back", "done", "skip", a
button's own label), a policy question answered in the middle of a draft, and the
"expected …" and "stale button" answers that keep the draft as it was.
"""

from __future__ import annotations

import re
import secrets
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, Generic, TypeVar

from pydantic import BaseModel

from cj.models import RefundType
from conversations import faq_route
from conversations.buttons import FlowPress, unpack_as
from conversations.events import Actor, Media, Reply
from conversations.ports import CJPort, MatcherPort
from conversations.reading import looks_numeric
from conversations.render import reply
from conversations.texts import common as texts
from i18n import ENGLISH, Translator

NONCE_BYTES = 4


def new_nonce() -> str:
    """Short, random, url-safe and colon-free: binds buttons to one flow instance."""
    return secrets.token_urlsafe(NONCE_BYTES)[:6]


class FlowState(BaseModel):
    """Common part of every flow's saved state."""

    flow: str
    step: str
    nonce: str
    started_at: float


S = TypeVar("S", bound=FlowState)


def _nobody(dispute_id: str) -> str | None:
    return None


def _unknown_route(dispute_id: str) -> RefundType | None:
    return None


@dataclass
class FlowContext:
    cj: CJPort
    matcher: MatcherPort | None
    actor: Actor
    now: float
    tr: Translator = field(default=ENGLISH)
    order_of_dispute: Callable[[str], str | None] = _nobody  # what Alex already knows, no CJ call
    refund_route_of: Callable[[str], RefundType | None] = _unknown_route  # chosen when Alex opened it

    @property
    def actor_tag(self) -> str:
        """Who acted, for CJ's audit log: the transport's user id, never a name."""
        return f"user:{self.actor.user_id}"


@dataclass
class Outcome(Generic[S]):
    """What a step decided: replies to show and the state to save (None ends the flow)."""

    replies: list[Reply]
    state: S | None
    opened: tuple[str, str] | None = None  # (dispute id, order id) when CJ just created a dispute


# Typed words that press a button of the current step, by the button's value. Each entry is one
# translatable text of "|"-separated phrases.
TYPED_PRESSES: dict[str, str] = {
    "back": texts.TYPED_BACK,
    "done": texts.TYPED_DONE,
    "retry": texts.TYPED_RETRY,
    "confirm": texts.TYPED_CONFIRM,
    "edit": texts.TYPED_EDIT,
    "yes": texts.TYPED_YES,
    "no": texts.TYPED_NO,
    "close": texts.TYPED_CLOSE,
}
_MARKS = re.compile(r"[☐☑✅❌◀▶⚠•.!,;:]+")
_COUNT = re.compile(r"\s*\(\d+\)$")


def _typed(text: str) -> str:
    return " ".join(_MARKS.sub(" ", text.lower()).split())


class Flow(ABC, Generic[S]):
    name: ClassVar[str]
    state_type: ClassVar[type[FlowState]]

    @abstractmethod
    async def start(self, ctx: FlowContext, args: str) -> Outcome[S]: ...

    @abstractmethod
    async def on_text(self, ctx: FlowContext, state: S, text: str) -> Outcome[S]: ...

    @abstractmethod
    async def on_button(self, ctx: FlowContext, state: S, step: str, value: str) -> Outcome[S]: ...

    @abstractmethod
    def prompt(self, state: S, tr: Translator) -> Reply:
        """The current step's question with its buttons, as if shown for the first time."""

    @abstractmethod
    def describe(self, state: S, tr: Translator) -> str:
        """A few words for notes: "your dispute draft for order SD123"."""

    async def on_media(
        self, ctx: FlowContext, state: S, media: tuple[Media, ...], caption: str
    ) -> Outcome[S]:
        return Outcome([self.expected(state, ctx.tr, ctx.tr.gettext(texts.MEDIA_NOT_NOW))], state)

    def is_terminal(self, state: S) -> bool:
        """A finished flow kept only so a late press on its buttons gets a truthful answer."""
        return False

    def load(self, state_json: str) -> S:
        return self.state_type.model_validate_json(state_json)  # type: ignore[return-value]

    # --- what every step shares ---------------------------------------------------------------

    def expected(self, state: S, tr: Translator, text: str) -> Reply:
        """A wrong answer: say what is expected, keep the draft, re-show the step."""
        shown = self.prompt(state, tr)
        return reply(f"{text}\n\n{shown.text}", *shown.buttons)

    def step_buttons(self, state: S, tr: Translator) -> list[tuple[str, str]]:
        """(value, label) of the current prompt's own buttons, in order."""
        found: list[tuple[str, str]] = []
        for row in self.prompt(state, tr).buttons:
            for button in row:
                press = unpack_as(FlowPress, button.data)
                if press is not None and press.nonce == state.nonce and press.step == str(state.step):
                    found.append((press.value, button.label))
        return found

    def typed_press(self, state: S, tr: Translator, text: str) -> str | None:
        """The value of the button that ``text`` names: its label, or a word such as "back", "skip"."""
        typed = _typed(text)
        if not typed:
            return None
        buttons = self.step_buttons(state, tr)
        for value, label in buttons:
            if _typed(_COUNT.sub("", label)) == typed:
                return value
        for value, _ in buttons:
            phrases = TYPED_PRESSES.get(value)
            if phrases and typed in {_typed(p) for p in tr.gettext(phrases).split("|")}:
                return value
        return None

    def buttons_expected(self, ctx: FlowContext, state: S, text: str) -> list[Reply]:
        """Text that is no answer to this step: a policy question is answered, then the step shown again."""
        answered = faq_route.answer_in_flow(ctx.matcher, text, ctx.tr)
        if answered is None:
            return [self.expected(state, ctx.tr, ctx.tr.gettext(texts.USE_BUTTONS))]
        return [*answered, self.expected(state, ctx.tr, ctx.tr.gettext(texts.BACK_TO_DRAFT))]

    def not_a_number(self, state: S, tr: Translator, text: str) -> Reply | None:
        """Digits of another script or superscripts ("²", "٣"): said plainly, the draft kept."""
        return self.expected(state, tr, tr.gettext(texts.NOT_A_NUMBER)) if looks_numeric(text) else None

    def not_a_choice(self, state: S, tr: Translator, typed: str, count: int) -> Reply:
        return self.expected(state, tr, tr.format(texts.NOT_A_CHOICE, typed=typed.strip()[:20], count=count))

    def stale(self, state: S | None, tr: Translator) -> list[Reply]:
        stale = tr.gettext(texts.STALE)
        if state is None or self.is_terminal(state):
            return [reply(stale, notice=stale)]
        shown = self.prompt(state, tr)
        return [reply(f"{stale}\n\n{shown.text}", *shown.buttons, notice=stale)]
