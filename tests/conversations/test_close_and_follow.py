"""Closing disputes (two confirmations) and following them (/disputes, /status)."""

from __future__ import annotations

from tests.conversations.conftest import Chat

OPEN_WEB = "SH1990300112233445566"  # open, on SD2510150911460011
REFUNDED = "SH1990300112233445567"  # decided: refund
CANCELLED = "SH1990300112233445568"
LOST_ES = "SD2509051203380006"


def status_of(chat: Chat, dispute_id: str) -> str:
    return next(d["status"] for d in chat.disputes() if d["id"] == dispute_id)


async def test_close_from_the_list_with_two_confirmations(chat: Chat) -> None:
    text = await chat.cmd("close")
    assert "Which dispute do you want to close?" in text and OPEN_WEB in text
    assert REFUNDED not in text and CANCELLED not in text  # only open ones
    text = await chat.press(OPEN_WEB)
    assert f"Dispute {OPEN_WEB}" in text  # opened on CJ's website: CJ does not say which order
    assert "Which order (SD…) is it for?" in text
    text = await chat.send("SD2510031452310001")
    assert f"CJ lists no dispute {OPEN_WEB} on order SD2510031452310001" in text
    text = await chat.send("SD2510150911460011")
    assert "CJ processes the order again" in text and "Closing cannot be taken back" in text
    text = await chat.press("Close this dispute")
    assert text.startswith("Sure?")
    assert status_of(chat, OPEN_WEB) == "Processing"
    yes = chat.button("Yes, close it for good")
    text = await chat.send(yes)
    assert f"Dispute {OPEN_WEB} is closed" in text
    assert status_of(chat, OPEN_WEB) == "Cancelled"
    text = await chat.send(yes)
    assert text.startswith(f"Already closed: {OPEN_WEB}")


async def test_close_by_id_and_change_of_mind(chat: Chat) -> None:
    await chat.cmd("close", OPEN_WEB.lower())
    await chat.send("SD2510150911460011")
    await chat.press("Close this dispute")
    text = await chat.press("Back")
    assert "Close this dispute" in chat.labels() and f"Dispute {OPEN_WEB}" in text
    await chat.press("Close this dispute")
    text = await chat.press("No, keep it open")
    assert "Nothing changed" in text
    assert status_of(chat, OPEN_WEB) == "Processing"


async def test_close_refuses_what_is_not_open_or_not_a_dispute(chat: Chat) -> None:
    text = await chat.cmd("close", REFUNDED)
    assert "no longer open" in text and "Decision: refund of $3.95" in text
    await chat.cmd("close")
    text = await chat.send("SD2510150911460011")
    assert "SD2510150911460011 is an order id" in text
    text = await chat.send("hmm")
    assert "Send the dispute id: SH followed by digits" in text
    text = await chat.send("SH0000000000000000404")
    assert "CJ has no dispute SH0000000000000000404" in text


async def test_cj_failure_while_closing_is_retryable(chat: Chat) -> None:
    await chat.cmd("close", OPEN_WEB)
    await chat.send("SD2510150911460011")
    await chat.press("Close this dispute")
    chat.sandbox.add_faults(*[{"fault": "http_5xx", "path": "disputes/cancel"}] * 4)
    text = await chat.press("Yes, close it for good")
    assert "CJ did not answer in time while closing the dispute" in text
    assert status_of(chat, OPEN_WEB) == "Processing"
    await chat.restart()
    text = await chat.press("Yes, close it for good")
    assert "is closed" in text and status_of(chat, OPEN_WEB) == "Cancelled"


async def test_disputes_list_pages(chat: Chat) -> None:
    text = await chat.cmd("disputes")
    assert "Your disputes, page 1 of 1 (3 in all)" in text
    assert "refund of $3.95" in text and "under review" in text
    assert REFUNDED in " ".join(chat.labels())
    text = await chat.press(REFUNDED)
    assert "Decision: refund of $3.95." in text and "Product Cost: $3.95" in text


async def test_disputes_list_paginates(chat: Chat) -> None:
    for order_id in ("SD2510051030220002", LOST_ES, "SD2510121411070019"):
        await chat.cmd("dispute", order_id)
        await chat.press("Done")
        await chat.send("1")
        await chat.press("Refund") if "Refund" in chat.labels() else None
        await chat.press("CJ wallet balance")
        await chat.send("Problem with the parcel.")
        await chat.press("Skip")
        await chat.press("Confirm")
    text = await chat.cmd("disputes")
    assert "page 1 of 2 (6 in all)" in text
    text = await chat.press("Next")
    assert "page 2 of 2" in text and "6." in text
    text = await chat.press("Previous")
    assert "page 1 of 2" in text


async def test_status_shows_the_refund_breakdown_once_decided(chat: Chat) -> None:
    await chat.cmd("dispute", LOST_ES)
    await chat.press("Done")
    await chat.press("Products Not Received")
    await chat.press("Refund")
    await chat.press("CJ wallet balance")
    await chat.send("Never arrived after 75 days.")
    await chat.press("Skip")
    text = await chat.press("Confirm")
    dispute_id = chat.disputes(LOST_ES)[0]["id"]
    text = await chat.cmd("status", dispute_id)
    assert "Decision: not yet" in text and "2 working days" in text
    assert "Close this dispute" in chat.labels()
    chat.sandbox.advance(chat.sandbox.config.resolve_after + 1)
    text = await chat.press("Refresh")
    assert "Decision: refund of $23.46." in text
    for part in (
        "Product Cost: $15.50",
        "Shipping Cost: $4.20",
        "IOSS Tax: $3.26",
        "IOSS Handling Fee: $0.50",
    ):
        assert part in text
    assert "Close this dispute" not in chat.labels()


async def test_status_needs_a_dispute_id(chat: Chat) -> None:
    text = await chat.cmd("status", "SD2509051203380006")
    assert "Send /status with a dispute id" in text
    text = await chat.cmd("status", "SH0000000000000000404")
    assert "CJ has no dispute SH0000000000000000404" in text


async def test_status_while_a_draft_waits_reminds_of_it(chat: Chat) -> None:
    await chat.cmd("dispute", "SD2510031452310001")
    text = await chat.cmd("status", REFUNDED)
    assert "Still waiting on your dispute draft for order SD2510031452310001" in text
    await chat.press("Dripper")  # the draft is untouched
    assert "☑ Ceramic" in " ".join(chat.labels())


async def test_a_dispute_opened_through_alex_closes_without_asking_the_order(chat: Chat) -> None:
    await chat.cmd("dispute", "SD2510051030220002")
    await chat.press("Done")
    await chat.press("Wrong Product Received")
    await chat.press("Reissue")
    await chat.send("Wrong colour.")
    await chat.press("Skip")
    await chat.press("Confirm")
    dispute_id = chat.disputes("SD2510051030220002")[0]["id"]
    await chat.restart()
    text = await chat.cmd("close", dispute_id)
    assert (
        "Order: SD2510051030220002" in text
        or "on order SD2510051030220002" in text
        or "Close this dispute" in chat.labels()
    )
    await chat.press("Close this dispute")
    text = await chat.press("Yes, close it for good")
    assert f"Dispute {dispute_id} is closed. CJ will process order SD2510051030220002 again." in text
    assert status_of(chat, dispute_id) == "Cancelled"
