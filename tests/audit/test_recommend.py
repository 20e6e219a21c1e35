from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

import smmkit
from smmkit.audit import ChannelData, audit_presence, recommend_channels
from smmkit.errors import ValidationError
from smmkit.models import Audience, AudienceSegment, Brand, ContentPillar, Platform, PostMetrics
from smmkit.planner import PlanRequest
from smmkit.planner import plan as plan_calendar

START = datetime(2026, 11, 2, tzinfo=UTC)
END = START + timedelta(days=28)


def brand(*objectives: tuple[str, float]) -> Brand:
    return Brand.model_validate(
        {
            "name": "B",
            "locales": ["it"],
            "timezone": "Europe/Rome",
            "pillars": [ContentPillar(key="p", name="P", share=1.0)],
            "objectives": [{"objective": o, "weight": w} for o, w in objectives],
        }
    )


AUDIENCE = Audience(
    timezone="Europe/Rome",
    segments=(
        AudienceSegment(
            name="a", size=3000, platforms={Platform.INSTAGRAM: 0.9, Platform.TIKTOK: 0.5}
        ),
        AudienceSegment(
            name="b", size=1000, platforms={Platform.FACEBOOK: 0.8, Platform.LINKEDIN: 0.05}
        ),
    ),
)


def test_scores_and_allocation_by_hand() -> None:
    plan = recommend_channels(brand(("engagement", 1.0)), AUDIENCE, capacity=12)
    by = {r.platform.value: r for r in plan.recommendations}
    # shares: instagram 0.9*3/4 = 0.675, tiktok 0.5*3/4 = 0.375, facebook 0.8/4 = 0.2,
    # linkedin 0.05/4 = 0.0125; engagement fit: instagram 1.0, tiktok 0.9, facebook 0.7
    assert by["instagram"].score == pytest.approx(0.675 * 1.0)
    assert by["tiktok"].score == pytest.approx(0.375 * 0.9)
    assert by["facebook"].score == pytest.approx(0.2 * 0.7)
    # minimums 3 + 3 + 2 = 8; 4 left, spread by score / (posts + 1)
    assert sum(r.posts_per_week for r in plan.recommendations) == plan.used == 12
    assert by["linkedin"].posts_per_week == 0 and by["linkedin"].action == "skip"
    assert any("under 10% of the audience" in x for x in by["linkedin"].reasons)
    assert by["instagram"].posts_per_week > by["tiktok"].posts_per_week >= 3
    assert by["facebook"].posts_per_week >= 2
    assert [r.platform.value for r in plan.recommendations][:3] == [
        "instagram",
        "tiktok",
        "facebook",
    ]
    assert "in front of about 2,700 of your 4,000 people" in by["instagram"].expected_effect


def test_capacity_limits_and_objectives_change_the_choice() -> None:
    small = recommend_channels(brand(("engagement", 1.0)), AUDIENCE, capacity=4)
    chosen = {r.platform.value: r.posts_per_week for r in small.chosen}
    assert chosen == {"instagram": 4}
    tiktok = next(r for r in small.recommendations if r.platform.value == "tiktok")
    assert "remaining capacity (1 a week)" in tiktok.reasons[-1]
    leads = recommend_channels(brand(("leads", 1.0)), AUDIENCE, capacity=4)
    # leads: instagram 0.675*0.5, tiktok 0.375*0.3, facebook 0.2*0.7
    assert leads.recommendations[0].objective_fit == pytest.approx(0.5)
    with pytest.raises(ValidationError, match="capacity"):
        recommend_channels(brand(), AUDIENCE, capacity=-1)


def test_audit_feeds_reasons_and_expected_effect() -> None:
    post = PostMetrics(
        platform="instagram",
        measured_at=END,
        post_id="p",
        published_at=START,
        likes=40,
        comments=10,
        followers=1_000,
    )
    data = [
        ChannelData(owner="B", platform="instagram", followers_end=1_000, posts=(post,)),
        ChannelData(
            owner="Rival",
            platform="instagram",
            followers_end=2_000,
            posts=(post.model_copy(update={"followers": 2_000}),),
        ),
        ChannelData(owner="Rival", platform="tiktok", followers_end=5_000),
        ChannelData(owner="Hidden", platform="tiktok", source="none", note="private"),
    ]
    audit = audit_presence(data, brand="B", start=START, end=END)
    plan = recommend_channels(brand(("engagement", 1.0)), AUDIENCE, capacity=12, audit=audit)
    by = {r.platform.value: r for r in plan.recommendations}
    ig = by["instagram"]
    assert "competitors active here: Rival" in ig.reasons
    assert "your engagement rate 5.00% is above the competitors' 2.50%" in ig.reasons
    # 5% of 1,000 followers per post, times the posts a week
    assert (
        f"about {round(0.05 * 1000 * ig.posts_per_week):,} engagements a week" in ig.expected_effect
    )
    assert ig.score == pytest.approx(0.675 * 1.0 * 1.1)
    assert "no readable data for Hidden" in by["tiktok"].reasons


def test_plan_feeds_the_planner_channels() -> None:
    setup = smmkit.load_setup("examples/forno_aurora.toml")
    assert setup.audience is not None
    plan = recommend_channels(setup.brand, setup.audience, capacity=10, channels=setup.channels)
    channels = plan.apply(setup.channels)
    assert [c.key for c in channels] == [c.key for c in setup.channels]
    wanted = plan.cadences()
    for c in channels:
        assert c.cadence.posts_per_week == wanted.get(c.platform, 0)
        assert c.cadence.posts_per_week <= 7 * c.cadence.daily_cap
    actions = {r.platform: r.action for r in plan.recommendations}
    assert set(actions.values()) <= {"open", "keep", "grow", "reduce", "pause", "skip"}
    assert plan.to_open == [r.platform for r in plan.recommendations if r.action == "open"]
    assert Platform.INSTAGRAM in wanted
    calendar = plan_calendar(
        PlanRequest(
            brand=setup.brand,
            channels=tuple(channels),
            start=date(2026, 11, 30),
            weeks=4,
            audience=setup.audience,
        )
    )
    per_channel = Counter(slot.channel for slot in calendar.slots)
    assert per_channel == {c.key: 4 * c.cadence.posts_per_week for c in channels}
