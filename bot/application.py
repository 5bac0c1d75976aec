"""Builds the python-telegram-bot Application from already-built dependencies. Wiring only.

``build_application(settings, engine, matcher, store)`` is what ``alex run`` and the tests
call; the tests pass a sandbox-backed engine and point ``TELEGRAM_API_BASE_URL`` at a fake
Bot API server. The application: HTML parse mode by default (all user text is escaped in
``render``), :class:`AIORateLimiter` (Telegram's flood limits, retries on ``RetryAfter``),
the JobQueue (album flushes), per-chat ordered concurrent processing, one error handler,
and ``setMyCommands`` at start (:func:`start_application`).
"""

from __future__ import annotations

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
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

from alex.settings import ConfigError, Settings
from bot import callbacks, groups, handlers, http, inline, media, texts
from bot.deps import DEFAULT_ALBUM_WAIT_SECONDS, DEPS_KEY, BotDeps, EnginePort, MatcherPort
from bot.errors import on_error
from bot.logs import quiet_http_loggers
from bot.processing import DEFAULT_MAX_CONCURRENT_UPDATES, PerChatUpdateProcessor
from store.db import Store

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY, Update.MY_CHAT_MEMBER]
RATE_LIMITER_RETRIES = 3
# Bot API calls in flight at once (see bot.http.FastRequest): a call takes a few ms, so 16
# kept-alive connections carry thousands of calls per second.
CONNECTION_POOL_SIZE = 16
DEFAULTS = Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))


def file_base_url(api_base_url: str) -> str:
    """``https://api.telegram.org/bot`` → ``https://api.telegram.org/file/bot`` (same for local servers)."""
    base = api_base_url.rstrip("/")
    if not base.endswith("/bot"):
        raise ConfigError(
            "TELEGRAM_API_BASE_URL is malformed: it must end with /bot (e.g. https://api.telegram.org/bot)"
        )
    return base[: -len("bot")] + "file/bot"


def bot_commands() -> list[BotCommand]:
    return [BotCommand(name, description) for name, description in texts.COMMANDS]


async def start_application(application: Application) -> None:  # type: ignore[type-arg]
    """Initialize, publish the command menu (setMyCommands), start processing updates.

    Used by both polling and webhook mode instead of PTB's ``run_*`` helpers, because the
    webhook is served by our own Starlette server.
    """
    await application.initialize()
    await application.bot.set_my_commands(bot_commands())
    await application.start()


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
    application.add_handler(
        CommandHandler(sorted(texts.DISPUTE_COMMANDS), handlers.dispute_command, filters=new_messages)
    )
    application.add_handler(
        CommandHandler(["subscribe", "unsubscribe"], groups.subscription_command, filters=new_messages)
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
        .request(http.FastRequest(connection_pool_size))
        .get_updates_request(http.FastRequest(1))
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
