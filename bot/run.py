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
from collections.abc import Sequence

import httpx
from starlette.routing import BaseRoute
from telegram.ext import Application

from alex.settings import Settings, load_settings
from bot.application import ALLOWED_UPDATES, build_application, start_application, stop_application
from bot.errors import WebhookError
from bot.logs import configure_logging
from bot.maintenance import schedule_maintenance
from bot.webserver import WEBHOOK_PATH, WebServer, build_web_app
from store.db import open_store

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


async def serve(settings: Settings, webhook: bool, extra_routes: Sequence[BaseRoute] = ()) -> None:
    """Build the store, the CJ client, the matcher and the engine, then run the bot until a signal.

    ``extra_routes`` are mounted on the webhook server beside Telegram's (e.g. the CJ webhook).
    """
    from bot.push_sender import TelegramPushSender
    from cj.client import CJClient
    from conversations.engine import Engine
    from faq.matcher import load_matcher
    from notifier.service import NotifierService
    from notifier.webhook_app import cj_webhook_route

    assert settings.cj_api_key is not None
    store = open_store(settings.alex_db_path)
    http = httpx.AsyncClient(timeout=settings.cj_timeout_seconds)
    cj = CJClient(settings.cj_api_key, base_url=settings.cj_base_url, http=http, store=store,
                  qps=settings.cj_qps, timeout=settings.cj_timeout_seconds)
    matcher = load_matcher()
    engine = Engine(store, cj, matcher, draft_ttl_seconds=settings.draft_ttl_hours * 3600)
    media_base_url = settings.public_base_url if webhook else None
    application = build_application(settings, engine, matcher, store, media_base_url=media_base_url)
    schedule_maintenance(application.job_queue, engine, settings.media_dir)  # expired drafts, old evidence
    notifier = NotifierService.for_client(
        store=store, sender=TelegramPushSender(application.bot), cj=cj, settings=settings
    )
    stop = asyncio.Event()
    _stop_on_signals(stop)
    bot_stop = asyncio.Event()  # the notifier stops (its send in flight marked) before the bot does

    async def stop_notifier_first() -> None:
        await stop.wait()
        await notifier.stop()
        bot_stop.set()

    stopper = asyncio.create_task(stop_notifier_first())
    await notifier.start()  # sweeps at once: what changed while Alex was down goes out now
    try:
        if webhook:
            routes = [*extra_routes, cj_webhook_route(notifier.receiver)]
            await run_webhook(application, settings, bot_stop, routes)
        else:
            await run_polling(application, bot_stop)
    finally:
        stop.set()
        await stopper
        await cj.aclose()
        await http.aclose()
        store.close()


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
    return 0
