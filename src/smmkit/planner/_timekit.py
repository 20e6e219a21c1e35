"""Local wall-clock time to instants, with daylight-saving gaps and folds handled explicitly."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo

__all__ = ["localize"]


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
