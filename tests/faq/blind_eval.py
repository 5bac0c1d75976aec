"""Score a question set in any language through the CLI and through the chat, by topic.

Usage (from the project root)::

    .venv/bin/python -m tests.faq.blind_eval tests/faq/sets/blind_pt.jsonl [--lang pt] [-v]

The shared eval scripts (``../shared/eval``) check English substrings; a set written in another
language is scored here by what was answered instead. A set line is the shared format
(``{"q", "topic", "any"}``; ``any`` holds figures and names a faithful translation keeps, and may
be empty).

- **CLI** (``alex faq --batch --json``): in scope, correct when the row's ``id`` is the topic and
  the answer holds one of ``any`` (when given); out of scope, "answered" when there is an answer.
- **Chat** (``alex demo``, each question followed by ``/cancel``): in scope, correct when the
  reply quotes the topic's answer in some language of the knowledge base (its first 60
  characters); out of scope, "answered" when the reply quotes any answer; "derailed" when the
  reply reads the question as an order or dispute id or starts a draft (English prompts, the
  demo's default language; pass ``--lang`` to chat in another one and the derail check is off).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DERAIL = re.compile(
    r"has no (dispute|order)|Which order is the dispute for|is a dispute id|"
    r"does not look like a CJ order id|which items is the dispute about",
    re.I,
)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def is_correct(item: dict[str, object], entry_id: object, answer: str) -> bool:
    """The set line's topic was answered, with one of its figures or names (``any``) when it has them."""
    wanted = [str(s).lower() for s in item.get("any") or []]  # type: ignore[attr-defined]
    return bool(answer) and entry_id == item["topic"] and (
        not wanted or any(s in answer.lower() for s in wanted)
    )


def answer_prefixes() -> dict[str, list[str]]:
    """Each topic's answer openings in every language the knowledge base has."""
    out: dict[str, list[str]] = {}
    base = json.loads((ROOT / "data" / "faq.json").read_text(encoding="utf-8"))
    for entry in base["entries"]:
        out.setdefault(entry["id"], []).append(_norm(entry["answer"])[:60])
    for path in sorted((ROOT / "data" / "faq").glob("*.json")):
        translation = json.loads(path.read_text(encoding="utf-8"))
        for topic, entry in translation.get("entries", {}).items():
            if entry.get("answer"):
                out.setdefault(topic, []).append(_norm(entry["answer"])[:60])
    return out


def cli_rows(alex: str, questions: list[str], lang: str | None) -> list[dict[str, object]]:
    cmd = [alex, "faq", "--batch", "--json"] + (["--lang", lang] if lang else [])
    run = subprocess.run(
        cmd, input="".join(q.replace("\n", " ") + "\n" for q in questions),
        capture_output=True, text=True, timeout=600, check=True,
    )
    return [json.loads(line) for line in run.stdout.splitlines() if line.strip()]


def chat_replies(alex: str, questions: list[str], lang: str | None) -> list[str]:
    script = "".join(q.replace("\n", " ") + "\n/cancel\n" for q in questions) + "/quit\n"
    cmd = [alex, "demo"] + (["--lang", lang] if lang else [])
    run = subprocess.run(cmd, input=script, capture_output=True, text=True, timeout=900)
    got = []
    for part in re.split(r"^you> ", run.stdout, flags=re.M)[1:]:
        line, _, rest = part.partition("\n")
        if line.strip() in {"/cancel", "/quit"}:
            continue
        body = [ln for ln in rest.splitlines() if not re.match(r"\s*\[\d+\]", ln)]
        got.append("\n".join(ln.removeprefix("alex> ") for ln in body))
    if len(got) != len(questions):
        sys.exit(f"blind_eval: {len(questions)} typed, {len(got)} replies read: {run.stderr[-500:]}")
    return got


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set")
    parser.add_argument("--alex", default=str(ROOT / ".venv" / "bin" / "alex"))
    parser.add_argument("--lang", help="force the FAQ's language (CLI) and the chat's (demo)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    lines = Path(args.set).read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    questions = [str(item["q"]) for item in items]
    prefixes = answer_prefixes()
    every = [p for ps in prefixes.values() for p in ps if len(p) >= 20]

    ins = sum(1 for item in items if item["topic"] is not None)
    oos = len(items) - ins
    correct = answered = 0
    for item, row in zip(items, cli_rows(args.alex, questions, args.lang), strict=True):
        answer = str(row.get("answer") or "")
        if item["topic"] is None:
            answered += bool(answer)
            if args.verbose and answer:
                print(f"CLI ANSWERED OOS  {item['q']!r} -> {row.get('id')}")
            continue
        ok = is_correct(item, row.get("id"), answer)
        correct += ok
        if args.verbose and not ok:
            print(f"CLI MISSED [{item['topic']}] {item['q']!r} -> {row.get('id')} ({row.get('lang')})")
    print(f"cli:  in-scope {ins}: correct {100 * correct / max(ins, 1):.1f}% | "
          f"out-of-scope {oos}: answered {100 * answered / max(oos, 1):.1f}%")

    correct = answered = derailed = 0
    for item, reply in zip(items, chat_replies(args.alex, questions, args.lang), strict=True):
        text = _norm(reply)
        derail = not args.lang and bool(DERAIL.search(reply))
        derailed += derail
        if item["topic"] is None:
            hit = any(p in text for p in every)
            answered += hit
            if args.verbose and (hit or derail):
                print(f"CHAT {'DERAILED' if derail else 'ANSWERED'} OOS  {item['q']!r} -> {reply[:90]!r}")
            continue
        ok = any(p in text for p in prefixes.get(str(item["topic"]), []))
        correct += ok
        if args.verbose and not ok:
            verdict = "DERAILED" if derail else "MISSED"
            print(f"CHAT {verdict} [{item['topic']}] {item['q']!r} -> {reply[:90]!r}")
    print(f"chat: in-scope {ins}: correct {100 * correct / max(ins, 1):.1f}% | "
          f"out-of-scope {oos}: answered {100 * answered / max(oos, 1):.1f}% | "
          f"derailed {derailed} of {len(items)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
