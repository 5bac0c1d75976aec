"""The parts every Alex command runs on, built in one place: ``build_services(settings)``.

``alex run`` (the Telegram bot), ``alex demo`` (the terminal, against the sandbox) and
``alex check`` (the CJ key) all use the same store, CJ client, FAQ matcher and engine, wired
the same way from :class:`alex.settings.Settings`; only what sits on top differs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # imported lazily below: `alex check` does not load the FAQ or the engine's deps
    import httpx

    from alex.settings import Settings
    from cj.client import CJClient
    from conversations.engine import Engine
    from store import Store


@dataclass
class Services:
    """What a command needs; close with :meth:`aclose` (or ``async with``)."""

    settings: Settings
    store: Store
    http: httpx.AsyncClient
    cj: CJClient
    engine: Engine
    matcher: Any | None = None  # faq.matcher.Matcher; None when the FAQ was not loaded or failed to
    faq_error: str | None = None  # why the FAQ is unavailable (only with faq="optional")

    async def aclose(self) -> None:
        try:
            await self.cj.aclose()
            await self.http.aclose()
        finally:
            self.store.close()

    async def __aenter__(self) -> Services:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


FaqMode = Literal["required", "optional", "skip"]


def build_services(
    settings: Settings, *, faq: FaqMode = "required", translator_of: Callable[..., Any] | None = None
) -> Services:
    """Store, CJ client, FAQ matcher and engine from ``settings`` (``CJ_API_KEY`` must be set).

    ``faq``: ``"required"`` (a broken knowledge base stops the command), ``"optional"`` (it runs
    without the FAQ and says why in ``faq_error``) or ``"skip"`` (not loaded at all).
    ``translator_of``: the engine's choice of language per actor (default: the chat's, from the store).
    """
    import httpx

    from cj.client import CJClient
    from conversations.engine import Engine
    from store import open_store

    settings.require("cj_api_key")
    matcher: Any | None = None
    faq_error: str | None = None
    if faq != "skip":
        from faq.matcher import load_matcher

        try:
            matcher = load_matcher()
        except Exception as exc:
            if faq == "required":
                raise
            faq_error = str(exc) or type(exc).__name__
    store = open_store(settings.alex_db_path)
    http = httpx.AsyncClient(timeout=settings.cj_timeout_seconds)
    cj = CJClient.from_settings(settings, store=store, http=http)
    engine = Engine(store, cj, matcher, draft_ttl_seconds=settings.draft_ttl_hours * 3600,
                    translator_of=translator_of)
    return Services(settings=settings, store=store, http=http, cj=cj, engine=engine, matcher=matcher,
                    faq_error=faq_error)
