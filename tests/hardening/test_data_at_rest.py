"""Data at rest (issue 12 item 6): evidence files owner-only, expired drafts and old evidence
removed while the bot runs, and CJ's webhook signing key (the openId) never stored with the
webhook bodies, including rows written by an older Alex (migration 3).

Through the public surfaces: the real Application long polling the fake Bot API (evidence is
downloaded over HTTP from it), the real engine against the CJ sandbox, SQLite files on disk.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import stat
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.application import build_application
from bot.maintenance import schedule_maintenance
from cj.sandbox import SandboxServer
from notifier.clock import FakeClock
from notifier.suggestions import WebhookWorker
from notifier.webhooks import WebhookReceiver, sign
from store import open_store, outbox, subscriptions
from store.conversations import ConversationStore
from store.migrations import MIGRATIONS
from tests.bot.conftest import OWNER, Matcher, ScriptedEngine, start_polling, stop_polling
from tests.fakes.telegram_api import FakeTelegramServer
from tests.hardening.botworld import bot_world
from tests.hardening.conftest import report
from tests.hardening.test_webhook_security import OPEN_ID, _logistic

DAY = 86_400


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
async def webhook_mode_bot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple]:  # type: ignore[type-arg]
    """The real Application with a public media URL (evidence is downloaded), long polling."""
    from alex.settings import load_settings

    monkeypatch.chdir(tmp_path)
    store = open_store(tmp_path / "alex.sqlite3")
    engine = ScriptedEngine()
    async with FakeTelegramServer() as tg:
        settings = load_settings(
            telegram_bot_token=tg.token,
            telegram_api_base_url=tg.base_url,
            allowed_user_ids=str(OWNER),
            alex_db_path=tmp_path / "alex.sqlite3",
            media_dir=tmp_path / "media",
        )
        app = build_application(settings, engine, Matcher(), store,  # type: ignore[arg-type]
                                media_base_url="https://alex.example.com")
        await start_polling(app)
        try:
            yield tg, engine, settings.media_dir
        finally:
            await stop_polling(app)
    store.close()


async def test_evidence_files_are_owner_only(webhook_mode_bot: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    tg, engine, media_dir = webhook_mode_bot
    media_dir.mkdir(mode=0o755)
    os.chmod(media_dir, 0o755)  # as an older Alex left it
    tg.push_update(tg.photo_update(OWNER, OWNER, tg.add_file(b"\xff\xd8jpeg-bytes"), caption="dented"))
    await tg.wait_for("sendMessage", chat_id=OWNER)
    [(_, event)] = engine.events
    path = media_dir / event.media[0].file_ref
    report("evidence file modes", file=oct(_mode(path)), folder=oct(_mode(media_dir)))
    assert path.read_bytes() == b"\xff\xd8jpeg-bytes"
    assert _mode(path) == 0o600
    assert _mode(media_dir) == 0o700


async def test_maintenance_drops_expired_drafts_and_old_evidence(
    sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    async with bot_world(sandbox, tmp_path) as world:
        mark = world.tg.mark()
        world.tg.push_update(world.tg.text_update(OWNER, OWNER, "/dispute SD2510031452310001"))
        await world.tg.wait_for("sendMessage", chat_id=OWNER, after=mark)
        drafts = ConversationStore(world.store)
        assert drafts.count() == 1
        # 49 hours pass for the draft (DRAFT_TTL_HOURS is 48)
        world.store.conn.execute("UPDATE conversations SET updated_at = updated_at - ?", (49 * 3600,))
        media = world.settings.media_dir
        media.mkdir(parents=True, exist_ok=True)
        old, fresh, foreign = media / ("A" * 32 + ".jpg"), media / ("B" * 32 + ".mp4"), media / "notes.txt"
        for path in (old, fresh, foreign):
            path.write_bytes(b"x")
        long_ago = time.time() - 61 * DAY
        os.utime(old, (long_ago, long_ago))
        os.utime(foreign, (long_ago, long_ago))

        mark = world.tg.mark()
        schedule_maintenance(world.app.job_queue, world.engine, media, interval=3600, first=0.05)
        note = await world.tg.wait_for("sendMessage", chat_id=OWNER, after=mark)
        for _ in range(100):  # the job deletes files right after sending the note
            if not old.exists():
                break
            await asyncio.sleep(0.01)
        report("maintenance", drafts_left=drafts.count(), old_evidence_left=old.exists(),
               fresh_evidence_left=fresh.exists())
        assert "has expired" in (note.text or "")
        assert drafts.count() == 0
        assert not old.exists() and fresh.exists() and foreign.exists()


def test_webhook_bodies_are_stored_without_the_open_id(tmp_path: Path) -> None:
    store = open_store(tmp_path / "alex.sqlite3")
    subscriptions.subscribe(store, -4001, title="team", user_id=OWNER, now=0)
    clock = FakeClock()
    receiver = WebhookReceiver(store=store, open_ids=lambda: [OPEN_ID], clock=clock)
    body = _logistic("m-1")
    assert receiver.receive(body, sign(body, OPEN_ID)).queued
    stored = "\n".join(str(row) for row in store.conn.execute("SELECT * FROM webhook_messages"))
    processed = WebhookWorker(store=store, groups=lambda: [-4001], clock=clock).process_pending()
    report("webhook_messages", open_id_stored=OPEN_ID in stored, processed=processed)
    assert OPEN_ID not in stored
    assert "SD2509051203380006" in stored  # the order data is kept
    assert processed == 1 and outbox.counts(store).pending == 1  # processing does not need it
    store.close()


def test_migration_3_removes_the_open_id_from_rows_stored_before(tmp_path: Path) -> None:
    path = tmp_path / "alex.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:2]:  # a database as Alex left it before this change
        for statement in step.statements:
            conn.execute(statement)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at REAL)")
    conn.executemany("INSERT INTO schema_migrations VALUES (?, ?, 0)", [(1, "initial"), (2, "notifier")])
    rows = [("m-1", _logistic("m-1").decode()), ("m-2", json.dumps({"messageId": "m-2", "type": "ORDER"})),
            ("m-3", "not json")]
    conn.executemany(
        "INSERT INTO webhook_messages (message_id, type, received_at, payload_json) VALUES (?, 'X', 0, ?)",
        rows,
    )
    conn.close()
    store = open_store(path)
    kept = dict(store.conn.execute("SELECT message_id, payload_json FROM webhook_messages").fetchall())
    store.close()
    assert OPEN_ID not in kept["m-1"] and json.loads(kept["m-1"])["params"]["orderId"] == "SD2509051203380006"
    assert kept["m-2"] == rows[1][1] and kept["m-3"] == "not json"
