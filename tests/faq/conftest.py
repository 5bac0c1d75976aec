"""FAQ tests: keep the start-up index cache out of the user's home directory."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_index_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEX_CACHE_DIR", str(tmp_path / "cache"))
