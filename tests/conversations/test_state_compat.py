"""A draft saved by the earlier, flat open-flow state still loads and resumes after the update."""

from __future__ import annotations

import json
import time

from conversations.open_state import OpenDisputeState, OpenStep
from store.conversations import ConversationStore
from tests.conversations.conftest import Chat

DELIVERED_FR = "SD2510031452310001"
TRAY = {
    "lineItemId": "1627572784056172548",
    "cjProductId": "1570030020423733312",
    "cjVariantId": "1570030020612477001",
    "canChoose": True,
    "price": "8.40",
    "quantity": 2,
    "cjProductName": "Bamboo Serving Tray 30cm",
    "cjImage": None,
    "sku": "CJJJ2203117-B",
    "supplierName": "Yiwu Home Supply",
}
# The shape conversations/open_dispute.py saved before the draft was grouped (one flat model).
FLAT_AT_REASON = {
    "flow": "open",
    "step": "reason",
    "nonce": "AbC123",
    "started_at": 0.0,
    "draft_key": "0123456789abcdef",
    "pending_order_id": None,
    "order_id": DELIVERED_FR,
    "order_number": "SHOP-1001",
    "order_status": "DELIVERED",
    "country": "FR",
    "out_warehouse_at": None,
    "track_number": "CJPKL0010233547FR",
    "existing_dispute_id": None,
    "items": [
        {
            "line_item_id": TRAY["lineItemId"],
            "name": "Bamboo Serving Tray 30cm",
            "sku": "CJJJ2203117-B",
            "price": "8.40",
            "ordered": 2,
            "raw": TRAY,
        }
    ],
    "not_choosable": 0,
    "selected": [0],
    "items_done": True,
    "lines": [{"index": 0, "quantity": 2}],
    "confirmed": {
        "lines": [{"index": 0, "quantity": 2}],
        "max_product": "16.80",
        "max_postage": "0",
        "max_ioss_tax": "0",
        "max_ioss_fee": "0",
        "max_total": "16.80",
        "reasons": [{"id": 8, "name": "Product Damaged"}, {"id": 2, "name": "Wrong Product Received"}],
        "expect_options": [1, 2],
    },
    "reason": None,
    "expect": None,
    "refund": None,
    "message": None,
    "evidence_done": False,
    "images": [],
    "videos": [],
    "media_without_url": 0,
    "tracking_status": None,
    "tracking_checked": False,
    "days_since_dispatch": None,
    "dispute_id": None,
}


def test_the_flat_shape_is_read_into_the_groups() -> None:
    state = OpenDisputeState.model_validate_json(json.dumps(FLAT_AT_REASON))
    assert state.step is OpenStep.REASON
    assert state.order.id == DELIVERED_FR and state.order.items[0].ordered == 2
    assert state.selection.picked == [0] and state.selection.done
    assert state.selection.confirmed is not None and [r.id for r in state.reasons()] == [8, 2]
    assert state.answers.reason is None and not state.evidence.done


async def test_an_old_draft_resumes_where_it_was(chat: Chat) -> None:
    ConversationStore(chat.store).save(
        chat.actor.chat_id, chat.actor.user_id, "open", "reason", json.dumps(FLAT_AT_REASON), time.time()
    )
    text = await chat.send("Product Damaged")  # typed label of the reason button
    assert "could not be restored" not in text
    assert "What do you want CJ to do?" in text
    await chat.press("Refund")
    await chat.press("CJ wallet balance")
    await chat.send("Both trays arrived cracked.")
    await chat.press("Skip")
    await chat.press("Confirm")
    [dispute] = chat.disputes(DELIVERED_FR)
    assert dispute["lines"] == [{"lineItemId": TRAY["lineItemId"], "quantity": 2}]
    assert dispute["disputeReasonId"] == 8
