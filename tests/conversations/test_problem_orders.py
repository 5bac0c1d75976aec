"""Problem orders told up front: a line under an open dispute names that dispute and what to do,
a refusal that will not change is never offered as "Try again", bulk (ZF) orders are asked of
CJ and CJ's answer relayed. Plus CJ answers the sandbox never gives: an empty reason name, a
dispute id too long for a button."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cj.errors import CJBusinessError
from cj.models import DisputeConfirmInfo, DisputePage, DisputeReason, DisputeSummary
from conversations.buttons import RunCommand, unpack
from tests.conversations.conftest import Chat
from tests.conversations.tweaked import Tweaked

DELIVERED_FR = "SD2510031452310001"  # dripper ×1, tray ×2
ALL_HELD = "SD2510150911460011"  # its only line is in SH1990300112233445566, still open
OPEN_WEB = "SH1990300112233445566"
BULK = "ZF2510201502110014"
LONG_ID = "SH" + "7" * 70  # over what a 64-byte button can carry


def _data(chat: Chat) -> list[str]:
    return [b.data for r in chat.last for row in r.buttons for b in row]


async def _open_on_tray(chat: Chat) -> str:
    await chat.cmd("dispute", DELIVERED_FR)
    await chat.press("Bamboo")
    await chat.press("Done")
    await chat.press("2")
    await chat.press("Product Damaged")
    await chat.press("Refund")
    await chat.press("CJ wallet balance")
    await chat.send("Both trays arrived cracked.")
    await chat.press("Skip")
    await chat.press("Confirm")
    [dispute] = chat.disputes(DELIVERED_FR)
    return str(dispute["id"])


async def test_a_line_under_an_open_dispute_is_named_and_the_refusal_not_offered_again(chat: Chat) -> None:
    held = await _open_on_tray(chat)
    text = await chat.cmd("dispute", DELIVERED_FR)
    assert f"Dispute {held} is still open on this order for: Bamboo Serving Tray 30cm" in text
    assert f"/close {held}" in text
    assert "closed its dispute window" not in text  # the tray's window did not close: it is held
    assert [label[2:] for label in chat.labels() if label[:1] in "☐☑"] == [
        "Ceramic Pour-Over Coffee Dripper ×1 $11.90"
    ]
    text = await chat.press("Done")  # the dripper is preselected; CJ refuses while SH… is open
    assert "CJ said no" in text and "dispute in progress" in text
    assert f"Dispute {held} is still open on this order" in text
    assert "Try again" not in chat.labels()
    commands = [unpack(d) for d in _data(chat)]
    assert RunCommand(command="close", arg=held) in commands
    assert RunCommand(command="status", arg=held) in commands
    assert "which items" in text  # back at the items, the draft kept
    assert len(chat.disputes(DELIVERED_FR)) == 1


async def test_an_order_wholly_under_an_open_dispute_says_which_and_what_to_do(chat: Chat) -> None:
    text = await chat.cmd("dispute", ALL_HELD)
    assert f"Every item of order {ALL_HELD} is already in dispute {OPEN_WEB}" in text
    assert "Wait for CJ's decision" in text and f"/close {OPEN_WEB}" in text
    assert "Try again" not in chat.labels()
    assert RunCommand(command="close", arg=OPEN_WEB) in [unpack(d) for d in _data(chat)]
    text = await chat.press(f"Close {OPEN_WEB}")
    assert f"Dispute {OPEN_WEB}" in text  # the close flow, for that dispute


async def test_closed_windows_are_told_apart_from_held_lines(chat: Chat) -> None:
    text = await chat.cmd("dispute", "SD2510090955410015")  # sunglasses line: window closed
    assert "1 other item cannot be disputed any more: CJ closed its dispute window." in text
    assert "still open on this order" not in text


async def test_bulk_orders_are_asked_of_cj(chat: Chat) -> None:
    before = chat.sandbox.snapshot()["calls"].get("disputes/disputeProducts", 0)
    text = await chat.cmd("dispute", BULK)
    assert chat.sandbox.snapshot()["calls"].get("disputes/disputeProducts", 0) == before + 1
    assert f"Order {BULK}: which items" in text and any("Acrylic Display Stand" in x for x in chat.labels())


async def test_a_bulk_order_cj_refuses_relays_cj_s_answer(chat: Chat) -> None:
    async def refuse(order_id: str) -> Any:
        raise CJBusinessError("Bulk purchase orders cannot be disputed through the API", code=1607006)

    chat.engine._cj = Tweaked(chat.cj, dispute_products=refuse)  # type: ignore[attr-defined]
    text = await chat.cmd("dispute", BULK)
    assert '"Bulk purchase orders cannot be disputed through the API"' in text
    assert "My CJ > Purchase List" in text
    assert "Try again" not in chat.labels()


async def test_an_empty_reason_name_from_cj_still_gives_a_button(chat: Chat) -> None:
    real = chat.cj

    async def confirm_info(order_id: str, lines: list[dict[str, Any]]) -> DisputeConfirmInfo:
        info = await real.dispute_confirm_info(order_id, lines)
        return info.model_copy(
            update={"disputeReasonList": [DisputeReason(disputeReasonId=8, reasonName="")]}
        )

    chat.engine._cj = Tweaked(real, dispute_confirm_info=confirm_info)  # type: ignore[attr-defined]
    await chat.cmd("dispute", "SD2510051030220002")
    text = await chat.press("Done")
    assert "What went wrong?" in text
    assert "Reason 8 (CJ gave no name)" in chat.labels()
    text = await chat.press("Reason 8")
    assert "What do you want CJ to do?" in text


async def test_a_dispute_id_too_long_for_a_button_never_breaks_a_reply(chat: Chat) -> None:
    real = chat.cj

    async def create(request: Any, *, actor: str | None = None) -> DisputeSummary:
        await real.create_dispute(request, actor=actor)
        return DisputeSummary(id=LONG_ID, status="Processing")

    async def listing(*args: Any, **kwargs: Any) -> DisputePage:
        return DisputePage(
            total=1, list=[DisputeSummary(id=LONG_ID, status="Processing", money=Decimal("1"))]
        )

    chat.engine._cj = Tweaked(real, create_dispute=create, list_disputes=listing)  # type: ignore[attr-defined]
    await chat.cmd("dispute", "SD2510051030220002")
    await chat.press("Done")
    await chat.press("Wrong Product Received")
    await chat.press("Reissue")
    await chat.send("Blue instead of red.")
    await chat.press("Skip")
    text = await chat.press("Confirm")  # CJ has created it: the reply must not fail now
    assert f"Dispute {LONG_ID} is open" in text and f"/status {LONG_ID}" in text
    assert "Check status" not in chat.labels()
    text = await chat.cmd("disputes")
    assert LONG_ID in text and f"/status {LONG_ID}" in text
    assert all(len(d.encode()) <= 64 for d in _data(chat))
