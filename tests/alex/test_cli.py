"""The `alex` dispatcher: help, unknown commands, and configuration errors as one line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from alex import cli


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 0
    out = capsys.readouterr().out
    for name in cli.COMMANDS:
        assert name in out


def test_unknown_command_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["frobnicate"]) == 2
    assert "unknown command" in capsys.readouterr().err


def test_config_error_is_one_line_without_traceback(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    env = {"PATH": "", "CJ_QPS": "fast", "HOME": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-m", "alex.cli", "check"], capture_output=True, text=True, env=env, cwd=tmp_path,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr.strip().startswith("alex: CJ_QPS is malformed")
    assert "Traceback" not in run.stderr
