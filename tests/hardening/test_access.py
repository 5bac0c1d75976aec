"""Strangers and non-admins: every way in is refused, and each refusal is proven.

Over the whole bot (fake Bot API → Application → Engine → CJ client → sandbox). A stranger
(not on ALLOWED_USER_IDS) tries every command, free-text request, forged button, a
teammate's live button and evidence; a team member who is not a group admin, and a group admin
who is not on the team, try to (un)subscribe a group. Proof for each: a refusal is shown, CJ's
dispute and order endpoints are not called, no dispute data is shown, nothing changes in
the sandbox or the database.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cj.sandbox import SandboxServer
from store import subscriptions
from store.conversations import ConversationStore
from tests.bot.test_end_to_end import TelegramChat
from tests.hardening.botworld import GROUP, OWNER, STRANGER, TEAMMATE, BotWorld, bot_world, cj_calls
from tests.hardening.conftest import report

OPEN_WEB = "SH1990300112233445566"
REFUNDED = "SH1990300112233445567"
DELIVERED_FR = "SD2510031452310001"
LEAKS = (
    "Refunded",
    "refund of $",
    "Bamboo",
    "Dripper",
    "SHOP-10",
    "CJPKL",
    "11.90",
    "Sandbox Seller",
    "Decision:",
)
STRANGER_TEXTS = [
    f"/dispute {DELIVERED_FR}",
    "/dispute",
    f"/close {OPEN_WEB}",
    "/close",
    "/disputes",
    f"/status {REFUNDED}",
    f"/start dispute_{DELIVERED_FR}",
    f"/start status_{REFUNDED}",
    f"/start close_{OPEN_WEB}",
    f"open a dispute for {DELIVERED_FR}",
    f"status {REFUNDED}",
    f"close {OPEN_WEB}",
    "my disputes",
    f"/dispute@alex_test_bot {DELIVERED_FR}",
    "/DISPUTES",
    "/cancel",
]
FORGED_BUTTONS = [
    f"st:{REFUNDED}",
    "pg:1",
    "pg:2",
    f"go:close:{OPEN_WEB}",
    f"go:dispute:{DELIVERED_FR}",
    "go:disputes",
    f"go:status:{REFUNDED}",
    "~cmd:dispute",
    "~cmd:disputes",
]


@pytest.fixture
async def world(sandbox: SandboxServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(tmp_path)
    async with bot_world(sandbox, tmp_path) as w:
        yield w


def _shown(chat: TelegramChat, text: str) -> str:
    toasts = " ".join(
        c.params.get("text", "") for c in getattr(chat, "last_calls", []) if c.method == "answerCallbackQuery"
    )
    return f"{text} {toasts}"


async def test_a_stranger_cannot_open_close_or_read_disputes(world: BotWorld) -> None:
    owner = TelegramChat(world.tg, OWNER)
    await owner.send(f"/dispute {DELIVERED_FR}")  # the owner's live draft, with buttons on screen
    _, owner_buttons = owner.keyboard()
    owner_row = ConversationStore(world.store).load(OWNER, OWNER)
    disputes_before = world.sandbox.snapshot()["disputes"]
    calls_before = cj_calls(world.sandbox)

    stranger = TelegramChat(world.tg, STRANGER)
    refusals = 0
    for text in STRANGER_TEXTS:
        shown = await stranger.send(text)
        assert not any(leak in shown for leak in LEAKS), (text, shown)
        assert shown.strip(), text  # always an answer
        refusals += 1
    # forged buttons in the stranger's own chat, and the owner's real buttons replayed by the stranger
    stranger.tg.push_update(stranger.tg.text_update(STRANGER, STRANGER, "/start"))  # a message to press on
    await stranger.tg.wait_for("sendMessage", chat_id=STRANGER, predicate=lambda c: bool(c.buttons))
    for data in [*FORGED_BUTTONS, *(b["callback_data"] for b in owner_buttons)]:
        shown = _shown(stranger, await stranger.press("", data=data))
        assert not any(leak in shown for leak in LEAKS), (data, shown)
        refusals += 1
    photo = world.tg.add_file(b"\xff\xd8stranger")
    world.tg.push_update(world.tg.photo_update(STRANGER, STRANGER, photo))
    await stranger.send("/help")
    assert world.engine is not None

    report("stranger refusals", attempts=refusals, cj_dispute_calls=cj_calls(world.sandbox) - calls_before)
    assert cj_calls(world.sandbox) == calls_before  # CJ never asked on a stranger's behalf
    assert world.sandbox.snapshot()["disputes"] == disputes_before
    assert ConversationStore(world.store).load(OWNER, OWNER) == owner_row  # owner's draft untouched
    assert ConversationStore(world.store).load(STRANGER, STRANGER) is None


async def test_refusals_say_why(world: BotWorld) -> None:
    stranger = TelegramChat(world.tg, STRANGER)
    for text in (f"/dispute {DELIVERED_FR}", f"/status {REFUNDED}", "/disputes", f"/close {OPEN_WEB}"):
        shown = await stranger.send(text)
        assert str(STRANGER) in shown or "team" in shown.lower() or "only" in shown.lower(), shown


async def test_group_subscription_needs_a_team_admin(world: BotWorld) -> None:
    tg = world.tg
    tg.set_member_status(GROUP, OWNER, "administrator")
    tg.set_member_status(GROUP, TEAMMATE, "member")
    tg.set_member_status(GROUP, STRANGER, "creator")
    attempts = 0
    for user, command in (
        (TEAMMATE, "/subscribe"),
        (STRANGER, "/subscribe"),
        (STRANGER, f"/subscribe@{tg.bot_username}"),
        (TEAMMATE, "/unsubscribe"),
    ):
        mark = tg.mark()
        tg.push_update(tg.text_update(GROUP, user, command))
        refused = await tg.wait_for("sendMessage", chat_id=GROUP, after=mark)
        assert "admins" in (refused.text or ""), refused.text
        attempts += 1
    assert not subscriptions.is_subscribed(world.store, GROUP)
    mark = tg.mark()
    tg.push_update(tg.text_update(GROUP, OWNER, "/subscribe"))
    await tg.wait_for("sendMessage", chat_id=GROUP, after=mark)
    assert subscriptions.is_subscribed(world.store, GROUP)
    for user in (STRANGER, TEAMMATE):  # nobody else can switch it off
        mark = tg.mark()
        tg.push_update(tg.text_update(GROUP, user, "/unsubscribe"))
        await tg.wait_for("sendMessage", chat_id=GROUP, after=mark)
        attempts += 1
    report("group subscription refusals", attempts=attempts)
    assert subscriptions.is_subscribed(world.store, GROUP)


async def test_a_stranger_in_a_team_group_cannot_use_disputes(world: BotWorld) -> None:
    tg = world.tg
    calls_before = cj_calls(world.sandbox)
    for text in (
        f"/dispute {DELIVERED_FR}",
        f"/status {REFUNDED}",
        "/disputes",
        f"/close@{tg.bot_username} {OPEN_WEB}",
    ):
        mark = tg.mark()
        tg.push_update(tg.text_update(GROUP, STRANGER, text))
        sent = await tg.wait_for("sendMessage", chat_id=GROUP, after=mark)
        assert not any(leak in (sent.text or "") for leak in LEAKS), sent.text
    assert cj_calls(world.sandbox) == calls_before
