"""Exactness of the concave allocator against an independent reference solver."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from smmkit.budget import (
    ExponentialSaturation,
    Hill,
    Line,
    LinearCap,
    LogisticSaturation,
    PiecewiseLinear,
    Power,
    allocate,
)
from smmkit.errors import ValidationError
from smmkit.models import Money

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _budget_ref import Reference, RefLine


def eur(cents: int) -> Money:
    return Money.from_minor_units(cents, "EUR")


def random_problem(n: int, seed: int) -> tuple[list[Line], list[RefLine], int]:
    """Mixed concave families and bounds; breakpoints on whole cents."""
    rng = np.random.default_rng(seed)
    lines: list[Line] = []
    refs: list[RefLine] = []
    for i in range(n):
        kind = int(rng.integers(0, 6))
        lo_c = int(rng.integers(0, 5_000)) if rng.random() < 0.3 else 0
        hi_c = lo_c + int(rng.integers(5_000, 40_000)) if rng.random() < 0.5 else None
        pts: tuple[tuple[float, float], ...] = ()
        curve: (
            Hill | LogisticSaturation | ExponentialSaturation | Power | LinearCap | PiecewiseLinear
        )
        params: dict[str, float]
        if kind == 0:
            s = 1.0 if rng.random() < 0.5 else float(rng.uniform(0.4, 1.0))
            curve = Hill(
                slope=s,
                half_saturation=float(rng.uniform(50, 500)),
                top=float(rng.uniform(100, 1000)),
            )
            fam, params = (
                "hill",
                {"slope": s, "half_saturation": curve.half_saturation, "top": curve.top},
            )
        elif kind == 1:
            curve = LogisticSaturation(
                lam=float(rng.uniform(0.001, 0.02)), top=float(rng.uniform(100, 1000))
            )
            fam, params = "logistic", {"lam": curve.lam, "top": curve.top}
        elif kind == 2:
            curve = ExponentialSaturation(
                rate=float(rng.uniform(0.001, 0.02)), top=float(rng.uniform(100, 1000))
            )
            fam, params = "exponential", {"rate": curve.rate, "top": curve.top}
        elif kind == 3:
            curve = Power(
                coefficient=float(rng.uniform(1, 10)), exponent=float(rng.uniform(0.3, 0.9))
            )
            fam, params = "power", {"coefficient": curve.coefficient, "exponent": curve.exponent}
        elif kind == 4:
            cap = int(rng.integers(50, 500))
            slope = float(rng.uniform(0.5, 3))
            curve = LinearCap(slope=slope, cap=cap)
            fam, params = "pl", {}
            pts = ((0.0, 0.0), (float(cap), slope * cap))
        else:
            xs = np.concatenate([[0], np.cumsum(rng.integers(20, 200, 4))]).astype(float)
            sl = np.sort(rng.uniform(0.1, 3, 4))[::-1]
            ys = np.concatenate([[0], np.cumsum(sl * np.diff(xs))])
            pts = tuple(zip(xs.tolist(), ys.tolist(), strict=True))
            curve = PiecewiseLinear(points=pts)
            fam, params = "pl", {}
        lines.append(
            Line(
                name=f"line-{i}",
                curve=curve,
                minimum=eur(lo_c) if lo_c else None,
                maximum=eur(hi_c) if hi_c is not None else None,
            )
        )
        refs.append(
            RefLine(
                family=fam,
                params=params,
                lo=lo_c / 100,
                hi=hi_c / 100 if hi_c is not None else float("inf"),
                points=pts,
            )
        )
    lo_sum = sum(r.lo for r in refs)
    total = round(lo_sum * 100) + 15_000 * n
    return lines, refs, total


@pytest.mark.parametrize(("n", "seed"), [(5, 1), (5, 2), (50, 3), (500, 4), (5000, 5)])
def test_concave_objective_matches_reference(n: int, seed: int) -> None:
    lines, refs, total = random_problem(n, seed)
    alloc = allocate(lines, eur(total))
    ref = Reference(refs).optimum(total / 100)  # the continuous optimum
    ref_cents = Reference(refs, grid=0.01).optimum(total / 100)  # the optimum in whole cents
    # the total and every bound hold exactly, in whole cents
    assert sum(ln.minor_units for ln in alloc.lines) == total
    assert alloc.total == eur(total)
    for ln, r in zip(alloc.lines, refs, strict=True):
        assert Decimal(round(r.lo * 100)) <= ln.minor_units
        if np.isfinite(r.hi):
            assert ln.minor_units <= round(r.hi * 100)
    assert abs(alloc.response - ref_cents) <= 1e-9 * abs(ref_cents), (alloc.response, ref_cents)
    assert abs(alloc.upper_bound - ref) <= 1e-9 * abs(ref), (alloc.upper_bound, ref)
    assert alloc.response <= ref * (1 + 1e-12)
    assert alloc.gap == pytest.approx(alloc.upper_bound - alloc.response, abs=1e-6)
    assert alloc.method == "equal_marginal"
    assert alloc.certified


def test_same_answer_on_every_run_and_currency_scale() -> None:
    lines, _, total = random_problem(40, 11)
    first = allocate(lines, eur(total))
    second = allocate(lines, eur(total))
    assert first == second

    # the same problem in yen (no minor unit), curves stretched by 100: the same units
    def to_jpy(ln: Line) -> Line:
        c = ln.curve
        c2: Hill | LogisticSaturation | ExponentialSaturation | Power | LinearCap | PiecewiseLinear
        if isinstance(c, Hill):
            c2 = c.model_copy(update={"half_saturation": c.half_saturation * 100})
        elif isinstance(c, LogisticSaturation):
            c2 = c.model_copy(update={"lam": c.lam / 100})
        elif isinstance(c, ExponentialSaturation):
            c2 = c.model_copy(update={"rate": c.rate / 100})
        elif isinstance(c, Power):
            c2 = c.model_copy(update={"coefficient": c.coefficient / 100**c.exponent})
        elif isinstance(c, LinearCap):
            c2 = LinearCap(slope=c.slope / 100, cap=c.cap * 100)
        else:
            assert isinstance(c, PiecewiseLinear)
            c2 = PiecewiseLinear(points=tuple((x * 100, y) for x, y in c.points))
        conv = {
            k: Money.of(getattr(ln, k).minor_units, "JPY")
            for k in ("minimum", "maximum")
            if getattr(ln, k) is not None
        }
        return ln.model_copy(update={"curve": c2, **conv})

    yen = allocate([to_jpy(ln) for ln in lines], Money.of(total, "JPY"))
    assert [ln.minor_units for ln in yen.lines] == [ln.minor_units for ln in first.lines]
    assert yen.response == pytest.approx(first.response, rel=1e-12)


@pytest.mark.parametrize("late", ["nothing", "a minimum", "a capped linear curve"])
def test_many_lines_on_each_reading_path_match_the_reference(late: str) -> None:
    # smooth curves with maxima only (read in whole-list C-level passes), and the same with one
    # line near the end that leaves that path (a minimum: the line-by-line bounds; a linear
    # curve: the family-by-family reading of the curves)
    n = 2_600
    rng = np.random.default_rng(31)
    lines: list[Line] = []
    refs: list[RefLine] = []
    for i in range(n):
        kind = i % 4
        curve: Hill | LogisticSaturation | ExponentialSaturation | Power | LinearCap
        top = float(rng.uniform(100, 1000))
        if kind == 0:
            curve = Hill(slope=1.0, half_saturation=float(rng.uniform(50, 500)), top=top)
        elif kind == 1:
            curve = LogisticSaturation(lam=float(rng.uniform(0.001, 0.02)), top=top)
        elif kind == 2:
            curve = ExponentialSaturation(rate=float(rng.uniform(0.001, 0.02)), top=top)
        else:
            curve = Power(coefficient=float(rng.uniform(1, 10)), exponent=0.5)
        hi_c = int(rng.integers(5_000, 40_000)) if rng.random() < 0.5 else None
        lo_c = 0
        pts: tuple[tuple[float, float], ...] = ()
        if i == n - 40 and late == "a minimum":
            lo_c = 2_500
        if i == n - 40 and late == "a capped linear curve":
            curve = LinearCap(slope=2.0, cap=300)
            pts = ((0.0, 0.0), (300.0, 600.0))
        lines.append(
            Line(
                name=f"line-{i}",
                curve=curve,
                minimum=eur(lo_c) if lo_c else None,
                maximum=None if hi_c is None else eur(hi_c),
            )
        )
        params = (
            {} if pts else {k: float(v) for k, v in curve.model_dump().items() if k != "family"}
        )
        refs.append(
            RefLine(
                family="pl" if pts else curve.family,
                params=params,
                lo=lo_c / 100,
                hi=float("inf") if hi_c is None else hi_c / 100,
                points=pts,
            )
        )
    total = 15_000 * n
    alloc = allocate(lines, eur(total))
    ref_cents = Reference(refs, grid=0.01).optimum(total / 100)
    assert int(alloc.lines.minor_units.sum()) == total
    assert alloc.lines.minor_units[n - 40] >= (2_500 if late == "a minimum" else 0)
    assert abs(alloc.response - ref_cents) <= 1e-9 * abs(ref_cents), (alloc.response, ref_cents)
    assert alloc.certified and [ln.name for ln in alloc.lines] == [ln.name for ln in lines]


def test_a_name_repeated_far_down_the_list_is_refused() -> None:
    curve = LogisticSaturation(lam=0.01, top=100)
    lines = [Line(name=f"l{i}", curve=curve) for i in range(2_100)]
    lines[2_050] = Line(name="l7", curve=curve)
    with pytest.raises(ValidationError) as e:
        allocate(lines, eur(100_000))
    assert e.value.field == "lines.name" and e.value.value == "l7"
