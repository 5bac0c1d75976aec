"""Team groups, inline mode and evidence in polling mode (no public URL), over HTTP."""

from __future__ import annotations

from telegram.ext import Application

from conversations.events import EventKind
from store import chats, subscriptions
from store.db import Store
from tests.bot.conftest import GROUP, OWNER, STRANGER, TEAMMATE, ScriptedEngine
from tests.fakes.telegram_api import FakeTelegramServer


async def test_subscribe_needs_a_team_admin(
    tg: FakeTelegramServer, bot: Application, store: Store  # type: ignore[type-arg]
) -> None:
    tg.set_member_status(GROUP, OWNER, "administrator")
    tg.set_member_status(GROUP, STRANGER, "creator")
    tg.push_update(tg.text_update(GROUP, TEAMMATE, "/subscribe"))  # on the team, not an admin
    refused = await tg.wait_for("sendMessage", chat_id=GROUP)
    assert "admins" in refused.text
    mark = tg.mark()
    tg.push_update(tg.text_update(GROUP, STRANGER, "/subscribe"))  # an admin, not on the team
    await tg.wait_for("sendMessage", chat_id=GROUP, after=mark)
    assert not subscriptions.is_subscribed(store, GROUP)
    mark = tg.mark()
    tg.push_update(tg.text_update(GROUP, OWNER, f"/subscribe@{tg.bot_username}"))
    ok = await tg.wait_for("sendMessage", chat_id=GROUP, after=mark)
    assert "now gets dispute status updates" in ok.text
    assert [s.chat_id for s in subscriptions.list_subscriptions(store)] == [GROUP]
    assert tg.calls_of("getChatMember")[-1].params == {"chat_id": GROUP, "user_id": OWNER}
    mark = tg.mark()
    tg.push_update(tg.text_update(GROUP, OWNER, "/unsubscribe"))
    await tg.wait_for("sendMessage", chat_id=GROUP, after=mark)
    assert not subscriptions.is_subscribed(store, GROUP)


async def test_subscribe_in_private_chat_explains(
    tg: FakeTelegramServer, bot: Application  # type: ignore[type-arg]
) -> None:
    tg.push_update(tg.text_update(OWNER, OWNER, "/subscribe"))
    sent = await tg.wait_for("sendMessage", chat_id=OWNER)
    assert "team group" in sent.text


async def test_group_migration_keeps_subscription(
    tg: FakeTelegramServer, bot: Application, store: Store  # type: ignore[type-arg]
) -> None:
    subscriptions.subscribe(store, GROUP, title="Team", user_id=OWNER)
    supergroup = -1001234567890
    tg.push_update(tg.migrate_update(GROUP, supergroup, OWNER))
    tg.push_update(tg.text_update(supergroup, OWNER, "/disputes"))  # proves the migration was handled
    await tg.wait_for("sendMessage", chat_id=supergroup)
    assert [s.chat_id for s in subscriptions.list_subscriptions(store)] == [supergroup]
    assert chats.resolve(store, GROUP) == supergroup


async def test_reply_to_bot_in_group_reaches_engine(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    tg.push_update(tg.text_update(GROUP, OWNER, "/dispute"))
    await tg.wait_for("sendMessage", chat_id=GROUP)
    bot_message = next(m for (chat, _), m in tg._state.messages.items() if chat == GROUP)
    mark = tg.mark()
    tg.push_update(tg.text_update(GROUP, OWNER, "SD12345678", reply_to_message=bot_message))
    await tg.wait_for("sendMessage", chat_id=GROUP, after=mark)
    assert [e.text for _, e in engine.events if e.kind is EventKind.TEXT] == ["SD12345678"]


async def test_inline_query_returns_up_to_five_faq_answers(
    tg: FakeTelegramServer, bot: Application  # type: ignore[type-arg]
) -> None:
    tg.push_update(tg.inline_update(STRANGER, "refund"))
    call = await tg.wait_for("answerInlineQuery")
    results = call.params["results"]
    assert 1 <= len(results) <= 5
    assert results[0]["type"] == "article" and results[0]["id"] == "refund-time"
    assert "3-7 days" in results[0]["input_message_content"]["message_text"]
    assert results[0]["input_message_content"]["parse_mode"] == "HTML"


async def test_inline_query_for_stranger_when_faq_closed(
    tg: FakeTelegramServer, bot: Application  # type: ignore[type-arg]
) -> None:
    deps = bot.bot_data["alex"]
    deps.settings = deps.settings.model_copy(update={"faq_open_to_all": False})
    tg.push_update(tg.inline_update(STRANGER, "refund"))
    call = await tg.wait_for("answerInlineQuery")
    assert call.params["results"] == [] and call.params["button"]["start_parameter"] == "help"


async def test_photo_without_public_url_is_not_downloaded(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    photo = tg.add_file(b"\xff\xd8jpeg-bytes")
    tg.push_update(tg.photo_update(OWNER, OWNER, photo, caption="broken box"))
    await tg.wait_for("sendMessage", chat_id=OWNER)
    event = engine.events[0][1]
    assert event.kind is EventKind.MEDIA and event.text == "broken box"
    assert event.media[0].url is None and event.media[0].kind == "photo"
    assert not tg.calls_of("getFile")


async def test_album_is_one_event(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    files = [tg.add_file(b"a"), tg.add_file(b"b"), tg.add_file(b"c", extension="mp4")]
    tg.push_update(tg.photo_update(OWNER, OWNER, files[0], media_group_id="album1", caption="damage"))
    tg.push_update(tg.photo_update(OWNER, OWNER, files[1], media_group_id="album1"))
    tg.push_update(tg.video_update(OWNER, OWNER, files[2], media_group_id="album1"))
    sent = await tg.wait_for("sendMessage", chat_id=OWNER)
    assert sent.text == "got 3 file(s)"
    media_events = [e for _, e in engine.events if e.kind is EventKind.MEDIA]
    assert len(media_events) == 1 and media_events[0].text == "damage"
    assert [m.kind for m in media_events[0].media] == ["photo", "photo", "video"]


async def test_file_over_20_mb_is_refused_before_download(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    huge = tg.add_file(b"x", reported_size=25 * 1024 * 1024)
    tg.push_update(tg.video_update(OWNER, OWNER, huge))
    sent = await tg.wait_for("sendMessage", chat_id=OWNER)
    assert "20 MB" in sent.text
    assert engine.events == []


async def test_stranger_media_is_refused(
    tg: FakeTelegramServer, bot: Application, engine: ScriptedEngine  # type: ignore[type-arg]
) -> None:
    tg.push_update(tg.photo_update(STRANGER, STRANGER, tg.add_file(b"p")))
    sent = await tg.wait_for("sendMessage", chat_id=STRANGER)
    assert "team" in sent.text and engine.events == []


async def test_bot_removed_from_group_is_recorded(
    tg: FakeTelegramServer, bot: Application, store: Store  # type: ignore[type-arg]
) -> None:
    change = {
        "my_chat_member": {
            "chat": tg.chat(GROUP), "from": tg.user(OWNER), "date": 1,
            "old_chat_member": {"status": "member", "user": tg.bot_user},
            "new_chat_member": {"status": "left", "user": tg.bot_user},
        }
    }
    tg.push_update(change)
    tg.push_update(tg.text_update(GROUP, OWNER, "/disputes"))  # handled after the membership change
    await tg.wait_for("sendMessage", chat_id=GROUP)
    assert chats.is_blocked(store, GROUP)


async def test_subscribe_says_when_admin_rights_could_not_be_checked(
    tg: FakeTelegramServer, bot: Application, store: Store  # type: ignore[type-arg]
) -> None:
    """getChatMember failing is neither "talking to Telegram failed" nor about a draft (there is none)."""
    tg.set_member_status(GROUP, OWNER, "administrator")
    tg.fail_next("getChatMember", 400, "Bad Request: member list is inaccessible")
    tg.push_update(tg.text_update(GROUP, OWNER, "/subscribe"))
    refused = await tg.wait_for("sendMessage", chat_id=GROUP)
    assert "could not check" in refused.text and "admin" in refused.text
    assert "member list is inaccessible" in refused.text.lower()  # why: Telegram's own words
    assert "draft" not in refused.text and "in a minute" not in refused.text  # a 400 does not pass
    assert not subscriptions.is_subscribed(store, GROUP)

    mark = tg.mark()
    tg.fail_next("getChatMember", 502, "Bad Gateway")
    tg.push_update(tg.text_update(GROUP, OWNER, "/unsubscribe"))
    refused = await tg.wait_for("sendMessage", chat_id=GROUP, after=mark)
    assert "could not check" in refused.text and "draft" not in refused.text
    assert "try again" in refused.text  # a server error may pass
