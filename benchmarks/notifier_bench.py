"""Dispute sweeps at scale, on a fake clock: `python -m benchmarks.notifier_bench [--sizes 1000 10000]`.

For each number of open disputes it prints the CJ calls one sweep makes, how long the sweep takes
at 1 request/s (the real account limiter, paced on a fake clock), the shortest interval that keeps
sweeps within half the budget, the wall time the sweep costs this machine, and the delay from a
dispute change (at a random moment) to its Telegram message with the default 300 s interval.
CJ is the in-memory fake from the notifier tests; SQLite is a real file.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from cj.ratelimit import Priority, RateLimiter
from notifier.clock import FakeClock
from notifier.poller import DEFAULT_INTERVAL_SECONDS, DisputeWatcher, min_interval
from notifier.sender import PushMessage
from notifier.service import Account, NotifierService
from store import disputes_seen, open_store, subscriptions
from tests.notifier.fake_cj import FakeDisputeCJ

QPS = 1.0
GROUP = -100
DELAY_SAMPLES = 4


class TimedSender:
    """Accepts every message and notes the fake time it arrived."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.arrivals: list[tuple[float, PushMessage]] = []

    async def send(self, message: PushMessage) -> None:
        self.arrivals.append((self.clock(), message))

    def first_mention(self, text: str, after: float) -> float | None:
        return next((at for at, m in self.arrivals if at >= after and text in m.text), None)


def world(size: int, clock: FakeClock) -> FakeDisputeCJ:
    cj = FakeDisputeCJ(limiter=RateLimiter(QPS, clock=clock, sleep=clock.sleep))
    for i in range(size):
        cj.add(f"SH{i:07d}", f"SD{i:07d}")
    return cj


async def sweep_figures(size: int, folder: Path) -> dict[str, float]:
    clock = FakeClock()
    cj = world(size, clock)
    store = open_store(folder / f"sweep-{size}.sqlite3")
    subscriptions.subscribe(store, GROUP, title="team", user_id=1, now=clock())
    watcher = DisputeWatcher(store=store, cj=cj, account="bench", groups=lambda: [GROUP], clock=clock)
    figures: dict[str, float] = {}
    for label, changed in (("baseline", 0), ("steady", 0), ("1% refunds", size // 100)):
        for i in range(changed):
            cj.set(f"SH{i * 97 % size:07d}", finallyDeal=1, money=12.5, status="Refunded")
        cj.calls.clear()
        started_fake, started_wall = clock(), time.perf_counter()
        report = await watcher.sweep()
        figures[f"{label} calls"] = sum(cj.calls.values())
        figures[f"{label} fake s"] = clock() - started_fake
        figures[f"{label} wall s"] = time.perf_counter() - started_wall
        figures[f"{label} queued"] = report.queued
    store.close()
    return figures


async def interactive_waits(size: int, folder: Path, every: float = 7.3) -> list[float]:
    """A seller's call every ``every`` s during a sweep: how long each waits for the shared limiter."""
    clock = FakeClock()
    cj = world(size, clock)
    store = open_store(folder / f"interactive-{size}.sqlite3")
    watcher = DisputeWatcher(store=store, cj=cj, account="bench", groups=lambda: [GROUP], clock=clock)
    waits: list[float] = []
    sweep = asyncio.create_task(watcher.sweep())
    while not sweep.done():
        await clock.sleep(every)
        asked = clock()
        await cj.limiter.acquire(Priority.INTERACTIVE)  # type: ignore[union-attr]
        waits.append(clock() - asked)
    await sweep
    store.close()
    return waits


async def delay_figures(size: int, folder: Path, seed: int = 7) -> list[float]:
    clock = FakeClock()
    cj = world(size, clock)
    store = open_store(folder / f"delay-{size}.sqlite3")
    subscriptions.subscribe(store, GROUP, title="team", user_id=1, now=clock())
    sender = TimedSender(clock)
    service = NotifierService(
        store=store, sender=sender, accounts=[Account("bench", cj, qps=QPS)], clock=clock, sleep=clock.sleep,
        interval=DEFAULT_INTERVAL_SECONDS, delay_scan=False,
    )
    rng = random.Random(seed)
    delays: list[float] = []
    await service.start()
    while not disputes_seen.has_observed(store, "bench"):
        await clock.sleep(5)
    for sample in range(DELAY_SAMPLES):
        await clock.sleep(rng.uniform(0, 600))
        dispute_id = f"SH{rng.randrange(size):07d}"
        cj.set(dispute_id, finallyDeal=3, status=f"Rejected {sample}")
        changed_at = clock()
        while (arrived := sender.first_mention(dispute_id, changed_at)) is None:
            await clock.sleep(5)
        delays.append(arrived - changed_at)
    await service.stop()
    store.close()
    return delays


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.notifier_bench", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    args = parser.parse_args(argv)
    print(
        f"account budget {QPS:g} request/s; sweeps may use half; "
        f"default interval {DEFAULT_INTERVAL_SECONDS:g} s"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            sweep = asyncio.run(sweep_figures(size, Path(tmp)))
            steady_calls = int(sweep["steady calls"])
            floor = min_interval(steady_calls, QPS)
            effective = max(DEFAULT_INTERVAL_SECONDS, floor)
            print(f"\n{size:,} open disputes")
            for label in ("baseline", "steady", "1% refunds"):
                print(
                    f"  sweep ({label:>10}): {int(sweep[f'{label} calls']):>4} CJ calls, "
                    f"{sweep[f'{label} fake s']:7.1f} s at 1 req/s, {sweep[f'{label} wall s']:6.2f} s wall, "
                    f"{int(sweep[f'{label} queued'])} messages queued"
                )
            print(
                f"  interval floor (half budget): {floor:.0f} s -> effective interval {effective:.0f} s; "
                f"sweeps use {steady_calls / effective / QPS:.0%} of the budget"
            )
            waits = asyncio.run(interactive_waits(size, Path(tmp)))
            print(
                f"  a seller's call during a sweep waits: mean {statistics.mean(waits):.2f} s, "
                f"max {max(waits):.2f} s over {len(waits)} calls (interactive goes first)"
            )
            delays = asyncio.run(delay_figures(size, Path(tmp)))
            print(
                f"  change -> message delay over {len(delays)} random changes: "
                f"mean {statistics.mean(delays):.0f} s, max {max(delays):.0f} s "
                f"(bound: interval + one sweep = {effective + steady_calls / QPS:.0f} s)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
