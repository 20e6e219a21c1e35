"""Benchmarks for smmkit.analytics (a script, not a test).

    python benchmarks/bench_analytics.py            # KPI benchmark (1,000,000 rows) vs pandas
    python benchmarks/bench_analytics.py --nab      # NAB scores of the anomaly detector
    python benchmarks/bench_analytics.py --rows 200000

The KPI benchmark turns post-metric rows into per-channel, per-week (Europe/Rome) KPIs (posts,
engagement rate by reach as mean of ratios and as ratio of sums, CTR) from columnar input and
from a list of dicts, with smmkit and with pandas in the same run, and prints the times, the
ratio and the peak memory (tracemalloc) of each.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT / "src"))

from smmkit.analytics import (  # noqa: E402
    NAB_PROFILES,
    AnomalySettings,
    MetricsTable,
    detect_anomalies,
    nab_normalised_score,
    nab_score_file,
)

TZ = "Europe/Rome"
KPIS = ["engagement_rate_by_reach_mean", "engagement_rate_by_reach_pooled", "ctr"]


def make_columns(n: int, seed: int = 1) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    channels = np.array(["instagram", "facebook", "threads", "x", "linkedin", "tiktok"])
    reach = rng.integers(0, 5000, n).astype(np.float64)
    reach[rng.random(n) < 0.01] = np.nan  # some posts without reach
    return {
        "channel": channels[rng.integers(0, channels.size, n)],
        "published_at": 1.70e9 + rng.uniform(0, 365 * 86400, n),
        "reach": reach,
        "impressions": np.floor(reach * 1.4),
        "likes": rng.integers(0, 300, n).astype(np.float64),
        "comments": rng.integers(0, 40, n).astype(np.float64),
        "shares": rng.integers(0, 20, n).astype(np.float64),
        "saves": rng.integers(0, 20, n).astype(np.float64),
        "clicks": rng.integers(0, 60, n).astype(np.float64),
    }


def to_dicts(cols: dict[str, Any]) -> list[dict[str, Any]]:
    n = len(cols["channel"])
    keys = list(cols)
    lists = {k: (cols[k].tolist()) for k in keys}
    lists["reach"] = [None if r != r else r for r in lists["reach"]]
    lists["impressions"] = [None if r != r else r for r in lists["impressions"]]
    lists["published_at"] = [datetime.fromtimestamp(t, UTC) for t in lists["published_at"]]
    return [{k: lists[k][i] for k in keys} for i in range(n)]


def smmkit_kpis(table: MetricsTable) -> list[tuple[str, str, float | None]]:
    result = table.kpis(KPIS, by=["channel", "period"], period="week", tz=TZ)
    return [(str(r.key["channel"]), str(r.key["period"]), r.value(KPIS[0])) for r in result.rows]


def pandas_kpis(df: Any) -> list[tuple[str, str, float | None]]:
    import pandas as pd

    local = df["published_at"].dt.tz_convert(TZ)
    day = local.dt.tz_localize(None).dt.normalize()
    week = day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    eng = df[["likes", "comments", "shares", "saves"]].sum(axis=1, min_count=1)
    both_r = eng.notna() & df["reach"].notna()
    ok = both_r & (df["reach"] > 0)
    both_c = df["clicks"].notna() & df["impressions"].notna()
    frame = pd.DataFrame(
        {
            "channel": df["channel"],
            "week": week,
            "ratio": (eng / df["reach"]).where(ok),
            "eng": eng.where(both_r),
            "reach": df["reach"].where(both_r),
            "clicks": df["clicks"].where(both_c),
            "impr": df["impressions"].where(both_c),
        }
    )
    g = frame.groupby(["channel", "week"], sort=True)
    agg = g.agg(
        er_mean=("ratio", "mean"),
        eng=("eng", "sum"),
        reach=("reach", "sum"),
        clicks=("clicks", "sum"),
        impr=("impr", "sum"),
        posts=("channel", "size"),
    )
    agg["er_pooled"] = agg["eng"] / agg["reach"].where(agg["reach"] > 0)
    agg["ctr"] = agg["clicks"] / agg["impr"].where(agg["impr"] > 0)
    return [(c, str(w.date()), v) for (c, w), v in agg["er_mean"].items()]


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[Any, float, float]:
    """Best wall time of ``repeat`` runs, then the peak traced memory of one more run (tracing
    slows Python code down, so it is never on while timing)."""
    times = []
    out = None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return out, min(times), peak / 2**20


def kpi_benchmark(n: int, repeat: int) -> None:
    import pandas as pd

    cols = make_columns(n)
    print(f"{n:,} post-metric rows -> per-channel, per-week ({TZ}) KPIs: {', '.join(KPIS)}")
    print(
        f"{'case':<28}{'smmkit s':>10}{'pandas s':>10}{'ratio':>8}{'smmkit MiB':>12}"
        f"{'pandas MiB':>12}"
    )

    def sk_cols() -> Any:
        return smmkit_kpis(MetricsTable.from_columns(cols))

    def pd_cols() -> Any:
        df = pd.DataFrame(cols)
        df["published_at"] = pd.to_datetime(df["published_at"], unit="s", utc=True)
        return pandas_kpis(df)

    a, ta, ma = best_of(sk_cols, repeat)
    b, tb, mb = best_of(pd_cols, repeat)
    check(a, b)
    print(
        f"{'columnar (numpy arrays)':<28}{ta:>10.3f}{tb:>10.3f}{ta / tb:>8.2f}{ma:>12.1f}"
        f"{mb:>12.1f}"
    )
    dicts = to_dicts(cols)

    def sk_dicts() -> Any:
        return smmkit_kpis(MetricsTable.from_dicts(dicts))

    def pd_dicts() -> Any:
        df = pd.DataFrame(dicts)
        df["published_at"] = pd.to_datetime(df["published_at"], utc=True)
        return pandas_kpis(df)

    a, ta, ma = best_of(sk_dicts, repeat)
    b, tb, mb = best_of(pd_dicts, repeat)
    check(a, b)
    print(f"{'list of dicts':<28}{ta:>10.3f}{tb:>10.3f}{ta / tb:>8.2f}{ma:>12.1f}{mb:>12.1f}")
    print("ratio = smmkit time / pandas time (< 1: smmkit faster); results checked equal.")


def check(a: list[tuple[str, str, float | None]], b: list[tuple[str, str, float | None]]) -> None:
    if len(a) != len(b):
        raise SystemExit(f"group counts differ: smmkit {len(a)}, pandas {len(b)}")
    for (c1, w1, v1), (c2, w2, v2) in zip(a, b, strict=True):
        if c1 != c2 or w1 != w2 or v1 is None or abs(v1 - v2) > 1e-9 * max(1.0, abs(v2)):
            raise SystemExit(f"results differ: {(c1, w1, v1)} vs {(c2, w2, v2)}")


# ---------------------------------------------------------------------------- NAB
GROUPS = ("realAdExchange", "realTraffic", "realKnownCause")


def load_nab(root: Path) -> dict[str, tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]]:
    windows = json.loads((root / "labels" / "combined_windows.json").read_text())
    out = {}
    for name, wins in sorted(windows.items()):
        rows = (root / "data" / name).read_text().splitlines()[1:]
        ts = np.array(
            [datetime.fromisoformat(r.split(",")[0]).replace(tzinfo=UTC).timestamp() for r in rows]
        )
        vals = np.array([float(r.split(",")[1]) for r in rows])
        idx = []
        for a, b in wins:
            ta = datetime.fromisoformat(a).replace(tzinfo=UTC).timestamp()
            tb = datetime.fromisoformat(b).replace(tzinfo=UTC).timestamp()
            idx.append(
                (int(np.searchsorted(ts, ta, "left")), int(np.searchsorted(ts, tb, "right")) - 1)
            )
        out[name] = (ts, vals, idx)
    return out


def nab_benchmark() -> None:
    root = SHARED / "data" / "nab"
    if not root.is_dir():
        raise SystemExit(f"NAB data not found at {root}")
    data = load_nab(root)
    settings = AnomalySettings()
    t0 = time.perf_counter()
    flags = {}
    for name, (ts, vals, _) in data.items():
        res = detect_anomalies(ts, vals, settings)
        flags[name] = np.array(res.scores) >= settings.threshold
    elapsed = time.perf_counter() - t0
    n_rows = sum(v[1].size for v in data.values())
    print(
        f"smmkit detect_anomalies, default settings, threshold {settings.threshold} for every "
        f"file ({n_rows:,} rows in {elapsed:.1f} s)"
    )
    groups = sorted({n.split("/")[0] for n in data})
    header = f"{'group':<28}" + "".join(f"{p:>22}" for p in NAB_PROFILES)
    print(header)
    for label, members in [(g, (g,)) for g in groups] + [
        ("3 real groups together", GROUPS),
        ("whole corpus", tuple(groups)),
    ]:
        line = f"{label:<28}"
        for cost in NAB_PROFILES.values():
            scores = [
                nab_score_file(flags[n], data[n][2], cost)
                for n in data
                if n.split("/")[0] in members
            ]
            if all(s.perfect == s.null for s in scores):
                fps = sum(s.false_positives for s in scores)
                line += f"{f'no windows, {fps} FP':>22}"
            else:
                line += f"{nab_normalised_score(scores):>22.1f}"
        print(line)
    print(
        "Published, 3 real groups together, standard profile (../shared/data/nab/README.md):"
        " ARTime 74.1, Numenta HTM 69.9, CAD OSE 65.5, Twitter ADVec 42.7, windowed Gaussian "
        "41.5, Skyline 32.0."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nab", action="store_true", help="print NAB scores instead")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    if args.nab:
        nab_benchmark()
    else:
        kpi_benchmark(args.rows, args.repeat)


if __name__ == "__main__":
    main()
