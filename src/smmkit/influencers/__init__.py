"""Influencers: creators, tiers, the collaboration pipeline, fit and authenticity, briefs,
disclosure checks and results. Pure engines over :mod:`smmkit.models`, no I/O.

- :class:`Creator` (profile, recent posts, comments, audience) and :func:`tier_of`.
- :class:`Collaboration` and :data:`PIPELINE`: allowed moves, recorded history, fees as
  :class:`~smmkit.models.Money` and dated deliverables.
- :func:`read_creators_csv` / :func:`export_creators_csv`; creators from public profiles
  (:func:`creator_from_instagram`, :func:`creator_from_bluesky`, :func:`creator_from_mastodon`).
- :func:`authenticity` / :func:`authenticity_scores`: signals of bought followers and engagement
  pods combined into a score; :func:`fit` / :func:`rank_creators`: fit with the brand.
- :func:`render_brief` (tu / Lei / you, deliverables, tracked links, promo codes, disclosure);
  :func:`find_deliveries`, :func:`check_delivery`, :func:`check_disclosure`,
  :func:`agcom_status`.
- :func:`influencer_results`: reach, engagement, clicks, conversions per creator and campaign,
  with CPE, CPC, CPA and ROS (:data:`INFLUENCER_KPIS`).
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
from ._brief import Brief, TrackedLink, promo_code, render_brief, tracked_link
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
from ._disclosure import (
    AGCOM_FOLLOWERS,
    AGCOM_MONTHLY_VIEWS,
    DISCLOSURE_HASHTAGS,
    DISCLOSURE_PHRASES,
    AgcomStatus,
    DeliveredPost,
    DeliveryCheck,
    DisclosureCheck,
    agcom_status,
    check_delivery,
    check_disclosure,
    find_deliveries,
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
from ._profiles import creator_from_bluesky, creator_from_instagram, creator_from_mastodon
from ._results import (
    INFLUENCER_KPIS,
    Attribution,
    CampaignResults,
    CreatorResults,
    influencer_results,
)

__all__ = [
    "AGCOM_FOLLOWERS",
    "AGCOM_MONTHLY_VIEWS",
    "AUTHENTICITY_SIGNALS",
    "CREATOR_COLUMNS",
    "DEFAULT_UNSAFE_TERMS",
    "DISCLOSURE_HASHTAGS",
    "DISCLOSURE_PHRASES",
    "FIT_COMPONENTS",
    "INFLUENCER_KPIS",
    "PIPELINE",
    "TIER_ENGAGEMENT_BENCHMARKS",
    "AgcomStatus",
    "Attribution",
    "AudienceBreakdown",
    "AuthenticityBatch",
    "AuthenticityReport",
    "AuthenticitySettings",
    "Brief",
    "CampaignResults",
    "Collaboration",
    "Creator",
    "CreatorComment",
    "CreatorImport",
    "CreatorImportError",
    "CreatorPost",
    "CreatorResults",
    "DeliveredPost",
    "DeliveryCheck",
    "DisclosureCheck",
    "FitComponent",
    "FitReport",
    "FitSettings",
    "ImportProblem",
    "Signal",
    "StageChange",
    "TrackedLink",
    "agcom_status",
    "allowed_moves",
    "authenticity",
    "authenticity_scores",
    "check_delivery",
    "check_disclosure",
    "creator_from_bluesky",
    "creator_from_instagram",
    "creator_from_mastodon",
    "export_creators_csv",
    "fees_by_currency",
    "find_deliveries",
    "fit",
    "influencer_results",
    "is_generic_comment",
    "promo_code",
    "rank_creators",
    "read_creators_csv",
    "render_brief",
    "tier_of",
    "tracked_link",
]
