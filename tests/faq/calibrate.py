"""Calibrate the matcher's abstention threshold on held-out phrasings.

    .venv/bin/python -m tests.faq.calibrate [SET.jsonl ...] [-v]   (default: heldout*, sets/fresh_*)
    .venv/bin/python -m tests.faq.calibrate --lang es SET.jsonl    (another language's eval set)

``tests/faq/heldout*.jsonl`` hold questions written apart from the knowledge
base's phrasings (same format as the shared eval: ``{"q", "topic", "any"}``,
``topic`` null for out-of-scope). For each candidate threshold the script prints
in-scope correct / abstained / wrong and out-of-scope answered, so the chosen
``abstain_below`` (of :class:`faq.index.Thresholds`; a language overrides it in its settings
file) can be justified: the lowest value keeping out-of-scope answers
at or under 5 % while losing the fewest in-scope answers.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from faq.matcher import Matcher, load_matcher

HELDOUT = Path(__file__).with_name("heldout.jsonl")


@dataclass
class Outcome:
    inscope: int = 0
    correct: int = 0
    abstained: int = 0
    wrong: int = 0
    oos: int = 0
    oos_answered: int = 0

    def line(self) -> str:
        def pct(n: int, d: int) -> float:
            return 100.0 * n / max(d, 1)

        return (
            f"in-scope {self.inscope}: correct {pct(self.correct, self.inscope):5.1f}%  "
            f"abstained {pct(self.abstained, self.inscope):5.1f}%  "
            f"wrong {pct(self.wrong, self.inscope):5.1f}% | "
            f"out-of-scope {self.oos}: answered {pct(self.oos_answered, self.oos):5.1f}%"
        )


def load_set(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(
    matcher: Matcher, items: list[dict[str, object]], threshold: float, verbose: bool = False
) -> Outcome:
    """Replay the set with ``threshold`` as the abstention cut-off."""
    out = Outcome()
    for item in items:
        result = matcher.answer(str(item["q"]))
        answered = not result.abstained and result.score >= threshold and result.entry is not None
        if item["topic"] is None:
            out.oos += 1
            if answered:
                out.oos_answered += 1
                if verbose:
                    print(f"  OOS ANSWERED {item['q']!r} -> {result.entry.id if result.entry else None} "
                          f"{result.score}")
            continue
        out.inscope += 1
        if not answered:
            out.abstained += 1
            if verbose:
                print(f"  ABSTAINED [{item['topic']}] {item['q']!r} ({result.kind} {result.score} "
                      f"norm={result.normalized!r})")
        elif result.entry is not None and any(
            str(s).lower() in result.entry.answer.lower() for s in item["any"]  # type: ignore[union-attr]
        ):
            out.correct += 1
        else:
            out.wrong += 1
            if verbose:
                got = result.entry.id if result.entry else None
                print(f"  WRONG [{item['topic']}] {item['q']!r} -> {got} {result.score}")
    return out


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    paths = [Path(a) for a in argv if a != "-v"] or (
        sorted(HELDOUT.parent.glob("heldout*.jsonl")) + sorted(HELDOUT.parent.glob("sets/fresh_*.jsonl"))
    )
    lang = "en"
    if "--lang" in argv:
        lang = argv[argv.index("--lang") + 1]
        argv = [a for a in argv if a not in ("--lang", lang)]
        verbose = "-v" in argv
        paths = [Path(a) for a in argv if a != "-v"]
    matcher = load_matcher()
    index = matcher.index(matcher.language(lang))
    thresholds = index.thresholds
    current = thresholds.abstain_below
    for path in paths:
        items = load_set(path)
        print(f"{path} ({lang}: current abstain_below = {current})")
        index.thresholds = thresholds._replace(abstain_below=0.0)  # the sweep applies its own cut-off
        try:
            for threshold in range(30, 76, 5):
                print(f"  threshold {threshold:3d}: {score(matcher, items, float(threshold)).line()}")
        finally:
            index.thresholds = thresholds
        print(f"  current       : {score(matcher, items, current, verbose).line()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
