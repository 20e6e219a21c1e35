"""smmkit.budget: response curves, fitting, exact budget allocation, pacing and online splitting.

Pure engines: no I/O, deterministic given a ``seed``. numpy only (scipy is never imported).

- Curves: :class:`Hill`, :class:`LogisticSaturation`, :class:`ExponentialSaturation`,
  :class:`Power`, :class:`LinearCap`, :class:`PiecewiseLinear`, :class:`PosteriorCurve`.
- Carry-over: :class:`GeometricAdstock`, :class:`WeibullAdstock`.
- Fitting: :func:`fit_response`, :func:`fit_channels`.
- Allocation: :func:`allocate` (exact for concave curves, global for S-shaped ones), from
  :class:`Line` objects or a :class:`LineTable` of columns.
- Pacing: :func:`pace`, :func:`repace`. Variants: :func:`thompson_split`.
- Scenarios: :func:`compare_scenarios`, :func:`curve_table`.
"""

from ._adstock import Adstock, GeometricAdstock, WeibullAdstock
from ._allocate import AllocatedLine, AllocatedLines, Allocation, Goal, GroupCap, Line, allocate
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
from ._pacing import DailyBudget, PacingPlan, pace, repace
from ._posterior import PosteriorCurve
from ._scenarios import CurvePoint, Scenario, ScenarioTable, compare_scenarios, curve_table
from ._table import LineTable
from ._thompson import Arm, Split, thompson_split

__all__ = [
    "Adstock",
    "AllocatedLine",
    "AllocatedLines",
    "Allocation",
    "Arm",
    "ChannelFit",
    "CurvePoint",
    "CurveShape",
    "DailyBudget",
    "ExponentialSaturation",
    "GeometricAdstock",
    "Goal",
    "GroupCap",
    "Hill",
    "Line",
    "LineTable",
    "LinearCap",
    "LogisticSaturation",
    "PacingPlan",
    "PiecewiseLinear",
    "PosteriorCurve",
    "Power",
    "ResponseCurve",
    "ResponseFit",
    "Scenario",
    "ScenarioTable",
    "Split",
    "WeibullAdstock",
    "allocate",
    "compare_scenarios",
    "curve_table",
    "fit_channels",
    "fit_response",
    "pace",
    "repace",
    "thompson_split",
]
