"""The CJ client's tables: tokens, idempotency keys and the audit trail (secrets never written)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Store, audit, idempotency, open_store
from store.tokens import TokenRecord, delete_token, load_token, save_token


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "alex.sqlite3")
    yield opened
    opened.close()


def test_token_round_trip_update_and_delete(store: Store) -> None:
    record = TokenRecord("acct", "a" * 600, 100.0, "r" * 600, 200.0, open_id="42")
    save_token(store, record, now=5.0)
    loaded = load_token(store, "acct")
    assert loaded is not None and loaded.access_token == "a" * 600 and loaded.updated_at == 5.0
    save_token(store, TokenRecord("acct", "b", 300.0, "s", 400.0), now=6.0)
    loaded = load_token(store, "acct")
    assert loaded is not None and (loaded.access_token, loaded.refresh_expires_at) == ("b", 400.0)
    assert "bbb" not in repr(TokenRecord("acct", "bbb", 1, "sss", 2)) and "sss" not in repr(loaded)
    delete_token(store, "acct")
    assert load_token(store, "acct") is None


def test_idempotency_pending_done_and_restart_after_failure(store: Store) -> None:
    first = idempotency.begin(store, "k1", "dispute.create", {"before": []}, now=1.0)
    assert first.state == idempotency.PENDING
    again = idempotency.begin(store, "k1", "dispute.create", {"before": ["x"]}, now=2.0)
    assert again.data == {"before": []}, "an existing pending key is resumed, not overwritten"
    idempotency.complete(store, "k1", {"dispute": {"id": "SH1"}}, now=3.0)
    done = idempotency.get(store, "k1")
    assert done is not None and done.state == idempotency.DONE and done.data["dispute"]["id"] == "SH1"
    assert idempotency.begin(store, "k1", "dispute.create", {}, now=4.0).state == idempotency.DONE
    idempotency.begin(store, "k2", "dispute.create", {}, now=1.0)
    idempotency.fail(store, "k2", {"error": "CJBusinessError"}, now=2.0)
    restarted = idempotency.begin(store, "k2", "dispute.create", {"before": ["a"]}, now=3.0)
    assert restarted.state == idempotency.PENDING and restarted.data == {"before": ["a"]}
    assert idempotency.get(store, "missing") is None


def test_audit_masks_secrets_at_any_depth(store: Store) -> None:
    audit.record(
        store,
        actor="tg:1",
        action="auth.logout",
        now=10.0,
        ok=True,
        request={"apiKey": "KEY", "nested": [{"accessToken": "AT", "refresh_token": "RT", "orderId": "SD1"}]},
        result={"openId": 123, "ok": True},
    )
    audit.record(
        store, actor=None, action="dispute.create", request={"orderId": "SD2"}, result=None, ok=False
    )
    entries = audit.recent(store)
    assert [e.action for e in entries] == ["dispute.create", "auth.logout"]
    logout = audit.recent(store, action="auth.logout")[0]
    assert logout.request == {
        "apiKey": "***",
        "nested": [{"accessToken": "***", "refresh_token": "***", "orderId": "SD1"}],
    }
    assert logout.result == {"openId": "***", "ok": True} and logout.ok and logout.actor == "tg:1"
    raw = " ".join(str(r) for r in store.conn.execute("SELECT * FROM audit_log").fetchall())
    assert "KEY" not in raw and '"AT"' not in raw and '"RT"' not in raw
