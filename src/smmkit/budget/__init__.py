"""smmkit.budget: response curves, fitting, exact budget allocation, pacing and online splitting.

Pure engines: no I/O, deterministic given a ``seed``. numpy only (scipy is never imported).
"""

from ._adstock import Adstock, GeometricAdstock, WeibullAdstock
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
from ._fit import ChannelFit, ResponseFit, fit_channels, fit_response
from ._posterior import PosteriorCurve

__all__ = [
    "Adstock",
    "AllocatedLine",
    "Allocation",
    "ChannelFit",
    "CurveShape",
    "ExponentialSaturation",
    "GeometricAdstock",
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
    "ResponseFit",
    "WeibullAdstock",
    "allocate",
    "fit_channels",
    "fit_response",
]
