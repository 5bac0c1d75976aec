"""Status pushes survive crashes: 200 dispute changes, the notifier killed at random steps.

Drives the notifier's own crash harness (``tests/notifier/test_restarts.py``: watcher and
outbox dispatcher on one SQLite file, killed between listing, recording, claiming and marking)
and counts, per recipient, lost and repeated messages.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.hardening.conftest import report
from tests.notifier.conftest import GROUP_A, GROUP_B, OPENER_CHAT, RecordingSender
from tests.notifier.test_restarts import STEPS, run_world


async def _run(tmp_path: Path, disputes: int, restarts: int) -> None:
    recorder = RecordingSender()
    await run_world(tmp_path, recorder, disputes, restarts)
    changes = disputes * len(STEPS)
    lost = repeated = 0
    for chat in (OPENER_CHAT, GROUP_A, GROUP_B):
        counts = Counter(m.text for m in recorder.to(chat))
        repeated += sum(n - 1 for n in counts.values() if n > 1)
        lost += changes - len(counts)
    report(
        "notifier restarts", changes=changes, restarts=restarts, recipients=3, lost=lost, repeated=repeated
    )
    assert lost == 0 and repeated == 0


async def test_notifier_restarted_at_random(tmp_path: Path) -> None:
    await _run(tmp_path, disputes=10, restarts=20)


@pytest.mark.slow
async def test_notifier_restarted_100_times_during_200_changes(tmp_path: Path) -> None:
    await _run(tmp_path, disputes=40, restarts=100)
