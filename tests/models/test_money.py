"""Money: Decimal amounts, ISO 4217 currencies, exact minor units, no mixing."""

from __future__ import annotations

import copy
import operator
import pickle
from collections.abc import Callable
from decimal import Decimal

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smmkit.errors import CurrencyMismatchError, ValidationError
from smmkit.models import CURRENCY_MINOR_UNITS, Money, minor_unit


def test_arithmetic_in_one_currency() -> None:
    total = Money.of("12.50", "eur") + Money.of("0.75", "EUR")
    assert total == Money.of("13.25", "EUR")
    assert total.currency == "EUR"
    assert Money.of("10", "EUR") - Money.of("2.5", "EUR") == Money.of("7.5", "EUR")
    assert Money.of("2.50", "EUR") * 3 == Money.of("7.50", "EUR")
    assert 2 * Money.of("1.25", "EUR") == Money.of("2.50", "EUR")
    assert -Money.of("1", "EUR") == Money.of("-1", "EUR")
    assert Money.of("1", "EUR") < Money.of("2", "EUR")
    assert str(Money.of("9.90", "EUR")) == "9.90 EUR"


def test_floats_enter_through_their_shortest_repr() -> None:
    assert Money.of(0.1, "EUR").amount == Decimal("0.1")
    assert Money.of(1500.0, "EUR").amount == Decimal("1500.0")
    # one rule for floats: shortest repr, refused beyond 15 significant digits, everywhere
    assert (Money.of("10.00", "EUR") * 1.1).amount == Decimal("11.000")
    assert Money.of("1", "EUR") * 1.5 == Money.of("1.5", "EUR")
    makers: tuple[Callable[[], object], ...] = (
        lambda: Money.of(0.1 + 0.2, "EUR"),
        # A float where a Decimal is typed, on purpose: the run-time check refuses it.
        lambda: Money(amount=0.1 + 0.2, currency="EUR"),  # type: ignore[arg-type]
        lambda: Money.of("1", "EUR") * (0.1 + 0.2),
    )
    for make in makers:
        with pytest.raises(ValueError, match="binary rounding") as info:
            make()
        assert "0.30000000000000004" in str(info.value) and "'0.3'" in str(info.value)
    with pytest.raises(ValidationError, match="binary rounding"):
        Money.of(0.1 + 0.2, "EUR")
    with pytest.raises(ValidationError, match="finite"):
        Money.of("1", "EUR") * float("nan")
    with pytest.raises(TypeError):
        Money.of("1", "EUR") * "2"  # type: ignore[operator]


def test_huge_amounts_are_refused_and_large_ones_round() -> None:
    with pytest.raises(ValidationError, match="too large") as info:
        Money.of(Decimal("1e27"), "EUR")
    assert info.value.field == "amount" and "10^21" in str(info.value)
    with pytest.raises(ValidationError, match="too large"):
        Money.of(1e27, "EUR")
    big = Money.of("999999999999999999999.995", "KWD")
    assert big.rounded().amount == Decimal("999999999999999999999.995")
    assert Money.of("123456789012345678901.5", "JPY").rounded().amount == Decimal(
        "123456789012345678902"
    )
    with pytest.raises(ValidationError, match="boolean"):
        Money.of(True, "EUR")


@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.lt, operator.ge])
def test_mixing_currencies_raises(op: Callable[[Money, Money], object]) -> None:
    with pytest.raises(CurrencyMismatchError) as info:
        op(Money.of("10", "EUR"), Money.of("10", "USD"))
    assert isinstance(info.value, ValidationError)
    assert "cannot combine EUR with USD" in str(info.value)
    assert "converts currencies" in str(info.value)


@pytest.mark.parametrize(("code", "digits"), [("EUR", 2), ("JPY", 0), ("KWD", 3), ("CLF", 4)])
def test_minor_units(code: str, digits: int) -> None:
    assert minor_unit(code) == digits
    assert Money.from_minor_units(12345, code).amount == Decimal(12345).scaleb(-digits)


def test_rounding_is_half_even_to_the_minor_unit() -> None:
    assert Money.of("0.125", "EUR").rounded().amount == Decimal("0.12")
    assert Money.of("0.135", "EUR").rounded().amount == Decimal("0.14")
    assert Money.of("1.5", "JPY").rounded().amount == Decimal("2")
    assert Money.of("2.5", "JPY").minor_units == 2


@given(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.sampled_from(sorted(CURRENCY_MINOR_UNITS)),
)
def test_minor_units_round_trip(units: int, code: str) -> None:
    money = Money.from_minor_units(units, code)
    assert money.minor_units == units
    assert Money.model_validate_json(money.model_dump_json()) == money


def test_non_finite_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        Money.of("NaN", "EUR")
    with pytest.raises(ValueError, match="finite"):
        Money.of(float("inf"), "EUR")


@given(
    st.lists(st.integers(min_value=-(10**20), max_value=10**20), max_size=20),
    st.sampled_from(sorted(CURRENCY_MINOR_UNITS)),
)
def test_bulk_minor_units_are_the_one_by_one_amounts(units: list[int], code: str) -> None:
    bulk = Money.from_minor_units_list(units, code)
    one_by_one = [Money.from_minor_units(u, code) for u in units]
    assert bulk == one_by_one
    assert [repr(m) for m in bulk] == [repr(m) for m in one_by_one]
    assert [m.minor_units for m in bulk] == units


def test_bulk_refuses_an_amount_past_the_limit_and_money_is_a_frozen_value() -> None:
    with pytest.raises(ValueError, match="too large"):
        Money.from_minor_units_list([1, 10**23], "EUR")
    money = Money.of("1.50", "EUR")
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        del money.amount
    assert copy.deepcopy(money) is money and pickle.loads(pickle.dumps(money)) == money
    assert money.model_dump(mode="json") == {"amount": "1.50", "currency": "EUR"}
    assert Money.model_validate({"amount": "1.5", "currency": "eur"}) == money
    assert money != (Decimal("1.50"), "EUR") and money != Money.of("1.50", "USD")
    assert money.model_copy(update={"currency": "USD"}) == Money.of("1.50", "USD")
    assert dict(money) == {"amount": Decimal("1.50"), "currency": "EUR"}
