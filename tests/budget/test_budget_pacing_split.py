"""Pacing, re-pacing, Thompson sampling, scenarios and curve tables."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.budget import (
    Arm,
    ExponentialSaturation,
    Hill,
    Line,
    LogisticSaturation,
    allocate,
    compare_scenarios,
    curve_table,
    pace,
    repace,
    thompson_split,
)
from smmkit.errors import ValidationError
from smmkit.models import Money, Weekday


def eur(v: str | int) -> Money:
    return Money.of(v, "EUR")


def test_even_pacing_adds_up_and_pauses_on_holidays() -> None:
    plan = pace(
        {"instagram": eur("1000.00"), "facebook": eur("500.01")},
        date(2026, 12, 1),
        date(2026, 12, 24),
        country="IT",
        subdiv="BO",
    )
    for line, total in plan.totals.items():
        days = plan.for_line(line)
        assert len(days) == 24
        assert sum(d.amount.minor_units for d in days) == total.minor_units
    immacolata = plan.on(date(2026, 12, 8))
    assert immacolata["instagram"] == eur(0)  # holiday_factor 0 pauses spend
    assert any("Tuesday 8 December (Immaculate Conception)" in n for n in plan.notes)
    other = plan.for_line("facebook")
    amounts = {d.amount.minor_units for d in other if d.day != date(2026, 12, 8)}
    assert max(amounts) - min(amounts) <= 1  # even, to the cent


def test_front_loaded_and_weekday_profiles() -> None:
    front = pace(
        {"a": eur(700)}, date(2026, 1, 5), date(2026, 1, 11), profile="front_loaded", front_load=3.0
    )
    seq = [d.amount.minor_units for d in front.for_line("a")]
    assert seq == sorted(seq, reverse=True) and seq[0] > 2 * seq[-1]
    week = pace(
        {"a": eur(700)},
        date(2026, 1, 5),
        date(2026, 1, 11),
        profile="weekday",
        weekday_weights={Weekday.SAT: 3.0, Weekday.SUN: 3.0},
    )
    sat = week.on(date(2026, 1, 10))["a"]
    mon = week.on(date(2026, 1, 5))["a"]
    assert abs(sat.minor_units - 3 * mon.minor_units) <= 3  # 3x, to the cent
    assert sum(d.amount.minor_units for d in week.days) == 70_000


def test_repace_from_actual_spend() -> None:
    plan = pace({"a": eur(300), "b": eur(300)}, date(2026, 3, 1), date(2026, 3, 30))
    new = repace(plan, {"a": eur(200), "b": eur(400)}, date(2026, 3, 16))
    assert sum(d.amount.minor_units for d in new.for_line("a")) == 10_000
    assert all(d.amount == eur(0) for d in new.for_line("b"))
    assert any("b overspent by €100.00" in n for n in new.notes)
    assert new.start == date(2026, 3, 16) and len(new.for_line("a")) == 15
    with pytest.raises(ValidationError, match="inside the flight"):
        repace(plan, {}, date(2026, 4, 2))
    with pytest.raises(ValidationError, match="not a line"):
        repace(plan, {"zz": eur(1)}, date(2026, 3, 2))


def test_pacing_an_allocation() -> None:
    lines = [
        Line(name="x", curve=Hill(slope=1, half_saturation=100, top=500)),
        Line(name="y", curve=LogisticSaturation(lam=0.01, top=300)),
    ]
    alloc = allocate(lines, eur("999.99"))
    plan = pace(alloc, date(2026, 5, 1), date(2026, 5, 31))
    assert sum(d.amount.minor_units for d in plan.days) == 99_999


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000_000), st.integers(1, 60))
def test_pacing_sums_exactly(cents: int, days: int) -> None:
    start = date(2026, 1, 1)
    end = date.fromordinal(start.toordinal() + days - 1)
    plan = pace({"a": Money.from_minor_units(cents, "EUR")}, start, end, profile="front_loaded")
    assert sum(d.amount.minor_units for d in plan.days) == cents
    assert all(d.amount.amount >= 0 for d in plan.days)


def test_thompson_split() -> None:
    arms = [
        Arm(name="a", successes=30, trials=1000),
        Arm(name="b", successes=45, trials=1000),
        Arm(name="c", successes=5, trials=200),
    ]
    split = thompson_split(arms, min_share=0.05, seed=3)
    assert split.prob_best["b"] > 0.8
    assert all(s >= 0.05 for s in split.shares.values())
    assert sum(split.shares.values()) == pytest.approx(1.0)
    assert sum(split.counts(10_001).values()) == 10_001
    assert thompson_split(arms, min_share=0.05, seed=3) == split
    gp = thompson_split(
        [Arm(name="x", events=12, exposure=1000.0), Arm(name="y", events=30, exposure=1000.0)],
        model="gamma_poisson",
    )
    assert gp.prob_best["y"] > 0.95
    nm = thompson_split(
        [Arm(name="x", mean=5.0, sd=2.0, n=50), Arm(name="y", mean=5.1, sd=2.0, n=50)],
        model="normal",
        seed=1,
    )
    assert 0.4 < nm.prob_best["y"] < 0.8
    with pytest.raises(ValidationError, match="min_share"):
        thompson_split(arms, min_share=0.5)
    with pytest.raises(ValueError, match="exceed trials"):
        Arm(name="z", successes=5, trials=2)
    with pytest.raises(ValidationError, match="needs events"):
        thompson_split(arms, model="gamma_poisson")


def test_scenarios_and_curve_table() -> None:
    lines = [
        Line(name="ig", curve=Hill(slope=1, half_saturation=500, top=5000), current=eur(800)),
        Line(name="fb", curve=ExponentialSaturation(rate=0.002, top=2000), current=eur(200)),
    ]
    table = compare_scenarios(lines, eur(1000), changes=(-0.1, 0.1))
    names = [s.name for s in table.scenarios]
    assert names == ["current", "optimal", "budget -10%", "budget +10%"]
    assert table.get("optimal").response >= table.get("current").response
    assert table.get("budget +10%").response > table.get("optimal").response
    assert table.get("budget -10%").budget == eur(900)
    assert len(table.rows()) == 4
    pts = curve_table({ln.name: ln.curve for ln in lines}, 2000, points=5)
    assert len(pts) == 10
    assert pts[0].spend == 0 and pts[0].roi is None
    assert pts[1].response == pytest.approx(lines[0].curve.value(500.0))
