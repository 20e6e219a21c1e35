"""Public holidays (through the ``holidays`` library) and marketing dates (as extensible data).

Marketing dates are described by :class:`MarketingRule` values, so a caller adds their own dates
without code: a fixed day of the year, a day relative to Western Easter (``dateutil.easter``), the
n-th (or last) weekday of a month, or the Italian seasonal sales rule.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Literal

import holidays as _holidays
from dateutil.easter import easter
from pydantic import Field, model_validator

from smmkit.errors import ValidationError
from smmkit.models import ValueModel

__all__ = [
    "DEFAULT_MARKETING_RULES",
    "MarketingDate",
    "MarketingRule",
    "marketing_dates",
    "public_holidays",
]

RuleKind = Literal["fixed", "easter", "nth_weekday", "saldi_winter", "saldi_summer"]


class MarketingRule(ValueModel):
    """A yearly marketing date, described as data.

    ``kind``:

    - ``"fixed"``: ``month``/``day`` every year (Valentine's Day: 2/14).
    - ``"easter"``: ``offset`` days from Western Easter Sunday (UK Mothering Sunday: -21).
    - ``"nth_weekday"``: the ``n``-th ``weekday`` (0 = Monday) of ``month``; ``n = -1`` is the last
      (Italian Mother's Day: 2nd Sunday of May; Black Friday: the day after the 4th Thursday of
      November, i.e. ``n=4, weekday=3, offset=1``).
    - ``"saldi_winter"`` / ``"saldi_summer"``: the Italian seasonal sales (see
      :data:`DEFAULT_MARKETING_RULES`).

    ``countries`` limits the rule to ISO 3166 countries (empty: everywhere); ``days`` is how many
    days the moment lasts.
    """

    key: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    names: dict[str, str] = Field(min_length=1, description="Language → display name.")
    kind: RuleKind
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    weekday: int | None = Field(default=None, ge=0, le=6)
    n: int | None = Field(default=None, ge=-1, le=5)
    offset: int = Field(default=0, ge=-366, le=366)
    days: int = Field(default=1, ge=1, le=120)
    countries: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _complete(self) -> MarketingRule:
        if self.kind == "fixed" and (self.month is None or self.day is None):
            raise ValueError("a 'fixed' rule needs month and day")
        if self.kind == "nth_weekday" and (
            self.month is None or self.weekday is None or self.n in (None, 0)
        ):
            raise ValueError("an 'nth_weekday' rule needs month, weekday and n (1-5 or -1)")
        return self

    def name(self, language: str) -> str:
        """The display name in a language (falling back to English, then any)."""
        lang = language.split("-")[0].lower()
        return self.names.get(lang) or self.names.get("en") or next(iter(self.names.values()))

    def occurrence(self, year: int) -> date | None:
        """The first day of the moment in ``year`` (``None`` if the rule has none that year)."""
        if self.kind == "fixed":
            assert self.month is not None and self.day is not None
            if self.day > calendar.monthrange(year, self.month)[1]:
                return None
            first = date(year, self.month, self.day)
        elif self.kind == "easter":
            first = easter(year)
        elif self.kind == "nth_weekday":
            assert self.month is not None and self.weekday is not None and self.n is not None
            nth = _nth_weekday(year, self.month, self.weekday, self.n)
            if nth is None:
                return None
            first = nth
        elif self.kind == "saldi_winter":
            # The first working day (Saturdays are working days in Italy) before Epiphany.
            first = date(year, 1, 5)
            if first.weekday() == 6:
                first -= timedelta(days=1)
        else:  # saldi_summer: the first Saturday of July
            first = _nth_weekday(year, 7, 5, 1) or date(year, 7, 1)
        return first + timedelta(days=self.offset)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date | None:
    days_in_month = calendar.monthrange(year, month)[1]
    if n == -1:
        last = date(year, month, days_in_month)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    result = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    return result if result.month == month else None


class MarketingDate(ValueModel):
    """One occurrence of a marketing moment: ``start`` to ``end`` inclusive."""

    key: str
    name: str
    start: date
    end: date

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


def _rule(key: str, it: str, en: str, kind: RuleKind, **kw: object) -> MarketingRule:
    return MarketingRule.model_validate(
        {"key": key, "names": {"it": it, "en": en}, "kind": kind, **kw}
    )


DEFAULT_MARKETING_RULES: tuple[MarketingRule, ...] = (
    _rule("valentines-day", "San Valentino", "Valentine's Day", "fixed", month=2, day=14),
    _rule("easter", "Pasqua", "Easter", "easter"),
    _rule(
        "mothers-day-it",
        "Festa della mamma",
        "Mother's Day (Italy)",
        "nth_weekday",
        month=5,
        weekday=6,
        n=2,
        countries=("IT",),
    ),
    _rule(
        "mothering-sunday-uk",
        "Festa della mamma (UK)",
        "Mothering Sunday",
        "easter",
        offset=-21,
        countries=("GB",),
    ),
    _rule(
        "mothers-day-us",
        "Festa della mamma (USA)",
        "Mother's Day (US)",
        "nth_weekday",
        month=5,
        weekday=6,
        n=2,
        countries=("US", "CA"),
    ),
    _rule(
        "black-friday",
        "Black Friday",
        "Black Friday",
        "nth_weekday",
        month=11,
        weekday=3,
        n=4,
        offset=1,
    ),
    _rule(
        "cyber-monday",
        "Cyber Monday",
        "Cyber Monday",
        "nth_weekday",
        month=11,
        weekday=3,
        n=4,
        offset=4,
    ),
    _rule(
        "saldi-invernali",
        "Saldi invernali",
        "Winter sales (Italy)",
        "saldi_winter",
        days=60,
        countries=("IT",),
    ),
    _rule(
        "saldi-estivi",
        "Saldi estivi",
        "Summer sales (Italy)",
        "saldi_summer",
        days=60,
        countries=("IT",),
    ),
    _rule("christmas", "Natale", "Christmas", "fixed", month=12, day=25),
    _rule("christmas-eve", "Vigilia di Natale", "Christmas Eve", "fixed", month=12, day=24),
)
"""smmkit's default marketing moments.

Sources: Easter from ``dateutil.easter`` (Western). Italian Mother's Day is the second Sunday of
May; the UK's Mothering Sunday is the fourth Sunday of Lent (Easter − 21 days). Black Friday is the
day after US Thanksgiving (fourth Thursday of November). The Italian seasonal sales ("saldi") follow
the agreement of the Conferenza delle Regioni e delle Province autonome (24 March 2011): winter
sales start on the first working day before Epiphany (5 January, or 4 January when the 5th is a
Sunday), summer sales on the first Saturday of July. Regions may deviate (Sicily, Basilicata and
Valle d'Aosta have started on 2 January in some years; Bolzano sets them by district), so pass a
``MarketingRule`` of kind ``"fixed"`` for a regional date. ``days=60`` is the usual maximum length;
regional end dates vary.
"""


def marketing_dates(
    first: date,
    last: date,
    *,
    country: str | None = None,
    language: str = "en",
    rules: Iterable[MarketingRule] = DEFAULT_MARKETING_RULES,
) -> tuple[MarketingDate, ...]:
    """The marketing moments overlapping ``first``..``last`` (inclusive), sorted by start.

    Complexity: O(rules × years).
    """
    found: list[MarketingDate] = []
    for rule in rules:
        if rule.countries and (country is None or country not in rule.countries):
            continue
        for year in range(first.year - 1, last.year + 1):
            start = rule.occurrence(year)
            if start is None:
                continue
            end = start + timedelta(days=rule.days - 1)
            if end >= first and start <= last:
                found.append(
                    MarketingDate(key=rule.key, name=rule.name(language), start=start, end=end)
                )
    return tuple(sorted(found, key=lambda m: (m.start, m.key)))


def public_holidays(
    country: str,
    years: Sequence[int],
    *,
    region: str | None = None,
    language: str = "en",
) -> dict[date, str]:
    """Public holidays of a country (and a subdivision, e.g. ``IT``/``BO``) for some years.

    Names are in Italian for ``language="it"`` where the ``holidays`` library has them. Raises
    :class:`~smmkit.errors.ValidationError` naming ``country`` or ``region`` when the ``holidays``
    library does not know it.
    """
    try:
        entity = _holidays.country_holidays(country, subdiv=region, years=list(years))
    except NotImplementedError as exc:
        if region is not None and "subdivision" in str(exc):
            known = ", ".join(sorted(_holidays.list_supported_countries().get(country, [])))
            raise ValidationError(
                "region",
                region,
                f"the holidays library knows no subdivision {region!r} of {country}",
                hint=f"use one of: {known}" if known else None,
            ) from exc
        raise ValidationError(
            "country",
            country,
            "the holidays library knows no such country (ISO 3166-1 alpha-2)",
            hint="use a code such as 'IT', 'GB' or 'US'",
        ) from exc
    lang = language.split("-")[0].lower()
    translated: dict[date, str] = {}
    supported = getattr(entity, "supported_languages", ())
    wanted = next((code for code in supported if code.split("_")[0] == lang), None)
    if wanted is not None:
        localized = _holidays.country_holidays(
            country, subdiv=region, years=list(years), language=wanted
        )
        translated = {day: str(name) for day, name in localized.items()}
    return {day: translated.get(day, str(name)) for day, name in sorted(entity.items())}
