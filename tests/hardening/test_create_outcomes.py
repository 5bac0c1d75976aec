"""What the seller reads for the create outcomes of issue 11, through the real engine, client and
sandbox: a foreign dispute opened during a retry, a used-up quota, a hostile ``Retry-After``, and a
garbled answer after CJ created the dispute. Disputes are counted at the sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import SandboxFactory
from tests.conversations.conftest import DAY, FakeClock
from tests.hardening.conftest import DELIVERED_FR, HardChat
from tests.hardening.test_fault_storm import _to_summary

BAMBOO, OTHER = "1627572784056172548", "1627572784056172547"  # DELIVERED_FR's lines (Bamboo is picked)


@pytest.fixture
async def make_chat(
    sandbox_factory: SandboxFactory, tmp_path: Path, http: httpx.AsyncClient
) -> AsyncIterator[Any]:
    opened: list[tuple[Any, HardChat]] = []

    async def make(**config: Any) -> HardChat:
        context = sandbox_factory(**config)
        sandbox = await context.__aenter__()
        chat = HardChat(
            sandbox, tmp_path / f"alex{len(opened)}.sqlite3", http, clock=FakeClock(), ttl=2 * DAY
        )
        opened.append((context, chat))
        return chat

    yield make
    for context, chat in opened:
        await chat.close()
        await context.__aexit__(None, None, None)


def _lines(chat: HardChat) -> list[str]:
    return sorted(x["lineItemId"] for d in chat.disputes(DELIVERED_FR) for x in d["lines"])


async def test_a_website_dispute_on_the_other_line_during_the_retry_is_named_not_taken(
    make_chat: Any,
) -> None:
    chat = await make_chat()
    await _to_summary(chat, DELIVERED_FR)
    original = chat.client_clock.sleep

    async def sleep(seconds: float) -> None:  # while Alex waits to retry, the website opens one
        if not chat.disputes(DELIVERED_FR):
            detail = await chat.cj.order_detail(DELIVERED_FR)
            other = next(p.lineItemId for p in detail.productList if p.lineItemId != BAMBOO)
            chat.sandbox.open_website_dispute(DELIVERED_FR, [{"lineItemId": other, "quantity": 1}])
        await original(seconds)

    chat.client_clock.sleep = sleep  # type: ignore[method-assign]
    chat.cj._sleep = sleep  # the client's retry waits
    chat.sandbox.add_faults({"fault": "drop_before_write", "path": "disputes/create"})
    text = await chat.press("Confirm")
    website = chat.disputes(DELIVERED_FR)
    assert len(website) == 1 and website[0]["channel"] == "website", website
    assert f"Another dispute ({website[0]['id']}, lines" in text and "yours was not created" in text, text
    assert "is open for order" not in text


async def test_a_used_up_quota_is_told_with_its_end(make_chat: Any) -> None:
    chat = await make_chat(quota_reply="api_points")
    await _to_summary(chat, DELIVERED_FR)
    chat.sandbox.exhaust_quota()
    text = await chat.press("Confirm")
    assert "CJ's API quota for this account is used up until" in text, text
    assert "wait a minute" not in text.lower() and chat.disputes(DELIVERED_FR) == []
    assert any("Confirm" in label for label in chat.labels()), "the draft is kept"


async def test_a_hostile_retry_after_says_cj_is_busy_and_keeps_the_draft(make_chat: Any) -> None:
    chat = await make_chat()
    await _to_summary(chat, DELIVERED_FR)
    chat.sandbox.add_faults({"fault": "http_429", "path": "disputes/create", "retry_after": "86400"})
    text = await chat.press("Confirm")
    assert "CJ is busy" in text and "Your draft is kept" in text, text
    assert chat.client_clock.slept <= 60, chat.client_clock.slept
    again = await chat.press("Confirm")
    assert "is open for order" in again and _lines(chat) == [BAMBOO]


async def test_a_garbled_answer_after_the_write_names_the_real_dispute(make_chat: Any) -> None:
    chat = await make_chat()
    await _to_summary(chat, DELIVERED_FR)
    chat.sandbox.add_faults({"fault": "garbled_after_write", "path": "disputes/create"})
    text = await chat.press("Confirm")
    [dispute] = chat.disputes(DELIVERED_FR)
    assert f"Dispute {dispute['id']} is open for order {DELIVERED_FR}" in text, text
