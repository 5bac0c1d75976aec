"""Question sets in sellers' own words, per language, each held to a floor.

``tests/faq/sets/<set>_<lang>.jsonl``:

- ``blind``, ``blind2`` ... ``blind8``: written blind (by someone who never saw the KB's phrasings,
  from the topic list and the English answers alone; 40 + 10 a language, ``blind2`` 24 + 6), each
  scored once after the tuning the previous one prompted. Their first scores, before any change they
  prompted, are below and in ``docs/languages.md``; ``blind7`` was not tuned on (two out-of-scope
  answers it showed were fixed by general changes afterwards), ``blind8`` only in English, after
  which ``blind9`` (English only) was written and scored.
- ``devx``: the shared English dev set (``../shared/eval/faq_dev.jsonl``) translated by a helper who
  never saw the KB, each line's topic being what Alex answers to the English original: how a
  question fares in another language than the one it was written in. Never tuned on.

Each floor sits a little under the figure measured when the set was last scored, so a change that
loses two questions in one language fails here. Scored as ``alex faq --batch --json`` answers (an
"unsure" answer counts as answered), by topic id, with the set's figures and names (``any``)
required in the answer when given. The same sets through the chat:
``python -m tests.faq.blind_eval tests/faq/sets/<set>_<lang>.jsonl``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from faq.matcher import Matcher
from tests.faq.blind_eval import is_correct
from tests.faq.calibrate import load_set

SETS = Path(__file__).with_name("sets")
SIZES = {
    "blind": (40, 10), "blind2": (24, 6), "blind3": (40, 10), "blind4": (40, 10), "blind5": (40, 10),
    "blind6": (40, 10), "blind7": (40, 10), "blind8": (40, 10),
    "blind9": (40, 10), "devx": (42, 12),
}

# (set, language): (lowest in-scope correct share, highest out-of-scope answered share)
FLOORS: dict[tuple[str, str], tuple[float, float]] = {
    ("blind", "de"): (0.950, 0.05),  # first run 85.0/0; now 100.0/0.0
    ("blind", "en"): (0.950, 0.05),  # first run 87.5/0; now 100.0/0.0
    ("blind", "es"): (0.950, 0.05),  # first run 82.5/0; now 100.0/0.0
    ("blind", "fr"): (0.950, 0.05),  # first run 97.5/0; now 100.0/0.0
    ("blind", "pt"): (0.950, 0.05),  # first run 92.5/0; now 100.0/0.0
    ("blind", "ru"): (0.950, 0.05),  # first run 87.5/0; now 100.0/0.0
    ("blind2", "de"): (0.916, 0.05),  # first run 91.7/16.7; now 100.0/0.0
    ("blind2", "en"): (0.916, 0.05),  # first run 83.3/0; now 100.0/0.0
    ("blind2", "es"): (0.916, 0.05),  # first run 87.5/0; now 100.0/0.0
    ("blind2", "fr"): (0.916, 0.05),  # first run 91.7/0; now 100.0/0.0
    ("blind2", "pt"): (0.916, 0.05),  # first run 91.7/0; now 100.0/0.0
    ("blind2", "ru"): (0.916, 0.05),  # first run 91.7/0; now 100.0/0.0
    ("blind3", "de"): (0.950, 0.05),  # first run 77.5/0; now 100.0/0.0
    ("blind3", "en"): (0.950, 0.05),  # first run 82.5/10; now 100.0/0.0
    ("blind3", "es"): (0.950, 0.05),  # first run 75.0/10; now 100.0/0.0
    ("blind3", "fr"): (0.950, 0.05),  # first run 82.5/10; now 100.0/0.0
    ("blind3", "pt"): (0.950, 0.05),  # first run 80.0/10; now 100.0/0.0
    ("blind3", "ru"): (0.950, 0.05),  # first run 87.5/0; now 100.0/0.0
    ("blind4", "de"): (0.950, 0.05),  # first run 87.5/0; now 100.0/0.0
    ("blind4", "en"): (0.950, 0.05),  # first run 90.0/0; now 100.0/0.0
    ("blind4", "es"): (0.899, 0.05),  # first run 82.5/10; now 95.0/0.0
    ("blind4", "fr"): (0.950, 0.05),  # first run 87.5/10; now 100.0/0.0
    ("blind4", "pt"): (0.950, 0.05),  # first run 72.5/0; now 100.0/0.0
    ("blind4", "ru"): (0.950, 0.05),  # first run 87.5/0; now 100.0/0.0
    ("blind5", "de"): (0.950, 0.05),  # first run 95.0/0; now 100.0/0.0
    ("blind5", "en"): (0.950, 0.05),  # first run 95.0/0; now 100.0/0.0
    ("blind5", "es"): (0.950, 0.05),  # first run 95.0/10; now 100.0/0.0
    ("blind5", "fr"): (0.950, 0.05),  # first run 87.5/0; now 100.0/0.0
    ("blind5", "pt"): (0.950, 0.05),  # first run 92.5/0; now 100.0/0.0
    ("blind5", "ru"): (0.950, 0.05),  # first run 90.0/10; now 100.0/0.0
    ("blind6", "de"): (0.899, 0.05),  # first run 92.5/0; now 95.0/0.0
    ("blind6", "en"): (0.924, 0.05),  # first run 95.0/0; now 97.5/0.0
    ("blind6", "es"): (0.950, 0.05),  # first run 90.0/0; now 100.0/0.0
    ("blind6", "fr"): (0.924, 0.05),  # first run 97.5/0; now 97.5/0.0
    ("blind6", "pt"): (0.950, 0.05),  # first run 95.0/0; now 100.0/0.0
    ("blind6", "ru"): (0.950, 0.05),  # first run 85.0/0; now 100.0/0.0
    ("blind7", "de"): (0.875, 0.05),  # first run 92.5/0; now 92.5/0.0
    ("blind7", "en"): (0.950, 0.05),  # first run 100.0/0; now 100.0/0.0
    ("blind7", "es"): (0.850, 0.05),  # first run 90.0/10; now 90.0/0.0
    ("blind7", "fr"): (0.899, 0.05),  # first run 95.0/0; now 95.0/0.0
    ("blind7", "pt"): (0.924, 0.05),  # first run 97.5/0; now 97.5/0.0
    ("blind7", "ru"): (0.899, 0.05),  # first run 95.0/10; now 95.0/0.0
    ("blind8", "de"): (0.924, 0.05),  # first run 97.5/0; now 97.5/0.0
    ("blind8", "en"): (0.950, 0.05),  # first run 87.5/0; now 100.0/0.0
    ("blind8", "es"): (0.924, 0.05),  # first run 97.5/0; now 97.5/0.0
    ("blind8", "fr"): (0.924, 0.05),  # first run 97.5/0; now 97.5/0.0
    ("blind8", "pt"): (0.950, 0.05),  # first run 100.0/0; now 100.0/0.0
    ("blind8", "ru"): (0.899, 0.05),  # first run 95.0/0; now 95.0/0.0
    ("blind9", "en"): (0.875, 0.05),  # first run 92.5/0; now 92.5/0.0
    ("devx", "de"): (0.952, 0.05),  # first run 92.9/0; now 100.0/0.0
    ("devx", "es"): (0.928, 0.05),  # first run 92.9/0; now 97.6/0.0
    ("devx", "fr"): (0.952, 0.05),  # first run 95.2/0; now 100.0/0.0
    ("devx", "pt"): (0.952, 0.05),  # first run 90.5/0; now 100.0/0.0
    ("devx", "ru"): (0.952, 0.05),  # first run 95.2/0; now 100.0/0.0
}


def test_every_set_has_a_floor() -> None:
    found = {tuple(p.stem.rsplit("_", 1)) for prefix in SIZES for p in SETS.glob(f"{prefix}_*.jsonl")}
    assert found == set(FLOORS)


@pytest.mark.parametrize(("name", "lang"), sorted(FLOORS))
def test_set_stays_above_its_floor(matcher: Matcher, name: str, lang: str) -> None:
    items = load_set(SETS / f"{name}_{lang}.jsonl")
    inscope = [i for i in items if i["topic"] is not None]
    oos = [i for i in items if i["topic"] is None]
    assert (len(inscope), len(oos)) >= SIZES[name]
    misses: list[str] = []
    for item in inscope:
        found = matcher.answer(str(item["q"]))
        answer = found.entry.answer if found.entry is not None and not found.abstained else ""
        if not is_correct(item, found.entry.id if found.entry else None, answer):
            misses.append(f"{item['q']!r} -> {found.entry.id if found.entry else None}")
    answered = [str(i["q"]) for i in oos if not matcher.answer(str(i["q"])).abstained]
    min_correct, max_oos = FLOORS[(name, lang)]
    assert 1 - len(misses) / len(inscope) >= min_correct, misses
    assert len(answered) / len(oos) <= max_oos, answered
