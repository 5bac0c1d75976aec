"""The conversation engine: one event in, replies out, state saved in between.

Transport-free: Telegram, the terminal demo and the tests all call :meth:`Engine.handle`
with an :class:`Actor` and an :class:`Event` and render the :class:`Reply` list.

Per (chat, user) there is at most one live flow (open or close a dispute). It is loaded
from SQLite before each event and saved (or deleted) before the replies are returned,
so a restart resumes at the same step. Events of the same user are handled one at a
time (a lock per chat and user), which with the draft's idempotency key makes a double
press on Confirm create one dispute.

Commands come from the registry (:mod:`conversations.commands`), button data is decoded by
one codec (:mod:`conversations.buttons`), free text is routed by :mod:`conversations.intent`,
and every text is rendered through the chat's translator (English until catalogs exist).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pydantic import ValidationError

from cj.models import RefundType
from conversations import commands, faq_route, follow
from conversations.buttons import (
    DisputesPage,
    FaqAnswer,
    FaqNoneOfThese,
    FlowPress,
    RunCommand,
    ShowDispute,
    unpack,
)
from conversations.close_dispute import CloseDisputeFlow, CloseStep
from conversations.events import Actor, Event, EventKind, Reply
from conversations.flow import Flow, FlowContext, FlowState, Outcome
from conversations.intent import Intent, parse_request
from conversations.language import chat_translator, note_app_language
from conversations.language_command import language_command
from conversations.open_dispute import OpenDisputeFlow
from conversations.open_state import OpenStep
from conversations.ports import CJPort, MatcherPort
from conversations.reading import is_blank, visible_text
from conversations.render import reply
from conversations.texts import common as texts
from i18n import Translator
from store import audit, disputes_seen, faq_misses
from store.conversations import ConversationStore
from store.db import Store

DEFAULT_DRAFT_TTL_SECONDS = 48 * 3600.0
CANCEL_WORDS = frozenset({"cancel", "/cancel", "stop", "quit", "abort"})
AUDIT_LOOKBACK = 500  # create calls searched for the refund route a seller chose
ID_STEPS = frozenset({("open", OpenStep.ORDER), ("close", CloseStep.PICK), ("close", CloseStep.ORDER)})

Turn = tuple[list[Reply], "_Live | None"]


@dataclass
class _Live:
    flow: Flow[FlowState]
    state: FlowState
    saved_json: str | None = None  # as loaded, to skip writes when nothing changed

    @property
    def active(self) -> bool:
        return not self.flow.is_terminal(self.state)


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
        translator_of: Callable[[Actor], Translator] | None = None,
    ) -> None:
        self._store = store
        self._conversations = ConversationStore(store)
        self._cj = cj
        self._matcher = matcher
        self._clock = clock
        self._ttl = draft_ttl_seconds
        self._translator_of = translator_of or self._chat_translator
        flows: list[Flow[FlowState]] = [OpenDisputeFlow(), CloseDisputeFlow()]  # type: ignore[list-item]
        self._flows = {flow.name: flow for flow in flows}
        self._locks: weakref.WeakValueDictionary[tuple[int, int], asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        self._commands: dict[str, Callable[[FlowContext, _Live | None, str], Awaitable[Turn]]] = {
            "start": self._start_command,
            "help": self._help_command,
            "cancel": self._cancel_command,
            "dispute": self._dispute_command,
            "close": self._close_command,
            "disputes": self._disputes_command,
            "status": self._status_command,
            "language": self._language_command,
        }

    # --- public -------------------------------------------------------------------------------

    async def handle(self, actor: Actor, event: Event) -> list[Reply]:
        key = (actor.chat_id, actor.user_id)
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        async with lock:
            return await self._handle(actor, event)

    def handled_commands(self) -> frozenset[str]:
        """The command names this engine answers (the registry's engine commands, checked by a test)."""
        return frozenset(self._commands)

    def _chat_translator(self, actor: Actor) -> Translator:
        """The chat's chosen language (``/language``), else the person's app language, else English."""
        return chat_translator(self._store, actor.chat_id, actor.language_code)

    def translator_for(self, actor: Actor) -> Translator:
        """The chat's translator (``translator_of``): its language when one is known, else English."""
        return self._translator_of(actor)

    def sweep_expired(self) -> list[tuple[int, int, Reply]]:
        """Drop drafts idle longer than the TTL; return (chat_id, user_id, note) for each unfinished one.

        For transports that want to tell the seller without waiting for their next message.
        """
        notes: list[tuple[int, int, Reply]] = []
        for saved in self._conversations.older_than(self._clock() - self._ttl):
            self._conversations.delete(saved.chat_id, saved.user_id)
            tr = chat_translator(self._store, saved.chat_id)
            flow = self._flows.get(saved.flow)
            if flow is None:
                continue
            try:
                state = flow.load(saved.state_json)
            except ValidationError:
                continue
            if not flow.is_terminal(state):
                notes.append((saved.chat_id, saved.user_id, reply(self._expired_note(flow, state, tr))))
        return notes

    # --- one event ----------------------------------------------------------------------------

    async def _handle(self, actor: Actor, event: Event) -> list[Reply]:
        if not actor.is_group and actor.language_code:
            note_app_language(self._store, actor.chat_id, actor.language_code)
        ctx = FlowContext(
            cj=self._cj,
            matcher=self._matcher,
            actor=actor,
            now=self._clock(),
            tr=self.translator_for(actor),
            order_of_dispute=self._order_of,
            refund_route_of=self._refund_route_of,
        )
        notes: list[str] = []
        live = self._load(actor, ctx, notes)
        replies, after = await self._dispatch(ctx, live, event)
        self._save(actor, live, after, ctx.now)
        if notes:
            replies = [reply("\n".join(notes)), *replies]
        return replies

    async def _dispatch(self, ctx: FlowContext, live: _Live | None, event: Event) -> Turn:
        if event.kind is EventKind.COMMAND:
            return await self._command(ctx, live, event.command or "", event.args)
        if event.kind is EventKind.BUTTON:
            return await self._button(ctx, live, event.data or "")
        active = live if live and live.active else None
        tr = ctx.tr
        if event.kind is EventKind.MEDIA:
            if active is None:
                return [reply(tr.gettext(texts.MEDIA_OUTSIDE_FLOW))], live
            if not ctx.actor.can_manage_disputes:
                return [reply(tr.gettext(texts.REFUSAL))], live
            return self._apply(
                ctx, active, await active.flow.on_media(ctx, active.state, event.media, event.text)
            )
        if active is None:
            return await self._free_text(ctx, live, event.text)
        return await self._flow_text(ctx, active, event.text)

    async def _flow_text(self, ctx: FlowContext, live: _Live, text: str) -> Turn:
        tr = ctx.tr
        typed = visible_text(text).lower().strip()
        if typed in CANCEL_WORDS or typed == tr.gettext(texts.CANCEL).lower():  # the Cancel button, typed
            return self._cancel(live, tr)
        if not ctx.actor.can_manage_disputes:
            return [reply(tr.gettext(texts.REFUSAL))], live
        if is_blank(text):
            return [live.flow.expected(live.state, tr, tr.gettext(texts.INVISIBLE))], live
        if (live.flow.name, live.state.step) not in ID_STEPS:
            request = parse_request(text)
            if request is not None and request.intent in (Intent.STATUS, Intent.LIST):
                return await self._view(ctx, live, request.dispute_id)
        return self._apply(ctx, live, await live.flow.on_text(ctx, live.state, text))

    async def _view(self, ctx: FlowContext, live: _Live | None, dispute_id: str | None) -> Turn:
        """A read-only view in the middle of anything: the draft waits, reminded below."""
        shown = (
            await follow.dispute_status(ctx, dispute_id) if dispute_id else await follow.disputes_page(ctx, 1)
        )
        return [*shown, *self._reminder(live, ctx.tr)], live

    # --- commands -----------------------------------------------------------------------------

    async def _command(self, ctx: FlowContext, live: _Live | None, name: str, args: str) -> Turn:
        tr = ctx.tr
        command = commands.find(name)
        if command is None:
            shown = name.lstrip("/").split("@", 1)[0][:32]
            return [reply(tr.format(texts.UNKNOWN_COMMAND, command=shown))], live
        if command.handled_by is commands.HandledBy.TRANSPORT:
            return [], live  # group subscriptions: only the Telegram adapter can do them
        if command.audience is not commands.Audience.EVERYONE and not ctx.actor.can_manage_disputes:
            return [reply(tr.gettext(texts.REFUSAL), notice=tr.gettext(texts.NOT_ALLOWED_NOTICE))], live
        return await self._commands[command.name](ctx, live, args)

    async def _start_command(self, ctx: FlowContext, live: _Live | None, args: str) -> Turn:
        linked = commands.parse_deep_link(args) if args else None
        if linked is not None and linked[0].name != "start":
            command, arg = linked
            return await self._command(ctx, live, command.name, arg)
        tr, team = ctx.tr, ctx.actor.can_manage_disputes
        welcome = commands.welcome_text(tr, team=team, user_id=ctx.actor.user_id)
        text = f"{welcome}\n\n{commands.help_text(tr, team=team)}"
        return [reply(text), *self._reminder(live, tr)], live

    async def _help_command(self, ctx: FlowContext, live: _Live | None, args: str) -> Turn:
        tr, team = ctx.tr, ctx.actor.can_manage_disputes
        text = f"{tr.gettext(texts.WHAT_I_DO)}\n\n{commands.help_text(tr, team=team)}"
        return [reply(text), *self._reminder(live, tr)], live

    async def _cancel_command(self, ctx: FlowContext, live: _Live | None, args: str) -> Turn:
        if live and live.active:
            return self._cancel(live, ctx.tr)
        return [reply(ctx.tr.gettext(texts.NOTHING_TO_CANCEL))], live

    async def _dispute_command(self, ctx: FlowContext, live: _Live | None, args: str) -> Turn:
        return await self._start(ctx, live, self._flows["open"], args)

    async def _close_command(self, ctx: FlowContext, live: _Live | None, args: str) -> Turn:
        return await self._start(ctx, live, self._flows["close"], args)

    async def _disputes_command(self, ctx: FlowContext, live: _Live | None, args: str) -> Turn:
        return await self._view(ctx, live, None)

    async def _status_command(self, ctx: FlowContext, live: _Live | None, args: str) -> Turn:
        if not args.strip():
            return await self._view(ctx, live, None)
        shown = await follow.dispute_status(ctx, args)
        return [*shown, *self._reminder(live, ctx.tr)], live

    async def _language_command(self, ctx: FlowContext, live: _Live | None, args: str) -> Turn:
        actor = ctx.actor
        shown = language_command(
            self._store,
            ctx.tr,
            chat_id=actor.chat_id,
            user_id=actor.user_id,
            arg=args,
            in_group=actor.is_group,
            group_admin=actor.is_group_admin,
            language_code=actor.language_code,
        )
        return [*shown, *self._reminder(live, self.translator_for(actor))], live

    # --- buttons ------------------------------------------------------------------------------

    async def _button(self, ctx: FlowContext, live: _Live | None, data: str) -> Turn:
        tr = ctx.tr
        pressed = unpack(data)
        team = ctx.actor.can_manage_disputes
        if isinstance(pressed, FaqAnswer):
            matcher, entry_id = self._matcher, pressed.entry_id
            return faq_route.entry_reply(matcher, entry_id, tr, actions=team, lang=pressed.lang), live
        if isinstance(pressed, FaqNoneOfThese):
            return [faq_route.dont_know(tr)], live
        if isinstance(pressed, RunCommand):
            return await self._command(ctx, live, pressed.command, pressed.arg)
        if isinstance(pressed, ShowDispute | DisputesPage) and not team:
            return [reply(tr.gettext(texts.REFUSAL), notice=tr.gettext(texts.NOT_ALLOWED_NOTICE))], live
        if isinstance(pressed, ShowDispute):
            return await follow.dispute_status(ctx, pressed.dispute_id), live
        if isinstance(pressed, DisputesPage):
            return await follow.disputes_page(ctx, pressed.page), live
        if isinstance(pressed, FlowPress):
            return await self._flow_press(ctx, live, pressed)
        unknown = tr.gettext(texts.UNKNOWN_BUTTON)
        return [reply(unknown, notice=unknown), *self._reminder(live, tr)], live

    async def _flow_press(self, ctx: FlowContext, live: _Live | None, pressed: FlowPress) -> Turn:
        tr = ctx.tr
        if live is None or live.state.nonce != pressed.nonce:
            if live is None or not live.active:
                stale = tr.gettext(texts.STALE)
                return [reply(stale, notice=stale)], live
            return live.flow.stale(live.state, tr), live
        if not ctx.actor.can_manage_disputes:
            return [reply(tr.gettext(texts.REFUSAL), notice=tr.gettext(texts.NOT_ALLOWED_NOTICE))], live
        if pressed.value == "cancel" and pressed.step == live.state.step and live.active:
            return self._cancel(live, tr)
        outcome = await live.flow.on_button(ctx, live.state, pressed.step, pressed.value)
        return self._apply(ctx, live, outcome)

    # --- free text outside a flow -------------------------------------------------------------

    async def _free_text(self, ctx: FlowContext, live: _Live | None, text: str) -> Turn:
        tr = ctx.tr
        if is_blank(text):
            return [reply(tr.gettext(texts.INVISIBLE))], live
        request = parse_request(text)
        team = ctx.actor.can_manage_disputes
        if request is None:
            return faq_route.answer(self._matcher, text, tr, on_miss=self._log_miss, actions=team), live
        if not team:
            return [reply(tr.gettext(texts.REFUSAL))], live
        if request.intent is Intent.OPEN:
            return await self._start(ctx, live, self._flows["open"], request.order_id or "")
        if request.intent is Intent.CLOSE:
            return await self._start(ctx, live, self._flows["close"], request.dispute_id or "")
        return await self._view(ctx, live, request.dispute_id if request.intent is Intent.STATUS else None)

    # --- flow bookkeeping ---------------------------------------------------------------------

    async def _start(self, ctx: FlowContext, live: _Live | None, flow: Flow[FlowState], args: str) -> Turn:
        replaced: list[Reply] = []
        if live and live.active:
            what = live.flow.describe(live.state, ctx.tr)
            replaced = [reply(ctx.tr.format(texts.DROPPED, what=what))]
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

    def _refund_route_of(self, dispute_id: str) -> RefundType | None:
        """Where the seller asked the refund to go, for disputes Alex opened (read from the audit trail)."""
        for entry in audit.recent(self._store, AUDIT_LOOKBACK, action="dispute.create"):
            result, request = entry.result, entry.request
            if not (entry.ok and isinstance(result, dict) and result.get("disputeId") == dispute_id):
                continue
            with contextlib.suppress(TypeError, ValueError, AttributeError):
                return RefundType(int(request.get("refundType")))
            return None
        return None

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
    ) -> Turn:
        if outcome.opened is not None:
            self._record_opened(ctx.actor, outcome.opened, ctx.now)
        if outcome.state is None:
            return outcome.replies, None
        if live is not None and flow is None:
            return outcome.replies, _Live(live.flow, outcome.state, live.saved_json)
        assert flow is not None
        return outcome.replies, _Live(flow, outcome.state)

    def _cancel(self, live: _Live, tr: Translator) -> Turn:
        what = live.flow.describe(live.state, tr)
        return [reply(tr.format(texts.CANCELLED, what=what), notice=tr.gettext(texts.CANCELLED_NOTICE))], None

    def _reminder(self, live: _Live | None, tr: Translator) -> list[Reply]:
        if live is None or not live.active:
            return []
        shown = live.flow.prompt(live.state, tr)
        note = tr.format(texts.STILL_WAITING, what=live.flow.describe(live.state, tr))
        return [reply(f"{note}\n\n{shown.text}", *shown.buttons)]

    def _expired_note(self, flow: Flow[FlowState], state: FlowState, tr: Translator) -> str:
        hours = self._ttl / 3600
        if hours >= 1:
            span = tr.plural(texts.HOURS, round(hours))
        else:
            span = tr.plural(texts.MINUTES, max(1, round(self._ttl / 60)))
        what = flow.describe(state, tr)
        return tr.format(texts.EXPIRED, what=what[:1].upper() + what[1:], span=span)

    def _load(self, actor: Actor, ctx: FlowContext, notes: list[str]) -> _Live | None:
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
            notes.append(ctx.tr.gettext(texts.NOT_RESTORED))
            return None
        if ctx.now - saved.updated_at > self._ttl:
            self._conversations.delete(actor.chat_id, actor.user_id)
            if not flow.is_terminal(state):
                notes.append(self._expired_note(flow, state, ctx.tr))
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
