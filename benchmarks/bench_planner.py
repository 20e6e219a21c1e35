"""Benchmark: plan one year for 10, 50 and 200 channels (and half a year for 50).

Prints the wall time of each run, the slots planned, and the time per slot and per
channel-week as ratios against the 10-channel one-year reference run in the same process.
Target: 50 channels (about 15,000 slots) in under 2 s, and ratios that do not grow (time linear in
channels x weeks). Run: ``.venv/bin/python benchmarks/bench_planner.py``.
"""

from __future__ import annotations

import gc
import statistics
import time as clock
from datetime import date, time, timedelta

from smmkit.models import (
    Brand,
    Cadence,
    Campaign,
    Channel,
    ContentPillar,
    Objective,
    ObjectiveTarget,
    PostingWindow,
)
from smmkit.planner import PlanRequest, plan

ZONES = ("Europe/Rome", "America/New_York", "Europe/London", "Asia/Tokyo", "UTC")
PLATFORMS = ("instagram", "facebook", "threads", "linkedin", "mastodon", "bluesky", "x")
CADENCES = (
    Cadence(posts_per_week=7, min_spacing=timedelta(hours=6), daily_cap=2),
    Cadence(posts_per_week=5, min_spacing=timedelta(hours=4), daily_cap=1),
    Cadence(posts_per_week=3, min_spacing=timedelta(hours=12), daily_cap=1),
    Cadence(posts_per_week=7, min_spacing=timedelta(hours=3), daily_cap=2),
    Cadence(posts_per_week=7, min_spacing=timedelta(hours=2), daily_cap=2),
)


def request(n_channels: int, weeks: int) -> PlanRequest:
    brand = Brand(
        name="Bench",
        locales=("it-IT",),
        timezone="Europe/Rome",
        country="IT",
        region="BO",
        pillars=(
            ContentPillar(key="prodotto", name="P", share=0.35),
            ContentPillar(key="quinte", name="Q", share=0.25),
            ContentPillar(key="comunita", name="C", share=0.2),
            ContentPillar(key="ricette", name="R", share=0.2),
        ),
        objectives=(
            ObjectiveTarget(objective=Objective.COMMUNITY, weight=2),
            ObjectiveTarget(objective=Objective.TRAFFIC),
        ),
    )
    channels = tuple(
        Channel(
            key=f"c{i}",
            platform=PLATFORMS[i % len(PLATFORMS)],
            handle=f"h{i}",
            timezone=ZONES[i % len(ZONES)],
            cadence=CADENCES[i % len(CADENCES)],
            windows=(
                PostingWindow(start=time(7, 30), end=time(12)),
                PostingWindow(start=time(17), end=time(21, 30)),
            ),
        )
        for i in range(n_channels)
    )
    start = date(2026, 1, 5)
    campaign = Campaign.model_validate(
        {
            "id": "spring",
            "name": "Spring",
            "objective": "sales",
            "weight": 1.5,
            "start": "2026-03-01T00:00:00+01:00",
            "end": "2026-05-01T00:00:00+02:00",
            "pillars": ["prodotto"],
        }
    )
    return PlanRequest(
        brand=brand, channels=channels, start=start, weeks=weeks, campaigns=(campaign,)
    )


def run(
    n_channels: int, weeks: int, repeat: int = 3, collect: bool = True
) -> tuple[float, float, int]:
    """Median wall time and median CPU time (the process's own) of ``repeat`` runs; with
    ``collect=False`` the cyclic garbage collector is paused during each run."""
    req = request(n_channels, weeks)
    walls, cpus = [], []
    slots = 0
    for _ in range(repeat):
        if not collect:
            gc.disable()
        t0, c0 = clock.perf_counter(), clock.process_time()
        cal = plan(req)
        walls.append(clock.perf_counter() - t0)
        cpus.append(clock.process_time() - c0)
        gc.enable()
        slots = len(cal.slots)
        del cal
        gc.collect()
    return statistics.median(walls), statistics.median(cpus), slots


def main() -> None:
    plan(request(2, 2))  # warm caches (zone data, holidays)
    ref = run(10, 52)
    ref_nogc = run(10, 52, collect=False)
    ref_per_slot = ref[1] / ref[2]
    ref_per_cw = ref[1] / (10 * 52)
    print(
        f"{'channels':>8} {'weeks':>5} {'slots':>7} {'wall s':>7} {'cpu s':>7} "
        f"{'cpu us/slot':>11} {'slot ratio':>10} {'ch-week ratio':>13} "
        f"{'ratio, gc paused':>16}"
    )
    for n, weeks in ((10, 52), (50, 26), (50, 52), (200, 52)):
        wall, cpu, slots = ref if (n, weeks) == (10, 52) else run(n, weeks)
        nogc = ref_nogc if (n, weeks) == (10, 52) else run(n, weeks, collect=False)
        print(
            f"{n:>8} {weeks:>5} {slots:>7} {wall:>7.3f} {cpu:>7.3f} "
            f"{1e6 * cpu / slots:>11.1f} {(cpu / slots) / ref_per_slot:>10.2f} "
            f"{(cpu / (n * weeks)) / ref_per_cw:>13.2f} "
            f"{(nogc[1] / slots) / (ref_nogc[1] / ref_nogc[2]):>16.2f}"
        )
        if (n, weeks) == (50, 52):
            verdict = "PASS" if wall < 2.0 else "FAIL"
            print(
                f"{'':>8} 50 channels x 1 year: {wall:.3f} s wall ({cpu:.3f} s CPU) for "
                f"{slots} slots (target < 2 s): {verdict}"
            )
    print(
        "ratios: CPU time per slot (and per channel-week) against the 10-channel run; near 1 "
        "means linear growth. The last column pauses Python's cyclic garbage collector, whose "
        "full collections rescan the growing heap: what remains is the planner's own cost."
    )


if __name__ == "__main__":
    main()
