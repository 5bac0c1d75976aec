"""Evidence: photos and videos, alone or as albums, kept so CJ can fetch them.

Telegram file URLs contain the bot token, so they are never passed on: each file is downloaded
(bots may download up to 20 MB) into ``MEDIA_DIR`` under an unguessable name and offered to CJ
as ``PUBLIC_BASE_URL/media/<name>``, served by the webhook server. Without a public URL nothing
is downloaded and the engine is told the file has no URL (it explains how to attach it on CJ's
site). Albums arrive as separate updates sharing ``media_group_id``: items are collected and
handed to the engine as one event once no new item came for ``album_wait`` seconds (JobQueue).

Files are owner-only (0600 in a 0700 folder), like the database: they are seller and buyer
data. :func:`prune_media` deletes those older than ``MEDIA_KEEP_DAYS`` (run by ``bot.maintenance``).
"""

from __future__ import annotations

import logging
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from telegram import Message, Update
from telegram.constants import FileSizeLimit
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot import texts
from bot.deps import BotDeps, get_deps
from bot.errors import EvidenceError
from bot.handlers import converse, refuse, tr_of
from bot.mapping import actor_of, addressed_to_bot, can_manage_disputes, is_group
from bot.render import deliver, escape
from conversations.events import Actor, Event, Media
from conversations.language import chat_translator

log = logging.getLogger("alex.bot")

MAX_DOWNLOAD_BYTES = int(FileSizeLimit.FILESIZE_DOWNLOAD)
NAME_BYTES = 24  # 192 random bits: the file name is the only access control on /media
SAFE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".mp4", ".mov", ".webm"})
DEFAULT_SUFFIX = {"photo": ".jpg", "video": ".mp4"}
MEDIA_NAME = re.compile(r"^[A-Za-z0-9_-]{32}\.(jpg|jpeg|png|webp|mp4|mov|webm)$")
MEDIA_DIR_MODE = 0o700
MEDIA_FILE_MODE = 0o600
MEDIA_KEEP_DAYS = 60  # CJ decides a dispute within days; its reviewers need the files until then


def new_media_name(kind: str, telegram_path: str | None) -> str:
    suffix = PurePosixPath(telegram_path or "").suffix.lower()
    if suffix not in SAFE_SUFFIXES:
        suffix = DEFAULT_SUFFIX[kind]
    return secrets.token_urlsafe(NAME_BYTES) + suffix


def media_path(media_dir: Path, name: str) -> Path | None:
    """The file behind a public name, or None when the name is not one Alex made."""
    if not MEDIA_NAME.match(name):
        return None
    path = media_dir / name
    return path if path.is_file() else None


def private_dir(media_dir: Path) -> Path:
    """``media_dir``, created owner-only (and tightened if an older Alex made it 0755)."""
    media_dir.mkdir(mode=MEDIA_DIR_MODE, parents=True, exist_ok=True)
    if media_dir.stat().st_mode & 0o777 != MEDIA_DIR_MODE:
        media_dir.chmod(MEDIA_DIR_MODE)
    return media_dir


def prune_media(media_dir: Path, older_than: float) -> int:
    """Delete Alex's evidence files last written before ``older_than`` (epoch seconds); how many went."""
    if not media_dir.is_dir():
        return 0
    removed = 0
    for path in media_dir.iterdir():
        if MEDIA_NAME.match(path.name) and path.is_file() and path.stat().st_mtime < older_than:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


@dataclass
class Album:
    """Items of one media group received so far."""

    actor: Actor
    caption: str = ""
    items: list[Media] = field(default_factory=list)


def _attachment(message: Message) -> tuple[str, str, str, int | None, str | None] | None:
    """(kind, file_id, file_unique_id, size, mime) of the message's photo or video."""
    if message.photo:
        best = message.photo[-1]
        return "photo", best.file_id, best.file_unique_id, best.file_size, None
    if message.video:
        return ("video", message.video.file_id, message.video.file_unique_id, message.video.file_size,
                message.video.mime_type)
    return None


async def fetch(deps: BotDeps, context: ContextTypes.DEFAULT_TYPE, message: Message) -> Media:
    """Download the message's photo or video (if there is a public URL) and describe it for the engine."""
    found = _attachment(message)
    if found is None:
        raise EvidenceError(texts.DOWNLOAD_FAILED)
    kind, file_id, unique_id, size, _ = found
    if size is not None and size > MAX_DOWNLOAD_BYTES:
        raise EvidenceError(texts.TOO_BIG)
    if deps.media_base_url is None:
        return Media(kind=kind, file_ref=unique_id, url=None, size_bytes=size)  # type: ignore[arg-type]
    try:
        tg_file = await context.bot.get_file(file_id)
        if tg_file.file_size is not None and tg_file.file_size > MAX_DOWNLOAD_BYTES:
            raise EvidenceError(texts.TOO_BIG)
        name = new_media_name(kind, tg_file.file_path)
        target = private_dir(deps.media_dir) / name
        # owner-only from the first byte; O_EXCL: a random name never overwrites anything
        try:
            with open(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, MEDIA_FILE_MODE), "wb") as out:
                await tg_file.download_to_memory(out)
        except BaseException:
            target.unlink(missing_ok=True)  # no half file left behind
            raise
    except BadRequest as exc:
        if "too big" in exc.message.lower():
            raise EvidenceError(texts.TOO_BIG) from None
        raise EvidenceError(texts.DOWNLOAD_FAILED) from None
    except TelegramError:
        raise EvidenceError(texts.DOWNLOAD_FAILED) from None
    url = f"{deps.media_base_url.rstrip('/')}/media/{name}"
    return Media(kind=kind, file_ref=name, url=url, size_bytes=target.stat().st_size)  # type: ignore[arg-type]


async def media_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = get_deps(context)
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None:
        return
    if is_group(chat) and not addressed_to_bot(message, context.bot.id):
        return
    if not can_manage_disputes(deps.settings, user.id):
        await refuse(update, context, texts.REFUSE_DISPUTES)
        return
    try:
        item = await fetch(deps, context, message)
    except EvidenceError as exc:  # its message is a bot.texts msgid
        await message.reply_text(escape(tr_of(update, deps).gettext(str(exc))))
        return
    caption = message.caption or ""
    if message.media_group_id is None:
        await converse(update, context, Event.of_media(item, caption=caption))
        return
    _collect(deps, context, actor_of(deps.settings, user, chat), message.media_group_id, item, caption)


def _collect(deps: BotDeps, context: ContextTypes.DEFAULT_TYPE, actor: Actor, group_id: str, item: Media,
             caption: str) -> None:
    """Add an album item and (re)arm the flush timer."""
    key = (actor.chat_id, actor.user_id, group_id)
    album = deps.albums.setdefault(key, Album(actor))
    album.items.append(item)
    album.caption = album.caption or caption
    job_queue = context.job_queue
    if job_queue is None:  # pragma: no cover - the application is always built with a JobQueue
        raise EvidenceError(texts.DOWNLOAD_FAILED)
    name = f"album:{actor.chat_id}:{actor.user_id}:{group_id}"
    for job in job_queue.get_jobs_by_name(name):
        job.schedule_removal()
    job_queue.run_once(flush_album, deps.album_wait, data=key, name=name, chat_id=actor.chat_id)


async def flush_album(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Hand a finished album to the engine as one event, in order with the chat's other updates."""
    deps = get_deps(context)
    job = context.job
    if job is None:
        return
    key = job.data
    album: Album | None = deps.albums.pop(key, None)  # type: ignore[arg-type]
    if album is None:
        return
    actor, caption, items = album.actor, album.caption, album.items
    async with deps.processor.serialized(actor.chat_id):
        try:
            replies = await deps.engine.handle(actor, Event.of_media(*items, caption=caption))
        except Exception:
            log.exception("album of %d item(s) in chat %s failed", len(items), actor.chat_id)
            tr = chat_translator(deps.store, actor.chat_id, actor.language_code)
            failed = tr.format(texts.FAILED, what=tr.gettext(texts.FAILED_ALBUM))
            await context.bot.send_message(actor.chat_id, escape(failed))
            return
        await deliver(context.bot, deps, actor.chat_id, replies, owner=actor.user_id)
