"""``alex run``: start the Telegram bot, with long polling (default) or ``--webhook``.

Polling needs only TELEGRAM_BOT_TOKEN and CJ_API_KEY and works behind any NAT. Webhook mode
also needs PUBLIC_BASE_URL (HTTPS, reaching WEBHOOK_LISTEN_HOST:WEBHOOK_LISTEN_PORT) and
WEBHOOK_SECRET_TOKEN; it serves Telegram's webhook, the evidence files CJ fetches
(PUBLIC_BASE_URL/media/...) and any extra routes (the CJ webhook) on one server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
import urllib.parse
from collections.abc import Sequence
from typing import Any

from starlette.routing import BaseRoute
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import Application

from alex.settings import Settings, load_settings
from bot.application import ALLOWED_UPDATES, build_application, start_application, stop_application
from bot.errors import StartupError, WebhookError
from bot.logs import configure_logging
from bot.maintenance import schedule_maintenance
from bot.webserver import WEBHOOK_PATH, WebServer, build_web_app

log = logging.getLogger("alex.bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="alex run",
        description="Start the Telegram bot. Long polling by default; --webhook serves Telegram's webhook, "
        "the evidence files and the CJ webhook on WEBHOOK_LISTEN_HOST:WEBHOOK_LISTEN_PORT.",
    )
    parser.add_argument("--webhook", action="store_true", help="receive updates by webhook (needs "
                        "PUBLIC_BASE_URL and WEBHOOK_SECRET_TOKEN)")
    return parser


def _secrets(settings: Settings) -> list[str]:
    values = [settings.telegram_bot_token, settings.cj_api_key, settings.webhook_secret_token]
    return [v.get_secret_value() for v in values if v is not None]


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)


async def run_polling(application: Application, stop: asyncio.Event) -> None:  # type: ignore[type-arg]
    await start_application(application)
    try:
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
        log.info("Alex is running (long polling as @%s); Ctrl-C stops it", application.bot.username)
        await stop.wait()
    finally:
        await stop_application(application)


async def run_webhook(
    application: Application,  # type: ignore[type-arg]
    settings: Settings,
    stop: asyncio.Event,
    extra_routes: Sequence[BaseRoute] = (),
) -> None:
    if not settings.public_base_url or settings.webhook_secret_token is None:
        raise WebhookError("webhook mode needs PUBLIC_BASE_URL and WEBHOOK_SECRET_TOKEN (see .env.example)")
    secret = settings.webhook_secret_token.get_secret_value()
    web = WebServer(
        build_web_app(application, secret, media_dir=settings.media_dir, extra_routes=extra_routes),
        host=settings.webhook_listen_host,
        port=settings.webhook_listen_port,
    )
    await start_application(application)
    try:
        await web.start()
        url = settings.public_base_url.rstrip("/") + WEBHOOK_PATH
        await application.bot.set_webhook(url=url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
        log.info("Alex is running (webhook at %s, listening on %s:%s)", url, web.host, web.port)
        await stop.wait()
    finally:
        await web.stop()
        await stop_application(application)


async def connect_telegram(application: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    """Ask Telegram who we are (getMe) before anything else starts; a refusal is a StartupError."""
    where = urllib.parse.urlsplit(settings.telegram_api_base_url).hostname or "?"
    try:
        await application.initialize()
    except InvalidToken:
        raise StartupError(
            "Telegram rejected TELEGRAM_BOT_TOKEN: copy the bot's token from @BotFather (/mybots > API "
            "Token) into .env or the environment, then start again"
        ) from None
    except BadRequest as exc:  # a NetworkError in PTB, but an answer: retrying will not change it
        raise StartupError(f"Telegram at {where} refused the start ({exc.message}): check "
                           "TELEGRAM_API_BASE_URL and TELEGRAM_BOT_TOKEN") from None
    except (NetworkError, TimedOut) as exc:
        raise StartupError(
            f"cannot reach Telegram at {where} ({type(exc).__name__}): check the network and "
            "TELEGRAM_API_BASE_URL, then start again"
        ) from None
    except TelegramError as exc:
        raise StartupError(f"Telegram at {where} refused the start ({type(exc).__name__}): check "
                           "TELEGRAM_API_BASE_URL and TELEGRAM_BOT_TOKEN") from None


async def serve(settings: Settings, webhook: bool, extra_routes: Sequence[BaseRoute] = ()) -> None:
    """Build the services (alex.services), check Telegram, start the notifier, run the bot until a signal.

    ``extra_routes`` are mounted on the webhook server beside Telegram's (e.g. the CJ webhook).
    """
    from alex.services import build_services
    from bot.push_sender import TelegramPushSender
    from notifier.service import NotifierService

    services = build_services(settings)
    try:
        media_base_url = settings.public_base_url if webhook else None
        application = build_application(settings, services.engine, services.matcher, services.store,
                                        media_base_url=media_base_url)
        schedule_maintenance(application.job_queue, services.engine, settings.media_dir)  # drafts, evidence
        await connect_telegram(application, settings)  # before the notifier talks to CJ or Telegram
        notifier = NotifierService.for_client(
            store=services.store, sender=TelegramPushSender(application.bot), cj=services.cj,
            settings=settings,
        )
        await _serve_with_notifier(application, notifier, settings, webhook, extra_routes)
    finally:
        await services.aclose()


async def _serve_with_notifier(
    application: Application,  # type: ignore[type-arg]
    notifier: Any,
    settings: Settings,
    webhook: bool,
    extra_routes: Sequence[BaseRoute],
) -> None:
    from notifier.webhook_app import cj_webhook_route

    stop = asyncio.Event()
    _stop_on_signals(stop)
    bot_stop = asyncio.Event()  # the notifier stops (its send in flight marked) before the bot does

    async def stop_notifier_first() -> None:
        await stop.wait()
        await notifier.stop()
        bot_stop.set()

    stopper = asyncio.create_task(stop_notifier_first())
    try:
        await notifier.start()  # sweeps at once: what changed while Alex was down goes out now
        if webhook:
            routes = [*extra_routes, cj_webhook_route(notifier.receiver)]
            await run_webhook(application, settings, bot_stop, routes)
        else:
            await run_polling(application, bot_stop)
    finally:
        stop.set()
        await stopper


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    settings = load_settings()
    settings.require("telegram_bot_token", "cj_api_key")
    if args.webhook:
        settings.require("public_base_url", "webhook_secret_token")
    configure_logging(settings.log_level, _secrets(settings))
    try:
        asyncio.run(serve(settings, args.webhook))
    except WebhookError as exc:
        log.error("%s", exc)
        return 2
    except StartupError as exc:  # one line that says what to do; never a traceback with the token
        print(f"alex: {exc}", file=sys.stderr)
        return 1
    return 0
