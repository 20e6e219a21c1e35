"""The workspace's figures, one section each (issue 12).

Run: .venv/bin/python benchmarks/bench_workspace.py [--quick]

1. ``import smmkit`` in a fresh interpreter (target < 0.05 s), against ``import pydantic``.
2. Importing a setup of 50 channels with one year of plan into a workspace (target < 2 s).
3. The store's overhead per published post on SQLite (target <= 2 ms), against publishing the
   same posts without a store in the same run.

Each section prints its figure, its target and a ratio against a reference measured in the same
process, so the numbers compare across machines.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

IMPORT_TARGET_S = 0.05


def _fresh_import_seconds(module: str, runs: int) -> float:
    """Best wall time of ``import module`` over ``runs`` fresh interpreters (subprocess)."""
    code = (
        f"import time\nt = time.perf_counter()\nimport {module}\nprint(time.perf_counter() - t)\n"
    )
    best = float("inf")
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        best = min(best, float(out.strip()))
    return best


def section_import(runs: int) -> float:
    """1. ``import smmkit`` in a subprocess; the reference is ``import pydantic``."""
    reference = _fresh_import_seconds("pydantic", runs)
    seconds = _fresh_import_seconds("smmkit", runs)
    verdict = "ok" if seconds < IMPORT_TARGET_S else "OVER TARGET"
    print(
        f"[1] import smmkit: {seconds:.4f} s (target < {IMPORT_TARGET_S} s: {verdict}); "
        f"{seconds / reference:.2f}x import pydantic ({reference:.4f} s)"
    )
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else 7
    started = time.perf_counter()
    section_import(runs)
    print(f"done in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
