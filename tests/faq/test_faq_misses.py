"""store.faq_misses: grouping, ordering, redaction, clearing."""

from __future__ import annotations

from pathlib import Path

from store import open_store
from store.faq_misses import MAX_QUESTION_CHARS, clear_misses, count_misses, record_miss, top_misses


def test_misses_group_by_normalised_question(tmp_path: Path) -> None:
    store = open_store(tmp_path / "db.sqlite3")
    try:
        record_miss(store, "klarna?", "klarna", at=1.0)
        record_miss(store, "Klarna!!", "klarna", at=3.0)
        record_miss(store, "afterpay", "afterpay", at=2.0)
        record_miss(store, "sezzle", "sezzle", at=5.0)
        misses = top_misses(store, limit=10)
        assert [(m.normalized, m.count) for m in misses] == [("klarna", 2), ("sezzle", 1), ("afterpay", 1)]
        assert misses[0].example == "Klarna!!" and misses[0].last_at == 3.0
        assert len(top_misses(store, limit=1)) == 1
        assert clear_misses(store, "klarna") == 2
        assert count_misses(store) == 2
        assert clear_misses(store) == 2
    finally:
        store.close()


def test_long_questions_are_cut_and_secrets_blanked(tmp_path: Path) -> None:
    store = open_store(tmp_path / "db.sqlite3")
    try:
        key = "CJ" + "a1B2c3D4" * 5
        record_miss(store, f"is my key {key} valid? " + "x " * 5_000, "key valid")
        (miss,) = top_misses(store)
        assert key not in miss.example and "[redacted]" in miss.example
        assert len(miss.example) <= MAX_QUESTION_CHARS
    finally:
        store.close()
