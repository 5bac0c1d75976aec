"""``alex faq``: answer CJ policy questions from the terminal or a pipe.

    alex faq "stripe refund still not on my card"     answer and source, "did you mean", or "I don't know"
    alex faq --json "question"                        the same as one JSON object
    alex faq --batch --json < questions.txt           one JSON object per input line, in order
    alex faq --explain "question"                     the top candidates and their score parts
    alex faq --lang es "cuanto tarda el reembolso"    answer in that language (default: the question's)
    alex faq misses [--limit N] [--json] [--clear]    the most frequent unanswered questions

Options: ``--no-log`` (do not record unanswered questions), ``--kb PATH`` (another
knowledge-base file; its translations in the folder of the same name), ``--lang xx``
(one of the languages with settings in ``data/faq/lang``). Unanswered questions are recorded when a store is
configured (see :mod:`faq.config`).

Arguments are parsed by hand and every heavy module is imported only when used:
the whole command must start in a few tens of milliseconds.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from faq.present import SourceTable

USAGE = """\
usage: alex faq [--json] [--no-log] [--kb PATH] [--lang xx] QUESTION...
       alex faq --batch [--json] [--no-log] [--kb PATH] [--lang xx]   (one question a line on stdin)
       alex faq --explain [--lang xx] QUESTION...
       alex faq misses [--limit N] [--json] [--clear]

Answers questions about CJ disputes, refunds, resends and returns from the
knowledge base (data/faq.json and its translations in data/faq/), in the language
of the question (or --lang: en, es, pt, fr, de, ru). With --batch --json, writes one
line per input line: {"q", "id", "answer", "score", "alternatives", "kind",
"source", "source_title", "source_url", "sources", "action", "lang"}, "answer" null
when Alex does not know; "source" is the cited source id(s), "source_title"/
"source_url" the first one as a seller reads it, "sources" every cited source,
"lang" the language of the answer. Unanswered questions are logged when
ALEX_DB_PATH is set (environment or .env) or var/alex.sqlite3 exists; `alex faq
misses` lists the most frequent ones.
"""

class UsageError(Exception):
    """Bad command-line arguments; printed with the usage text."""


class Options:
    __slots__ = ("batch", "clear", "explain", "json", "kb", "lang", "limit", "log", "misses", "words")

    def __init__(self) -> None:
        self.batch = False
        self.json = False
        self.log = True
        self.explain = False
        self.misses = False
        self.clear = False
        self.kb: str | None = None
        self.lang: str | None = None
        self.limit = 20
        self.words: list[str] = []


def parse_args(argv: list[str]) -> Options | None:
    """The options, or None when help was asked for."""
    opts = Options()
    args = iter(argv)
    if argv[:1] == ["misses"]:
        opts.misses = True
        next(args)
    only_words = False
    for arg in args:
        if only_words or not arg.startswith("-") or arg == "-":
            opts.words.append(arg)
        elif arg == "--":
            only_words = True
        elif arg in {"-h", "--help"}:
            return None
        elif arg == "--batch":
            opts.batch = True
        elif arg == "--json":
            opts.json = True
        elif arg == "--no-log":
            opts.log = False
        elif arg == "--explain":
            opts.explain = True
        elif arg == "--clear" and opts.misses:
            opts.clear = True
        elif arg == "--kb" or arg.startswith("--kb="):
            opts.kb = arg.partition("=")[2] if "=" in arg else next(args, None)
            if not opts.kb:
                raise UsageError("--kb needs a file path")
        elif arg == "--lang" or arg.startswith("--lang="):
            opts.lang = arg.partition("=")[2] if "=" in arg else next(args, None)
            if not opts.lang:
                raise UsageError("--lang needs a language code, e.g. --lang es")
        elif (arg == "--limit" or arg.startswith("--limit=")) and opts.misses:
            value = arg.partition("=")[2] if "=" in arg else next(args, "")
            if not value.isdigit() or int(value) < 1:
                raise UsageError("--limit needs a positive number")
            opts.limit = int(value)
        else:
            raise UsageError(f"unknown option {arg!r}")
    if opts.misses and opts.words:
        raise UsageError("`alex faq misses` takes no question")
    if opts.batch and opts.words:
        raise UsageError("--batch reads questions from stdin: give no question on the command line")
    if not (opts.misses or opts.batch or opts.words):
        raise UsageError("ask a question, e.g. alex faq \"how long does a dispute review take\"")
    return opts


def main(argv: list[str]) -> int:
    try:
        opts = parse_args(argv)
    except UsageError as exc:
        print(f"alex faq: {exc}\n\n{USAGE}", file=sys.stderr)
        return 2
    if opts is None:
        print(USAGE)
        return 0
    _tolerant_stdout()
    from faq.errors import FAQError

    try:
        if opts.misses:
            return _misses(opts)
        return _answer(opts)
    except FAQError as exc:
        print(f"alex faq: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `alex faq --batch ... | head`: the reader left, so stop quietly
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


def _tolerant_stdout() -> None:
    """Never die on printing: odd terminals get replacement characters instead of a traceback."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def _answer(opts: Options) -> int:
    from faq.config import configured_db_path
    from faq.matcher import load_matcher
    from faq.misses import MissLog

    matcher = load_matcher(opts.kb)
    lang = matcher.language(opts.lang) if opts.lang is not None else None  # unknown: one clear error
    if opts.json or opts.explain:
        import json  # not for plain answers: every millisecond of start-up shows
    if opts.explain:
        for row in matcher.explain(" ".join(opts.words), lang=lang):
            print(json.dumps(row, ensure_ascii=False))
        return 0
    log = MissLog(configured_db_path() if opts.log else None)
    try:
        if opts.batch:
            out = sys.stdout
            for question in read_lines(sys.stdin.buffer):
                answer = matcher.answer(question, lang=lang)
                _log_miss(log, answer)
                if opts.json:
                    out.write(json.dumps(answer_row(answer, matcher.kb.source_table)) + "\n")
                else:
                    out.write(f"{answer.entry.id if answer.entry else '-'}\t{answer.score:g}\t{question}\n")
                out.flush()
            return 0
        answer = matcher.answer(" ".join(opts.words), lang=lang)
        logged = _log_miss(log, answer)
        if opts.json:
            print(json.dumps(answer_row(answer, matcher.kb.source_table), ensure_ascii=False, indent=2))
        else:
            print(render_text(answer, matcher.human_route_for(answer.lang), logged=logged,
                              sources=matcher.kb.source_table))
        return 0
    finally:
        log.close()


def _log_miss(log: Any, answer: Any) -> bool:
    if answer.kind != "unknown" or not answer.normalized:
        return False
    return bool(log.record(answer.question, answer.normalized))


def read_lines(stream: IO[bytes]) -> Iterator[str]:
    """Questions from a byte stream: split on newline only, undecodable bytes replaced.

    ``str.splitlines`` would also split on form feeds and other separators that
    binary junk contains, and the batch contract is one output line per input line.
    """
    for raw in stream:
        line = raw[:-1] if raw.endswith(b"\n") else raw
        if line.endswith(b"\r"):
            line = line[:-1]
        yield line.decode("utf-8", "replace")


def answer_row(answer: Any, sources: SourceTable | None = None) -> dict[str, object]:
    """The batch JSON object for one answer (``answer`` null when Alex abstains).

    ``source`` stays the id(s) the entry cites; ``source_title``/``source_url`` give the first
    cited source as a seller reads it (:func:`faq.present.source_label`), ``sources`` all of them.
    """
    from faq.present import entry_sources, source_title

    entry = None if answer.abstained else answer.entry
    cited = entry_sources(entry, sources) if entry else ()
    first = cited[0] if cited else None
    return {
        "q": answer.question,
        "id": entry.id if entry else None,
        "answer": entry.answer if entry else None,
        "score": answer.score,
        "alternatives": [{"id": e.id, "question": e.question} for e in answer.alternatives],
        "kind": answer.kind,
        "source": entry.source if entry else None,
        "source_title": source_title(first.id, sources) if first else None,
        "source_url": first.url if first else None,
        "sources": [s._asdict() for s in cited],
        "action": entry.action if entry else None,
        "lang": getattr(answer, "lang", "en"),
    }


def render_text(
    answer: Any, human_route: str, *, logged: bool = False, sources: SourceTable | None = None
) -> str:
    """What a seller reads in the terminal: an answer as :func:`faq.present.format_entry` shows it,
    in the answer's language (the notice for an untranslated one in the question's)."""
    from faq import texts
    from i18n import translator

    tr = translator(getattr(answer, "lang", None))
    if answer.kind == "smalltalk":
        return tr.gettext(texts.SMALLTALK.get(answer.smalltalk or "", texts.SMALLTALK["greeting"]))
    if answer.kind == "unknown" or answer.entry is None:
        lines = [tr.gettext(texts.DONT_KNOW), tr.format(texts.HUMAN_CAN_HELP, human_route=human_route)]
        if logged:
            lines.append(tr.gettext(texts.NOTED))
        return "\n".join(lines)
    if answer.kind == "unsure":
        choices: Iterable[Any] = [answer.entry, *answer.alternatives]
        lines = [tr.gettext(texts.NOT_SURE)]
        lines += [f"  {i}. {e.question}" for i, e in enumerate(choices, 1)]
        lines.append(tr.format(texts.ASK_ONE, question=answer.entry.question))
        return "\n".join(lines)
    from faq.present import format_entry

    lines = [format_entry(answer.entry, sources, tr)]
    if getattr(answer, "untranslated", False):
        lines.insert(0, translator(answer.asked).gettext(texts.UNTRANSLATED))
    if answer.alternatives:
        lines.append(tr.format(texts.RELATED, questions="; ".join(e.question for e in answer.alternatives)))
    return "\n".join(lines)


def _misses(opts: Options) -> int:
    import json

    from faq.config import configured_db_path

    path = configured_db_path()
    if path is None:
        print("No store configured: set ALEX_DB_PATH (environment or .env) to log and list unanswered "
              "questions.", file=sys.stderr)
        return 1
    if not path.exists():
        print(f"No unanswered questions recorded yet ({path} does not exist).")
        return 0
    from store import StoreError, open_store
    from store.faq_misses import clear_misses, top_misses

    try:
        store = open_store(path)
    except StoreError as exc:
        print(f"alex faq: cannot open {path}: {exc}", file=sys.stderr)
        return 2
    try:
        if opts.clear:
            print(f"Forgot {clear_misses(store)} unanswered question(s).")
            return 0
        misses = top_misses(store, opts.limit)
    finally:
        store.close()
    if opts.json:
        for miss in misses:
            print(json.dumps(miss._asdict(), ensure_ascii=False))
        return 0
    if not misses:
        print("No unanswered questions recorded yet.")
        return 0
    import time

    print(f"{'count':>5}  {'last asked':<16}  latest wording  [normalised]")
    for miss in misses:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(miss.last_at))
        print(f"{miss.count:>5}  {when:<16}  {miss.example}  [{miss.normalized}]")
    return 0
