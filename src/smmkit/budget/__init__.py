"""smmkit.budget: response curves, fitting, exact budget allocation, pacing and online splitting.

Pure engines: no I/O, deterministic given a ``seed``. numpy only (scipy is never imported).
"""

from ._allocate import AllocatedLine, Allocation, Goal, GroupCap, Line, allocate
from ._curves import (
    CurveShape,
    ExponentialSaturation,
    Hill,
    LinearCap,
    LogisticSaturation,
    PiecewiseLinear,
    Power,
    ResponseCurve,
)
from ._posterior import PosteriorCurve

__all__ = [
    "AllocatedLine",
    "Allocation",
    "CurveShape",
    "ExponentialSaturation",
    "Goal",
    "GroupCap",
    "Hill",
    "Line",
    "LinearCap",
    "LogisticSaturation",
    "PiecewiseLinear",
    "PosteriorCurve",
    "Power",
    "ResponseCurve",
    "allocate",
]
