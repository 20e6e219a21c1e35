"""Global optimality on S-shaped curves: a brute-force grid optimum and multi-start local search."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from smmkit.budget import Hill, Line, LogisticSaturation, PiecewiseLinear, allocate
from smmkit.models import Money


def s_problem(n: int, seed: int, with_pl: bool = False) -> list[Line]:
    rng = np.random.default_rng(seed)
    lines = []
    for i in range(n):
        if with_pl and i % 4 == 3:
            # an S-shaped piecewise-linear curve (slopes rise then fall), on whole euros
            xs = [0.0, 100.0, 250.0, 500.0, 900.0]
            slopes = [0.3, float(rng.uniform(2, 5)), 1.0, 0.2]
            ys = [0.0]
            for k, s in enumerate(slopes):
                ys.append(ys[-1] + s * (xs[k + 1] - xs[k]))
            curve: Hill | LogisticSaturation | PiecewiseLinear = PiecewiseLinear(
                points=tuple(zip(xs, ys, strict=True))
            )
        elif rng.random() < 0.8:
            curve = Hill(
                slope=float(rng.uniform(1.5, 4.0)),
                half_saturation=float(rng.uniform(100, 600)),
                top=float(rng.uniform(500, 3000)),
            )
        else:
            curve = LogisticSaturation(
                lam=float(rng.uniform(0.001, 0.01)), top=float(rng.uniform(300, 2000))
            )
        lines.append(Line(name=f"s{i}", curve=curve, maximum=Money.of(1500, "EUR")))
    return lines


def _smooth_top(ln: Line) -> float:
    assert isinstance(ln.curve, Hill | LogisticSaturation), ln.curve
    return ln.curve.top


def _vectorised_objective(
    lines: list[Line],
) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
    hill = np.array([isinstance(ln.curve, Hill) for ln in lines])
    s = np.array([getattr(ln.curve, "slope", 1.0) for ln in lines])
    h = np.array([getattr(ln.curve, "half_saturation", 1.0) for ln in lines])
    top = np.array([_smooth_top(ln) for ln in lines])
    lam = np.array([getattr(ln.curve, "lam", 1.0) for ln in lines])

    def neg(x: np.ndarray) -> tuple[float, np.ndarray]:
        x = np.maximum(x, 0.0)
        y = x / h
        r = y**s
        fh = top * r / (1 + r)
        with np.errstate(divide="ignore", invalid="ignore"):
            dh = np.nan_to_num(top * s * y ** (s - 1) / (h * (1 + r) ** 2))
        e = np.exp(-lam * x)
        fl = top * (1 - e) / (1 + e)
        dl = 2 * top * lam * e / (1 + e) ** 2
        return -float(np.where(hill, fh, fl).sum()), -np.where(hill, dh, dl)

    return neg


def array_curve(ln: Line) -> Hill | LogisticSaturation | PiecewiseLinear:
    """The curve of an ``s_problem`` line (these families evaluate whole arrays at once)."""
    assert isinstance(ln.curve, Hill | LogisticSaturation | PiecewiseLinear)
    return ln.curve


def grid_optimum(lines: list[Line], total: float, step: float) -> float:
    """Exact maximum over spends on a grid of ``step`` (dynamic programming = brute force)."""
    k_total = round(total / step)
    grid = np.arange(k_total + 1, dtype=np.float64) * step
    best = np.full(k_total + 1, -np.inf)
    best[0] = 0.0
    for ln in lines:
        cap = min(k_total, int(float(ln.maximum.amount) // step)) if ln.maximum else k_total
        vals = np.asarray(array_curve(ln).value(grid[: cap + 1]))
        new = np.full(k_total + 1, -np.inf)
        for k in range(cap + 1):
            shifted = np.full(k_total + 1, -np.inf)
            shifted[k:] = best[: k_total + 1 - k] + vals[k]
            new = np.maximum(new, shifted)
        best = new
    return float(best[k_total])


@pytest.mark.parametrize(
    ("n", "seed", "per_line"),
    [
        (3, 1, 150),
        (4, 2, 100),
        (5, 3, 80),
        (6, 4, 120),
        (8, 5, 60),
        (8, 6, 150),
    ],
)
def test_s_shaped_equals_brute_force_grid(n: int, seed: int, per_line: int) -> None:
    lines = s_problem(n, seed, with_pl=True)
    total = per_line * n
    alloc = allocate(lines, Money.of(total, "EUR"))
    step = 1.0  # one euro: 100 minor units
    grid = grid_optimum(lines, total, step)
    # every grid point is a feasible split, so the global optimum is at least the grid's
    assert alloc.response >= grid * (1 - 1e-9)
    # ... and off-grid it can gain at most the steepest marginal times half a step per line
    steepest = max(
        float(np.max(array_curve(ln).marginal(np.linspace(0, total, 4001)))) for ln in lines
    )
    assert alloc.response <= grid + n * steepest * step
    assert alloc.method == "branch_and_bound"
    assert alloc.certified
    assert sum(ln.minor_units for ln in alloc.lines) == total * 100


def test_s_shaped_n20_at_least_best_of_multistart() -> None:
    optimize = pytest.importorskip("scipy.optimize", reason="scipy (the bench extra) is absent")
    rng = np.random.default_rng(0)
    for seed in range(3):
        lines = s_problem(20, 100 + seed)
        total = 100.0 * 20
        alloc = allocate(lines, Money.of(total, "EUR"))  # timed in benchmarks/bench_budget.py

        neg = _vectorised_objective(lines)
        cons = [
            {
                "type": "eq",
                "fun": lambda x, t=total: float(np.sum(x)) - t,
                "jac": lambda x: np.ones_like(x),
            }
        ]
        bounds = [(0.0, 1500.0)] * 20
        best = -np.inf
        for _ in range(20):
            x0 = rng.dirichlet(np.full(20, 0.3)) * total
            res = optimize.minimize(
                neg,
                x0,
                jac=True,
                method="SLSQP",
                bounds=bounds,
                constraints=cons,
                options={"maxiter": 300, "ftol": 1e-12},
            )
            if abs(float(np.sum(res.x)) - total) < 1e-6 * total and np.all(res.x >= -1e-9):
                best = max(best, -float(neg(np.maximum(res.x, 0.0))[0]))
        assert alloc.response >= best * (1 - 1e-4), (alloc.response, best)
