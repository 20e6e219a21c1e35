"""The whole ``allocate()`` call on extreme inputs: budgets past what the lines can absorb, curves
flat in floating point long before their bounds, maxima in fractions of a minor unit, zero-width
lines, currencies without decimals. Always an answer within the bounds, or a smmkit error."""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.budget import (
    ExponentialSaturation,
    GroupCap,
    Hill,
    Line,
    LinearCap,
    LogisticSaturation,
    PiecewiseLinear,
    Power,
    allocate,
)
from smmkit.budget._allocate import _core_for, _first_true, _Prepared, _round_to_total
from smmkit.budget._inputs import MAX_MINOR_UNITS
from smmkit.budget._solver import _MAX_PRICE_STEPS
from smmkit.errors import AllocationError
from smmkit.models import Money, minor_unit


def _eur(v: str) -> Money:
    return Money.of(v, "EUR")


def test_two_saturated_logistic_lines_and_a_budget_far_past_their_maxima() -> None:
    # lam * 74,513.33 = 745.13: the marginal return at the maximum is ~1e-323, a subnormal float
    lines = [
        Line(name=f"l{i}", curve=LogisticSaturation(lam=0.01, top=100), maximum=_eur("74513.33"))
        for i in range(2)
    ]
    alloc = allocate(lines, _eur("10000000"), strict=False)
    assert alloc.amounts == {"l0": _eur("74513.33"), "l1": _eur("74513.33")}
    assert alloc.total == _eur("149026.66") and alloc.unallocated == _eur("9850973.34")
    assert any("left unallocated" in note for note in alloc.notes)
    assert alloc.response == pytest.approx(200.0) and alloc.certified
    with pytest.raises(AllocationError) as info:
        allocate(lines, _eur("10000000"))
    err = info.value
    assert err.constraint == "sum of maximums >= total"
    assert "10000000.00 EUR" in str(err) and "149026.66 EUR" in str(err)
    assert err.hint is not None and "strict=False" in err.hint


@pytest.mark.parametrize("maximum", ["80000", "74513.33", "74000", None])
def test_a_marginal_that_underflows_before_the_maximum_still_gets_an_answer(
    maximum: str | None,
) -> None:
    # past lam * x ~ 745 the logistic's marginal is exactly 0.0 in floating point
    cap = None if maximum is None else _eur(maximum)
    lines = [
        Line(name="a", curve=LogisticSaturation(lam=0.01, top=100), maximum=cap),
        Line(name="b", curve=LogisticSaturation(lam=0.02, top=50), maximum=cap),
    ]
    alloc = allocate(lines, _eur("10000000"), strict=False)
    units = alloc.lines.minor_units
    if cap is None:  # nothing caps the lines: the whole budget is spent, past saturation
        assert int(units.sum()) == 1_000_000_000
        assert alloc.response == pytest.approx(150.0)
    else:
        assert units.tolist() == [cap.minor_units] * 2
        assert alloc.unallocated.minor_units == 1_000_000_000 - 2 * cap.minor_units


def test_piecewise_lines_with_flat_tails_and_a_budget_equal_to_the_sum_of_maxima() -> None:
    # (a NaN split once: no line had room for the last float ulp, then rounding spun on it)
    lines = [
        Line(
            name="a",
            curve=PiecewiseLinear(points=((0.0, 0.0), (77.5, 0.7))),
            maximum=_eur("5210903.92"),
        ),
        Line(
            name="b",
            curve=PiecewiseLinear(points=((0.0, 0.0), (1197.4, 0.47))),
            maximum=_eur("0.103"),
        ),
    ]
    alloc = allocate(lines, _eur("852867022.02"), strict=False)
    assert alloc.lines.minor_units.tolist() == [521090392, 10]
    assert alloc.total == _eur("5210904.02")


def test_a_steep_power_law_and_a_line_saturated_at_a_subnormal_price() -> None:
    # S(lam) ~ lam**-64: Newton on the price moved it 1.5% a step; now it bisects instead
    steep = allocate(
        [
            Line(name="a", curve=LogisticSaturation(lam=10.0, top=100.0)),
            Line(name="b", curve=Power(coefficient=10.0, exponent=0.984375)),
        ],
        _eur("1.00"),
    )
    assert steep.lines.minor_units.tolist() == [53, 47]
    # the exponential line takes the rest only at prices ~1e-311, where floats are coarse
    coarse = allocate(
        [
            Line(name="a", curve=LogisticSaturation(lam=1.0, top=1.0)),
            Line(name="b", curve=LogisticSaturation(lam=1.0, top=1.0)),
            Line(name="c", curve=ExponentialSaturation(rate=0.01333521432163324, top=1.0)),
        ],
        _eur("161168.44"),
    )
    assert int(coarse.lines.minor_units.sum()) == 16_116_844
    assert coarse.lines.minor_units[:2].tolist() == [71479, 71479]


def test_a_group_held_at_zero_by_its_cap_has_a_finite_bound() -> None:
    # the power line's marginal is infinite at 0, where its group's cap holds it
    alloc = allocate(
        [
            Line(name="a", curve=LogisticSaturation(lam=1.0, top=1.0)),
            Line(name="b", curve=Power(coefficient=1.0, exponent=0.5), group="g"),
        ],
        Money.of("1", "JPY"),
        groups=[GroupCap(name="g", max_share=0.5)],
    )
    assert alloc.lines.minor_units.tolist() == [1, 0]
    assert math.isfinite(alloc.upper_bound) and alloc.gap == pytest.approx(0.0, abs=1e-12)


def test_rounding_a_split_far_from_its_total_is_one_pass_not_one_loop_per_unit() -> None:
    # the passes that hand one unit to each line with room, taken at once: the same result
    x = np.array([0.25, 0.75, 3.5])
    lo = np.zeros(3, dtype=np.int64)
    hi = np.array([10**12, 5, 10**12], dtype=np.int64)
    out = _round_to_total(x, lo, hi, 2 * 10**12)
    assert out.tolist() == [10**12 - 5 + 1, 5, 10**12 - 1]
    assert int(out.sum()) == 2 * 10**12
    # one unit per line and pass, largest remainder first: 7 units over 3 lines with room
    small = _round_to_total(x, lo, np.array([100, 1, 100], dtype=np.int64), 10)
    assert small.tolist() == [3, 1, 6]
    # lines without a maximum (a huge one): no int64 overflow in the passes' sums
    huge = np.full(10, 2**61, dtype=np.int64)
    huge[0] = 3
    spread = _round_to_total(np.zeros(10), np.zeros(10, dtype=np.int64), huge, 2**53)
    assert int(spread.sum()) == 2**53 and spread[0] == 3
    assert int(spread[1:].max()) - int(spread[1:].min()) <= 1


# -- the property ----------------------------------------------------------------------------


def _pow10(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi).map(lambda e: float(10.0**e))


def _piecewise(steps: list[tuple[float, float, float]]) -> PiecewiseLinear:
    xs = [0.0, *np.cumsum([s[0] for s in steps]).tolist()]
    ys = [0.0, *np.cumsum([s[1] * s[2] for s in steps]).tolist()]
    return PiecewiseLinear(points=tuple(zip(xs, ys, strict=True)))


_CURVES: st.SearchStrategy[Any] = st.one_of(
    st.builds(
        Hill,
        slope=st.one_of(st.just(1.0), st.floats(0.2, 1.0), st.floats(1.0, 3.0)),
        half_saturation=_pow10(-2, 8),
        top=_pow10(-3, 9),
    ),
    st.builds(LogisticSaturation, lam=_pow10(-7, 3), top=_pow10(-3, 9)),
    st.builds(ExponentialSaturation, rate=_pow10(-7, 3), top=_pow10(-3, 9)),
    st.builds(Power, coefficient=_pow10(-3, 6), exponent=st.floats(0.05, 0.95)),
    st.builds(LinearCap, slope=_pow10(-3, 3), cap=_pow10(-2, 8)),
    st.lists(
        st.tuples(_pow10(-2, 6), _pow10(-3, 6), st.floats(0.0, 1.0)), min_size=1, max_size=4
    ).map(_piecewise),
)


@st.composite
def _problems(draw: st.DrawFn) -> tuple[list[Line], Money, list[GroupCap], bool]:
    currency = draw(st.sampled_from(["EUR", "JPY", "KWD"]))
    places = minor_unit(currency)
    n = draw(st.integers(1, 6))
    lines = []
    for i in range(n):
        maximum = draw(st.one_of(st.none(), _pow10(-4, 9)))  # down to fractions of a minor unit
        minimum = draw(st.one_of(st.none(), _pow10(-3, 6)))
        if maximum is not None and minimum is not None:
            minimum = min(minimum, maximum)
        lines.append(
            Line(
                name=f"line{i}",
                curve=draw(_CURVES),
                maximum=None if maximum is None else Money.of(f"{maximum:.6f}", currency),
                minimum=None if minimum is None else Money.of(f"{minimum:.6f}", currency),
                group=draw(st.sampled_from([None, None, "g"])),
            )
        )
    groups = []
    if any(line.group for line in lines):
        groups = [GroupCap(name="g", max_share=draw(st.floats(0.05, 1.0)))]
    maxima = [float(line.maximum.amount) for line in lines if line.maximum is not None]
    reach = sum(maxima) if len(maxima) == n else draw(_pow10(-2, 9))
    budget = min(draw(st.floats(0.0, 10.0)) * reach, MAX_MINOR_UNITS / 10**places / 2)
    total = Money.of(Decimal(f"{budget:.{places}f}"), currency)
    return lines, total, groups, draw(st.booleans())


def _units(money: Money | None, rounding: str) -> int | None:
    if money is None:
        return None
    return int(money.amount.scaleb(money.minor_unit).to_integral_value(rounding=rounding))


@settings(max_examples=150, deadline=None)
@given(_problems())
def test_every_request_gets_a_split_within_the_bounds_or_a_smmkit_error(
    problem: tuple[list[Line], Money, list[GroupCap], bool],
) -> None:
    lines, total, groups, strict = problem
    T = total.minor_units
    lo = [_units(line.minimum, ROUND_CEILING) or 0 for line in lines]
    hi = [_units(line.maximum, ROUND_FLOOR) for line in lines]
    cap = None
    if groups:
        share = Decimal(repr(groups[0].max_share))
        cap = _units(Money.of(total.amount * share, total.currency), ROUND_FLOOR)
    in_group = [line.group == "g" for line in lines]
    # what the bounds and the cap let the lines take (no maximum: unbounded)
    room = [math.inf if h is None else h for h in hi]
    reach = sum(r for r, g in zip(room, in_group, strict=True) if not g)
    if any(in_group):
        assert cap is not None
        reach += min(sum(r for r, g in zip(room, in_group, strict=True) if g), cap)
    refused: AllocationError | None = None
    try:
        alloc = allocate(lines, total, groups=groups, strict=strict, max_nodes=300)
    except AllocationError as exc:
        refused = exc
    if refused is not None:
        # the only refusals, each for a reason the request really has, with a fix
        err = refused
        assert err.hint
        if err.constraint == "minimum <= maximum":
            assert any(h is not None and lo_i > h for lo_i, h in zip(lo, hi, strict=True))
        elif err.constraint == "group g cap":
            assert cap is not None
            assert sum(lo_i for lo_i, g in zip(lo, in_group, strict=True) if g) > cap
        elif err.constraint == "sum of minimums <= total":
            assert sum(lo) > T
        else:
            assert err.constraint == "sum of maximums >= total", err
            assert strict and reach < T
        return
    units = alloc.lines.minor_units
    for i, amount in enumerate(alloc.amounts.values()):
        assert amount.currency == total.currency
        assert amount.amount == Decimal(int(units[i])).scaleb(-minor_unit(total.currency))
        assert lo[i] <= units[i]
        hi_i = hi[i]
        assert hi_i is None or units[i] <= hi_i
    if cap is not None:
        assert int(units[np.array(in_group)].sum()) <= cap
    spent = int(units.sum())
    assert spent + alloc.unallocated.minor_units == T
    assert spent == alloc.total.minor_units
    if reach < T:
        assert spent == reach and not strict
    else:
        assert spent == T
    assert math.isfinite(alloc.response) and math.isfinite(alloc.upper_bound)
    assert alloc.response <= alloc.upper_bound and alloc.gap >= 0


# -- the price search is bounded in code ------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.builds(LogisticSaturation, lam=_pow10(-7, 4), top=_pow10(-6, 12)),
            st.builds(ExponentialSaturation, rate=_pow10(-7, 4), top=_pow10(-6, 12)),
            st.builds(
                Hill, slope=st.floats(0.1, 1.0), half_saturation=_pow10(-3, 9), top=_pow10(-6, 12)
            ),
            st.builds(Power, coefficient=_pow10(-6, 9), exponent=st.floats(0.01, 0.99)),
        ),
        min_size=1,
        max_size=5,
    ),
    st.lists(st.one_of(st.none(), _pow10(-2, 9)), min_size=5, max_size=5),
    _pow10(-2, 13),
)
def test_the_price_search_takes_few_steps_on_any_concave_scale(
    curves: list[Any], maxima: list[float | None], budget: float
) -> None:
    lines = [
        Line(name=f"c{i}", curve=c, maximum=None if m is None else Money.of(f"{m:.2f}", "EUR"))
        for i, (c, m) in enumerate(zip(curves, maxima, strict=False))
    ]
    total = Money.of(f"{budget:.2f}", "EUR")
    prep = _Prepared(lines, total, ())
    core = _core_for(lines, prep=prep)
    T = prep.check_total(prep.T, strict=False)
    a = prep.lo.astype(np.float64) * 0.01
    b = np.where(prep.has_hi, prep.hi.astype(np.float64) * 0.01, np.inf)
    with np.errstate(all="ignore"):  # (as inside allocate: overflow to inf is handled)
        env = core.envelope(a, b)
        x, _, steps = core.solve_budget(env, T * 0.01)
    assert steps <= 80 < _MAX_PRICE_STEPS
    assert np.isfinite(x).all() and float(x.sum()) == pytest.approx(T * 0.01, rel=1e-9, abs=1e-9)
    assert (x >= a).all() and (x <= b).all()


def test_a_search_that_cannot_converge_is_a_smmkit_error_naming_the_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # one step is not enough for this problem: the bound on the steps ends the search
    monkeypatch.setattr("smmkit.budget._solver._MAX_PRICE_STEPS", 1)
    lines = [
        Line(name="a", curve=Hill(slope=0.7, half_saturation=300, top=1000)),
        Line(name="b", curve=Power(coefficient=3.0, exponent=0.4)),
    ]
    with pytest.raises(AllocationError) as info:
        allocate(lines, _eur("1000"))
    err = info.value
    assert err.constraint == "convergence" and "did not converge after" in str(err)
    assert err.hint is not None and "report" in err.hint


def test_time_limit_bounds_every_search_of_a_goal_together() -> None:
    # min_spend solves at many totals; with no time left each search stops at its root node
    # (no clock in the test: a limit of 0 is spent before the first split, whatever the machine)
    lines = [
        Line(
            name=f"c{i}",
            curve=Hill(slope=2.5, half_saturation=100 + 40 * i, top=1000 + 100 * i),
            maximum=_eur("2000"),
        )
        for i in range(6)
    ]
    cheap = allocate(lines, _eur("3000"), goal="min_spend", target=3000.0, time_limit=0.0)
    assert cheap.nodes == 1 and not cheap.certified
    assert any("node or time limit" in note for note in cheap.notes)
    assert cheap.response >= 3000.0 and int(cheap.lines.minor_units.sum()) <= 300_000


@settings(max_examples=200, deadline=None)
@given(
    st.integers(-(10**12), 10**12), st.integers(-(10**12), 10**12), st.integers(-(10**12), 10**12)
)
def test_the_goal_boundary_search_finds_what_unit_steps_find_in_log_calls(
    start: int, end: int, threshold: int
) -> None:
    # ok holds from the threshold on, walking from start towards end (as the rounded totals of
    # min_spend upwards and of target_roas/target_cpa downwards)
    up = end >= start
    calls: list[int] = []

    def ok(t: int) -> bool:
        calls.append(t)
        return t >= threshold if up else t <= threshold

    found = _first_true(ok, start, end)
    stepped = (max(start, threshold) if up else min(start, threshold)) if start != end else start
    stepped = min(stepped, end) if up else max(stepped, end)
    assert found == stepped
    assert len(calls) <= 2 * max(abs(end - start), 1).bit_length() + 2
    assert all(min(start, end) <= t <= max(start, end) for t in calls)


def test_a_marginal_target_below_every_float_spends_what_the_bounds_allow() -> None:
    # the lines' reply to a subnormal marginal is an infinite spend (no maximum): the total
    lines = [
        Line(name="a", curve=Hill(slope=1.0, half_saturation=100, top=1000)),
        Line(name="b", curve=Hill(slope=2.0, half_saturation=300, top=900)),
    ]
    spent = allocate(lines, _eur("500"), goal="marginal_roas", target=2.225073858507e-311)
    assert spent.total == _eur("500") and spent.unallocated == _eur("0")
    assert allocate(lines, _eur("0"), goal="marginal_roas", target=1e-311).total == _eur("0")
