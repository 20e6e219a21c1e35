"""Money: a ``Decimal`` amount with an ISO 4217 currency."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation, localcontext
from itertools import repeat
from typing import TYPE_CHECKING, Any

import pydantic
from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from smmkit.errors import CurrencyMismatchError, ValidationError

from ._plain import PlainValue, plain_schema

__all__ = ["CURRENCY_MINOR_UNITS", "MAX_AMOUNT", "Money", "float_to_decimal", "minor_unit"]

# ISO 4217 active codes (list one, 2024 edition) with their minor units. Data, not code.
_ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE = "BHD IQD JOD KWD LYD OMR TND"
_FOUR = "CLF UYW"
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP "
    "BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD "
    "FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD "
    "KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD "
    "NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP "
    "SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED "
    "VES WST XCD XCG YER ZAR ZMW ZWG"
)
CURRENCY_MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(_TWO.split(), 2),
    **dict.fromkeys(_ZERO.split(), 0),
    **dict.fromkeys(_THREE.split(), 3),
    **dict.fromkeys(_FOUR.split(), 4),
}


def minor_unit(currency: str) -> int:
    """Number of decimal places of a currency's minor unit (``EUR`` → 2, ``JPY`` → 0)."""
    return CURRENCY_MINOR_UNITS[currency]


MAX_AMOUNT = Decimal(10) ** 21
"""Amounts must be smaller than this in absolute value (10^21: more than the world's yearly
output in any currency, Iranian rials included); a larger one is a unit or typing error."""

_FLOAT_DIGITS = 15


def _check_amount(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is a boolean, not an amount; write a number such as 10")
    if isinstance(value, float):
        value = float_to_decimal(value)
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, str | Decimal):
        try:
            dec = Decimal(value)
        except (InvalidOperation, ValueError):
            raise ValueError(f"{str(value)[:40]!r} is not a decimal number") from None
        if not dec.is_finite():
            raise ValueError("the amount must be a finite number")
        if abs(dec) >= MAX_AMOUNT:
            raise ValueError(
                f"the amount {dec:.3E} is too large: amounts must be below 10^21 in absolute "
                "value (check the unit: minor units, thousands, a missing decimal point)"
            )
        return dec
    return value


def _check_currency(value: Any) -> Any:
    if isinstance(value, str):
        code = value.strip().upper()
        if code not in CURRENCY_MINOR_UNITS:
            raise ValueError(
                f"{value!r} is not an active ISO 4217 currency code (such as EUR, USD, GBP)"
            )
        return code
    return value


def float_to_decimal(value: float, field: str = "amount") -> Decimal:
    """The one rule for floats in money: a float is read as its shortest ``repr``
    (``0.1`` → ``Decimal("0.1")``), and refused when that needs more than 15 significant digits
    (``0.1 + 0.2`` is ``0.30000000000000004``: binary rounding noise, not an amount). Every
    decimal of up to 15 digits survives a float unchanged, so a float typed by a person or read
    from a TOML or JSON file always passes."""
    if value != value or value in (float("inf"), float("-inf")):
        raise ValidationError(field, value, "must be a finite number")
    dec = Decimal(repr(value))
    digits = len(dec.normalize().as_tuple().digits)
    if digits > _FLOAT_DIGITS:
        raise ValidationError(
            field,
            value,
            f"a float with {digits} significant digits is the trace of binary rounding, not an "
            f"amount (floats are read by their shortest repr, exact up to {_FLOAT_DIGITS} digits)",
            hint=f"pass a str or Decimal such as {f'{value:.15g}'!r}, or round the float first",
        )
    return dec


class Money(PlainValue):
    """An amount of money: ``Decimal`` amount and ISO 4217 currency code.

    Arithmetic between two amounts of different currencies raises
    :class:`~smmkit.errors.CurrencyMismatchError`. Amounts keep the precision they are given;
    :meth:`rounded` rounds to the currency's minor unit (banker's rounding). Amounts are finite
    and below 10^21 in absolute value.

    Floats follow one rule everywhere (``Money.of(9.9, ...)``, ``Money(amount=...)``, a TOML or
    JSON setup file, ``money * 1.1``): read as their shortest ``repr``, and refused when that
    needs more than 15 significant digits (:func:`float_to_decimal`): ``Money.of(0.1 + 0.2,
    "EUR")`` is an error, not ``0.30000000000000004 EUR``. Pass a ``str`` or ``Decimal`` for
    exact amounts.

    A frozen value (an immutable class with ``__slots__``, not a pydantic model, so that engines
    can hand back thousands of amounts cheaply): inside any model it validates from, and dumps
    to, ``{"amount": ..., "currency": ...}``, and it has the model methods (``model_dump``,
    ``model_dump_json``, ``model_validate``, ``model_validate_json``, ``model_json_schema``).
    A bad amount or currency raises :class:`pydantic.ValidationError` naming the field.

    >>> Money.of("12.50", "EUR") + Money.of("0.75", "EUR")
    Money(amount=Decimal('13.25'), currency='EUR')
    >>> Money.of("10.00", "EUR") * 1.1
    Money(amount=Decimal('11.000'), currency='EUR')
    """

    __slots__ = ("amount", "currency")
    if TYPE_CHECKING:  # read-only to the type checker; assignment is refused at run time

        @property
        def amount(self) -> Decimal: ...

        @property
        def currency(self) -> str: ...

    def __init__(self, *, amount: Decimal, currency: str) -> None:
        if (
            type(amount) is Decimal
            and type(currency) is str
            and currency in CURRENCY_MINOR_UNITS
            and amount.is_finite()
            and -MAX_AMOUNT < amount < MAX_AMOUNT
        ):
            checked = (amount, currency)
        else:  # the full checks, with pydantic's errors naming the field
            checked = _ADAPTER.validate_python({"amount": amount, "currency": currency})._values()
        object.__setattr__(self, "amount", checked[0])
        object.__setattr__(self, "currency", checked[1])

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return plain_schema(
            cls,
            {
                "amount": core_schema.no_info_before_validator_function(
                    _check_amount, core_schema.decimal_schema()
                ),
                "currency": core_schema.no_info_before_validator_function(
                    _check_currency, core_schema.str_schema()
                ),
            },
            build=lambda d: cls._make(d["amount"], d["currency"]),
        )

    @classmethod
    def of(cls, amount: Decimal | int | str | float, currency: str) -> Money:
        """Build an amount: ``Money.of("9.90", "EUR")``. A bad amount or currency raises
        :class:`~smmkit.errors.ValidationError` naming the value, the rule and the fix."""
        try:
            return cls(amount=amount, currency=currency)  # type: ignore[arg-type]
        except pydantic.ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            cause = first.get("ctx", {}).get("error")
            if isinstance(cause, ValidationError):
                raise cause from None
            field = str(first["loc"][0]) if first["loc"] else "amount"
            rule = str(first["msg"]).removeprefix("Value error, ")
            raise ValidationError(
                field,
                amount if field == "amount" else currency,
                rule,
                hint=(
                    "give the amount as a str or Decimal, e.g. Money.of('9.90', 'EUR')"
                    if field == "amount"
                    else "use an ISO 4217 code such as EUR, USD or JPY"
                ),
            ) from None

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(amount=Decimal(0), currency=currency)

    @property
    def minor_unit(self) -> int:
        """Decimal places of the currency's minor unit."""
        return CURRENCY_MINOR_UNITS[self.currency]

    @property
    def minor_units(self) -> int:
        """The amount in minor units (cents for EUR), after rounding."""
        return int(self.rounded().amount.scaleb(self.minor_unit))

    @classmethod
    def from_minor_units(cls, units: int, currency: str) -> Money:
        """Build from a count of minor units: ``from_minor_units(1250, "EUR")`` is 12.50."""
        return cls(amount=Decimal(units).scaleb(-CURRENCY_MINOR_UNITS[currency]), currency=currency)

    @classmethod
    def from_minor_units_list(cls, units: Iterable[int], currency: str) -> list[Money]:
        """One amount per count of minor units, built in bulk (for engines that hand back
        thousands of amounts): ``from_minor_units_list([1250, 99], "EUR")`` is 12.50 and 0.99."""
        counts = list(units)
        mu = CURRENCY_MINOR_UNITS[currency]
        limit = 10 ** (21 + mu)  # MAX_AMOUNT in minor units
        # (one call per count: the context converts the int; the exponent is a Decimal, which an
        # int argument would be converted to on every call)
        amounts = list(map(_EXACT.scaleb, counts, repeat(Decimal(-mu))))
        if counts and not -limit < min(counts) <= max(counts) < limit:
            return [cls(amount=a, currency=currency) for a in amounts]  # raises, naming the amount
        out = list(map(_new, repeat(cls, len(amounts))))
        deque(map(_set_amount, out, amounts), maxlen=0)
        deque(map(_set_currency, out, repeat(currency)), maxlen=0)
        return out

    def rounded(self) -> Money:
        """Round to the currency's minor unit (half to even)."""
        quantum = Decimal(1).scaleb(-self.minor_unit)
        with localcontext() as ctx:
            ctx.prec = 60  # amounts are below 10^21: quantize never runs out of digits
            amount = self.amount.quantize(quantum, rounding=ROUND_HALF_EVEN)
        return Money(amount=amount, currency=self.currency)

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatchError(self.currency, other.currency)

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(amount=self.amount + other.amount, currency=self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(amount=self.amount - other.amount, currency=self.currency)

    def __mul__(self, factor: int | Decimal | float) -> Money:
        """Multiply by a number: an ``int``, a ``Decimal`` or a float (read by the float rule of
        :func:`float_to_decimal`: ``money * 1.1`` multiplies by ``Decimal("1.1")``)."""
        if isinstance(factor, bool) or not isinstance(factor, int | Decimal | float):
            return NotImplemented
        exact = float_to_decimal(factor, "factor") if isinstance(factor, float) else factor
        if isinstance(exact, Decimal) and not exact.is_finite():
            raise ValidationError("factor", exact, "must be a finite number")
        with localcontext() as ctx:
            ctx.prec = 60
            amount = self.amount * exact
        return Money(amount=amount, currency=self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(amount=-self.amount, currency=self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.amount >= other.amount

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


_ADAPTER: pydantic.TypeAdapter[Money] = pydantic.TypeAdapter(Money)
_new = object.__new__
# enough digits for every amount below MAX_AMOUNT in minor units (25 digits at most): exact
_EXACT = Context(prec=28, rounding=ROUND_HALF_EVEN)
_set_amount = Money.__dict__["amount"].__set__
_set_currency = Money.__dict__["currency"].__set__
