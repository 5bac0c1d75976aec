"""Sandbox authentication, token life and the QPS limit, over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest

from cj.sandbox import SandboxServer
from tests.cj import SandboxApi, http_client
from tests.conftest import SANDBOX_API_KEY, SandboxFactory


@pytest.fixture
async def api(sandbox: SandboxServer) -> AsyncIterator[SandboxApi]:
    async with http_client() as http:
        yield SandboxApi(sandbox, http)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_get_access_token_returns_cj_shaped_pair(api: SandboxApi) -> None:
    reply = await api.post("authentication/getAccessToken", {"apiKey": SANDBOX_API_KEY}, auth=False)
    assert reply["code"] == 200 and reply["result"] is True and reply["success"] is True
    data = reply["data"]
    assert isinstance(data["openId"], int)
    assert set(data) == {
        "openId",
        "accessToken",
        "accessTokenExpiryDate",
        "refreshToken",
        "refreshTokenExpiryDate",
        "createDate",
    }
    created = datetime.fromisoformat(data["createDate"])
    assert data["createDate"].endswith("+08:00")
    assert datetime.fromisoformat(data["accessTokenExpiryDate"]) - created == timedelta(days=15)
    assert datetime.fromisoformat(data["refreshTokenExpiryDate"]) - created == timedelta(days=180)
    assert len(data["accessToken"]) > 100


async def test_repeated_get_access_token_returns_the_same_pair(api: SandboxApi) -> None:
    first = await api.login(SANDBOX_API_KEY)
    second = await api.login(SANDBOX_API_KEY)
    assert first == second


async def test_wrong_key_is_1600005_without_echoing_it(api: SandboxApi) -> None:
    reply = await api.post("authentication/getAccessToken", {"apiKey": "not-the-key-123"}, auth=False)
    assert reply["code"] == 1600005 and reply["result"] is False and reply["data"] is None
    assert "not-the-key-123" not in reply["message"]


async def test_missing_or_mistyped_api_key_is_a_param_error_naming_it(api: SandboxApi) -> None:
    for body in ({}, {"apiKey": 42}, {"apiKey": ""}):
        reply = await api.post("authentication/getAccessToken", body, auth=False)
        assert reply["code"] == 1600100
        assert "apiKey" in reply["message"]


async def test_calls_without_or_with_a_bad_token(api: SandboxApi) -> None:
    reply = await api.get("setting/get", auth=False)
    assert reply["code"] == 1600002
    response = await api.http.get(api.server.base_url + "setting/get", headers={"CJ-Access-Token": "nope"})
    assert response.status_code == 200
    assert response.json()["code"] == 1600001


async def test_refresh_returns_the_cached_pair_while_it_lives_then_a_new_one(api: SandboxApi) -> None:
    old = await api.login(SANDBOX_API_KEY)
    same = await api.refresh(old["refreshToken"])
    assert same["code"] == 200 and same["data"]["accessToken"] == old["accessToken"]
    assert (await api.get("setting/get"))["code"] == 200
    api.server.expire_tokens()
    reply = await api.refresh(old["refreshToken"])
    new = reply["data"]
    assert new["accessToken"] != old["accessToken"] and new["refreshToken"] != old["refreshToken"]
    assert (await api.get("setting/get"))["code"] == 1600001  # api still holds the old token
    api.token = new["accessToken"]
    assert (await api.get("setting/get"))["code"] == 200
    assert (await api.login(SANDBOX_API_KEY))["accessToken"] == new["accessToken"]


async def test_login_is_throttled_with_http_429_and_no_result(sandbox_factory: SandboxFactory) -> None:
    clock = FakeClock()
    async with sandbox_factory(login_interval=300, clock=clock) as server, http_client() as http:
        api = SandboxApi(server, http)
        first = await api.login(SANDBOX_API_KEY)
        again = await api.raw_post("authentication/getAccessToken", {"apiKey": SANDBOX_API_KEY}, auth=False)
        assert again.status_code == 429
        assert again.json()["code"] == 1600200 and "result" not in again.json() and "data" not in again.json()
        clock.now += 300
        assert (await api.login(SANDBOX_API_KEY))["accessToken"] == first["accessToken"]  # the same pair


async def test_refresh_is_throttled_to_5_a_minute(sandbox_factory: SandboxFactory) -> None:
    clock = FakeClock()
    async with sandbox_factory(clock=clock) as server, http_client() as http:
        api = SandboxApi(server, http)
        pair = await api.login(SANDBOX_API_KEY)
        codes = [(await api.refresh(pair["refreshToken"]))["code"] for _ in range(6)]
        assert codes == [200] * 5 + [1600200]
        clock.now += 60
        assert (await api.refresh(pair["refreshToken"]))["code"] == 200


async def test_invalid_refresh_token_is_1600003(api: SandboxApi) -> None:
    reply = await api.refresh("API@CJxyz")
    assert reply["code"] == 1600003


async def test_logout_kills_both_tokens(api: SandboxApi) -> None:
    pair = await api.login(SANDBOX_API_KEY)
    reply = await api.post("authentication/logout")
    assert reply["code"] == 200 and reply["data"] is True
    assert (await api.get("setting/get"))["code"] == 1600001
    refresh = await api.refresh(pair["refreshToken"])
    assert refresh["code"] == 1600003
    assert (await api.login(SANDBOX_API_KEY))["accessToken"] != pair["accessToken"]


async def test_admin_expire_tokens_then_refresh_works(api: SandboxApi) -> None:
    pair = await api.login(SANDBOX_API_KEY)
    assert (await api.admin("POST", "tokens/expire")).json() == {"ok": True}
    reply = await api.get("setting/get")
    assert reply["code"] == 1600001 and "expired" in reply["message"]
    refreshed = await api.refresh(pair["refreshToken"])
    assert refreshed["code"] == 200


async def test_access_token_expires_after_15_days_of_sandbox_time(api: SandboxApi) -> None:
    await api.login(SANDBOX_API_KEY)
    api.server.advance(timedelta(days=14, hours=23).total_seconds())
    assert (await api.get("setting/get"))["code"] == 200
    await api.admin("POST", "clock/advance", {"seconds": 3600})
    assert (await api.get("setting/get"))["code"] == 1600001


async def test_revoked_key_kills_tokens_and_login(api: SandboxApi) -> None:
    await api.login(SANDBOX_API_KEY)
    assert (await api.admin("POST", "revoke-key")).status_code == 200
    assert (await api.get("setting/get"))["code"] == 1600001
    reply = await api.post("authentication/getAccessToken", {"apiKey": SANDBOX_API_KEY}, auth=False)
    assert reply["code"] == 1600001
    await api.admin("POST", "reset")
    await api.login(SANDBOX_API_KEY)
    assert (await api.get("setting/get"))["code"] == 200


async def test_qps_limit_answers_1600200_inside_http_200(sandbox_factory: SandboxFactory) -> None:
    clock = FakeClock()
    async with sandbox_factory(qps=1, clock=clock) as server, http_client() as http:
        api = SandboxApi(server, http)
        await api.login(SANDBOX_API_KEY)  # authentication calls are not counted
        assert (await api.get("setting/get"))["code"] == 200
        response = await api.raw_get("setting/get")
        assert response.status_code == 200
        body = response.json()
        assert body["code"] == 1600200 and "result" not in body and "data" not in body
        clock.now += 1.0
        assert (await api.get("setting/get"))["code"] == 200
        settings = await api.get("setting/get")
        assert settings["code"] == 1600200


async def test_qps_allows_a_burst_up_to_the_limit(sandbox_factory: SandboxFactory) -> None:
    clock = FakeClock()
    async with sandbox_factory(qps=4, clock=clock) as server, http_client() as http:
        api = SandboxApi(server, http)
        await api.login(SANDBOX_API_KEY)
        codes = [(await api.get("setting/get"))["code"] for _ in range(5)]
        assert codes == [200, 200, 200, 200, 1600200]
        clock.now += 0.25
        assert (await api.get("setting/get"))["code"] == 200


async def test_setting_get_reports_qps_and_quotas(sandbox_factory: SandboxFactory) -> None:
    async with sandbox_factory(qps=2) as server, http_client() as http:
        api = SandboxApi(server, http)
        await api.login(SANDBOX_API_KEY)
        data = (await api.get("setting/get"))["data"]
        assert data["setting"]["qpsLimit"] == 2
        assert all(q["quotaLimit"] == 1000 for q in data["setting"]["quotaLimits"])
        assert isinstance(data["openId"], int)


async def test_daily_quota_gives_1600201(sandbox_factory: SandboxFactory) -> None:
    async with sandbox_factory(daily_quota=2) as server, http_client() as http:
        api = SandboxApi(server, http)
        await api.login(SANDBOX_API_KEY)
        codes = [(await api.get("setting/get"))["code"] for _ in range(3)]
        assert codes == [200, 200, 1600201]
        server.advance(86400)
        assert (await api.get("setting/get"))["code"] == 200
