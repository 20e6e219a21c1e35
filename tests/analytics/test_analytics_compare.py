"""Comparisons: period over period, targets, competitors, A/B tests."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.analytics import (
    CompetitorSnapshot,
    MetricsTable,
    ab_test,
    against_targets,
    compare_competitors,
    ctr,
    period_over_period,
)
from smmkit.errors import ValidationError
from smmkit.models import KpiTarget, Platform

T0 = datetime(2026, 3, 2, tzinfo=UTC)


def test_period_over_period() -> None:
    t = MetricsTable.from_columns(
        {
            "published_at": [T0, T0 + timedelta(days=1), T0 + timedelta(days=8)],
            "impressions": [1000, 1000, 1000],
            "clicks": [10, 30, 30],
            "reach": [0, 0, 100],
        }
    )
    week1 = (T0, T0 + timedelta(days=7))
    week2 = (T0 + timedelta(days=7), T0 + timedelta(days=14))
    ctr_change, er_change = period_over_period(
        t, ["ctr", "engagement_rate_by_reach_pooled"], current=week2, previous=week1
    )
    assert ctr_change.current == pytest.approx(0.03)
    assert ctr_change.previous == pytest.approx(0.02)
    assert ctr_change.delta == pytest.approx(0.01)
    assert ctr_change.relative == pytest.approx(0.5)
    assert er_change.relative is None and er_change.reason


def test_against_targets_with_aliases_and_missing() -> None:
    goals = against_targets(
        {"engagement_rate_by_reach_mean": 0.06, "ctr": ctr(5, 1000), "cpa": ctr(1, 0)},
        [
            KpiTarget(kpi="engagement_rate_by_reach", target=0.05),
            KpiTarget(kpi="ctr", target=0.012),
            KpiTarget(kpi="cpa", target=6, direction="at_most"),
            KpiTarget(kpi="roas", target=3),
        ],
    )
    assert [g.met for g in goals] == [True, False, None, None]
    assert goals[0].attainment == pytest.approx(1.2)
    assert goals[2].reason == "impressions is 0"
    assert goals[3].reason == "not computed"


def test_compare_competitors() -> None:
    snaps = [
        CompetitorSnapshot(
            name="Forno Aurora",
            platform=Platform.INSTAGRAM,
            followers_start=4000,
            followers_end=4400,
            posts=12,
            days=28,
            engagements=2640,
            formats={"reel": 6, "carousel": 6},
            mentions=30,
        ),
        CompetitorSnapshot(
            name="Due Torri",
            platform=Platform.INSTAGRAM,
            followers_start=8000,
            followers_end=8000,
            posts=8,
            days=28,
            engagements=1600,
            formats={"post": 8},
            mentions=70,
        ),
        CompetitorSnapshot(
            name="San Vitale",
            platform=Platform.FACEBOOK,
            followers_start=0,
            followers_end=100,
            posts=0,
            days=28,
        ),
    ]
    out = {(s.name, s.platform): s for s in compare_competitors(snaps)}
    us = out[("Forno Aurora", Platform.INSTAGRAM)]
    assert us.engagement_rate_by_followers.value == pytest.approx(220 / 4400)
    assert us.posts_per_week.value == pytest.approx(3.0)
    assert us.follower_growth_rate.value == pytest.approx(0.1)
    assert us.share_of_voice is not None and us.share_of_voice.value == pytest.approx(0.3)
    assert us.content_mix == {"carousel": 0.5, "reel": 0.5}
    assert us.rank_engagement == 1
    them = out[("Due Torri", Platform.INSTAGRAM)]
    assert them.engagement_rate_by_followers.value == pytest.approx(200 / 8000)
    assert them.rank_engagement == 2
    sv = out[("San Vitale", Platform.FACEBOOK)]
    assert sv.engagement_rate_by_followers.value is None
    assert sv.follower_growth_rate.reason == "followers_start is 0"
    assert sv.share_of_voice is None and sv.rank_engagement is None


def test_ab_test_hand_computed() -> None:
    r = ab_test(40, 2000, 62, 2000)
    p = 102 / 4000
    se = math.sqrt(p * (1 - p) * (2 / 2000))
    assert r.z is not None and r.z == pytest.approx((0.031 - 0.02) / se)
    assert r.p_value == pytest.approx(math.erfc(abs(r.z) / math.sqrt(2)))
    assert r.significant
    assert r.lift == pytest.approx(0.55)


def test_ab_bayesian_matches_monte_carlo() -> None:
    r = ab_test(30, 1000, 42, 1000)
    rng = np.random.default_rng(0)
    a = rng.beta(31, 971, 400_000)
    b = rng.beta(43, 959, 400_000)
    assert r.probability_b_beats_a == pytest.approx(float((b > a).mean()), abs=0.005)


def test_ab_edge_cases() -> None:
    same = ab_test(0, 10, 0, 10)
    assert same.z is None and same.reason and not same.significant
    assert same.probability_b_beats_a == pytest.approx(0.5)
    big = ab_test(30_000, 100_000, 30_500, 100_000)  # normal approximation branch
    assert 0.98 < big.probability_b_beats_a < 1.0
    with pytest.raises(ValidationError, match="successes_a"):
        ab_test(11, 10, 0, 10)
    with pytest.raises(ValidationError, match="trials_b"):
        ab_test(1, 10, 0, 0)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 60), st.integers(0, 60))
def test_ab_probability_is_symmetric(sa: int, sb: int) -> None:
    ab = ab_test(sa, 60, sb, 60).probability_b_beats_a
    ba = ab_test(sb, 60, sa, 60).probability_b_beats_a
    assert ab + ba == pytest.approx(1.0, abs=1e-9)
