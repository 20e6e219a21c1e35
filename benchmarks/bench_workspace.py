"""The workspace's figures, one section each (issue 12).

Run: .venv/bin/python benchmarks/bench_workspace.py [--quick]

1. ``import smmkit`` in a fresh interpreter (target < 0.05 s), against ``import pydantic``.
2. Importing 50 channels and one year of their plan into a new SQLite workspace (target < 2 s):
   ``Workspace.open`` (creating the schema), ``import_setup`` (50 channels) and
   ``import_calendar`` (52 weeks x 50 channels x 5 posts = 13,000 slots), against building
   the same setup and calendar objects in memory. The planner's own time for that year is
   printed too (it is the engine's figure, see ``bench_planner.py``).
3. The store's overhead per published post on SQLite (target <= 2 ms), against publishing the
   same posts without a store in the same run.

Each section prints its figure, its target and a ratio against a reference measured in the same
process, so the numbers compare across machines.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

IMPORT_TARGET_S = 0.05
YEAR_IMPORT_TARGET_S = 2.0
ROOT = Path(__file__).resolve().parents[1]
PLATFORMS = ("instagram", "facebook", "threads", "mastodon", "bluesky", "linkedin", "x")


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


def fifty_channel_setup() -> Any:
    """The Forno Aurora setup with 50 channels (5 posts a week each), no campaigns or items."""
    from smmkit.setup import load_setup, parse_setup

    data = load_setup(ROOT / "examples" / "forno_aurora.toml").model_dump(mode="json")
    template = next(c for c in data["channels"] if c["key"] == "instagram")
    data["channels"] = [
        {**template, "key": f"ch-{i:02d}", "platform": PLATFORMS[i % len(PLATFORMS)]}
        for i in range(50)
    ]
    data["campaigns"] = []
    data["content"] = []
    data["influencers"] = []
    return parse_setup(data)


def section_year(runs: int) -> float:
    """2. A new workspace, 50 channels and a year of plan; reference: the objects in memory."""
    from smmkit.planner import EditorialCalendar, PlanRequest, plan
    from smmkit.workspace import Workspace

    setup = fifty_channel_setup()
    started = time.perf_counter()
    calendar = plan(
        PlanRequest(
            brand=setup.brand,
            channels=setup.channels,
            start=date(2027, 1, 4),
            weeks=52,
            audience=setup.audience,
        )
    )
    planning = time.perf_counter() - started
    payload = calendar.model_dump_json()
    best = float("inf")
    reference = float("inf")
    for run in range(runs):
        # the reference: rebuilding the same setup and calendar from their JSON, in memory
        started = time.perf_counter()
        type(setup).model_validate_json(setup.model_dump_json())
        EditorialCalendar.model_validate_json(payload)
        reference = min(reference, time.perf_counter() - started)
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            ws = Workspace.open(Path(tmp) / f"year-{run}.db")
            ws.import_setup(setup)
            stored = ws.import_calendar(calendar)
            ws.close()
            best = min(best, time.perf_counter() - started)
    verdict = "ok" if best < YEAR_IMPORT_TARGET_S else "OVER TARGET"
    print(
        f"[2] 50 channels x one year ({stored:,} slots) into a new SQLite workspace: "
        f"{best:.3f} s (target < {YEAR_IMPORT_TARGET_S} s: {verdict}); "
        f"{best / reference:.1f}x rebuilding the objects in memory ({reference:.3f} s); "
        f"planning that year takes the planner {planning:.2f} s"
    )
    return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else 7
    started = time.perf_counter()
    section_import(runs)
    section_year(2 if args.quick else 3)
    print(f"done in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
