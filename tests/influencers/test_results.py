from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.errors import ValidationError
from smmkit.influencers import (
    INFLUENCER_KPIS,
    Attribution,
    Collaboration,
    influencer_results,
)
from smmkit.models import Money, PostMetrics

T = datetime(2026, 12, 20, tzinfo=UTC)


def metrics(post_id: str, **counts: int) -> PostMetrics:
    return PostMetrics.model_validate(
        {"platform": "instagram", "measured_at": T, "post_id": post_id, **counts}
    )


GIULIA = Collaboration(
    handle="giulia", platform="instagram", campaign="xmas", fee=Money.of("350.00", "EUR")
)
MARCO = Collaboration(
    handle="marco", platform="instagram", campaign="xmas", fee=Money.of("150.00", "EUR")
)
POSTS = {
    # giulia: reach 10,000 + 6,000; engagements (400+30+20+50) + (200+10+5+15) = 500 + 230
    "giulia": [
        metrics("g1", reach=10_000, likes=400, comments=30, shares=20, saves=50, clicks=90),
        metrics("g2", reach=6_000, likes=200, comments=10, shares=5, saves=15, clicks=30),
    ],
    # marco: reach 4,000; engagements 100 + 20 = 120; link clicks 25
    "@Marco": [metrics("m1", reach=4_000, likes=100, comments=20, clicks=25)],
}
UTM = [
    Attribution(handle="giulia", clicks=140, conversions=14, revenue=Money.of("980.00", "EUR")),
    Attribution(handle="marco", conversions=0),
]


def test_per_creator_hand_computed() -> None:
    result = influencer_results([GIULIA, MARCO], POSTS, UTM, campaign="xmas")
    giulia, marco = result.creators
    assert (giulia.reach, giulia.engagements, giulia.clicks) == (16_000, 730, 140)
    assert giulia.clicks_source == "utm"
    k = giulia.kpis
    assert k["cpe"].value == pytest.approx(350 / 730)  # 0.4795 EUR per engagement
    assert k["cpc"].value == pytest.approx(350 / 140)  # 2.50 EUR per click
    assert k["cpa"].value == pytest.approx(350 / 14)  # 25.00 EUR per sale
    assert k["ros"].value == pytest.approx(980 / 350)  # 2.8
    assert k["engagement_rate"].value == pytest.approx(730 / 16_000)
    assert k["cpc"].formula == "cost / clicks"
    assert marco.clicks == 25 and marco.clicks_source == "post metrics"
    assert marco.kpis["cpa"].value is None and marco.kpis["cpa"].reason == "conversions is 0"
    assert marco.kpis["ros"].value is None and "revenue not reported" in str(
        marco.kpis["ros"].reason
    )


def test_campaign_totals_are_ratios_of_sums() -> None:
    result = influencer_results([GIULIA, MARCO], POSTS, UTM, campaign="xmas")
    t = result.totals
    assert result.currency == "EUR"
    assert t.cost == Money.of("500.00", "EUR")
    assert (t.reach, t.engagements, t.clicks, t.conversions) == (20_000, 850, 165, 14)
    assert t.kpis["cpe"].value == pytest.approx(500 / 850)
    assert t.kpis["cpc"].value == pytest.approx(500 / 165)
    assert t.kpis["cpa"].value == pytest.approx(500 / 14)
    assert t.kpis["ros"].value == pytest.approx(980 / 500)


def test_names_and_missing_data() -> None:
    assert set(INFLUENCER_KPIS) == {"cpe", "cpc", "cpa", "ros", "engagement_rate"}
    unpaid = Collaboration(handle="x", platform="instagram", campaign="xmas")
    result = influencer_results([unpaid], {}, campaign="xmas")
    row = result.creators[0]
    assert row.posts == 0 and row.engagements is None and row.clicks_source == "none"
    assert row.kpis["cpe"].reason == "cost not reported"
    assert influencer_results([GIULIA], POSTS, campaign="other").creators == ()


def test_currencies_never_mix() -> None:
    usd = GIULIA.model_copy(update={"fee": Money.of(100, "USD")})
    with pytest.raises(ValidationError, match="share a currency"):
        influencer_results([usd, MARCO], POSTS, UTM)


@settings(max_examples=60, deadline=None)
@given(
    cents=st.integers(min_value=0, max_value=10_000_000),
    likes=st.integers(min_value=0, max_value=1_000_000),
    clicks=st.integers(min_value=0, max_value=1_000_000),
    conversions=st.integers(min_value=0, max_value=100_000),
    revenue_cents=st.integers(min_value=0, max_value=10_000_000),
)
def test_kpis_invert_to_the_cost(
    cents: int, likes: int, clicks: int, conversions: int, revenue_cents: int
) -> None:
    fee = Money.from_minor_units(cents, "EUR")
    deal = Collaboration(handle="p", platform="instagram", fee=fee)
    post = metrics("x", reach=max(likes, 1), likes=likes)
    utm = Attribution(
        handle="p",
        clicks=clicks,
        conversions=conversions,
        revenue=Money.from_minor_units(revenue_cents, "EUR"),
    )
    k = influencer_results([deal], {"p": [post]}, [utm]).creators[0].kpis
    cost = cents / 100
    for name, denominator in (("cpe", likes), ("cpc", clicks), ("cpa", conversions)):
        if denominator == 0:
            assert k[name].value is None and k[name].reason
        else:
            value = k[name].value
            assert value is not None and value * denominator == pytest.approx(cost)
    if cents == 0:
        assert k["ros"].value is None
    else:
        ros = k["ros"].value
        assert ros is not None and ros * cost == pytest.approx(revenue_cents / 100)
