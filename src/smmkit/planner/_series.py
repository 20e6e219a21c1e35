"""Series rules: checked up front, expanded over the plan's window with bounded work.

A series rule is one RFC 5545 ``RRULE`` value, expanded by python-dateutil in local wall-clock
time from the plan's first day. Two things could make that expansion unbounded, and both are
handled before dateutil runs:

- a rule far denser than any posting plan (``FREQ=SECONDLY`` is 604,800 occurrences a week): the
  frequency must be daily or coarser, and the expansion stops (with an error) as soon as a
  channel would get more occurrences than its ``daily_cap`` allows over the plan;
- a rule whose day filters match no day at all (``BYMONTH=2;BYMONTHDAY=30``): dateutil would
  scan every day up to the year 9999 looking for one (seconds to minutes). The day filters
  (``BYMONTH``, ``BYMONTHDAY``, ``BYYEARDAY``, ``BYWEEKNO``, ``BYDAY``) are first checked against
  each day of the plan's window (at most 10 years, so at most 3,660 days): no matching day, no
  occurrence, no scan.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from dateutil.rrule import rrulestr

from smmkit.errors import ValidationError

__all__ = ["check_rule", "occurrences"]

_FREQS = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY")
_TOO_DENSE = ("HOURLY", "MINUTELY", "SECONDLY")
_DAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_HINT = (
    "write one RRULE value such as 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;BYMINUTE=30' "
    "(several times a day: 'FREQ=DAILY;BYHOUR=9,13,18')"
)


def _parts(rule: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for piece in rule.upper().split(";"):
        key, _, value = piece.strip().partition("=")
        if key:
            parts[key] = value
    return parts


def check_rule(field: str, rule: str) -> None:
    """Raise :class:`~smmkit.errors.ValidationError` naming ``field`` unless ``rule`` is one
    RRULE value, daily or coarser, that dateutil parses."""
    if len(rule) > 1000:
        raise ValidationError(field, rule, "a series rule is at most 1,000 characters", hint=_HINT)
    if any(c in rule for c in "\r\n:"):
        raise ValidationError(
            field,
            rule,
            "a series rule is one RRULE value; DTSTART, 'RRULE:' and other properties are not "
            "taken (the series starts with the plan, in each channel's local time)",
            hint="remove the DTSTART line and the 'RRULE:' prefix; " + _HINT,
        )
    parts = _parts(rule)
    freq = parts.get("FREQ")
    if freq in _TOO_DENSE:
        raise ValidationError(
            field,
            rule,
            f"FREQ={freq} cannot be meant for a posting series (FREQ=SECONDLY is 604,800 "
            "posts a week); a series repeats daily at most",
            hint=_HINT,
        )
    if freq not in _FREQS:
        raise ValidationError(
            field, rule, f"FREQ must be one of {', '.join(_FREQS)} (got {freq!r})", hint=_HINT
        )
    until = parts.get("UNTIL", "")
    if until.endswith("Z"):
        raise ValidationError(
            field,
            rule,
            "UNTIL must be a local date or date-time without 'Z': the rule is expanded in each "
            "channel's wall-clock time",
            hint=f"write UNTIL={until[:-1]}",
        )
    try:
        rrulestr(rule, dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValidationError(
            field, rule, f"is not an RFC 5545 RRULE ({exc})", hint=_HINT
        ) from None


def _ints(value: str | None) -> set[int] | None:
    if not value:
        return None
    return {int(v) for v in value.split(",") if v.strip()}


def _any_day_matches(rule: str, first: date, end: date) -> bool:
    parts = _parts(rule)
    months = _ints(parts.get("BYMONTH"))
    monthdays = _ints(parts.get("BYMONTHDAY"))
    yeardays = _ints(parts.get("BYYEARDAY"))
    weeknos = _ints(parts.get("BYWEEKNO"))
    weekdays = (
        {_DAYS[v.strip()[-2:]] for v in parts["BYDAY"].split(",") if v.strip()[-2:] in _DAYS}
        if parts.get("BYDAY")
        else None
    )
    day = first
    while day < end:
        if months is not None and day.month not in months:
            day += timedelta(days=1)
            continue
        dim = calendar.monthrange(day.year, day.month)[1]
        diy = 366 if calendar.isleap(day.year) else 365
        yday = day.timetuple().tm_yday
        week = day.isocalendar().week
        weeks = date(day.year, 12, 28).isocalendar().week
        if (
            (monthdays is None or day.day in monthdays or day.day - dim - 1 in monthdays)
            and (yeardays is None or yday in yeardays or yday - diy - 1 in yeardays)
            and (weeknos is None or week in weeknos or week - weeks - 1 in weeknos)
            and (weekdays is None or day.weekday() in weekdays)
        ):
            return True
        day += timedelta(days=1)
    return False


def occurrences(rule: str, first: date, end: date, limit: int) -> Iterator[datetime]:
    """The rule's local wall-clock occurrences in ``[first, end)``, in order, expanded from
    ``first``; raises :class:`ValueError` once more than ``limit`` would be produced (the caller
    turns it into an error naming the series and the channel). A rule without ``BYHOUR`` posts
    at 09:00. Work: O(days of the window + occurrences)."""
    text = rule if "BYHOUR" in rule.upper() else rule + ";BYHOUR=9"
    if "BYEASTER" not in text.upper() and not _any_day_matches(text, first, end):
        return
    start = datetime.combine(first, time())
    stop = datetime.combine(end, time())
    for count, naive in enumerate(rrulestr(text, dtstart=start, forceset=True), start=1):
        if naive >= stop:
            return
        if count > limit:
            raise ValueError(limit)
        yield naive
