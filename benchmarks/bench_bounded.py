"""Benchmark: work stays bounded on inputs that used to blow up (issue 11, point 5).

Each case is timed against a reference run in the same process and printed as a ratio:

1. a series ``FREQ=SECONDLY`` over one week (604,800 occurrences, 17 s before): refused up front;
   reference: the same plan without the series;
2. a series whose day filters match no day (``FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30``, which
   python-dateutil scans up to the year 9999 for): no occurrence, no scan; reference: a weekly
   series over the same ten years;
3. weekly KPIs over two rows dated 1970 and 8307 (130 s and 444 MB before); reference: two rows
   a week apart;
4. validating a setup with 2,000 to 32,000 campaigns (11 s for 16,000 before: quadratic); the
   time per campaign against the 2,000 run, with the garbage collector paused (the algorithm) and
   running (what a user sees: CPython's collector rescans a growing heap).

Run: ``.venv/bin/python benchmarks/bench_bounded.py``.
"""

from __future__ import annotations

import copy
import gc
import time as clock
import tomllib
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from smmkit.analytics import MetricsTable
from smmkit.errors import ValidationError
from smmkit.planner import PlanRequest, Series, plan
from smmkit.planner._series import occurrences
from smmkit.setup import load_setup, parse_setup

ROOT = Path(__file__).resolve().parents[1]
FORNO = ROOT / "examples" / "forno_aurora.toml"


def _best(call: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = clock.perf_counter()
        call()
        times.append(clock.perf_counter() - start)
    return min(times)


def _refused(call: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            call()
        except ValidationError:
            return
        raise AssertionError("expected a ValidationError")

    return run


def series_cases() -> None:
    setup = load_setup(FORNO)

    def request(*series: Series) -> PlanRequest:
        return PlanRequest(
            brand=setup.brand,
            channels=setup.channels,
            start=date(2026, 11, 30),
            weeks=1,
            series=series,
        )

    reference = _best(lambda: plan(request()))
    dense = Series(key="s", name="S", rule="FREQ=SECONDLY", channels=("instagram",))
    refused = _best(_refused(lambda: plan(request(dense))))
    print(
        f"{'FREQ=SECONDLY, one week':42} {refused:9.4f} s  ratio {refused / reference:6.2f}"
        f"  (reference: the plan without it, {reference:.4f} s)"
    )
    weekly = _best(
        lambda: list(
            occurrences("FREQ=WEEKLY;BYDAY=MO", date(2026, 1, 1), date(2036, 1, 1), 10_000)
        )
    )
    never = _best(
        lambda: list(
            occurrences(
                "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", date(2026, 1, 1), date(2036, 1, 1), 10_000
            )
        )
    )
    print(
        f"{'rule matching no day, 10 years':42} {never:9.4f} s  ratio {never / weekly:6.2f}"
        f"  (reference: a weekly rule, {weekly:.4f} s)"
    )


def kpi_cases() -> None:
    def table(first: datetime, second: datetime) -> MetricsTable:
        return MetricsTable.from_dicts(
            [
                {
                    "platform": "instagram",
                    "channel": "ig",
                    "post_id": str(i),
                    "measured_at": t,
                    "published_at": t,
                    "reach": 100,
                    "likes": 5,
                }
                for i, t in enumerate((first, second))
            ]
        )

    near = table(datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 9, tzinfo=UTC))
    far = table(datetime(1970, 1, 2, tzinfo=UTC), datetime(8307, 1, 2, tzinfo=UTC))

    def weekly(t: MetricsTable) -> Callable[[], object]:
        return lambda: t.kpis(["engagement_rate_by_reach_mean"], by=["period"], tz="Europe/Rome")

    reference = _best(weekly(near))
    spread = _best(weekly(far))
    tracemalloc.start()
    weekly(far)()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(
        f"{'weekly KPIs, rows in 1970 and 8307':42} {spread:9.4f} s  "
        f"ratio {spread / reference:6.2f}"
        f"  (reference: rows a week apart, {reference:.4f} s); peak {peak:.2f} MiB"
    )


def campaign_cases() -> None:
    base = tomllib.loads(FORNO.read_text(encoding="utf-8"))
    first = base["campaigns"][0]
    sizes = (2_000, 4_000, 8_000, 16_000, 32_000)
    print(
        f"\n{'campaigns':>10} {'s (gc paused)':>14} {'per campaign':>13} {'ratio':>6}"
        f" {'s (gc on)':>10} {'ratio':>6}"
    )
    ref_off = ref_on = 0.0
    for n in sizes:
        data = copy.deepcopy(base)
        data["campaigns"] = [first] + [{**first, "id": f"c{i}"} for i in range(n)]
        gc.collect()
        gc.disable()
        try:
            off = _best(lambda d=data: parse_setup(d), repeat=2) / n
        finally:
            gc.enable()
        on = _best(lambda d=data: parse_setup(d), repeat=2) / n
        ref_off = ref_off or off
        ref_on = ref_on or on
        print(
            f"{n:>10,} {off * n:>14.3f} {off * 1e6:>10.1f} us {off / ref_off:>6.2f}"
            f" {on * n:>10.3f} {on / ref_on:>6.2f}"
        )


def main() -> None:
    print("Bounded work on hostile input (ratios against a reference in the same process)\n")
    series_cases()
    kpi_cases()
    campaign_cases()
    print("\nA ratio that stays near 1 as campaigns double is linear time.")


if __name__ == "__main__":
    main()
