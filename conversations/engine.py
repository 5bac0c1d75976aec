"""The conversation engine: one event in, replies out, state saved in between.

Transport-free: Telegram, the terminal demo and the tests all call :meth:`Engine.handle`
with an :class:`Actor` and an :class:`Event` and render the :class:`Reply` list.

Per (chat, user) there is at most one live flow (open or close a dispute). It is loaded
from SQLite before each event and saved (or deleted) before the replies are returned,
so a restart resumes at the same step. Events of the same user are handled one at a
time (a lock per chat and user), which with the draft's idempotency key makes a double
press on Confirm create one dispute.

Button data:
    ``<nonce>:<step>:<value>``  bound to one flow instance and step (stale otherwise)
    ``st:<dispute id>``         dispute detail        ``pg:<n>``  disputes list page
    ``faq:<entry id>``          a knowledge-base answer
    ``go:<command>[:<arg>]``    start a command (``go:close:SH…``, ``go:dispute``)
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError

from conversations import faq_route, follow
from conversations.close_dispute import CloseDisputeFlow
from conversations.events import Actor, Event, EventKind, Reply
from conversations.flow import STALE_TEXT, Flow, FlowContext, FlowState, Outcome
from conversations.ids import Intent, parse_request
from conversations.open_dispute import OpenDisputeFlow
from conversations.ports import CJPort, MatcherPort
from conversations.render import reply
from store import disputes_seen, faq_misses
from store.conversations import ConversationStore
from store.db import Store

DEFAULT_DRAFT_TTL_SECONDS = 48 * 3600.0
TRANSPORT_COMMANDS = frozenset({"subscribe", "unsubscribe"})
DISPUTE_COMMANDS = frozenset({"dispute", "open", "close", "disputes", "status"})

WHAT_I_DO = (
    "I help you handle CJdropshipping disputes without opening CJ's website:\n"
    "• answer questions on CJ's refund, reissue and dispute rules;\n"
    "• open, follow and close disputes on your CJ orders, step by step;\n"
    "• tell you when CJ decides on a dispute."
)
WELCOME = f"Hi, I'm Alex. {WHAT_I_DO}"
COMMANDS_HELP = (
    "Commands:\n"
    "/start - welcome\n"
    "/help - this list\n"
    "/dispute [order id] - open a dispute (e.g. /dispute SD2510031452310001)\n"
    "/close [dispute id] - close (cancel) an open dispute\n"
    "/disputes - your disputes, page by page\n"
    "/status <dispute id> - a dispute's detail, refund breakdown and decision\n"
    "/cancel - stop what we are doing (nothing is sent to CJ)\n"
    "/subscribe - post dispute updates in this group\n"
    "/unsubscribe - stop them\n"
    'Or just write: "open a dispute for SD…", "status SH…", or ask a question.'
)
REFUSAL = (
    "Sorry, only the shop's authorised team can open, close or look up disputes with Alex. "
    "I can still answer questions about CJ's dispute rules: just ask."
)


@dataclass
class _Live:
    flow: Flow[FlowState]
    state: FlowState
    saved_json: str | None = None  # as loaded, to skip writes when nothing changed


class Engine:
    """Routes each event to a flow, a read-only view, or the FAQ; persists every transition."""

    def __init__(
        self,
        store: Store,
        cj: CJPort,
        matcher: MatcherPort | None = None,
        *,
        clock: Callable[[], float] = time.time,
        draft_ttl_seconds: float = DEFAULT_DRAFT_TTL_SECONDS,
    ) -> None:
        self._store = store
        self._conversations = ConversationStore(store)
        self._cj = cj
        self._matcher = matcher
        self._clock = clock
        self._ttl = draft_ttl_seconds
        flows: list[Flow[FlowState]] = [OpenDisputeFlow(), CloseDisputeFlow()]  # type: ignore[list-item]
        self._flows = {flow.name: flow for flow in flows}
        self._locks: weakref.WeakValueDictionary[tuple[int, int], asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    # --- public -------------------------------------------------------------

    async def handle(self, actor: Actor, event: Event) -> list[Reply]:
        key = (actor.chat_id, actor.user_id)
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        async with lock:
            return await self._handle(actor, event)

    def sweep_expired(self) -> list[tuple[int, int, Reply]]:
        """Drop drafts idle longer than the TTL; return (chat_id, user_id, note) for each unfinished one.

        For transports that want to tell the seller without waiting for their next message.
        """
        notes: list[tuple[int, int, Reply]] = []
        for saved in self._conversations.older_than(self._clock() - self._ttl):
            self._conversations.delete(saved.chat_id, saved.user_id)
            flow = self._flows.get(saved.flow)
            if flow is None:
                continue
            try:
                state = flow.load(saved.state_json)
            except ValidationError:
                continue
            if not flow.is_terminal(state):
                notes.append((saved.chat_id, saved.user_id, reply(self._expired_note(flow, state))))
        return notes

    # --- one event ----------------------------------------------------------

    async def _handle(self, actor: Actor, event: Event) -> list[Reply]:
        ctx = FlowContext(
            cj=self._cj,
            matcher=self._matcher,
            actor=actor,
            now=self._clock(),
            order_of_dispute=self._order_of,
        )
        notes: list[str] = []
        live = self._load(actor, ctx.now, notes)
        replies, after = await self._dispatch(ctx, live, event)
        self._save(actor, live, after, ctx.now)
        if notes:
            replies = [reply("\n".join(notes)), *replies]
        return replies

    async def _dispatch(
        self, ctx: FlowContext, live: _Live | None, event: Event
    ) -> tuple[list[Reply], _Live | None]:
        if event.kind is EventKind.COMMAND:
            return await self._command(ctx, live, event.command or "", event.args)
        if event.kind is EventKind.BUTTON:
            return await self._button(ctx, live, event.data or "")
        active = live if live and not live.flow.is_terminal(live.state) else None
        if event.kind is EventKind.MEDIA:
            if active is None:
                return [
                    reply("I take photos and videos only as evidence while opening a dispute: /dispute")
                ], live
            if not ctx.actor.can_manage_disputes:
                return [reply(REFUSAL)], live
            return self._apply(
                ctx, active, await active.flow.on_media(ctx, active.state, event.media, event.text)
            )
        text = event.text.strip()
        if active is not None:
            if text.lower() in {"cancel", "/cancel", "stop"}:
                return self._cancel(active)
            if not ctx.actor.can_manage_disputes:
                return [reply(REFUSAL)], live
            return self._apply(ctx, active, await active.flow.on_text(ctx, active.state, event.text))
        return await self._free_text(ctx, live, text)

    async def _command(
        self, ctx: FlowContext, live: _Live | None, command: str, args: str
    ) -> tuple[list[Reply], _Live | None]:
        command = command.split("@", 1)[0]
        if command == "start" and args:
            deep = args.replace("-", "_")
            kind, _, value = deep.partition("_")
            if kind in {"dispute", "status", "close"}:
                return await self._command(ctx, live, kind, value)
        if command in {"start", "help"}:
            text = (
                f"{WELCOME}\n\n{COMMANDS_HELP}" if command == "start" else f"{WHAT_I_DO}\n\n{COMMANDS_HELP}"
            )
            return [reply(text), *self._reminder(live)], live
        if command == "cancel":
            if live and not live.flow.is_terminal(live.state):
                return self._cancel(live)
            return [reply("Nothing to cancel. /help lists what I can do.")], live
        if command in TRANSPORT_COMMANDS:
            return [], live
        if command not in DISPUTE_COMMANDS:
            return [reply(f"I don't know /{command}. /help lists what I can do.")], live
        if not ctx.actor.can_manage_disputes:
            return [reply(REFUSAL)], live
        if command in {"dispute", "open"}:
            return await self._start(ctx, live, self._flows["open"], args)
        if command == "close":
            return await self._start(ctx, live, self._flows["close"], args)
        if command == "status" and args:
            return [*await follow.dispute_status(self._cj, args), *self._reminder(live)], live
        return [*await follow.disputes_page(self._cj, 1), *self._reminder(live)], live

    async def _button(
        self, ctx: FlowContext, live: _Live | None, data: str
    ) -> tuple[list[Reply], _Live | None]:
        prefix, _, rest = data.partition(":")
        if prefix == "faq":
            return faq_route.entry_reply(self._matcher, rest), live
        if prefix in {"st", "pg", "go"}:
            if not ctx.actor.can_manage_disputes:
                return [reply(REFUSAL, notice="Not allowed")], live
            if prefix == "st":
                return await follow.dispute_status(self._cj, rest), live
            if prefix == "pg":
                return await follow.disputes_page(self._cj, int(rest) if rest.isdigit() else 1), live
            command, _, arg = rest.partition(":")
            return await self._command(ctx, live, command, arg)
        nonce, _, rest = data.partition(":")
        step, _, value = rest.partition(":")
        if live is None or live.state.nonce != nonce:
            text = STALE_TEXT if live is None or live.flow.is_terminal(live.state) else None
            if text is not None:
                return [reply(text, notice=text)], live
            return live.flow.stale(live.state), live
        if not ctx.actor.can_manage_disputes:
            return [reply(REFUSAL, notice="Not allowed")], live
        if value == "cancel" and step == live.state.step and not live.flow.is_terminal(live.state):
            return self._cancel(live)
        return self._apply(ctx, live, await live.flow.on_button(ctx, live.state, step, value))

    async def _free_text(
        self, ctx: FlowContext, live: _Live | None, text: str
    ) -> tuple[list[Reply], _Live | None]:
        request = parse_request(text)
        if request is None:
            return faq_route.answer(self._matcher, text, on_miss=self._log_miss), live
        if not ctx.actor.can_manage_disputes:
            return [reply(REFUSAL)], live
        if request.intent is Intent.OPEN:
            return await self._start(ctx, live, self._flows["open"], request.order_id or "")
        if request.intent is Intent.CLOSE:
            return await self._start(ctx, live, self._flows["close"], request.dispute_id or "")
        if request.intent is Intent.STATUS and request.dispute_id:
            return await follow.dispute_status(self._cj, request.dispute_id), live
        return await follow.disputes_page(self._cj, 1), live

    # --- flow bookkeeping ---------------------------------------------------

    async def _start(
        self, ctx: FlowContext, live: _Live | None, flow: Flow[FlowState], args: str
    ) -> tuple[list[Reply], _Live | None]:
        replaced: list[Reply] = []
        if live and not live.flow.is_terminal(live.state):
            replaced = [reply(f"(I dropped {live.flow.describe(live.state)}; nothing was sent to CJ.)")]
        replies, after = self._apply(ctx, None, await flow.start(ctx, args), flow)
        return [*replaced, *replies], after

    def _log_miss(self, answer: object) -> None:
        """Unanswered questions feed `alex faq misses`, so the knowledge base grows where sellers need it."""
        question = str(getattr(answer, "question", "") or "")
        normalized = str(getattr(answer, "normalized", "") or question.lower())
        if question.strip():
            faq_misses.record_miss(self._store, question, normalized, at=self._clock())

    def _order_of(self, dispute_id: str) -> str | None:
        seen = disputes_seen.get(self._store, dispute_id)
        return seen.order_id if seen else None

    def _record_opened(self, actor: Actor, opened: tuple[str, str], now: float) -> None:
        """Tell the notifier who opened this dispute, so CJ's decision reaches them here."""
        dispute_id, order_id = opened
        account = str(getattr(self._cj, "account", "") or "")
        disputes_seen.record_opener(
            self._store, dispute_id, order_id, account, actor.user_id, actor.chat_id, now=now
        )

    def _apply(
        self,
        ctx: FlowContext,
        live: _Live | None,
        outcome: Outcome[FlowState],
        flow: Flow[FlowState] | None = None,
    ) -> tuple[list[Reply], _Live | None]:
        if outcome.opened is not None:
            self._record_opened(ctx.actor, outcome.opened, ctx.now)
        if outcome.state is None:
            return outcome.replies, None
        if live is not None and flow is None:
            return outcome.replies, _Live(live.flow, outcome.state, live.saved_json)
        assert flow is not None
        return outcome.replies, _Live(flow, outcome.state)

    def _cancel(self, live: _Live) -> tuple[list[Reply], _Live | None]:
        what = live.flow.describe(live.state)
        return [
            reply(
                f"Cancelled {what}. Nothing was sent to CJ. Start again with /dispute or /close, "
                "or /help for everything else.",
                notice="Cancelled",
            )
        ], None

    def _reminder(self, live: _Live | None) -> list[Reply]:
        if live is None or live.flow.is_terminal(live.state):
            return []
        shown = live.flow.prompt(live.state)
        return [
            reply(
                f"(Still waiting on {live.flow.describe(live.state)}: answer below, or /cancel.)\n\n"
                f"{shown.text}",
                *shown.buttons,
            )
        ]

    def _expired_note(self, flow: Flow[FlowState], state: FlowState) -> str:
        hours = self._ttl / 3600
        span = f"{hours:g} hours" if hours >= 1 else f"{self._ttl / 60:g} minutes"
        return (
            f"{flow.describe(state).capitalize()} was idle for more than {span} and has expired; "
            "nothing was sent to CJ. Start again whenever you like."
        )

    def _load(self, actor: Actor, now: float, notes: list[str]) -> _Live | None:
        saved = self._conversations.load(actor.chat_id, actor.user_id)
        if saved is None:
            return None
        flow = self._flows.get(saved.flow)
        try:
            state = flow.load(saved.state_json) if flow else None
        except ValidationError:
            state = None
        if flow is None or state is None:
            self._conversations.delete(actor.chat_id, actor.user_id)
            notes.append(
                "Your previous draft could not be restored after an update of Alex; please start again."
            )
            return None
        if now - saved.updated_at > self._ttl:
            self._conversations.delete(actor.chat_id, actor.user_id)
            if not flow.is_terminal(state):
                notes.append(self._expired_note(flow, state))
            return None
        return _Live(flow, state, saved.state_json)

    def _save(self, actor: Actor, before: _Live | None, after: _Live | None, now: float) -> None:
        if after is None:
            if before is not None:
                self._conversations.delete(actor.chat_id, actor.user_id)
            return
        state_json = after.state.model_dump_json()
        if before is not None and before.state is after.state and state_json == before.saved_json:
            return
        self._conversations.save(
            actor.chat_id, actor.user_id, after.flow.name, str(after.state.step), state_json, now
        )
