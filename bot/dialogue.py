"""One turn with the engine: call it, and show progress only when it is slow.

Most turns (FAQ, prompts) answer in milliseconds; CJ calls take longer. Rather than flash a
typing indicator on every message, the adapter waits ``SLOW_AFTER_SECONDS`` and only then
shows "typing…" (and, for a button, stops its spinner), so progress appears exactly when
the engine is waiting on CJ.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from telegram.error import TelegramError

from bot.deps import EnginePort
from conversations.events import Actor, Event, Reply

SLOW_AFTER_SECONDS = 0.2


async def ask_engine(
    engine: EnginePort,
    actor: Actor,
    event: Event,
    *,
    on_slow: Callable[[], Awaitable[object]] | None = None,
    slow_after: float = SLOW_AFTER_SECONDS,
) -> tuple[list[Reply], bool]:
    """The engine's replies, and whether ``on_slow`` ran (the turn took longer than ``slow_after``)."""
    task = asyncio.ensure_future(engine.handle(actor, event))
    if on_slow is None:
        return await task, False
    done, _ = await asyncio.wait({task}, timeout=slow_after)
    if done:
        return task.result(), False
    with contextlib.suppress(TelegramError):
        await on_slow()
    return await task, True
