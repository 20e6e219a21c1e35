"""Influencers: creators, tiers, the collaboration pipeline, fit and authenticity, briefs,
disclosure checks and results. Pure engines over :mod:`smmkit.models`, no I/O.

- :class:`Creator` (profile, recent posts, comments, audience) and :func:`tier_of`.
- :class:`Collaboration` and :data:`PIPELINE`: allowed moves, recorded history, fees as
  :class:`~smmkit.models.Money` and dated deliverables.
- :func:`read_creators_csv` / :func:`export_creators_csv`.
"""

from ._creator import (
    TIER_ENGAGEMENT_BENCHMARKS,
    AudienceBreakdown,
    Creator,
    CreatorComment,
    CreatorPost,
    tier_of,
)
from ._csv import (
    CREATOR_COLUMNS,
    CreatorImport,
    CreatorImportError,
    ImportProblem,
    export_creators_csv,
    read_creators_csv,
)
from ._pipeline import PIPELINE, Collaboration, StageChange, allowed_moves, fees_by_currency

__all__ = [
    "CREATOR_COLUMNS",
    "PIPELINE",
    "TIER_ENGAGEMENT_BENCHMARKS",
    "AudienceBreakdown",
    "Collaboration",
    "Creator",
    "CreatorComment",
    "CreatorImport",
    "CreatorImportError",
    "CreatorPost",
    "ImportProblem",
    "StageChange",
    "allowed_moves",
    "export_creators_csv",
    "fees_by_currency",
    "read_creators_csv",
    "tier_of",
]
