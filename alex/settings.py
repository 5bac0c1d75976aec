"""Every setting Alex reads, in one pydantic-settings model.

Values come from the environment, then from ``.env`` in the working directory.
Commands ask only for what they use (``require``), so ``alex faq`` runs with no
configuration at all while ``alex run`` insists on a bot token.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

CJ_PRODUCTION_BASE_URL = "https://developers.cjdropshipping.com/api2.0/v1/"
TELEGRAM_DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DB_PATH = Path("var/alex.sqlite3")


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line saying which and how to fix it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # CJ
    cj_api_key: SecretStr | None = None
    cj_base_url: str = CJ_PRODUCTION_BASE_URL
    cj_qps: float = Field(default=1.0, gt=0, le=50)
    cj_timeout_seconds: float = Field(default=15.0, gt=0, le=120)

    # Storage
    alex_db_path: Path = DEFAULT_DB_PATH

    # Telegram
    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = TELEGRAM_DEFAULT_BASE_URL
    allowed_user_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    faq_open_to_all: bool = True
    # How long to wait for Telegram's answer to a request already sent. A send that times out is
    # retried and may then show twice, so this is far above Telegram's usual latency (< 1 s; a few
    # seconds under load), not PTB's 5 s default.
    telegram_read_timeout_seconds: float = Field(default=30.0, gt=0, le=300)
    # Connecting sends nothing yet, so a short timeout is safe: the request is simply retried.
    telegram_connect_timeout_seconds: float = Field(default=10.0, gt=0, le=120)

    # Webhook mode
    public_base_url: str | None = None
    webhook_secret_token: SecretStr | None = None
    webhook_listen_host: str = "127.0.0.1"
    webhook_listen_port: int = Field(default=8080, ge=1, le=65535)
    media_dir: Path = Path("var/media")

    # Behaviour
    draft_ttl_hours: float = Field(default=48.0, gt=0)
    poll_interval_seconds: float = Field(default=300.0, ge=5)
    log_level: str = "INFO"

    @field_validator("allowed_user_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError as exc:
                raise ValueError("must be Telegram user ids (numbers) separated by commas") from exc
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return level

    def require(self, *names: str) -> None:
        """Fail with one clear line when a setting this command needs is empty."""
        for name in names:
            value = getattr(self, name)
            if value is None or (isinstance(value, SecretStr) and not value.get_secret_value().strip()):
                raise ConfigError(
                    f"{name.upper()} is not set: add it to .env or the environment (see .env.example)"
                )


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning pydantic's report into one line per command start-up."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "a setting"
        raise ConfigError(
            f"{name} is malformed: {first['msg']} (fix it in .env or the environment; see .env.example)"
        ) from None
