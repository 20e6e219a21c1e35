"""How long importing smmkit takes in a fresh interpreter, against importing pydantic alone.

Run: .venv/bin/python benchmarks/bench_import.py
Each figure is the best of five fresh interpreters, measured with ``python -X importtime``.
"""

from __future__ import annotations

import re
import subprocess
import sys

RUNS = 5


def import_seconds(module: str) -> float:
    best = float("inf")
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import {module}"],
            capture_output=True,
            text=True,
            check=True,
        ).stderr
        total = 0
        for line in out.splitlines():
            match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S+)$", line)
            if match and match.group(2) == module:
                total = int(match.group(1))
        best = min(best, total / 1e6)
    return best


def main() -> None:
    reference = import_seconds("pydantic")
    print(f"{'module':<24}{'seconds':>10}{'x pydantic':>12}")
    for module in ("pydantic", "smmkit", "smmkit.models", "smmkit.setup"):
        seconds = import_seconds(module)
        print(f"{module:<24}{seconds:>10.4f}{seconds / reference:>12.2f}")


if __name__ == "__main__":
    main()
