"""Checks at the budget engines' entry points: amounts that can be split exactly, real dates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from smmkit.errors import ValidationError
from smmkit.models import Money

# The solvers work in float minor units: integers are exact up to 2^53.
MAX_MINOR_UNITS = 2**53


def check_total(field: str, money: Money) -> None:
    """``money`` is a whole number of its currency's minor units, small enough to split exactly.

    A 1.5 JPY budget cannot be split into whole yen without inventing half a yen: it is refused
    (with the two nearest whole amounts as the fix) instead of being rounded to 2 JPY.
    """
    if not isinstance(money, Money):
        raise ValidationError(field, type(money).__name__, "must be Money")
    rounded = money.rounded()
    if rounded.amount != money.amount:
        unit = money.minor_unit
        places = "no decimals" if unit == 0 else f"{unit} decimal place{'s' if unit > 1 else ''}"
        lower = Money.from_minor_units(
            int(money.amount.scaleb(unit).to_integral_value(rounding="ROUND_FLOOR")),
            money.currency,
        )
        upper = Money.from_minor_units(
            int(money.amount.scaleb(unit).to_integral_value(rounding="ROUND_CEILING")),
            money.currency,
        )
        raise ValidationError(
            field,
            str(money),
            f"a budget must be a whole number of {money.currency}'s minor unit ({places})",
            hint=f"give {lower} or {upper} (Money.rounded() rounds half to even)",
        )
    if abs(money.minor_units) > MAX_MINOR_UNITS:
        raise ValidationError(
            field,
            str(money),
            f"is too large to split exactly: at most {MAX_MINOR_UNITS:,} minor units "
            f"({Money.from_minor_units(MAX_MINOR_UNITS, money.currency)})",
            hint="check the unit of the amount (minor units, thousands)",
        )


def check_day(field: str, value: object) -> date:
    """``value`` is a calendar date (not a datetime, which would compare as neither)."""
    if isinstance(value, datetime):
        raise ValidationError(
            field,
            value.isoformat(),
            "must be a date, not a datetime (pacing works in whole days)",
            hint=f"pass {field}.date() or date({value.year}, {value.month}, {value.day})",
        )
    if not isinstance(value, date):
        raise ValidationError(
            field, value, "must be a datetime.date", hint="e.g. date(2026, 12, 1)"
        )
    return value


def check_number(field: str, value: object) -> float | None:
    """``value`` as a float (``None`` stays ``None``); a boolean, text or other object is a
    :class:`~smmkit.errors.ValidationError`, not a ``TypeError`` deep in the solver."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValidationError(field, value, "must be a number", hint="e.g. 3.0")
    try:
        return float(value)
    except (OverflowError, ValueError):
        raise ValidationError(field, value, "must be a finite number") from None
