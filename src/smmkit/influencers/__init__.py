"""Influencers: creators, tiers, the collaboration pipeline, fit and authenticity, briefs,
disclosure checks and results. Pure engines over :mod:`smmkit.models`, no I/O.

- :class:`Creator` (profile, recent posts, comments, audience) and :func:`tier_of`.
- :class:`Collaboration` and :data:`PIPELINE`: allowed moves, recorded history, fees as
  :class:`~smmkit.models.Money` and dated deliverables.
- :func:`read_creators_csv` / :func:`export_creators_csv`.
- :func:`authenticity` / :func:`authenticity_scores`: signals of bought followers and engagement
  pods combined into a score; :func:`fit` / :func:`rank_creators`: fit with the brand.
"""

from ._authenticity import (
    AUTHENTICITY_SIGNALS,
    AuthenticityBatch,
    AuthenticityReport,
    AuthenticitySettings,
    Signal,
    authenticity,
    authenticity_scores,
    is_generic_comment,
)
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
from ._fit import (
    DEFAULT_UNSAFE_TERMS,
    FIT_COMPONENTS,
    FitComponent,
    FitReport,
    FitSettings,
    fit,
    rank_creators,
)
from ._pipeline import PIPELINE, Collaboration, StageChange, allowed_moves, fees_by_currency

__all__ = [
    "AUTHENTICITY_SIGNALS",
    "CREATOR_COLUMNS",
    "DEFAULT_UNSAFE_TERMS",
    "FIT_COMPONENTS",
    "PIPELINE",
    "TIER_ENGAGEMENT_BENCHMARKS",
    "AudienceBreakdown",
    "AuthenticityBatch",
    "AuthenticityReport",
    "AuthenticitySettings",
    "Collaboration",
    "Creator",
    "CreatorComment",
    "CreatorImport",
    "CreatorImportError",
    "CreatorPost",
    "FitComponent",
    "FitReport",
    "FitSettings",
    "ImportProblem",
    "Signal",
    "StageChange",
    "allowed_moves",
    "authenticity",
    "authenticity_scores",
    "export_creators_csv",
    "fees_by_currency",
    "fit",
    "is_generic_comment",
    "rank_creators",
    "read_creators_csv",
    "tier_of",
]
