"""Bad values at the budget engines' entry points: a smmkit error naming value, rule and fix."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from smmkit.budget import Hill, Line, allocate, fit_response, pace, repace
from smmkit.errors import ValidationError
from smmkit.models import Money


def _lines(currency: str) -> list[Line]:
    return [
        Line(name="a", curve=Hill(slope=1.0, half_saturation=100, top=1000)),
        Line(name="b", curve=Hill(slope=1.0, half_saturation=200, top=1500)),
    ]


def test_pace_with_a_datetime_and_a_date() -> None:
    with pytest.raises(ValidationError) as info:
        pace({"a": Money.of("10", "EUR")}, datetime(2026, 1, 1, tzinfo=UTC), date(2026, 1, 5))
    err = info.value
    assert err.field == "start" and "not a datetime" in err.rule
    assert err.hint is not None and "start.date()" in err.hint
    with pytest.raises(ValidationError, match="end: must be a date"):
        pace({"a": Money.of("10", "EUR")}, date(2026, 1, 1), datetime(2026, 1, 5, tzinfo=UTC))
    plan = pace({"a": Money.of("10", "EUR")}, date(2026, 1, 1), date(2026, 1, 5))
    with pytest.raises(ValidationError, match="as_of: must be a date"):
        repace(plan, {}, datetime(2026, 1, 2, tzinfo=UTC))


def test_fit_response_on_empty_series() -> None:
    with pytest.raises(ValidationError) as info:
        fit_response([], [])
    assert info.value.field == "spend" and "empty" in info.value.rule
    assert info.value.hint is not None and "periods" in info.value.hint


def test_a_budget_of_1e27_is_refused_before_rounding_or_allocation() -> None:
    with pytest.raises(ValidationError, match="too large") as info:
        Money.of(Decimal("1e27"), "EUR")
    assert "10^21" in str(info.value)
    big = Money.of(Decimal("1e20"), "EUR")
    assert big.rounded() == big  # no InvalidOperation
    with pytest.raises(ValidationError) as too_big:
        allocate(_lines("EUR"), big)
    assert too_big.value.field == "total" and "too large to split exactly" in too_big.value.rule
    with pytest.raises(ValidationError, match="too large to split exactly"):
        pace({"a": big}, date(2026, 1, 1), date(2026, 1, 5))


def test_a_budget_of_1_5_jpy_is_refused_not_rounded_up() -> None:
    with pytest.raises(ValidationError) as info:
        allocate(_lines("JPY"), Money.of("1.5", "JPY"))
    err = info.value
    assert err.field == "total" and "whole number of JPY's minor unit (no decimals)" in err.rule
    assert err.hint is not None and "1 JPY" in err.hint and "2 JPY" in err.hint
    with pytest.raises(ValidationError, match="minor unit"):
        pace({"a": Money.of("10.005", "EUR")}, date(2026, 1, 1), date(2026, 1, 5))
    result = allocate(_lines("JPY"), Money.of("2", "JPY"))
    assert sum(m.amount for m in result.amounts.values()) == 2


def test_an_unknown_goal_is_named() -> None:
    with pytest.raises(ValidationError, match="goal: must be one of"):
        allocate(_lines("EUR"), Money.of("100", "EUR"), goal="maximise")
