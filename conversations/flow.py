"""The shape every dialogue shares: a pydantic state with a named step, and handlers that
take one event and return the replies plus the next state.

A flow never touches the store: the engine loads the state before calling it and saves
what it returns before handing the replies to the transport.
"""

from __future__ import annotations

import secrets
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from pydantic import BaseModel

from conversations.events import Actor, Media, Reply
from conversations.faq_route import confident_answer
from conversations.ports import CJPort, MatcherPort
from conversations.render import reply

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


@dataclass
class FlowContext:
    cj: CJPort
    matcher: MatcherPort | None
    actor: Actor
    now: float
    order_of_dispute: Callable[[str], str | None] = _nobody  # what Alex already knows, no CJ call

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


STALE_TEXT = "That button belongs to an older message or another flow; nothing changed."


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
    def prompt(self, state: S) -> Reply:
        """The current step's question with its buttons, as if shown for the first time."""

    @abstractmethod
    def describe(self, state: S) -> str:
        """A few words for notes: "your dispute draft for order SD123"."""

    async def on_media(
        self, ctx: FlowContext, state: S, media: tuple[Media, ...], caption: str
    ) -> Outcome[S]:
        return Outcome(
            [self.expected(state, "Photos and videos are only taken at the evidence step.")], state
        )

    def is_terminal(self, state: S) -> bool:
        """A finished flow kept only so a late press on its buttons gets a truthful answer."""
        return False

    def load(self, state_json: str) -> S:
        return self.state_type.model_validate_json(state_json)  # type: ignore[return-value]

    def expected(self, state: S, text: str) -> Reply:
        """A wrong answer: say what is expected, keep the draft, re-show the step."""
        shown = self.prompt(state)
        return reply(f"{text}\n\n{shown.text}", *shown.buttons)

    def buttons_expected(self, ctx: FlowContext, state: S, text: str) -> list[Reply]:
        """Text typed at a button step: answer it when it is a policy question, then re-show the step."""
        answered = confident_answer(ctx.matcher, text)
        if answered is None:
            return [self.expected(state, "Please answer with the buttons below (or /cancel).")]
        return [answered, self.expected(state, "Back to your draft: your answers are kept.")]

    def stale(self, state: S | None) -> list[Reply]:
        if state is None or self.is_terminal(state):
            return [reply(STALE_TEXT, notice=STALE_TEXT)]
        shown = self.prompt(state)
        return [reply(f"{STALE_TEXT}\n\n{shown.text}", *shown.buttons, notice=STALE_TEXT)]
