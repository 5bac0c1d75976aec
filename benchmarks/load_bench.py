"""Load: N concurrent sellers, each opening a dispute through Telegram, against the CJ sandbox.

    .venv/bin/python -m benchmarks.load_bench [--chats 200] [--cj-qps 1000] [--timeout 60]

Everything real but Telegram and CJ themselves: the fake Bot API (``tests/fakes/telegram_api.py``)
serves long polling over loopback HTTP, the real Application (``bot/application.py``) polls it,
the real Engine and CJ client talk HTTP to the sandbox (``cj/sandbox``), state in SQLite on disk.
The sandbox is given one order per chat, cloned from the "wrong colour, delivered to the US"
fixture, so every chat can open exactly one dispute.

Each chat: ``/dispute <its order>`` → Done → reason → Reissue → message → Skip evidence →
Confirm. Latency of each step is from pushing the update to the bot's reply carrying the
expected text. Checked at the end: every chat got its dispute (lost = chats without one),
no reply in a chat ever names another chat's order or dispute (crossed), the sandbox holds
exactly one dispute per order for the right order, and the notifier's "who opened it" record
points back to the chat that opened it.

As in ``bot_bench``, a child process runs the sandbox, the fake Bot API and the simulated
sellers; this process runs only Alex (Application, Engine, CJ client, SQLite), so Alex has a
core to itself as in production. Peak RSS is this (Alex's) process. ``--cj-qps`` lifts CJ's
per-account limit (1 QPS on a free CJ account would make 200 disputes take ~25 minutes: that
is CJ's limit, not Alex's, and the limiter's behaviour is measured in ``cj_client_bench``).
Figures: opened disputes, lost and crossed conversations, reply latency p50/p99/max per step
and overall, wall time, peak RSS (``resource.getrusage``); ``--tracemalloc`` adds the Python heap peak.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import logging
import multiprocessing as mp
import re
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

TEMPLATE_ORDER = "SD2510051030220002"  # one line, delivered to the US, reissue offered
FIRST_CHAT = 50_000
API_KEY = "load-bench-key"
REPLY_METHODS = frozenset({"sendMessage", "editMessageText"})
STEPS: list[tuple[str, str, str]] = [  # (kind, what to send or which button, text the reply must carry)
    ("command", "/dispute {order}", "which items"),
    ("press", "Done", "What went wrong?"),
    ("press", "Wrong Product Received", "What do you want CJ to do?"),
    ("press", "Reissue", "1-500 characters"),
    ("text", "Buyer got the wrong colour (load chat {chat}).", "Evidence"),
    ("press", "Skip", "Please check, then Confirm"),
    ("press", "Confirm", "is open for order"),
]
ORDER_IN_TEXT = re.compile(r"\bSD\d{6,}\b")
DISPUTE_OPENED = re.compile(r"Dispute (SH\d+) is open for order (\S+)\.")


def order_id(index: int) -> str:
    return f"SD26LOAD{index:010d}"


def write_fixtures(path: Path, chats: int) -> None:
    """The sandbox's fixtures plus one clone of the template order per chat."""
    source = Path(__file__).resolve().parent.parent / "data" / "sandbox_orders.json"
    data = json.loads(source.read_text())
    template = next(o for o in data["orders"] if o["orderId"] == TEMPLATE_ORDER)
    for i in range(chats):
        clone = copy.deepcopy(template)
        clone.update(
            orderId=order_id(i),
            orderNumber=f"LOAD-{i:05d}",
            cjOrderId=f"CJLOAD{i:010d}US",
            trackNumber=f"LOADTRACK{i:010d}",
            scenario=f"load bench chat {i}",
        )
        for n, line in enumerate(clone["lines"]):
            line["lineItemId"] = f"9{i:010d}{n:03d}"
        clone["decision"]["resendOrderCode"] = f"SD26RESEND{i:08d}"
        data["orders"].append(clone)
    path.write_text(json.dumps(data))


@dataclass
class ChatResult:
    chat_id: int
    order_id: str
    latencies: list[tuple[str, float]] = field(default_factory=list)
    dispute_id: str | None = None
    failed_at: str | None = None
    foreign: list[str] = field(default_factory=list)


def _keyboard(tg: Any, chat_id: int) -> tuple[int, list[dict[str, Any]]]:
    messages = tg._state.messages.items()
    with_buttons = [m for (chat, _), m in messages if chat == chat_id and m.get("reply_markup")]
    message = max(with_buttons, key=lambda m: m["message_id"])
    return message["message_id"], [b for row in message["reply_markup"]["inline_keyboard"] for b in row]


async def run_chat(tg: Any, index: int, timeout: float) -> ChatResult:
    chat_id = FIRST_CHAT + index
    result = ChatResult(chat_id, order_id(index))
    for kind, what, expected in STEPS:
        mark = tg.mark()
        if kind == "press":
            try:
                message_id, buttons = _keyboard(tg, chat_id)
                data = next(b["callback_data"] for b in buttons if what.lower() in b["text"].lower())
            except (ValueError, StopIteration):
                result.failed_at = f"{what} (no such button)"
                return result
            update = tg.callback_update(chat_id, chat_id, data, message_id)
        else:
            update = tg.text_update(chat_id, chat_id, what.format(order=result.order_id, chat=chat_id))
        started = time.monotonic()
        tg.push_update(update)
        try:
            reply = await tg.wait_for(
                None,
                chat_id=chat_id,
                after=mark,
                timeout=timeout,
                predicate=lambda c, e=expected: c.method in REPLY_METHODS and e in (c.text or ""),
            )
        except TimeoutError:
            result.failed_at = what
            return result
        result.latencies.append((what, reply.at - started))
        for call in tg.calls[mark:]:
            if call.chat_id == chat_id and call.method in REPLY_METHODS:
                text = call.text or ""
                result.foreign += [o for o in ORDER_IN_TEXT.findall(text) if o != result.order_id]
        opened = DISPUTE_OPENED.search(reply.text or "")
        if opened:
            result.dispute_id = opened.group(1)
            if opened.group(2) != result.order_id:
                result.foreign.append(opened.group(2))
    return result


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


async def _serve_load(conn: Connection, chats: int, cj_qps: float, timeout: float, workdir: str) -> None:
    """Child process: the sandbox, the fake Bot API and the simulated sellers."""
    from cj.sandbox import SandboxConfig, SandboxServer
    from tests.fakes.telegram_api import FakeTelegramServer

    fixtures = Path(workdir) / "orders.json"
    write_fixtures(fixtures, chats)
    config = SandboxConfig(api_key=API_KEY, qps=cj_qps, resolve_after=86_400, fixtures_path=fixtures)
    loop = asyncio.get_running_loop()
    async with SandboxServer(config) as sandbox, FakeTelegramServer() as tg:
        conn.send({"token": tg.token, "tg_base_url": tg.base_url, "cj_base_url": sandbox.base_url})
        await loop.run_in_executor(None, conn.recv)  # the bot is polling
        started = time.monotonic()
        results = await asyncio.gather(*(run_chat(tg, i, timeout) for i in range(chats)))
        wall = time.monotonic() - started
        snapshot = sandbox.snapshot()
        per_order: dict[str, list[str]] = {}
        for d in snapshot["disputes"]:
            per_order.setdefault(d["orderId"], []).append(d["id"])
        conn.send(
            {
                "results": results,
                "wall": wall,
                "per_order": per_order,
                "cj_calls": sum(snapshot["calls"].values()),
            }
        )
        await loop.run_in_executor(None, conn.recv)  # the bot has stopped


def _child(conn: Connection, chats: int, cj_qps: float, timeout: float, workdir: str) -> None:
    logging.disable(logging.WARNING)
    asyncio.run(_serve_load(conn, chats, cj_qps, timeout, workdir))


async def run(
    chats: int, cj_qps: float, timeout: float, workdir: Path, trace: bool = False
) -> dict[str, Any]:
    """Parent process: Alex (Application, Engine, CJ client, SQLite), alone on its core."""
    import httpx
    from telegram.ext import AIORateLimiter

    from alex.settings import load_settings
    from bot.application import ALLOWED_UPDATES, build_application, start_application, stop_application
    from cj.client import CJClient
    from conversations.engine import Engine
    from faq.matcher import load_matcher
    from store import disputes_seen
    from store.db import open_store

    ctx = mp.get_context("spawn")
    conn, child_conn = ctx.Pipe()
    process = ctx.Process(target=_child, args=(child_conn, chats, cj_qps, timeout, str(workdir)), daemon=True)
    process.start()
    loop = asyncio.get_running_loop()
    try:
        urls = await loop.run_in_executor(None, conn.recv)
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=100)) as http:
            settings = load_settings(
                telegram_bot_token=urls["token"],
                telegram_api_base_url=urls["tg_base_url"],
                allowed_user_ids=",".join(str(FIRST_CHAT + i) for i in range(chats)),
                alex_db_path=workdir / "alex.sqlite3",
                media_dir=workdir / "media",
            )
            store = open_store(settings.alex_db_path)
            cj = CJClient(API_KEY, base_url=urls["cj_base_url"], http=http, store=store, qps=cj_qps)
            matcher = load_matcher()
            engine = Engine(store, cj, matcher)
            app = build_application(
                settings,
                engine,
                matcher,
                store,
                rate_limiter=AIORateLimiter(overall_max_rate=0, group_max_rate=0),
            )
            await start_application(app)
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES)
            await cj.get_access_token()  # one token for everyone, as after a start-up check
            if trace:
                tracemalloc.start()
            conn.send("go")
            done = await loop.run_in_executor(None, conn.recv)
            heap_peak = tracemalloc.get_traced_memory()[1] if trace else 0
            tracemalloc.stop()
            results: list[ChatResult] = done["results"]
            openers = {r.dispute_id: disputes_seen.get(store, r.dispute_id) for r in results if r.dispute_id}
            await app.updater.stop()
            await stop_application(app)
            await cj.aclose()
            store.close()
        conn.send("stop")
    finally:
        process.join(timeout=30)
        if process.is_alive():
            process.terminate()

    per_order: dict[str, list[str]] = done["per_order"]
    crossed = set()
    for r in results:
        if r.foreign:
            crossed.add(r.chat_id)
        if r.dispute_id and per_order.get(r.order_id) != [r.dispute_id]:
            crossed.add(r.chat_id)
        seen = openers.get(r.dispute_id) if r.dispute_id else None
        if r.dispute_id and (seen is None or seen.opener_chat_id != r.chat_id or seen.order_id != r.order_id):
            crossed.add(r.chat_id)
    all_latencies = [s for r in results for _, s in r.latencies]
    by_step = {what: [s for r in results for w, s in r.latencies if w == what] for _, what, _ in STEPS}
    return {
        "chats": chats,
        "opened": sum(1 for r in results if r.dispute_id),
        "bench_disputes": sum(len(v) for k, v in per_order.items() if k.startswith("SD26LOAD")),
        "lost": sum(1 for r in results if r.dispute_id is None),
        "lost_at": sorted({r.failed_at for r in results if r.failed_at}),
        "crossed": len(crossed),
        "wall_s": done["wall"],
        "replies": len(all_latencies),
        "p50_ms": statistics.median(all_latencies) * 1000 if all_latencies else float("nan"),
        "p99_ms": percentile(all_latencies, 99) * 1000 if all_latencies else float("nan"),
        "max_ms": max(all_latencies) * 1000 if all_latencies else float("nan"),
        "by_step": {
            w: (statistics.median(v) * 1000, percentile(v, 99) * 1000) for w, v in by_step.items() if v
        },
        "cpu_alex_s": resource.getrusage(resource.RUSAGE_SELF).ru_utime,
        "cpu_child_s": resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "heap_peak_mb": heap_peak / 1024 / 1024,
        "cj_calls": done["cj_calls"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.load_bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--chats", type=int, default=200, help="concurrent sellers (default 200)")
    parser.add_argument("--cj-qps", type=float, default=1000.0, help="CJ per-account QPS (default 1000)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a chat waits for one reply")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also trace the Python heap peak (slows the run 2-3x: latency not comparable)",
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="alex-load-") as tmp:
        figures = asyncio.run(run(args.chats, args.cj_qps, args.timeout, Path(tmp), args.tracemalloc))
    logging.disable(logging.NOTSET)
    print(
        f"load: {figures['chats']} concurrent chats, each opening a dispute "
        "(fake Bot API + sandbox in a child process)"
    )
    print(
        f"  opened disputes        {figures['opened']} / {figures['chats']} "
        f"(sandbox holds {figures['bench_disputes']} for the bench orders)"
    )
    stuck = f"  (stuck at {figures['lost_at']})" if figures["lost"] else ""
    print(f"  lost conversations     {figures['lost']}{stuck}")
    print(f"  crossed conversations  {figures['crossed']}")
    print(
        f"  replies                {figures['replies']} in {figures['wall_s']:.1f} s, "
        f"{figures['cj_calls']} CJ calls; CPU: Alex {figures['cpu_alex_s']:.1f} s, "
        f"fake Telegram + sandbox + sellers {figures['cpu_child_s']:.1f} s"
    )
    print(
        f"  reply latency          p50 {figures['p50_ms']:.0f} ms, p99 {figures['p99_ms']:.0f} ms, "
        f"max {figures['max_ms']:.0f} ms"
    )
    for what, (p50, p99) in figures["by_step"].items():
        print(f"    {what[:28]:<28} p50 {p50:6.0f} ms  p99 {p99:6.0f} ms")
    heap = f" (Python heap peak {figures['heap_peak_mb']:.0f} MB, tracemalloc)" if args.tracemalloc else ""
    print(f"  peak RSS               {figures['peak_rss_mb']:.0f} MB{heap}")
    ok = figures["lost"] == 0 and figures["crossed"] == 0 and figures["opened"] == figures["chats"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
