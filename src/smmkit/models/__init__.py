"""smmkit's domain models (pydantic v2): pure, typed data that every engine and client speaks.

Value objects are frozen. Time fields refuse naive datetimes. Every model round-trips through JSON
(``model_dump_json`` / ``model_validate_json``) and exports a JSON Schema (``model_json_schema``).
A bad value raises :class:`pydantic.ValidationError` (a ``ValueError``) naming the field, the value
and the rule.
"""

from ._audience import AgeBand, Audience, AudienceSegment, Gender
from ._base import (
    Hashtag,
    LocaleTag,
    Platform,
    Slug,
    SmmkitModel,
    TimezoneName,
    ValueModel,
    Weekday,
)
from ._brand import (
    Brand,
    Competitor,
    ContentPillar,
    EmojiPolicy,
    GrammaticalPerson,
    KpiTarget,
    Objective,
    ObjectiveTarget,
    Register,
    VoiceProfile,
)
from ._campaign import (
    Campaign,
    Deliverable,
    Influencer,
    InfluencerRate,
    InfluencerTier,
    PipelineStage,
    TierThresholds,
    UtmDefaults,
    classify_tier,
)
from ._channel import Cadence, Channel, PostingWindow
from ._content import (
    WORKFLOW,
    ContentFormat,
    ContentItem,
    ContentStatus,
    MediaAsset,
    MediaKind,
    Variant,
)
from ._longform import BlogPost, CallToAction, LandingPage, LongFormPiece, Newsletter, Section, Seo
from ._metrics import AccountMetrics, AdMetrics, PostMetrics
from ._money import CURRENCY_MINOR_UNITS, Money, minor_unit

__all__ = [
    "CURRENCY_MINOR_UNITS",
    "WORKFLOW",
    "AccountMetrics",
    "AdMetrics",
    "AgeBand",
    "Audience",
    "AudienceSegment",
    "BlogPost",
    "Brand",
    "Cadence",
    "CallToAction",
    "Campaign",
    "Channel",
    "Competitor",
    "ContentFormat",
    "ContentItem",
    "ContentPillar",
    "ContentStatus",
    "Deliverable",
    "EmojiPolicy",
    "Gender",
    "GrammaticalPerson",
    "Hashtag",
    "Influencer",
    "InfluencerRate",
    "InfluencerTier",
    "KpiTarget",
    "LandingPage",
    "LocaleTag",
    "LongFormPiece",
    "MediaAsset",
    "MediaKind",
    "Money",
    "Newsletter",
    "Objective",
    "ObjectiveTarget",
    "PipelineStage",
    "Platform",
    "PostMetrics",
    "PostingWindow",
    "Register",
    "Section",
    "Seo",
    "Slug",
    "SmmkitModel",
    "TierThresholds",
    "TimezoneName",
    "UtmDefaults",
    "ValueModel",
    "Variant",
    "VoiceProfile",
    "Weekday",
    "classify_tier",
    "minor_unit",
]
