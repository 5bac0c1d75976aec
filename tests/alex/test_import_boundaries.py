"""Import boundaries from issue 12: cj does not import Alex's settings (no alex<->cj cycle), the
sandbox's state loads no web server, and the weekly chart's matplotlib loads only when drawn."""

from __future__ import annotations

import subprocess
import sys


def _loaded_after(statement: str, *modules: str) -> list[str]:
    probe = f"import sys; {statement}; print(' '.join(m for m in {modules!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return out.stdout.split()


def test_cj_cli_does_not_import_alex_settings() -> None:
    assert _loaded_after("import cj.cli", "alex.settings", "alex") == []


def test_sandbox_state_loads_no_web_server() -> None:
    assert _loaded_after("import cj.sandbox.state", "starlette", "uvicorn") == []


def test_notifier_loads_matplotlib_only_for_the_chart() -> None:
    assert _loaded_after("import notifier.digests, notifier.service", "matplotlib") == []
