"""`alex faq`: one question, --json, --batch --json, misses; bad input never crashes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from faq import cli
from faq.config import configured_db_path
from store import open_store
from store.faq_misses import top_misses

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory without .env or var/, and no ALEX_DB_PATH: no store configured."""
    monkeypatch.delenv("ALEX_DB_PATH", raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "alex.sqlite3"
    monkeypatch.setenv("ALEX_DB_PATH", str(path))
    return path


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_answer_prints_text_and_source(no_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["how", "long", "does", "a", "stripe", "refund", "take"]) == 0
    out = capsys.readouterr().out
    assert "5-10 business days" in out
    assert "Source: CJ Help Center: FAQ — https://cjdropshipping.com/help-center?" in out  # no file names
    assert ".txt" not in out


def test_text_answer_is_the_one_presentation(no_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from faq.matcher import load_matcher
    from faq.present import format_entry

    assert cli.main(["--no-log", "how", "long", "does", "a", "stripe", "refund", "take"]) == 0
    entry = load_matcher().entry("stripe_refund")
    assert capsys.readouterr().out.startswith(format_entry(entry))


def test_json_rows_name_their_sources(no_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--json", "--no-log", "who pays the shipping when my customer returns an item"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["id"] == "return_fees"
    assert row["source"] == "001_f9ba722dcb1627c2.txt, 002_9fee3ebfccb5f5c0.txt"  # the ids, unchanged
    assert row["source_title"] == "CJ Help Center: FAQ"
    assert row["source_url"] == "https://cjdropshipping.com/help-center?navType=faq&faqType=4&scrollToNum=400"
    assert [s["id"] for s in row["sources"]] == ["001_f9ba722dcb1627c2.txt", "002_9fee3ebfccb5f5c0.txt"]
    assert row["sources"][1]["publisher"] == "PPSPY"


def test_unsure_prints_did_you_mean(no_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["refund"]) == 0
    out = capsys.readouterr().out
    assert "Did you mean" in out and "  2. " in out


def test_unknown_points_to_a_human(no_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["what is the weather in paris"]) == 0
    out = capsys.readouterr().out
    assert "I don't know" in out and '"Chat" window' in out and "ticket" in out
    assert not (no_store / "var").exists()  # nothing configured, nothing created


def test_smalltalk_gets_a_friendly_line(no_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["hello"]) == 0
    assert "Ask me about CJ disputes" in capsys.readouterr().out


def test_json_single_question(no_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--json", "close my dispute"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["id"] == "close_dispute_steps" and row["action"] == "close_dispute"


def test_batch_json_one_line_per_input_line_in_order(
    no_store: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        b"stripe refund timing",
        b"",
        b"x" * 10_000,
        b"\xff\xfe\x00\x0c\x1c\x1d\x1e\x85 junk \x0b\x0c",  # form feeds and friends are not line breaks
        "😀 refund to wallet? 🙏".encode(),
        b"hello",
        b"what is the weather\r",
        b"can returns go to the US warehouse",
    ]
    _stdin(monkeypatch, b"\n".join(lines) + b"\n")
    assert cli.main(["--batch", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == len(lines)
    for row in rows:
        assert set(row) >= {"q", "id", "answer", "score", "alternatives"}
        assert (row["answer"] is None) == (row["id"] is None)
        assert isinstance(row["score"], float | int) and 0 <= row["score"] <= 100
        assert len(row["alternatives"]) <= 3
    assert rows[0]["id"] == "stripe_refund" and "5-10 business days" in rows[0]["answer"]
    assert rows[1]["answer"] is None and rows[1]["q"] == ""
    assert rows[5]["answer"] is None and rows[5]["kind"] == "smalltalk"
    assert rows[6]["answer"] is None and rows[6]["q"] == "what is the weather"
    assert rows[7]["id"] == "us_warehouse"


def test_batch_plain_text(
    no_store: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, b"zf order dispute\nweather\n")
    assert cli.main(["--batch"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("bulk_dispute\t") and out[1].startswith("-\t")


@pytest.mark.parametrize(
    "argv",
    [
        [], ["--batch", "question"], ["--frobnicate", "x"], ["misses", "question"], ["--kb"],
        ["misses", "--limit", "0"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], no_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == 2
    assert "usage: alex faq" in capsys.readouterr().err


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    assert "--batch" in capsys.readouterr().out


def test_bad_knowledge_base_is_one_line(
    tmp_path: Path, no_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "kb.json"
    broken.write_text("{", encoding="utf-8")
    assert cli.main(["--kb", str(broken), "refund"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("alex faq: ") and "not valid JSON" in err and "Traceback" not in err


def test_misses_are_logged_and_listed(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for _ in range(2):
        assert cli.main(["can I pay with klarna?"]) == 0
    assert cli.main(["Can I pay with Klarna"]) == 0
    assert cli.main(["how do I rename my store"]) == 0
    assert cli.main(["stripe refund how long"]) == 0  # answered: not a miss
    assert cli.main(["hello"]) == 0  # small talk: not a miss
    assert "noted the question" in capsys.readouterr().out

    store = open_store(db)
    try:
        misses = top_misses(store)
    finally:
        store.close()
    assert [m.count for m in misses] == [3, 1]
    assert misses[0].example == "Can I pay with Klarna"

    assert cli.main(["misses"]) == 0
    out = capsys.readouterr().out
    assert "Can I pay with Klarna" in out and "    3" in out
    assert cli.main(["misses", "--json", "--limit", "1"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 1 and rows[0]["count"] == 3
    assert cli.main(["misses", "--clear"]) == 0
    assert "Forgot 4" in capsys.readouterr().out


def test_batch_logs_misses_with_one_store(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"klarna?\nafterpay?\nstripe refund\n")
    assert cli.main(["--batch", "--json"]) == 0
    store = open_store(db)
    try:
        assert sum(m.count for m in top_misses(store)) == 2
    finally:
        store.close()


def test_no_log_flag(db: Path) -> None:
    assert cli.main(["--no-log", "klarna?"]) == 0
    assert not db.exists()


def test_misses_without_a_store(no_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["misses"]) == 1
    assert "ALEX_DB_PATH" in capsys.readouterr().err


def test_an_unusable_store_costs_a_warning_not_the_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("ALEX_DB_PATH", str(blocker / "alex.sqlite3"))
    assert cli.main(["klarna?"]) == 0
    captured = capsys.readouterr()
    assert "I don't know" in captured.out and "not logging" in captured.err


def test_db_path_comes_from_env_then_dotenv_then_existing_default(tmp_path: Path) -> None:
    assert configured_db_path({}, tmp_path) is None
    (tmp_path / ".env").write_text(
        "# comment\nCJ_API_KEY=secret\nexport alex_db_path = 'data/x.sqlite3'  \n", encoding="utf-8"
    )
    assert configured_db_path({}, tmp_path) == tmp_path / "data/x.sqlite3"
    assert configured_db_path({"ALEX_DB_PATH": "/abs/y.db"}, tmp_path) == Path("/abs/y.db")
    (tmp_path / ".env").write_text("ALEX_DB_PATH=z.db # local\n", encoding="utf-8")
    assert configured_db_path({}, tmp_path) == tmp_path / "z.db"
    (tmp_path / ".env").unlink()
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "alex.sqlite3").write_bytes(b"")
    assert configured_db_path({}, tmp_path) == tmp_path / "var" / "alex.sqlite3"


def test_real_command_end_to_end(tmp_path: Path) -> None:
    """The installed entry point, through the `alex` dispatcher, as the eval runs it."""
    env = {"PATH": "", "HOME": str(tmp_path), "ALEX_CACHE_DIR": str(tmp_path / "cache")}
    questions = "stripe refund timing\n\nsing a song\n"
    run = subprocess.run(
        [sys.executable, "-m", "alex.cli", "faq", "--batch", "--json"], input=questions.encode(),
        capture_output=True, env=env, cwd=tmp_path, timeout=60,
    )
    assert run.returncode == 0, run.stderr
    rows = [json.loads(line) for line in run.stdout.decode().splitlines()]
    assert [r["id"] for r in rows] == ["stripe_refund", None, None]
    assert not (tmp_path / "var").exists()
