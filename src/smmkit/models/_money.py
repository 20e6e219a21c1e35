"""Money: a ``Decimal`` amount with an ISO 4217 currency."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from pydantic import field_validator

from smmkit.errors import CurrencyMismatchError

from ._base import ValueModel

__all__ = ["CURRENCY_MINOR_UNITS", "Money", "minor_unit"]

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


class Money(ValueModel):
    """An amount of money: ``Decimal`` amount and ISO 4217 currency code.

    Arithmetic between two amounts of different currencies raises
    :class:`~smmkit.errors.CurrencyMismatchError`. Amounts keep the precision they are given;
    :meth:`rounded` rounds to the currency's minor unit (banker's rounding).

    >>> Money.of("12.50", "EUR") + Money.of("0.75", "EUR")
    Money(amount=Decimal('13.25'), currency='EUR')
    """

    amount: Decimal
    currency: str

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Any:
        if isinstance(value, float):
            # Go through repr so that 0.1 becomes Decimal("0.1"), not its binary expansion.
            value = repr(value)
        if isinstance(value, str | Decimal):
            try:
                dec = Decimal(value)
            except InvalidOperation as exc:
                raise ValueError(f"{value!r} is not a decimal number") from exc
            if not dec.is_finite():
                raise ValueError("the amount must be a finite number")
            return dec
        return value

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, value: Any) -> Any:
        if isinstance(value, str):
            code = value.strip().upper()
            if code not in CURRENCY_MINOR_UNITS:
                raise ValueError(
                    f"{value!r} is not an active ISO 4217 currency code (such as EUR, USD, GBP)"
                )
            return code
        return value

    @classmethod
    def of(cls, amount: Decimal | int | str | float, currency: str) -> Money:
        """Build an amount: ``Money.of("9.90", "EUR")``."""
        return cls(amount=amount, currency=currency)  # type: ignore[arg-type]

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

    def rounded(self) -> Money:
        """Round to the currency's minor unit (half to even)."""
        quantum = Decimal(1).scaleb(-self.minor_unit)
        return Money(
            amount=self.amount.quantize(quantum, rounding=ROUND_HALF_EVEN), currency=self.currency
        )

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

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, float):
            raise TypeError("multiply Money by an int or a Decimal, not a float")
        return Money(amount=self.amount * factor, currency=self.currency)

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
