"""Opening a dispute end to end: engine → real CJ client → HTTP → sandbox, SQLite on disk."""

from __future__ import annotations

from tests.conversations.conftest import Chat

DELIVERED_FR = "SD2510031452310001"  # dripper ×1 and tray ×2, delivered to France
WRONG_COLOUR_US = "SD2510051030220002"  # one line, delivered to the US
PROCESSING_DE = "SD2511191108450003"  # still in the warehouse: refund only
LOST_ES = "SD2509051203380006"  # left the warehouse 75 days ago, IOSS
DELIVERED_NOT_RECEIVED = "SD2510121411070019"  # tracking says delivered
BRAZIL_NOT_LATE = "SD2509041019270008"  # 80 days out, Brazil limit is 110


async def test_refund_for_one_of_two_items_with_evidence(chat: Chat) -> None:
    text = await chat.cmd("dispute", DELIVERED_FR)
    assert "which items" in text
    assert chat.labels()[:2] == [
        "☐ Ceramic Pour-Over Coffee Dripper ×1 $11.90",
        "☐ Bamboo Serving Tray 30cm ×2 $8.40",
    ]
    await chat.press("Bamboo")
    assert "☑ Bamboo" in " ".join(chat.labels())
    text = await chat.press("Done")
    assert "How many" in text and "From 1 to 2" in text
    text = await chat.press("2")
    assert "The most CJ can refund" in text and "products $16.80" in text and "total $16.80." in text
    text = await chat.press("Product Damaged")
    assert "What do you want CJ to do?" in text
    await chat.press("Refund")
    text = await chat.press("Original payment method")
    assert "1-500 characters" in text
    text = await chat.send("Both trays arrived cracked; the buyer emailed photos.")
    assert "screenshot of the buyer's complaint showing their email" in text
    assert "damaged item" in text
    text = await chat.photo("https://example.com/evidence/tray-1.jpg")
    assert "1 file for CJ" in text
    await chat.photo("https://example.com/evidence/tray.mp4", kind="video")
    text = await chat.press("Done")
    assert "Please check, then Confirm" in text
    assert "Bamboo Serving Tray 30cm × 2 ($8.40 each)" in text
    assert "refund to the original payment method" in text
    assert "CJ stops processing this order while the dispute is open." in text
    text = await chat.press("Confirm")
    [dispute] = chat.disputes(DELIVERED_FR)
    assert dispute["id"] in text and "2 working days" in text
    assert dispute["lines"] == [{"lineItemId": "1627572784056172548", "quantity": 2}]
    assert (dispute["disputeReasonId"], dispute["expectType"], dispute["refundType"]) == (8, 1, 2)
    assert dispute["imageUrl"] == ["https://example.com/evidence/tray-1.jpg"]
    assert chat.labels() == ["Check status"]
    text = await chat.press("Check status")
    assert f"Dispute {dispute['id']}" in text and "Decision: not yet" in text


async def test_reissue_single_item_skips_items_quantity_and_refund_route(chat: Chat) -> None:
    await chat.cmd("dispute", WRONG_COLOUR_US)
    text = await chat.press("Done")  # the only item is preselected, ordered once: no quantity question
    assert "What went wrong?" in text
    await chat.press("Wrong Product Received")
    text = await chat.press("Reissue")
    assert "1-500 characters" in text  # no refund route for a reissue
    await chat.send("Buyer got a blue one instead of the black one.")
    text = await chat.press("Skip")
    assert "a reissue" in text
    assert "No evidence yet: for shipped orders CJ expects proof" in text
    await chat.press("Confirm")
    [dispute] = chat.disputes(WRONG_COLOUR_US)
    assert dispute["expectType"] == 2


async def test_processing_order_offers_refund_only_and_no_proof(chat: Chat) -> None:
    await chat.cmd("dispute", PROCESSING_DE)
    await chat.press("☐")  # first item
    await chat.press("☐")  # second item
    text = await chat.press("Done")
    assert "postage $" in text
    text = await chat.press("Unfulfilled Order Cancellation")
    assert "CJ offers only a refund for this selection." in text
    assert "Where should the refund go?" in text
    text = await chat.press("CJ wallet balance")
    await chat.send("Customer cancelled before shipping.")
    assert "No proof needed" in chat.log[-1]
    text = await chat.press("Skip")
    assert "No evidence" not in text
    await chat.press("Confirm")
    [dispute] = chat.disputes(PROCESSING_DE)
    assert len(dispute["lines"]) == 2 and dispute["refundType"] == 1


async def test_summary_warns_when_tracking_says_delivered(chat: Chat) -> None:
    await chat.cmd("dispute", DELIVERED_NOT_RECEIVED)
    await chat.press("Done")
    await chat.press("Products Not Received")
    await chat.press("Refund")
    await chat.press("CJ wallet balance")
    await chat.send("Buyer says it never arrived.")
    text = await chat.press("Skip")
    assert "Tracking shows this parcel as delivered: CJ gives no refund" in text


async def test_summary_applies_the_country_delay_rule(chat: Chat) -> None:
    await chat.cmd("dispute", BRAZIL_NOT_LATE)
    await chat.press("Done")
    await chat.press("Products Not Received")
    await chat.press("Refund")
    await chat.press("CJ wallet balance")
    await chat.send("Nothing arrived yet.")
    text = await chat.press("Skip")
    assert "as delayed only 110 days after it left the warehouse" in text


async def test_ioss_amounts_are_shown(chat: Chat) -> None:
    await chat.cmd("dispute", LOST_ES)
    text = await chat.press("Done")
    assert "IOSS tax $" in text and "fee $" in text


async def test_back_and_edit_keep_the_other_answers(chat: Chat) -> None:
    await chat.cmd("dispute", DELIVERED_FR)
    await chat.press("Bamboo")
    await chat.press("Done")
    await chat.press("1")
    await chat.press("Product Damaged")
    text = await chat.press("Back")
    assert "What went wrong?" in text
    text = await chat.press("Back")
    assert "How many" in text
    await chat.press("2")
    await chat.press("Quality Problem")
    await chat.press("Refund")
    await chat.press("CJ wallet balance")
    await chat.send("First message")
    await chat.press("Skip")
    await chat.press("Edit")
    text = await chat.press("Message")
    assert "1-500 characters" in text
    text = await chat.send("Second message")
    assert "Please check, then Confirm" in text and "Message: Second message" in text
    assert "Quality Problem" in text
    await chat.press("Edit")
    await chat.press("Items and quantities")
    await chat.press("Dripper")
    await chat.press("Done")
    text = await chat.press("1")  # tray quantity asked again; the dripper was ordered once
    assert "Please check, then Confirm" in text
    assert "Ceramic Pour-Over Coffee Dripper × 1" in text and "Bamboo Serving Tray 30cm × 1" in text
    await chat.press("Confirm")
    [dispute] = chat.disputes(DELIVERED_FR)
    assert len(dispute["lines"]) == 2
