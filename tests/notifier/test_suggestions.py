"""Delay suggestions: CJ's thresholds by destination, one per order, a button that opens the flow."""

from __future__ import annotations

from datetime import UTC, datetime

from notifier.clock import FakeClock
from notifier.suggestions import DAY, DelayScanner, delay_threshold_days, is_delayed
from store import outbox
from store.db import Store
from tests.notifier.conftest import GROUP_A
from tests.notifier.fake_cj import FakeDisputeCJ

NOW = 1_767_225_600.0


def ago(days: float) -> datetime:
    return datetime.fromtimestamp(NOW - days * DAY, tz=UTC)


def test_thresholds_follow_cj_policy() -> None:
    assert (delay_threshold_days("US"), delay_threshold_days("br"), delay_threshold_days("FR")) == (
        45,
        110,
        60,
    )
    assert is_delayed(ago(46), "US", NOW) and not is_delayed(ago(46), "FR", NOW)
    assert not is_delayed(ago(100), "BR", NOW) and is_delayed(ago(111), "BR", NOW)
    assert not is_delayed(None, "US", NOW)


async def test_scan_suggests_each_overdue_order_once(store: Store, fake_cj: FakeDisputeCJ) -> None:
    def order(order_id: str, paid_days_ago: float) -> dict:
        return {
            "orderId": order_id,
            "orderStatus": "SHIPPED",
            "trackNumber": f"T{order_id}",
            "paymentDate": int((NOW - paid_days_ago * DAY) * 1000),
        }

    fake_cj.orders = [order("SD1", 50), order("SD2", 50), order("SD3", 10), order("SD4", 120)]
    fake_cj.order_details = {
        "SD1": {
            "orderId": "SD1",
            "shippingCountryCode": "US",
            "outWarehouseTime": int((NOW - 47 * DAY) * 1000),
        },
        "SD2": {
            "orderId": "SD2",
            "shippingCountryCode": "FR",
            "outWarehouseTime": int((NOW - 47 * DAY) * 1000),
        },
        "SD4": {
            "orderId": "SD4",
            "shippingCountryCode": "DE",
            "outWarehouseTime": int((NOW - 115 * DAY) * 1000),
            "disputeId": "SH9",
        },  # already disputed
    }
    scanner = DelayScanner(store=store, cj=fake_cj, groups=lambda: [GROUP_A], clock=FakeClock(NOW))
    report = await scanner.scan()
    assert report.suggested == 1 and report.candidates == 3  # SD3 is too recent to ask CJ about
    rows = outbox.due(store, float("inf"))
    assert [r.buttons for r in rows] == [((("Open a dispute", "go:dispute:SD1"),),)]
    assert "more than 45 days" in rows[0].text
    again = await scanner.scan()
    assert again.suggested == 0 and again.candidates == 2  # SD1 is not looked at again
