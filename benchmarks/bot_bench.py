"""Telegram adapter throughput and reply latency, beside a bare python-telegram-bot echo bot.

    .venv/bin/python -m benchmarks.bot_bench [--chats 200] [--updates 4000]

A child process runs the fake Bot API server (``tests/fakes/telegram_api.py``) and the load:
``--chats`` simulated chats, each sending a message, waiting for the bot's reply, then sending
the next, until ``--updates`` messages were answered. This process runs the bot under test,
long polling the fake server over loopback HTTP, so the bot has a CPU core to itself as it
would in production. Latency is measured in the child, from the moment an update becomes
available to getUpdates until the bot's sendMessage for that chat arrives.

Bots: ``echo`` is the PTB echo example (concurrent updates, no extras); ``alex`` is
``bot.application.build_application`` with the real engine and FAQ matcher answering policy
questions (the knowledge base's own questions, rotated), per-chat ordering, the JobQueue and
AIORateLimiter, on PTB's own request class (``HTTPXRequest``, as ``alex run`` uses it). Telegram
itself allows a bot about 30 messages/s overall, so both bots run with the limiter's global and
per-group caps off: the figure is the adapter's processing capacity.
Target (alex): >= 240 updates/s closed loop at 200 concurrent chats, 8x Telegram's ceiling.

Each bot's CPU time per update (this process runs only the bot) is printed too, with the
updates/s one core could carry at that cost: on a shared machine the wall-clock figures fall with
the load while the CPU cost moves much less.

Closed loop (default) measures maximum throughput; its latency is mostly queueing (by Little's
law, 200 chats that always wait for their reply see 200 / throughput seconds on average).
``--rate R`` is the open loop: R updates/s arrive spread over the chats, and the latency shows
what a seller waits at that load.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import logging
import multiprocessing as mp
import statistics
import tempfile
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

WARMUP_UPDATES_PER_CHAT = 2
REPLY_TIMEOUT_SECONDS = 30.0
ECHO_FIRST_CHAT = 10_000
ALEX_FIRST_CHAT = 20_000
TELEGRAM_CEILING_PER_S = 30  # messages per second Telegram allows one bot overall
TARGET_UPDATES_PER_S = 8 * TELEGRAM_CEILING_PER_S


# -- child: fake Telegram + simulated chats ----------------------------------------------------


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


async def _drive(tg: Any, chats: int, total: int, texts: list[str], first_chat: int) -> dict[str, float]:
    per_chat = [total // chats + (1 if i < total % chats else 0) for i in range(chats)]
    latencies: list[float] = []
    lost = 0

    async def chat(index: int, count: int, measure: bool) -> None:
        nonlocal lost
        chat_id = first_chat + index
        for n in range(count):
            mark = tg.mark()
            text = texts[(index + n) % len(texts)]
            update_id = tg.push_update(tg.text_update(chat_id, chat_id, text))
            try:
                reply = await tg.wait_for("sendMessage", chat_id=chat_id, after=mark,
                                          timeout=REPLY_TIMEOUT_SECONDS)
            except TimeoutError:
                lost += 1
                tg.pushed_at.pop(update_id, None)
                continue
            if measure:
                latencies.append(reply.at - tg.pushed_at.pop(update_id))
            else:
                tg.pushed_at.pop(update_id, None)

    await asyncio.gather(*(chat(i, WARMUP_UPDATES_PER_CHAT, False) for i in range(chats)))
    started = time.monotonic()
    await asyncio.gather(*(chat(i, per_chat[i], True) for i in range(chats)))
    elapsed = time.monotonic() - started
    return {
        "updates": len(latencies),
        "seconds": elapsed,
        "updates_per_s": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": _percentile(latencies, 99) * 1000,
        "max_ms": max(latencies) * 1000,
        "lost": lost,
    }


async def _drive_open(tg: Any, chats: int, total: int, texts: list[str], first_chat: int,
                      rate: float) -> dict[str, float]:
    """Open loop: updates arrive at ``rate`` per second spread over the chats, whatever the bot does."""
    pending: dict[int, collections.deque[float]] = {first_chat + i: collections.deque() for i in range(chats)}
    latencies: list[float] = []
    done = asyncio.Event()

    def on_call(call: Any) -> None:
        queue = pending.get(call.chat_id) if call.method == "sendMessage" else None
        if queue:
            latencies.append(call.at - queue.popleft())
            if len(latencies) >= total:
                done.set()

    tg.on_call = on_call
    started = time.monotonic()
    for n in range(total):
        due = started + n / rate
        if (delay := due - time.monotonic()) > 0:
            await asyncio.sleep(delay)
        chat_id = first_chat + n % chats
        update_id = tg.push_update(tg.text_update(chat_id, chat_id, texts[n % len(texts)]))
        pending[chat_id].append(tg.pushed_at.pop(update_id))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(done.wait(), REPLY_TIMEOUT_SECONDS)
    elapsed = time.monotonic() - started
    tg.on_call = None
    return {
        "updates": len(latencies), "seconds": elapsed, "updates_per_s": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000, "p99_ms": _percentile(latencies, 99) * 1000,
        "max_ms": max(latencies) * 1000, "lost": total - len(latencies),
    }


async def _serve_load(conn: Connection) -> None:
    from tests.fakes.telegram_api import FakeTelegramServer

    async with FakeTelegramServer(record=False) as tg:
        conn.send({"token": tg.token, "base_url": tg.base_url})
        loop = asyncio.get_running_loop()
        while True:
            order = await loop.run_in_executor(None, conn.recv)
            if order is None:
                return
            # drop what earlier runs left queued, then drive
            tg._state.updates.clear()
            args = (tg, order["chats"], order["updates"], order["texts"], order["first_chat"])
            stats = await (_drive_open(*args, order["rate"]) if order["rate"] else _drive(*args))
            conn.send(stats)


def _child(conn: Connection) -> None:
    logging.disable(logging.WARNING)
    asyncio.run(_serve_load(conn))


# -- parent: the bots under test ---------------------------------------------------------------


def _echo_application(token: str, base_url: str) -> Any:
    from telegram import Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.message and update.message.text:
            await update.message.reply_text(update.message.text)

    app = ApplicationBuilder().token(token).base_url(base_url).concurrent_updates(256).build()
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


def _alex_application(
    token: str, base_url: str, workdir: Path, team: range, pool: int | None = None
) -> tuple[Any, list[str], Any]:
    from telegram.ext import AIORateLimiter

    from alex.settings import load_settings
    from bot.application import build_application
    from cj.client import CJClient
    from conversations.engine import Engine
    from conversations.intent import parse_request
    from faq.matcher import load_matcher
    from store.db import open_store

    settings = load_settings(
        telegram_bot_token=token, telegram_api_base_url=base_url,
        allowed_user_ids=",".join(str(user) for user in team),  # simulated sellers are on the team
        alex_db_path=workdir / "bench.sqlite3", media_dir=workdir / "media",
    )
    store = open_store(settings.alex_db_path)
    matcher = load_matcher()
    cj = CJClient("bench-key-unused", base_url="http://127.0.0.1:9/api2.0/v1/", store=store)
    engine = Engine(store, cj, matcher)
    limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0)
    extra = {"connection_pool_size": pool} if pool else {}
    app = build_application(settings, engine, matcher, store, rate_limiter=limiter, **extra)
    # policy questions only: a question that reads as a dispute request would go to CJ (not running here)
    texts = [e.question for e in matcher.entries if parse_request(e.question) is None][:50]
    return app, texts, cj


def _receive(conn: Connection) -> dict[str, float]:
    """The child's figures; a dead child (crash, kill) ends the benchmark instead of hanging it."""
    try:
        return conn.recv()  # type: ignore[no-any-return]
    except EOFError:
        raise SystemExit("the load process died; see its error above") from None


async def _measure(app: Any, conn: Connection, order: dict[str, Any], alex: bool) -> dict[str, float]:
    from bot.application import ALLOWED_UPDATES, start_application, stop_application

    if alex:
        await start_application(app)
    else:
        await app.initialize()
        await app.start()
    await app.updater.start_polling(poll_interval=0.0, timeout=10, allowed_updates=ALLOWED_UPDATES)
    try:
        cpu = time.process_time()
        conn.send(order)
        stats = await asyncio.get_running_loop().run_in_executor(None, _receive, conn)
        # this process runs only the bot: its CPU per update is the figure a busy machine distorts least
        handled = stats["updates"] + (0 if order["rate"] else order["chats"] * WARMUP_UPDATES_PER_CHAT)
        stats["cpu_ms_per_update"] = (time.process_time() - cpu) * 1000 / max(1, handled)
        return stats
    finally:
        await stop_application(app)


async def _run(chats: int, updates: int, rate: float = 0.0) -> list[tuple[str, dict[str, float]]]:
    logging.basicConfig(level=logging.ERROR)
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_child, args=(child,), daemon=True)
    process.start()
    child.close()  # only the child holds its end now: its death shows up as EOF here
    hello = await asyncio.get_running_loop().run_in_executor(None, _receive, parent)
    results: list[tuple[str, dict[str, float]]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            team = range(ALEX_FIRST_CHAT, ALEX_FIRST_CHAT + chats)
            alex_app, texts, cj = _alex_application(hello["token"], hello["base_url"], Path(tmp), team)
            echo = _echo_application(hello["token"], hello["base_url"])
            order = {"chats": chats, "updates": updates, "texts": texts, "first_chat": ECHO_FIRST_CHAT,
                     "rate": rate}
            results.append(("ptb echo", await _measure(echo, parent, order, alex=False)))
            order["first_chat"] = ALEX_FIRST_CHAT
            results.append(("alex", await _measure(alex_app, parent, order, alex=True)))
            await cj.aclose()
    finally:
        parent.send(None)
        process.join(timeout=10)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bot_bench",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=200, help="concurrent simulated chats (default 200)")
    parser.add_argument("--updates", type=int, default=4000, help="measured updates per bot (default 4000)")
    parser.add_argument("--rate", type=float, default=0.0,
                        help="open loop: updates/s arriving across the chats (default 0: closed loop, "
                        "each chat "
                        "sends as soon as it got its reply, i.e. maximum throughput)")
    args = parser.parse_args(argv)
    results = asyncio.run(_run(args.chats, args.updates, args.rate))
    mode = f"open loop at {args.rate:g} updates/s" if args.rate else "closed loop (max throughput)"
    print(f"Telegram adapter benchmark: {args.chats} concurrent chats, {args.updates} updates per bot, "
          f"{mode}, "
          "fake Bot API over loopback HTTP (separate process)")
    print(f"{'bot':<10} {'updates/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'lost':>5} "
          f"{'cpu ms/update':>14} {'1-core capacity/s':>18}")
    for name, stats in results:
        cpu = stats["cpu_ms_per_update"]
        print(f"{name:<10} {stats['updates_per_s']:>10.0f} {stats['p50_ms']:>8.1f} {stats['p99_ms']:>8.1f} "
              f"{stats['max_ms']:>8.1f} {stats['lost']:>5.0f} {cpu:>14.2f} {1000 / cpu:>18.0f}")
    print(f"target (alex): >= {TARGET_UPDATES_PER_S} updates/s closed loop at 200 chats "
          f"({TARGET_UPDATES_PER_S // TELEGRAM_CEILING_PER_S}x Telegram's ~{TELEGRAM_CEILING_PER_S} "
          "messages/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
