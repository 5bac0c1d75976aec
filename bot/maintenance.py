"""Housekeeping while the bot runs: drafts past ``DRAFT_TTL_HOURS`` and old evidence files.

Without it an abandoned draft (order, message text, evidence URLs) would stay in the database
until its owner wrote again, and evidence files would stay on disk for ever. One repeating
JobQueue job does both; the wiring calls :func:`schedule_maintenance` once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from telegram.error import TelegramError
from telegram.ext import ContextTypes, JobQueue

from bot.deps import get_deps
from bot.media import MEDIA_KEEP_DAYS, prune_media
from bot.render import deliver
from conversations.events import Reply

log = logging.getLogger("alex.bot")

JOB_NAME = "maintenance"
DEFAULT_INTERVAL_SECONDS = 600.0
SECONDS_PER_DAY = 86_400


class Sweeper(Protocol):
    """What the job needs of the engine: ``conversations.engine.Engine.sweep_expired``."""

    def sweep_expired(self) -> list[tuple[int, int, Reply]]: ...


def schedule_maintenance(
    job_queue: JobQueue | None,  # type: ignore[type-arg]
    engine: Sweeper,
    media_dir: Path,
    *,
    media_keep_days: float = MEDIA_KEEP_DAYS,
    interval: float = DEFAULT_INTERVAL_SECONDS,
    first: float = 1.0,
    clock: Callable[[], float] = time.time,
) -> None:
    """Run :func:`maintain` every ``interval`` seconds, the first time ``first`` seconds from now.

    ``first`` must be in the future when the job is added: APScheduler's interval trigger skips a
    start time already past to the next interval.
    """
    if job_queue is None:  # python-telegram-bot without its [job-queue] extra
        raise RuntimeError("maintenance needs the application's JobQueue")

    async def job(context: ContextTypes.DEFAULT_TYPE) -> None:
        await maintain(context, engine, media_dir, clock() - media_keep_days * SECONDS_PER_DAY)

    job_queue.run_repeating(job, interval=interval, first=first, name=JOB_NAME)


async def maintain(
    context: ContextTypes.DEFAULT_TYPE, engine: Sweeper, media_dir: Path, media_older_than: float
) -> None:
    """Drop expired drafts (telling each seller whose draft was unfinished) and prune old evidence."""
    deps = get_deps(context)
    expired = engine.sweep_expired()
    for chat_id, user_id, note in expired:
        async with deps.processor.serialized(chat_id):
            try:
                await deliver(context.bot, deps, chat_id, [note], owner=user_id)
            except TelegramError as exc:  # the draft is gone either way; the note is a courtesy
                log.warning("expiry note to chat %s not sent: %s", chat_id, type(exc).__name__)
    removed = prune_media(media_dir, media_older_than)
    if expired or removed:
        log.info("maintenance: %d expired draft(s) dropped, %d evidence file(s) deleted",
                 len(expired), removed)
