"""Property tests: every guarantee of the planner, over random feasible and infeasible requests."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smmkit.errors import InfeasiblePlanError
from smmkit.models import (
    Brand,
    Cadence,
    Campaign,
    Channel,
    ContentItem,
    ContentPillar,
    Objective,
    ObjectiveTarget,
    PostingWindow,
    Weekday,
)
from smmkit.planner import EditorialCalendar, FixedPost, PlanRequest, Slot, conflicts, plan

ZONES = ["Europe/Rome", "America/New_York", "UTC", "Asia/Tokyo", "Europe/London"]
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def requests(
    draw: st.DrawFn, feasible: bool = True, min_channels: int = 1, min_weeks: int = 1
) -> PlanRequest:
    n_pillars = draw(st.integers(2, 5))
    weights = draw(st.lists(st.integers(1, 9), min_size=n_pillars, max_size=n_pillars))
    total = sum(weights)
    shares = [w / total for w in weights]
    shares[-1] = 1.0 - math.fsum(shares[:-1])
    pillars = tuple(ContentPillar(key=f"p{i}", name=f"P{i}", share=s) for i, s in enumerate(shares))
    brand = Brand(
        name="B",
        locales=("en",),
        timezone="Europe/Rome",
        pillars=pillars,
        objectives=(
            ObjectiveTarget(objective=Objective.ENGAGEMENT, weight=2),
            ObjectiveTarget(objective=Objective.TRAFFIC),
        ),
    )
    weeks = draw(st.integers(min_weeks, max(6, min_weeks)))
    start = draw(st.dates(date(2026, 1, 1), date(2027, 12, 1)))
    end = start + timedelta(days=7 * weeks)
    n_black = draw(st.integers(0, 2 * weeks))
    chosen = {start + timedelta(days=draw(st.integers(0, 7 * weeks - 1))) for _ in range(n_black)}
    if not feasible:  # at least one closed day, so that 7 x daily_cap posts cannot fit
        chosen.add(start + timedelta(days=draw(st.integers(0, 6))))
    blackout = tuple(sorted(chosen))
    open_min = min(7 - sum(1 for d in blackout if (d - start).days // 7 == w) for w in range(weeks))
    channels = []
    for c in range(draw(st.integers(min_channels, 4))):
        cap = draw(st.integers(1, 3))
        max_spacing = {1: 22, 2: 12, 3: 6}[cap]
        spacing = timedelta(hours=draw(st.integers(0, max_spacing)))
        windows = [PostingWindow(start=time(8), end=time(21))]
        if draw(st.booleans()):
            windows.append(
                PostingWindow(
                    weekdays=tuple(
                        draw(
                            st.sets(
                                st.sampled_from([Weekday.MON, Weekday.SAT, Weekday.SUN]),
                                min_size=1,
                            )
                        )
                    ),
                    start=time(1, 30),
                    end=time(3, 30),
                )
            )  # crosses DST changes
        capacity = cap * open_min
        if feasible:
            ppw = draw(st.integers(0, min(capacity, 21)))
        elif cap == 1 and draw(st.booleans()):
            # too far apart: windows span at most 6 days 12.5 hours of a week, so at most
            # floor(156.5 h / spacing) + 1 posts fit in any week
            hours = draw(st.integers(25, 72))
            spacing = timedelta(hours=hours)
            ppw = min(7, int(156.5 // hours) + 1 + draw(st.integers(1, 2)))
        else:
            ppw = draw(st.integers(capacity + 1, 7 * cap))
        channels.append(
            Channel(
                key=f"c{c}",
                platform=draw(st.sampled_from(["instagram", "facebook", "mastodon"])),
                handle=f"h{c}",
                timezone=draw(st.sampled_from(ZONES)),
                cadence=Cadence(posts_per_week=ppw, min_spacing=spacing, daily_cap=cap),
                windows=tuple(windows),
            )
        )
    campaigns = []
    for k in range(draw(st.integers(0, 2))):
        a = draw(st.integers(0, 7 * weeks - 1))
        b = draw(st.integers(a + 1, 7 * weeks))
        rome = ZoneInfo("Europe/Rome")
        campaigns.append(
            Campaign(
                id=f"k{k}",
                name=f"K{k}",
                objective=Objective.SALES,
                start=datetime.combine(start + timedelta(days=a), time(12), tzinfo=rome),
                end=datetime.combine(start + timedelta(days=b), time(6), tzinfo=rome),
                channels=tuple(draw(st.sets(st.sampled_from([c.key for c in channels])))),
                pillars=tuple(draw(st.sets(st.sampled_from([p.key for p in pillars]), max_size=2))),
                weight=draw(st.sampled_from([0.5, 1.0, 3.0])),
            )
        )
    fixed = []
    if feasible and draw(st.booleans()):
        # already scheduled posts at 08:00 local on open days: a feasible schedule keeps them
        for channel in channels:
            if channel.cadence.posts_per_week == 0:
                continue
            for w in range(weeks):
                open_days = [
                    start + timedelta(days=7 * w + k)
                    for k in range(7)
                    if start + timedelta(days=7 * w + k) not in blackout
                ]
                if draw(st.booleans()):
                    day = draw(st.sampled_from(open_days))
                    fixed.append(
                        FixedPost(
                            channel=channel.key,
                            at=datetime.combine(day, time(8), tzinfo=ZoneInfo(channel.timezone)),
                        )
                    )
    items = tuple(
        ContentItem(
            id=f"i{n}",
            title=f"Item {n}",
            pillar=draw(st.sampled_from([p.key for p in pillars])),
            evergreen=draw(st.booleans()),
            priority=draw(st.integers(-3, 3)),
        )
        for n in range(draw(st.integers(0, 6)))
    )
    return PlanRequest(
        brand=brand,
        channels=tuple(channels),
        start=start,
        end=end,
        campaigns=tuple(campaigns),
        blackout_dates=blackout,
        country=None,
        fixed=tuple(fixed),
        content=items,
        evergreen_gap=timedelta(days=7),
        holidays_as_blackout=False,
        default_marketing_dates=False,
        seed=draw(st.integers(0, 3)),
    )


def check_hard_constraints(request: PlanRequest, cal: EditorialCalendar) -> None:
    """Spacing, daily caps, blackouts, windows, local times, flights: always, even relaxed."""
    blackout = set(request.blackout_dates)
    assert len({s.id for s in cal.slots}) == len(cal.slots)
    for s in cal.slots:  # every slot is a valid model (the engine builds them unvalidated)
        assert Slot.model_validate(s.model_dump()) == s
    for channel in request.channels:
        tz = ZoneInfo(channel.timezone)
        slots = cal.for_channel(channel.key)
        utc = [s.utc for s in slots]
        assert utc == sorted(utc)
        for a, b in itertools.pairwise(utc):
            assert b - a >= channel.cadence.min_spacing, (channel.key, a, b)
        per_day = Counter(s.start.date() for s in slots)
        assert max(per_day.values(), default=0) <= channel.cadence.daily_cap
        for s in slots:
            assert s.start.tzinfo == tz and s.timezone == channel.timezone
            assert s.start.date() not in blackout
            assert request.start_date <= s.start.date() < request.end_date
            local = s.start.timetz().replace(tzinfo=None)
            inside = any(
                w.start <= local < w.end and s.start.strftime("%a").lower() in w.weekdays
                for w in channel.windows
            )
            # a local time in a DST gap is moved forward by the gap (one hour here)
            moved = (s.start - timedelta(hours=1)).time()
            if s.source == "fixed":
                assert any(f.at == s.start and f.channel == s.channel for f in request.fixed)
                continue
            assert inside or any(w.start <= moved < w.end for w in channel.windows), s
            assert (s.start.minute * 60 + s.start.second) % 1800 == 0 or not inside
            if s.campaign is not None:
                camp = next(c for c in request.campaigns if c.id == s.campaign)
                assert camp.start <= s.start < camp.end
                assert not camp.channels or channel.key in camp.channels
                assert not camp.pillars or s.pillar in camp.pillars
    # the same item is staggered across channels, used once per channel unless evergreen (and
    # then after the gap), and only when its pillar matches
    assert [
        c
        for c in conflicts(cal, request.channels, stagger=request.stagger)
        if c.kind == "same_item"
    ] == []
    uses: dict[tuple[str, str], list[datetime]] = defaultdict(list)
    for s in cal.slots:
        if s.item_id is not None:
            item = next(i for i in request.content if i.id == s.item_id)
            assert item.pillar == s.pillar
            uses[(s.item_id, s.channel)].append(s.utc)
    for (item_id, _), times in uses.items():
        item = next(i for i in request.content if i.id == item_id)
        assert item.evergreen or len(times) == 1
        assert all(b - a >= request.evergreen_gap for a, b in itertools.pairwise(times))


def check_pillar_mix(request: PlanRequest, cal: EditorialCalendar) -> None:
    """Every four consecutive plan weeks: each pillar within one slot of its target share,
    per channel and overall; and no clumps inside a channel."""
    shares = {p.key: p.share for p in request.brand.pillars}
    n_weeks = (request.end_date - request.start_date).days // 7
    by_week: dict[tuple[str, int], list[str]] = defaultdict(list)
    for s in cal.slots:
        assert s.pillar is not None
        by_week[(s.channel, cal.week_index(s))].append(s.pillar)
    for w0 in range(max(n_weeks - 3, 0)):
        overall: Counter[str] = Counter()
        total = 0
        for channel in request.channels:
            window = [p for w in range(w0, w0 + 4) for p in by_week[(channel.key, w)]]
            counts = Counter(window)
            for key, share in shares.items():
                assert abs(counts[key] - share * len(window)) < 1, (channel.key, w0, counts)
            overall.update(counts)
            total += len(window)
        for key, share in shares.items():
            assert abs(overall[key] - share * total) < 1, (w0, overall, total)
    for channel in request.channels:
        seq = [s.pillar for s in cal.for_channel(channel.key)]
        period = 4 * channel.cadence.posts_per_week
        if period == 0 or len(seq) < period:
            continue
        quota = Counter(seq[:period])
        # Evenly spread: at every point of every four-week cycle each pillar is at most one
        # slot ahead of or behind its even pace through the cycle.
        for c0 in range(0, len(seq) - period + 1, period):
            running: Counter[str | None] = Counter()
            for i, pillar in enumerate(seq[c0 : c0 + period], start=1):
                running[pillar] += 1
                for key in shares:
                    assert abs(running[key] - quota[key] * i / period) <= 1 + 1e-9, (key, i, seq)


@SETTINGS
@given(requests())
def test_feasible_requests_meet_every_guarantee(request: PlanRequest) -> None:
    cal = plan(request)
    assert cal.violations == ()
    n_weeks = (request.end_date - request.start_date).days // 7
    for channel in request.channels:
        weeks = Counter(cal.week_index(s) for s in cal.for_channel(channel.key))
        assert [weeks[w] for w in range(n_weeks)] == [channel.cadence.posts_per_week] * n_weeks
    check_hard_constraints(request, cal)
    check_pillar_mix(request, cal)
    assert plan(request) == cal  # deterministic


@SETTINGS
@given(requests(min_channels=2, min_weeks=4))
def test_pillar_mix_over_channels_and_four_week_windows(request: PlanRequest) -> None:
    check_pillar_mix(request, plan(request))


@SETTINGS
@given(requests(feasible=False))
def test_infeasible_requests_name_the_constraint_and_relaxation(request: PlanRequest) -> None:
    with pytest.raises(InfeasiblePlanError) as info:
        plan(request)
    err = info.value
    assert err.constraint.startswith("channels[") and err.constraint.endswith(
        ".cadence.posts_per_week"
    )
    assert err.relaxation is not None and "posts_per_week" in err.relaxation
    culprit = next(
        c
        for c in request.channels
        if err.constraint == f"channels[{c.key!r}].cadence.posts_per_week"
    )
    lowered = re.search(r"posts_per_week from (\d+) to (\d+)", err.relaxation)
    week = re.search(r"the week of (\d{4}-\d\d-\d\d)", err.reason)
    assert (
        lowered and week and int(lowered[2]) < int(lowered[1]) == (culprit.cadence.posts_per_week)
    )
    relaxed = plan(request, relax=True)
    assert relaxed.violations
    # the relaxed plan reaches exactly the lowered cadence the error proposed for that week
    assert any(
        v.channel == culprit.key
        and v.week_start == date.fromisoformat(week[1])
        and v.actual == int(lowered[2])
        for v in relaxed.violations
    )
    assert all(v.constraint == "cadence" for v in relaxed.violations)
    for v in relaxed.violations:
        assert v.actual is not None and v.expected is not None and v.actual < v.expected
    check_hard_constraints(request, relaxed)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 120), min_size=1, max_size=40),
    st.lists(st.integers(1, 30), min_size=1, max_size=8),
)
def test_controlled_rounding_of_pillar_quotas(rows: list[int], weights: list[int]) -> None:
    from smmkit.planner import round_quotas

    shares = [w / sum(weights) for w in weights]
    cells = round_quotas(rows, shares)
    for row, line in zip(rows, cells, strict=True):
        assert sum(line) == row
        for value, share in zip(line, shares, strict=True):
            assert math.floor(row * share + 1e-9) <= value <= math.ceil(row * share - 1e-9)
    for p, share in enumerate(shares):
        total = sum(line[p] for line in cells)
        exact = share * sum(rows)
        assert math.floor(exact + 1e-9) <= total <= math.ceil(exact - 1e-9)
