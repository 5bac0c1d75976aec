"""Sweeps: a silent baseline, then one message per change per recipient, details only for refunds."""

from __future__ import annotations

import pytest

from cj.ratelimit import Priority
from notifier.clock import FakeClock
from notifier.diff import Field, Snapshot, compare
from notifier.poller import DisputeWatcher, calls_per_sweep, min_interval
from store import chats, disputes_seen, outbox, subscriptions
from store.db import Store
from tests.notifier.conftest import ACCOUNT, GROUP_A, GROUP_B, OPENER_CHAT, OPENER_USER
from tests.notifier.fake_cj import UNAVAILABLE, FakeDisputeCJ, summary


def watcher(store: Store, cj: FakeDisputeCJ, clock: FakeClock, page_size: int = 50) -> DisputeWatcher:
    return DisputeWatcher(
        store=store,
        cj=cj,
        account=ACCOUNT,
        clock=clock,
        page_size=page_size,
        groups=lambda: [s.chat_id for s in subscriptions.list_subscriptions(store)],
    )


@pytest.fixture
def groups(store: Store) -> None:
    subscriptions.subscribe(store, GROUP_A, title="team", user_id=1, now=0)
    subscriptions.subscribe(store, GROUP_B, title="ops", user_id=1, now=0)


def queued(store: Store) -> list[tuple[int, str]]:
    return [(r.chat_id, r.text) for r in outbox.due(store, float("inf"), 10_000)]


async def test_first_sweep_is_a_silent_baseline(store, fake_cj, clock, groups) -> None:
    for i in range(5):
        fake_cj.add(f"SH{i}", f"SD{i}")
    report = await watcher(store, fake_cj, clock).sweep()
    assert report.baseline and report.listed == 5 and report.queued == 0
    assert disputes_seen.has_observed(store, ACCOUNT)


async def test_a_decision_reaches_the_opener_and_every_group_once(store, fake_cj, clock, groups) -> None:
    fake_cj.add("SH1", "SD1")
    disputes_seen.record_opener(store, "SH1", "SD1", ACCOUNT, OPENER_USER, OPENER_CHAT, now=clock())
    w = watcher(store, fake_cj, clock)
    await w.sweep()
    fake_cj.set("SH1", finallyDeal=1, money=12.5, status="Finished")
    clock.advance(300)
    report = await w.sweep()
    assert report.changes == 1 and report.queued == 3
    assert fake_cj.calls["dispute_detail"] == 1  # only the changed refund
    assert set(fake_cj.priorities) == {Priority.BACKGROUND}  # people's calls go first
    chats = sorted(c for c, _ in queued(store))
    assert chats == sorted([OPENER_CHAT, GROUP_A, GROUP_B])
    text = queued(store)[0][1]
    assert "REFUND" in text and "$12.50" in text and "Product Cost $10.00" in text and "CJ wallet" in text
    clock.advance(300)
    again = await w.sweep()  # nothing changed since
    assert again.changes == 0 and len(queued(store)) == 3


async def test_new_dispute_opened_on_cj_site_is_announced_to_groups(store, fake_cj, clock, groups) -> None:
    fake_cj.add("SH1", "SD1")
    w = watcher(store, fake_cj, clock)
    await w.sweep()
    fake_cj.add("SH2", "SD2", disputeReason="Product Damaged")
    report = await w.sweep()
    assert report.changes == 1
    assert sorted(c for c, _ in queued(store)) == [GROUP_B, GROUP_A]
    assert "New dispute SH2 (order SD2, Product Damaged)" in queued(store)[0][1]


async def test_detection_lost_in_a_crash_is_found_again_with_the_same_keys(
    store, fake_cj, clock, groups
) -> None:
    fake_cj.add("SH1", "SD1")
    w = watcher(store, fake_cj, clock)
    await w.sweep()
    fake_cj.set("SH1", finallyDeal=3)
    original = disputes_seen.apply_sweep

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # the process dies before the transaction commits

    disputes_seen.apply_sweep = crash  # type: ignore[assignment]
    try:
        with pytest.raises(KeyboardInterrupt):
            await w.sweep()
    finally:
        disputes_seen.apply_sweep = original  # type: ignore[assignment]
    assert queued(store) == []
    report = await w.sweep()
    assert report.queued == 2 and "REJECTED" in queued(store)[0][1]


async def test_paging_reads_every_page_and_a_missing_dispute_is_checked_by_id(store, fake_cj, clock, groups):
    for i in range(25):
        fake_cj.add(f"SH{i:02d}", f"SD{i:02d}")
    w = watcher(store, fake_cj, clock, page_size=10)
    report = await w.sweep()
    assert report.pages == 3 and report.listed == 25
    del fake_cj.disputes["SH03"]  # cancelled on CJ's site
    report = await w.sweep()
    assert report.calls == 3 + 1  # three pages, one look-up by id
    assert next(t for _, t in queued(store)).startswith("Dispute SH03 (order SD03) is no longer listed")
    assert disputes_seen.get(store, "SH03").status == "Closed"


async def test_a_cj_error_mid_sweep_keeps_what_was_read_and_reports_it(store, fake_cj, clock, groups) -> None:
    for i in range(15):
        fake_cj.add(f"SH{i:02d}", f"SD{i:02d}")
    w = watcher(store, fake_cj, clock, page_size=10)
    await w.sweep()
    fake_cj.set("SH14", status="Reviewing")  # newest: on page 1

    async def second_page_fails(*args, **kwargs):
        if kwargs.get("page_num") == 2:
            raise UNAVAILABLE
        return await FakeDisputeCJ.list_disputes(fake_cj, *args, **kwargs)

    fake_cj.list_disputes = second_page_fails  # type: ignore[method-assign]
    report = await w.sweep()
    assert report.error is not None and "CJUnavailable" in report.error
    assert report.changes == 1  # page 1 was read; nothing is declared gone from a partial list


def test_status_is_compared_without_case_and_amounts_by_cent() -> None:
    seen = disputes_seen.SeenDispute("SH1", "a", status="Processing", first_seen_at=1, updated_at=1)
    assert compare(seen, Snapshot.of(summary(status="PROCESSING", money="0.001"))) is None
    change = compare(seen, Snapshot.of(summary(status="Processing", finallyDeal=2, resendOrderCode="SD9")))
    assert change is not None and change.fields == {Field.DECISION, Field.RESEND_CODE}


def test_fingerprint_is_stable_but_new_for_a_return_to_an_earlier_state() -> None:
    seen = disputes_seen.SeenDispute("SH1", "a", status="Processing", first_seen_at=1, updated_at=1)
    after = Snapshot.of(summary(status="Reviewing"))
    first = compare(seen, after)
    assert first is not None and first.fingerprint() == compare(seen, after).fingerprint()
    later = compare(seen.evolve(updated_at=5), after)
    assert later is not None and later.fingerprint() != first.fingerprint()


def test_sweep_cost_and_interval_keep_half_the_budget() -> None:
    assert calls_per_sweep(1_000) == 20 and calls_per_sweep(10_000) == 200 and calls_per_sweep(0) == 1
    assert min_interval(100, qps=1.0) == 200.0  # 100 calls may take at most half of 200 s at 1 req/s


async def test_the_service_stretches_its_interval_to_keep_half_the_budget(store, clock, groups) -> None:
    from notifier.service import Account, NotifierService
    from tests.notifier.conftest import RecordingSender

    cj = FakeDisputeCJ()
    for i in range(1_000):
        cj.add(f"SH{i:04d}", f"SD{i:04d}")
    service = NotifierService(
        store=store,
        sender=RecordingSender(),
        accounts=[Account(ACCOUNT, cj, qps=1.0)],
        clock=clock,
        sleep=clock.sleep,
        interval=10.0,
        delay_scan=False,
    )
    await service.sweep_all()
    assert service.next_interval() == 40.0  # 20 pages of 50 may use at most half of 40 s at 1 req/s
    service.interval = 300.0
    assert service.next_interval() == 300.0


async def test_change_messages_carry_the_dispute_details_button(store, fake_cj, clock, groups) -> None:
    fake_cj.add("SH1", "SD1")
    w = watcher(store, fake_cj, clock)
    await w.sweep()
    fake_cj.set("SH1", finallyDeal=2, replacementAmount=17.5, resendOrderCode="SD9")
    await w.sweep()
    row = outbox.due(store, float("inf"))[0]
    assert row.buttons == ((("Dispute details", "st:SH1"),),)
    assert "REISSUE" in row.text and "New order code: SD9" in row.text and '"Agree"' in row.text


async def test_a_baseline_cut_short_records_nothing(store, fake_cj, clock, groups) -> None:
    for i in range(15):
        fake_cj.add(f"SH{i:02d}", f"SD{i:02d}")
    w = watcher(store, fake_cj, clock, page_size=10)

    async def second_page_fails(*args, **kwargs):
        if kwargs.get("page_num") == 2:
            raise UNAVAILABLE
        return await FakeDisputeCJ.list_disputes(fake_cj, *args, **kwargs)

    fake_cj.list_disputes = second_page_fails  # type: ignore[method-assign]
    report = await w.sweep()
    assert report.baseline and report.error is not None
    assert not disputes_seen.has_observed(store, ACCOUNT)  # so the next, full sweep is still the baseline
    del fake_cj.list_disputes
    assert (await w.sweep()).queued == 0 and disputes_seen.has_observed(store, ACCOUNT)


async def test_each_recipient_reads_the_push_in_its_chat_s_language(store, fake_cj, clock, groups) -> None:
    """The opener chose French, one group German, the other none (English)."""
    chats.set_language(store, OPENER_CHAT, "fr", set_by=OPENER_USER)
    chats.set_language(store, GROUP_A, "de", set_by=1)
    fake_cj.add("SH1", "SD1")
    disputes_seen.record_opener(store, "SH1", "SD1", ACCOUNT, OPENER_USER, OPENER_CHAT, now=clock())
    w = watcher(store, fake_cj, clock)
    await w.sweep()
    fake_cj.set("SH1", finallyDeal=1, money=12.5, status="Finished")
    clock.advance(300)
    await w.sweep()
    text = dict(queued(store))
    assert "12,50\xa0$US" in text[OPENER_CHAT]
    assert "12,50\xa0$" in text[GROUP_A] and "$US" not in text[GROUP_A]
    assert "$12.50" in text[GROUP_B]
