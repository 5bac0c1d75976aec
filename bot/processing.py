"""Concurrent across chats, in order within one chat.

PTB's ``concurrent_updates`` runs every update at once, which would let two quick presses in
one chat race on the same draft. :class:`PerChatUpdateProcessor` keeps that concurrency
between chats (throughput) and serialises updates of the same chat (correctness). Timed work
(album flushes) takes the same lock through :meth:`PerChatUpdateProcessor.serialized`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Hashable
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

DEFAULT_MAX_CONCURRENT_UPDATES = 256


def chat_key(update: object) -> Hashable | None:
    """Chat id for chat updates, ``("user", id)`` for inline queries, None for the rest."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return ("user", update.effective_user.id)
    return None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """At most ``max_concurrent_updates`` at once, one at a time per chat."""

    def __init__(self, max_concurrent_updates: int = DEFAULT_MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._users: dict[Hashable, int] = {}

    @asynccontextmanager
    async def serialized(self, key: Hashable | None) -> AsyncIterator[None]:
        """Hold the chat's lock; the lock is dropped once nobody waits on it."""
        if key is None:
            yield
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key]
                del self._locks[key]

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        async with self.serialized(chat_key(update)):
            await coroutine

    async def initialize(self) -> None:
        """Nothing to allocate: locks are created on demand."""

    async def shutdown(self) -> None:
        """Nothing to free: locks go away with their last user."""
