"""Calendars exact across daylight saving, New York and Rome across the 2026 changes.

Every check compares instants (``astimezone(UTC)``): two datetimes of one zone compare by their
wall clocks in Python, ignoring ``fold``, so a zone-local equality cannot see an hour's error.
The ``.ics`` is read back by three parsers: smmkit's own ``from_ics`` (over ``icalendar``), and
the independent ``vobject`` and ``ical``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream

from smmkit.models import (
    Brand,
    Cadence,
    Campaign,
    Channel,
    ContentPillar,
    Objective,
    Platform,
    PostingWindow,
    Weekday,
)
from smmkit.planner import (
    EditorialCalendar,
    FixedPost,
    PlanRequest,
    Slot,
    from_csv,
    from_ics,
    from_json,
    move,
    plan,
    to_csv,
    to_ics,
    to_json,
)

NY = ZoneInfo("America/New_York")
ROME = ZoneInfo("Europe/Rome")
STAMP = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
QUARTER = timedelta(minutes=15)

BRAND = Brand(
    name="Due Città",
    locales=("en",),
    timezone="Europe/Rome",
    pillars=(ContentPillar(key="news", name="News", share=1.0),),
)


def _channel(key: str, tz: str) -> Channel:
    return Channel(
        key=key,
        platform="sandbox",
        handle=key,
        timezone=tz,
        cadence=Cadence(posts_per_week=3, min_spacing=timedelta(minutes=30), daily_cap=4),
        windows=(PostingWindow(start=time(9), end=time(12)),),
    )


CHANNELS = (_channel("ny", "America/New_York"), _channel("rome", "Europe/Rome"))

# The second occurrence of a repeated local time, and a start whose 15 minutes cross the change.
NY_SECOND = datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NY)  # 01:30 EST = 06:30Z
NY_ACROSS = datetime(2026, 11, 1, 1, 50, tzinfo=NY)  # 01:50 EDT = 05:50Z, ends 01:05 EST
ROME_SECOND = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=ROME)  # 02:30 CET = 01:30Z
ROME_ACROSS = datetime(2026, 10, 25, 2, 50, tzinfo=ROME)  # 02:50 CEST = 00:50Z, ends 02:05 CET


@pytest.fixture(scope="module")
def autumn() -> EditorialCalendar:
    request = PlanRequest(
        brand=BRAND,
        channels=CHANNELS,
        start=date(2026, 10, 19),
        weeks=3,
        holidays_as_blackout=False,
        default_marketing_dates=False,
        fixed=(
            FixedPost(channel="ny", at=NY_SECOND, title="second 01:30"),
            FixedPost(channel="ny", at=NY_ACROSS, title="across the change"),
            FixedPost(channel="rome", at=ROME_SECOND, title="second 02:30"),
            FixedPost(channel="rome", at=ROME_ACROSS, title="across the change"),
        ),
    )
    return plan(request)


def _utc(value: date | None) -> datetime:
    assert isinstance(value, datetime) and value.tzinfo is not None
    return value.astimezone(UTC)


def _by_title(calendar: EditorialCalendar, channel: str, title: str) -> datetime:
    return next(s.utc for s in calendar.slots if s.channel == channel and s.title == title)


def test_fixed_posts_keep_their_exact_instants(autumn: EditorialCalendar) -> None:
    assert _by_title(autumn, "ny", "second 01:30") == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert _by_title(autumn, "ny", "across the change") == datetime(2026, 11, 1, 5, 50, tzinfo=UTC)
    assert _by_title(autumn, "rome", "second 02:30") == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert _by_title(autumn, "rome", "across the change") == datetime(
        2026, 10, 25, 0, 50, tzinfo=UTC
    )


def test_the_second_occurrence_is_written_in_utc(autumn: EditorialCalendar) -> None:
    text = to_ics(autumn, stamp=STAMP).decode().replace("\r\n ", "")
    assert "DTSTART:20261101T063000Z" in text
    assert "DTSTART:20261025T013000Z" in text
    # the event crossing the change ends at the second 01:05 / 02:05: also written in UTC
    assert "DTSTART:20261101T055000Z" in text and "DTEND:20261101T060500Z" in text
    assert "DTSTART:20261025T005000Z" in text and "DTEND:20261025T010500Z" in text
    # ordinary slots keep the channel's zone
    assert "DTSTART;TZID=America/New_York:" in text and "DTSTART;TZID=Europe/Rome:" in text
    # no local time RFC 5545 would read as another instant: each TZID start is unambiguous
    for zone_name, wall in re.findall(r"DTSTART;TZID=([^:]+):(\d{8}T\d{6})", text):
        naive = datetime.strptime(wall, "%Y%m%dT%H%M%S")
        tz = ZoneInfo(zone_name)
        assert (
            naive.replace(tzinfo=tz, fold=0).utcoffset()
            == naive.replace(tzinfo=tz, fold=1).utcoffset()
        )


def _vobject_instants(data: bytes) -> dict[str, tuple[datetime, datetime]]:
    vobject.icalendar.__dict__["__tzidMap"].clear()  # vobject caches VTIMEZONEs per process
    parsed = vobject.readOne(data.decode("utf-8"))
    return {
        str(e.uid.value): (_utc(e.dtstart.value), _utc(e.dtend.value)) for e in parsed.vevent_list
    }


def _ical_instants(data: bytes) -> dict[str, tuple[datetime, datetime]]:
    parsed = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    return {str(e.uid): (_utc(e.dtstart), _utc(e.dtend)) for e in parsed.events}


def test_two_independent_parsers_read_the_same_instants(autumn: EditorialCalendar) -> None:
    data = to_ics(autumn, stamp=STAMP)
    expected = {f"{s.id}@smmkit": (s.utc, s.utc + QUARTER) for s in autumn.slots}
    assert len(expected) == len(autumn.slots) > 4
    assert _vobject_instants(data) == expected
    assert _ical_instants(data) == expected
    # every event lasts 15 minutes on the time line, the ones across the change included
    assert all(end - start == QUARTER for start, end in _vobject_instants(data).values())


def test_round_trips_keep_instants(autumn: EditorialCalendar) -> None:
    for back in (
        from_ics(to_ics(autumn, stamp=STAMP), template=autumn),
        from_csv(to_csv(autumn), template=autumn),
        from_json(to_json(autumn)),
    ):
        assert [(s.id, s.utc) for s in back.slots] == [(s.id, s.utc) for s in autumn.slots]
        assert [s.start.utcoffset() for s in back.slots] == [
            s.start.utcoffset() for s in autumn.slots
        ]
        assert all(s.timezone == str(s.start.tzinfo) for s in back.slots)


def test_from_ics_honours_the_instant_smmkit_wrote() -> None:
    calendar = _one_slot(NY_SECOND)
    text = to_ics(calendar, stamp=STAMP).decode()
    assert "X-SMMKIT-START-UTC:20261101T063000Z" in text
    # a file with the second 01:30 under TZID (as older smmkit wrote it): the exact instant wins
    old = text.replace("DTSTART:20261101T063000Z", "DTSTART;TZID=America/New_York:20261101T013000")
    assert "DTSTART;TZID" in old
    assert from_ics(old).slots[0].utc == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    # the event was moved in another application (DTSTART is another local time): DTSTART wins
    edited = text.replace(
        "DTSTART:20261101T063000Z", "DTSTART;TZID=America/New_York:20261101T093000"
    )
    assert from_ics(edited).slots[0].utc == datetime(2026, 11, 1, 14, 30, tzinfo=UTC)


def _one_slot(at: datetime) -> EditorialCalendar:
    request = PlanRequest(
        brand=BRAND,
        channels=(CHANNELS[0].model_copy(update={"cadence": Cadence(posts_per_week=1)}),),
        start=at.date() - timedelta(days=at.weekday()),
        weeks=1,
        holidays_as_blackout=False,
        default_marketing_dates=False,
        fixed=(FixedPost(channel="ny", at=at, title="one"),),
    )
    calendar = plan(request)
    assert len(calendar.slots) == 1
    return calendar


@pytest.mark.parametrize(
    ("channel", "nonexistent", "expected_utc"),
    [
        (
            "rome",
            datetime(2026, 3, 29, 2, 30, tzinfo=ROME),
            datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
        ),
        (
            "rome",
            datetime(2026, 3, 29, 2, 30, fold=1, tzinfo=ROME),
            datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
        ),
        ("ny", datetime(2026, 3, 8, 2, 30, tzinfo=NY), datetime(2026, 3, 8, 7, 30, tzinfo=UTC)),
    ],
)
def test_a_wall_time_that_does_not_exist_moves_forward_by_the_gap(
    channel: str, nonexistent: datetime, expected_utc: datetime
) -> None:
    request = PlanRequest(
        brand=BRAND,
        channels=CHANNELS,
        start=date(2026, 3, 2),
        weeks=5,
        holidays_as_blackout=False,
        default_marketing_dates=False,
        fixed=(FixedPost(channel=channel, at=nonexistent, title="gap"),),
    )
    calendar = plan(request)
    slot = next(s for s in calendar.slots if s.title == "gap")
    tz = ZoneInfo(slot.timezone)
    assert slot.utc == expected_utc
    assert (slot.start.hour, slot.start.minute) == (3, 30)  # 03:30 summer time, a real time
    assert slot.start.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == slot.start.replace(
        tzinfo=None
    )
    assert any("does not exist" in r for r in slot.reasons)
    # move(): the same rule; the slot never shows 02:30
    other = next(s for s in calendar.slots if s.channel == channel and s.title != "gap")
    moved = move(calendar, other.id, nonexistent).slot(other.id)
    assert moved.utc == expected_utc and moved.start.hour == 3
    assert any("does not exist" in r for r in moved.reasons)
    # and the export carries the real instant
    events = _vobject_instants(to_ics(calendar, stamp=STAMP))
    assert events[f"{slot.id}@smmkit"][0] == expected_utc


def test_move_to_the_second_occurrence_is_exported_exactly(autumn: EditorialCalendar) -> None:
    slot = next(s for s in autumn.slots if s.channel == "ny" and s.title is None)
    moved = move(autumn, slot.id, datetime(2026, 11, 1, 6, 45, tzinfo=UTC))
    assert moved.slot(slot.id).start.fold == 1 and moved.slot(slot.id).start.hour == 1
    data = to_ics(moved, stamp=STAMP)
    assert _vobject_instants(data)[f"{slot.id}@smmkit"][0] == datetime(
        2026, 11, 1, 6, 45, tzinfo=UTC
    )
    assert _ical_instants(data)[f"{slot.id}@smmkit"][0] == datetime(2026, 11, 1, 6, 45, tzinfo=UTC)
    assert from_ics(data).slot(slot.id).utc == datetime(2026, 11, 1, 6, 45, tzinfo=UTC)


def test_campaign_flights_compare_instants() -> None:
    opens = datetime(2026, 11, 1, 1, 15, fold=1, tzinfo=NY)  # 06:15Z, the second 01:15
    flight = Campaign(
        id="late",
        name="Late",
        objective=Objective.AWARENESS,
        start=opens,
        end=datetime(2026, 11, 8, tzinfo=NY),
    )
    first_0130 = datetime(2026, 11, 1, 1, 30, tzinfo=NY)  # 05:30Z: before the flight opens
    assert first_0130 > opens  # Python's wall-clock comparison in one zone gets this wrong
    assert not flight.active_at(first_0130)
    assert flight.active_at(datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NY))
    assert flight.active_at(opens) and flight.active_at(opens.astimezone(ROME))
    # a flight of 45 minutes that ends on the second 01:15 is valid
    short = Campaign(
        id="short",
        name="Short",
        objective=Objective.AWARENESS,
        start=datetime(2026, 11, 1, 1, 30, tzinfo=NY),
        end=opens,
    )
    assert short.end.astimezone(UTC) - short.start.astimezone(UTC) == timedelta(minutes=45)


def test_planned_slots_before_a_flight_opens_are_not_tagged() -> None:
    channel = Channel(
        key="ny",
        platform="sandbox",
        handle="ny",
        timezone="America/New_York",
        cadence=Cadence(posts_per_week=1, min_spacing=timedelta(minutes=30), daily_cap=1),
        windows=(PostingWindow(weekdays=(Weekday.SUN,), start=time(1), end=time(2)),),
    )
    campaign = Campaign(
        id="late",
        name="Late",
        objective=Objective.AWARENESS,
        start=datetime(2026, 11, 1, 1, 0, fold=1, tzinfo=NY),  # 06:00Z, after every candidate
        end=datetime(2026, 11, 8, tzinfo=NY),
        weight=100,
    )
    calendar = plan(
        PlanRequest(
            brand=BRAND,
            channels=(channel,),
            start=date(2026, 10, 26),
            weeks=1,
            campaigns=(campaign,),
            holidays_as_blackout=False,
            default_marketing_dates=False,
        )
    )
    (slot,) = calendar.slots
    assert slot.utc < campaign.start.astimezone(UTC)
    assert slot.campaign is None


# -- property: any instant around the 2026 changes, any zone, any duration ------------------

TRANSITIONS = {
    "America/New_York": (datetime(2026, 3, 8, 7, tzinfo=UTC), datetime(2026, 11, 1, 6, tzinfo=UTC)),
    "Europe/Rome": (datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC)),
    "Australia/Lord_Howe": (  # a 30-minute change
        datetime(2026, 4, 4, 15, tzinfo=UTC),
        datetime(2026, 10, 3, 15, 30, tzinfo=UTC),
    ),
}


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(sorted(TRANSITIONS)),
    st.integers(min_value=0, max_value=1),
    st.integers(min_value=-4 * 3600, max_value=4 * 3600).map(lambda s: s - s % 60),
    st.integers(min_value=5, max_value=180).map(lambda m: timedelta(minutes=m)),
)
def test_any_instant_near_a_change_survives_export(
    zone: str, which: int, offset: int, duration: timedelta
) -> None:
    instant = TRANSITIONS[zone][which] + timedelta(seconds=offset)
    slot = Slot(
        id="p",
        channel="c",
        platform=Platform.SANDBOX,
        start=instant,
        timezone=zone,
    )
    calendar = EditorialCalendar(
        brand="B",
        locale="en",
        timezone=zone,
        start=instant.date() - timedelta(days=1),
        end=instant.date() + timedelta(days=2),
        slots=(slot,),
    )
    assert slot.utc == instant
    data = to_ics(calendar, stamp=STAMP, duration=duration)
    expected = {"p@smmkit": (instant, instant + duration)}
    assert _vobject_instants(data) == expected
    assert _ical_instants(data) == expected
    assert from_ics(data).slots[0].utc == instant
