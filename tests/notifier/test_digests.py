"""Daily and weekly digests: right figures, a chart image, queued once per period even across restarts."""

from __future__ import annotations

from decimal import Decimal

from notifier.clock import FakeClock
from notifier.digests import DAY, Digests
from store import chats, disputes_seen, outbox
from store.db import Store
from store.disputes_seen import SeenDispute
from tests.notifier.conftest import GROUP_A, GROUP_B

MONDAY = 1_767_571_200.0  # 2026-01-05 00:00 UTC, a Monday


def seed(store: Store) -> None:
    sunday = MONDAY - DAY
    rows = [
        SeenDispute(
            "SH1",
            "a",
            status="Done",
            finally_deal=1,
            money=Decimal("12.50"),
            opened_at=sunday - 3 * DAY,
            decided_at=sunday + 3600,
        ),
        SeenDispute(
            "SH2",
            "a",
            status="Done",
            finally_deal=1,
            money=Decimal("7.25"),
            opened_at=sunday - 2 * DAY,
            decided_at=sunday + 7200,
        ),
        SeenDispute(
            "SH3", "a", status="Done", finally_deal=3, opened_at=sunday - DAY, decided_at=sunday + 9000
        ),
        SeenDispute("SH4", "a", status="Processing", opened_at=sunday + 100),
    ]
    disputes_seen.apply_sweep(store, rows, [], sunday)


def digests(store: Store, clock: FakeClock) -> Digests:
    return Digests(store=store, groups=lambda: [GROUP_A, GROUP_B], clock=clock)


def test_monday_morning_queues_yesterdays_daily_and_last_weeks_weekly_once(store: Store) -> None:
    seed(store)
    clock = FakeClock(MONDAY + 8 * 3600)
    assert digests(store, clock).enqueue_due() == 4  # 2 groups x (daily + weekly)
    assert digests(store, clock).enqueue_due() == 0  # a restart does not queue them again
    rows = {r.dedupe_key: r for r in outbox.due(store, float("inf"))}
    daily = rows[f"digest:daily:2026-01-04:{GROUP_A}"]
    assert "Open: 1" in daily.text and "Decided: 3 (2 refunded, 0 reissued, 1 rejected)" in daily.text
    assert "Refunded: $19.75" in daily.text
    weekly = rows[f"digest:weekly:2025-12-29:{GROUP_B}"]
    assert weekly.photo is not None and weekly.photo.startswith(b"\x89PNG")
    assert "Opened: 4" in weekly.text and "Money recovered (refunds): $19.75" in weekly.text


def test_a_long_outage_does_not_send_stale_digests(store: Store) -> None:
    seed(store)
    clock = FakeClock(MONDAY + 3 * DAY + 3600)  # Thursday: last week's digest is too old to matter
    assert digests(store, clock).enqueue_due() == 2  # Wednesday's daily only
    assert all(r.dedupe_key.startswith("digest:daily:2026-01-07") for r in outbox.due(store, float("inf")))


def test_each_group_gets_its_digests_in_its_own_language(store: Store) -> None:
    """A group whose admin chose Portuguese: its amounts and days in Brazilian conventions, its
    chart drawn once for that language; the other group stays in English."""
    seed(store)
    chats.set_language(store, GROUP_B, "pt", set_by=1)
    clock = FakeClock(MONDAY + 8 * 3600)
    digests(store, clock).enqueue_due()
    rows = {r.dedupe_key: r for r in outbox.due(store, float("inf"))}
    english = rows[f"digest:daily:2026-01-04:{GROUP_A}"]
    portuguese = rows[f"digest:daily:2026-01-04:{GROUP_B}"]
    assert "2026-01-04" in english.text and "Refunded: $19.75" in english.text
    assert "4 de jan. de 2026" in portuguese.text and "US$\xa019,75" in portuguese.text
    weekly_a = rows[f"digest:weekly:2025-12-29:{GROUP_A}"]
    weekly_b = rows[f"digest:weekly:2025-12-29:{GROUP_B}"]
    assert "29 de dez. de 2025" in weekly_b.text and "2025-12-29" in weekly_a.text


def test_weekly_digest_is_text_only_without_matplotlib(store: Store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """matplotlib is the optional ``chart`` extra: without it the weekly digest still goes out, as text."""
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib...` now fails like uninstalled
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    seed(store)
    assert digests(store, FakeClock(MONDAY + 8 * 3600)).enqueue_due() == 4
    weekly = next(r for r in outbox.due(store, float("inf")) if r.dedupe_key.startswith("digest:weekly:"))
    assert weekly.photo is None
    assert "Opened: 4" in weekly.text and "Money recovered (refunds): $19.75" in weekly.text
