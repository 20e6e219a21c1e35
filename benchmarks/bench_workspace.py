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


PUBLISH_OVERHEAD_TARGET_MS = 2.0


def _publish_world(posts: int, tag: str) -> tuple[Any, list[Any]]:
    """A fresh in-memory sandbox network with 4 channels and ``posts`` variants to publish."""
    from datetime import UTC, datetime

    from smmkit.models import Variant
    from smmkit.platforms.sandbox import SandboxNetwork, sandbox_channel

    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    network = SandboxNetwork(seed=1, start=start)
    for c in range(4):
        network.add_channel(sandbox_channel(f"c{c}", platform="sandbox"))
    variants = [
        Variant(
            id=f"{tag}-{n}",
            channel=f"c{n % 4}",
            platform="sandbox",
            text=f"Post {n} of run {tag}",
            status="scheduled",
            scheduled_at=start,
            publish_key=f"{tag}-key-{n:06d}",
        )
        for n in range(posts)
    ]
    return network, variants


def section_publish_overhead(posts: int, repeats: int, folder: Path) -> float:
    """3. The store's overhead per published post on SQLite (default settings: WAL,
    ``synchronous=FULL``), against publishing the same posts without a store in the same run.

    Both sides publish ``posts`` variants through the same sandbox client code to a fresh
    in-memory network. With the store, the runner claims them from the outbox, publishes them
    and records each outcome (outbox, published post, variant status and history, metric jobs,
    change log); the variants are stored and enqueued before the clock starts. The figure is the
    median over ``repeats`` pairs of (with store - without) / posts.
    """
    from datetime import UTC, datetime

    from smmkit.runner import Runner
    from smmkit.setup import load_setup
    from smmkit.store import open_store

    brand = load_setup(Path(__file__).resolve().parents[1] / "examples" / "forno_aurora.toml").brand
    now = datetime(2026, 12, 1, 9, 1, tzinfo=UTC)
    overheads: list[float] = []
    bare_times: list[float] = []
    store_times: list[float] = []
    for rep in range(repeats):
        network, variants = _publish_world(posts, f"bare{rep}")
        clients = {f"c{c}": network.client(f"c{c}") for c in range(4)}
        started = time.perf_counter()
        for variant in variants:
            clients[variant.channel].publish(variant)
        bare = time.perf_counter() - started

        network, variants = _publish_world(posts, f"store{rep}")
        clients = {f"c{c}": network.client(f"c{c}") for c in range(4)}
        store = open_store(folder / f"bench-{rep}.db", clock=lambda: now)
        with store.transaction(actor="bench") as tx:
            from smmkit.platforms.sandbox import sandbox_channel

            tx.put_brand("bench", brand)
            for c in range(4):
                tx.put_channel("bench", sandbox_channel(f"c{c}", platform="sandbox"))
            tx.add_variants("bench", variants)
            tx.enqueue_many([(v.id, v.scheduled_at or now) for v in variants])
        runner = Runner(
            store,
            lambda _brand, channel, clients=clients: clients[channel],
            clock=lambda: now,
            account_metrics=False,
        )
        started = time.perf_counter()
        report = runner.run(until_idle=True)
        with_store = time.perf_counter() - started
        store.close()
        if report.published != posts:
            raise SystemExit(f"the runner published {report.published} of {posts} posts")
        bare_times.append(bare)
        store_times.append(with_store)
        overheads.append((with_store - bare) / posts * 1000)
    overheads.sort()
    median = overheads[len(overheads) // 2]
    verdict = "ok" if median <= PUBLISH_OVERHEAD_TARGET_MS else "OVER TARGET"
    bare_ms = sorted(bare_times)[len(bare_times) // 2] / posts * 1000
    store_ms = sorted(store_times)[len(store_times) // 2] / posts * 1000
    print(
        f"[3] store overhead per published post (SQLite, {posts} posts, median of {repeats}): "
        f"{median:.2f} ms (target <= {PUBLISH_OVERHEAD_TARGET_MS} ms: {verdict}); "
        f"{store_ms:.2f} ms/post with the store vs {bare_ms:.2f} ms/post without "
        f"({store_ms / bare_ms:.2f}x)"
    )
    return median


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else 7
    started = time.perf_counter()
    section_import(runs)
    section_year(2 if args.quick else 3)
    with tempfile.TemporaryDirectory() as folder:
        section_publish_overhead(300 if args.quick else 1000, 3, Path(folder))
    print(f"done in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
