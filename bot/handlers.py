"""Commands and text: parse, check access, hand to the engine (or the FAQ), render. Nothing more."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.ext import ContextTypes

from bot import answers, texts
from bot.deps import get_deps
from bot.dialogue import ask_engine
from bot.mapping import (
    actor_of,
    addressed_to_bot,
    can_ask_faq,
    can_manage_disputes,
    deep_link_event,
    is_group,
)
from bot.render import deliver, escape
from conversations.events import Event

START_BUTTON_PREFIX = "~cmd:"


def start_keyboard(team_member: bool) -> InlineKeyboardMarkup:
    rows = []
    if team_member:
        rows.append([
            InlineKeyboardButton("Open a dispute", callback_data=f"{START_BUTTON_PREFIX}dispute"),
            InlineKeyboardButton("My disputes", callback_data=f"{START_BUTTON_PREFIX}disputes"),
        ])
    rows.append([
        InlineKeyboardButton("Commands", callback_data=f"{START_BUTTON_PREFIX}help"),
        InlineKeyboardButton("Ask in any chat", switch_inline_query=""),
    ])
    return InlineKeyboardMarkup(rows)


async def converse(update: Update, context: ContextTypes.DEFAULT_TYPE, event: Event) -> None:
    """One engine turn for a message: typing when slow, replies rendered into the chat."""
    deps = get_deps(context)
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    actor = actor_of(deps.settings, user, chat)

    async def typing() -> None:
        await context.bot.send_chat_action(chat.id, ChatAction.TYPING)

    replies, _ = await ask_engine(deps.engine, actor, event, on_slow=typing)
    await deliver(context.bot, deps, chat.id, replies, owner=user.id)


async def refuse(update: Update, context: ContextTypes.DEFAULT_TYPE, template: str) -> None:
    user, message = update.effective_user, update.effective_message
    if user is not None and message is not None:
        await message.reply_text(escape(template.format(user_id=user.id)))


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/start``: three lines and buttons; ``/start dispute_SD…`` opens that flow prefilled."""
    deps = get_deps(context)
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    member = can_manage_disputes(deps.settings, user.id)
    linked = deep_link_event(" ".join(context.args or []))
    if linked is not None and member:
        await converse(update, context, linked)
        return
    if member:
        text = texts.START
    elif deps.settings.faq_open_to_all:
        text = texts.START_STRANGER
    else:
        text = texts.START_STRANGER_NO_FAQ
    body = text.format(bot=context.bot.username, user_id=user.id)
    await message.reply_text(escape(body), reply_markup=start_keyboard(member))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None:
        await message.reply_text(escape(texts.help_text()))


async def dispute_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/dispute /close /disputes /status /cancel: the team's, through the engine."""
    deps = get_deps(context)
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or not message.text:
        return
    command = message.text.split()[0].lstrip("/").split("@")[0].lower()
    if not can_manage_disputes(deps.settings, user.id):
        if command == "cancel":
            await message.reply_text(escape(texts.NOTHING_TO_CANCEL))
            return
        await refuse(update, context, texts.REFUSE_DISPUTES)
        return
    await converse(update, context, Event.of_command(command, " ".join(context.args or [])))


async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text: the team's goes to the engine (FAQ or the current step); others get the FAQ."""
    deps = get_deps(context)
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None or not message.text:
        return
    if is_group(chat) and not addressed_to_bot(message, context.bot.id):
        return
    if can_manage_disputes(deps.settings, user.id):
        await converse(update, context, Event.of_text(message.text))
        return
    if not can_ask_faq(deps.settings, user.id):
        await refuse(update, context, texts.REFUSE_ALL)
        return
    await deliver(context.bot, deps, chat.id, [answers.faq_reply(deps.matcher, message.text)], owner=user.id)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split()[0].lstrip("/").split("@")[0]
    await message.reply_text(escape(texts.UNKNOWN_COMMAND.format(command=command[:32])))

