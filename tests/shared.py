"""Material from ``../shared`` (the seeds, the eval sets, the Bot API emulator) that some tests read.

On a developer's machine without it those tests skip; in CI (``CI`` set) a missing copy is a
broken checkout, so they fail instead of passing by skipping.
"""

from __future__ import annotations

import os

import pytest


def unavailable(why: str) -> None:
    """Skip, or fail when ``CI`` is set: never a silent pass in CI."""
    if os.environ.get("CI"):
        pytest.fail(f"needed in CI: {why}")
    pytest.skip(why)
