"""Button presses. Answered at once (a refusal, or the engine's toast when it replies within
0.2 s, else a bare answer plus "typing…"), then the engine's replies, edited in place when asked.

Data starting with ``~`` belongs to the adapter (start menu, FAQ links); everything else is
the engine's, which binds it to the user's flow instance and step and refuses stale presses.
In groups, a press on a message sent for another member is refused here, before the engine.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import ChatAction
from telegram.ext import ContextTypes

from bot import answers, texts
from bot.deps import get_deps
from bot.dialogue import ask_engine
from bot.handlers import START_BUTTON_PREFIX
from bot.mapping import actor_of, can_ask_faq, can_manage_disputes
from bot.render import deliver, escape, notice_of
from conversations.events import Event, Reply


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = get_deps(context)
    query = update.callback_query
    if query is None or query.message is None or update.effective_chat is None:
        if query is not None:
            await query.answer()
        return
    user, chat = query.from_user, update.effective_chat
    data = query.data or ""
    pressed = query.message if isinstance(query.message, Message) else None
    owner = deps.owners.get(chat.id, query.message.message_id)
    if owner is not None and owner != user.id:
        await query.answer(texts.FOREIGN_BUTTON, show_alert=True)
        return

    if data.startswith(answers.FAQ_BUTTON_PREFIX):
        if not can_ask_faq(deps.settings, user.id):
            await query.answer(texts.REFUSE_ALL.format(user_id=user.id), show_alert=True)
            return
        await query.answer()
        entry = answers.entry_reply(deps.matcher, data.removeprefix(answers.FAQ_BUTTON_PREFIX))
        await deliver(context.bot, deps, chat.id, [entry], owner=user.id)
        return
    if data == f"{START_BUTTON_PREFIX}help":
        await query.answer()
        await context.bot.send_message(chat.id, escape(texts.help_text()))
        return
    if not can_manage_disputes(deps.settings, user.id):
        await query.answer(texts.REFUSE_DISPUTES.format(user_id=user.id), show_alert=True)
        return

    if data.startswith(START_BUTTON_PREFIX):
        event = Event.of_command(data.removeprefix(START_BUTTON_PREFIX))
    else:
        event = Event.of_button(data)

    async def slow() -> None:
        await query.answer()
        await context.bot.send_chat_action(chat.id, ChatAction.TYPING)

    actor = actor_of(deps.settings, user, chat)
    replies, answered = await ask_engine(deps.engine, actor, event, on_slow=slow)
    notice = notice_of(replies)
    if not answered:
        await query.answer(notice)
    elif notice and not any(r.text.strip() for r in replies):
        replies = [Reply(text=notice)]  # the toast came too late to show: say it in the chat
    await deliver(context.bot, deps, chat.id, replies, owner=user.id, pressed=pressed)
