"""Settings: one clear line for a missing or malformed value, and `.env.example` lists every setting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from alex.settings import ConfigError, Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults_need_nothing() -> None:
    settings = load_settings()
    assert settings.cj_qps == 1.0
    assert settings.allowed_user_ids == frozenset()


def test_allowed_user_ids_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_USER_IDS", "12, 34;56")
    assert load_settings().allowed_user_ids == {12, 34, 56}


def test_env_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("CJ_QPS=4\nCJ_API_KEY=abc\n")
    settings = load_settings()
    assert settings.cj_qps == 4.0
    assert settings.cj_api_key is not None and settings.cj_api_key.get_secret_value() == "abc"


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("CJ_QPS", "fast", "CJ_QPS is malformed"),
        ("ALLOWED_USER_IDS", "bob", "ALLOWED_USER_IDS is malformed"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL is malformed"),
        ("WEBHOOK_LISTEN_PORT", "99999", "WEBHOOK_LISTEN_PORT"),
    ],
)
def test_malformed_setting_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, fragment: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = str(info.value)
    assert fragment in message and "\n" not in message and ".env" in message


def test_missing_required_setting_names_it() -> None:
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN is not set"):
        load_settings().require("telegram_bot_token")


def test_secret_is_not_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CJ_API_KEY", "super-secret-key")
    assert "super-secret-key" not in repr(load_settings())


def test_env_example_lists_every_setting() -> None:
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), flags=re.M))
    assert listed == {name.upper() for name in Settings.model_fields}
