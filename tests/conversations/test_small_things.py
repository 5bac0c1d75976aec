"""Small things a seller notices: typed words work like the buttons, invisible messages are
refused, the evidence asked for fits the reason, no delay warning on a delivered parcel, the
delay figures come from one table, and a refund says where the money goes."""

from __future__ import annotations

import re

import pytest

from conversations import policy
from i18n import ENGLISH
from store.conversations import ConversationStore
from tests.conversations.conftest import Chat

DELIVERED_FR = "SD2510031452310001"  # dripper ×1, tray ×2, delivered to France
LOST_ES = "SD2509051203380006"  # left the warehouse 75 days ago, never delivered
DELIVERED_NOT_RECEIVED = "SD2510121411070019"  # tracking says delivered
BRAZIL_NOT_LATE = "SD2509041019270008"  # 80 days out, Brazil's limit is 110
REFUNDED = "SH1990300112233445567"  # opened on CJ, not through Alex
INVISIBLE = ["\u200b", "\u200b\u200c\u200d\u2060", "\ufeff", "\u3164", "\u2800", " \u00a0 ", "\u202e\u202d"]


def _step(chat: Chat) -> str | None:
    saved = ConversationStore(chat.store).load(chat.actor.chat_id, chat.actor.user_id)
    return saved.step if saved else None


async def test_typed_back_done_skip_and_labels_work_like_the_buttons(chat: Chat) -> None:
    await chat.cmd("dispute", DELIVERED_FR)
    await chat.send("2")  # the 2nd item: the tray
    text = await chat.send("done")
    assert "How many" in text
    text = await chat.send("Back")
    assert "which items" in text and _step(chat) == "items"
    await chat.send("done")
    await chat.send("2")
    await chat.send("Product Damaged")  # a button's label, typed
    assert _step(chat) == "expect"
    await chat.send("refund")
    await chat.send("original payment method")
    assert _step(chat) == "msg"
    await chat.send("The trays arrived cracked.")
    text = await chat.send("skip")
    assert "Please check, then Confirm" in text
    text = await chat.send("edit")
    assert "What do you want to change?" in text
    text = await chat.send("back")
    assert "Please check, then Confirm" in text


async def test_typed_words_in_the_close_flow(chat: Chat) -> None:
    await chat.cmd("close", "SH1990300112233445566")
    await chat.send("SD2510150911460011")
    text = await chat.send("close it")
    assert text.startswith("Sure?")
    text = await chat.send("no")
    assert "Nothing changed" in text


@pytest.mark.parametrize("blank", INVISIBLE)
async def test_a_message_of_only_invisible_characters_is_refused(chat: Chat, blank: str) -> None:
    text = await chat.send(blank)
    assert "no visible text" in text
    await chat.cmd("dispute", DELIVERED_FR)
    await chat.press("Dripper")
    await chat.press("Done")
    await chat.press("Product Damaged")
    await chat.press("Refund")
    await chat.press("CJ wallet balance")
    text = await chat.send(blank)
    assert "no visible text" in text and _step(chat) == "msg"
    text = await chat.send(f"{blank}Arrived broken{blank}")  # visible text around them is fine
    assert "Evidence (optional" in text


async def _to_evidence(chat: Chat, order_id: str, reason: str) -> str:
    await chat.cmd("dispute", order_id)
    await chat.press("Done")
    await chat.press(reason)
    if "Refund" in chat.labels():
        await chat.press("Refund")
    if "CJ wallet balance" in chat.labels():
        await chat.press("CJ wallet balance")
    return await chat.send("The buyer says the parcel never came.")


async def test_not_received_asks_for_what_exists(chat: Chat) -> None:
    text = await _to_evidence(chat, LOST_ES, "Products Not Received")
    assert "buyer's message saying the parcel never came" in text
    assert "tracking page" in text
    assert "photo" not in text.split("What helps for this reason:")[1].split("Send them now")[0].lower()
    text = await chat.press("Skip")
    assert "No evidence yet" in text and "tracking page" in text
    assert "photos or a video of the item" not in text.lower()


async def test_damaged_asks_for_photos(chat: Chat) -> None:
    await chat.cmd("dispute", DELIVERED_FR)
    await chat.press("Dripper")
    await chat.press("Done")
    await chat.press("Product Damaged")
    await chat.press("Refund")
    text = await chat.press("CJ wallet balance")
    text = await chat.send("Cracked.")
    assert "Photos or a video of the damaged item" in text


async def test_no_delay_warning_on_a_delivered_parcel(chat: Chat) -> None:
    await _to_evidence(chat, DELIVERED_NOT_RECEIVED, "Products Not Received")
    text = await chat.press("Skip")
    assert "Tracking shows this parcel as delivered" in text
    assert "as delayed only" not in text


async def test_the_delay_warning_comes_from_the_policy_table(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _to_evidence(chat, BRAZIL_NOT_LATE, "Products Not Received")
    text = await chat.press("Skip")
    assert "CJ counts a parcel to Brazil as delayed only 110 days after it left the warehouse" in text
    assert "60 days in general, 45 for the US, 110 for Brazil" in text
    left = re.search(r"this one left (\d+) days ago", text)
    assert left is not None and int(left.group(1)) in (79, 80)  # 80 days out, give or take the clock
    monkeypatch.setitem(policy.DELAY_DAYS_BY_COUNTRY, "BR", 120)
    monkeypatch.setattr(policy, "DELAY_DAYS_DEFAULT", 50)
    assert policy.delay_rule(ENGLISH) == "50 days in general, 45 for the US, 120 for Brazil"


async def test_a_refund_says_where_the_money_goes(chat: Chat) -> None:
    await chat.cmd("dispute", DELIVERED_FR)
    await chat.press("Dripper")
    await chat.press("Done")
    await chat.press("Product Damaged")
    await chat.press("Refund")
    await chat.press("Original payment method")
    await chat.send("Arrived broken.")
    await chat.press("Skip")
    await chat.press("Confirm")
    [dispute] = chat.disputes(DELIVERED_FR)
    chat.sandbox.advance(86_400)
    text = await chat.cmd("status", dispute["id"])
    assert "Decision: refund" in text
    assert (
        "The refund goes to the original payment method, as you chose when Alex opened the dispute." in text
    )
    text = await chat.cmd("status", REFUNDED)
    assert "Alex cannot say which" in text


@pytest.mark.parametrize(
    ("lang", "typed"), [("es", "Cancelar"), ("fr", "annuler"), ("de", "Abbrechen"), ("ru", "отмена")]
)
async def test_typing_the_cancel_button_s_label_cancels_in_the_chat_s_language(
    chat: Chat, lang: str, typed: str
) -> None:
    await chat.cmd("language", lang)
    await chat.cmd("dispute", DELIVERED_FR)
    assert _step(chat) == "items"
    label = chat.engine.translator_for(chat.actor).gettext("Cancel")
    assert label.lower() == typed.lower(), label  # the catalog's own label, as a seller types it
    await chat.send(typed)
    assert _step(chat) is None


@pytest.mark.parametrize("verb", ["cerrar", "fermer", "fechar", "schließen", "закрыть", "close"])
async def test_close_and_a_dispute_id_in_any_language_starts_the_close_flow(chat: Chat, verb: str) -> None:
    text = await chat.send(f"{verb} SH1990300112233445566")
    assert re.search(r"order id|SD…", text), text  # the close flow asks for the dispute's order
