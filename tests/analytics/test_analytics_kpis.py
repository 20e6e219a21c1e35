"""KPIs against hand-computed values, including zero denominators and missing metrics."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from smmkit.analytics import (
    KPI_SPECS,
    KpiValue,
    MetricsTable,
    cpa,
    cpc,
    cpm,
    ctr,
    follower_growth_rate,
    posting_frequency,
    ratio,
    roas,
    share_of_voice,
)
from smmkit.errors import ValidationError

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_scalar_ad_kpis_hand_computed() -> None:
    assert ctr(30, 1200).value == pytest.approx(0.025)
    assert cpc(45.0, 30).value == pytest.approx(1.5)
    assert cpm(45.0, 1200).value == pytest.approx(37.5)
    assert cpa(45.0, 3).value == pytest.approx(15.0)
    assert roas(180.0, 45.0).value == pytest.approx(4.0)


@pytest.mark.parametrize(
    ("kpi", "reason"),
    [
        (ctr(5, 0), "impressions is 0"),
        (cpc(10.0, 0), "clicks is 0"),
        (cpm(10.0, 0), "impressions is 0"),
        (cpa(10.0, 0), "conversions is 0"),
        (roas(0.0, 0.0), "spend is 0"),
        (ctr(None, 100), "clicks not reported"),
        (cpc(10.0, None), "clicks not reported"),
    ],
)
def test_zero_or_missing_denominators_give_no_value_with_reason(kpi: KpiValue, reason: str) -> None:
    assert kpi.value is None
    assert kpi.reason == reason
    assert not kpi.ok


def test_negative_or_nan_inputs_are_refused() -> None:
    with pytest.raises(ValidationError, match="clicks"):
        ctr(-1, 10)
    with pytest.raises(ValidationError, match="impressions"):
        ctr(1, math.nan)


def test_follower_growth_uses_start_of_period_base() -> None:
    assert follower_growth_rate(1000, 1100).value == pytest.approx(0.1)
    assert follower_growth_rate(1000, 900).value == pytest.approx(-0.1)
    zero = follower_growth_rate(0, 50)
    assert zero.value is None and zero.reason == "followers_start is 0"
    assert follower_growth_rate(None, 50).reason == "followers_start not reported"


def test_posting_frequency_per_week() -> None:
    assert posting_frequency(6, 14).value == pytest.approx(3.0)
    assert posting_frequency(3, 0).value is None


def test_share_of_voice() -> None:
    sov = share_of_voice({"us": 30, "them": 60, "others": 10})
    assert sov["us"].value == pytest.approx(0.3)
    assert sov["them"].value == pytest.approx(0.6)
    empty = share_of_voice({"us": 0, "them": 0})
    assert empty["us"].value is None and empty["us"].reason == "all mentions is 0"


def test_ratio_scale() -> None:
    assert ratio("x", 1.0, 4.0, scale=100).value == pytest.approx(25.0)


def _table() -> MetricsTable:
    # post  reach impr followers likes comments shares saves clicks
    # p1    100   200  1000      8     1        1      0     4
    # p2    300   400  1000      20    5        3      2     6
    # p3    0     0    1000      0     0        0      0     0     (zero denominators)
    # p4    None  100  None      None  None     None   None  1     (missing)
    return MetricsTable.from_columns(
        {
            "post_id": ["p1", "p2", "p3", "p4"],
            "channel": ["ig", "ig", "ig", "fb"],
            "published_at": [T0, T0, T0, T0],
            "reach": [100, 300, 0, None],
            "impressions": [200, 400, 0, 100],
            "followers": [1000, 1000, 1000, None],
            "likes": [8, 20, 0, None],
            "comments": [1, 5, 0, None],
            "shares": [1, 3, 0, None],
            "saves": [0, 2, 0, None],
            "clicks": [4, 6, 0, 1],
            "video_views": [None, 50, None, None],
            "video_completions": [None, 20, None, None],
        }
    )


def test_engagement_rates_mean_of_ratios_vs_ratio_of_sums() -> None:
    row = _table().kpis().rows[0]
    # engagements: p1 10, p2 30, p3 0, p4 missing
    assert row.value("engagement_rate_by_reach_mean") == pytest.approx((10 / 100 + 30 / 300) / 2)
    assert row.kpis["engagement_rate_by_reach_mean"].count == 2  # p3 (reach 0) is left out
    assert row.value("engagement_rate_by_reach_pooled") == pytest.approx(40 / 400)
    assert row.value("engagement_rate_by_impressions_mean") == pytest.approx(
        (10 / 200 + 30 / 400) / 2
    )
    assert row.value("engagement_rate_by_impressions_pooled") == pytest.approx(40 / 600)
    assert row.value("engagement_rate_by_followers_mean") == pytest.approx(
        (10 / 1000 + 30 / 1000 + 0 / 1000) / 3
    )
    assert row.value("engagement_rate_by_followers_pooled") == pytest.approx(40 / 3000)
    assert row.value("amplification_rate") == pytest.approx((1 / 1000 + 3 / 1000 + 0) / 3)
    assert row.value("applause_rate") == pytest.approx((8 / 1000 + 20 / 1000 + 0) / 3)
    assert row.value("conversation_rate") == pytest.approx((1 / 1000 + 5 / 1000 + 0) / 3)
    assert row.value("virality_rate") == pytest.approx(4 / 600)
    assert row.value("ctr") == pytest.approx(11 / 700)
    assert row.value("video_completion_rate") == pytest.approx(20 / 50)
    views = row.kpis["engagement_rate_by_views_mean"]
    assert views.value is None and "views" in (views.reason or "")
    assert row.kpis["cpc"].value is None


def test_group_with_only_zero_denominators_explains_itself() -> None:
    t = MetricsTable.from_columns({"channel": ["a", "a"], "reach": [0, 0], "likes": [3, 4]})
    row = t.kpis(["engagement_rate_by_reach_mean", "engagement_rate_by_reach_pooled"]).rows[0]
    assert row.kpis["engagement_rate_by_reach_mean"].reason == "reach is 0 on every post"
    assert row.kpis["engagement_rate_by_reach_pooled"].reason == "sum of reach is 0"
    assert row.kpis["engagement_rate_by_reach_pooled"].value is None


def test_ad_kpis_on_a_table() -> None:
    t = MetricsTable.from_columns(
        {
            "campaign": ["c", "c", "d"],
            "spend": [10.0, 30.0, 5.0],
            "clicks": [10, 10, 0],
            "impressions": [1000, 3000, 0],
            "conversions": [1, 1, 0],
            "revenue": [50.0, 70.0, 0.0],
        }
    )
    rows = {
        r.key["campaign"]: r for r in t.kpis(["cpc", "cpm", "cpa", "roas"], by=["campaign"]).rows
    }
    assert rows["c"].value("cpc") == pytest.approx(2.0)
    assert rows["c"].value("cpm") == pytest.approx(10.0)
    assert rows["c"].value("cpa") == pytest.approx(20.0)
    assert rows["c"].value("roas") == pytest.approx(3.0)
    assert rows["d"].value("cpc") is None and rows["d"].kpis["cpc"].reason == "sum of clicks is 0"


def test_every_kpi_has_a_formula_and_is_finite_or_explained() -> None:
    row = _table().kpis().rows[0]
    assert set(row.kpis) == set(KPI_SPECS)
    for k in row.kpis.values():
        assert k.formula
        assert (k.value is not None and math.isfinite(k.value)) or k.reason
