"""Benchmark: smmkit.budget.allocate against scipy's SLSQP on the same problems, in one run.

Run: ``.venv/bin/python benchmarks/bench_budget.py`` (needs scipy, the ``bench`` extra; add
``--quick`` to skip the n=500 SLSQP comparison, which takes minutes).
Prints, per problem, both times, the ratio and both objectives, then the S-shaped single-start
miss rate, the no-closed-form Hill case, the 10,000-line case and the posterior case.
Times are the best of several runs of each (the same rule for both); for the full-call targets
the process CPU time (best run) is printed beside the wall time, then the median CPU time of 15
runs of each (the whole call and the bisection alternating, so that a change of load falls on both),
on which the whole-call targets are checked, since the machine may be shared.
"whole call" is the public call, from validated ``Line`` objects (row "Line"), or from the same
lines as a ``LineTable`` built from arrays inside the timed call (row "table"), to the returned
``Allocation``, plus reading every amount (``Allocation.amounts``) and every line (each
``AllocatedLine`` and its fields), since the per-line objects are built when read. It is
compared, at n = 50, 500, 5,000 and 10,000, with a plain numpy bisection on the common marginal
return solving the same problem in the same run (closed-form best replies; targets: n = 500
<= 5 ms, n = 10,000 <= 50 ms, within 4x of the bisection at n >= 500). Objectives: "smmkit" is
the response of the returned split in whole cents; "smmkit cont." is the
certified upper bound (the continuous optimum); SLSQP's is at its own (continuous) solution.
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from smmkit.budget import (  # noqa: E402
    ExponentialSaturation,
    Hill,
    Line,
    LineTable,
    LogisticSaturation,
    PosteriorCurve,
    allocate,
)
from smmkit.budget._solver import build_core  # noqa: E402
from smmkit.models import Money  # noqa: E402

try:
    from scipy.optimize import minimize
except ImportError:  # pragma: no cover
    print("scipy is not installed: pip install 'smmkit[bench]'")
    raise SystemExit(1) from None

EUR = "EUR"


def timed(fn: Callable[[], Any], repeat: int = 7) -> tuple[float, Any]:
    out = fn()
    times = []
    for _ in range(repeat):
        out = None  # free the previous result outside the timed region
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out  # the least-disturbed run (the machine may be shared)


def timed_cpu(fn: Callable[[], Any], repeat: int = 9) -> tuple[float, float, Any]:
    """Best wall time and best process CPU time over ``repeat`` runs (after one warm-up).

    The CPU time counts every thread of the process: BLAS worker threads that SLSQP left spinning
    can make it exceed the wall time for a while after an SLSQP run."""
    out = fn()
    walls, cpus = [], []
    for _ in range(repeat):
        out = None  # free the previous result outside the timed region
        c0, t0 = time.process_time(), time.perf_counter()
        out = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return min(walls), min(cpus), out


def verdict(seconds: float, target_ms: float) -> str:
    return f"{'meets' if seconds * 1e3 < target_ms else 'MISSES'} < {target_ms:g} ms"


def concave_problem(n: int, seed: int, hill_only: bool = False) -> list[Line]:
    rng = np.random.default_rng(seed)
    lines = []
    for i in range(n):
        k = 0 if hill_only else int(rng.integers(0, 4))
        curve: Hill | LogisticSaturation | ExponentialSaturation
        if k == 0:
            curve = Hill(
                slope=float(rng.uniform(0.5, 0.95)) if hill_only or rng.random() < 0.5 else 1.0,
                half_saturation=float(rng.uniform(50, 500)),
                top=float(rng.uniform(100, 1000)),
            )
        elif k == 1:
            curve = Hill(
                slope=1.0,
                half_saturation=float(rng.uniform(50, 500)),
                top=float(rng.uniform(100, 1000)),
            )
        elif k == 2:
            curve = LogisticSaturation(
                lam=float(rng.uniform(0.001, 0.02)), top=float(rng.uniform(100, 1000))
            )
        else:
            curve = ExponentialSaturation(
                rate=float(rng.uniform(0.001, 0.02)), top=float(rng.uniform(100, 1000))
            )
        hi = Money.of(int(rng.integers(150, 600)), EUR) if rng.random() < 0.5 else None
        lines.append(Line(name=f"c{i}", curve=curve, maximum=hi))
    return lines


def vectorised(
    lines: list[Line],
) -> tuple[Callable[[np.ndarray], tuple[float, np.ndarray]], list[tuple[float, float | None]]]:
    """Objective with analytic gradient for SLSQP (a fair, fast reference)."""
    kind = np.array([{"hill": 0, "logistic": 1, "exponential": 2}[ln.curve.family] for ln in lines])
    s = np.array([getattr(ln.curve, "slope", 1.0) for ln in lines])
    h = np.array([getattr(ln.curve, "half_saturation", 1.0) for ln in lines])
    top = np.array([ln.curve.top for ln in lines])  # type: ignore[union-attr]
    lam = np.array([getattr(ln.curve, "lam", getattr(ln.curve, "rate", 1.0)) for ln in lines])

    def neg(x: np.ndarray) -> tuple[float, np.ndarray]:
        x = np.maximum(x, 1e-12)
        y = x / h
        r = y**s
        fh = top * r / (1 + r)
        dh = top * s * y ** (s - 1) / (h * (1 + r) ** 2)
        e = np.exp(-lam * x)
        fl = top * (1 - e) / (1 + e)
        dl = 2 * top * lam * e / (1 + e) ** 2
        fe = top * (1 - e)
        de = top * lam * e
        f = np.choose(kind, [fh, fl, fe])
        d = np.choose(kind, [dh, dl, de])
        return -float(f.sum()), -d

    bounds = [(0.0, float(ln.maximum.amount) if ln.maximum else None) for ln in lines]
    return neg, bounds


def slsqp(
    lines: list[Line],
    total: float,
    x0: np.ndarray | None = None,
    maxiter: int = 1000,
    gradient: bool = True,
) -> tuple[float, np.ndarray]:
    """SLSQP with an analytic gradient (``gradient=True``) or scipy's default finite differences
    (``gradient=False``, "plain" SLSQP as most allocators call it)."""
    neg, bounds = vectorised(lines)
    n = len(lines)
    start = np.full(n, total / n) if x0 is None else x0
    cons = [
        {"type": "eq", "fun": lambda x: float(x.sum()) - total, "jac": lambda x: np.ones_like(x)}
    ]
    if gradient:
        res = minimize(
            neg,
            start,
            jac=True,
            method="SLSQP",
            bounds=bounds,
            constraints=cons,
            options={"maxiter": maxiter, "ftol": 1e-12},
        )
    else:
        res = minimize(
            lambda x: neg(x)[0],
            start,
            method="SLSQP",
            bounds=bounds,
            constraints=cons,
            options={"maxiter": maxiter, "ftol": 1e-12},
        )
    return -float(neg(np.maximum(res.x, 0.0))[0]), res.x


def compare(label: str, lines: list[Line], total: float, slsqp_repeat: int = 1) -> None:
    budget = Money.of(total, EUR)
    t_s, c_s, alloc = timed_cpu(lambda: allocate(lines, budget))
    print(
        f"{label}: smmkit FULL allocate() {t_s * 1e3:.2f} ms wall ({c_s * 1e3:.2f} ms CPU), "
        f"objective {alloc.response:.10f} (whole cents), "
        f"{alloc.upper_bound:.10f} (certified bound = continuous optimum)"
    )
    for name, grad in (
        ("SLSQP, analytic gradient", True),
        ("SLSQP, finite differences (plain)", False),
    ):
        t_q, (obj_q, xq) = timed(
            lambda g=grad: slsqp(lines, total, gradient=g), repeat=slsqp_repeat
        )
        infeas = abs(float(xq.sum()) - total)
        print(
            f"    {name:<34} {t_q * 1e3:10.1f} ms  ratio {t_q / t_s:8.0f}x  objective "
            f"{obj_q:.10f} (budget off by {infeas:.1e}); smmkit - SLSQP = "
            f"{alloc.upper_bound - obj_q:+.2e} (continuous), "
            f"{alloc.response - obj_q:+.2e} (whole cents)"
        )


def s_problem(n: int, seed: int) -> list[Line]:
    rng = np.random.default_rng(seed)
    return [
        Line(
            name=f"s{i}",
            curve=Hill(
                slope=float(rng.uniform(1.5, 4.0)),
                half_saturation=float(rng.uniform(100, 600)),
                top=float(rng.uniform(500, 3000)),
            ),
            maximum=Money.of(1500, EUR),
        )
        for i in range(n)
    ]


def s_shaped(runs: int = 10, starts: int = 40) -> None:
    rng = np.random.default_rng(0)
    misses, worst, times = 0, 0.0, []
    beats = 0
    for seed in range(runs):
        lines = s_problem(20, 1000 + seed)
        total = 100.0 * 20
        t, alloc = timed(lambda ls=lines, tt=total: allocate(ls, Money.of(tt, EUR)), repeat=3)
        times.append(t)
        default, _ = slsqp(lines, total)  # default start: equal split
        best = default
        for _ in range(starts):
            x0 = rng.dirichlet(np.full(20, 0.3)) * total
            val, x = slsqp(lines, total, x0)
            if abs(float(x.sum()) - total) < 1e-6 * total:
                best = max(best, val)
        if default < best * (1 - 1e-4):
            misses += 1
            worst = max(worst, 1 - default / best)
        if alloc.response >= best * (1 - 1e-4):
            beats += 1
    med = statistics.median(times) * 1e3
    print(
        f"S-shaped n=20 ({runs} problems): smmkit median {med:.1f} ms, "
        f"max {max(times) * 1e3:.1f} ms; within 1e-4 of the best of {starts + 1} SLSQP starts "
        f"in {beats}/{runs}; SLSQP from the default start missed it in {misses}/{runs} "
        f"(worst by {worst:.1%})"
    )


def posterior(channels: int = 20, draws: int = 4000) -> None:
    rng = np.random.default_rng(5)
    lines = []
    for i in range(channels):
        lam0, top0 = rng.uniform(0.001, 0.01), rng.uniform(500, 3000)
        lines.append(
            Line(
                name=f"p{i}",
                curve=PosteriorCurve(
                    base="logistic",
                    draws={
                        "lam": tuple(lam0 * rng.lognormal(0, 0.2, draws)),
                        "top": tuple(top0 * rng.lognormal(0, 0.1, draws)),
                    },
                ),
            )
        )
    t, alloc = timed(lambda: allocate(lines, Money.of(10_000, EUR)))
    print(
        f"posterior {channels} channels x {draws} draws: {t * 1e3:.1f} ms "
        f"(gap {alloc.relative_gap:.1e}, method {alloc.method})"
    )


def closed_form_problem(n: int, seed: int) -> list[Line]:
    """Lines whose best replies have a closed form (Hill with slope 1, logistic, exponential),
    half of them with a maximum: the problem a plain bisection solves without inner loops."""
    rng = np.random.default_rng(seed)
    lines = []
    for i in range(n):
        k = int(rng.integers(0, 3))
        top = float(rng.uniform(100, 1000))
        curve: Hill | LogisticSaturation | ExponentialSaturation
        if k == 0:
            curve = Hill(slope=1.0, half_saturation=float(rng.uniform(50, 500)), top=top)
        elif k == 1:
            curve = LogisticSaturation(lam=float(rng.uniform(0.001, 0.02)), top=top)
        else:
            curve = ExponentialSaturation(rate=float(rng.uniform(0.001, 0.02)), top=top)
        hi = Money.of(int(rng.integers(150, 600)), EUR) if rng.random() < 0.5 else None
        lines.append(Line(name=f"c{i}", curve=curve, maximum=hi))
    return lines


def bisection_reference(lines: list[Line], total: float) -> Callable[[], np.ndarray]:
    """A plain numpy solver of the same problem: bisection on log(lam), the common marginal
    return, with every line's best reply in closed form (one vectorised pass per step), 60 steps
    (the bracket e^-30..e^10 shrinks to 3e-17 in log: the float limit). The arrays are prepared
    outside the timed function, so it times the numeric solve alone."""
    fam = np.array([ln.curve.family for ln in lines])
    H, L, E = fam == "hill", fam == "logistic", fam == "exponential"
    h = np.array([ln.curve.half_saturation for ln in lines if isinstance(ln.curve, Hill)])
    th = np.array([ln.curve.top for ln in lines if isinstance(ln.curve, Hill)])
    ll = np.array([ln.curve.lam for ln in lines if isinstance(ln.curve, LogisticSaturation)])
    tl = np.array([ln.curve.top for ln in lines if isinstance(ln.curve, LogisticSaturation)])
    re_ = np.array([ln.curve.rate for ln in lines if isinstance(ln.curve, ExponentialSaturation)])
    te = np.array([ln.curve.top for ln in lines if isinstance(ln.curve, ExponentialSaturation)])
    hi = np.array([float(ln.maximum.amount) if ln.maximum else np.inf for ln in lines])

    def solve() -> np.ndarray:
        x = np.empty(len(lines))
        lo_l, hi_l = -30.0, 10.0
        with np.errstate(all="ignore"):
            for _ in range(60):
                m = math.exp(0.5 * (lo_l + hi_l))
                x[H] = np.sqrt(th * h / m) - h  # top h / (h + x)^2 = m
                k = 2.0 * tl * ll / m  # 2 top lam e / (1 + e)^2 = m, e = exp(-lam x)
                e = np.where(
                    k > 4.0, 0.5 * (k - 2.0 - np.sqrt(np.maximum(k * k - 4 * k, 0.0))), 1.0
                )
                x[L] = -np.log(e) / ll
                x[E] = np.log(np.maximum(te * re_ / m, 1.0)) / re_  # top rate e^(-rate x) = m
                np.clip(x, 0.0, hi, out=x)
                if x.sum() > total:
                    lo_l = 0.5 * (lo_l + hi_l)
                else:
                    hi_l = 0.5 * (lo_l + hi_l)
        return x

    return solve


def read_everything(alloc: Any) -> float:
    """What a caller reading the whole result does: every amount, every line and its fields."""
    amounts = alloc.amounts
    acc = 0.0
    for ln in alloc.lines:
        acc += ln.share + ln.response + ln.marginal + ln.minor_units
        _ = (ln.amount, ln.lower, ln.upper, ln.binding, ln.name)
    return acc + len(amounts)


def cpu_medians(
    fn: Callable[[], Any], ref: Callable[[], Any], repeat: int = 15
) -> tuple[float, float]:
    """Median process CPU time of ``repeat`` runs of ``fn`` and of ``ref`` (after one warm-up
    each), the runs alternating (fn, ref, fn, ref, ...) so that a change in the machine's load
    falls on both alike rather than on one block of runs."""
    fn()
    ref()
    cpus: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for f, out in ((fn, cpus[0]), (ref, cpus[1])):
            c0 = time.process_time()
            f()
            out.append(time.process_time() - c0)
    return statistics.median(cpus[0]), statistics.median(cpus[1])


def whole_call_vs_bisection(sizes: tuple[int, ...] = (50, 500, 5_000, 10_000)) -> None:
    print(
        "Whole allocate() call + every amount and line read, against a plain numpy bisection "
        "(closed-form replies)\nsolving the same problem in this run (best of 9; CPU time in "
        "brackets; then the median CPU time of 15 runs\nof each, the two alternating, the figure "
        "the targets are checked on, since the machine may be shared):"
    )
    print(
        f"{'n':>7} {'from':<6}{'whole call ms':>15}{'bisection ms':>22}{'ratio':>7}{'(CPU)':>7}"
        f"{'CPU medians ms':>18}{'ratio':>7}  {'smmkit (cents) - bisection':>27}  target"
    )
    targets = {500: 5.0, 10_000: 50.0}
    for n in sizes:
        lines = closed_form_problem(n, 7 + n)
        total = 150.0 * n
        budget = Money.of(total, EUR)
        ref = bisection_reference(lines, total)

        def whole(ls: list[Line] = lines, b: Money = budget) -> Any:
            a = allocate(ls, b)
            read_everything(a)
            return a

        columns = table_columns(lines)
        same = repr(allocate(LineTable(**columns), budget)) == repr(allocate(lines, budget))
        assert same, "a LineTable must give the allocation of its lines"

        def whole_table(c: dict[str, Any] = columns, b: Money = budget) -> Any:
            a = allocate(LineTable(**c), b)  # the table is built (and checked) in the timed call
            read_everything(a)
            return a

        for label, fn in (("Line", whole), ("table", whole_table)):
            t_w, c_w, alloc = timed_cpu(fn)
            t_r, c_r, x_ref = timed_cpu(ref)
            m_w, m_r = cpu_medians(fn, ref)
            neg, _ = vectorised(lines)
            obj_ref = -neg(x_ref)[0]
            ratio = m_w / m_r
            goal = []
            if n in targets:
                goal.append(verdict(m_w, targets[n]))
            if n >= 500:
                goal.append(f"{'meets' if ratio <= 4 else 'MISSES'} <= 4x")
            print(
                f"{n:>7,} {label:<6}{t_w * 1e3:>10.2f} ({c_w * 1e3:7.2f})"
                f"{t_r * 1e3:>11.2f} ({c_r * 1e3:7.2f})"
                f"{t_w / t_r:>7.1f}{c_w / c_r:>7.1f}{m_w * 1e3:>10.2f}{m_r * 1e3:>8.2f}"
                f"{ratio:>7.1f}  {alloc.response - obj_ref:>+27.2e}  {', '.join(goal)}"
            )
    print(
        "(Line: the lines given as validated Line objects; table: the same lines given as a "
        "LineTable of columns,\nbuilt from arrays inside the timed call; the two results are "
        "checked equal. The bisection returns\nunrounded floats: smmkit's whole cents add up "
        "exactly to the budget, hence the small negative objective\ndifference; its certified "
        "bound is the continuous optimum. On a loaded machine the CPU-time ratio is\nthe steadier "
        "one.)\n"
    )


def table_columns(lines: list[Line]) -> dict[str, Any]:
    """The same lines as the columns of a LineTable (names, families, parameters, maxima)."""
    params = {
        p: np.array([float(getattr(ln.curve, p, np.nan)) for ln in lines])
        for p in ("slope", "half_saturation", "top", "lam", "rate")
    }
    return {
        "names": [ln.name for ln in lines],
        "family": [ln.curve.family for ln in lines],
        "params": params,
        "maximum_units": np.array(
            [ln.maximum.minor_units if ln.maximum else np.inf for ln in lines]
        ),
        "currency": EUR,
    }


def core_only(label: str, lines: list[Line], total: float, target_ms: float) -> None:
    """The numeric solve alone (arrays in, arrays out) and the full allocate() call."""
    from smmkit.budget._curves import curve_params

    n = len(lines)
    fams = [ln.curve.family for ln in lines]
    params = [curve_params(ln.curve) for ln in lines]
    a = np.zeros(n)
    b = np.array([float(ln.maximum.amount) if ln.maximum else np.inf for ln in lines])
    core = build_core(fams, params, [None] * n)

    def run() -> Any:
        with np.errstate(all="ignore"):
            env = core.envelope(a, b)
            return core.solve(env, total)

    budget = Money.of(total, EUR)
    t, _ = timed(run)
    t_full, c_full, _ = timed_cpu(lambda: allocate(lines, budget))
    t_all, c_all, _ = timed_cpu(lambda: read_everything(allocate(lines, budget)))
    print(
        f"{label}:\n"
        f"    allocate() + every amount and line {t_all * 1e3:8.2f} ms wall, "
        f"{c_all * 1e3:8.2f} ms CPU  ({verdict(t_all, target_ms)})\n"
        f"    allocate() call alone              {t_full * 1e3:8.2f} ms wall, "
        f"{c_full * 1e3:8.2f} ms CPU\n"
        f"    numeric solve only                 {t * 1e3:8.2f} ms wall"
    )


def main() -> None:
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"smmkit.budget (same problems, same process; load average {load})\n")
    whole_call_vs_bisection()
    print("smmkit.budget vs scipy SLSQP:")
    compare("concave n=50", concave_problem(50, 1), 150.0 * 50, slsqp_repeat=5)
    core_only(
        "Hill without closed-form inverse, n=500",
        concave_problem(500, 3, hill_only=True),
        150.0 * 500,
        target_ms=5,
    )
    core_only("concave n=10,000", concave_problem(10_000, 99), 150.0 * 10_000, target_ms=50)
    posterior()
    s_shaped()
    if "--quick" in sys.argv[1:]:
        print("\n(--quick: the n=500 SLSQP comparison, which takes minutes, is skipped)")
        return
    # last: SLSQP takes minutes here (about a minute with an analytic gradient, more without)
    compare("concave n=500", concave_problem(500, 2), 150.0 * 500)


if __name__ == "__main__":
    main()
