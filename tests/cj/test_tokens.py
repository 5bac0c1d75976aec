"""Token manager rules on a scripted CJ: one fetch for many callers, persistence, refresh, a refused key.

The end-to-end versions against the sandbox over HTTP are in ``test_client_tokens.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cj.errors import CJAuthError
from cj.models import AccessToken
from cj.tokens import DEFAULT_REFRESH_MARGIN, TokenManager, account_id
from store import Store, open_store
from store.tokens import load_token

DAY = 86_400.0
NOW = 1_800_000_000.0


class ScriptedCJ:
    """Answers the two token endpoints; counts calls; can refuse the key or the refresh token."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.key_ok = True
        self.refresh_ok = True
        self.issued = 0
        self.lifetime = 15 * DAY

    async def __call__(self, path: str, body: dict[str, str]) -> AccessToken:
        self.calls.append(path.rsplit("/", 1)[-1])
        await asyncio.sleep(0)  # let every concurrent caller pile up behind the lock
        if path.endswith("getAccessToken") and not self.key_ok:
            raise CJAuthError("CJ authentication/getAccessToken: apiKey is wrong", code=1600005)
        if path.endswith("refreshAccessToken") and not self.refresh_ok:
            raise CJAuthError("CJ authentication/refreshAccessToken: invalid refresh token", code=1600003)
        self.issued += 1
        return AccessToken(
            openId=7,
            accessToken=f"access-{self.issued}",
            refreshToken=f"refresh-{self.issued}",
            accessTokenExpiryDate=datetime.fromtimestamp(clock.now + self.lifetime, UTC),
            refreshTokenExpiryDate=datetime.fromtimestamp(clock.now + 180 * DAY, UTC),
        )


class Clock:
    now = NOW

    def __call__(self) -> float:
        return self.now


clock = Clock()


@pytest.fixture(autouse=True)
def _reset_clock() -> None:
    clock.now = NOW


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "alex.sqlite3")
    yield opened
    opened.close()


def manager(cj: ScriptedCJ, store: Store, key: str = "the-key") -> TokenManager:
    return TokenManager(account_id(key, "http://cj.test/api2.0/v1/"), key, call=cj, store=store, clock=clock)


async def test_a_hundred_concurrent_first_calls_fetch_once(store: Store) -> None:
    cj = ScriptedCJ()
    tokens = manager(cj, store)
    got = await asyncio.gather(*(tokens.token() for _ in range(100)))
    assert set(got) == {"access-1"} and cj.calls == ["getAccessToken"]


async def test_tokens_survive_a_restart_and_the_key_is_not_stored(store: Store, tmp_path: Path) -> None:
    cj = ScriptedCJ()
    assert await manager(cj, store).token() == "access-1"
    reopened = open_store(tmp_path / "alex.sqlite3")
    try:
        assert await manager(cj, reopened).token() == "access-1"
    finally:
        reopened.close()
    assert cj.calls == ["getAccessToken"]
    dump = "\n".join(store.conn.iterdump())
    assert "the-key" not in dump


async def test_refreshes_when_less_than_a_day_is_left(store: Store) -> None:
    cj = ScriptedCJ()
    tokens = manager(cj, store)
    await tokens.token()
    clock.now += 15 * DAY - DEFAULT_REFRESH_MARGIN + 1
    assert await tokens.token() == "access-2"
    assert cj.calls == ["getAccessToken", "refreshAccessToken"]
    record = load_token(store, tokens.account)
    assert record is not None and record.refresh_token == "refresh-2"


async def test_short_lived_tokens_are_not_refreshed_on_every_call(store: Store) -> None:
    cj = ScriptedCJ()
    cj.lifetime = 600.0
    tokens = manager(cj, store)
    await tokens.token()
    clock.now += 500
    await tokens.token()
    assert cj.calls == ["getAccessToken"]
    clock.now += 50  # within the last tenth of its life
    assert await tokens.token() == "access-2"


async def test_refused_refresh_falls_back_to_a_new_token_once(store: Store) -> None:
    cj = ScriptedCJ()
    tokens = manager(cj, store)
    await tokens.token()
    cj.refresh_ok = False
    assert await tokens.replace("access-1") == "access-2"
    assert cj.calls == ["getAccessToken", "refreshAccessToken", "getAccessToken"]


async def test_replace_reuses_a_token_another_caller_already_renewed(store: Store) -> None:
    cj = ScriptedCJ()
    tokens = manager(cj, store)
    await tokens.token()
    renewed = await asyncio.gather(*(tokens.replace("access-1") for _ in range(10)))
    assert set(renewed) == {"access-2"} and cj.calls == ["getAccessToken", "refreshAccessToken"]


async def test_a_refused_key_is_one_clear_error_then_fails_fast(store: Store) -> None:
    cj = ScriptedCJ()
    tokens = manager(cj, store)
    await tokens.token()
    cj.key_ok = cj.refresh_ok = False
    with pytest.raises(CJAuthError) as info:
        await tokens.replace("access-1")
    message = str(info.value)
    assert "CJ_API_KEY" in message and "the-key" not in message and info.value.code == 1600005
    assert load_token(store, tokens.account) is None, "dead tokens are forgotten"
    calls = len(cj.calls)
    for _ in range(5):
        with pytest.raises(CJAuthError, match="CJ_API_KEY"):
            await tokens.token()
    assert len(cj.calls) == calls, "no hammering CJ while the key is refused"
    clock.now += 301
    cj.key_ok = True
    assert await tokens.token() == "access-2"


async def test_accounts_differ_by_key_and_by_base_url() -> None:
    a = account_id("k", "https://developers.cjdropshipping.com/api2.0/v1/")
    assert a == account_id("k", "https://developers.cjdropshipping.com/api2.0/v1")
    assert a != account_id("k", "http://127.0.0.1:8700/api2.0/v1/") and a != account_id("k2", "x")
    assert len(a) == 32
