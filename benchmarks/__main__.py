"""Run every benchmark in turn: `python -m benchmarks` (or `make bench`).

Each benchmark is also runnable alone, e.g. `python -m benchmarks.faq_bench`.
Figures are printed, never asserted: absolute times are noisy here, ratios measured
side by side in one run are what to compare.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    modules = pkgutil.iter_modules([str(Path(__file__).parent)])
    names = sorted(m.name for m in modules if m.name.endswith("_bench"))
    failed = 0
    for name in names:
        print(f"\n=== benchmarks.{name} ===", flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        try:
            module.main([])
        except SystemExit as exc:
            failed += bool(exc.code)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
