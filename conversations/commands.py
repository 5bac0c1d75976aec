"""The one list of Alex's commands: name, description, who may use it, where, and who handles it.

Everything that names a command reads it from here: the Telegram menus (``bot.application``
publishes one list per ``BotCommandScope``), ``/help`` (:func:`help_text`, for the engine and
the bot alike), the engine's dispatch (:func:`engine_command`), deep links
(:func:`parse_deep_link`), and the README's command table (checked by a test).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from conversations.texts import common as texts
from i18n import N_, Translator


class Audience(StrEnum):
    EVERYONE = "everyone"
    TEAM = "team"  # ALLOWED_USER_IDS: may open, close and read disputes
    GROUP_ADMINS = "group admins"  # team members who administer the group


class Where(StrEnum):
    ANYWHERE = "anywhere"
    PRIVATE = "private"
    GROUPS = "groups"


class HandledBy(StrEnum):
    ENGINE = "engine"  # conversations.engine answers it (Telegram, the demo, tests)
    TRANSPORT = "transport"  # only the Telegram adapter can (group subscriptions)


@dataclass(frozen=True)
class Command:
    name: str
    description: str  # N_-marked; Telegram's menu allows 3-256 characters
    audience: Audience
    where: Where = Where.ANYWHERE
    handled_by: HandledBy = HandledBy.ENGINE
    usage: str = ""  # what may follow the name, e.g. "[order id]"
    deep_link: bool = False  # t.me/<bot>?start=<name>_<arg> runs it
    aliases: tuple[str, ...] = ()

    def usable_by(self, *, team: bool, in_group: bool | None = None) -> bool:
        if self.audience is not Audience.EVERYONE and not team:
            return False
        if in_group is None:
            return True
        return self.where is Where.ANYWHERE or (self.where is Where.GROUPS) == in_group


COMMANDS: tuple[Command, ...] = (
    Command("start", N_("What Alex can do"), Audience.EVERYONE),
    Command("help", N_("The commands and what to write"), Audience.EVERYONE, deep_link=True),
    Command(
        "dispute",
        N_("Open a dispute on a CJ order, step by step"),
        Audience.TEAM,
        usage=N_("[order id]"),
        deep_link=True,
        aliases=("open",),
    ),
    Command(
        "close",
        N_("Close (cancel) an open dispute, with two confirmations"),
        Audience.TEAM,
        usage=N_("[dispute id]"),
        deep_link=True,
    ),
    Command("disputes", N_("Your disputes, page by page"), Audience.TEAM, deep_link=True),
    Command(
        "status",
        N_("A dispute's detail, decision and refund breakdown"),
        Audience.TEAM,
        usage=N_("<dispute id>"),
        deep_link=True,
    ),
    Command("cancel", N_("Drop the current draft; nothing is sent to CJ"), Audience.TEAM),
    Command(
        "language",
        N_("Choose the language Alex speaks in this chat (group admins, in a group)"),
        Audience.EVERYONE,
        usage=N_("[language]"),
        aliases=("lang",),
    ),
    Command(
        "subscribe",
        N_("Post dispute updates and digests in this group"),
        Audience.GROUP_ADMINS,
        Where.GROUPS,
        HandledBy.TRANSPORT,
    ),
    Command(
        "unsubscribe",
        N_("Stop dispute updates in this group"),
        Audience.GROUP_ADMINS,
        Where.GROUPS,
        HandledBy.TRANSPORT,
    ),
)

BY_NAME: dict[str, Command] = {
    name: command for command in COMMANDS for name in (command.name, *command.aliases)
}
DEEP_LINK_SEPARATOR = "_"


def find(name: str) -> Command | None:
    """The command named ``name`` (without the slash, any case, ``@botname`` dropped), or None."""
    return BY_NAME.get(name.lstrip("/").split("@", 1)[0].strip().lower())


def engine_command(name: str) -> Command | None:
    command = find(name)
    return command if command is not None and command.handled_by is HandledBy.ENGINE else None


def menu(*, team: bool, in_group: bool, admins: bool = False) -> list[Command]:
    """The commands a Telegram menu scope shows, in registry order."""
    shown = []
    for command in COMMANDS:
        if command.audience is Audience.GROUP_ADMINS:
            if admins and in_group:
                shown.append(command)
            continue
        if command.usable_by(team=team, in_group=in_group):
            shown.append(command)
    return shown


def parse_deep_link(payload: str) -> tuple[Command, str] | None:
    """``dispute_SD123`` → (/dispute, "SD123"); ``help`` → (/help, ""); anything else → None.

    Telegram start parameters allow only ``A-Za-z0-9_-``: the first ``_`` (or ``-``)
    separates the command from its argument.
    """
    text = payload.strip()
    if not text:
        return None
    head, _, arg = text.replace("-", DEEP_LINK_SEPARATOR, 1).partition(DEEP_LINK_SEPARATOR)
    command = find(head)
    if command is None or not command.deep_link:
        return None
    return command, arg.strip()


def deep_link_payload(name: str, arg: str = "") -> str:
    """The start parameter that runs ``/name arg`` (the inverse of :func:`parse_deep_link`)."""
    return f"{name}{DEEP_LINK_SEPARATOR}{arg}" if arg else name


def welcome_text(
    tr: Translator,
    *,
    team: bool,
    faq_open: bool = True,
    bot_username: str | None = None,
    user_id: int | None = None,
) -> str:
    """``/start``: who Alex is, where to ask, and (for people outside the team) how to get in."""
    if not team and not faq_open:
        return "\n".join([tr.gettext(texts.WELCOME_GUEST), tr.format(texts.GUEST_CLOSED, user_id=user_id)])
    lines = [tr.gettext(texts.WELCOME_TEAM if team else texts.WELCOME_GUEST)]
    if bot_username:
        lines.append(tr.format(texts.INLINE_HINT, bot=bot_username))
    if team:
        lines.append(tr.gettext(texts.TEAM_DOES))
    else:
        lines.append(tr.format(texts.GUEST_DISPUTES, user_id=user_id))
    return "\n".join(lines)


def _line(tr: Translator, command: Command) -> str:
    usage = f" {tr.gettext(command.usage)}" if command.usage else ""
    where = ""
    if command.audience is Audience.GROUP_ADMINS:
        where = tr.gettext(texts.HELP_GROUP_ADMINS_ONLY)
    return f"/{command.name}{usage} - {tr.gettext(command.description)}{where}"


def help_text(tr: Translator, *, team: bool) -> str:
    """``/help``: the commands this person may use, then what they can simply write."""
    lines = [tr.gettext(texts.HELP_HEADER)]
    lines += [_line(tr, c) for c in COMMANDS if c.usable_by(team=team)]
    lines.append(tr.gettext(texts.HELP_WRITE_TEAM if team else texts.HELP_WRITE_EVERYONE))
    return "\n".join(lines)
