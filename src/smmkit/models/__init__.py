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
from ._community import InboxMessage, MessageCategory, MessageKind
from ._content import WORKFLOW, ContentItem, Variant
from ._enums import ContentFormat, ContentStatus, MediaKind
from ._longform import BlogPost, CallToAction, LandingPage, LongFormPiece, Newsletter, Section, Seo
from ._media import MediaAsset
from ._metrics import AccountMetrics, AdMetrics, PostMetrics
from ._money import CURRENCY_MINOR_UNITS, Money, minor_unit
from ._names import ContentFormatName, ContentStatusName, MediaKindName, PlatformName
from ._options import (
    BlueskyLinkCard,
    BlueskyOptions,
    FacebookOptions,
    InstagramOptions,
    InstagramUserTag,
    MastodonOptions,
    MastodonPoll,
    MastodonVisibility,
    ThreadsOptions,
)

__all__ = [
    "CURRENCY_MINOR_UNITS",
    "WORKFLOW",
    "AccountMetrics",
    "AdMetrics",
    "AgeBand",
    "Audience",
    "AudienceSegment",
    "BlogPost",
    "BlueskyLinkCard",
    "BlueskyOptions",
    "Brand",
    "Cadence",
    "CallToAction",
    "Campaign",
    "Channel",
    "Competitor",
    "ContentFormat",
    "ContentFormatName",
    "ContentItem",
    "ContentPillar",
    "ContentStatus",
    "ContentStatusName",
    "Deliverable",
    "EmojiPolicy",
    "FacebookOptions",
    "Gender",
    "GrammaticalPerson",
    "Hashtag",
    "InboxMessage",
    "Influencer",
    "InfluencerRate",
    "InfluencerTier",
    "InstagramOptions",
    "InstagramUserTag",
    "KpiTarget",
    "LandingPage",
    "LocaleTag",
    "LongFormPiece",
    "MastodonOptions",
    "MastodonPoll",
    "MastodonVisibility",
    "MediaAsset",
    "MediaKind",
    "MediaKindName",
    "MessageCategory",
    "MessageKind",
    "Money",
    "Newsletter",
    "Objective",
    "ObjectiveTarget",
    "PipelineStage",
    "Platform",
    "PlatformName",
    "PostMetrics",
    "PostingWindow",
    "Register",
    "Section",
    "Seo",
    "Slug",
    "SmmkitModel",
    "ThreadsOptions",
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
