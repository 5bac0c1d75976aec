"""``alex cj ...`` and ``alex check`` against a sandbox in a thread (each command runs its own loop)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from alex import check
from alex.cj_command import main as alex_cj
from alex.settings import Settings
from cj import cli
from cj.retry import NO_RETRY
from cj.sandbox import SandboxConfig, SandboxThread, run_sandbox_in_thread
from tests.conftest import SANDBOX_API_KEY

DELIVERED = "SD2510031452310001"
WEBSITE_DISPUTE = "SH1990300112233445566"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CJ_API_KEY", SANDBOX_API_KEY)
    monkeypatch.setenv("ALEX_DB_PATH", str(tmp_path / "alex.sqlite3"))
    monkeypatch.setenv("CJ_QPS", "50")
    # Retries are tested in test_client_sandbox.py; here a failure must show at once, without backoff.
    monkeypatch.setattr(
        cli,
        "make_client",
        lambda config, store: cli.client_for(config, store, retry=NO_RETRY),
    )
    return monkeypatch


def serve(env: pytest.MonkeyPatch, qps: float = 50) -> Iterator[SandboxThread]:
    # login_interval=0: commands here log in again right after a logout (the throttle is tested elsewhere)
    config = SandboxConfig(api_key=SANDBOX_API_KEY, qps=qps, admin=True, login_interval=0)
    handle = run_sandbox_in_thread(config)
    env.setenv("CJ_BASE_URL", handle.base_url)
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def sandbox(env: pytest.MonkeyPatch) -> Iterator[SandboxThread]:
    yield from serve(env)


def test_orders_as_a_table_and_as_json(sandbox: SandboxThread, capsys: pytest.CaptureFixture[str]) -> None:
    assert alex_cj(["orders", "--status", "delivered"]) == 0
    out = capsys.readouterr().out
    assert "ORDER ID" in out and DELIVERED in out and "SHOP-1001" in out and "in all" in out
    assert alex_cj(["orders", "--status", "shipped", "--page", "2", "--page-size", "1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["pageNum"] == 2 and len(data["list"]) == 1


def test_disputes_dispute_order_and_track(sandbox: SandboxThread, capsys: pytest.CaptureFixture[str]) -> None:
    assert alex_cj(["disputes", "--order", "SD2510150911460011"]) == 0
    out = capsys.readouterr().out
    assert WEBSITE_DISPUTE in out and "undecided" in out
    assert alex_cj(["dispute", WEBSITE_DISPUTE]) == 0
    out = capsys.readouterr().out
    assert "status" in out and "Processing" in out and "PRODUCT" in out
    assert alex_cj(["dispute", WEBSITE_DISPUTE, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == WEBSITE_DISPUTE
    assert alex_cj(["order", DELIVERED]) == 0
    assert "LINE ITEM" in capsys.readouterr().out
    assert alex_cj(["track", "CJPKL0010233547FR"]) == 0
    assert "Delivered" in capsys.readouterr().out


def test_commands_in_a_row_reuse_the_cached_token(sandbox: SandboxThread) -> None:
    for _ in range(3):
        assert alex_cj(["orders"]) == 0
    assert sandbox.server.snapshot()["calls"]["authentication/getAccessToken"] == 1
    assert alex_cj(["logout"]) == 0
    assert alex_cj(["orders"]) == 0
    assert sandbox.server.snapshot()["calls"]["authentication/getAccessToken"] == 2


def test_errors_are_one_line_and_exit_1(sandbox: SandboxThread, capsys: pytest.CaptureFixture[str]) -> None:
    assert alex_cj(["dispute", "SH404"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("alex cj: ") and "\n" not in err and "Traceback" not in err
    sandbox.server.add_faults({"fault": "http_5xx"})
    assert alex_cj(["orders"]) == 1
    assert "CJ_BASE_URL is" in capsys.readouterr().err


def test_unreachable_cj_is_one_line(env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    env.setenv("CJ_BASE_URL", "http://127.0.0.1:9/api2.0/v1/")
    env.setenv("CJ_TIMEOUT_SECONDS", "2")
    assert alex_cj(["orders"]) == 1
    assert "could not reach CJ" in capsys.readouterr().err


def test_missing_key_is_a_configuration_error(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.delenv("CJ_API_KEY")
    assert alex_cj(["orders"]) == 2
    assert "CJ_API_KEY is not set" in capsys.readouterr().err


def test_check_passes_and_reports_the_qps_level(
    sandbox: SandboxThread, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check.main([]) == 0
    out = capsys.readouterr().out
    assert "accepted" in out and "account limit 50" in out and "Sandbox Seller" in out
    assert SANDBOX_API_KEY not in out


def test_check_warns_when_cj_qps_is_above_the_account_limit(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in serve(env, qps=2):
        env.setenv("CJ_QPS", "4")
        assert check.main([]) == 0
        out = capsys.readouterr().out
        assert "warn" in out and "CJ_QPS=4 is above your account's limit of 2" in out


def test_check_fails_clearly_on_a_wrong_key(
    sandbox: SandboxThread, env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.setenv("CJ_API_KEY", "not-the-key")
    assert check.main([]) == 1
    err = capsys.readouterr().err
    assert "FAIL" in err and "CJ_API_KEY" in err and "not-the-key" not in err


def test_check_without_a_key_says_where_to_find_it(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.delenv("CJ_API_KEY")
    assert check.main([]) == 1
    assert "Authorization > API" in capsys.readouterr().err


def test_check_tells_the_operator_when_the_quota_ran_out(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The bot ran into CJ's daily quota on one interface: `alex check` says until when (issue 11)."""
    config = SandboxConfig(
        api_key=SANDBOX_API_KEY, qps=50, admin=True, login_interval=0, daily_quota=1, quota_reply="api_points"
    )
    handle = run_sandbox_in_thread(config)
    env.setenv("CJ_BASE_URL", handle.base_url)
    try:
        assert alex_cj(["order", DELIVERED]) == 0
        assert alex_cj(["order", DELIVERED]) == 1  # 16900500: the quota of getOrderDetail is used up
        capsys.readouterr()
        assert check.main([]) == 1
    finally:
        handle.stop()
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert "CJ's API quota for this account is used up until" in out and "UTC" in out
