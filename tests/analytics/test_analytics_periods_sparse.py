"""Local periods of instants: exact in every zone, and sparse in the span of the dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.analytics import MetricsTable
from smmkit.analytics._table import period_codes
from smmkit.errors import ValidationError

ZONES = ("Europe/Rome", "America/New_York", "America/Santiago", "Australia/Lord_Howe", "UTC")
# instants from 1900 to 2100, clustered near the daylight-saving changes of 2026 too
EPOCHS = st.one_of(
    st.integers(min_value=-2_208_988_800, max_value=4_102_444_800),
    st.integers(min_value=1_774_000_000, max_value=1_775_500_000),  # March-April 2026
    st.integers(min_value=1_792_000_000, max_value=1_794_000_000),  # October-November 2026
)


@settings(max_examples=60, deadline=None)
@given(st.lists(EPOCHS, min_size=1, max_size=40), st.sampled_from(ZONES))
def test_day_codes_match_the_zone(epochs: list[int], zone: str) -> None:
    arr = np.array(epochs, dtype=np.float64)
    codes, _ = period_codes(arr, "day", zone)
    tz = ZoneInfo(zone)
    for epoch, code in zip(epochs, codes.tolist(), strict=True):
        local = datetime.fromtimestamp(epoch, tz).date()
        assert code == (local - date(1970, 1, 1)).days


def test_weekly_kpis_over_eight_thousand_years_are_sparse() -> None:
    rows = [
        {
            "platform": "instagram",
            "channel": "ig",
            "post_id": name,
            "measured_at": at,
            "published_at": at,
            "reach": 100,
            "likes": likes,
        }
        for name, at, likes in (
            ("old", datetime(1970, 1, 2, tzinfo=UTC), 5),
            ("far", datetime(8307, 1, 2, tzinfo=UTC), 7),
        )
    ]
    table = MetricsTable.from_dicts(rows)
    for zone in ("Europe/Rome", "America/New_York"):
        weekly = table.kpis(["engagement_rate_by_reach_mean"], by=["period"], tz=zone)
        assert [r.key["period"] for r in weekly.rows] == ["1969-12-29", "8306-12-31"]
        assert [r.kpis["engagement_rate_by_reach_mean"].value for r in weekly.rows] == [
            0.05,
            0.07,
        ]


def test_epochs_outside_the_calendar_are_refused() -> None:
    with pytest.raises(ValidationError, match="outside the years 1-9999"):
        period_codes(np.array([1e15]), "week", "Europe/Rome")


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -1.0])
def test_best_times_prior_strength_must_be_finite(bad: float) -> None:
    from smmkit.analytics import best_times

    with pytest.raises(ValidationError) as info:
        best_times([], prior_strength=bad)
    assert info.value.field == "prior_strength" and "finite number >= 0" in info.value.rule
