"""Streaming anomaly detection on one metric series.

The detector is an ensemble of cheap, causal signals, computed point by point:

1. **Residual surprise.** Each new value is predicted three ways: the median of the last
   ``level_window`` values (the local level, which follows trends), the value one day earlier and
   the value one week earlier (seasonal naive forecasts, used when the series is regular enough for
   the lag to exist; optionally with drift). Each residual is divided by a robust scale (1.4826 x
   the median absolute residual of that predictor over the last ``scale_window`` points).
   Predictors whose scale is more than ``predictor_tolerance`` times the best one's are ignored;
   the point's surprise ``z`` is the *smallest* robust z-score of the others: a value is unusual
   only if no good predictor explains it, so daily and weekly cycles and trends raise no alarm.
2. **Tail likelihood.** ``log(1 + z)`` averaged over the last ``short_window`` points is compared
   with the running mean and standard deviation of ``log(1 + z)``; its Gaussian upper tail
   probability ``q`` gives ``L = -log10(q)`` (as in Numenta's "anomaly likelihood"), and the score
   ``L / (L + likelihood_level)`` (0.5 exactly when ``L`` reaches ``likelihood_level``).
3. **Local record.** The likelihood flags a point only if its score is the highest of the last
   ``record_window`` points, so a busy series needs a bigger surprise to raise an alarm. An
   excursion (a run of scores at or above the threshold) raises at most one likelihood alarm, and
   one that raised an alarm stays out of the record: an incident does not hide the next one.
4. **Novelty.** A value outside the range seen so far, with ``z >= novelty_min_surprise``, scores
   at least ``novelty_score``.
5. **Pattern novelty** (after CAD OSE's contexts). Values are quantised into ``context_levels``
   levels of the warm-up's range; a pair of consecutive levels never seen before, when no pair
   was new in the previous ``context_quiet`` points and ``z >= context_min_surprise``, scores at
   least ``context_score``: a shape the series never had, even inside its usual range.
6. **Shape novelty** (after ARTime's categories). The means of consecutive blocks of
   ``shape_block`` points, scaled by the warm-up's range, form windows of ``shape_length`` blocks;
   a bounded set of prototype windows (at most ``_MAX_SHAPES``) keeps every window farther than
   ``shape_resolution`` (largest difference) from all the others. A window farther from every
   prototype than any warm-up window was from its own, when no such window came in the previous
   ``context_quiet`` points and it is farther than the last window that scored, scores at least
   ``shape_score``.

A point is flagged when its score reaches ``threshold``. After a flag the detector stays quiet for
``cooldown`` points (scores are capped just below the threshold), so one incident yields one
alert. The first ``warmup`` points are learning only (score 0). The defaults were chosen on the
NAB corpus and checked by leaving one group out (see docs/analytics.md for the scores and how).

Cost per point: a sort of the last ``level_window`` values, and per predictor one insertion into
a sorted window of ``scale_window`` residuals (a binary search and a move of at most
``scale_window`` pointers; the median is then read directly); memory O(one week of points) for
the seasonal lags, plus the warm-up and at most (context_levels + 2)^2 pairs: constant per series
(``max_held_values``).
"""

from __future__ import annotations

import logging
import math
from bisect import bisect_left, insort
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt
from pydantic import Field

from smmkit.errors import ValidationError
from smmkit.models import ValueModel

__all__ = [
    "Anomaly",
    "AnomalyDetector",
    "AnomalyResult",
    "AnomalySettings",
    "detect_anomalies",
]

_log = logging.getLogger("smmkit.analytics")

_DAY = 86_400.0
# The surprise of a value off a predictor whose recent errors were all zero (robust scale 0), and
# the largest surprise reported.
_NO_SPREAD = 1e6
_WEEK = 7 * _DAY


class AnomalySettings(ValueModel):
    """The detector's settings. The defaults were chosen on the NAB corpus and checked by leaving
    one group out (docs/analytics.md)."""

    threshold: float = Field(default=0.5, gt=0, le=1)
    level_window: int = Field(default=12, ge=2)
    scale_window: int = Field(default=2000, ge=20)
    scale_refresh: int = Field(default=4, ge=1)
    short_window: int = Field(default=4, ge=1)
    likelihood_level: float = Field(default=2.22, gt=0)
    record_window: int = Field(
        default=1000,
        ge=0,
        description="The likelihood flags a point "
        "only if its score is the highest of the last record_window "
        "points (0: off).",
    )
    record_excursions: bool = Field(
        default=True,
        description="An excursion (a run of likelihood scores at or above the threshold) raises "
        "at most one likelihood alarm, and one that raised an alarm stays out of the record "
        "(False: every score joins the record and an excursion may raise several alarms).",
    )
    novelty_score: float = Field(default=0.95, ge=0, le=1)
    novelty_margin: float = Field(
        default=0.0,
        ge=0,
        description="Fraction of the seen range a value must exceed it by to be novel.",
    )
    novelty_min_surprise: float = Field(
        default=2.5, ge=0, description="Robust z-score a novel value also needs."
    )
    context_levels: int = Field(
        default=24,
        ge=0,
        description="Pattern novelty: values quantised into this many levels of the warm-up's "
        "range (0: off).",
    )
    context_quiet: int = Field(
        default=500,
        ge=0,
        description="A new pattern counts only after this many points without one.",
    )
    context_min_surprise: float = Field(
        default=3.0, ge=0, description="Robust z-score a new pattern also needs."
    )
    context_score: float = Field(default=0.9, ge=0, le=1)
    shape_length: int = Field(
        default=8,
        ge=0,
        description="Shape novelty: windows of this many block means (0: off).",
    )
    shape_block: int = Field(default=4, ge=1, description="Points averaged into one block.")
    shape_resolution: float = Field(
        default=0.1,
        gt=0,
        description="A window farther than this (largest difference, in warm-up ranges) from "
        "every prototype becomes a prototype.",
    )
    shape_score: float = Field(default=0.9, ge=0, le=1)
    seasonal: bool = True
    seasonal_drift: bool = Field(
        default=False,
        description="Seasonal forecasts add the median "
        "change over the same lag of the last level_window points.",
    )
    spike_level: float | None = Field(
        default=None,
        gt=0,
        description="Also score single-point "
        "spikes: -log10 tail of the current surprise alone, "
        "reaching the threshold at this level (None: off).",
    )
    predictor_tolerance: float = Field(
        default=3.0,
        gt=0,
        description="Predictors whose "
        "robust scale exceeds this multiple of the best "
        "predictor's are ignored.",
    )
    log_surprise: bool = Field(
        default=True,
        description="Take log(1 + z) of the surprise "
        "before the likelihood step (tames heavy tails).",
    )
    min_sd: float = Field(
        default=1e-6,
        gt=0,
        description="Floor of the surprise's standard deviation in the likelihood step.",
    )
    score_unscaled: bool = Field(
        default=True,
        description="Count points before a robust scale "
        "exists as zero surprise in the likelihood's history.",
    )
    warmup: int | None = Field(
        default=None,
        ge=0,
        description="Learning points. None: min(15% of the series, 750) in detect_anomalies, "
        "300 in the streaming AnomalyDetector.",
    )
    cooldown: int | None = Field(
        default=None, ge=0, description="Quiet points after a flag. None: warmup // 5."
    )


class Anomaly(ValueModel):
    """One flagged point and why it was flagged."""

    index: int
    timestamp: datetime | float
    value: float
    score: float = Field(ge=0, le=1)
    expected: float | None = None
    reason: str
    surprise: float | None = Field(
        default=None,
        description="Robust z-score of the value against the best usable prediction (0, or None "
        "with score_unscaled=False, while no predictor has a scale yet; at most 1e6, the value "
        "given when the predictor's recent errors were all zero).",
    )


class AnomalyResult(ValueModel):
    """Scores for every point and the flagged anomalies."""

    scores: tuple[float, ...]
    anomalies: tuple[Anomaly, ...]
    settings: AnomalySettings
    warmup: int
    cooldown: int
    notes: tuple[str, ...] = ()


def _to_seconds(t: datetime | float | int, index: int) -> float:
    if isinstance(t, datetime):
        if t.tzinfo is None or t.utcoffset() is None:
            raise ValidationError(
                f"timestamps[{index}]",
                t,
                "must be timezone-aware",
                hint="attach a timezone (e.g. datetime(..., tzinfo=UTC)); smmkit never guesses one",
            )
        return t.timestamp()
    if isinstance(t, bool) or not isinstance(t, int | float | np.integer | np.floating):
        raise ValidationError(
            f"timestamps[{index}]", t, "must be an aware datetime or epoch seconds"
        )
    return float(t)


@dataclass
class AnomalyDetector:
    """Incremental detector: feed points in time order with :meth:`update`.

    >>> det = AnomalyDetector(AnomalySettings(warmup=10))
    >>> [det.update(float(i), 1.0 + (i % 3)).score for i in range(12)][-1] >= 0.0
    True
    """

    settings: AnomalySettings = field(default_factory=AnomalySettings)
    _ts: list[float] = field(default_factory=list, init=False, repr=False)
    _xs: list[float] = field(default_factory=list, init=False, repr=False)
    _res: list[_Window] = field(default_factory=list, init=False, repr=False)
    _drift: list[list[float]] = field(default_factory=lambda: [[], [], []], init=False, repr=False)
    _scale: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0], init=False, repr=False)
    _zsum: float = field(default=0.0, init=False)
    _zsq: float = field(default=0.0, init=False)
    _zn: int = field(default=0, init=False)
    _recent_z: list[float] = field(default_factory=list, init=False, repr=False)
    _lo: float = field(default=math.inf, init=False)
    _hi: float = field(default=-math.inf, init=False)
    _last_flag: int = field(default=-(10**12), init=False)
    _warm: list[float] | None = field(default_factory=list, init=False, repr=False)
    _q_lo: float = field(default=0.0, init=False)
    _q_span: float = field(default=1.0, init=False)
    _q_prev: int | None = field(default=None, init=False)
    _seen: set[tuple[int, int]] = field(default_factory=set, init=False, repr=False)
    _last_new: int = field(default=-(10**9), init=False)
    _step: float | None = field(default=None, init=False)
    _shapes: _ShapeNovelty | None = field(default=None, init=False, repr=False)
    _last_shape: int = field(default=-(10**9), init=False)
    _shape_bar: float = field(default=1.0, init=False)

    @property
    def warmup(self) -> int:
        w = self.settings.warmup
        return 300 if w is None else w

    @property
    def held_values(self) -> int:
        """How many numbers the detector holds: bounded by its settings and the series' step
        (one week of points for the seasonal lags), whatever the length of the series."""
        return (
            len(self._ts)
            + len(self._xs)
            + sum(r.held_values for r in self._res)
            + sum(len(d) for d in self._drift)
            + len(self._recent_z)
            + 2 * len(self._rec)
            + 2 * len(self._excursion)
            + len(self._warm or ())
            + 2 * len(self._seen)
            + (self._shapes.held_values if self._shapes is not None else 0)
        )

    def max_held_values(self, step_seconds: float) -> int:
        """The bound on :attr:`held_values` for a series with this regular step."""
        s = self.settings
        keep = max(int(_WEEK / step_seconds) + 64 if s.seasonal else s.level_window + 1, 16)
        keep = max(keep, s.level_window + 1)
        return (
            2 * 2 * keep
            + 3 * 2 * s.scale_window
            + 3 * 4 * s.level_window
            + s.short_window
            + 4 * (s.record_window + 1)
            + self.warmup
            + 2 * (s.context_levels + 2) ** 2
            + _ShapeNovelty.max_held_values(s.shape_length, self.warmup // s.shape_block)
        )

    @property
    def cooldown(self) -> int:
        c = self.settings.cooldown
        return self.warmup // 5 if c is None else c

    def _lagged(self, t: float, lag: float) -> float | None:
        """The value observed exactly ``lag`` seconds before ``t`` (within half a step)."""
        step = self._step
        if step is None or lag < 4 * step or lag > 4000 * step:
            return None
        target = t - lag
        ts = self._ts
        n = len(ts)
        # Regular series: the lag is a fixed number of rows; check it, else binary search.
        guess = n - round(lag / step)
        if 0 <= guess < n and abs(ts[guess] - target) <= step / 2:
            return self._xs[guess]
        lo, hi = 0, n
        while lo < hi:
            mid = (lo + hi) // 2
            if ts[mid] < target:
                lo = mid + 1
            else:
                hi = mid
        for j in (lo - 1, lo):
            if 0 <= j < n and abs(ts[j] - target) <= step / 2:
                return self._xs[j]
        return None

    def update(self, t: datetime | float, x: float) -> Anomaly:
        """Add one point (time order, strictly increasing) and return its scored record.

        The returned :class:`Anomaly` has ``reason == ""`` when the point is not flagged.
        """
        s = self.settings
        i = self._count
        tsec = _to_seconds(t, i)
        xf = float(x)
        if not math.isfinite(xf):
            raise ValidationError(f"values[{i}]", x, "must be a finite number")
        if self._ts and tsec <= self._ts[-1]:
            raise ValidationError(
                f"timestamps[{i}]",
                t,
                "must be strictly after the previous timestamp",
                hint="sort the series and drop duplicates first (detect_anomalies does this)",
            )
        if self._step is None and len(self._ts) >= 16:
            self._step = float(np.median(np.diff(np.asarray(self._ts[-16:]))))
        # 1. residuals against the three predictors
        preds: list[float | None] = [None, None, None]
        lw = s.level_window
        if i >= lw:
            preds[0] = _median(sorted(self._xs[-lw:]))
        day_drift = 0.0
        if s.seasonal:
            for j, lag in ((1, _DAY), (2, _WEEK)):
                past = self._lagged(tsec, lag)
                if past is not None:
                    # seasonal naive with drift: add the recent median season-on-season change
                    diffs = self._drift[j][-lw:]
                    drift = _median(sorted(diffs)) if s.seasonal_drift and diffs else 0.0
                    if j == 1:
                        day_drift = abs(drift)
                    self._drift[j].append(xf - past)
                    if len(self._drift[j]) > 4 * lw:
                        del self._drift[j][: 2 * lw]
                    preds[j] = past + drift
        zs: list[float] = []
        expected: float | None = None
        scored: list[tuple[float, float, float]] = []  # (scale, z, prediction)
        if not self._res:
            self._res = [_Window(s.scale_window) for _ in preds]
        for j, p in enumerate(preds):
            if p is None:
                continue
            r = abs(xf - p)
            hist = self._res[j]
            if hist.count >= 8:
                if hist.count % s.scale_refresh == 0 or self._scale[j] == 0.0:
                    self._scale[j] = hist.median()
                scale = 1.4826 * self._scale[j]
                zj = r / scale if scale > 0 else (0.0 if r == 0 else _NO_SPREAD)
                scored.append((scale, zj, p))
            hist.append(r)
        if scored:
            # predictors much less accurate than the best one cannot explain a value away
            best_scale = min(sc for sc, _, _ in scored)
            usable = [
                (zj, p)
                for sc, zj, p in scored
                if sc <= s.predictor_tolerance * best_scale or best_scale == 0
            ]
            zs = [zj for zj, _ in usable]
            _, expected = min(usable)
        z = min(min(zs), _NO_SPREAD) if zs else (0.0 if s.score_unscaled else None)
        self._ts.append(tsec)
        self._xs.append(xf)
        # keep a week of history plus margin for the lags
        if self._step is not None:
            keep = int(_WEEK / self._step) + 64 if s.seasonal else lw + 1
            keep = max(keep, lw + 1)
            if len(self._xs) > 2 * keep:
                # drop old rows but keep the index of the next point consistent via offset
                self._offset_trim(keep)
        # 2. tail likelihood of the recent mean surprise
        likelihood = 0.0
        recent = 0.0
        z_raw = z
        if z is not None and s.log_surprise:
            z = math.log1p(z)
        if z is not None:
            self._recent_z.append(z)
            if len(self._recent_z) > s.short_window:
                self._recent_z.pop(0)
            if self._zn >= 10:
                mean = self._zsum / self._zn
                var = max(self._zsq / self._zn - mean * mean, s.min_sd**2)
                recent = sum(self._recent_z) / len(self._recent_z)
                dev = (recent - mean) / math.sqrt(var)
                likelihood = _neg_log10_upper_tail(dev)
                if s.spike_level is not None:
                    spike = _neg_log10_upper_tail((z - mean) / math.sqrt(var))
                    # on the same 0.5-at-level scale as the sustained likelihood
                    likelihood = max(likelihood, spike * s.likelihood_level / s.spike_level)
            self._zsum += z
            self._zsq += z * z
            self._zn += 1
        # 3. novelty
        span = self._hi - self._lo if math.isfinite(self._hi) else 0.0
        margin = s.novelty_margin * span + day_drift  # a trend's expected new highs
        novel = (
            i >= self.warmup
            and math.isfinite(self._hi)
            and (xf > self._hi + margin or xf < self._lo - margin)
            and (z_raw or 0.0) >= s.novelty_min_surprise
        )
        self._lo = min(self._lo, xf)
        self._hi = max(self._hi, xf)
        # 4. pattern novelty: a pair of consecutive levels never seen before
        new_pattern = self._new_context(i, xf) and (z_raw or 0.0) >= s.context_min_surprise
        new_shape = self._new_shape(i, xf)
        idx = i
        self._count += 1
        if idx < self.warmup:
            self._push_record(idx, 0.0)
            return Anomaly(
                index=idx,
                timestamp=t,
                value=xf,
                score=0.0,
                expected=expected,
                reason="",
                surprise=z_raw,
            )
        score = likelihood / (likelihood + s.likelihood_level)
        lik_score = score
        # 4. local record: the likelihood flags only the most surprising point of the last
        #    record_window points (a busy series needs more to raise an alarm). An excursion (a
        #    run of points at or above the threshold) raises at most one likelihood alarm, and an
        #    excursion that raised an alarm stays out of the record: an incident does not raise
        #    the bar for the next one.
        previous_max = self._record_max(idx)
        above = score >= s.threshold
        track = above and s.record_excursions
        if track and not self._in_excursion:
            self._in_excursion, self._excursion_fired = True, False
            self._excursion.clear()
        elif not track and self._in_excursion:
            self._in_excursion = False
            if not self._excursion_fired:  # a quiet excursion was normal: it joins the record
                for j, v in self._excursion:
                    self._push_record(j, v)
            self._excursion.clear()
        reasons: list[str] = []
        if above and (score < previous_max or self._excursion_fired):
            score = s.threshold * 0.999
        elif above:
            how = (
                "off a prediction whose recent errors were all zero"
                if (z_raw or 0.0) >= _NO_SPREAD
                else f"{z_raw or 0.0:.1f} robust SDs from the best prediction"
            )
            reasons.append(
                f"unusual: {how} (tail probability {_fmt_prob(likelihood)}, the highest of the "
                f"last {s.record_window} points)"
            )
        if novel and span > 0 and s.novelty_score > 0:
            score = max(score, s.novelty_score)
            reasons.append("value outside the range seen so far")
        if new_pattern and s.context_score > 0:
            score = max(score, s.context_score)
            reasons.append(
                f"a pattern of consecutive values not seen before (none new in the previous "
                f"{s.context_quiet} points)"
            )
        if new_shape and s.shape_score > 0:
            score = max(score, s.shape_score)
            reasons.append(
                f"a shape of the last {s.shape_length * s.shape_block} points not seen before "
                f"(none new in the previous {s.context_quiet} points)"
            )
        score = min(max(score, 0.0), 1.0)
        if idx - self._last_flag <= self.cooldown:
            score = min(score, s.threshold * 0.999)
            reasons = []
        elif score >= s.threshold:
            self._last_flag = idx
            if self._in_excursion:
                self._excursion_fired = True
        else:
            reasons = []
        if self._in_excursion:
            self._push_excursion(idx, lik_score)
        else:
            self._push_record(idx, lik_score)
        return Anomaly(
            index=idx,
            timestamp=t,
            value=xf,
            score=score,
            expected=expected,
            reason="; ".join(reasons),
            surprise=z_raw,
        )

    def _level(self, x: float) -> int:
        """The level of ``x`` on the warm-up's range: -1 below it, ``context_levels`` above."""
        levels = self.settings.context_levels
        v = (x - self._q_lo) / self._q_span * levels
        if v < 0:
            return -1
        return levels if v >= levels else int(v)

    def _learn(self, i: int, level: int) -> bool:
        """Record the pair (previous level, level); whether it is news (new, after quiet)."""
        prev, self._q_prev = self._q_prev, level
        if prev is None:
            return False
        pair = (prev, level)
        if pair in self._seen:
            return False
        self._seen.add(pair)
        news = i >= self.warmup and i - self._last_new > self.settings.context_quiet
        self._last_new = i
        return news

    def _new_context(self, i: int, x: float) -> bool:
        """Pattern novelty, after CAD OSE's contexts: the warm-up's values fix the range and
        teach the first pairs; afterwards a pair never seen before is news when none was new in
        the last ``context_quiet`` points. Memory: the warm-up, then at most (levels + 2)^2
        pairs."""
        if self.settings.context_levels == 0:
            return False
        if i < self.warmup:
            assert self._warm is not None
            self._warm.append(x)
            return False
        if self._warm is not None:  # the warm-up just ended: fix the range, learn its pairs
            buf, self._warm = self._warm, None
            lo, hi = (min(buf), max(buf)) if buf else (x, x)
            self._q_lo, self._q_span = lo, (hi - lo if hi > lo else 1.0)
            for j, v in enumerate(buf):
                self._learn(j, self._level(v))
        return self._learn(i, self._level(x))

    def _new_shape(self, i: int, x: float) -> bool:
        """Shape novelty: whether the window ending at this point is news (farther from every
        prototype than the warm-up's windows were and than the last news was, after a quiet
        stretch; as ARTime asks a new anomaly to be less like the known categories than the
        last one)."""
        s = self.settings
        if s.shape_length == 0:
            return False
        if self._shapes is None:
            self._shapes = _ShapeNovelty(
                s.shape_block, s.shape_length, s.shape_resolution, self.warmup // s.shape_block
            )
        ratio = self._shapes.push(x)
        if ratio is None or not ratio > 1.0:
            return False
        news = i - self._last_shape > s.context_quiet and ratio > self._shape_bar
        self._last_shape = i
        if news:
            self._shape_bar = ratio
        return news

    _count: int = field(default=0, init=False)
    _rec: deque[tuple[int, float]] = field(default_factory=deque, init=False, repr=False)
    _excursion: deque[tuple[int, float]] = field(default_factory=deque, init=False, repr=False)
    _in_excursion: bool = field(default=False, init=False)
    _excursion_fired: bool = field(default=False, init=False)

    def _push_record(self, idx: int, score: float) -> None:
        """Sliding maximum of past likelihood scores (monotonic deque, O(1) amortised)."""
        if self.settings.record_window == 0:
            return  # no record rule: keep nothing
        rec = self._rec
        while rec and rec[-1][1] <= score:
            rec.pop()
        rec.append((idx, score))

    def _push_excursion(self, idx: int, score: float) -> None:
        """Hold the current excursion's scores until it ends (a sliding maximum too: only the
        points that could still be the record's maximum are kept, none older than the window)."""
        w = self.settings.record_window
        if w == 0:
            return
        exc = self._excursion
        while exc and exc[-1][1] <= score:
            exc.pop()
        exc.append((idx, score))
        while exc[0][0] <= idx - w:
            exc.popleft()

    def _record_max(self, idx: int) -> float:
        w = self.settings.record_window
        if w == 0:
            return 0.0
        rec = self._rec
        while rec and rec[0][0] < idx - w:
            rec.popleft()
        return rec[0][1] if rec else 0.0

    def _offset_trim(self, keep: int) -> None:
        drop = len(self._xs) - keep
        del self._xs[:drop]
        del self._ts[:drop]


def _median(ordered: list[float]) -> float:
    """The median of a sorted list, as numpy computes it (for an even count, the mean of the two
    middle values)."""
    n = len(ordered)
    h = n // 2
    return ordered[h] if n % 2 else (ordered[h - 1] + ordered[h]) / 2


class _Window:
    """The last ``size`` residuals of one predictor, kept in arrival order and sorted, so that their
    median is read directly (an insertion and a removal move at most ``size`` pointers).

    ``count`` follows the schedule of a list that keeps up to ``2 * size`` values and drops the
    oldest ``size`` when it overflows (the scale is refreshed when the count is a multiple of
    ``scale_refresh``), so the detector's results do not depend on how the window is stored.
    """

    __slots__ = ("_order", "_size", "_sorted", "count")

    def __init__(self, size: int) -> None:
        self._size = size
        self._order: deque[float] = deque()
        self._sorted: list[float] = []
        self.count = 0

    @property
    def held_values(self) -> int:
        return len(self._order) + len(self._sorted)

    def append(self, r: float) -> None:
        insort(self._sorted, r)
        self._order.append(r)
        if len(self._order) > self._size:
            old = self._order.popleft()
            del self._sorted[bisect_left(self._sorted, old)]
        self.count += 1
        if self.count > 2 * self._size:
            self.count -= self._size

    def median(self) -> float:
        return _median(self._sorted)


_MAX_SHAPES = 400


class _ShapeNovelty:
    """Windows of block means against a bounded set of prototypes (fuzzy-ART-like categories).

    :meth:`push` adds one point; when it completes a block whose window is scored (the warm-up's
    blocks only calibrate), it returns the window's distance to the nearest prototype divided by
    the largest such distance seen in the warm-up (above 1: farther than anything then). The
    warm-up must hold at least one full window, else the signal stays off. Memory: the warm-up's
    block means, then at most ``_MAX_SHAPES`` windows.
    """

    def __init__(self, block: int, length: int, resolution: float, warm_blocks: int) -> None:
        self.block = block
        self.length = length
        self.resolution = resolution
        self.warm_blocks = warm_blocks
        self.off = warm_blocks < length
        self._sum = 0.0
        self._n = 0
        self._j = 0  # blocks completed
        self._warm: list[float] | None = []
        self._lo = 0.0
        self._span = 1.0
        self._window: deque[float] = deque(maxlen=length)
        self._protos = np.empty((0, length))
        self._warm_max = 0.0

    @property
    def held_values(self) -> int:
        return len(self._warm or ()) + len(self._window) + self._protos.size

    @staticmethod
    def max_held_values(length: int, warm_blocks: int) -> int:
        return warm_blocks + length + _MAX_SHAPES * length

    def push(self, x: float) -> float | None:
        if self.off:
            return None
        self._sum += x
        self._n += 1
        if self._n < self.block:
            return None
        mean = self._sum / self.block
        self._sum = 0.0
        self._n = 0
        j = self._j
        self._j += 1
        if self._warm is not None:
            self._warm.append(mean)
            if j == self.warm_blocks - 1:  # the warm-up's last block: fix the range, calibrate
                buf, self._warm = self._warm, None
                lo, hi = min(buf), max(buf)
                self._lo, self._span = lo, (hi - lo if hi > lo else 1.0)
                for m in buf:
                    self._add(m, warm=True)
            return None
        return self._add(mean, warm=False)

    def _add(self, mean: float, *, warm: bool) -> float | None:
        self._window.append(min(max((mean - self._lo) / self._span, -1.0), 2.0))
        if len(self._window) < self.length:
            return None
        v = np.fromiter(self._window, dtype=np.float64, count=self.length)
        if self._protos.shape[0] == 0:
            self._protos = v[None, :].copy()
            return None
        dist = float(np.abs(self._protos - v).max(axis=1).min())
        ratio: float | None = None
        if warm:
            self._warm_max = max(self._warm_max, dist)
        elif self._warm_max > 0:
            ratio = dist / self._warm_max
        else:
            ratio = math.inf if dist > 0 else 0.0
        if dist > self.resolution and self._protos.shape[0] < _MAX_SHAPES:
            self._protos = np.vstack([self._protos, v])
        return ratio


def _fmt_prob(neg_log10: float) -> str:
    return f"{10**-neg_log10:.1e}" if neg_log10 < 300 else "< 1e-300"


def _neg_log10_upper_tail(dev: float) -> float:
    """-log10 of the standard normal upper tail probability at ``dev`` (stable for large dev)."""
    if dev < 5.0:
        q = 0.5 * math.erfc(dev / math.sqrt(2.0))
        return -math.log10(max(q, 1e-300))
    # asymptotic expansion of the Mills ratio
    logq = -0.5 * dev * dev - math.log(dev * math.sqrt(2 * math.pi)) + math.log1p(-1 / (dev * dev))
    return -logq / math.log(10.0)


def detect_anomalies(
    timestamps: Sequence[datetime | float] | npt.NDArray[np.float64],
    values: Sequence[float] | npt.NDArray[np.float64],
    settings: AnomalySettings | None = None,
    *,
    on_duplicate: str = "mean",
) -> AnomalyResult:
    """Score every point of a series and flag its anomalies (batch form of AnomalyDetector).

    ``timestamps`` are aware datetimes or epoch seconds. The series is sorted by time; duplicated
    timestamps are merged (``on_duplicate="mean"``, ``"last"``) or refused (``"error"``); NaN
    values are skipped (score 0, noted). Scores are returned in the caller's original order.
    Default warm-up: ``min(15% of the series, 750)`` points.
    """
    settings = settings or AnomalySettings()
    if len(timestamps) != len(values):
        raise ValidationError(
            "values", len(values), f"must have as many entries as timestamps ({len(timestamps)})"
        )
    n = len(values)
    secs = np.array([_to_seconds(t, k) for k, t in enumerate(timestamps)], dtype=np.float64)
    vals = np.asarray(values, dtype=np.float64)
    notes: list[str] = []
    finite = np.isfinite(vals)
    if not finite.all():
        notes.append(f"{int((~finite).sum())} NaN/infinite value(s) skipped (score 0)")
    order = np.argsort(secs, kind="stable")
    if np.any(np.diff(order) < 0):
        notes.append("timestamps were not sorted; scored in time order")
    keep_rows: list[list[int]] = []
    for k in order:
        if not finite[k]:
            continue
        if keep_rows and secs[keep_rows[-1][0]] == secs[k]:
            if on_duplicate == "error":
                raise ValidationError(
                    f"timestamps[{int(k)}]",
                    timestamps[int(k)],
                    "duplicates an earlier timestamp",
                    hint="pass on_duplicate='mean' or 'last', or deduplicate first",
                )
            keep_rows[-1].append(int(k))
        else:
            keep_rows.append([int(k)])
    if on_duplicate not in ("mean", "last", "error"):
        raise ValidationError("on_duplicate", on_duplicate, "must be 'mean', 'last' or 'error'")
    dups = sum(len(g) - 1 for g in keep_rows)
    if dups:
        notes.append(f"{dups} duplicated timestamp(s) merged ({on_duplicate})")
    m = len(keep_rows)
    warmup = settings.warmup if settings.warmup is not None else min(int(0.15 * m), 750)
    det = AnomalyDetector(settings.model_copy(update={"warmup": warmup}))
    if m and det.settings.seasonal and m < 2 * 86_400 / max(_median_step(secs, keep_rows), 1.0):
        notes.append("series shorter than two days: daily/weekly seasonality not modelled")
    scores = np.zeros(n, dtype=np.float64)
    anomalies: list[Anomaly] = []
    for group in keep_rows:
        first = group[0]
        x = float(vals[group].mean()) if on_duplicate == "mean" else float(vals[group[-1]])
        rec = det.update(
            timestamps[first] if isinstance(timestamps[first], datetime) else float(secs[first]), x
        )
        for k in group:
            scores[k] = rec.score
        if rec.reason:
            anomalies.append(rec.model_copy(update={"index": first}))
    return AnomalyResult(
        scores=tuple(float(s) for s in scores),
        anomalies=tuple(anomalies),
        settings=settings,
        warmup=warmup,
        cooldown=det.cooldown,
        notes=tuple(notes),
    )


def _median_step(secs: npt.NDArray[np.float64], rows: list[list[int]]) -> float:
    if len(rows) < 2:
        return _DAY
    firsts = secs[[g[0] for g in rows[:200]]]
    return float(np.median(np.diff(firsts))) if firsts.size > 1 else _DAY
