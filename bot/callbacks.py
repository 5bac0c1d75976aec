"""Button presses. Answered at once (a refusal, or the engine's toast when it replies within
0.2 s, else a bare answer plus "typing…"), then the engine's replies, edited in place when asked.

The data is decoded once, by the codec every button is built with (:mod:`conversations.buttons`).
People outside the team never reach the engine: their FAQ buttons and "Commands" are answered
here, anything else is refused. In groups, a press on a message sent for another member is
refused before anything else.
"""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatAction
from telegram.ext import ContextTypes

from bot import answers, texts
from bot.deps import BotDeps, get_deps
from bot.dialogue import ask_engine
from bot.handlers import group_admin, help_for
from bot.mapping import actor_of, can_ask_faq, can_manage_disputes, translator_of
from bot.render import deliver, escape, notice_of
from conversations import commands, faq_route
from conversations.buttons import FaqAnswer, FaqNoneOfThese, RunCommand, unpack
from conversations.events import Event, Reply


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = get_deps(context)
    query = update.callback_query
    if query is None or query.message is None or update.effective_chat is None:
        if query is not None:
            await query.answer()
        return
    user, chat = query.from_user, update.effective_chat
    tr = translator_of(user, chat, deps.store)
    owner = deps.owners.get(chat.id, query.message.message_id)
    if owner is not None and owner != user.id:
        await query.answer(tr.gettext(texts.FOREIGN_BUTTON), show_alert=True)
        return
    pressed = unpack(query.data)
    member = can_manage_disputes(deps.settings, user.id)
    if isinstance(pressed, RunCommand) and pressed.command == "help":
        await query.answer()
        await context.bot.send_message(chat.id, escape(help_for(tr, member)))
        return
    if not member and not _for_everyone(pressed):
        await _outsider(deps, context, query, chat.id, pressed)
        return
    event = Event.of_command(pressed.command, pressed.arg) if isinstance(pressed, RunCommand) else None
    await _to_engine(deps, context, query, event or Event.of_button(query.data or ""))


def _for_everyone(pressed: object) -> bool:
    """A command button anyone may press (``/language``'s choices): it goes to the engine."""
    if not isinstance(pressed, RunCommand):
        return False
    command = commands.engine_command(pressed.command)
    return command is not None and command.audience is commands.Audience.EVERYONE


async def _outsider(
    deps: BotDeps, context: ContextTypes.DEFAULT_TYPE, query: CallbackQuery, chat_id: int, pressed: object
) -> None:
    """Someone outside the team: FAQ buttons when the FAQ is open to them, a refusal for the rest."""
    user = query.from_user
    tr = translator_of(user, query.message.chat if query.message is not None else None, deps.store)
    if isinstance(pressed, FaqAnswer | FaqNoneOfThese):
        if not can_ask_faq(deps.settings, user.id):
            await query.answer(tr.format(texts.REFUSE_ALL, user_id=user.id), show_alert=True)
            return
        await query.answer()
        if isinstance(pressed, FaqAnswer):
            replies = answers.outsider_entry(deps.matcher, pressed.entry_id, tr, pressed.lang)
        else:
            replies = [faq_route.dont_know(tr)]
        await deliver(context.bot, deps, chat_id, replies, owner=user.id)
        return
    await query.answer(tr.format(texts.REFUSE_DISPUTES, user_id=user.id), show_alert=True)


async def _to_engine(
    deps: BotDeps, context: ContextTypes.DEFAULT_TYPE, query: CallbackQuery, event: Event
) -> None:
    user = query.from_user
    message = query.message
    chat_id = message.chat.id if message is not None else user.id
    pressed = message if isinstance(message, Message) else None

    async def slow() -> None:
        await query.answer()
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)

    assert message is not None
    admin = await group_admin(context, message.chat, user, event)
    actor = actor_of(deps.settings, user, message.chat, group_admin=admin)
    replies, answered = await ask_engine(deps.engine, actor, event, on_slow=slow)
    notice = notice_of(replies)
    if not answered:
        await query.answer(notice)
    elif notice and not any(r.text.strip() for r in replies):
        replies = [Reply(text=notice)]  # the toast came too late to show: say it in the chat
    await deliver(context.bot, deps, chat_id, replies, owner=user.id, pressed=pressed)
