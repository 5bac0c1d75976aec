"""`alex cj webhook set URL` against the sandbox: it records the URL, probes it, then signs its messages."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from alex.cj_command import main as alex_cj
from cj.client import CJClient
from cj.ratelimit import RateLimiter
from cj.sandbox import SandboxConfig, SandboxServer, run_sandbox_in_thread
from cj.sandbox.webhook_sender import CallbackBlock, WebhookSetBody, webhooks_for
from notifier.clock import FakeClock
from notifier.webhook_app import cj_webhook_route
from notifier.webhooks import WebhookReceiver
from store import tokens, webhook_messages
from store.db import Store
from tests.notifier.test_sandbox_webhooks import serve

SANDBOX_API_KEY = "sandbox-key"
PUBLIC_URL = "https://127.0.0.1:9/webhooks/cj"  # what a seller registers; nothing listens here (offline)


async def test_the_sandbox_records_the_url_then_signs_what_it_sends(store: Store, clock: FakeClock) -> None:
    async with SandboxServer(SandboxConfig(api_key=SANDBOX_API_KEY, qps=1000, admin=True)) as sandbox:
        client = CJClient(SANDBOX_API_KEY, base_url=sandbox.base_url, store=store, limiter=RateLimiter(1000))
        try:
            assert await client.webhook_set(PUBLIC_URL, actor="test") is True
            hooks = webhooks_for(sandbox.sandbox.state)
            await hooks.drain()
            assert hooks.urls["order"] == hooks.urls["logistics"] == PUBLIC_URL
            assert hooks.deliveries[-1].statuses == [None]  # the probe found nobody: reported, not retried

            def open_ids() -> list[str]:
                record = tokens.load_token(store, client.account)
                return [record.open_id] if record is not None and record.open_id else []

            receiver = WebhookReceiver(store=store, open_ids=open_ids, clock=clock)
            async with serve(Starlette(routes=[cj_webhook_route(receiver)])) as url:
                # loopback has no TLS: point the sandbox at Alex's plain-HTTP test server directly
                hooks.configure(WebhookSetBody(logistics=CallbackBlock(type="ENABLE", callbackUrls=[url])))
                await hooks.drain()
                async with httpx.AsyncClient() as http:
                    reply = await http.post(sandbox.root_url + "/_sandbox/webhooks/emit")
                sent = reply.json()["sent"]
                assert sent and all(s["statuses"] == [200] for s in sent)
                assert webhook_messages.count(store) == len(sent)
            assert await client.webhook_set(None) is True
            assert "logistics" not in hooks.urls
        finally:
            await client.aclose()


def test_cli_sets_and_cancels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    with run_sandbox_in_thread(SandboxConfig(api_key=SANDBOX_API_KEY, qps=1000)) as sandbox:
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("CJ_API_KEY", SANDBOX_API_KEY)
        monkeypatch.setenv("CJ_BASE_URL", sandbox.base_url)
        monkeypatch.setenv("ALEX_DB_PATH", str(tmp_path / "alex.sqlite3"))
        assert alex_cj(["webhook", "set", PUBLIC_URL]) == 0
        assert alex_cj(["webhook", "cancel"]) == 0
        assert webhooks_for(sandbox.server.sandbox.state).urls == {}
