"""CJ client figures against the sandbox on loopback: per-call overhead, limiter accuracy, create cost.

    .venv/bin/python -m benchmarks.cj_client_bench [--calls N]

Printed, never asserted. The overhead line compares the full client (limiter, token,
envelope check, pydantic parse) with a bare httpx GET of the same endpoint in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import time

import httpx

from cj.client import CJClient, business_dispute_id
from cj.models import CreateDisputeRequest, DisputeLine
from cj.ratelimit import Priority, RateLimiter
from cj.sandbox import SandboxConfig, SandboxServer
from store import open_store

KEY = "bench-key"
ORDER = "SD2510031452310001"
LINE = "1627572784056172547"


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"p50 {statistics.median(ordered) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


async def overhead(calls: int) -> None:
    async with SandboxServer(SandboxConfig(api_key=KEY, qps=100_000, admin=True)) as sandbox:
        async with (
            httpx.AsyncClient() as http,
            CJClient(
                KEY,
                base_url=sandbox.base_url,
                http=http,
                store=open_store(None),
                limiter=RateLimiter(100_000),
            ) as client,
        ):
            token = (await client.get_access_token()).accessToken
            bare, full = [], []
            for _ in range(calls):
                start = time.perf_counter()
                response = await http.get(
                    sandbox.base_url + "shopping/order/getOrderDetail",
                    params={"orderId": ORDER},
                    headers={"CJ-Access-Token": token},
                )
                response.json()
                bare.append(time.perf_counter() - start)
                start = time.perf_counter()
                await client.order_detail(ORDER)
                full.append(time.perf_counter() - start)
        print(
            f"order_detail x{calls}: bare httpx {_ms(bare)}; CJClient {_ms(full)}; "
            f"client overhead ≈ {(statistics.median(full) - statistics.median(bare)) * 1000:.2f} ms/call"
        )

        async with CJClient(
            KEY, base_url=sandbox.base_url, store=open_store(None), limiter=RateLimiter(100_000)
        ) as cold:
            start = time.perf_counter()
            await asyncio.gather(*(cold.account_settings() for _ in range(100)))
            elapsed = time.perf_counter() - start
        got = sandbox.snapshot()["calls"]["authentication/getAccessToken"]
        print(
            f"100 concurrent first calls: {elapsed * 1000:.0f} ms in all, getAccessToken calls so far: {got} "
            "(1 per client)"
        )

        async with CJClient(
            KEY, base_url=sandbox.base_url, store=open_store(None), limiter=RateLimiter(100_000)
        ) as writer:
            request = CreateDisputeRequest(
                businessDisputeId=business_dispute_id(ORDER, "bench"),
                orderId=ORDER,
                disputeReasonId=8,
                expectType=1,
                refundType=1,
                messageText="bench",
                productInfoList=[DisputeLine(lineItemId=LINE, quantity=1)],
            )
            await writer.get_access_token()
            before = sum(sandbox.snapshot()["calls"].values())
            start = time.perf_counter()
            # the seller's whole path, as conversations/open_cj.py walks it, then the create
            await writer.order_detail(ORDER)
            products = await writer.dispute_products(ORDER)
            await writer.dispute_confirm_info(ORDER, [products.productInfoList[0]])
            path_calls = sum(sandbox.snapshot()["calls"].values()) - before
            await writer.create_dispute(request)
            elapsed = time.perf_counter() - start
            used = sum(sandbox.snapshot()["calls"].values()) - before
            print(
                f"CJ calls per opened dispute: {used} ({path_calls} on the way: order detail, products, "
                f"confirm info; {used - path_calls} in create_dispute: list before, create, list after), "
                f"{elapsed * 1000:.1f} ms; at 1 QPS about {used - 1} s of waiting"
            )
            sandbox.add_faults({"fault": "drop_after_write", "path": "disputes/cancel"})
            before = sum(sandbox.snapshot()["calls"].values())
            disputes = await writer.list_disputes(order_id=ORDER)
            await writer.cancel_dispute(ORDER, disputes.items[0].id)
            used = sum(sandbox.snapshot()["calls"].values()) - before - 1
            print(f"cancel_dispute with a lost answer: {used} HTTP calls (cancel, then a status check)")


async def pacing(qps: float, n: int) -> None:
    limiter = RateLimiter(qps)
    grants: list[float] = []

    async def one(priority: Priority) -> tuple[Priority, float]:
        asked = time.perf_counter()
        await limiter.acquire(priority)
        grants.append(time.perf_counter())
        return priority, grants[-1] - asked

    start = time.perf_counter()
    background = [asyncio.ensure_future(one(Priority.BACKGROUND)) for _ in range(n)]
    await asyncio.sleep(0.3)
    interactive = [asyncio.ensure_future(one(Priority.INTERACTIVE)) for _ in range(5)]
    results = await asyncio.gather(*background, *interactive)
    elapsed = time.perf_counter() - start
    gaps = [b - a for a, b in itertools.pairwise(grants)]
    wait_i = statistics.mean(w for p, w in results if p is Priority.INTERACTIVE)
    wait_b = statistics.mean(w for p, w in results if p is Priority.BACKGROUND)
    print(
        f"limiter at {qps:g} QPS, {n + 5} requests: {(n + 4) / elapsed:.2f} req/s achieved, "
        f"gap min {min(gaps) * 1000:.1f} ms / mean {statistics.mean(gaps) * 1000:.1f} ms "
        f"(target {1000 / qps:.1f} ms); mean wait: 5 late interactive {wait_i * 1000:.0f} ms, "
        f"{n} early background {wait_b * 1000:.0f} ms"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cj_client_bench")
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args(argv)
    asyncio.run(overhead(args.calls))
    asyncio.run(pacing(20, 25))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(__import__("sys").argv[1:]))
