"""Assignment of content, recurring series, best times, editing and approval."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smmkit.errors import TransitionError, ValidationError
from smmkit.models import ContentItem, ContentStatus, Weekday
from smmkit.planner import (
    FixedPost,
    PlanRequest,
    Series,
    conflicts,
    lock,
    move,
    plan,
    replan,
    swap,
    transition_slots,
)
from smmkit.setup import Setup, load_setup

ROOT = Path(__file__).resolve().parents[2]
ROME = ZoneInfo("Europe/Rome")


@pytest.fixture(scope="module")
def setup() -> Setup:
    return load_setup(ROOT / "examples" / "forno_aurora.toml")


def request(setup: Setup, **kw: object) -> PlanRequest:
    base: dict[str, object] = {
        "brand": setup.brand,
        "channels": setup.channels,
        "start": date(2026, 11, 30),
        "weeks": 4,
        "campaigns": setup.campaigns,
        "content": setup.content,
        "audience": setup.audience,
    }
    base.update(kw)
    return PlanRequest.model_validate(base)


def test_forno_plan_meets_cadence_and_keeps_holidays_free(setup: Setup) -> None:
    cal = plan(request(setup))
    for channel in setup.channels:
        per_week = [
            sum(1 for s in cal.for_channel(channel.key) if cal.week_index(s) == w) for w in range(4)
        ]
        assert per_week == [channel.cadence.posts_per_week] * 4
    days = {s.local_date for s in cal.slots}
    assert not days & {date(2026, 12, 8), date(2026, 12, 25), date(2026, 12, 26)}
    panettone = [s for s in cal.slots if s.campaign == "panettone-2026"]
    assert panettone and all(s.pillar == "prodotto" for s in panettone)
    assert all(s.channel in {"instagram", "facebook", "newsletter"} for s in panettone)
    assert all(s.objective is not None and s.objective.value == "sales" for s in panettone)
    for slot in cal.slots:
        assert any("pillar" in r for r in slot.reasons)
        assert slot.source == "planned" and slot.reasons[0].split()[0] in {d.value for d in Weekday}


def test_assignment_respects_pillar_readiness_expiry_priority_and_stagger(setup: Setup) -> None:
    items = (
        ContentItem(id="low", title="Low", pillar="ricette", priority=1),
        ContentItem(
            id="high",
            title="High",
            pillar="ricette",
            priority=9,
            ready_at=datetime(2026, 12, 7, tzinfo=ROME),
        ),
        ContentItem(
            id="gone",
            title="Gone",
            pillar="ricette",
            priority=50,
            expires_at=datetime(2026, 12, 1, tzinfo=ROME),
        ),
        ContentItem(id="green", title="Evergreen", pillar="comunita", evergreen=True),
        ContentItem(
            id="old",
            title="Archived",
            pillar="comunita",
            priority=99,
            status=ContentStatus.ARCHIVED,
        ),
    )
    cal = plan(request(setup, content=items, evergreen_gap=timedelta(days=10)))
    used = [s for s in cal.slots if s.item_id]
    assert used
    for slot in used:
        item = next(i for i in items if i.id == slot.item_id)
        assert item.pillar == slot.pillar and item.available_at(slot.start)
        assert item.id not in {"gone", "old"}
    high = [s for s in used if s.item_id == "high"]
    assert high and min(s.start for s in high) >= datetime(2026, 12, 7, tzinfo=ROME)
    assert {s.channel for s in high} == {s.channel for s in high}
    by_channel: dict[str, list[datetime]] = {}
    for s in used:
        if s.item_id == "green":
            by_channel.setdefault(s.channel, []).append(s.utc)
    for times in by_channel.values():
        assert all(b - a >= timedelta(days=10) for a, b in itertools.pairwise(times))
    assert any(len(t) > 1 for t in by_channel.values())  # evergreen recycled
    for s in used:
        if s.item_id in {"low", "high"}:
            assert len([x for x in used if x.item_id == s.item_id and x.channel == s.channel]) == 1
    assert not [c for c in conflicts(cal, setup.channels) if c.kind == "same_item"]
    assert any("item 'gone' not placed" in note for note in cal.notes)
    assert any("item 'old' not placed: status archived" in note for note in cal.notes)


def test_series_every_monday_and_first_friday(setup: Setup) -> None:
    series = (
        Series(
            key="lunedi",
            name="Il pane del lunedì",
            rule="FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;BYMINUTE=30",
            channels=("threads",),
            pillar="prodotto",
        ),
        Series(
            key="venerdi",
            name="Ricetta del mese",
            rule="FREQ=MONTHLY;BYDAY=1FR;BYHOUR=18",
            channels=("facebook",),
            pillar="ricette",
        ),
    )
    cal = plan(request(setup, series=series))
    mondays = [s for s in cal.slots if s.series == "lunedi"]
    assert [s.start for s in mondays] == [
        datetime(2026, 11, 30, 8, 30, tzinfo=ROME),
        datetime(2026, 12, 7, 8, 30, tzinfo=ROME),
        datetime(2026, 12, 14, 8, 30, tzinfo=ROME),
        datetime(2026, 12, 21, 8, 30, tzinfo=ROME),
    ]
    fridays = [s for s in cal.slots if s.series == "venerdi"]
    assert [s.start for s in fridays] == [datetime(2026, 12, 4, 18, 0, tzinfo=ROME)]
    assert all(s.pillar == "prodotto" and s.locked for s in mondays)
    threads = cal.for_channel("threads")
    assert all(sum(1 for s in threads if cal.week_index(s) == w) == 4 for w in range(4))


def test_best_times_steer_the_hour(setup: Setup) -> None:
    grid = {(day, 21): 1.0 for day in Weekday} | {(day, 9): 0.1 for day in Weekday}
    cal = plan(request(setup, best_times={"threads": grid}, audience=None))
    assert {s.start.hour for s in cal.for_channel("threads")} == {21}
    assert "analytics" in cal.for_channel("threads")[0].reasons[0]


def test_fixed_posts_count_and_move_nothing(setup: Setup) -> None:
    at = datetime(2026, 12, 2, 19, 0, tzinfo=ROME)
    cal = plan(
        request(
            setup,
            fixed=(FixedPost(channel="instagram", at=at, pillar="comunita", title="Open day"),),
        )
    )
    fixed = [s for s in cal.slots if s.source == "fixed"]
    assert [(s.start, s.pillar, s.title) for s in fixed] == [(at, "comunita", "Open day")]
    ig = cal.for_channel("instagram")
    assert sum(1 for s in ig if cal.week_index(s) == 0) == 5
    assert all(abs(s.utc - at) >= timedelta(hours=4) for s in ig if s.source == "planned")


def test_move_swap_lock_conflicts_and_replan(setup: Setup) -> None:
    req = request(setup)
    cal = plan(req)
    ig = cal.for_channel("instagram")
    a, b = ig[0], ig[1]
    assert conflicts(cal, setup.channels) == ()
    clash = move(cal, b.id, a.start + timedelta(hours=1))
    kinds = {c.kind for c in conflicts(clash, setup.channels)}
    assert kinds == {"spacing", "daily_cap"}
    swapped = swap(cal, a.id, b.id)
    assert swapped.slot(a.id).pillar == b.pillar and swapped.slot(b.id).pillar == a.pillar
    assert swapped.slot(a.id).start == a.start
    with pytest.raises(ValidationError):
        move(cal, a.id, datetime(2026, 12, 1, 9))
    with pytest.raises(ValidationError):
        lock(cal, ["nope"])
    # lock one future slot at a hand-picked time, re-plan from 3 December
    pinned = move(cal, ig[3].id, datetime(2026, 12, 4, 20, 30, tzinfo=ROME))
    pinned = lock(pinned, [ig[3].id])
    now = datetime(2026, 12, 3, 0, 0, tzinfo=ROME)
    again = replan(pinned, req, now=now)
    assert len({s.id for s in again.slots}) == len(again.slots)
    kept = again.slot(ig[3].id)
    assert kept.locked and kept.start == datetime(2026, 12, 4, 20, 30, tzinfo=ROME)
    past = [s for s in cal.slots if s.utc < now]
    assert all(again.slot(s.id) == s for s in past)
    past_ids = {s.id for s in past}
    assert all(s.utc >= now for s in again.slots if s.id not in past_ids and not s.locked)
    for channel in setup.channels:
        per_week = [
            sum(1 for s in again.for_channel(channel.key) if again.week_index(s) == w)
            for w in range(4)
        ]
        assert per_week == [channel.cadence.posts_per_week] * 4
    assert conflicts(again, setup.channels) == ()


def test_approval_follows_the_workflow(setup: Setup) -> None:
    cal = plan(request(setup))
    ids = [s.id for s in cal.slots[:3]]
    reviewed = transition_slots(cal, ids, "in_review")
    approved = transition_slots(reviewed, ids, ContentStatus.APPROVED)
    assert [approved.slot(i).status for i in ids] == [ContentStatus.APPROVED] * 3
    with pytest.raises(TransitionError):
        transition_slots(cal, ids, "published")
    slot = cal.slots[0]
    assert slot.status is ContentStatus.DRAFT
    scheduled = slot.transition("in_review").transition("approved").transition("scheduled")
    assert scheduled.status is ContentStatus.SCHEDULED
    with pytest.raises(TransitionError):
        slot.transition("published")
    assert datetime.now(UTC) > datetime(2020, 1, 1, tzinfo=UTC) and time(9) < time(10)


def test_audience_hours_are_read_in_the_audience_time_zone() -> None:
    from smmkit.models import (
        Audience,
        AudienceSegment,
        Brand,
        Cadence,
        Channel,
        ContentPillar,
        PostingWindow,
    )

    brand = Brand(
        name="B",
        locales=("en",),
        timezone="Europe/Rome",
        pillars=(ContentPillar(key="a", name="A", share=1.0),),
    )
    rome_afternoon: dict[Weekday, tuple[int, ...]] = dict.fromkeys(Weekday, (14, 15))
    audience = Audience(
        timezone="Europe/Rome",
        segments=(AudienceSegment(name="Italians", active_hours=rome_afternoon),),
    )
    channel = Channel(
        key="ny",
        platform="instagram",
        handle="ny",
        timezone="America/New_York",
        cadence=Cadence(posts_per_week=3, daily_cap=1),
        windows=(PostingWindow(start=time(7), end=time(20)),),
    )
    cal = plan(
        PlanRequest(
            brand=brand,
            channels=(channel,),
            start=date(2026, 5, 4),
            weeks=2,
            audience=audience,
            default_marketing_dates=False,
        )
    )
    for slot in cal.slots:
        assert slot.start.astimezone(ROME).hour in (14, 15)
        assert "(Europe/Rome time)" in slot.reasons[0]


def test_fixed_posts_that_break_the_rules_are_infeasible(setup: Setup) -> None:
    from smmkit.errors import InfeasiblePlanError

    at = datetime(2026, 12, 2, 19, 0, tzinfo=ROME)
    close = (
        FixedPost(channel="instagram", at=at),
        FixedPost(channel="instagram", at=at + timedelta(hours=1)),
    )
    with pytest.raises(InfeasiblePlanError) as info:
        plan(request(setup, fixed=close))
    assert info.value.constraint == "channels['instagram'].cadence.min_spacing"
    relaxed = plan(request(setup, fixed=close), relax=True)
    assert [v.constraint for v in relaxed.violations] == ["min_spacing"]
    many = tuple(
        FixedPost(channel="newsletter", at=datetime(2026, 12, d, 7, tzinfo=ROME)) for d in (1, 3)
    )
    with pytest.raises(InfeasiblePlanError) as info:
        plan(request(setup, fixed=many))
    assert info.value.constraint == "channels['newsletter'].cadence.posts_per_week"
    assert "raise posts_per_week to 2" in (info.value.relaxation or "")


def test_objectives_and_formats_follow_their_weights(setup: Setup) -> None:
    from collections import Counter

    from smmkit.models import ContentFormat

    cal = plan(
        request(
            setup,
            campaigns=(),
            content=(),
            weeks=8,
            formats={"threads": {ContentFormat.THREAD: 1.0}},
        )
    )
    for channel in setup.channels:
        goals = Counter(
            s.objective.value for s in cal.for_channel(channel.key) if s.objective is not None
        )
        n = sum(goals.values())
        weights = {o.objective.value: o.weight for o in setup.brand.objectives}
        total = sum(weights.values())
        for goal, weight in weights.items():
            assert abs(goals[goal] - n * weight / total) <= 1, (channel.key, goals)
    assert {s.format for s in cal.for_channel("threads")} == {ContentFormat.THREAD}
    ig = Counter(s.format for s in cal.for_channel("instagram"))
    assert abs(ig[ContentFormat.CAROUSEL] - 40 * 0.4) <= 1 and abs(ig[ContentFormat.POST] - 8) <= 1


def test_a_campaign_without_slots_is_noted(setup: Setup) -> None:
    idle = setup.campaigns[0].model_copy(update={"id": "idle", "weight": 0.0})
    cal = plan(request(setup, campaigns=(idle,)))
    assert not [s for s in cal.slots if s.campaign]
    assert any(note.startswith("campaign 'idle' got no slot") for note in cal.notes)
