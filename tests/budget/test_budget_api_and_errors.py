"""Public surface, bad input, objectives, groups, locks, posterior."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smmkit.budget
from smmkit.budget import (
    ExponentialSaturation,
    Goal,
    GroupCap,
    Hill,
    Line,
    LinearCap,
    LogisticSaturation,
    PiecewiseLinear,
    PosteriorCurve,
    Power,
    allocate,
)
from smmkit.budget._allocate import _round_to_total
from smmkit.errors import AllocationError, ValidationError
from smmkit.models import Money


def eur(v: str | int) -> Money:
    return Money.of(v, "EUR")


def test_public_api_is_pinned() -> None:
    assert sorted(smmkit.budget.__all__) == [
        "Adstock",
        "AllocatedLine",
        "AllocatedLines",
        "Allocation",
        "Arm",
        "ChannelFit",
        "CurvePoint",
        "CurveShape",
        "DailyBudget",
        "ExponentialSaturation",
        "GeometricAdstock",
        "Goal",
        "GroupCap",
        "Hill",
        "Line",
        "LineTable",
        "LinearCap",
        "LogisticSaturation",
        "PacingPlan",
        "PiecewiseLinear",
        "PosteriorCurve",
        "Power",
        "ResponseCurve",
        "ResponseFit",
        "Scenario",
        "ScenarioTable",
        "Split",
        "WeibullAdstock",
        "allocate",
        "compare_scenarios",
        "curve_table",
        "fit_channels",
        "fit_response",
        "pace",
        "repace",
        "thompson_split",
    ]
    for name in smmkit.budget.__all__:
        assert getattr(smmkit.budget, name) is not None


def meta_lines() -> list[Line]:
    return [
        Line(
            name="instagram",
            curve=Hill(slope=1.0, half_saturation=600, top=9000),
            current=eur(500),
            group="meta",
        ),
        Line(
            name="facebook",
            curve=LogisticSaturation(lam=0.003, top=6000),
            current=eur(500),
            group="meta",
        ),
        Line(name="search", curve=ExponentialSaturation(rate=0.002, top=3000), current=eur(500)),
    ]


# -- curves ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "curve",
    [
        Hill(slope=1.0, half_saturation=300, top=1000),
        Hill(slope=0.6, half_saturation=300, top=1000),
        LogisticSaturation(lam=0.01, top=500),
        ExponentialSaturation(rate=0.01, top=500),
        Power(coefficient=3.0, exponent=0.5),
    ],
)
def test_marginal_is_the_derivative_and_inverse_inverts(
    curve: Hill | LogisticSaturation | ExponentialSaturation | Power,
) -> None:
    x = np.array([10.0, 100.0, 400.0])
    h = 1e-4
    num = (np.asarray(curve.value(x + h)) - np.asarray(curve.value(x - h))) / (2 * h)
    assert np.allclose(curve.marginal(x), num, rtol=1e-6)
    m = np.asarray(curve.marginal(x))
    assert np.allclose(curve.inverse_marginal(m), x, rtol=1e-9)
    assert curve.is_concave


def test_shapes_and_closed_forms() -> None:
    s = Hill(slope=2.5, half_saturation=200, top=100)
    assert s.shape.value == "s_shaped"
    assert s.inflection == pytest.approx(200 * (1.5 / 3.5) ** (1 / 2.5))
    assert float(s.curvature(s.inflection)) == pytest.approx(0.0, abs=1e-9)
    assert not s.has_closed_form_inverse
    assert Hill(slope=1, half_saturation=1, top=1).has_closed_form_inverse
    pl = PiecewiseLinear(points=((0, 0), (10, 5), (20, 30), (30, 35)))
    assert pl.shape.value == "s_shaped"
    assert PiecewiseLinear(points=((0, 0), (10, 20), (20, 30))).is_concave
    assert LinearCap(slope=2, cap=10).value(15.0) == 20.0
    with pytest.raises(ValueError, match="first point"):
        PiecewiseLinear(points=((1, 0), (2, 1)))
    with pytest.raises(ValueError, match="greater than 0"):
        Hill(slope=1, half_saturation=-5, top=1)


# -- allocation: constraints, objectives ----------------------------------------------------------
def test_group_cap_binds_and_shows_in_the_certificate() -> None:
    free = allocate(meta_lines(), eur(3000))
    meta_free = free.line("instagram").minor_units + free.line("facebook").minor_units
    assert meta_free > 0.6 * 300_000
    capped = allocate(meta_lines(), eur(3000), groups=[GroupCap(name="meta", max_share=0.6)])
    meta = capped.line("instagram").minor_units + capped.line("facebook").minor_units
    assert meta == 180_000
    assert "meta" in capped.group_marginals
    assert capped.group_marginals["meta"] > capped.marginal
    assert capped.line("instagram").binding == "group"
    # inside the group, equal marginals
    assert capped.line("instagram").marginal == pytest.approx(
        capped.line("facebook").marginal, rel=1e-4
    )
    assert capped.response <= free.response
    assert sum(ln.minor_units for ln in capped.lines) == 300_000


def test_locked_and_relative_bounds() -> None:
    lines = meta_lines()
    lines[2] = lines[2].model_copy(update={"locked": True})
    lines[0] = lines[0].model_copy(update={"max_ratio": 1.2})
    a = allocate(lines, eur(2000))
    assert a.line("search").amount == eur(500)
    assert a.line("search").binding == "locked"
    assert a.line("instagram").minor_units <= 60_000
    assert a.current_response is not None and a.uplift is not None


def test_no_better_than_current_flag() -> None:
    lines = meta_lines()
    best = allocate(lines, eur(1500))
    at_best = [ln.model_copy(update={"current": best.line(ln.name).amount}) for ln in lines]
    again = allocate(at_best, eur(1500))
    assert again.no_better_than_current
    assert any("no better than the current mix" in n for n in again.notes)
    assert not best.no_better_than_current


def test_goals() -> None:
    lines = meta_lines()
    full = allocate(lines, eur(3000))
    target = 0.9 * full.response
    cheap = allocate(lines, eur(3000), goal=Goal.MIN_SPEND, target=target)
    assert cheap.response >= target
    assert cheap.total < eur(3000)
    assert cheap.unallocated == eur(3000) - cheap.total
    # one cent less cannot reach the target
    less = allocate(lines, cheap.total - eur("0.01"))
    assert less.response < target
    roas = allocate(lines, eur(3000), goal="target_roas", target=8.0)
    assert roas.response >= 8.0 * float(roas.total.amount)
    more = allocate(lines, roas.total + eur(1))
    assert more.response < 8.0 * float(more.total.amount)
    cpa = allocate(lines, eur(3000), goal="target_cpa", target=1 / 8.0)
    assert cpa.total == roas.total
    m = allocate(lines, eur(3000), goal="marginal_roas", target=2.0)
    assert m.marginal == pytest.approx(2.0, rel=1e-3)
    with pytest.raises(AllocationError, match="out of reach"):
        allocate(lines, eur(100), goal="min_spend", target=1e9)
    with pytest.raises(ValidationError, match="target"):
        allocate(lines, eur(100), goal="min_spend")


def test_bad_input_names_line_and_constraint() -> None:
    c = Hill(slope=1, half_saturation=100, top=100)
    with pytest.raises(
        AllocationError, match=r"'a': its minimum 50\.00 EUR is above its maximum"
    ) as exc:
        allocate([Line(name="a", curve=c, minimum=eur(50), maximum=eur(10))], eur(20))
    assert exc.value.line == "a"
    assert exc.value.constraint == "minimum <= maximum"
    with pytest.raises(AllocationError, match="below the sum of the minimums") as exc2:
        allocate([Line(name="a", curve=c, minimum=eur(50)), Line(name="b", curve=c)], eur(20))
    assert exc2.value.line == "a"
    with pytest.raises(AllocationError, match="above what the maximums"):
        allocate([Line(name="a", curve=c, maximum=eur(5))], eur(20))
    part = allocate([Line(name="a", curve=c, maximum=eur(5))], eur(20), strict=False)
    assert part.total == eur(5) and part.unallocated == eur(15)
    with pytest.raises(ValueError, match="cannot be negative"):
        Line(name="a", curve=c, minimum=eur(-1))
    with pytest.raises(AllocationError, match="is negative"):
        allocate([Line(name="a", curve=c)], eur(-1))
    with pytest.raises(AllocationError, match="USD"):
        allocate([Line(name="a", curve=c, maximum=Money.of(5, "USD"))], eur(1))
    with pytest.raises(ValidationError, match="unique"):
        allocate([Line(name="a", curve=c), Line(name="a", curve=c)], eur(1))
    with pytest.raises(ValidationError, match="no line belongs"):
        allocate([Line(name="a", curve=c)], eur(1), groups=[GroupCap(name="meta", max_share=0.5)])
    with pytest.raises(ValueError, match="need `current`"):
        Line(name="a", curve=c, max_ratio=2.0)
    with pytest.raises(AllocationError, match="group 'g'"):
        allocate(
            [Line(name="a", curve=c, minimum=eur(10), group="g"), Line(name="b", curve=c)],
            eur(20),
            groups=[GroupCap(name="g", maximum=eur(5))],
        )


def test_posterior_mean_and_cara() -> None:
    rng = np.random.default_rng(0)
    lines = []
    for i in range(4):
        lam0 = 0.002 * (i + 1)
        spread = 0.05 if i < 2 else 0.6
        lines.append(
            Line(
                name=f"p{i}",
                curve=PosteriorCurve(
                    base="logistic",
                    draws={
                        "lam": tuple(lam0 * rng.lognormal(0, spread, 500)),
                        "top": tuple(1000 * rng.lognormal(0, spread, 500)),
                    },
                ),
            )
        )
    mean = allocate(lines, eur(2000))
    assert mean.method == "posterior_mean"
    assert mean.relative_gap < 1e-9
    # the mean objective equals the average of per-draw totals
    x = np.array([float(ln.amount.amount) for ln in mean.lines])
    curves = [c.curve for c in lines if isinstance(c.curve, PosteriorCurve)]
    assert len(curves) == len(lines)
    per_draw = np.sum(
        [np.asarray(c.draw_values(float(v))) for c, v in zip(curves, x, strict=True)], axis=0
    )
    assert mean.response == pytest.approx(float(np.mean(per_draw)), rel=1e-9)
    cara = allocate(lines, eur(2000), risk_aversion=0.01)
    assert cara.method == "posterior_cara"
    assert cara.relative_gap < 1e-6
    risky = sum(cara.line(f"p{i}").minor_units for i in (2, 3))
    assert risky < sum(mean.line(f"p{i}").minor_units for i in (2, 3))
    with pytest.raises(ValueError, match="slope <= 1"):
        PosteriorCurve(
            base="hill", draws={"slope": (2.0,), "half_saturation": (1.0,), "top": (1.0,)}
        )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 1000), st.integers(0, 500), st.integers(0, 600)),
        min_size=1,
        max_size=20,
    ),
    st.integers(0, 5000),
)
def test_rounding_is_exact_and_within_bounds(
    rows: list[tuple[float, int, int]], extra: int
) -> None:
    lo = np.array([min(a, b) for _, a, b in rows], dtype=np.int64)
    hi = np.array([max(a, b) for _, a, b in rows], dtype=np.int64)
    total = int(lo.sum()) + min(extra, int((hi - lo).sum()))
    x = np.array([r[0] for r in rows])
    out = _round_to_total(x, lo, hi, total)
    assert int(out.sum()) == total
    assert np.all(out >= lo) and np.all(out <= hi)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0.3, 1.0), st.floats(10, 1000), st.floats(10, 1000)),
        min_size=2,
        max_size=8,
    ),
    st.integers(1, 500_000),
)
def test_allocation_invariants(params: list[tuple[float, float, float]], cents: int) -> None:
    lines = [
        Line(name=f"l{i}", curve=Hill(slope=s, half_saturation=h, top=t))
        for i, (s, h, t) in enumerate(params)
    ]
    a = allocate(lines, Money.from_minor_units(cents, "EUR"))
    assert sum(ln.minor_units for ln in a.lines) == cents
    assert a.gap >= 0 and a.response <= a.upper_bound
    if cents >= 100_000:  # below that, whole cents are a visible share of the budget
        assert a.relative_gap <= 1e-6
    free = [ln.marginal for ln in a.lines if ln.minor_units > 10_000]
    if len(free) >= 2:
        assert max(free) <= min(free) * 1.01 + 1e-9


def test_saturated_budget_is_flagged_and_edge_cases() -> None:
    caps = [
        Line(name="a", curve=LinearCap(slope=2, cap=10)),
        Line(name="b", curve=LinearCap(slope=1, cap=10)),
    ]
    a = allocate(caps, eur(100))
    assert sum(ln.minor_units for ln in a.lines) == 10_000
    assert a.line("a").minor_units >= 1_000 and a.line("b").minor_units >= 1_000
    assert a.response == pytest.approx(30.0)
    assert any("past the saturation" in n for n in a.notes)
    zero = allocate(caps, eur(0))
    assert all(ln.minor_units == 0 for ln in zero.lines)
    yen = allocate(
        [Line(name="a", curve=Hill(slope=3, half_saturation=100, top=100))], Money.of(1000, "JPY")
    )
    assert yen.line("a").amount == Money.of(1000, "JPY")


def test_results_round_trip_through_json() -> None:
    from smmkit.budget import Allocation

    a = allocate(meta_lines(), eur(1500), groups=[GroupCap(name="meta", max_share=0.5)])
    again = Allocation.model_validate_json(a.model_dump_json())
    assert again == a
    assert again.line("search").change == a.line("search").change


def test_amounts_in_another_currency_name_the_first_one() -> None:
    curve = Hill(slope=0.8, half_saturation=100, top=500)
    ok = Line(name="a", curve=curve, maximum=eur(100))
    for kw, label in (
        ({"current": Money.of(10, "USD"), "maximum": Money.of(50, "GBP")}, "current"),
        ({"minimum": Money.of(1, "USD"), "maximum": Money.of(50, "GBP")}, "minimum"),
        ({"minimum": eur(1), "maximum": Money.of(50, "GBP")}, "maximum"),
    ):
        bad = Line.model_validate({"name": "b", "curve": curve, **kw})
        with pytest.raises(AllocationError) as err:
            allocate([ok, bad], eur(100))
        assert err.value.constraint == label and "line 'b'" in str(err.value)
        assert f"{label} is in" in str(err.value)
