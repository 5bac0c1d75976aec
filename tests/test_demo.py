"""`alex demo` as a newcomer runs it: a whole conversation piped in, open then close a dispute."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from alex.demo import Transcript, to_event
from conversations.events import Button, EventKind, Reply

ROOT = Path(__file__).resolve().parents[1]
SESSION = """\
/dispute SD2510051030220002
2
2
2
Wrong colour sent: black ordered, blue received.
/photo https://example.com/blue.jpg
1
1
1
2
1
1
/disputes
"""


def test_piped_session_opens_then_closes_a_dispute(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "alex.cli", "demo"],
        input=SESSION,
        capture_output=True,
        text=True,
        cwd=tmp_path,  # nothing is read from or written to the working directory
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout
    assert "Alex demo: a CJ sandbox is running on http://127.0.0.1:" in out
    assert "SD2510031452310001" in out  # the intro lists orders to try
    opened = re.search(r"Dispute (SH\d+) is open for order SD2510051030220002\.", out)
    assert opened, out
    dispute_id = opened.group(1)
    assert f"Dispute {dispute_id} is closed. CJ will process order SD2510051030220002 again." in out
    assert f"{dispute_id} · Cancelled" in out
    assert "Traceback" not in run.stderr
    assert out.rstrip().endswith("Bye.")
    assert list(tmp_path.iterdir()) == []


def test_lines_become_events() -> None:
    buttons = ["abc:items:t0", "abc:items:done"]
    assert to_event("2", buttons).data == "abc:items:done"
    assert to_event("3", buttons).kind is EventKind.TEXT  # out of range: a typed answer
    assert to_event("²", buttons).kind is EventKind.TEXT  # a Unicode digit, not a button number
    assert to_event("/photo https://example.com/a.jpg", []).media[0].url == "https://example.com/a.jpg"
    assert to_event("/photo", []).media[0].url is None
    video = to_event("/video https://example.com/a.mp4", []).media[0]
    assert video.kind == "video"
    command = to_event("/dispute SD1234", [])
    assert (command.command, command.args) == ("dispute", "SD1234")


def test_buttons_are_numbered_across_replies(capsys: pytest.CaptureFixture[str]) -> None:
    transcript = Transcript(sys.stdout)
    transcript.show(
        [
            Reply(text="one", buttons=((Button(label="A", data="x:a"), Button(label="B", data="x:b")),)),
            Reply(text="two", buttons=((Button(label="C", data="x:c"),),)),
        ]
    )
    out = capsys.readouterr().out
    assert "[1] A   [2] B" in out and "[3] C" in out
    assert transcript.buttons == ["x:a", "x:b", "x:c"]


PUSH_SESSION = """\
/dispute SD2510031452310001
1
3
1
1
1
The dripper arrived cracked.
1
1
/wait 100000
/wait nan
/wait 15
/wait 15
"""


def test_wait_shows_the_status_pushes_as_seller_and_team_get_them(tmp_path: Path) -> None:
    """All three parts in the demo: the dispute Alex opened is decided after /wait, and the
    notifier's pushes print once for the seller and once for the team group, not again."""
    run = subprocess.run(
        [sys.executable, "-m", "alex.cli", "demo"], input=PUSH_SESSION, capture_output=True, text=True,
        cwd=tmp_path, timeout=60,
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout
    dispute_id = re.search(r"Dispute (SH\d+) is open for order SD2510031452310001\.", out).group(1)  # type: ignore[union-attr]
    before_wait, _, after_wait = out.partition("you> /wait 15")
    assert "(push to" not in before_wait
    assert before_wait.count("Usage: /wait MINUTES") == 2  # 100000 minutes and NaN refused
    decided = f"Dispute {dispute_id} (order SD2510031452310001) was decided: REFUND."
    assert after_wait.count(decided) == 2, after_wait  # the seller's chat and the team group, once each
    assert "(push to you)" in after_wait and "(push to your team's group)" in after_wait
