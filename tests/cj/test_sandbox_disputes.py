"""The six dispute endpoints of the sandbox: shapes, validation, idempotency and the life cycle."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from cj.sandbox import SandboxServer
from tests.cj import SandboxApi, http_client
from tests.conftest import SANDBOX_API_KEY

DELIVERED_FR = "SD2510031452310001"  # refund 11.90
FR_LINE, FR_TRAY = "1627572784056172547", "1627572784056172548"
REISSUE_US = "SD2510051030220002"
REISSUE_US_LINE = "1627590011203378177"
PROCESSING_DE = "SD2511191108450003"
PROCESSING_LINES = ("1627601299810082817", "1627601299810082818")
UNPAID = "SD2511221745090004"
CANCELLED_ORDER = "SD2511151620580017"
REJECT_DE = "SD2511080822170005"
REJECT_LINE = "1627620301927763969"
LOST_ES = "SD2509051203380006"
LOST_ES_LINE = "1627633390012876801"
NOT_VIA_API = "SD2510110844010010"
WEBSITE_DISPUTE_ORDER, WEBSITE_DISPUTE = "SD2510150911460011", "SH1990300112233445566"
DECIDED_ORDER, DECIDED_DISPUTE = "SD2509280715330012", "SH1990300112233445567"
CANCELLED_DISPUTE_ORDER = "SD2511011238470013"
CANCELLED_DISPUTE_LINE = "1627700031128856577"
WINDOW_CLOSED_ORDER, WINDOW_CLOSED_LINE = "SD2510090955410015", "1627720066612349441"
BULK = "ZF2510201502110014"


@pytest.fixture
async def api(sandbox: SandboxServer) -> AsyncIterator[SandboxApi]:
    async with http_client() as http:
        client = SandboxApi(sandbox, http)
        await client.login(SANDBOX_API_KEY)
        yield client


def create_body(order_id: str = DELIVERED_FR, line: str = FR_LINE, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "orderId": order_id,
        "businessDisputeId": f"alex-{order_id}-1",
        "disputeReasonId": 8,
        "expectType": 1,
        "refundType": 1,
        "messageText": "The dripper arrived broken, photos attached.",
        "imageUrl": ["https://example.com/evidence/1.jpg"],
        "productInfoList": [{"lineItemId": line, "quantity": "1"}],
    }
    body.update(overrides)
    return body


async def disputes_of(api: SandboxApi, order_id: str) -> list[dict[str, Any]]:
    reply = await api.get("disputes/getDisputeList", {"orderId": order_id})
    assert reply["code"] == 200, reply
    return reply["data"]["list"]


# --- disputeProducts ------------------------------------------------------------------------


async def test_dispute_products_lists_every_line(api: SandboxApi) -> None:
    reply = await api.get("disputes/disputeProducts", {"orderId": DELIVERED_FR})
    assert reply["code"] == 200
    data = reply["data"]
    assert data["orderId"] == DELIVERED_FR and data["orderNumber"] == "SHOP-1001"
    assert [p["lineItemId"] for p in data["productInfoList"]] == [FR_LINE, FR_TRAY]
    assert data["productInfoList"][1]["quantity"] == 2
    assert all(p["canChoose"] is True for p in data["productInfoList"])


async def test_closed_window_lines_are_listed_with_can_choose_false(api: SandboxApi) -> None:
    data = (await api.get("disputes/disputeProducts", {"orderId": WINDOW_CLOSED_ORDER}))["data"]
    flags = {p["lineItemId"]: p["canChoose"] for p in data["productInfoList"]}
    assert flags[WINDOW_CLOSED_LINE] is False and sum(flags.values()) == 2


async def test_bulk_order_is_disputable(api: SandboxApi) -> None:
    reply = await api.get("disputes/disputeProducts", {"orderId": BULK})
    assert reply["code"] == 200 and len(reply["data"]["productInfoList"]) == 3


@pytest.mark.parametrize("order_id", [UNPAID, CANCELLED_ORDER])
async def test_unpaid_or_cancelled_order_cannot_be_disputed_anywhere(api: SandboxApi, order_id: str) -> None:
    line = {"lineItemId": "x", "quantity": 1}
    replies = [
        await api.get("disputes/disputeProducts", {"orderId": order_id}),
        await api.post("disputes/disputeConfirmInfo", {"orderId": order_id, "productInfoList": [line]}),
        await api.post("disputes/create", create_body(order_id, "x")),
    ]
    assert [r["code"] for r in replies] == [1607006, 1607007, 1607008]
    assert all(r["message"] == "Order cannot be disputed" and r["result"] is False for r in replies)


async def test_order_not_created_through_the_api_is_refused_with_a_clear_message(api: SandboxApi) -> None:
    line = {"lineItemId": "1627670099913326593", "quantity": 1}
    replies = [
        await api.get("disputes/disputeProducts", {"orderId": NOT_VIA_API}),
        await api.post("disputes/disputeConfirmInfo", {"orderId": NOT_VIA_API, "productInfoList": [line]}),
        await api.post("disputes/create", create_body(NOT_VIA_API, line["lineItemId"])),
    ]
    assert [r["code"] for r in replies] == [1607006, 1607007, 1607008]
    assert all("not created through the API" in r["message"] and "website" in r["message"] for r in replies)


async def test_unknown_order_is_1603100(api: SandboxApi) -> None:
    reply = await api.get("disputes/disputeProducts", {"orderId": "SD0000000000000000"})
    assert reply["code"] == 1603100 and reply["data"] is None


async def test_missing_order_id_is_a_param_error_naming_it(api: SandboxApi) -> None:
    reply = await api.get("disputes/disputeProducts")
    assert reply["code"] == 1600100 and "orderId" in reply["message"]


# --- disputeConfirmInfo ---------------------------------------------------------------------


async def test_confirm_info_amounts_options_and_reasons(api: SandboxApi) -> None:
    body = {"orderId": DELIVERED_FR, "productInfoList": [{"lineItemId": FR_TRAY, "quantity": "2"}]}
    response = await api.raw_post("disputes/disputeConfirmInfo", body)
    assert '"maxProductPrice":16.80' in response.text and '"maxPostage":0.00' in response.text
    data = response.json()["data"]
    assert data["maxAmount"] == 16.8
    assert data["expectResultOptionList"] == ["1", "2"]
    assert {r["disputeReasonId"] for r in data["disputeReasonList"]} >= {8}
    assert data["productInfoList"][0]["quantity"] == 2


async def test_confirm_info_whole_lost_order_adds_postage_and_ioss(api: SandboxApi) -> None:
    body = {"orderId": LOST_ES, "productInfoList": [{"lineItemId": LOST_ES_LINE, "quantity": 1}]}
    data = (await api.post("disputes/disputeConfirmInfo", body))["data"]
    amounts = ("maxProductPrice", "maxPostage", "maxIossTaxAmount", "maxIossHandTaxAmount")
    assert [data[name] for name in amounts] == [15.5, 4.2, 3.26, 0.5]
    assert data["maxAmount"] == 23.46
    assert {r["reasonName"] for r in data["disputeReasonList"]} >= {"Products Not Received"}


async def test_confirm_info_before_shipping_offers_refund_only(api: SandboxApi) -> None:
    lines = [{"lineItemId": line, "quantity": 1} for line in PROCESSING_LINES]
    body = {"orderId": PROCESSING_DE, "productInfoList": lines}
    data = (await api.post("disputes/disputeConfirmInfo", body))["data"]
    assert data["expectResultOptionList"] == ["1"]
    assert [r["disputeReasonId"] for r in data["disputeReasonList"]] == [1]
    assert data["maxAmount"] == 27.15  # 14.75 + 7.30 + 5.10 postage


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ({"lineItemId": FR_TRAY, "quantity": 3}, "between 1 and 2"),
        ({"lineItemId": FR_TRAY, "quantity": 0}, "between 1 and 2"),
        ({"lineItemId": "999", "quantity": 1}, "not in order"),
    ],
)
async def test_confirm_info_refuses_bad_lines(api: SandboxApi, line: dict[str, Any], needle: str) -> None:
    body = {"orderId": DELIVERED_FR, "productInfoList": [line]}
    reply = await api.post("disputes/disputeConfirmInfo", body)
    assert reply["code"] == 1607007 and needle in reply["message"]


async def test_confirm_info_refuses_a_line_whose_window_closed(api: SandboxApi) -> None:
    line = {"lineItemId": WINDOW_CLOSED_LINE, "quantity": 1}
    body = {"orderId": WINDOW_CLOSED_ORDER, "productInfoList": [line]}
    reply = await api.post("disputes/disputeConfirmInfo", body)
    assert reply["code"] == 1607007 and "can no longer be disputed" in reply["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"productInfoList": [{"lineItemId": FR_LINE, "quantity": 1}]}, "orderId"),
        ({"orderId": DELIVERED_FR, "productInfoList": []}, "productInfoList"),
        (
            {"orderId": DELIVERED_FR, "productInfoList": [{"lineItemId": FR_LINE, "quantity": "abc"}]},
            "productInfoList[0].quantity",
        ),
        (
            {"orderId": DELIVERED_FR, "productInfoList": [{"lineItemId": FR_LINE, "quantity": True}]},
            "productInfoList[0].quantity",
        ),
        ({"orderId": DELIVERED_FR, "productInfoList": [{"quantity": 1}]}, "productInfoList[0].lineItemId"),
        ({"orderId": 123, "productInfoList": [{"lineItemId": FR_LINE, "quantity": 1}]}, "orderId"),
    ],
)
async def test_confirm_param_errors_name_the_field(api: SandboxApi, body: dict[str, Any], field: str) -> None:
    reply = await api.post("disputes/disputeConfirmInfo", body)
    assert reply["code"] == 1600100 and reply["data"] is None
    assert field in reply["message"]


# --- create ---------------------------------------------------------------------------------


async def test_create_returns_true_and_the_dispute_is_listed_processing(api: SandboxApi) -> None:
    reply = await api.post("disputes/create", create_body())
    assert reply == {**reply, "code": 200, "result": True, "data": True, "success": True}
    [listed] = await disputes_of(api, DELIVERED_FR)
    assert re.fullmatch(r"SH\d+", listed["id"])
    assert listed["status"] == "Processing" and listed["finallyDeal"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", listed["createDate"])
    assert [p["lineItemId"] for p in listed["productList"]] == [FR_LINE]
    detail = (await api.get("shopping/order/getOrderDetail", {"orderId": DELIVERED_FR}))["data"]
    assert detail["disputeId"] == listed["id"]


async def test_create_repeated_business_id_opens_no_second_dispute(api: SandboxApi) -> None:
    for _ in range(3):
        assert (await api.post("disputes/create", create_body()))["data"] is True
    assert len(await disputes_of(api, DELIVERED_FR)) == 1
    state = (await api.admin("GET", "state")).json()
    assert state["disputesPerOrder"][DELIVERED_FR] == 1
    assert state["calls"]["disputes/create"] == 3


async def test_business_id_reused_for_another_order_is_refused(api: SandboxApi) -> None:
    await api.post("disputes/create", create_body())
    reused = f"alex-{DELIVERED_FR}-1"
    other = create_body(REJECT_DE, REJECT_LINE, disputeReasonId=10, businessDisputeId=reused)
    reply = await api.post("disputes/create", other)
    assert reply["code"] == 1607008 and "already used" in reply["message"]


async def test_second_dispute_on_an_open_one_is_refused(api: SandboxApi) -> None:
    await api.post("disputes/create", create_body())
    reply = await api.post("disputes/create", create_body(businessDisputeId="another-key"))
    assert reply["code"] == 1607008 and "already has a dispute in progress" in reply["message"]


async def test_order_with_a_website_dispute_cannot_get_another(api: SandboxApi) -> None:
    listed = await disputes_of(api, WEBSITE_DISPUTE_ORDER)
    assert [d["id"] for d in listed] == [WEBSITE_DISPUTE] and listed[0]["status"] == "Processing"
    body = create_body(WEBSITE_DISPUTE_ORDER, "1627680011223345665")
    reply = await api.post("disputes/create", body)
    assert reply["code"] == 1607008 and WEBSITE_DISPUTE in reply["message"]


@pytest.mark.parametrize(
    ("overrides", "needle"),
    [
        ({"disputeReasonId": 1}, "disputeReasonId 1 is not offered"),
        ({"expectType": 3}, "expectType must be 1"),
        ({"refundType": 3}, "refundType must be 1"),
        ({"messageText": "   "}, "messageText must not be empty"),
        ({"messageText": "x" * 501}, "longer than 500"),
        ({"imageUrl": ["file:///etc/passwd"]}, "http(s) URLs"),
        ({"productInfoList": [{"lineItemId": FR_TRAY, "quantity": 5}]}, "between 1 and 2"),
    ],
)
async def test_create_business_validation(api: SandboxApi, overrides: dict[str, Any], needle: str) -> None:
    reply = await api.post("disputes/create", create_body(**overrides))
    assert reply["code"] == 1607008 and needle in reply["message"], reply
    assert await disputes_of(api, DELIVERED_FR) == []


async def test_create_reissue_not_offered_before_shipping(api: SandboxApi) -> None:
    body = create_body(PROCESSING_DE, PROCESSING_LINES[0], disputeReasonId=1, expectType=2)
    reply = await api.post("disputes/create", body)
    assert reply["code"] == 1607008 and "reissue" in reply["message"]


async def test_create_accepts_a_500_character_message(api: SandboxApi) -> None:
    assert (await api.post("disputes/create", create_body(messageText="x" * 500)))["code"] == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("businessDisputeId", None),
        ("disputeReasonId", "eight"),
        ("messageText", None),
        ("imageUrl", "a.jpg"),
        ("expectType", None),
        ("productInfoList", None),
    ],
)
async def test_create_param_errors_name_the_field(api: SandboxApi, field: str, value: Any) -> None:
    body = create_body()
    if value is None:
        del body[field]
    else:
        body[field] = value
    reply = await api.post("disputes/create", body)
    assert reply["code"] == 1600100 and field in reply["message"]


# --- life cycle -----------------------------------------------------------------------------


async def test_refund_decision_after_resolve_after(api: SandboxApi) -> None:
    await api.post("disputes/create", create_body())
    api.server.advance(86399)
    [listed] = await disputes_of(api, DELIVERED_FR)
    assert listed["finallyDeal"] is None
    await api.admin("POST", "clock/advance", {"seconds": 1})
    [listed] = await disputes_of(api, DELIVERED_FR)
    assert (listed["status"], listed["finallyDeal"], listed["money"]) == ("Refunded", 1, 11.9)
    response = await api.raw_get("disputes/getDisputeDetail", {"disputeId": listed["id"]})
    detail = response.json()["data"]
    assert detail["refundAmount"] == 11.9 and isinstance(detail["createDate"], int)
    assert detail["refundDetails"] == [{"type": "PRODUCT_COST", "typeName": "Product Cost", "amount": 11.9}]
    assert '"amount":11.90' in response.text


async def test_reissue_decision(api: SandboxApi) -> None:
    body = create_body(REISSUE_US, REISSUE_US_LINE, disputeReasonId=2, expectType=2)
    assert (await api.post("disputes/create", body))["code"] == 200
    api.server.advance(86400)
    [listed] = await disputes_of(api, REISSUE_US)
    assert (listed["status"], listed["finallyDeal"]) == ("Reissued", 2)
    assert listed["resendOrderCode"] == "SD2511010915440102" and listed["replacementAmount"] == 12.4
    assert listed["money"] == 0


async def test_reject_decision(api: SandboxApi) -> None:
    body = create_body(REJECT_DE, REJECT_LINE, disputeReasonId=10)
    assert (await api.post("disputes/create", body))["code"] == 200
    api.server.advance(86400)
    [listed] = await disputes_of(api, REJECT_DE)
    assert (listed["status"], listed["finallyDeal"], listed["money"]) == ("Rejected", 3, 0)


async def test_website_dispute_is_decided_too(api: SandboxApi) -> None:
    api.server.advance(86400)
    detail = (await api.get("disputes/getDisputeDetail", {"disputeId": WEBSITE_DISPUTE}))["data"]
    assert detail["finallyDeal"] == 1 and detail["money"] == 8.9


async def test_cancel_while_processing_then_a_new_dispute_is_allowed(api: SandboxApi) -> None:
    await api.post("disputes/create", create_body())
    [listed] = await disputes_of(api, DELIVERED_FR)
    reply = await api.post("disputes/cancel", {"orderId": DELIVERED_FR, "disputeId": listed["id"]})
    assert reply["code"] == 200 and reply["data"] is True
    [cancelled] = await disputes_of(api, DELIVERED_FR)
    assert cancelled["status"] == "Cancelled" and cancelled["finallyDeal"] is None
    again = await api.post("disputes/cancel", {"orderId": DELIVERED_FR, "disputeId": listed["id"]})
    assert again["code"] == 1607009 and "already cancelled" in again["message"]
    api.server.advance(86400)
    assert (await disputes_of(api, DELIVERED_FR))[0]["status"] == "Cancelled"
    assert (await api.post("disputes/create", create_body(businessDisputeId="second")))["code"] == 200
    assert len(await disputes_of(api, DELIVERED_FR)) == 2


async def test_cancel_refused_once_decided_or_for_the_wrong_order(api: SandboxApi) -> None:
    decided = await api.post("disputes/cancel", {"orderId": DECIDED_ORDER, "disputeId": DECIDED_DISPUTE})
    assert decided["code"] == 1607009 and "already decided" in decided["message"]
    wrong = await api.post("disputes/cancel", {"orderId": DELIVERED_FR, "disputeId": WEBSITE_DISPUTE})
    assert wrong["code"] == 1607009 and "not found" in wrong["message"]


async def test_seeded_cancelled_dispute_does_not_block_a_new_one(api: SandboxApi) -> None:
    body = create_body(CANCELLED_DISPUTE_ORDER, CANCELLED_DISPUTE_LINE, disputeReasonId=11, expectType=2)
    assert (await api.post("disputes/create", body))["code"] == 200
    statuses = [d["status"] for d in await disputes_of(api, CANCELLED_DISPUTE_ORDER)]
    assert statuses == ["Processing", "Cancelled"]


# --- list and detail ------------------------------------------------------------------------


async def test_list_filters_and_pages(api: SandboxApi) -> None:
    everything = (await api.get("disputes/getDisputeList"))["data"]
    assert everything["total"] == 3 and everything["pageNum"] == 1 and everything["pageSize"] == 10
    page = (await api.get("disputes/getDisputeList", {"pageNum": 2, "pageSize": 2}))["data"]
    assert page["total"] == 3 and len(page["list"]) == 1
    by_number = (await api.get("disputes/getDisputeList", {"orderNumber": "SHOP-1012"}))["data"]["list"]
    assert [d["id"] for d in by_number] == [DECIDED_DISPUTE]
    refused = await api.get("disputes/getDisputeList", {"disputeId": WEBSITE_DISPUTE})
    assert refused["code"] == 1600300  # typed integer in 07. Dispute: an SH… id is not one (a guess)
    digits = WEBSITE_DISPUTE.removeprefix("SH")
    by_id = (await api.get("disputes/getDisputeList", {"disputeId": digits}))["data"]["list"]
    assert [d["id"] for d in by_id] == [WEBSITE_DISPUTE]
    assert (await api.get("disputes/getDisputeList", {"pageSize": 51}))["code"] == 1600300
    assert (await api.get("disputes/getDisputeList", {"orderId": "SD404"}))["data"]["list"] == []
    assert (await api.get("disputes/getDisputeList", {"pageSize": "ten"}))["code"] == 1600100


async def test_detail_of_a_seeded_decided_dispute(api: SandboxApi) -> None:
    detail = (await api.get("disputes/getDisputeDetail", {"disputeId": DECIDED_DISPUTE}))["data"]
    assert detail["status"] == "Refunded" and detail["money"] == 3.95
    assert detail["productList"][0]["productCode"] == "CJCW1600332-BL"


async def test_detail_of_an_unknown_dispute_is_a_business_error(api: SandboxApi) -> None:
    reply = await api.get("disputes/getDisputeDetail", {"disputeId": "SH404"})
    assert reply["code"] == 1600300 and reply["result"] is False
    assert (await api.get("disputes/getDisputeDetail"))["code"] == 1600100
