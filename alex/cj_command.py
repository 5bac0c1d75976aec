"""``alex cj``: Alex's settings handed to :mod:`cj.cli`, which knows nothing of them (no alex↔cj cycle)."""

from __future__ import annotations

import sys

from alex.settings import ConfigError, Settings, load_settings
from cj.cli import CJCliConfig
from cj.cli import main as cj_main
from notifier.webhooks import CJ_WEBHOOK_PATH


def config_from(settings: Settings) -> CJCliConfig:
    settings.require("cj_api_key")
    assert settings.cj_api_key is not None
    webhook = settings.public_base_url.rstrip("/") + CJ_WEBHOOK_PATH if settings.public_base_url else None
    return CJCliConfig(
        api_key=settings.cj_api_key,
        db_path=settings.alex_db_path,
        base_url=settings.cj_base_url,
        qps=settings.cj_qps,
        timeout_seconds=settings.cj_timeout_seconds,
        webhook_url=webhook,
    )


def main(argv: list[str]) -> int:
    try:
        config = config_from(load_settings())
    except ConfigError as exc:
        print(f"alex: {exc}", file=sys.stderr)
        return 2
    return cj_main(argv, config)
