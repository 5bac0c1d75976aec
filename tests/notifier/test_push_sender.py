"""The python-telegram-bot Sender against the fake Bot API: HTML-safe text, buttons, photos, errors mapped."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from bot.push_sender import TelegramPushSender
from notifier import errors
from notifier.sender import PushButton, PushMessage
from tests.fakes.telegram_api import DEFAULT_TOKEN, FakeTelegramServer


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer() as server:
        yield server


@pytest.fixture
async def push(tg: FakeTelegramServer) -> AsyncIterator[TelegramPushSender]:
    bot = Bot(DEFAULT_TOKEN, base_url=tg.base_url, base_file_url=tg.base_file_url)
    async with bot:
        yield TelegramPushSender(bot)


async def test_text_is_escaped_and_buttons_arrive(tg: FakeTelegramServer, push: TelegramPushSender) -> None:
    button = PushButton(label="Open a dispute", data="go:dispute:SD1")
    await push.send(PushMessage(chat_id=-100, text="Refund < $5 & more", buttons=((button,),)))
    call = await tg.wait_for("sendMessage", chat_id=-100)
    assert call.text == "Refund &lt; $5 &amp; more" and call.params.get("parse_mode") == "HTML"
    assert call.button_data() == ["go:dispute:SD1"]


async def test_photo_goes_with_its_caption(tg: FakeTelegramServer, push: TelegramPushSender) -> None:
    await push.send(PushMessage(chat_id=-100, text="Weekly digest", photo=b"\x89PNG\r\n\x1a\nrest"))
    call = await tg.wait_for("sendPhoto", chat_id=-100)
    assert call.text == "Weekly digest"


@pytest.mark.parametrize(
    ("code", "description", "extra", "expected"),
    [
        (403, "Forbidden: bot was blocked by the user", {}, errors.ChatBlocked),
        (400, "Bad Request: chat not found", {}, errors.ChatBlocked),
        (
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            {"migrate_to_chat_id": -1009},
            errors.ChatMigrated,
        ),
        (429, "Too Many Requests: retry after 7", {"retry_after": 7}, errors.RetryLater),
        (400, "Bad Request: message is too long", {}, errors.PermanentSendError),
        (502, "Bad Gateway", {}, errors.TransientSendError),
    ],
)
async def test_errors_are_mapped(tg, push, monkeypatch, code, description, extra, expected) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # PTB 22 warns on the int form of retry_after otherwise
    tg.fail_next("sendMessage", code, description, **extra)
    with pytest.raises(expected) as info:
        await push.send(PushMessage(chat_id=-100, text="hello"))
    assert info.value.chat_id == -100
    if expected is errors.ChatMigrated:
        assert info.value.new_chat_id == -1009
    if expected is errors.RetryLater:
        assert info.value.retry_after == 7


async def test_a_bot_not_initialized_yet_is_initialized_on_first_send(tg: FakeTelegramServer) -> None:
    bot = Bot(DEFAULT_TOKEN, base_url=tg.base_url, base_file_url=tg.base_file_url)
    try:
        await TelegramPushSender(bot).send(PushMessage(chat_id=7, text="first push before the bot started"))
        assert (await tg.wait_for("sendMessage", chat_id=7)).text == "first push before the bot started"
    finally:
        await bot.shutdown()


async def test_outbox_through_ptb_follows_a_migrated_group_and_skips_a_blocked_user(
    tg: FakeTelegramServer, push: TelegramPushSender, store, clock, monkeypatch
) -> None:
    from notifier.dispatcher import OutboxDispatcher
    from store import chats, outbox, subscriptions
    from store.outbox import OutboxItem

    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    subscriptions.subscribe(store, -100, title="team", user_id=1, now=0)
    outbox.add(store, [OutboxItem(f"g{i}", -100, f"group {i}") for i in range(2)], clock())
    outbox.add(store, [OutboxItem(f"u{i}", 77, f"user {i}") for i in range(2)], clock())
    tg.fail_next(
        "sendMessage",
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        migrate_to_chat_id=-1009,
    )
    tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    tg.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    dispatcher = OutboxDispatcher(store=store, sender=push, clock=clock, sleep=clock.sleep)
    while outbox.counts(store).pending:
        await dispatcher.deliver_due()
        clock.advance(5)
    attempts = [(c.chat_id, c.text) for c in tg.calls_of("sendMessage")]  # the fake records refused calls too
    assert attempts == [
        (-100, "group 0"),  # refused: migrated
        (-1009, "group 0"),  # refused: flood control, retry after 3 s
        (77, "user 0"),  # refused: blocked; "user 1" is never tried
        (-1009, "group 0"),
        (-1009, "group 1"),
    ]
    assert [s.chat_id for s in subscriptions.list_subscriptions(store)] == [-1009]
    assert chats.is_blocked(store, 77) and outbox.counts(store).dead == 2
