"""Builds the python-telegram-bot Application from already-built dependencies. Wiring only.

``build_application(settings, engine, matcher, store)`` is what ``alex run`` and the tests
call; the tests pass a sandbox-backed engine and point ``TELEGRAM_API_BASE_URL`` at a fake
Bot API server. The application: HTML parse mode by default (all user text is escaped in
``render``), :class:`AIORateLimiter` (Telegram's flood limits, retries on ``RetryAfter``),
the JobQueue (album flushes), per-chat ordered concurrent processing, one error handler,
and ``setMyCommands`` at start (:func:`start_application`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from alex.settings import ConfigError, Settings
from bot import callbacks, groups, handlers, inline, media
from bot.deps import DEFAULT_ALBUM_WAIT_SECONDS, DEPS_KEY, BotDeps, EnginePort, MatcherPort
from bot.errors import on_error
from bot.logs import quiet_http_loggers
from bot.processing import DEFAULT_MAX_CONCURRENT_UPDATES, PerChatUpdateProcessor
from conversations import commands
from conversations.language import LANGUAGES
from i18n import DEFAULT_LANGUAGE, Translator, translator
from store.db import Store

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY, Update.MY_CHAT_MEMBER]
RATE_LIMITER_RETRIES = 3
# Bot API calls in flight at once. Telegram lets a bot send ~30 messages/s and a call takes
# ~0.1 s, so 8 kept-alive connections carry ~80 calls/s; more calls wait for a free one. Fewer
# connections also mean less of httpcore's per-connection bookkeeping on every call.
CONNECTION_POOL_SIZE = 8
# Waiting for a free pooled connection sends nothing, so it may last: no request fails for
# lack of a connection while hundreds of chats reply at once.
POOL_TIMEOUT_SECONDS = 30.0
WRITE_TIMEOUT_SECONDS = 10.0
DEFAULTS = Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))


def file_base_url(api_base_url: str) -> str:
    """``https://api.telegram.org/bot`` → ``https://api.telegram.org/file/bot`` (same for local servers)."""
    base = api_base_url.rstrip("/")
    if not base.endswith("/bot"):
        raise ConfigError(
            "TELEGRAM_API_BASE_URL is malformed: it must end with /bot (e.g. https://api.telegram.org/bot)"
        )
    return base[: -len("bot")] + "file/bot"


class QueuedHTTPXRequest(HTTPXRequest):
    """PTB's ``HTTPXRequest`` whose calls wait for a connection here, not inside httpcore.

    httpcore matches every waiting request against every pooled connection each time a request
    starts or ends, so with hundreds of chats replying at once that bookkeeping grows with
    (waiting x connections): about a third of the bot's CPU at 200 chats. A semaphore of the
    pool's size in front keeps httpcore's queue empty; calls still run ``pool_size`` at a time.
    Only PTB's public seam (``do_request``) is overridden.
    """

    def __init__(self, *, connection_pool_size: int, **kwargs: Any) -> None:
        super().__init__(connection_pool_size=connection_pool_size, **kwargs)
        self._size = connection_pool_size
        self._slots = asyncio.Semaphore(connection_pool_size)

    async def initialize(self) -> None:
        self._slots = asyncio.Semaphore(self._size)  # a fresh one per start (and event loop)
        await super().initialize()

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        async with self._slots:
            return await super().do_request(*args, **kwargs)


def telegram_request(settings: Settings, pool_size: int) -> HTTPXRequest:
    """PTB's own HTTP client, set through its public options.

    The read timeout is long (``TELEGRAM_READ_TIMEOUT_SECONDS``): a request that times out after
    it was sent may still have been carried out by Telegram, and sending it again shows it twice.
    """
    return QueuedHTTPXRequest(
        connection_pool_size=pool_size,
        read_timeout=settings.telegram_read_timeout_seconds,
        connect_timeout=settings.telegram_connect_timeout_seconds,
        write_timeout=WRITE_TIMEOUT_SECONDS,
        pool_timeout=POOL_TIMEOUT_SECONDS,
    )


log = logging.getLogger("alex.bot")
MAX_TEAM_MENUS = 100  # one setMyCommands per team member's private chat, at most


def bot_commands(
    tr: Translator | None = None, *, team: bool = False, in_group: bool = False, admins: bool = False
) -> list[BotCommand]:
    """One menu, from the registry (:func:`conversations.commands.menu`)."""
    tr = tr or translator(None)
    listed = commands.menu(team=team, in_group=in_group, admins=admins)
    return [BotCommand(c.name, tr.gettext(c.description)) for c in listed]


def menus(settings: Settings, tr: Translator | None = None) -> list[tuple[BotCommandScope, list[BotCommand]]]:
    """Every scope's menu, like python-telegram-bot's rules-bot: everyone's commands by default and
    in private chats, the team's in each team member's private chat, group commands in groups, and
    the subscription commands for group administrators (Telegram picks the most specific scope)."""
    scoped: list[tuple[BotCommandScope, list[BotCommand]]] = [
        (BotCommandScopeAllPrivateChats(), bot_commands(tr)),
        (BotCommandScopeAllGroupChats(), bot_commands(tr, in_group=True)),
        (BotCommandScopeAllChatAdministrators(), bot_commands(tr, in_group=True, admins=True)),
    ]
    team = bot_commands(tr, team=True)
    scoped += [
        (BotCommandScopeChat(user_id), team) for user_id in sorted(settings.allowed_user_ids)[:MAX_TEAM_MENUS]
    ]
    scoped.append((BotCommandScopeDefault(), bot_commands(tr)))
    return scoped


def menu_languages() -> list[str | None]:
    """The ``language_code`` of each published menu: every UI language but English, then None (English,
    for everyone whose app language has no menu of its own)."""
    return [*(code for code in LANGUAGES if code != DEFAULT_LANGUAGE), None]


async def publish_menus(
    bot: Bot, settings: Settings, *, translator_of: Callable[[str | None], Translator] = translator
) -> int:
    """setMyCommands for every scope, once per language (``language_code``; Telegram shows a person the
    menu of their app's language). A scope Telegram refuses (a team member who never opened the bot:
    "chat not found") is logged and skipped, never a reason not to start. Returns how many took."""
    published = 0
    for lang in menu_languages():
        for scope, listed in menus(settings, translator_of(lang)):
            try:
                await bot.set_my_commands(listed, scope=scope, language_code=lang)
            except TelegramError as exc:
                log.warning(
                    "command menu for scope %s (%s) not published: %s", scope.type, lang, type(exc).__name__
                )
                continue
            published += 1
    return published


async def start_application(application: Application) -> None:  # type: ignore[type-arg]
    """Initialize, start processing updates, and publish the command menus (setMyCommands) beside.

    Used by both polling and webhook mode instead of PTB's ``run_*`` helpers, because the
    webhook is served by our own Starlette server. The menus are one call per scope and language
    (six languages, and a scope per team member: hundreds of calls at Telegram's ~30/s), so they
    go out in a task of the application (awaited by its ``stop``) instead of delaying the first
    answer after every restart.
    """
    await application.initialize()
    settings = application.bot_data[DEPS_KEY].settings
    await application.start()
    application.create_task(publish_menus(application.bot, settings), name="publish-menus")


async def stop_application(application: Application) -> None:  # type: ignore[type-arg]
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()


def add_handlers(application: Application) -> None:  # type: ignore[type-arg]
    new_messages = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("start", handlers.start, filters=new_messages))
    application.add_handler(CommandHandler("help", handlers.help_command, filters=new_messages))
    engine_commands = [
        name
        for command in commands.COMMANDS
        if command.handled_by is commands.HandledBy.ENGINE and command.name not in ("start", "help")
        for name in (command.name, *command.aliases)
    ]
    transport_commands = [c.name for c in commands.COMMANDS if c.handled_by is commands.HandledBy.TRANSPORT]
    application.add_handler(CommandHandler(engine_commands, handlers.dispute_command, filters=new_messages))
    application.add_handler(
        CommandHandler(transport_commands, groups.subscription_command, filters=new_messages)
    )
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, groups.migrated))
    application.add_handler(ChatMemberHandler(groups.membership, ChatMemberHandler.MY_CHAT_MEMBER))
    application.add_handler(CallbackQueryHandler(callbacks.button))
    application.add_handler(InlineQueryHandler(inline.inline_query))
    evidence = (filters.PHOTO | filters.VIDEO) & new_messages
    application.add_handler(MessageHandler(evidence, media.media_message))
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND & new_messages, handlers.text_message)
    )
    application.add_handler(
        MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE & new_messages, handlers.unknown_command)
    )
    application.add_error_handler(on_error)


def build_application(
    settings: Settings,
    engine: EnginePort,
    matcher: MatcherPort | None,
    store: Store,
    *,
    media_base_url: str | None = None,
    rate_limiter: AIORateLimiter | None = None,
    max_concurrent_updates: int = DEFAULT_MAX_CONCURRENT_UPDATES,
    album_wait: float = DEFAULT_ALBUM_WAIT_SECONDS,
    connection_pool_size: int = CONNECTION_POOL_SIZE,
) -> Application:  # type: ignore[type-arg]
    """The bot, ready for ``run_polling`` / ``initialize`` + ``start``.

    ``media_base_url`` is where ``/media/<name>`` is publicly served (webhook mode with
    PUBLIC_BASE_URL); None means evidence cannot be handed to CJ and is not downloaded.
    ``rate_limiter`` defaults to Telegram's published limits (30 messages/s, 20/min per group).
    """
    settings.require("telegram_bot_token")
    assert settings.telegram_bot_token is not None
    quiet_http_loggers()
    processor = PerChatUpdateProcessor(max_concurrent_updates)
    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_base_url(settings.telegram_api_base_url))
        .defaults(DEFAULTS)
        .rate_limiter(rate_limiter or AIORateLimiter(max_retries=RATE_LIMITER_RETRIES))
        .concurrent_updates(processor)
        .request(telegram_request(settings, connection_pool_size))
        .get_updates_request(telegram_request(settings, 1))
        .build()
    )
    application.bot_data[DEPS_KEY] = BotDeps(
        settings=settings,
        engine=engine,
        matcher=matcher,
        store=store,
        processor=processor,
        media_base_url=media_base_url,
        media_dir=settings.media_dir,
        album_wait=album_wait,
    )
    add_handlers(application)
    return application
