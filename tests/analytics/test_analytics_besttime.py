"""Best time to post: median per cell, shrinkage, minimum count, the planner's input shape."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.analytics import best_times
from smmkit.errors import ValidationError
from smmkit.models import Platform, PostMetrics, Weekday

MON = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday, winter time


def _p(
    i: int, when: datetime, likes: int, reach: int | None = 100, channel: str = "ig"
) -> PostMetrics:
    return PostMetrics(
        platform=Platform.INSTAGRAM,
        channel=channel,
        post_id=f"p{i}",
        measured_at=when + timedelta(days=1),
        published_at=when,
        reach=reach,
        likes=likes,
    )


def test_median_shrinkage_and_shape() -> None:
    posts = [
        _p(0, MON + timedelta(hours=8), 10),
        _p(1, MON + timedelta(days=7, hours=8), 2),
        _p(2, MON + timedelta(days=14, hours=8), 6),
        _p(3, MON + timedelta(days=1, hours=20), 2),
    ]
    bt = best_times(posts, timezones="UTC", prior_strength=2)
    mean = (0.10 + 0.02 + 0.06 + 0.02) / 4
    assert bt.channel_mean["ig"] == pytest.approx(mean)
    assert bt.scores["ig"][(Weekday.MON, 8)] == pytest.approx((3 * 0.06 + 2 * mean) / 5)
    assert bt.scores["ig"][(Weekday.TUE, 20)] == pytest.approx((1 * 0.02 + 2 * mean) / 3)
    for key, value in bt.scores["ig"].items():
        assert isinstance(key[0], Weekday) and isinstance(key[1], int)
        assert isinstance(value, float)
    assert bt.top("ig", 1)[0][:2] == (Weekday.MON, 8)


def test_local_time_min_count_fill_and_skips() -> None:
    posts = [
        _p(0, MON + timedelta(hours=7), 10),  # 08:00 in Rome
        _p(1, MON + timedelta(days=7, hours=7), 10),
        _p(2, MON + timedelta(days=2, hours=7), 4),  # a single post on Wednesday
        _p(3, MON + timedelta(days=3, hours=7), 4, reach=None),  # no denominator
        _p(4, MON + timedelta(days=3, hours=7), 4, reach=0),
    ]
    bt = best_times(posts, timezones={"ig": "Europe/Rome"}, min_count=2)
    assert set(bt.scores["ig"]) == {(Weekday.MON, 8)}
    assert bt.skipped == 2
    filled = best_times(posts, timezones="Europe/Rome", fill_empty=True)
    assert len(filled.scores["ig"]) == 7 * 24


def test_bad_arguments() -> None:
    with pytest.raises(ValidationError, match="rate"):
        best_times([], rate="likes")
    with pytest.raises(ValidationError, match="min_count"):
        best_times([], min_count=0)
    with pytest.raises(ValidationError, match="timezones"):
        best_times([_p(0, MON, 1)], timezones="Nowhere/Land")


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 24 * 7 * 4 - 1), st.integers(0, 100)), min_size=1, max_size=30
    )
)
def test_scores_lie_between_cell_median_and_channel_mean(rows: list[tuple[int, int]]) -> None:
    posts = [_p(i, MON + timedelta(hours=h), likes) for i, (h, likes) in enumerate(rows)]
    bt = best_times(posts)
    mean = bt.channel_mean["ig"]
    for cell in bt.cells:
        lo, hi = sorted((cell.median_rate, mean))
        assert lo - 1e-12 <= cell.score <= hi + 1e-12
