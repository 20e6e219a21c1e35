"""Local wall-clock time to instants, with daylight-saving gaps and folds handled explicitly."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo

from smmkit.errors import ValidationError

__all__ = ["exact_instant", "localize", "rfc5545_wall"]


def localize(day: date, at: time, tz: tzinfo) -> tuple[datetime, str | None]:
    """The instant of local ``day`` ``at`` in ``tz``, and a note when the local time is special.

    - A nonexistent local time (in the spring-forward gap) is moved forward by the length of the
      gap, as RFC 5545 (section 3.3.5) reads such a time: 02:30 on the last Sunday of March in
      Europe/Rome becomes 03:30 CEST.
    - An ambiguous local time (in the autumn fold) takes its first occurrence (``fold=0``, the
      summer-time offset), again as RFC 5545 specifies.
    """
    naive = datetime.combine(day, at)
    first = naive.replace(tzinfo=tz, fold=0)
    back = first.astimezone(UTC).astimezone(tz)
    if back.replace(tzinfo=None) != naive:
        return back, (
            f"{at:%H:%M} does not exist on {day.isoformat()} (clocks go forward); "
            f"moved forward by the gap to {back:%H:%M} {back.tzname()}"
        )
    if first.replace(fold=1).utcoffset() != first.utcoffset():
        return first, (
            f"{at:%H:%M} occurs twice on {day.isoformat()} (clocks go back); the first "
            f"occurrence ({first.tzname()}, fold=0) is used"
        )
    return first, None


def exact_instant(
    moment: datetime, tz: tzinfo, *, field: str = "at"
) -> tuple[datetime, str | None]:
    """``moment`` as an exact instant shown in ``tz``, and a note when its wall time was moved.

    An aware datetime whose wall time does not exist in its own zone (02:30 on the day clocks go
    forward) is read by the :func:`localize` rule: moved forward by the gap, whatever its
    ``fold``. An ambiguous wall time keeps the occurrence its ``fold`` names. The result is
    always a wall time that exists in ``tz``. A naive datetime, or one whose instant lies outside
    the years 1-9999 in UTC, is a :class:`~smmkit.errors.ValidationError` naming ``field``.
    """
    own = moment.tzinfo
    if own is None or moment.utcoffset() is None:
        raise ValidationError(
            field,
            moment,
            "a datetime must be timezone-aware",
            hint="attach a zone, e.g. tzinfo=ZoneInfo('Europe/Rome')",
        )
    note: str | None = None
    try:
        utc = moment.astimezone(UTC)
        if utc.astimezone(own).replace(tzinfo=None) != moment.replace(tzinfo=None):
            utc, why = localize(moment.date(), moment.time(), own)
            note = f"{field}: {why}"
        return utc.astimezone(tz), note
    except OverflowError:
        raise ValidationError(
            field,
            moment.isoformat(),
            "the instant lies outside the years 1-9999 in UTC",
            hint="give a date-time between 0001-01-02 and 9999-12-30",
        ) from None


def rfc5545_wall(instant: datetime, tz: tzinfo) -> datetime | None:
    """``instant``'s wall time in ``tz`` if RFC 5545 reads that wall time (``TZID=``) back as the
    same instant, else ``None`` (the second occurrence of a repeated local time: write it in
    UTC instead)."""
    local = instant.astimezone(tz)
    first, _ = localize(local.date(), local.time(), tz)
    return local if first == instant else None
