"""Push texts say what changed, the amounts, and the next step from CJ's own pages."""

from __future__ import annotations

from decimal import Decimal

from i18n import translator
from notifier import messages
from notifier.diff import Snapshot, compare, gone
from store.disputes_seen import SeenDispute
from tests.notifier.fake_cj import summary

BEFORE = SeenDispute("SH1", "a", order_id="SD1", status="Processing", first_seen_at=1, updated_at=1)


def text_for(**after: object) -> str:
    change = compare(BEFORE, Snapshot.of(summary(**{"status": "Processing", **after})))
    assert change is not None
    return messages.dispute_change(change)


def test_rejection_says_how_to_reach_cj() -> None:
    text = text_for(finallyDeal=3, status="Rejected")
    assert "Dispute SH1 (order SD1) was decided: REJECTED." in text
    assert '"Chat" window' in text and "ticket" in text


def test_reissue_without_a_code_yet_says_it_will_follow() -> None:
    text = text_for(finallyDeal=2, replacementAmount="12.40")
    assert "Reissue worth $12.40." in text and messages.REISSUE_CODE_PENDING in text


def test_refund_without_detail_uses_the_list_amount_and_says_where_money_goes() -> None:
    text = text_for(finallyDeal=1, money="7.25")
    assert "Refund: $7.25." in text and "Payssion" in text and "5-10 business days" in text


def test_plain_status_change_and_a_vanished_dispute() -> None:
    assert "status changed from Processing to Under review" in text_for(status="Under review")
    assert "no longer listed by CJ" in messages.dispute_change(gone(BEFORE))


def test_digest_texts() -> None:
    daily = messages.daily_digest(0.0, 3, 2, 1, 0, 1, Decimal("5"))
    assert daily.splitlines() == [
        "Daily disputes digest for 1970-01-01 (UTC)",
        "Open: 3",
        "Decided: 2 (1 refunded, 0 reissued, 1 rejected)",
        "Refunded: $5.00",
    ]


def test_pushes_in_the_recipient_s_language_conventions() -> None:
    change = compare(BEFORE, Snapshot.of(summary(status="Processing", finallyDeal=1, money="7.25")))
    assert change is not None
    german = messages.dispute_change(change, None, translator("de"))
    assert "7,25\xa0$" in german and "$7.25" not in german
    russian = messages.daily_digest(0.0, 3, 2, 1, 0, 1, Decimal("1234.5"), translator("ru"))
    assert "1 янв. 1970" in russian and "1\xa0234,50\xa0$" in russian
