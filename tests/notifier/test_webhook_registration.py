"""`alex cj webhook set URL` against the sandbox: it records the URL, probes it, then signs its messages."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from alex.cj_command import main as alex_cj
from cj.client import CJClient
from cj.errors import CJWebhookRefused
from cj.ratelimit import RateLimiter
from cj.retry import NO_RETRY
from cj.sandbox import SandboxConfig, SandboxServer, run_sandbox_in_thread
from cj.sandbox.webhook_sender import webhooks_for
from notifier.clock import FakeClock
from notifier.webhook_app import cj_webhook_route
from notifier.webhooks import WebhookReceiver
from store import tokens, webhook_messages
from store.db import Store
from tests.notifier.test_sandbox_webhooks import serve

SANDBOX_API_KEY = "sandbox-key"
PUBLIC_URL = "https://127.0.0.1:9/webhooks/cj"  # what a seller registers; nothing listens here (offline)


async def test_set_probes_alex_receiver_then_the_sandbox_signs_what_it_sends(
    store: Store, clock: FakeClock
) -> None:
    config = SandboxConfig(
        api_key=SANDBOX_API_KEY, qps=1000, admin=True, webhook_loopback_ok=True, webhook_http_ok=True
    )
    async with SandboxServer(config) as sandbox:
        client = CJClient(SANDBOX_API_KEY, base_url=sandbox.base_url, store=store, limiter=RateLimiter(1000))
        try:

            def open_ids() -> list[str]:
                record = tokens.load_token(store, client.account)
                return [record.open_id] if record is not None and record.open_id else []

            receiver = WebhookReceiver(store=store, open_ids=open_ids, clock=clock)
            async with serve(Starlette(routes=[cj_webhook_route(receiver)])) as url:
                assert await client.webhook_set(url, actor="test") is True  # CJ probes first: 200 needed
                hooks = webhooks_for(sandbox.sandbox.state)
                assert hooks.urls == {"order": url, "logistics": url}  # product and stock: CANCEL
                assert hooks.deliveries[-1].statuses == [200] and webhook_messages.count(store) == 0
                async with httpx.AsyncClient() as http:
                    reply = await http.post(sandbox.root_url + "/_sandbox/webhooks/emit")
                sent = reply.json()["sent"]
                assert sent and all(s["statuses"] == [200] for s in sent)
                assert webhook_messages.count(store) == len(sent)
                assert await client.webhook_set(None, current_url=url) is True
            assert hooks.urls == {}
        finally:
            await client.aclose()


async def test_set_is_refused_when_the_probe_gets_no_200(store: Store) -> None:
    config = SandboxConfig(api_key=SANDBOX_API_KEY, qps=1000, webhook_loopback_ok=True)
    async with SandboxServer(config) as sandbox:
        async with CJClient(
            SANDBOX_API_KEY, base_url=sandbox.base_url, store=store, limiter=RateLimiter(1000), retry=NO_RETRY
        ) as client:
            with pytest.raises(CJWebhookRefused) as refused:
                await client.webhook_set(PUBLIC_URL)  # nobody listens there
        assert refused.value.code == 1607003
        assert webhooks_for(sandbox.sandbox.state).urls == {}


class _Ack(http.server.BaseHTTPRequestHandler):
    """Answers every POST with CJ's receiver reply (what Alex's endpoint does for the probe)."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        body = b'{"code":200,"result":"success","message":"ok"}'
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_cli_sets_from_public_base_url_and_cancels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ack)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{receiver.server_address[1]}"
    config = SandboxConfig(api_key=SANDBOX_API_KEY, qps=1000, webhook_loopback_ok=True, webhook_http_ok=True)
    try:
        with run_sandbox_in_thread(config) as sandbox:
            monkeypatch.chdir(tmp_path)
            monkeypatch.setenv("CJ_API_KEY", SANDBOX_API_KEY)
            monkeypatch.setenv("CJ_BASE_URL", sandbox.base_url)
            monkeypatch.setenv("ALEX_DB_PATH", str(tmp_path / "alex.sqlite3"))
            monkeypatch.setenv("PUBLIC_BASE_URL", base)
            assert alex_cj(["webhook", "set"]) == 0
            hooks = webhooks_for(sandbox.server.sandbox.state)
            assert hooks.urls["logistics"] == base + "/webhooks/cj"
            assert alex_cj(["webhook", "cancel"]) == 0  # the URL CJ reports under setting/get
            assert hooks.urls == {}
    finally:
        receiver.shutdown()
        receiver.server_close()
