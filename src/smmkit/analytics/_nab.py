"""NAB scoring (Numenta Anomaly Benchmark), written from the published method.

Lavin & Ahmad 2015 (arXiv:1510.03336). Summary of the rules implemented here:

* the first ``min(floor(0.15 * n), 750)`` rows of a file are a probation period, never scored;
* in each labelled window only the earliest detection counts, earning
  ``tp_weight * S(y) / S(-1)`` with ``y = -(right - i + 1) / width`` (``-1`` at the window start)
  and ``S(y) = 2 / (1 + exp(5 y)) - 1``; a window without a detection costs ``fn_weight``;
* a detection outside every window costs ``fp_weight * |S(y)|`` with ``y`` its distance past the
  previous window's right end in window widths (``S`` is ``-1`` beyond 3 widths), or the full
  ``fp_weight`` when no window precedes it;
* the normalised score of a set of files is ``100 * (raw - null) / (perfect - null)`` over the
  sums, ``null`` being a detector that never fires and ``perfect`` one firing at every window's
  first scored row.

Complexity: O(n + w) per file for n rows and w windows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "NAB_PROFILES",
    "NabCost",
    "NabFileScore",
    "nab_normalised_score",
    "nab_probation_length",
    "nab_score_file",
]


@dataclass(frozen=True)
class NabCost:
    """The weights of one NAB scoring profile."""

    tp_weight: float
    fp_weight: float
    fn_weight: float


NAB_PROFILES: Mapping[str, NabCost] = {
    "standard": NabCost(tp_weight=1.0, fp_weight=0.11, fn_weight=1.0),
    "reward_low_FP_rate": NabCost(tp_weight=1.0, fp_weight=0.22, fn_weight=1.0),
    "reward_low_FN_rate": NabCost(tp_weight=1.0, fp_weight=0.11, fn_weight=2.0),
}


@dataclass(frozen=True)
class NabFileScore:
    """Raw NAB scores of one file: the detector's, the null detector's and the perfect one's."""

    raw: float
    null: float
    perfect: float
    true_positives: int
    false_positives: int
    false_negatives: int


def _sigmoid(y: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    out = 2.0 / (1.0 + np.exp(5.0 * np.clip(y, -50.0, 50.0))) - 1.0
    return np.where(y > 3.0, -1.0, out)


_S_START = 2.0 / (1.0 + math.exp(-5.0)) - 1.0


def nab_probation_length(n: int) -> int:
    """Rows at the start of a file that NAB never scores: ``min(floor(0.15 n), 750)``."""
    return min(math.floor(0.15 * n), 750)


def nab_score_file(
    detections: npt.ArrayLike,
    windows: Sequence[tuple[int, int]],
    cost: NabCost,
) -> NabFileScore:
    """Score one file.

    ``detections`` is a boolean array, one entry per row (True = the detector fired);
    ``windows`` are inclusive ``(first_row, last_row)`` index pairs, sorted and disjoint.
    """
    det = np.asarray(detections, dtype=bool)
    n = det.size
    probation = nab_probation_length(n)
    idx = np.flatnonzero(det)
    idx = idx[idx >= probation]
    # Map each detection to its window (or the previous window) by binary search.
    starts = np.array([w[0] for w in windows], dtype=np.int64)
    ends = np.array([w[1] for w in windows], dtype=np.int64)
    tp = 0.0
    n_tp = 0
    detected = np.zeros(len(windows), dtype=bool)
    fp = 0.0
    n_fp = 0
    if idx.size:
        k = np.searchsorted(starts, idx, side="right") - 1  # last window starting at or before
        if starts.size:
            inside = (k >= 0) & (idx <= ends[np.maximum(k, 0)])
        else:
            inside = np.zeros(idx.size, dtype=bool)
        for w in np.unique(k[inside]):
            first = int(idx[inside & (k == w)][0])
            w_width = int(ends[w] - starts[w] + 1)
            y = -(int(ends[w]) - first + 1) / w_width
            tp += cost.tp_weight * float(_sigmoid(np.array([y]))[0]) / _S_START
            detected[w] = True
            n_tp += 1
        out = idx[~inside]
        kout = k[~inside]
        if out.size:
            has_prev = kout >= 0
            costs = np.full(out.size, -1.0)
            if has_prev.any():
                prev = kout[has_prev]
                widths = (ends[prev] - starts[prev] + 1).astype(np.float64)
                ys = np.abs(out[has_prev] - ends[prev]) / np.maximum(widths - 1.0, 1.0)
                costs[has_prev] = _sigmoid(ys)
            fp = float(cost.fp_weight * costs.sum())
            n_fp = int(out.size)
    # Windows entirely inside the probation period cannot be scored by anyone: skip them.
    scorable = ends >= probation
    n_fn = int((~detected & scorable).sum())
    raw = tp + fp - cost.fn_weight * n_fn
    n_windows = int(scorable.sum())
    null = -cost.fn_weight * n_windows
    perfect = cost.tp_weight * n_windows
    return NabFileScore(raw, null, perfect, n_tp, n_fp, n_fn)


def nab_normalised_score(scores: Iterable[NabFileScore]) -> float:
    """``100 * (raw - null) / (perfect - null)`` over the sums of a set of files."""
    raw = null = perfect = 0.0
    for s in scores:
        raw += s.raw
        null += s.null
        perfect += s.perfect
    if perfect == null:
        return 0.0
    return 100.0 * (raw - null) / (perfect - null)
