"""FAQ tests: keep the start-up index cache out of the user's home directory; one ``matcher``."""

from __future__ import annotations

from pathlib import Path

import pytest

from faq.matcher import Matcher, load_matcher


@pytest.fixture(autouse=True)
def _private_index_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALEX_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    """The shipped knowledge base's matcher (``load_matcher`` keeps one per process)."""
    return load_matcher()
