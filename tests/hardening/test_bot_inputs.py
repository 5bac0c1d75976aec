"""Hostile input through the real Telegram path: oversized, empty, binary-ish and unicode-heavy
text, forged callback data, odd media and commands, sent as Bot API updates over HTTP.

Checked for each: the bot answers (a message, or the pressed button's toast), no handler fails
(no ERROR record from the adapter's error handler), every button press is answered (no spinner
left), every message sent fits Telegram's limits, and the seller's draft survives the noise.
"""

from __future__ import annotations

import logging
import random
from pathlib import Path
from typing import Any

import pytest

from cj.sandbox import SandboxServer
from store.conversations import ConversationStore
from tests.bot.test_end_to_end import TelegramChat
from tests.hardening.botworld import OWNER, STRANGER, BotWorld, bot_world
from tests.hardening.conftest import report

TEXTS = [
    "x" * 4096,
    "🧨" * 2000,
    "\u200b" * 3000,
    "\u202e" + "SD2510031452310001" * 100,
    "a\u0301" * 2000,
    "\x00\x01\x02\x7f\x1b[31m",
    "".join(chr(c) for c in range(0x80, 0x800, 3)),
    "<b>&amp;</b>" * 300,
    "*_`[" * 500,
    "/",
    "//",
    "/ dispute",
    "/dispute " + "9" * 4000,
    "/status " + "SH" * 2000,
    "/start " + "x" * 64,
    "/start dispute_" + "Z" * 60,
    "/close ../../etc",
    "/disputes 1 2 3",
    "\n" * 100,
    " ",
    "​",
    "open a dispute for " + "SD" * 1000,
    "status SH" + "1" * 500,
]
CALLBACKS = [
    "",
    ":",
    "::",
    "x" * 64,
    "é" * 32,
    "🧨" * 16,
    "\x00" * 64,
    "st:" + "S" * 61,
    "pg:-1",
    "pg:" + "9" * 61,
    "go:" + "close:" * 10,
    "faq:" + "z" * 60,
    "~cmd:",
    "~cmd:" + "dispute" * 8,
    "~cmd:unknown",
    "a:b:c:d:e:f",
]


@pytest.fixture
async def world(sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(tmp_path)
    async with bot_world(sandbox, tmp_path) as w:
        yield w


def _failures(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def test_hostile_text_commands_and_buttons_are_answered(
    world: BotWorld, caplog: pytest.LogCaptureFixture
) -> None:
    await _hostile(world, caplog, users=(OWNER,), random_presses=4)


@pytest.mark.slow
async def test_hostile_input_full(world: BotWorld, caplog: pytest.LogCaptureFixture) -> None:
    await _hostile(world, caplog, users=(OWNER, STRANGER), random_presses=100)


async def _hostile(
    world: BotWorld, caplog: pytest.LogCaptureFixture, users: tuple[int, ...], random_presses: int
) -> None:
    caplog.set_level(logging.INFO)
    rng = random.Random(3)
    owner = TelegramChat(world.tg, OWNER)
    await owner.send("/dispute SD2510031452310001")
    draft = ConversationStore(world.store).load(OWNER, OWNER)
    tried = 0
    for user in users:
        chat = TelegramChat(world.tg, user)
        for text in TEXTS:
            await chat.send(text)  # _turn waits until the update was fully handled
            tried += 1
        world.tg.push_update(world.tg.text_update(user, user, "/start"))
        await world.tg.wait_for("sendMessage", chat_id=user, predicate=lambda c: bool(c.buttons))
        for data in [
            *CALLBACKS,
            *(
                "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(rng.randint(1, 20)))
                for _ in range(random_presses)
            ),
        ]:
            mark = world.tg.mark()
            await chat.press("", data=data)
            tried += 1
            answers = [c for c in world.tg.calls[mark:] if c.method == "answerCallbackQuery"]
            assert answers, f"press {data!r} left a spinner"
        for message_id in (0, 999_999, -1):  # presses on messages that do not exist
            await chat.press("", data="st:SH1990300112233445567", message_id=message_id)
            tried += 1
    # photos and videos: absurd reported sizes, huge captions, outside and inside a flow
    for size in (50 * 1024 * 1024, 2**40):
        file = world.tg.add_file(b"\xff\xd8x", reported_size=size)
        mark = world.tg.mark()
        world.tg.push_update(world.tg.photo_update(STRANGER, STRANGER, file, caption="c" * 1024))
        await TelegramChat(world.tg, STRANGER).send("/help")
        tried += 1
        assert world.tg.calls[mark:]
    sent = world.tg.calls_of("sendMessage") + world.tg.calls_of("editMessageText")
    too_long = [c for c in sent if len(c.text or "") > 4096]
    report(
        "hostile Telegram input",
        inputs=tried,
        handler_failures=len(_failures(caplog)),
        messages_sent=len(sent),
        over_4096=len(too_long),
    )
    assert _failures(caplog) == []
    assert too_long == []
    assert all((c.text or "").strip() for c in sent)
    assert ConversationStore(world.store).load(OWNER, OWNER) is not None
    assert draft is not None


async def test_owner_flow_still_works_after_the_noise(world: BotWorld) -> None:
    owner = TelegramChat(world.tg, OWNER)
    for text in TEXTS[:6]:
        await owner.send(text)
    text = await owner.send("/dispute SD2510051030220002")
    assert "which items" in text
