"""Business hours: response times and ages count open time only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.community import AgeBucket, BusinessHours, response_times
from smmkit.models import InboxMessage, Platform, Weekday

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
