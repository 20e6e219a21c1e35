"""Pacing: daily budgets over a flight that add up exactly, and re-pacing mid-flight."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Literal

import holidays as holidays_lib
import numpy as np
from pydantic import Field

from smmkit.errors import ValidationError
from smmkit.models import Money, ValueModel, Weekday

from ._allocate import Allocation
from ._inputs import check_day, check_total

__all__ = ["DailyBudget", "PacingPlan", "pace", "repace"]

log = logging.getLogger("smmkit.budget")

Profile = Literal["even", "front_loaded", "back_loaded", "weekday"]


class DailyBudget(ValueModel):
    """One line's budget for one day."""

    day: date
    line: str
    amount: Money
    weight: float = Field(description="The day's pacing weight (relative).")
    holiday: str | None = None


class PacingPlan(ValueModel):
    """Daily budgets per line over ``start .. end`` (both inclusive). Each line's days add up to
    exactly its total, in whole minor units."""

    currency: str
    start: date
    end: date
    profile: Profile
    totals: dict[str, Money]
    days: tuple[DailyBudget, ...]
    notes: tuple[str, ...] = ()
    locale: str = Field(default="en", description="Language of the notes and holiday names.")

    def for_line(self, line: str) -> tuple[DailyBudget, ...]:
        return tuple(d for d in self.days if d.line == line)

    def on(self, day: date) -> dict[str, Money]:
        return {d.line: d.amount for d in self.days if d.day == day}

    def total_on(self, day: date) -> Money:
        total = Money.zero(self.currency)
        for d in self.days:
            if d.day == day:
                total = total + d.amount
        return total


def _split_units(units: int, weights: np.ndarray) -> list[int]:
    """Largest-remainder split of ``units`` by ``weights`` (ties: earlier day first)."""
    if units == 0 or weights.sum() <= 0:
        return [0] * len(weights)
    exact = units * weights / weights.sum()
    base = np.floor(exact).astype(np.int64)
    left = units - int(base.sum())
    order = np.lexsort((np.arange(len(weights)), -(exact - base)))
    for i in order[:left]:
        base[i] += 1
    return [int(v) for v in base]


def _weights(
    days: list[date],
    profile: Profile,
    weekday_weights: Mapping[Weekday, float] | None,
    front_load: float,
    hol: Mapping[date, str],
    holiday_factor: float,
) -> np.ndarray:
    n = len(days)
    if profile in ("front_loaded", "back_loaded"):
        ramp = np.linspace(front_load, 1.0, n) if n > 1 else np.ones(1)
        w = ramp if profile == "front_loaded" else ramp[::-1]
    else:
        w = np.ones(n)
    if profile == "weekday" or weekday_weights:
        ww = weekday_weights or {}
        w = w * np.array([float(ww.get(_weekday(d), 1.0)) for d in days])
    w = w * np.array([holiday_factor if d in hol else 1.0 for d in days])
    return np.asarray(w, dtype=np.float64)


def _weekday(d: date) -> Weekday:
    return Weekday.from_number(d.weekday())


def _check(name: str, value: float) -> None:
    if not value >= 0 or value != value or value == float("inf"):
        raise ValidationError(name, value, "must be a finite number >= 0")


def pace(
    amounts: Mapping[str, Money] | Allocation,
    start: date,
    end: date,
    *,
    profile: Profile = "even",
    weekday_weights: Mapping[Weekday, float] | None = None,
    front_load: float = 2.0,
    country: str | None = None,
    subdiv: str | None = None,
    holiday_factor: float = 0.0,
    locale: str = "en",
) -> PacingPlan:
    """Split each line's amount over the days ``start .. end`` (inclusive).

    Profiles: ``even``; ``front_loaded``/``back_loaded`` (linear ramp, first day ``front_load``
    times the last); ``weekday`` (``weekday_weights``, e.g. from analytics' best days). Public
    holidays of ``country``/``subdiv`` (python-holidays) get ``holiday_factor`` times their weight
    (0 pauses spend). Each line's days sum exactly to its amount in minor units. Holiday names
    and notes are in ``locale``'s language ("Epifania" for ``"it-IT"``) where the catalogs and
    the holidays library have it.
    """
    from smmkit.i18n import localizer

    loc = localizer(locale)
    check_day("start", start)
    check_day("end", end)
    totals = dict(amounts.amounts) if isinstance(amounts, Allocation) else dict(amounts)
    if not totals:
        raise ValidationError("amounts", totals, "pace at least one line")
    for name, money in totals.items():
        check_total(f"amounts[{name!r}]", money)
    if end < start:
        raise ValidationError("end", end.isoformat(), f"must not be before start {start}")
    _check("front_load", front_load)
    _check("holiday_factor", holiday_factor)
    for k, v in (weekday_weights or {}).items():
        _check(f"weekday_weights[{k}]", v)
    currencies = {m.currency for m in totals.values()}
    if len(currencies) != 1:
        raise ValidationError("amounts", sorted(currencies), "all amounts must share a currency")
    cur = currencies.pop()
    for name, m in totals.items():
        if m.amount < 0:
            raise ValidationError(f"amounts[{name}]", str(m), "cannot be negative")
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    hol: dict[date, str] = {}
    if country:
        try:
            cal = holidays_lib.country_holidays(
                country, subdiv=subdiv, years=range(start.year, end.year + 1)
            )
        except NotImplementedError as exc:
            raise ValidationError(
                "country", country, "no holiday calendar for this country"
            ) from exc
        hol = _holiday_names(cal, country, subdiv, start, end, loc.language)
        hol = {d: hol[d] for d in days if d in hol}
    w = _weights(days, profile, weekday_weights, front_load, hol, holiday_factor)
    notes: list[str] = []
    if w.sum() <= 0:
        raise ValidationError(
            "holiday_factor",
            holiday_factor,
            "every day of the flight has zero weight; nothing can be spent",
        )
    if hol:
        notes.append(
            loc._(
                "Public holidays: {days}",
                days=", ".join(f"{loc.day_month(d)} ({n})" for d, n in hol.items()),
            )
        )
    rows: list[DailyBudget] = []
    for name, m in totals.items():
        split = _split_units(m.minor_units, w)
        for d, units, wt in zip(days, split, w, strict=True):
            rows.append(
                DailyBudget(
                    day=d,
                    line=name,
                    amount=Money.from_minor_units(units, cur),
                    weight=float(wt),
                    holiday=hol.get(d),
                )
            )
    return PacingPlan(
        currency=cur,
        start=start,
        end=end,
        profile=profile,
        totals={k: v.rounded() for k, v in totals.items()},
        days=tuple(rows),
        notes=tuple(notes),
        locale=loc.tag,
    )


def _holiday_names(
    cal: holidays_lib.HolidayBase,
    country: str,
    subdiv: str | None,
    start: date,
    end: date,
    language: str,
) -> dict[date, str]:
    """Holiday names in ``language`` where the holidays library translates them."""
    supported = getattr(cal, "supported_languages", ())
    wanted = next((code for code in supported if code.split("_")[0] == language), None)
    if wanted is not None:
        cal = holidays_lib.country_holidays(
            country, subdiv=subdiv, years=range(start.year, end.year + 1), language=wanted
        )
    return {d: str(n) for d, n in cal.items()}


def repace(plan: PacingPlan, spent: Mapping[str, Money], as_of: date) -> PacingPlan:
    """Re-pace from ``as_of`` given what each line actually spent before it.

    What is left of each line's total goes over the remaining days with the plan's weights; a line
    that overspent gets nothing more (and a note).
    """
    check_day("as_of", as_of)
    if not plan.start <= as_of <= plan.end:
        raise ValidationError(
            "as_of", as_of.isoformat(), f"must fall inside the flight {plan.start} .. {plan.end}"
        )
    for name in spent:
        if name not in plan.totals:
            raise ValidationError(
                "spent", name, f"is not a line of the plan ({sorted(plan.totals)})"
            )
    rows: list[DailyBudget] = []
    notes: list[str] = []
    remaining_totals: dict[str, Money] = {}
    for name, total in plan.totals.items():
        s = spent.get(name, Money.zero(plan.currency))
        if s.currency != plan.currency:
            raise ValidationError(f"spent[{name}]", str(s), f"must be in {plan.currency}")
        if s.amount < 0:
            raise ValidationError(f"spent[{name}]", str(s), "cannot be negative")
        left_units = total.minor_units - s.minor_units
        if left_units < 0:
            from smmkit.i18n import localizer

            loc = localizer(plan.locale)
            notes.append(
                loc._(
                    "{line} overspent by {amount}: paused",
                    line=name,
                    amount=loc.currency(Money.from_minor_units(-left_units, plan.currency)),
                )
            )
            left_units = 0
        future = [d for d in plan.for_line(name) if d.day >= as_of]
        w = np.array([d.weight for d in future])
        if w.sum() <= 0:
            w = np.ones(len(future))
        split = _split_units(left_units, w)
        for d, units in zip(future, split, strict=True):
            rows.append(
                d.model_copy(update={"amount": Money.from_minor_units(units, plan.currency)})
            )
        remaining_totals[name] = Money.from_minor_units(left_units, plan.currency)
    rows.sort(key=lambda r: (r.day, list(plan.totals).index(r.line)))
    return PacingPlan(
        currency=plan.currency,
        start=as_of,
        end=plan.end,
        profile=plan.profile,
        totals=remaining_totals,
        days=tuple(rows),
        notes=tuple(notes),
        locale=plan.locale,
    )
