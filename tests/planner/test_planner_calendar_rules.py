"""DST, holidays, marketing dates, validation errors and the public surface of smmkit.planner."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

import smmkit.planner
from smmkit.errors import InfeasiblePlanError, ValidationError
from smmkit.models import Brand, Cadence, Channel, ContentPillar, PostingWindow, Weekday
from smmkit.planner import (
    FixedPost,
    MarketingRule,
    PlanRequest,
    Series,
    localize,
    marketing_dates,
    plan,
    public_holidays,
)

ROME = ZoneInfo("Europe/Rome")
NEW_YORK = ZoneInfo("America/New_York")


def test_public_api_is_pinned() -> None:
    assert sorted(smmkit.planner.__all__) == sorted(
        [
            "DEFAULT_MARKETING_RULES",
            "BestTimeScores",
            "Conflict",
            "EditorialCalendar",
            "FixedPost",
            "MarketingDate",
            "MarketingRule",
            "Moment",
            "PlanRequest",
            "Series",
            "Slot",
            "Violation",
            "agenda_markdown",
            "assign_items",
            "conflicts",
            "default_format_mix",
            "default_score",
            "default_windows",
            "from_csv",
            "from_ics",
            "from_json",
            "localize",
            "lock",
            "marketing_dates",
            "move",
            "plan",
            "public_holidays",
            "replan",
            "round_quotas",
            "swap",
            "to_csv",
            "to_ics",
            "to_json",
            "transition_slots",
        ]
    )
    for name in smmkit.planner.__all__:
        assert getattr(smmkit.planner, name) is not None


def brand(country: str | None = "IT", region: str | None = None) -> Brand:
    return Brand(
        name="Forno",
        locales=("it-IT",),
        timezone="Europe/Rome",
        country=country,
        region=region,
        pillars=(
            ContentPillar(key="a", name="A", share=0.5),
            ContentPillar(key="b", name="B", share=0.5),
        ),
    )


def daily(key: str, tz: str, at: time, per_week: int = 7) -> Channel:
    end = (datetime.combine(date(2000, 1, 1), at) + timedelta(minutes=30)).time()
    return Channel(
        key=key,
        platform="instagram",
        handle=key,
        timezone=tz,
        cadence=Cadence(posts_per_week=per_week, min_spacing=timedelta(hours=20), daily_cap=1),
        windows=(PostingWindow(start=at, end=end),),
    )


@pytest.mark.parametrize(
    ("tz", "start", "change_days"),
    [
        ("Europe/Rome", date(2026, 3, 23), (date(2026, 3, 29),)),
        ("Europe/Rome", date(2026, 10, 19), (date(2026, 10, 25),)),
        ("America/New_York", date(2026, 3, 2), (date(2026, 3, 8),)),
        ("America/New_York", date(2026, 10, 26), (date(2026, 11, 1),)),
    ],
)
def test_local_time_stays_local_across_dst(tz: str, start: date, change_days: tuple[date]) -> None:
    request = PlanRequest(
        brand=brand(None),
        channels=(daily("ig", tz, time(9)),),
        start=start,
        weeks=2,
        default_marketing_dates=False,
    )
    cal = plan(request)
    assert len(cal.slots) == 14
    assert {s.start.time() for s in cal.slots} == {time(9)}
    offsets = {s.start.utcoffset() for s in cal.slots}
    assert len(offsets) == 2  # the UTC instant moves, the wall clock does not
    gaps = [b.utc - a.utc for a, b in zip(cal.slots, cal.slots[1:], strict=False)]
    assert sorted(set(gaps)) in (
        [timedelta(hours=23), timedelta(hours=24)],
        [timedelta(hours=24), timedelta(hours=25)],
    )
    assert any(s.start.date() == change_days[0] for s in cal.slots)


def test_nonexistent_and_ambiguous_local_times_are_explicit() -> None:
    gap, note = localize(date(2026, 3, 29), time(2, 30), ROME)
    assert (gap.hour, gap.minute, gap.tzname()) == (3, 30, "CEST") and note and "forward" in note
    fold, note = localize(date(2026, 10, 25), time(2, 30), ROME)
    assert fold.fold == 0 and fold.tzname() == "CEST" and note and "twice" in note
    ny, note = localize(date(2026, 3, 8), time(2, 15), NEW_YORK)
    assert (ny.hour, ny.minute, ny.tzname()) == (3, 15, "EDT") and note
    ny, note = localize(date(2026, 11, 1), time(1, 30), NEW_YORK)
    assert ny.tzname() == "EDT" and note
    assert localize(date(2026, 5, 1), time(9), ROME)[1] is None
    # a series at 02:30 every Sunday lands at 03:30 on the spring-forward Sunday, and says so
    channel = daily("ig", "Europe/Rome", time(9), per_week=1)
    series = Series(
        key="night",
        name="Night",
        rule="FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=30",
        channels=("ig",),
    )
    cal = plan(
        PlanRequest(
            brand=brand(None),
            channels=(channel,),
            start=date(2026, 3, 23),
            weeks=2,
            series=(series,),
            default_marketing_dates=False,
        )
    )
    moved = [s for s in cal.slots if s.start.date() == date(2026, 3, 29)]
    assert [s.start.time() for s in moved] == [time(3, 30)]
    assert any("clocks go forward" in r for r in moved[0].reasons)
    assert all(s.source == "series" for s in cal.slots)


@pytest.mark.parametrize("year", [2026, 2027])
def test_italian_holidays(year: int) -> None:
    found = public_holidays("IT", [year], language="it")
    easter_monday = {2026: date(2026, 4, 6), 2027: date(2027, 3, 29)}[year]
    for day in (
        easter_monday,
        date(year, 4, 25),
        date(year, 6, 2),
        date(year, 8, 15),
        date(year, 12, 8),
    ):
        assert day in found, day
    # and the planner keeps them free by default
    request = PlanRequest(
        brand=brand(),
        channels=(daily("ig", "Europe/Rome", time(9), 6),),
        start=date(year, 12, 7),
        weeks=1,
    )
    cal = plan(request)
    assert date(year, 12, 8) not in {s.start.date() for s in cal.slots}
    assert any(m.day == date(year, 12, 8) and m.blackout for m in cal.moments)


def test_regional_patron_saint_days() -> None:
    bologna = public_holidays("IT", [2026], region="BO", language="it")
    assert "San Petronio" in bologna[date(2026, 10, 4)]
    milan = public_holidays("IT", [2026], region="MI")
    assert date(2026, 12, 7) in milan and date(2026, 12, 7) not in public_holidays("IT", [2026])
    request = PlanRequest(
        brand=brand(region="MI"),
        channels=(daily("ig", "Europe/Rome", time(9), 5),),
        start=date(2026, 12, 7),
        weeks=1,
    )
    days = {s.start.date() for s in plan(request).slots}
    assert date(2026, 12, 7) not in days and date(2026, 12, 8) not in days and len(days) == 5


def test_marketing_dates_are_extensible_data() -> None:
    found = {m.key: m for m in marketing_dates(date(2026, 1, 1), date(2026, 12, 31), country="IT")}
    assert found["mothers-day-it"].start == date(2026, 5, 10)
    assert found["black-friday"].start == date(2026, 11, 27)
    assert found["saldi-invernali"].start == date(2026, 1, 5)
    assert found["saldi-estivi"].start == date(2026, 7, 4)
    assert found["easter"].start == date(2026, 4, 5)
    assert "mothering-sunday-uk" not in found
    uk = {m.key: m for m in marketing_dates(date(2026, 1, 1), date(2026, 12, 31), country="GB")}
    assert uk["mothering-sunday-uk"].start == date(2026, 3, 15)
    fair = MarketingRule(
        key="sigep",
        names={"it": "Sigep", "en": "Sigep fair"},
        kind="fixed",
        month=1,
        day=16,
        days=5,
    )
    extra = marketing_dates(date(2027, 1, 1), date(2027, 1, 31), rules=(fair,), language="it")
    assert [(m.name, m.start, m.end) for m in extra] == [
        ("Sigep", date(2027, 1, 16), date(2027, 1, 20))
    ]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"start": datetime(2026, 1, 5, 9)}, "start"),
        ({"end": date(2026, 1, 1)}, "end"),
        ({"country": "XX"}, "country"),
        ({"region": "ZZ"}, "region"),
        ({"fixed": (FixedPost(channel="ig", at=datetime(2026, 1, 6, 9)),)}, "fixed[0].at"),
        (
            {"fixed": (FixedPost(channel="nope", at=datetime(2026, 1, 6, 9, tzinfo=ROME)),)},
            "fixed[0].channel",
        ),
        (
            {"series": (Series(key="s", name="S", rule="FREQ=SOMETIMES", channels=("ig",)),)},
            "series[0].rule",
        ),
        ({"best_times": {"ig": {("mon", 25): 1.0}}}, "best_times['ig'][mon]"),
        ({"granularity": timedelta(minutes=1)}, "granularity"),
    ],
)
def test_bad_input_names_field_and_rule(kwargs: dict[str, object], field: str) -> None:
    base: dict[str, object] = {
        "brand": brand(),
        "channels": (daily("ig", "Europe/Rome", time(9)),),
        "start": date(2026, 1, 5),
        "weeks": 1,
    }
    base.update(kwargs)
    if "end" in kwargs:
        base.pop("weeks")
    request = PlanRequest.model_validate(base)
    with pytest.raises(ValidationError) as info:
        plan(request)
    assert info.value.field == field
    assert info.value.rule


def test_unknown_time_zone_names_the_channel() -> None:
    good = daily("ig", "Europe/Rome", time(9))
    bad = Channel.model_construct(**{**good.__dict__, "timezone": "Mars/Olympus_Mons"})
    request = PlanRequest.model_construct(
        **{
            **PlanRequest(
                brand=brand(), channels=(good,), start=date(2026, 1, 5), weeks=1
            ).__dict__,
            "channels": (bad,),
        }
    )
    with pytest.raises(ValidationError) as info:
        plan(request)
    assert info.value.field == "channels[0].timezone"


def test_pillar_shares_that_do_not_add_up() -> None:
    bad = brand().model_construct(
        **{
            **brand().__dict__,
            "pillars": (
                ContentPillar(key="a", name="A", share=0.5),
                ContentPillar(key="b", name="B", share=0.2),
            ),
        }
    )
    request = PlanRequest.model_construct(
        brand=bad,
        channels=(daily("ig", "Europe/Rome", time(9)),),
        start=date(2026, 1, 5),
        weeks=1,
        end=None,
        **{
            k: v.default
            for k, v in PlanRequest.model_fields.items()
            if k not in {"brand", "channels", "start", "weeks", "end"} and v.default_factory is None
        },
    )
    object.__setattr__(request, "formats", {})
    with pytest.raises(ValidationError) as info:
        plan(request)
    assert info.value.field == "brand.pillars"


def test_infeasible_names_constraint_and_smallest_relaxation() -> None:
    newsletter = Channel(
        key="news",
        platform="mailchimp",
        handle="n",
        timezone="Europe/Rome",
        cadence=Cadence(posts_per_week=1, min_spacing=timedelta(days=1), daily_cap=1),
        windows=(PostingWindow(weekdays=(Weekday.TUE,), start=time(7), end=time(8)),),
    )
    request = PlanRequest(brand=brand(), channels=(newsletter,), start=date(2026, 12, 7), weeks=2)
    with pytest.raises(InfeasiblePlanError) as info:
        plan(request)  # Tuesday 8 December is a holiday: the only window of that week is closed
    err = info.value
    assert err.constraint == "channels['news'].cadence.posts_per_week"
    assert err.relaxation is not None
    assert "from 1 to 0" in err.relaxation and "2026-12-08" in err.relaxation
    relaxed = plan(request, relax=True)
    assert [(v.constraint, v.week_start, v.expected, v.actual) for v in relaxed.violations] == [
        ("cadence", date(2026, 12, 7), 1, 0)
    ]
    assert [s.start.date() for s in relaxed.slots] == [date(2026, 12, 15)]


@pytest.mark.parametrize(
    ("start", "expected", "word"),
    [
        (date(2026, 3, 23), time(3, 0), "forward"),  # 02:00 does not exist on 29 March
        (date(2026, 10, 19), time(2, 0), "twice"),  # 02:00 happens twice on 25 October
    ],
)
def test_planned_slots_in_dst_gaps_and_folds(start: date, expected: time, word: str) -> None:
    from smmkit.models import Weekday

    night = Channel(
        key="night",
        platform="mastodon",
        handle="n",
        timezone="Europe/Rome",
        cadence=Cadence(posts_per_week=1, daily_cap=1),
        windows=(PostingWindow(weekdays=(Weekday.SUN,), start=time(2), end=time(2, 30)),),
    )
    request = PlanRequest(
        brand=brand(None),
        channels=(night,),
        start=start,
        weeks=1,
        best_times={"night": {(Weekday.SUN, 2): 1.0}},
        default_marketing_dates=False,
    )
    (slot,) = plan(request).slots
    assert slot.start.time() == expected and slot.start.fold == 0
    assert any(word in reason for reason in slot.reasons)


def test_partial_last_week_gets_a_prorated_cadence() -> None:
    request = PlanRequest(
        brand=brand(None),
        channels=(daily("ig", "Europe/Rome", time(9), 5),),
        start=date(2026, 6, 1),
        end=date(2026, 6, 11),
        default_marketing_dates=False,
    )
    cal = plan(request)
    weeks = [cal.week_index(s) for s in cal.slots]
    assert (weeks.count(0), weeks.count(1)) == (5, 2)  # 5 x 3 / 7 rounded down
