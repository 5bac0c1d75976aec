"""The notifier's tables: outbox dedupe and claim/mark life cycle, disputes_seen, webhook_messages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from store import disputes_seen, outbox, webhook_messages
from store.db import Store
from store.disputes_seen import SeenDispute
from store.outbox import OutboxItem


def test_outbox_ignores_a_key_it_already_has(store: Store) -> None:
    item = OutboxItem("k1", 5, "hello", buttons=((("Open", "go:dispute:SD1"),),), photo=b"\x89PNG")
    assert outbox.add(store, [item], 1.0) == 1
    assert outbox.add(store, [item, OutboxItem("k1", 5, "other text")], 2.0) == 0
    row = outbox.due(store, 10.0)[0]
    assert (row.text, row.buttons, row.photo) == ("hello", ((("Open", "go:dispute:SD1"),),), b"\x89PNG")


def test_claim_then_mark_sent_removes_it_from_the_queue(store: Store) -> None:
    outbox.add(store, [OutboxItem("k1", 5, "a"), OutboxItem("k2", 5, "b")], 1.0)
    assert outbox.claim(store, "k1", 2.0)
    assert not outbox.claim(store, "k1", 2.0)  # claimed rows are in someone's hands
    assert [r.dedupe_key for r in outbox.due(store, 3.0)] == ["k2"]
    outbox.mark_sent(store, "k1", 3.0)
    assert outbox.counts(store).sent == 1 and outbox.counts(store).in_doubt == 0


def test_a_claimed_row_never_marked_is_in_doubt_and_released_at_start(store: Store) -> None:
    outbox.add(store, [OutboxItem("k1", 5, "a")], 1.0)
    outbox.claim(store, "k1", 2.0)
    assert [r.dedupe_key for r in outbox.in_doubt(store)] == ["k1"]
    assert outbox.release_in_doubt(store, 5.0) == 1
    assert [r.attempts for r in outbox.due(store, 5.0)] == [1]


def test_retarget_and_kill_chat_touch_only_unsent_rows(store: Store) -> None:
    outbox.add(store, [OutboxItem("a", -1, "x"), OutboxItem("b", -1, "y"), OutboxItem("c", 7, "z")], 1.0)
    outbox.claim(store, "a", 1.0)
    outbox.mark_sent(store, "a", 1.0)
    assert outbox.retarget(store, -1, -100) == 1
    assert {r.chat_id for r in outbox.due(store, 2.0)} == {-100, 7}
    assert outbox.kill_chat(store, 7, "blocked") == 1
    assert outbox.counts(store).dead == 1


def test_record_opener_leaves_an_unobserved_row_that_a_sweep_fills(store: Store) -> None:
    disputes_seen.record_opener(store, "SH1", "SD1", "acct", 42, 42, now=10.0)
    disputes_seen.record_opener(store, "SH1", "SD1", "acct", 42, 43, now=11.0)  # safe to repeat
    row = disputes_seen.get(store, "SH1")
    assert row is not None and not row.observed and row.opener_chat_id == 43
    assert not disputes_seen.has_observed(store, "acct")
    observed = row.evolve(status="Processing", money=Decimal("3.10"), updated_at=20.0)
    disputes_seen.apply_sweep(store, [observed], [OutboxItem("m", 43, "t")], 20.0)
    again = disputes_seen.get(store, "SH1")
    assert (
        again is not None and again.observed and again.money == Decimal("3.10") and again.opener_user_id == 42
    )
    assert disputes_seen.has_observed(store, "acct")


def test_apply_sweep_is_atomic(store: Store) -> None:
    row = SeenDispute(dispute_id="SH1", account="acct", status="Processing")

    class Boom(Exception):
        pass

    def items():
        yield OutboxItem("m1", 1, "t")
        raise Boom

    with pytest.raises(Boom):
        disputes_seen.apply_sweep(store, [row], items(), 1.0)
    assert disputes_seen.get(store, "SH1") is None
    assert outbox.counts(store).pending == 0


def test_figures_count_by_day(store: Store) -> None:
    rows = [
        SeenDispute(
            "SH1",
            "a",
            status="Done",
            finally_deal=1,
            money=Decimal("10.50"),
            opened_at=100.0,
            decided_at=150.0,
        ),
        SeenDispute("SH2", "a", status="Done", finally_deal=3, opened_at=120.0, decided_at=160.0),
        SeenDispute("SH3", "a", status="Processing", opened_at=130.0),
    ]
    disputes_seen.apply_sweep(store, rows, [], 200.0)
    figures = disputes_seen.figures_between(store, 100.0, 200.0)
    assert (figures.opened, figures.decided, figures.refunds, figures.rejections) == (3, 2, 1, 1)
    assert figures.refunded == Decimal("10.50")
    assert disputes_seen.count_open(store) == 1


def test_webhook_messages_dedupe_by_message_id(store: Store) -> None:
    assert webhook_messages.accept(store, "m1", "LOGISTIC", "{}", 1.0)
    assert not webhook_messages.accept(store, "m1", "LOGISTIC", "{}", 2.0)
    assert [m.message_id for m in webhook_messages.pending(store)] == ["m1"]
    webhook_messages.mark_processed(store, "m1", 3.0)
    assert webhook_messages.pending(store) == []


def test_prune_forgets_old_sent_and_dead_rows_only(store: Store) -> None:
    outbox.add(store, [OutboxItem("old", 1, "a"), OutboxItem("dead", 2, "b"), OutboxItem("new", 3, "c")], 1.0)
    outbox.claim(store, "old", 1.0)
    outbox.mark_sent(store, "old", 2.0)
    outbox.mark_dead(store, "dead", "blocked")
    assert outbox.prune_sent(store, 10.0) == 2
    assert [r.dedupe_key for r in outbox.due(store, 10.0)] == ["new"]
