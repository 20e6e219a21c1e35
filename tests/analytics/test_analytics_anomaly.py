"""Anomaly detector: seasonality and trend, spikes and level shifts, stream = batch, bad input."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.analytics import AnomalyDetector, AnomalySettings, detect_anomalies
from smmkit.analytics._anomaly import _median, _ShapeNovelty, _Window
from smmkit.errors import ValidationError

START = datetime(2026, 1, 5, tzinfo=UTC)


def _seasonal(n: int, step_minutes: int = 60, seed: int = 3) -> tuple[list[datetime], np.ndarray]:
    rng = np.random.default_rng(seed)
    stamps = [START + timedelta(minutes=step_minutes * i) for i in range(n)]
    per_day = 24 * 60 // step_minutes
    i = np.arange(n)
    daily = 40 * np.sin(2 * np.pi * i / per_day)
    weekly = 15 * ((i // per_day) % 7 >= 5)
    trend = 0.02 * i
    return stamps, 200 + daily + weekly + trend + rng.normal(0, 2, n)


def test_quiet_on_seasonality_and_trend() -> None:
    stamps, values = _seasonal(24 * 50)
    # the likelihood never fires on daily and weekly cycles plus a trend ...
    bare = detect_anomalies(stamps, values, AnomalySettings(novelty_min_surprise=0.0))
    assert all(a.reason == "value outside the range seen so far" for a in bare.anomalies)
    # ... and the novelty rule only flags new all-time highs that no predictor explains
    assert detect_anomalies(stamps, values).anomalies == ()
    assert detect_anomalies(stamps, values, AnomalySettings(novelty_score=0.0)).anomalies == ()


def test_finds_a_spike() -> None:
    stamps, values = _seasonal(24 * 50)
    spiked = values.copy()
    spiked[900] += 60
    for chosen in (AnomalySettings(), AnomalySettings(novelty_score=0.0, spike_level=6.0)):
        found = detect_anomalies(stamps, spiked, chosen)
        assert [a.index for a in found.anomalies] == [900]
        a = found.anomalies[0]
        assert a.reason and a.score >= chosen.threshold
        assert a.expected is not None and abs(a.expected - values[900]) < 15


def test_finds_a_level_drop_inside_the_normal_range() -> None:
    stamps, values = _seasonal(24 * 50)
    dropped = values.copy()
    dropped[850:900] -= 45  # a drop in reach that stays within the daily swing
    found = detect_anomalies(stamps, dropped, AnomalySettings(novelty_score=0.0))
    # one alert, within a few points of the drop's start (the likelihood averages 4 points)
    assert len(found.anomalies) == 1 and 850 <= found.anomalies[0].index <= 853
    assert found.anomalies[0].reason.startswith("unusual")


def test_stream_equals_batch() -> None:
    stamps, values = _seasonal(24 * 20, seed=5)
    values[300] -= 80
    batch = detect_anomalies(stamps, values)
    det = AnomalyDetector(AnomalySettings(warmup=batch.warmup))
    online = [det.update(t, float(v)) for t, v in zip(stamps, values, strict=True)]
    assert [r.score for r in online] == list(batch.scores)
    assert [r.index for r in online if r.reason] == [a.index for a in batch.anomalies]


def test_unsorted_duplicated_nan_and_mixed_timezones() -> None:
    stamps, values = _seasonal(24 * 15)
    values[250] += 90  # noqa: RUF100
    ref = detect_anomalies(stamps, values)
    cet = timezone(timedelta(hours=1))
    mixed = [t.astimezone(cet) if i % 2 else t for i, t in enumerate(stamps)]
    order = np.random.default_rng(1).permutation(len(stamps))
    shuffled = detect_anomalies([mixed[i] for i in order], values[order])
    assert "not sorted" in " ".join(shuffled.notes)
    back = np.empty(len(order))
    back[order] = shuffled.scores
    assert list(back) == list(ref.scores)
    with_dup = detect_anomalies([*stamps, stamps[10]], [*values, values[10] + 2.0])
    assert any("duplicated" in n for n in with_dup.notes)
    assert with_dup.scores[10] == with_dup.scores[-1]
    with pytest.raises(ValidationError, match=r"timestamps\[360\]"):
        detect_anomalies([*stamps, stamps[10]], [*values, 1.0], on_duplicate="error")
    holes = values.copy()
    holes[100] = math.nan
    gaps = detect_anomalies(stamps, holes)
    assert gaps.scores[100] == 0.0 and any("NaN" in n for n in gaps.notes)


def test_short_series_and_bad_input() -> None:
    short = detect_anomalies([float(i * 3600) for i in range(20)], [1.0] * 20)
    assert any("shorter than two days" in n for n in short.notes)
    with pytest.raises(ValidationError, match=r"timestamps\[0\]"):
        detect_anomalies([datetime(2026, 1, 1)], [1.0])
    with pytest.raises(ValidationError, match="values"):
        detect_anomalies([1.0, 2.0], [1.0])
    det = AnomalyDetector()
    det.update(10.0, 1.0)
    with pytest.raises(ValidationError, match="strictly after"):
        det.update(5.0, 1.0)
    with pytest.raises(ValidationError, match="finite"):
        det.update(20.0, math.inf)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=200))
def test_scores_are_in_unit_interval(values: list[float]) -> None:
    result = detect_anomalies([float(i * 300) for i in range(len(values))], values)
    assert len(result.scores) == len(values)
    assert all(0.0 <= s <= 1.0 for s in result.scores)
    threshold = result.settings.threshold
    flagged = {a.index for a in result.anomalies}
    assert flagged <= {i for i, s in enumerate(result.scores) if s >= threshold}


def test_irregular_timestamps_still_find_the_daily_lag() -> None:
    rng = np.random.default_rng(11)
    # hourly points with up to +-10 minutes of jitter and a few missing hours
    hours = [h for h in range(24 * 40) if h % 97 != 5]
    stamps = [START + timedelta(hours=h, minutes=float(rng.uniform(-10, 10))) for h in hours]
    values = np.array([200 + 40 * math.sin(2 * math.pi * h / 24) + rng.normal(0, 2) for h in hours])
    assert detect_anomalies(stamps, values).anomalies == ()
    k = hours.index(24 * 30 + 3)
    values[k] -= 50  # inside the daily range, but not at this hour
    found = detect_anomalies(stamps, values, AnomalySettings(spike_level=6.0))
    assert [a.index for a in found.anomalies] == [k]


def test_best_times_feed_the_planner_shape() -> None:
    from smmkit.analytics import best_times
    from smmkit.models import Platform, PostMetrics, Weekday

    post = PostMetrics(
        platform=Platform.X,
        channel="x",
        post_id="1",
        measured_at=START,
        published_at=START,
        reach=10,
        likes=1,
    )
    scores = best_times([post]).scores
    assert scores == {"x": {(Weekday.MON, 0): 0.1}}


@pytest.mark.parametrize("record_window", [0, 50])
def test_memory_per_series_is_bounded(record_window: int) -> None:
    """Constant memory per series: what the detector holds stops growing after about a week."""
    chosen = AnomalySettings(warmup=100, scale_window=200, record_window=record_window)
    det = AnomalyDetector(chosen)
    step = 3600.0
    bound = det.max_held_values(step)
    stamps, values = _seasonal(24 * 7 * 6, seed=11)  # six weeks, hourly
    values = values * np.linspace(1.0, 3.0, values.size)  # a series that keeps changing
    values[::97] += 500.0  # and alarms now and then
    held = []
    for t, v in zip(stamps, values, strict=True):
        det.update(t, float(v))
        held.append(det.held_values)
    assert max(held) <= bound  # a bound from the settings and the step, not the length
    assert max(held[24 * 7 * 3 :]) >= min(held[24 * 7 * 3 :]) > 24 * 7  # it does keep a week


def test_pattern_novelty_finds_a_new_shape_inside_the_range() -> None:
    """The day's high at the hour of its low: inside the usual range, and after an early outage
    the likelihood's earlier local-record rule (every score in the record) holds the alarm back;
    pattern novelty raises it."""
    rng = np.random.default_rng(3)
    n = 24 * 60
    stamps = [START + timedelta(hours=i) for i in range(n)]
    i = np.arange(n)
    values = 200 + 40 * np.sin(2 * np.pi * i / 24) + rng.normal(0, 0.5, n)
    values[250] += 150  # an early outage sets the local record
    odd = 18 + 24 * 50  # 6 pm on day 50: the daily low
    values[odd] = 238.0  # the high, one hour early and twelve hours late
    assert values.min() < values[odd] < values[:odd].max()
    earlier = AnomalySettings(record_excursions=False)
    found = detect_anomalies(stamps, values, earlier)
    assert [a.index for a in found.anomalies] == [250, odd]
    assert found.anomalies[1].reason.startswith("a pattern of consecutive values not seen before")
    off = detect_anomalies(stamps, values, earlier.model_copy(update={"context_levels": 0}))
    assert [a.index for a in off.anomalies] == [250]
    # today's rule: the outage raised an alarm, so it no longer sets the bar for the next one
    now = detect_anomalies(stamps, values, AnomalySettings(context_levels=0))
    assert [a.index for a in now.anomalies] == [250, odd]
    assert now.anomalies[1].reason.startswith("unusual:")
    # a plain seasonal series teaches its pairs during the warm-up: nothing new, nothing flagged
    quiet = 200 + 40 * np.sin(2 * np.pi * i / 24) + rng.normal(0, 0.5, n)
    assert detect_anomalies(stamps, quiet).anomalies == ()


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_one_likelihood_alarm_per_excursion(seed: int) -> None:
    """A growing incident keeps breaking the local record; with no cooldown the earlier rule
    raised an alarm at each new record, today's raises one for the whole excursion."""
    rng = np.random.default_rng(seed)
    n = 24 * 40
    stamps = [START + timedelta(hours=i) for i in range(n)]
    values = 100 + rng.normal(0, 1, n)
    values[500:530] += np.linspace(5, 60, 30)
    only = AnomalySettings(
        novelty_score=0.0, context_levels=0, shape_length=0, cooldown=0, seasonal=False
    )
    now = detect_anomalies(stamps, values, only)
    assert len(now.anomalies) == 1 and 500 <= now.anomalies[0].index < 510
    before = detect_anomalies(stamps, values, only.model_copy(update={"record_excursions": False}))
    assert len(before.anomalies) > 1


def test_a_sparse_count_series_gets_a_reason_without_a_million_sds() -> None:
    """Mostly zeros (a small account's hourly mentions): every predictor's recent errors are 0,
    so the robust z-score of a run of ones is the cap; the reason says what happened instead."""
    n = 24 * 30
    stamps = [START + timedelta(hours=i) for i in range(n)]
    values = np.zeros(n)
    values[::37] = 1.0
    values[400:404] = 1.0
    found = detect_anomalies(stamps, values)
    assert [a.index for a in found.anomalies] == [401]
    flagged = found.anomalies[0]
    assert flagged.surprise == 1e6
    assert flagged.reason.startswith("unusual: off a prediction whose recent errors were all zero")
    assert "1000000" not in flagged.reason


def test_shape_novelty_flags_a_window_unlike_the_warm_up_once() -> None:
    """With the other signals off, a level shift makes windows of block means farther from every
    prototype than any warm-up window was: one alert (the quiet stretch holds the rest back)."""
    rng = np.random.default_rng(4)
    n = 24 * 60
    stamps = [START + timedelta(hours=i) for i in range(n)]
    values = 50 + rng.normal(0, 1, n)
    values[900:] += 20
    only_shapes = AnomalySettings(likelihood_level=1e9, novelty_score=0.0, context_levels=0)
    found = detect_anomalies(stamps, values, only_shapes)
    block, length = only_shapes.shape_block, only_shapes.shape_length
    assert len(found.anomalies) == 1
    assert 900 <= found.anomalies[0].index < 900 + block * length
    assert found.anomalies[0].reason.startswith("a shape of the last 32 points")
    off = only_shapes.model_copy(update={"shape_length": 0})
    assert detect_anomalies(stamps, values, off).anomalies == ()
    # the same series without the shift: nothing new
    assert (
        detect_anomalies(stamps, values - 20 * (np.arange(n) >= 900), only_shapes).anomalies == ()
    )


def test_shape_novelty_needs_a_window_farther_than_the_last_news() -> None:
    """After a shape scores, a later one must be farther from every prototype than it was (as
    ARTime asks of a new anomaly): a smaller step back, though unlike the warm-up, is not news;
    a step below anything seen is."""
    rng = np.random.default_rng(4)
    n = 24 * 120
    stamps = [START + timedelta(hours=i) for i in range(n)]
    values = 50 + rng.normal(0, 1, n)
    values[900:] += 4
    values[1600:] -= 2  # half way back: new, but nearer the prototypes than the first step
    values[2300:] -= 10
    only_shapes = AnomalySettings(likelihood_level=1e9, novelty_score=0.0, context_levels=0)
    found = detect_anomalies(stamps, values, only_shapes)
    assert [a.index for a in found.anomalies] == [903, 2303]
    # the middle step is farther than the warm-up's windows were: only the rising bar skips it
    shapes = _ShapeNovelty(4, 8, 0.1, found.warmup // 4)
    ratios = [shapes.push(x) for x in values.tolist()]
    middle = [r for r in ratios[1600:1632] if r is not None]
    first, last = ratios[903], ratios[2303]
    assert first is not None and last is not None
    assert max(middle) > 1.0 and max(middle) < first < last


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.5]) | st.floats(0, 1e6), min_size=1, max_size=120),
    st.integers(1, 20),
)
def test_residual_window_median_is_numpy_median_of_the_last_values(
    values: list[float], size: int
) -> None:
    """The detector's sorted residual window gives numpy's median of the last ``size`` values
    exactly (ties and repeats included), and its count follows a list of at most 2 x size values
    that drops the oldest size when it overflows (the refresh schedule of the robust scale)."""
    window = _Window(size)
    kept: list[float] = []
    for k, r in enumerate(values):
        window.append(r)
        kept.append(r)
        if len(kept) > 2 * size:
            del kept[:size]
        assert window.count == len(kept)
        assert window.median() == float(np.median(values[max(0, k + 1 - size) : k + 1]))
        assert window.held_values <= 2 * size
    assert _median(sorted(values[-12:])) == float(np.median(values[-12:]))
