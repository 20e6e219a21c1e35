"""Bad values given to the planner: a smmkit error naming value, rule and fix; bounded work."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from smmkit.errors import ValidationError
from smmkit.planner import FixedPost, PlanRequest, Series, plan, to_ics
from smmkit.planner._series import occurrences
from smmkit.setup import Setup, load_setup

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def setup() -> Setup:
    return load_setup(ROOT / "examples" / "forno_aurora.toml")


def _request(setup: Setup, **changes: object) -> PlanRequest:
    fields: dict[str, object] = {"start": date(2026, 11, 30), "weeks": 2, **changes}
    # Bad values on purpose: they come in as data, as from a settings file.
    return PlanRequest.model_validate({"brand": setup.brand, "channels": setup.channels, **fields})


def test_a_plan_in_the_year_9999_is_refused_before_it_is_exported(setup: Setup) -> None:
    with pytest.raises(ValidationError) as info:
        plan(_request(setup, start=date(9999, 12, 1), weeks=4))
    err = info.value
    assert err.field == "end" and "9998-12-31" in err.rule and err.hint
    # the last plan that fits is exported
    last = plan(_request(setup, start=date(9998, 12, 3), weeks=4))
    assert b"BEGIN:VEVENT" in to_ics(last, stamp=datetime(2026, 12, 1, tzinfo=UTC))


def test_a_fixed_post_beyond_the_calendar_is_refused(setup: Setup) -> None:
    late = datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-12)))
    with pytest.raises(ValidationError) as info:
        plan(_request(setup, fixed=(FixedPost(channel="instagram", at=late),)))
    assert info.value.field == "fixed[0].at"
    assert "outside the years 1-9999" in info.value.rule and info.value.hint


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("DTSTART:20261130T090000Z\nRRULE:FREQ=WEEKLY", "one RRULE value"),
        ("RRULE:FREQ=WEEKLY", "one RRULE value"),
        ("FREQ=SECONDLY", "FREQ=SECONDLY cannot be meant"),
        ("FREQ=MINUTELY;INTERVAL=5", "FREQ=MINUTELY cannot be meant"),
        ("FREQ=HOURLY", "FREQ=HOURLY cannot be meant"),
        ("FREQ=WEEKLY;UNTIL=20261231T000000Z", "without 'Z'"),
        ("BYDAY=MO", "FREQ must be one of"),
        ("FREQ=WEEKLY;BYDAY=XX", "is not an RFC 5545 RRULE"),
    ],
)
def test_bad_series_rules_are_named(setup: Setup, rule: str, expected: str) -> None:
    series = Series(key="s", name="S", rule=rule, channels=("instagram",))
    with pytest.raises(ValidationError) as info:
        plan(_request(setup, series=(series,)))
    assert info.value.field == "series[0].rule"
    assert expected in info.value.rule and info.value.hint


def test_a_series_denser_than_the_daily_cap_is_refused(setup: Setup) -> None:
    hours = ",".join(str(h) for h in range(24))
    series = Series(key="s", name="S", rule=f"FREQ=DAILY;BYHOUR={hours}", channels=("instagram",))
    with pytest.raises(ValidationError) as info:
        plan(_request(setup, series=(series,)))
    assert "daily_cap" in info.value.rule and info.value.hint


def test_a_rule_that_matches_no_day_gives_nothing_without_scanning() -> None:
    # dateutil alone scans every day up to the year 9999 for these (10-20 s each)
    for rule in (
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=WEEKLY;BYMONTH=4;BYMONTHDAY=31",
        "FREQ=DAILY;BYYEARDAY=366;BYMONTH=1",
    ):
        assert list(occurrences(rule, date(2026, 1, 1), date(2036, 1, 1), 10_000)) == []
    # the same filters on a day that exists are found
    feb29 = list(
        occurrences("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", date(2026, 1, 1), date(2030, 1, 1), 9)
    )
    assert [d.date() for d in feb29] == [date(2028, 2, 29)]
    last = list(
        occurrences("FREQ=MONTHLY;BYMONTHDAY=-1;BYHOUR=18", date(2026, 1, 1), date(2026, 4, 1), 9)
    )
    assert [d.isoformat() for d in last] == [
        "2026-01-31T18:00:00",
        "2026-02-28T18:00:00",
        "2026-03-31T18:00:00",
    ]
    weekly = list(occurrences("FREQ=WEEKLY;BYDAY=MO,TH", date(2026, 11, 30), date(2026, 12, 14), 9))
    assert [d.day for d in weekly] == [30, 3, 7, 10] and all(d.hour == 9 for d in weekly)
