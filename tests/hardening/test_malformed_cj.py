"""Malformed CJ answers (missing fields, wrong types, not JSON, not an envelope) at every step.

A corrupting transport sits between the real CJ client and the sandbox (real HTTP on
127.0.0.1): it forwards each request and rewrites the answer of one path with one mutation.
A seller then walks the whole open-dispute flow and /disputes, /status. Checked: no exception
escapes, every turn answers, a garbled answer is reported to the seller as such and logged,
and once CJ answers properly again the same draft finishes with exactly one dispute.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from cj.sandbox import SandboxServer
from store.conversations import ConversationStore
from tests.conversations.conftest import FakeClock
from tests.hardening.conftest import WRONG_COLOUR_US, HardChat, report

Mutation = Callable[[bytes], bytes]
PATHS = [
    "authentication/getAccessToken",
    "shopping/order/getOrderDetail",
    "disputes/disputeProducts",
    "disputes/disputeConfirmInfo",
    "disputes/create",
    "disputes/getDisputeList",
    "disputes/getDisputeDetail",
    "logistic/trackInfo",
]


def _json(transform: Callable[[Any], Any]) -> Mutation:
    def mutate(body: bytes) -> bytes:
        envelope = json.loads(body)
        return json.dumps(transform(envelope), default=str).encode()

    return mutate


def _on_data(change: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def transform(envelope: Any) -> Any:
        if isinstance(envelope, dict):
            envelope = {**envelope, "data": change(envelope.get("data"))}
        return envelope

    return transform


def _drop_keys(value: Any) -> Any:
    """Every object keeps only its first key: required fields go missing at every depth."""
    if isinstance(value, dict):
        return {k: _drop_keys(v) for k, v in list(value.items())[:1]}
    if isinstance(value, list):
        return [_drop_keys(v) for v in value]
    return value


def _retype(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _retype(v) for k, v in value.items()}
    if isinstance(value, list):
        return {"0": value}
    if isinstance(value, bool):
        return "maybe"
    if isinstance(value, int | float | Decimal):
        return "not-a-number"
    if isinstance(value, str):
        return [value]
    return {"unexpected": True}


MUTATIONS: dict[str, Mutation] = {
    "not JSON": lambda body: b"<html><body>502 Bad Gateway</body></html>",
    "empty body": lambda body: b"",
    "envelope is a list": _json(lambda envelope: [envelope]),
    "no code": _json(lambda envelope: {k: v for k, v in envelope.items() if k != "code"}),
    "code is text": _json(lambda envelope: {**envelope, "code": "two hundred"}),
    "data null": _json(_on_data(lambda data: None)),
    "data is a string": _json(_on_data(lambda data: "data")),
    "fields missing": _json(_on_data(_drop_keys)),
    "wrong types": _json(_on_data(_retype)),
    "huge numbers": _json(
        _on_data(
            lambda data: (
                json.loads(json.dumps(data).replace('"quantity": 1', '"quantity": 1e400')) if data else data
            )
        )
    ),
}


class Corrupting(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.rule: tuple[str, Mutation] | None = None
        self.fired = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        path = request.url.path.split("/api2.0/v1/", 1)[-1]
        if self.rule is None or path != self.rule[0]:
            return response
        await response.aread()
        self.fired += 1
        body = self.rule[1](response.content)
        return httpx.Response(
            response.status_code, content=body, headers={"content-type": "application/json"}
        )

    async def aclose(self) -> None:
        await self.inner.aclose()


async def _walk(chat: HardChat) -> list[str]:
    texts = [await chat.cmd("dispute", WRONG_COLOUR_US)]
    for label in ("Done", "Wrong Product Received", "Reissue"):
        if not any(label in b for b in chat.labels()):
            return texts
        texts.append(await chat.press(label))
    texts.append(await chat.send("Blue instead of black."))
    for label in ("Skip", "Confirm"):
        if not any(label in b for b in chat.labels()):
            return texts
        texts.append(await chat.press(label))
    texts.append(await chat.cmd("disputes"))
    texts.append(await chat.cmd("status", "SH1990300112233445567"))
    return texts


RESUME_LABELS = ("Confirm", "Try again", "Done", "Wrong Product Received", "Reissue", "Skip")


async def _resume(chat: HardChat) -> str:
    """Finish the *same* draft once CJ answers properly again, as a seller would: press what is
    offered, type the message when asked; never /cancel. ``/dispute`` again only if no draft was
    ever saved (the very first call failed). Returns the last text."""
    text = ""
    for _ in range(10):
        saved = ConversationStore(chat.store).load(chat.actor.chat_id, chat.actor.user_id)
        labels = chat.labels()
        pick = next((name for name in RESUME_LABELS for b in labels if name in b), None)
        if pick is not None:
            text = await chat.press(pick)
        elif saved is None:
            text = await chat.cmd("dispute", WRONG_COLOUR_US)
        elif "Which order" in (text or (chat.log[-1] if chat.log else "")):
            text = await chat.send(WRONG_COLOUR_US)
        else:
            text = await chat.send("Blue instead of black.")
        if "is open for order" in text or "Already created" in text:
            return text
    return text


async def test_malformed_answers_at_every_path_are_handled_and_logged(
    sandbox: SandboxServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    transport = Corrupting()
    hit = told = unlogged = completed = one_dispute = 0
    stuck: list[str] = []  # drafts that did not finish once CJ answered properly again
    create_unnamed: list[str] = []  # a garbled create answer (CJ did create it) not ending with the id
    misread: set[str] = set()  # garbled, but shown as a business answer (reported, see docs/hardening.md)
    async with httpx.AsyncClient(transport=transport) as http:
        for name, mutation in MUTATIONS.items():
            for path in PATHS:
                sandbox.reset()
                chat = HardChat(
                    sandbox,
                    tmp_path / f"{hit}-{name}-{path.replace('/', '_')}.sqlite3",
                    http,
                    clock=FakeClock(),
                )
                transport.rule, transport.fired = (path, mutation), 0
                caplog.clear()
                try:
                    texts = await _walk(chat)  # an exception escaping fails the test: that is the property
                    assert all(t.strip() for t in texts)
                    joined = "\n".join(texts)
                    hit += transport.fired > 0
                    if "could not read" in joined:
                        told += 1
                        unlogged += not any(
                            r.levelno >= logging.WARNING and "CJ" in r.getMessage() for r in caplog.records
                        )
                    elif "is open for order" in joined:
                        completed += 1  # the garbled part was not needed (e.g. create's `data`)
                    elif transport.fired:
                        misread.add(f"{name} @ {path}: {texts[-1][:90]}")
                    if path == "disputes/create" and "is open for order" not in joined:
                        said = texts[-3] if len(texts) >= 3 else texts[-1]  # the answer to Confirm
                        create_unnamed.append(f"{name}: {said[:120]}")
                    transport.rule = None
                    if "is open for order" not in joined:
                        last = await _resume(chat)  # the same draft: no /cancel, no restart
                        if "is open for order" not in last and "Already created" not in last:
                            stuck.append(f"{name} @ {path}: {last[:120]}")
                    one_dispute += len(chat.disputes(WRONG_COLOUR_US)) == 1
                finally:
                    await chat.close()
    combos = len(MUTATIONS) * len(PATHS)
    report(
        "malformed CJ answers",
        combinations=combos,
        garbled_answers_served=hit,
        seller_told_unreadable=told,
        flow_completed_anyway=completed,
        misread_as_business_answer=len(misread),
        told_but_not_logged=unlogged,
        one_dispute_after_recovery=one_dispute,
        stuck_drafts=len(stuck),
    )
    for line in sorted(misread):
        print("  misread:", line)
    assert hit >= combos - len(MUTATIONS)  # trackInfo is asked only for not-received reasons
    assert stuck == [], stuck
    assert create_unnamed == [], create_unnamed  # told the real id on that same Confirm
    assert unlogged == 0
    assert one_dispute == combos  # once CJ answers properly, the same seller ends with exactly one dispute
