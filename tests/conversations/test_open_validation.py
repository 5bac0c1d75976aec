"""Every wrong answer in the open flow: says what is expected and keeps the draft."""

from __future__ import annotations

from conversations.open_dispute import MEDIA_MAX_COUNT
from tests.conversations.conftest import Chat

DELIVERED_FR = "SD2510031452310001"


REFUSED_ORDERS = [
    ("hello there!", "I need an order here"),
    ("SH1623673863466725376", "is a dispute id"),
    ("SD0000000000000404", "CJ has no order SD0000000000000404"),
    ("SD2511221745090004", "is not paid yet"),
    ("SD2511151620580017", "is cancelled on CJ"),
    ("SD2510110844010010", "was not created through the API"),
    ("SD2506170812230016", "None of the items of order SD2506170812230016 can be disputed any more"),
]


async def test_orders_that_cannot_be_disputed_are_explained(chat: Chat) -> None:
    before = chat.disputes()
    await chat.cmd("dispute")
    for order_id, expected in REFUSED_ORDERS:
        text = await chat.send(order_id)
        assert expected in text, order_id
        assert "Which order is the dispute for?" in text  # the question is asked again, the draft kept
    assert chat.disputes() == before
    text = await chat.send("SD2510031452310001")
    assert "which items" in text


async def test_not_via_api_points_to_the_website(chat: Chat) -> None:
    text = await chat.cmd("dispute", "SD2510110844010010")
    assert "Orders > Orders Fulfillment" in text and "Open Dispute" in text


async def test_order_with_a_dispute_in_progress_is_explained(chat: Chat) -> None:
    text = await chat.cmd("dispute", "SD2510150911460011")
    assert "already" in text and "SH" in text


async def test_items_need_a_selection_and_typed_numbers_toggle(chat: Chat) -> None:
    await chat.cmd("dispute", DELIVERED_FR)
    text = await chat.press("Done")
    assert "Pick at least one item first." in text
    text = await chat.send("no idea")
    assert "Please answer with the buttons below" in text
    await chat.send("2")
    assert "☑ Bamboo" in " ".join(chat.labels())


async def test_quantity_out_of_range(chat: Chat) -> None:
    await chat.cmd("dispute", DELIVERED_FR)
    await chat.press("Bamboo")
    await chat.press("Done")
    for answer in ("0", "3", "two", "-1", "1.5"):
        text = await chat.send(answer)
        assert "Send a whole number from 1 to 2." in text, answer
    text = await chat.send("2")
    assert "What went wrong?" in text


async def _to_message(chat: Chat) -> None:
    await chat.cmd("dispute", DELIVERED_FR)
    await chat.press("Dripper")
    await chat.press("Done")
    await chat.press("Product Damaged")
    await chat.press("Refund")
    await chat.press("CJ wallet balance")


async def test_message_required_and_limited_to_500_characters(chat: Chat) -> None:
    await _to_message(chat)
    text = await chat.send("   ")
    assert "no visible text" in text
    text = await chat.send("\u200b\u200d\u2060\u3164")
    assert "no visible text" in text and "Write the message for CJ" in text
    text = await chat.send("x" * 537)
    assert "That message is 537 characters: 37 over CJ's limit of 500" in text
    text = await chat.send("y" * 500)
    assert "Evidence (optional" in text


async def test_evidence_rules(chat: Chat) -> None:
    await _to_message(chat)
    text = await chat.photo("https://example.com/early.jpg")
    assert "Photos and videos are taken at the evidence step" in text
    await chat.send("It broke in transit.")
    text = await chat.photo(None)
    assert "no public address" in text and "AS Service Center > View" in text
    text = await chat.photo("https://example.com/" + "a" * 200)
    assert "not usable by CJ" in text
    text = await chat.photo("ftp://example.com/a.jpg")
    assert "not usable by CJ" in text
    for i in range(MEDIA_MAX_COUNT):
        text = await chat.photo(f"https://example.com/{i}.jpg")
    assert f"more than {MEDIA_MAX_COUNT} files" in text
    text = await chat.press("Clear evidence")
    assert "Evidence cleared." in text and "Files so far: 0" in text
    await chat.photo("https://example.com/keep.jpg")
    text = await chat.send("done")
    assert "Evidence: 1 file sent to CJ" in text


async def test_text_where_a_button_is_expected(chat: Chat) -> None:
    await _to_message(chat)
    await chat.send("msg")
    await chat.press("Skip")
    text = await chat.send("yes please")
    assert "Please answer with the buttons below" in text
    assert "Confirm and open" in chat.labels()


async def test_typed_number_outside_the_choices(chat: Chat) -> None:
    await chat.cmd("dispute", DELIVERED_FR)
    await chat.press("Dripper")
    await chat.press("Done")
    text = await chat.send("9")
    assert "9 is not one of the choices" in text and "from 1 to 5" in text
    text = await chat.send("1")
    assert "What do you want CJ to do?" in text
    text = await chat.send("7")
    assert "7 is not one of the choices" in text
