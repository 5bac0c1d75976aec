"""The create cases of issue 11: a retried or resumed create is always the seller's own dispute.

Every count is taken AT THE SANDBOX (disputes per order and line, as CJ would store them),
never from what the client believes. The sandbox runs its worst-case guesses where they
matter (``open_disputes="allow_overlap"``: CJ may accept a second dispute on an order; and the
kind default, a repeated ``businessDisputeId`` answered ``true``), so only the client stands
between a retry and a duplicate.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from cj.errors import CJForeignDispute, CJRateLimited
from cj.ratelimit import MAX_SHARED_DEFER_SECONDS, RateLimiter
from cj.retry import NO_RETRY, RetryPolicy
from cj.sandbox import SandboxServer
from store import idempotency, open_store
from tests.cj.test_client_sandbox import DELIVERED, Waits, create_request, make_client
from tests.conftest import SANDBOX_API_KEY, SandboxFactory

OURS, OTHER = "1627572784056172547", "1627572784056172548"  # the two lines of DELIVERED
REPO = Path(__file__).resolve().parents[2]


def per_line(sandbox: SandboxServer, order_id: str = DELIVERED) -> Counter[str]:
    """Disputes per line of ``order_id`` as CJ stores them (cancelled ones included)."""
    return Counter(
        line["lineItemId"] for d in sandbox.disputes() if d["orderId"] == order_id for line in d["lines"]
    )


# --- a foreign dispute on the order's other line during a retry --------------------------------


class OpenElsewhereOnFirstWait(Waits):
    """The retry wait: while Alex waits, someone opens a dispute on the other line."""

    def __init__(self, open_it: Any) -> None:
        super().__init__()
        self.open_it = open_it

    async def __call__(self, seconds: float) -> None:
        if not self.waits:
            await self.open_it()
        await super().__call__(seconds)


@pytest.mark.parametrize("who", ["website", "teammate"])
@pytest.mark.parametrize("rule", ["one_per_order", "allow_overlap"])
async def test_a_foreign_dispute_on_the_other_line_is_never_taken_for_ours(
    sandbox_factory: SandboxFactory, tmp_path: Path, who: str, rule: str
) -> None:
    async with sandbox_factory(open_disputes=rule) as sandbox:
        store = open_store(tmp_path / "alex.sqlite3")
        teammate_store = open_store(tmp_path / "teammate.sqlite3")

        async def open_it() -> None:
            if who == "website":
                sandbox.open_website_dispute(DELIVERED, [{"lineItemId": OTHER, "quantity": 1}])
            else:  # a teammate's Alex (its own database and draft) on the same account
                async with make_client(sandbox, teammate_store) as teammate:
                    await teammate.create_dispute(create_request(DELIVERED, OTHER, draft="teammate"))

        waits = OpenElsewhereOnFirstWait(open_it)
        sandbox.add_faults({"fault": "drop_before_write", "path": "disputes/create"})
        request = create_request(DELIVERED, OURS, draft="mine")
        async with make_client(sandbox, store, waits) as client:
            if rule == "one_per_order":  # CJ refuses ours: the seller hears whose dispute it is
                with pytest.raises(CJForeignDispute) as caught:
                    await client.create_dispute(request)
                other = next(d for d in sandbox.disputes() if d["orderId"] == DELIVERED)
                assert caught.value.dispute_id == other["id"] and caught.value.lines == (OTHER,)
                assert "yours was not created" in str(caught.value)
                record = idempotency.get(store, request.businessDisputeId)
                assert record is not None and record.state == idempotency.FAILED
                assert per_line(sandbox) == Counter({OTHER: 1})
            else:  # CJ opens ours too: Alex names ours, not the other one
                created = await client.create_dispute(request)
                ours = next(d for d in sandbox.disputes() if d["id"] == created.id)
                assert [line["lineItemId"] for line in ours["lines"]] == [OURS]
                assert per_line(sandbox) == Counter({OURS: 1, OTHER: 1})
        assert waits.waits, "the create was retried"
        store.close()
        teammate_store.close()


# --- a garbled answer after CJ created the dispute ---------------------------------------------


async def test_a_garbled_answer_after_the_write_ends_with_the_real_id(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    store = open_store(tmp_path / "alex.sqlite3")
    request = create_request(DELIVERED, OURS, draft="garbled")
    sandbox.add_faults({"fault": "garbled_after_write", "path": "disputes/create"})
    async with make_client(sandbox, store, retry=NO_RETRY) as client:
        created = await client.create_dispute(request)
    assert [d["id"] for d in sandbox.disputes() if d["orderId"] == DELIVERED] == [created.id]
    record = idempotency.get(store, request.businessDisputeId)
    assert record is not None and record.state == idempotency.DONE, "never left pending"
    store.close()


# --- processes: killed mid-request, two at once ------------------------------------------------


def _spec(sandbox: SandboxServer, db: Path, draft: str, timeout: float = 15.0) -> str:
    request = create_request(DELIVERED, OURS, draft=draft).model_dump(mode="json", by_alias=True)
    return json.dumps(
        {
            "db": str(db),
            "api_key": SANDBOX_API_KEY,
            "base_url": sandbox.base_url,
            "request": request,
            "timeout": timeout,
        }
    )


def _child(spec: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.cj.create_child", spec],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def _finish(child: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = await asyncio.to_thread(child.communicate, timeout=60)
    assert child.returncode == 0, err
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


async def _until(predicate: Any, limit: float = 20.0) -> None:
    deadline = time.monotonic() + limit
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.02)


@pytest.mark.parametrize(
    ("held", "repeated"), [("latency_after_write", "open_another"), ("latency", "answer_true")]
)
async def test_a_process_killed_while_its_create_is_in_flight_resumes_to_one_dispute(
    sandbox_factory: SandboxFactory, tmp_path: Path, held: str, repeated: str
) -> None:
    """``latency_after_write``: CJ wrote the dispute and holds the answer (and would open another
    for a repeated key: only the resumed process's lookup prevents a duplicate); ``latency``: CJ
    holds the request and writes it only after the process died and the resumed one sent its own
    (only the repeated ``businessDisputeId`` prevents a duplicate)."""
    hold = 2.0 if held == "latency_after_write" else 8.0  # longer than a child's start-up on a busy box
    async with sandbox_factory(open_disputes="allow_overlap", repeated_business_id=repeated) as sandbox:
        db = tmp_path / "alex.sqlite3"
        sandbox.add_faults({"fault": held, "path": "disputes/create", "seconds": hold})
        first = _child(_spec(sandbox, db, "killed"))
        await _until(lambda: sandbox.snapshot()["calls"].get("disputes/create", 0) >= 1)
        await asyncio.sleep(0.2)  # inside the HTTP exchange: the sandbox is holding it
        assert first.poll() is None, "the child must still be waiting for CJ's answer"
        os.kill(first.pid, signal.SIGKILL)
        first.communicate()  # reaps it and closes its pipes
        sent_at = time.monotonic()
        resumed = await _finish(_child(_spec(sandbox, db, "killed")))
        if held == "latency":  # the resumed process asked CJ before the first request landed
            assert time.monotonic() - sent_at < hold - 0.5, "the test did not exercise its path"
        await asyncio.sleep(hold + 0.3)  # let the held request land, as CJ would process it
        ids = [d["id"] for d in sandbox.disputes() if d["orderId"] == DELIVERED]
        assert per_line(sandbox) == Counter({OURS: 1}), f"disputes at CJ: {ids}"
        assert resumed == {"id": ids[0]}
        store = open_store(db)
        record = idempotency.get(store, create_request(DELIVERED, OURS, draft="killed").businessDisputeId)
        assert record is not None and record.state == idempotency.DONE
        store.close()


async def test_two_processes_on_one_database_end_with_one_dispute_and_a_done_record(
    sandbox_factory: SandboxFactory, tmp_path: Path
) -> None:
    async with sandbox_factory(open_disputes="allow_overlap") as sandbox:
        db = tmp_path / "alex.sqlite3"
        hold = 8.0
        sandbox.add_faults({"fault": "latency", "path": "disputes/create", "seconds": hold})
        spec = _spec(sandbox, db, "twice", timeout=hold + 5)
        one = _child(spec)
        await _until(lambda: sandbox.snapshot()["calls"].get("disputes/create", 0) >= 1)
        started = time.monotonic()
        two = _child(spec)  # starts while the first one's create is held at CJ
        results = [await _finish(two)]
        assert time.monotonic() - started < hold - 0.5, "the second did not run while the first was held"
        results.append(await _finish(one))
        await asyncio.sleep(0.3)
        assert per_line(sandbox) == Counter({OURS: 1})
        assert results[0] == results[1] and "id" in results[0], results
        store = open_store(db)
        key = create_request(DELIVERED, OURS, draft="twice").businessDisputeId
        record = idempotency.get(store, key)
        assert record is not None and record.state == idempotency.DONE
        # a late writer (the other process) can no longer turn it back to pending
        assert idempotency.update(store, key, {"sent": True}) is False
        assert idempotency.begin(store, key, "dispute.create", {}).state == idempotency.DONE
        store.close()


# --- bounded waits ---------------------------------------------------------------------------


async def test_a_huge_retry_after_is_capped_and_freezes_nobody(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    store = open_store(tmp_path / "alex.sqlite3")
    limiter = RateLimiter(1000)
    waits = Waits()
    policy = RetryPolicy()
    sandbox.add_faults({"fault": "http_429", "path": "disputes/create", "retry_after": "86400"})
    async with make_client(sandbox, store, waits, limiter=limiter, retry=policy) as client:
        started = time.monotonic()
        with pytest.raises(CJRateLimited) as caught:
            await client.create_dispute(create_request(DELIVERED, OURS, draft="hostile"))
        assert caught.value.retry_after <= 60
        assert all(w <= policy.max_wait for w in waits.waits), waits.waits  # no day-long sleep
        await client.order_detail(DELIVERED)  # the next caller on the same account gets through
        assert time.monotonic() - started <= MAX_SHARED_DEFER_SECONDS + 2, "one 429 froze the account"
    record = idempotency.get(store, create_request(DELIVERED, OURS, draft="hostile").businessDisputeId)
    assert record is not None and record.state == idempotency.PENDING, "kept: Confirm again looks first"
    assert per_line(sandbox) == Counter()
    store.close()


async def test_alex_clock_an_hour_off_cjs_still_recognises_its_dispute(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    """Found by the 1,000-attempt storm: with the client's clock minutes ahead of CJ's, a created
    dispute looked older than the attempt and the draft stayed pending for ever."""
    store = open_store(tmp_path / "alex.sqlite3")
    request = create_request(DELIVERED, OURS, draft="skew")
    sandbox.add_faults({"fault": "drop_after_write", "path": "disputes/create"})
    async with make_client(sandbox, store, clock=lambda: time.time() + 3600) as client:
        created = await client.create_dispute(request)
    assert [d["id"] for d in sandbox.disputes() if d["orderId"] == DELIVERED] == [created.id]
    record = idempotency.get(store, request.businessDisputeId)
    assert record is not None and record.state == idempotency.DONE
    store.close()
