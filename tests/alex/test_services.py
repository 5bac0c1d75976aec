"""One wiring for every command: ``alex run``, ``alex demo`` and ``alex check`` all go through
``alex.services.build_services`` (no command builds its own store, CJ client or engine)."""

from __future__ import annotations

import argparse
import asyncio
import io
from pathlib import Path

import pytest

from alex import services as services_module
from alex.services import build_services
from alex.settings import Settings, load_settings
from cj.sandbox import SandboxConfig, SandboxServer


class Built(Exception):
    """Raised by the spy: the command reached build_services with these settings."""

    def __init__(self, settings: Settings) -> None:
        super().__init__("built")
        self.settings = settings


def _spy(settings: Settings, **kwargs: object) -> services_module.Services:
    raise Built(settings)


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.chdir(tmp_path)
    return load_settings(telegram_bot_token="1:abcdef", cj_api_key="key", alex_db_path=tmp_path / "a.db")


def test_run_demo_and_check_use_build_services(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from alex import check, demo
    from bot import run

    monkeypatch.setattr(services_module, "build_services", _spy)
    with pytest.raises(Built) as built:
        asyncio.run(run.serve(settings, webhook=False))
    assert built.value.settings is settings
    with pytest.raises(Built):
        asyncio.run(check.check(settings, lambda *a: None))
    args = argparse.Namespace(qps=20.0, resolve_after=600.0, db=None, lang=None)
    with pytest.raises(Built) as built:
        asyncio.run(demo._run(args, io.StringIO(""), io.StringIO(), False))
    assert built.value.settings.cj_api_key.get_secret_value() == demo.DEMO_API_KEY


async def test_services_answer_from_the_sandbox(settings: Settings) -> None:
    config = SandboxConfig(api_key="sandbox-key", admin=True)
    async with SandboxServer(config) as server:
        wired = settings.model_copy(update={"cj_base_url": server.base_url,
                                            "cj_api_key": load_settings(cj_api_key="sandbox-key").cj_api_key})
        async with build_services(wired, faq="skip") as services:
            assert services.matcher is None and services.engine is not None
            token = await services.cj.get_access_token()
            assert token.accessToken
