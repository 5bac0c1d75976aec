"""Fault injection, admin endpoints, bad input, and the ways to run the sandbox (thread, CLI)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cj.sandbox import FaultRates, SandboxConfig, SandboxServer, SandboxThread, run_sandbox_in_thread
from cj.sandbox.faults import FaultPlan
from tests.cj import SandboxApi, http_client
from tests.cj.test_sandbox_disputes import DELIVERED_FR, create_body
from tests.conftest import SANDBOX_API_KEY, SandboxFactory

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
async def api(sandbox: SandboxServer) -> AsyncIterator[SandboxApi]:
    async with http_client() as http:
        client = SandboxApi(sandbox, http)
        await client.login(SANDBOX_API_KEY)
        yield client


async def queue(api: SandboxApi, *faults: dict[str, Any]) -> None:
    response = await api.admin("POST", "faults", {"queue": list(faults)})
    assert response.status_code == 200 and response.json()["ok"] is True


async def test_http_5xx_fault_is_an_html_503(api: SandboxApi) -> None:
    await queue(api, {"fault": "http_5xx"})
    response = await api.raw_get("setting/get")
    assert response.status_code == 503 and "<html>" in response.text
    assert (await api.get("setting/get"))["code"] == 200  # one-shot


async def test_rate_limited_and_busy_faults_are_envelopes_in_http_200(api: SandboxApi) -> None:
    await queue(api, {"fault": "rate_limited"}, {"fault": "busy"})
    limited = await api.raw_get("setting/get")
    assert limited.status_code == 200 and limited.json()["code"] == 1600200 and "data" not in limited.json()
    busy = await api.raw_get("setting/get")
    assert busy.status_code == 200 and busy.json()["code"] == 1600000


async def test_http_429_fault(api: SandboxApi) -> None:
    await queue(api, {"fault": "http_429"})
    response = await api.raw_get("setting/get")
    assert response.status_code == 429 and response.headers["retry-after"] == "1"
    assert response.json()["code"] == 1600200


async def test_fault_fires_only_on_its_path(api: SandboxApi) -> None:
    await queue(api, {"fault": "busy", "path": "disputes/create"})
    assert (await api.get("setting/get"))["code"] == 200
    assert (await api.post("disputes/create", create_body()))["code"] == 1600000
    assert api.server.snapshot()["disputesPerOrder"].get(DELIVERED_FR) is None
    assert (await api.post("disputes/create", create_body()))["code"] == 200


async def test_drop_after_write_creates_the_dispute_but_answers_nothing(api: SandboxApi) -> None:
    api.server.add_faults({"fault": "drop_after_write", "path": "disputes/create"})
    with pytest.raises(httpx.RemoteProtocolError):
        await api.post("disputes/create", create_body())
    assert api.server.snapshot()["disputesPerOrder"][DELIVERED_FR] == 1
    assert (await api.post("disputes/create", create_body()))["data"] is True  # the retry is idempotent
    state = (await api.admin("GET", "state")).json()
    assert state["disputesPerOrder"][DELIVERED_FR] == 1 and state["calls"]["disputes/create"] == 2


async def test_drop_before_write_does_nothing(api: SandboxApi) -> None:
    api.server.add_faults({"fault": "drop_before_write", "path": "disputes/create"})
    with pytest.raises(httpx.RemoteProtocolError):
        await api.post("disputes/create", create_body())
    assert DELIVERED_FR not in api.server.snapshot()["disputesPerOrder"]


async def test_latency_fault_outlasts_a_short_client_timeout(api: SandboxApi) -> None:
    await queue(api, {"fault": "latency", "seconds": 0.3})
    with pytest.raises(httpx.ReadTimeout):
        await api.http.get(api.server.base_url + "setting/get", headers={"CJ-Access-Token": api.token or ""},
                           timeout=0.05)


async def test_fault_rates_and_clear(api: SandboxApi) -> None:
    response = await api.admin("POST", "faults", {"rates": {"busy": 1.0, "seed": 7}})
    assert response.status_code == 200
    assert (await api.get("setting/get"))["code"] == 1600000
    assert (await api.admin("DELETE", "faults")).status_code == 200
    assert (await api.get("setting/get"))["code"] == 200


def test_fault_rates_are_deterministic_for_a_seed() -> None:
    def draws(seed: int) -> list[str | None]:
        plan = FaultPlan(FaultRates(busy=0.3, http_5xx=0.2, seed=seed))
        return [f.fault if (f := plan.pick("x")) else None for _ in range(200)]

    assert draws(3) == draws(3)
    picked = draws(3)
    assert 0 < picked.count("busy") < 200 and picked.count(None) > 0


async def test_admin_rejects_bad_requests(api: SandboxApi) -> None:
    bad = await api.admin("POST", "faults", {"queue": [{"fault": "meteor"}]})
    assert bad.status_code == 400 and bad.json()["ok"] is False
    assert (await api.admin("POST", "clock/advance", {"seconds": -5})).status_code == 400


async def test_reset_restores_fixtures_and_forgets_tokens(api: SandboxApi) -> None:
    await api.post("disputes/create", create_body())
    await queue(api, {"fault": "busy"})
    assert (await api.admin("POST", "reset")).status_code == 200
    assert (await api.get("setting/get"))["code"] == 1600001
    state = (await api.admin("GET", "state")).json()
    assert DELIVERED_FR not in state["disputesPerOrder"] and state["pendingFaults"] == []
    assert state["calls"] == {"setting/get": 1}


async def test_admin_is_off_unless_asked(sandbox_factory: SandboxFactory) -> None:
    async with sandbox_factory(admin=False) as server, http_client() as http:
        response = await http.get(server.root_url + "/_sandbox/state")
        assert response.status_code == 404 and response.json()["code"] == 1600101  # "Interface not found"


@pytest.mark.parametrize(
    ("method", "path", "content"),
    [
        ("POST", "disputes/create", b"{not json"),
        ("POST", "disputes/create", b"[1, 2]"),
        ("POST", "disputes/create", b"\xff\xfe"),
        ("POST", "disputes/create", b""),
        ("POST", "disputes/disputeConfirmInfo", b'{"orderId": null, "productInfoList": "x"}'),
        ("GET", "disputes/create", b""),
        ("DELETE", "shopping/order/list", b""),
        ("POST", "authentication/getAccessToken", b'"apiKey"'),
        ("GET", "disputes/getDisputeList?pageNum=-1&pageSize=1e9", b""),
        ("GET", "no/such/endpoint", b""),
        ("PUT", "../../etc/passwd", b""),
    ],
)
async def test_bad_input_gets_a_cj_error_never_a_traceback(api: SandboxApi, method: str, path: str,
                                                           content: bytes) -> None:
    response = await api.http.request(method, api.server.base_url + path, content=content,
                                      headers={"CJ-Access-Token": api.token or ""})
    assert response.status_code in (200, 404)
    body = response.json()
    assert body["code"] not in (200, 1600000) and body["result"] is False
    assert set(body) == {"code", "result", "message", "data", "requestId"}
    assert "Traceback" not in response.text


def test_run_sandbox_in_thread_serves_sync_callers() -> None:
    handle = run_sandbox_in_thread(SandboxConfig(api_key=SANDBOX_API_KEY, qps=1000))
    try:
        assert handle.base_url.startswith("http://127.0.0.1:") and handle.base_url.endswith("/api2.0/v1/")
        body = {"apiKey": SANDBOX_API_KEY}
        reply = httpx.post(handle.base_url + "authentication/getAccessToken", json=body)
        assert reply.json()["code"] == 200
        handle.server.advance(10)
        assert handle.server.snapshot()["clockOffsetSeconds"] == 10
    finally:
        handle.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(handle.base_url + "setting/get")


async def test_server_binds_a_free_port_and_stops_cleanly(sandbox_factory: SandboxFactory) -> None:
    async with sandbox_factory() as one, sandbox_factory() as two:
        assert one.port != two.port


def test_cli_prints_one_listening_line_then_serves() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "alex.cli", "sandbox", "--port", "0", "--api-key", "cli-key", "--admin",
         "--qps", "50"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("listening on http://127.0.0.1:") and line.endswith("/api2.0/v1")
        base = line.removeprefix("listening on ") + "/"
        reply = httpx.post(base + "authentication/getAccessToken", json={"apiKey": "cli-key"}, timeout=10)
        assert reply.json()["code"] == 200
        state = httpx.get(base.replace("/api2.0/v1/", "/_sandbox/state"), timeout=10).json()
        assert state["calls"] == {"authentication/getAccessToken": 1}
        assert "cli-key" not in json.dumps(state)
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_cli_reports_a_bad_fixture_path_in_one_line(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "alex.cli", "sandbox", "--fixtures", str(tmp_path / "missing.json")],
        cwd=REPO, capture_output=True, text=True, timeout=30,
    )
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.startswith("alex sandbox:") and "Traceback" not in run.stderr


# --- fuzz: random JSON never reaches a traceback --------------------------------------------

JSON_LEAVES = st.none() | st.booleans() | st.integers(-(2**63), 2**63) | st.floats() | st.text()
JSON_VALUES = st.recursive(JSON_LEAVES, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
KNOWN_KEYS = ["orderId", "businessDisputeId", "disputeReasonId", "expectType", "refundType", "messageText",
              "imageUrl", "videoUrl", "productInfoList", "lineItemId", "quantity", "price", "disputeId",
              "apiKey", "refreshToken", "order", "logistics", "type", "callbackUrls"]
BODIES = st.dictionaries(st.sampled_from(KNOWN_KEYS) | st.text(max_size=6), JSON_VALUES, max_size=8)
LINES = st.lists(st.fixed_dictionaries({"lineItemId": JSON_VALUES, "quantity": JSON_VALUES}), max_size=3)
POST_PATHS = ["disputes/disputeConfirmInfo", "disputes/create", "disputes/cancel", "webhook/set",
              "authentication/getAccessToken", "authentication/refreshAccessToken"]


@pytest.fixture(scope="module")
def threaded_sandbox() -> Iterator[SandboxThread]:
    handle = run_sandbox_in_thread(SandboxConfig(api_key=SANDBOX_API_KEY, qps=1e6, admin=True))
    yield handle
    handle.stop()


def run_fuzz(handle: SandboxThread, examples: int) -> None:
    with httpx.Client() as http:
        token = http.post(handle.base_url + "authentication/getAccessToken", json={"apiKey": SANDBOX_API_KEY})
        headers = {"CJ-Access-Token": token.json()["data"]["accessToken"]}

        @settings(max_examples=examples, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow])
        @given(path=st.sampled_from(POST_PATHS), body=BODIES | JSON_VALUES, lines=st.none() | LINES)
        def check(path: str, body: object, lines: list[dict[str, object]] | None) -> None:
            if isinstance(body, dict) and lines is not None:
                body = {**body, "orderId": "SD2510031452310001", "productInfoList": lines}
            response = http.post(handle.base_url + path, content=json.dumps(body), headers=headers)
            assert response.status_code == 200
            reply = response.json()
            assert reply["code"] != 1600000, reply
            assert set(reply) >= {"code", "result", "message", "requestId"}

        check()


def test_random_json_bodies_get_cj_errors_not_crashes(threaded_sandbox: SandboxThread) -> None:
    run_fuzz(threaded_sandbox, 60)


@pytest.mark.slow
def test_random_json_bodies_long_run(threaded_sandbox: SandboxThread) -> None:
    run_fuzz(threaded_sandbox, 2000)
