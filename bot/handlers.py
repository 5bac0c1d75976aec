"""Commands and text: parse, check access, hand to the engine (or the FAQ), render. Nothing more.

Which commands exist, who may use them and what ``/help`` and ``/start`` say come from the
registry (:mod:`conversations.commands`), the same one the engine and the demo use.
"""

from __future__ import annotations

from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Update, User
from telegram.constants import ChatAction
from telegram.ext import ContextTypes

from bot import answers, texts
from bot.deps import BotDeps, get_deps
from bot.dialogue import ask_engine
from bot.groups import AdminCheckFailed, is_chat_admin
from bot.mapping import (
    actor_of,
    addressed_to_bot,
    can_ask_faq,
    can_manage_disputes,
    deep_link_event,
    is_group,
    translator_of,
)
from bot.render import deliver, escape
from conversations import commands
from conversations.buttons import RunCommand
from conversations.events import Event
from conversations.texts import common as common_texts
from i18n import Translator


def tr_of(update: Update, deps: BotDeps) -> Translator:
    """The translator of the chat this update comes from (:func:`bot.mapping.translator_of`)."""
    return translator_of(update.effective_user, update.effective_chat, deps.store)


def start_keyboard(tr: Translator, team_member: bool) -> InlineKeyboardMarkup:
    rows = []
    if team_member:
        rows.append(
            [
                InlineKeyboardButton(
                    tr.gettext(common_texts.ACTION_OPEN), callback_data=RunCommand(command="dispute").pack()
                ),
                InlineKeyboardButton(
                    tr.gettext(common_texts.ACTION_STATUS),
                    callback_data=RunCommand(command="disputes").pack(),
                ),
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(tr.gettext(texts.COMMANDS), callback_data=RunCommand(command="help").pack()),
            InlineKeyboardButton(tr.gettext(texts.ASK_ANYWHERE), switch_inline_query=""),
        ]
    )
    return InlineKeyboardMarkup(rows)


def help_for(tr: Translator, team_member: bool) -> str:
    """``/help`` as this person may use it: the registry's one help text."""
    return commands.help_text(tr, team=team_member)


async def group_admin(context: ContextTypes.DEFAULT_TYPE, chat: Chat, user: User, event: Event) -> bool:
    """Asked of Telegram only for ``/language`` in a group (the group's language is its admins' choice)."""
    if event.command not in ("language", "lang") or not is_group(chat):
        return False
    return await is_chat_admin(context, chat.id, user.id, translator_of(user, chat, get_deps(context).store))


async def converse(update: Update, context: ContextTypes.DEFAULT_TYPE, event: Event) -> None:
    """One engine turn for a message: typing when slow, replies rendered into the chat."""
    deps = get_deps(context)
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    try:
        admin = await group_admin(context, chat, user, event)
    except AdminCheckFailed as exc:  # /language in a group, and Telegram could not say who is admin
        await context.bot.send_message(chat.id, escape(str(exc)))
        return
    actor = actor_of(deps.settings, user, chat, group_admin=admin)

    async def typing() -> None:
        await context.bot.send_chat_action(chat.id, ChatAction.TYPING)

    replies, _ = await ask_engine(deps.engine, actor, event, on_slow=typing)
    await deliver(context.bot, deps, chat.id, replies, owner=user.id)


async def refuse(update: Update, context: ContextTypes.DEFAULT_TYPE, template: str) -> None:
    user, message = update.effective_user, update.effective_message
    if user is not None and message is not None:
        await message.reply_text(escape(tr_of(update, get_deps(context)).format(template, user_id=user.id)))


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/start``: three lines and buttons; ``/start dispute_SD…`` runs that command (deep link)."""
    deps = get_deps(context)
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    member = can_manage_disputes(deps.settings, user.id)
    tr = tr_of(update, deps)
    linked = deep_link_event(" ".join(context.args or []))
    if linked is not None and linked.command == "help":
        await message.reply_text(escape(help_for(tr, member)))
        return
    if linked is not None and member:
        await converse(update, context, linked)
        return
    body = commands.welcome_text(
        tr,
        team=member,
        faq_open=deps.settings.faq_open_to_all,
        bot_username=context.bot.username,
        user_id=user.id,
    )
    await message.reply_text(escape(body), reply_markup=start_keyboard(tr, member))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = get_deps(context)
    user, message = update.effective_user, update.effective_message
    if user is not None and message is not None:
        member = can_manage_disputes(deps.settings, user.id)
        await message.reply_text(escape(help_for(tr_of(update, deps), member)))


async def dispute_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The engine's commands (/dispute /close /disputes /status /cancel for the team, /language for
    everyone), through the engine."""
    deps = get_deps(context)
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or not message.text:
        return
    command = commands.find(message.text.split()[0])
    if command is None:
        return
    everyone = command.audience is commands.Audience.EVERYONE
    if not everyone and not can_manage_disputes(deps.settings, user.id):
        if command.name == "cancel":
            await message.reply_text(escape(tr_of(update, deps).gettext(texts.NOTHING_TO_CANCEL)))
            return
        await refuse(update, context, texts.REFUSE_DISPUTES)
        return
    await converse(update, context, Event.of_command(command.name, " ".join(context.args or [])))


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
    replies = answers.outsider_answer(deps.matcher, message.text, tr_of(update, deps))
    await deliver(context.bot, deps, chat.id, replies, owner=user.id)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    command = message.text.split()[0].lstrip("/").split("@")[0]
    text = tr_of(update, get_deps(context)).format(common_texts.UNKNOWN_COMMAND, command=command[:32])
    await message.reply_text(escape(text))
