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
from ._edit import Conflict, conflicts, lock, move, replan, swap, transition_slots
from ._engine import plan, round_quotas
from ._export import agenda_markdown, from_csv, from_ics, from_json, to_csv, to_ics, to_json
from ._model import (
    BestTimeScores,
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
    "BestTimeScores",
    "Conflict",
    "EditorialCalendar",
    "FixedPost",
    "MarketingDate",
    "MarketingRule",
    "Moment",
    "PlanRequest",
    "Series",
    "Slot",
    "Violation",
    "agenda_markdown",
    "assign_items",
    "conflicts",
    "default_format_mix",
    "default_score",
    "default_windows",
    "from_csv",
    "from_ics",
    "from_json",
    "localize",
    "lock",
    "marketing_dates",
    "move",
    "plan",
    "public_holidays",
    "replan",
    "round_quotas",
    "swap",
    "to_csv",
    "to_ics",
    "to_json",
    "transition_slots",
]
