"""Business hours: response times and ages count open time only."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.community import AgeBucket, BusinessHours, CommunitySettings, response_times
from smmkit.models import InboxMessage, Platform, Weekday
from smmkit.planner import public_holidays

ROME = ZoneInfo("Europe/Rome")
HOURS = BusinessHours.weekdays("09:00", "18:00", timezone="Europe/Rome")


def test_a_weekend_does_not_count() -> None:
    friday_evening = datetime(2026, 3, 13, 19, 0, tzinfo=ROME)
    monday_930 = datetime(2026, 3, 16, 9, 30, tzinfo=ROME)
    assert HOURS.open_seconds(friday_evening, monday_930) == 30 * 60
    assert HOURS.open_seconds(monday_930, friday_evening) == 0
    # Friday 17:00 to Monday 10:00: one hour on Friday, one on Monday
    assert (
        HOURS.open_seconds(
            datetime(2026, 3, 13, 17, 0, tzinfo=ROME), datetime(2026, 3, 16, 10, 0, tzinfo=ROME)
        )
        == 2 * 3600
    )


def test_windows_as_text_and_bad_windows() -> None:
    hours = BusinessHours.model_validate(
        {"timezone": "Europe/Rome", "hours": {"sat": "10:00-13:00"}}
    )
    assert list(hours.hours) == [Weekday.SAT]
    with pytest.raises(ValueError, match="closing must be"):
        BusinessHours.model_validate({"timezone": "Europe/Rome", "hours": {"mon": "18:00-09:00"}})
    with pytest.raises(ValueError, match="09:00-18:00"):
        BusinessHours.model_validate({"timezone": "Europe/Rome", "hours": {"mon": "9 to 6"}})
    with pytest.raises(ValueError, match=r"Europe/Roma"):
        BusinessHours.model_validate({"timezone": "Europe/Roma", "hours": {"mon": "09:00-18:00"}})


def test_a_dst_change_counts_real_seconds() -> None:
    # Rome moves to summer time on Sunday 29 March 2026 at 02:00; a window over the change
    night = BusinessHours.model_validate(
        {"timezone": "Europe/Rome", "hours": {"sun": "01:00-04:00"}}
    )
    start = datetime(2026, 3, 29, 0, 0, tzinfo=ROME)
    assert night.open_seconds(start, start + timedelta(hours=6)) == 2 * 3600


def _brute(hours: BusinessHours, start: datetime, end: datetime) -> float:
    """Open seconds, a day at a time with no shortcut (the reference)."""
    return hours._days(
        start.astimezone(ROME),
        end.astimezone(ROME),
        start.astimezone(ROME).date(),
        end.astimezone(ROME).date(),
    )


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=0, max_value=400 * 24 * 60),
    st.integers(min_value=0, max_value=200 * 24 * 60),
)
def test_skipping_whole_weeks_gives_the_same_as_walking_every_day(
    offset_minutes: int, length_minutes: int
) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=offset_minutes)
    end = start + timedelta(minutes=length_minutes)
    fast = HOURS.open_seconds(start, end)
    # exact: the daytime windows never cross a DST change, so a week's open time is constant
    assert fast == _brute(HOURS, start, end)
    assert 0 <= fast <= (end - start).total_seconds()


def test_response_times_in_business_hours() -> None:
    def msg(ident: str, when: datetime, *, to: str | None = None) -> InboxMessage:
        return InboxMessage(
            channel="ig",
            platform=Platform.INSTAGRAM,
            message_id=ident,
            thread_id="p",
            in_reply_to=to,
            author="x",
            text="...",
            created_at=when,
            from_brand=to is not None,
        )

    friday_evening = datetime(2026, 3, 13, 19, 0, tzinfo=ROME)
    monday = datetime(2026, 3, 16, 9, 30, tzinfo=ROME)
    messages = [
        msg("a", friday_evening),
        msg("ra", monday, to="a"),
        msg("b", friday_evening),  # still waiting on Monday at 9:30: 30 open minutes
    ]
    plain = response_times(messages, now=monday).total
    assert plain.first_response_median_seconds == (monday - friday_evening).total_seconds()
    assert plain.backlog_by_age[AgeBucket.FROM_1D_TO_3D] == 1
    open_only = response_times(messages, now=monday, business_hours=HOURS).total
    assert open_only.first_response_median_seconds == 30 * 60
    assert open_only.backlog_by_age[AgeBucket.UNDER_1H] == 1


# -- closed days: public holidays (the planner's calendar) and the brand's own closures -------

HOLIDAY_HOURS = BusinessHours.weekdays(
    "09:00",
    "18:00",
    timezone="Europe/Rome",
    country="IT",
    closed=[date(2026, 8, 14), date(2027, 1, 7), date(2026, 12, 31)],
)


def test_christmas_does_not_count_in_italy_nor_boxing_day_in_england() -> None:
    christmas_eve = datetime(2026, 12, 24, 17, 0, tzinfo=ROME)  # a Thursday
    monday_930 = datetime(2026, 12, 28, 9, 30, tzinfo=ROME)
    # Thursday 1 h + Friday 9 h + Monday 30 min without holidays
    assert HOURS.open_seconds(christmas_eve, monday_930) == 10.5 * 3600
    italy = BusinessHours.weekdays("09:00", "18:00", timezone="Europe/Rome", country="IT")
    assert italy.open_seconds(christmas_eve, monday_930) == 1.5 * 3600  # 25 Dec is closed
    london = ZoneInfo("Europe/London")
    england = BusinessHours.weekdays(
        "09:00", "18:00", timezone="Europe/London", country="GB", region="ENG"
    )
    eve, tuesday = datetime(2026, 12, 24, 17, 0, tzinfo=london), datetime(2026, 12, 29, 9, 30)
    # 26 Dec is a Saturday: Boxing Day is observed on Monday 28
    assert england.open_seconds(eve, tuesday.replace(tzinfo=london)) == 1.5 * 3600


def test_the_closed_days_are_the_planners_holidays_and_the_declared_ones() -> None:
    year = [date(2026, 1, 1) + timedelta(days=n) for n in range(365)]
    closed = {d for d in year if HOLIDAY_HOURS.is_closed(d)}
    assert closed == set(public_holidays("IT", [2026])) | {date(2026, 8, 14), date(2026, 12, 31)}
    ferragosto_eve = datetime(2026, 8, 13, 17, 0, tzinfo=ROME)  # Thursday; 14th closed, 15th Sat
    assert HOLIDAY_HOURS.open_seconds(ferragosto_eve, ferragosto_eve + timedelta(days=4)) == (
        3600 + 8 * 3600  # Thursday 17-18, Monday 9-17
    )


def test_bad_holiday_calendars_are_refused_with_the_field() -> None:
    with pytest.raises(ValueError, match="country"):
        BusinessHours.weekdays("09:00", "18:00", timezone="Europe/Rome", country="XX")
    with pytest.raises(ValueError, match="region"):
        BusinessHours.weekdays("09:00", "18:00", timezone="Europe/Rome", country="IT", region="ZZ")
    with pytest.raises(ValueError, match="needs a country"):
        BusinessHours.weekdays("09:00", "18:00", timezone="Europe/Rome", region="BO")
    hours = BusinessHours.model_validate(
        {
            "timezone": "Europe/Rome",
            "hours": {"mon": "09:00-18:00"},
            "closed": ["2026-12-31", "2026-08-14", "2026-12-31"],
        }
    )
    assert hours.closed == (date(2026, 8, 14), date(2026, 12, 31))


def _reference(hours: BusinessHours, start: datetime, end: datetime) -> float:
    """Open seconds, a day at a time, closed days read from the planner's calendar and the
    declared list here (not through ``BusinessHours``)."""
    closed = set(hours.closed)
    assert hours.country is not None
    closed |= set(public_holidays(hours.country, range(start.year - 1, end.year + 2)))
    a, b = start.astimezone(ROME), end.astimezone(ROME)
    total, day = 0.0, a.date()
    while day <= b.date():
        window = hours.hours.get(Weekday.from_number(day.weekday()))
        if window is not None and day not in closed:
            lo = max(a, datetime.combine(day, window[0], tzinfo=ROME))
            hi = min(b, datetime.combine(day, window[1], tzinfo=ROME))
            total += max(0.0, (hi - lo).total_seconds())
        day += timedelta(days=1)
    return total


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=0, max_value=700 * 24 * 60),
    st.integers(min_value=0, max_value=400 * 24 * 60),
)
def test_skipping_whole_weeks_skips_their_closed_days_too(
    offset_minutes: int, length_minutes: int
) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=offset_minutes)
    end = start + timedelta(minutes=length_minutes)
    fast = HOLIDAY_HOURS.open_seconds(start, end)
    assert fast == _reference(HOLIDAY_HOURS, start, end)
    assert fast <= HOURS.open_seconds(start, end)


def test_the_setups_business_hours_take_a_country_and_closed_days() -> None:
    table = tomllib.loads(
        """
        [community.business_hours]
        timezone = "Europe/Rome"
        country = "IT"
        region = "BO"
        hours = { tue = "07:00-19:00", sat = "07:00-13:00" }
        closed = [2026-08-18]
        """
    )
    hours = CommunitySettings.model_validate(table["community"]).business_hours
    assert hours is not None and (hours.country, hours.region) == ("IT", "BO")
    assert hours.is_closed(date(2026, 10, 4))  # San Petronio, Bologna's patron (a Sunday)
    assert hours.is_closed(date(2026, 8, 18)) and not hours.is_closed(date(2026, 8, 25))
    assert BusinessHours.model_validate_json(hours.model_dump_json()) == hours
