"""The editorial planner: a calendar of slots over channels, with guarantees you can check.

``plan(request)`` returns an :class:`EditorialCalendar`; see ``docs/planner.md``.
"""

from ._assign import assign_items
from ._dates import (
    DEFAULT_MARKETING_RULES,
    MarketingDate,
    MarketingRule,
    marketing_dates,
    public_holidays,
)
from ._defaults import default_format_mix, default_score, default_windows
from ._engine import plan, round_quotas
from ._model import (
    BestTimes,
    EditorialCalendar,
    FixedPost,
    Moment,
    PlanRequest,
    Series,
    Slot,
    Violation,
)
from ._timekit import localize

__all__ = [
    "DEFAULT_MARKETING_RULES",
    "BestTimes",
    "EditorialCalendar",
    "FixedPost",
    "MarketingDate",
    "MarketingRule",
    "Moment",
    "PlanRequest",
    "Series",
    "Slot",
    "Violation",
    "assign_items",
    "default_format_mix",
    "default_score",
    "default_windows",
    "localize",
    "marketing_dates",
    "plan",
    "public_holidays",
    "round_quotas",
]
