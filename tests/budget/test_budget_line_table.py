"""``LineTable``: lines as columns give exactly the allocation of the same ``Line`` objects
(bounds, current spends, ratios, locks and groups included)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.budget import (
    Allocation,
    ExponentialSaturation,
    GroupCap,
    Hill,
    Line,
    LineTable,
    LogisticSaturation,
    Power,
    allocate,
)
from smmkit.errors import AllocationError, ValidationError
from smmkit.models import Money

PARAMS = ("slope", "half_saturation", "top", "lam", "rate", "coefficient", "exponent")
Curve = Hill | LogisticSaturation | ExponentialSaturation | Power


def _curve(kind: int, a: float, b: float) -> Curve:
    if kind == 0:
        return Hill(slope=round(0.4 + 0.6 * a, 3), half_saturation=50 + 400 * b, top=100 + 900 * a)
    if kind == 1:
        return Hill(slope=1.0, half_saturation=50 + 400 * a, top=100 + 900 * b)
    if kind == 2:
        return LogisticSaturation(lam=0.001 + 0.02 * a, top=100 + 900 * b)
    if kind == 3:
        return ExponentialSaturation(rate=0.001 + 0.02 * b, top=100 + 900 * a)
    return Power(coefficient=1 + 20 * a, exponent=0.2 + 0.6 * b)


def _as_table(lines: list[Line], currency: str = "EUR") -> LineTable:
    params = {p: [float(getattr(ln.curve, p, np.nan)) for ln in lines] for p in PARAMS}
    used = {p for ln in lines for p in ln.curve.model_dump() if p != "family"}
    return LineTable(
        [ln.name for ln in lines],
        [ln.curve.family for ln in lines],
        {p: v for p, v in params.items() if p in used},
        minimum_units=[ln.minimum.minor_units if ln.minimum else 0 for ln in lines],
        maximum_units=[ln.maximum.minor_units if ln.maximum else np.inf for ln in lines],
        current_units=[ln.current.minor_units if ln.current else np.nan for ln in lines],
        min_ratio=[np.nan if ln.min_ratio is None else ln.min_ratio for ln in lines],
        max_ratio=[np.nan if ln.max_ratio is None else ln.max_ratio for ln in lines],
        locked=np.array([ln.locked for ln in lines]),
        group=[ln.group for ln in lines],
        currency=currency,
    )


rows = st.lists(
    st.tuples(
        st.integers(0, 4),
        st.floats(0, 1),
        st.floats(0, 1),
        st.one_of(st.none(), st.integers(0, 30_000)),
        st.one_of(st.none(), st.integers(0, 80_000)),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(rows, st.integers(0, 600_000))
def test_a_table_allocates_exactly_as_its_lines(
    spec: list[tuple[int, float, float, int | None, int | None]], cents: int
) -> None:
    lines = [
        Line(
            name=f"l{i}",
            curve=_curve(kind, a, b),
            minimum=None if lo is None else Money.from_minor_units(lo, "EUR"),
            maximum=None if hi is None else Money.from_minor_units(hi, "EUR"),
        )
        for i, (kind, a, b, lo, hi) in enumerate(spec)
        if lo is None or hi is None or lo <= hi
    ]
    if not lines:
        return
    total = Money.from_minor_units(cents, "EUR")
    outcomes: list[Any] = []
    for given_lines in (lines, _as_table(lines)):
        try:
            outcomes.append(allocate(given_lines, total, strict=False))
        except AllocationError as exc:
            outcomes.append((exc.constraint, exc.line, str(exc)))
    assert repr(outcomes[0]) == repr(outcomes[1])  # (repr: NaN equals NaN there)
    if not isinstance(outcomes[1], tuple):
        got = outcomes[1]
        assert [ln.name for ln in got.lines] == [ln.name for ln in lines]
        assert int(got.lines.minor_units.sum()) == got.total.minor_units


# a line's current spend, ratios, lock and group: (current, min_ratio, max_ratio, locked, group)
extras = st.tuples(
    st.one_of(st.none(), st.integers(0, 40_000)),
    st.one_of(st.none(), st.sampled_from([0.0, 0.5, 0.9, 1.0, 1 / 3])),
    st.one_of(st.none(), st.sampled_from([0.0, 1.0, 1.1, 1.5, 2.0, 2 / 3])),
    st.booleans(),
    st.one_of(st.none(), st.sampled_from(["g1", "g2"])),
)
caps = st.fixed_dictionaries(
    {},
    optional={
        "g1": st.tuples(
            st.one_of(st.none(), st.floats(0.05, 1.0)),
            st.one_of(st.none(), st.integers(0, 100_000)),
        ),
        "g2": st.tuples(
            st.one_of(st.none(), st.floats(0.05, 1.0)),
            st.one_of(st.none(), st.integers(0, 100_000)),
        ),
    },
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 4), st.floats(0, 1), st.floats(0, 1), extras), max_size=25),
    caps,
    st.integers(0, 600_000),
    st.sampled_from(["max_response", "marginal_roas", "target_roas"]),
)
def test_a_table_with_currents_ratios_locks_and_groups_allocates_as_its_lines(
    spec: list[tuple[int, float, float, tuple[Any, ...]]],
    group_caps: dict[str, tuple[float | None, int | None]],
    cents: int,
    goal: str,
) -> None:
    lines = []
    for i, (kind, a, b, (current, low, high, locked, group)) in enumerate(spec):
        if current is None:  # ratios and locks need a current spend
            low = high = None
            locked = False
        lines.append(
            Line(
                name=f"l{i}",
                curve=_curve(kind, a, b),
                current=None if current is None else Money.from_minor_units(current, "EUR"),
                min_ratio=low,
                max_ratio=high,
                locked=locked,
                group=group,
            )
        )
    if not lines:
        return
    groups = [
        GroupCap(
            name=name,
            max_share=share,
            maximum=None if cap is None else Money.from_minor_units(cap, "EUR"),
        )
        for name, (share, cap) in sorted(group_caps.items())
        if share is not None or cap is not None
    ]
    total = Money.from_minor_units(cents, "EUR")
    target = None if goal == "max_response" else 0.8
    outcomes: list[Any] = []
    for given_lines in (lines, _as_table(lines)):
        try:
            got = allocate(
                given_lines, total, groups=groups, goal=goal, target=target, strict=False
            )
            outcomes.append(got)
        except AllocationError as exc:
            outcomes.append((exc.constraint, exc.line, str(exc)))
        except ValidationError as exc:  # (a cap on a group no line has)
            outcomes.append((exc.field, exc.rule))
    assert repr(outcomes[0]) == repr(outcomes[1])  # (repr: NaN equals NaN there)
    if isinstance(outcomes[1], Allocation):
        got = outcomes[1]
        assert [ln.current for ln in got.lines] == [ln.current for ln in lines]
        assert [ln.group for ln in got.lines] == [ln.group for ln in lines]
        for ln, given in zip(got.lines, lines, strict=True):
            if given.locked:
                assert ln.amount == given.current and ln.binding == "locked"


def test_a_table_lock_ratio_and_group_in_a_small_case() -> None:
    t = LineTable(
        ["a", "b", "c"],
        "exponential",
        {"rate": [0.01, 0.02, 0.005], "top": [500.0, 400.0, 900.0]},
        current_units=[10_000, 20_000, np.nan],
        max_ratio=[1.5, np.nan, np.nan],
        locked=np.array([False, True, False]),
        group=["paid", None, "paid"],
        currency="EUR",
    )
    a = allocate(t, Money.of(500, "EUR"), groups=[GroupCap(name="paid", max_share=0.6)])
    assert a.amounts["b"] == Money.of(200, "EUR") and a.line("b").binding == "locked"
    assert a.amounts["a"] <= Money.of(150, "EUR")  # 1.5 x its current spend
    assert a.amounts["a"] + a.amounts["c"] == Money.of(300, "EUR")  # 60% of the budget
    assert a.line("a").current == Money.of(100, "EUR") and a.line("c").current is None
    assert t.groups == ("paid", None, "paid")


def test_one_family_for_every_line() -> None:
    t = LineTable(
        ["a", "b", "c"],
        "logistic",
        {"lam": np.array([0.01, 0.005, 0.02]), "top": [300.0, 500.0, 200.0]},
        maximum_units=np.array([20_000, np.inf, 5_000]),
        currency="EUR",
    )
    lines = [
        Line(name="a", curve=LogisticSaturation(lam=0.01, top=300), maximum=Money.of(200, "EUR")),
        Line(name="b", curve=LogisticSaturation(lam=0.005, top=500)),
        Line(name="c", curve=LogisticSaturation(lam=0.02, top=200), maximum=Money.of(50, "EUR")),
    ]
    assert len(t) == 3 and t.names == ("a", "b", "c") and "3 lines" in repr(t)
    assert allocate(t, Money.of(900, "EUR")) == allocate(lines, Money.of(900, "EUR"))


def _table(**changes: Any) -> LineTable:
    kw: dict[str, Any] = {
        "names": ["a", "b"],
        "family": ["hill", "exponential"],
        "params": {
            "slope": [0.8, np.nan],
            "half_saturation": [100.0, np.nan],
            "top": [500.0, 300.0],
            "rate": [np.nan, 0.01],
        },
        "currency": "EUR",
    }
    kw.update(changes)
    return LineTable(kw.pop("names"), kw.pop("family"), kw.pop("params"), **kw)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"names": []}, "names", "at least one line"),
        ({"names": ["a", "a"]}, "lines.name", "unique"),
        ({"names": ["a", ""]}, "names[1]", "1 to 200"),
        ({"names": ["a", 7]}, "names[1]", "string"),
        ({"family": ["hill", "sigmoid"]}, "family", "must be one of"),
        ({"family": ["hill"]}, "family", "one family per line"),
        ({"family": "piecewise_linear"}, "family", "Line objects"),
        ({"params": {"slope": [0.8, 1], "top": [1, 1], "rate": [1, 1]}}, "params", "missing"),
        (
            {"params": {"slope": [0.8, 1], "half_saturation": [1, 1], "top": [1, 1], "x": [1, 1]}},
            "params",
            "not a curve parameter",
        ),
        (
            {
                "params": {
                    "slope": [0.0, 1],
                    "half_saturation": [1, 1],
                    "top": [1, 1],
                    "rate": [1, 1],
                }
            },
            "params.slope[0]",
            "> 0",
        ),
        (
            {
                "params": {
                    "slope": [0.5, 1],
                    "half_saturation": [1, 1],
                    "top": [1, np.inf],
                    "rate": [1, 1],
                }
            },
            "params.top[1]",
            "finite",
        ),
        (
            {"params": {"slope": [0.5], "half_saturation": [1], "top": [1], "rate": [1]}},
            "params.half_saturation",
            "one value per line",
        ),
        ({"maximum_units": [10.5, 3]}, "maximum_units[0]", "whole number"),
        ({"maximum_units": [10, -1]}, "maximum_units[1]", ">= 0"),
        ({"minimum_units": [np.inf, 0]}, "minimum_units[0]", "whole number"),
        ({"minimum_units": [1, 2, 3]}, "minimum_units", "one value per line"),
        ({"currency": "EURO"}, "currency", "ISO 4217"),
        ({"current_units": [100, 10.5]}, "current_units[1]", "whole number"),
        ({"current_units": [-1, 0]}, "current_units[0]", ">= 0"),
        ({"current_units": [100, np.inf]}, "current_units[1]", "NaN: none"),
        ({"current_units": [100]}, "current_units", "one value per line"),
        ({"current_units": [100, 50], "min_ratio": [-0.5, 1]}, "min_ratio[0]", ">= 0"),
        ({"current_units": [100, 50], "max_ratio": [1, np.inf]}, "max_ratio[1]", "finite"),
        ({"current_units": [100, np.nan], "max_ratio": [1, 2]}, "max_ratio[1]", "current spend"),
        ({"min_ratio": [0.5, np.nan]}, "min_ratio[0]", "current spend"),
        ({"locked": np.array([False, True])}, "locked[1]", "current spend"),
        ({"current_units": [1, 2], "locked": [1, 0]}, "locked", "boolean"),
        ({"current_units": [1, 2], "locked": np.array([True])}, "locked", "one boolean"),
        ({"group": ["g"]}, "group", "one group name"),
        ({"group": ["g", ""]}, "group[1]", "non-empty string"),
        ({"group": [3, None]}, "group[0]", "non-empty string"),
    ],
)
def test_bad_columns_are_named(changes: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(ValidationError) as e:
        _table(**changes)
    assert e.value.field == field and words in e.value.rule


def test_bad_requests_with_a_table() -> None:
    t = _table(minimum_units=[0, 5_000], maximum_units=[np.inf, 4_000])
    with pytest.raises(AllocationError) as e:
        allocate(t, Money.of(100, "EUR"))
    assert e.value.line == "b" and e.value.constraint == "minimum <= maximum"
    with pytest.raises(AllocationError) as e:
        allocate(_table(), Money.of(100, "USD"))
    assert e.value.constraint == "currency"
    with pytest.raises(ValidationError) as v:
        allocate(_table(), Money.of(100, "EUR"), groups=[GroupCap(name="g", max_share=0.5)])
    assert v.value.field == "groups[g]" and "no line belongs" in v.value.rule
    grouped = _table(group=["g", "g"], minimum_units=[3_000, 3_000])
    with pytest.raises(AllocationError) as e:
        allocate(grouped, Money.of(100, "EUR"), groups=[GroupCap(name="g", max_share=0.5)])
    assert e.value.constraint == "group g cap"
    locked = _table(current_units=[1_000, 2_000], locked=np.array([True, False]))
    with pytest.raises(AllocationError) as e:
        allocate(_table(current_units=[1_000, 2_000], min_ratio=[2.0, 0]), Money.of(15, "EUR"))
    assert e.value.constraint == "sum of minimums <= total" and e.value.line == "a"
    assert allocate(locked, Money.of(100, "EUR")).amounts["a"] == Money.of(10, "EUR")
    low = _table(minimum_units=[6_000, 6_000])
    with pytest.raises(AllocationError) as e:
        allocate(low, Money.of(100, "EUR"))
    assert e.value.constraint == "sum of minimums <= total" and e.value.line == "a"


def test_a_table_is_immutable_reusable_and_pickles() -> None:
    import pickle

    params = {"lam": np.array([0.01, 0.005]), "top": np.array([300.0, 500.0])}
    t = LineTable(["a", "b"], "logistic", params, maximum_units=[10_000, np.inf], currency="EUR")
    params["lam"][0] = 0.5  # the caller's arrays are copied, not kept
    first = allocate(t, Money.of(200, "EUR"))
    assert allocate(t, Money.of(200, "EUR")) == first  # a table serves many calls
    with pytest.raises(AttributeError):
        t.names = ("x", "y")
    with pytest.raises(AttributeError):
        del t.currency
    again = pickle.loads(pickle.dumps(t))
    assert again.names == t.names and allocate(again, Money.of(200, "EUR")) == first
    lines = [
        Line(name="a", curve=LogisticSaturation(lam=0.01, top=300), maximum=Money.of(100, "EUR")),
        Line(name="b", curve=LogisticSaturation(lam=0.005, top=500)),
    ]
    assert first == allocate(lines, Money.of(200, "EUR"))


@pytest.mark.parametrize("minimum", [0, 5])
def test_a_total_equal_to_the_minimums_is_certified_exactly(minimum: int) -> None:
    # the only split is every line at its minimum; a Hill curve with slope < 1 has an infinite
    # marginal at zero, which once made the certificate NaN at a zero total
    lines = [
        Line(
            name="a",
            curve=Hill(slope=0.4, half_saturation=50, top=100),
            minimum=Money.of(minimum, "EUR"),
        ),
        Line(name="b", curve=LogisticSaturation(lam=0.01, top=100)),
    ]
    for given_lines in (lines, _as_table(lines)):
        a = allocate(given_lines, Money.of(minimum, "EUR"))
        assert a.upper_bound == a.response and a.gap == 0.0 and a.relative_gap == 0.0
        assert a.certified and [ln.minor_units for ln in a.lines] == [minimum * 100, 0]
