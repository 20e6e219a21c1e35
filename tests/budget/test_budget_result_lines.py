"""The result lines of ``allocate``: built on first use, yet the same as validated ones."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.budget import (
    AllocatedLine,
    AllocatedLines,
    Allocation,
    ExponentialSaturation,
    GroupCap,
    Hill,
    Line,
    LinearCap,
    LogisticSaturation,
    PiecewiseLinear,
    Scenario,
    allocate,
)
from smmkit.budget._allocate import _round_to_total
from smmkit.errors import AllocationError
from smmkit.models import Money


def eur(v: str | int | float) -> Money:
    return Money.of(v, "EUR")


def mixed_lines(n: int, seed: int) -> list[Line]:
    """Every kind of bound: locked, relative, absolute, grouped, plus piecewise/capped curves."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        k = i % 5
        curve: Hill | LogisticSaturation | ExponentialSaturation | LinearCap | PiecewiseLinear
        if k == 0:
            curve = Hill(slope=float(rng.uniform(0.5, 1.0)), half_saturation=200, top=800)
        elif k == 1:
            curve = LogisticSaturation(lam=float(rng.uniform(0.002, 0.02)), top=600)
        elif k == 2:
            curve = ExponentialSaturation(rate=float(rng.uniform(0.002, 0.02)), top=500)
        elif k == 3:
            curve = LinearCap(slope=float(rng.uniform(0.5, 2.0)), cap=150)
        else:
            curve = PiecewiseLinear(points=((0, 0), (100, 80), (300, 150), (700, 170)))
        current = eur(round(float(rng.uniform(20, 300)), 2))
        kw: dict[str, object] = {}
        if i % 7 == 0:
            kw["locked"] = True
        elif i % 3 == 0:
            kw.update(min_ratio=0.5, max_ratio=1.5)
        elif i % 4 == 1:
            kw["maximum"] = eur(int(rng.integers(50, 200)))
        if i % 6 == 2:
            kw["minimum"] = eur("12.345")
        out.append(
            Line.model_validate(
                {
                    "name": f"l{i}",
                    "curve": curve,
                    "current": current,
                    "group": "meta" if i % 2 else None,
                    **kw,
                }
            )
        )
    return out


def test_lines_are_built_on_first_use_and_equal_validated_ones() -> None:
    lines = mixed_lines(40, 1)
    groups = [GroupCap(name="meta", max_share=0.4)]

    def fresh() -> Allocation:
        return allocate(lines, eur(6000), groups=groups)

    lazy = fresh()
    assert isinstance(lazy.lines, AllocatedLines)
    # the arrays and the amounts come straight from the solver's columns: no line object built
    units = lazy.lines.minor_units
    assert units.dtype == np.int64 and not units.flags.writeable
    assert int(units.sum()) == lazy.total.minor_units
    assert list(lazy.amounts.values()) == [
        Money.from_minor_units(int(u), "EUR") for u in units.tolist()
    ]
    assert lazy.lines.names == tuple(ln.name for ln in lines)
    assert lazy.lines._items is None  # still not built
    validated = Allocation.model_validate_json(fresh().model_dump_json())
    assert fresh() == validated and validated == fresh() and fresh() == fresh()
    assert fresh().model_dump() == validated.model_dump()
    assert list(fresh().model_dump()) == list(Allocation.model_fields)
    assert repr(fresh()) == repr(validated)
    assert dict(fresh()) == dict(validated)
    assert copy.copy(fresh()) == validated and copy.deepcopy(fresh()) == validated
    assert pickle.loads(pickle.dumps(fresh())) == validated
    assert fresh().model_copy(update={"notes": ("x",)}).lines == validated.lines
    # nested in another model: the dump of the outer model carries the lines
    sc = Scenario(
        name="opt",
        budget=eur(6000),
        response=1.0,
        roi=1.0,
        marginal=None,
        amounts={},
        allocation=fresh(),
    )
    dumped = sc.model_dump(mode="json")["allocation"]["lines"]
    assert dumped == validated.model_dump(mode="json")["lines"]
    # the lines themselves: a tuple, stable, and each one passes pydantic's validation unchanged
    first = lazy.lines
    assert lazy.lines is first and len(first) == 40 and first == tuple(first)
    assert hash(first) == hash(tuple(first)) and first[1:3] == tuple(first)[1:3]
    assert first.shares.tolist() == [ln.share for ln in first]
    assert first.responses.tolist() == [ln.response for ln in first]
    assert first.marginals.tolist() == [ln.marginal for ln in first]
    assert validated.lines.minor_units.tolist() == first.minor_units.tolist()
    for ln in first:
        assert isinstance(ln, AllocatedLine)
        again = AllocatedLine.model_validate(ln.model_dump())
        assert again == ln
        assert type(ln.minor_units) is int and type(ln.share) is float
        assert type(ln.response) is float and type(ln.marginal) is float
    assert {ln.binding for ln in first} >= {"locked", "lower", "upper", "group"}


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.integers(5, 60), st.integers(1, 8))
def test_bindings_match_the_bounds(seed: int, n: int, scale: int) -> None:
    lines = mixed_lines(n, seed)
    groups = [GroupCap(name="meta", max_share=0.4)]
    try:
        a = allocate(lines, eur(100 * n * scale), groups=groups, strict=False)
    except AllocationError:
        return  # the generated bounds cannot hold (that path is tested elsewhere)
    # the array views and the amounts (built without line objects) agree with the lines
    fresh = allocate(lines, eur(100 * n * scale), groups=groups, strict=False)
    amounts = fresh.amounts
    assert fresh.lines.minor_units.tolist() == [ln.minor_units for ln in a.lines]
    assert amounts == {ln.name: ln.amount for ln in a.lines}
    assert fresh.lines.shares.tolist() == [ln.share for ln in a.lines]
    assert Allocation.model_validate_json(fresh.model_dump_json()) == a
    assert sum(ln.minor_units for ln in a.lines) == a.total.minor_units
    cap = a.budget.minor_units * 2 // 5  # max_share 0.4, whole cents, rounded down
    full = sum(ln.minor_units for ln in a.lines if ln.group == "meta") >= cap
    for src, ln in zip(lines, a.lines, strict=True):
        assert ln.lower.minor_units <= ln.minor_units
        assert ln.upper is None or ln.minor_units <= ln.upper.minor_units
        assert (ln.binding == "locked") == src.locked
        if ln.binding == "lower":
            assert ln.amount == ln.lower
        elif ln.binding == "upper":
            assert ln.upper is not None and ln.amount == ln.upper
        elif ln.binding == "group":
            assert ln.group == "meta" and full


def _reference_rounding(x: np.ndarray, lo: np.ndarray, hi: np.ndarray, total: int) -> list[int]:
    """Largest remainder, one unit at a time, ties to the lower index (the specification)."""
    xc = [min(max(float(v), float(a)), float(b)) for v, a, b in zip(x, lo, hi, strict=True)]
    base = [min(max(int(np.floor(v)), int(a)), int(b)) for v, a, b in zip(xc, lo, hi, strict=True)]
    frac = [v - b for v, b in zip(xc, base, strict=True)]
    diff = total - sum(base)
    if diff > 0:
        order = sorted(range(len(x)), key=lambda i: (-frac[i], i))
    else:
        order = sorted(range(len(x)), key=lambda i: (frac[i], i))
    while diff:
        for i in order:
            if diff > 0 and base[i] < hi[i]:
                base[i] += 1
                diff -= 1
            elif diff < 0 and base[i] > lo[i]:
                base[i] -= 1
                diff += 1
            if diff == 0:
                break
    return base


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 300), st.integers(0, 100), st.integers(0, 120)),
        min_size=1,
        max_size=25,
    ),
    st.floats(0, 1),
)
def test_vectorised_rounding_matches_the_unit_by_unit_rule(
    rows: list[tuple[float, int, int]], where: float
) -> None:
    # (a total far from the floors, many units a line, is rounded by whole passes at once:
    # the same units as the pass-by-pass rule)
    lo = np.array([min(a, b) for _, a, b in rows], dtype=np.int64)
    hi = np.array([max(a, b) for _, a, b in rows], dtype=np.int64)
    total = int(lo.sum()) + round(where * int((hi - lo).sum()))
    x = np.array([r[0] for r in rows])
    out = _round_to_total(x, lo, hi, total)
    assert out.tolist() == _reference_rounding(x, lo, hi, total)


def test_first_bad_line_is_named() -> None:
    ok = Line(name="ok", curve=Hill(slope=1, half_saturation=10, top=10), maximum=eur(50))
    bad1 = Line(
        name="bad1", curve=Hill(slope=1, half_saturation=10, top=10), minimum=eur(9), maximum=eur(5)
    )
    bad2 = Line(
        name="bad2", curve=Hill(slope=1, half_saturation=10, top=10), maximum=Money.of(5, "USD")
    )
    with pytest.raises(AllocationError) as e:
        allocate([ok, bad1, bad2], eur(20))
    assert e.value.line == "bad1" and e.value.constraint == "minimum <= maximum"
    with pytest.raises(AllocationError) as e:
        allocate([ok, bad2, bad1], eur(20))
    assert e.value.line == "bad2" and e.value.constraint == "maximum"


def test_serialisation_schema_still_describes_the_fields() -> None:
    # the dump hook must not blank the schema of what a dump contains
    schema = Allocation.model_json_schema(mode="serialization")
    assert list(schema["properties"]) == list(Allocation.model_fields)
    assert schema["properties"]["lines"]["type"] == "array"


def test_maxima_only_lines_take_the_fast_path_with_the_same_checks() -> None:
    curve = Hill(slope=1, half_saturation=10, top=10)
    lines = [Line(name=f"m{i}", curve=curve, maximum=eur(40 + i % 3)) for i in range(9)]
    fast = allocate(lines, eur(300))
    # the same problem through the general path (a zero minimum changes nothing)
    general = allocate([*lines[:-1], lines[-1].model_copy(update={"minimum": eur(0)})], eur(300))
    assert fast.lines.minor_units.tolist() == general.lines.minor_units.tolist()
    assert [ln.upper for ln in fast.lines] == [ln.upper for ln in general.lines]
    usd = Line(name="usd", curve=curve, maximum=Money.of(5, "USD"))
    with pytest.raises(AllocationError) as e:
        allocate([*lines, usd], eur(300))
    assert e.value.line == "usd" and e.value.constraint == "maximum"


def test_building_the_lines_leaves_the_garbage_collector_as_it_was() -> None:
    import gc

    lines = mixed_lines(12, 3)
    enabled = gc.isenabled()
    try:
        for state in (True, False):
            (gc.enable if state else gc.disable)()
            result = allocate(lines, eur(2000), strict=False)
            assert len(result.amounts) == 12 and len(tuple(result.lines)) == 12
            assert gc.isenabled() is state
    finally:
        (gc.enable if enabled else gc.disable)()


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.5, 2.5, 3.0]), st.integers(0, 3)),
        min_size=1,
        max_size=30,
    ),
    st.floats(0, 1),
)
def test_rounding_breaks_equal_remainders_by_index(
    rows: list[tuple[float, int]], where: float
) -> None:
    # remainders that tie (the partition path must take them in index order, as the sort did)
    lo = np.zeros(len(rows), dtype=np.int64)
    hi = np.array([3 if r[1] else 1 for r in rows], dtype=np.int64)
    total = round(where * int(hi.sum()))
    x = np.array([r[0] for r in rows])
    out = _round_to_total(x, lo, hi, total)
    assert out.tolist() == _reference_rounding(x, lo, hi, total)
