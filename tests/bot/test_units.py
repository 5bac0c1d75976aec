"""Pure pieces of the adapter: splitting, escaping, keyboards, deep links, redaction, tables."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alex.settings import ConfigError
from bot.application import file_base_url
from bot.logs import REDACTED, RedactingFilter
from bot.mapping import deep_link_event
from bot.media import MEDIA_NAME, media_path, new_media_name
from bot.render import fit_caption, keyboard, notice_of, split_text, utf16_len
from conversations.events import Button, Reply
from store import chats, subscriptions
from store.db import open_store


@given(st.text(alphabet=st.sampled_from(["a", "b", " ", "\n", "é", "😀", "."]), max_size=12_000))
def test_split_keeps_every_part_under_the_limit_and_loses_only_whitespace(text: str) -> None:
    parts = split_text(text)
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert "".join(parts).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")


def test_split_prefers_paragraphs() -> None:
    text = ("x" * 3000) + "\n\n" + ("y" * 3000)
    assert split_text(text) == ["x" * 3000, "y" * 3000]


def test_emoji_count_double_like_telegram() -> None:
    parts = split_text("😀" * 3000)
    assert [len(p) for p in parts] == [2048, 952]


def test_caption_fits_1024_and_rest_follows() -> None:
    caption, rest = fit_caption("word " * 400)
    assert utf16_len(caption) <= 1024 and rest and all(utf16_len(r) <= 4096 for r in rest)
    assert fit_caption("short") == ("short", [])


def test_keyboard_and_notice() -> None:
    reply = Reply(text="t", buttons=((Button(label="A", data="n:s:a"), Button(label="B", data="n:s:b")),),
                  notice="x" * 300)
    markup = keyboard(reply)
    assert markup is not None and [b.callback_data for b in markup.inline_keyboard[0]] == ["n:s:a", "n:s:b"]
    assert keyboard(Reply(text="t")) is None
    notice = notice_of([Reply(text="a"), reply])
    assert notice is not None and len(notice) == 200


@pytest.mark.parametrize(
    ("payload", "expected"),
    [("dispute_SD123", ("dispute", "SD123")), ("status_SH9", ("status", "SH9")),
     ("disputes", ("disputes", "")), ("help", ("help", "")), ("", None), ("evil_x", None)],
)
def test_deep_links(payload: str, expected: tuple[str, str] | None) -> None:
    event = deep_link_event(payload)
    assert (None if event is None else (event.command, event.args)) == expected


def test_file_base_url() -> None:
    assert file_base_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_base_url("http://127.0.0.1:8081/bot/") == "http://127.0.0.1:8081/file/bot"
    with pytest.raises(ConfigError):
        file_base_url("https://api.telegram.org/")


def test_redacting_filter_cleans_messages_and_tracebacks() -> None:
    token = "123456:SECRET-token-value"
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "GET /bot%s/getMe", (token,), None)
    try:
        raise RuntimeError(f"boom at https://api.telegram.org/bot{token}/sendMessage")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    RedactingFilter([token]).filter(record)
    assert token not in record.getMessage() and REDACTED in record.getMessage()
    assert record.exc_text is not None and token not in record.exc_text


def test_media_names_are_unguessable_and_checked(tmp_path: Path) -> None:
    names = {new_media_name("photo", "photos/file_1.jpg") for _ in range(100)}
    assert len(names) == 100 and all(MEDIA_NAME.match(n) for n in names)
    assert new_media_name("video", "videos/x.exe").endswith(".mp4")
    name = names.pop()
    (tmp_path / name).write_bytes(b"x")
    assert media_path(tmp_path, name) == tmp_path / name
    assert media_path(tmp_path, "../" + name) is None
    assert media_path(tmp_path, "A" * 32 + ".jpg") is None


def test_subscriptions_table(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.sqlite3")
    assert subscriptions.subscribe(store, -1, title="Team", user_id=7, now=1.0)
    assert not subscriptions.subscribe(store, -1, title="Team 2", user_id=8, now=2.0)
    assert subscriptions.list_subscriptions(store)[0].title == "Team 2"
    assert subscriptions.migrate(store, -1, -1001)
    assert not subscriptions.migrate(store, -1, -1001)
    assert [s.chat_id for s in subscriptions.list_subscriptions(store)] == [-1001]
    subscriptions.subscribe(store, -2, title=None, user_id=None)
    assert subscriptions.migrate(store, -2, -1001)  # target already subscribed: the old row just goes
    assert [s.chat_id for s in subscriptions.list_subscriptions(store)] == [-1001]
    assert subscriptions.unsubscribe(store, -1001) and not subscriptions.unsubscribe(store, -1001)
    store.close()


def test_chat_status_table(tmp_path: Path) -> None:
    store = open_store(tmp_path / "c.sqlite3")
    assert not chats.is_blocked(store, 5) and chats.get_status(store, 5) is None
    chats.set_blocked(store, 5, now=1.0)
    assert chats.is_blocked(store, 5)
    chats.set_blocked(store, 5, False)
    assert not chats.is_blocked(store, 5)
    chats.set_migrated(store, -1, -100)
    chats.set_migrated(store, -100, -200)
    assert chats.resolve(store, -1) == -200 and chats.resolve(store, 9) == 9
    status = chats.get_status(store, -1)
    assert status is not None and status.migrated_to == -100 and not status.blocked
    store.close()
