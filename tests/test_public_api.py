"""The public surface is pinned: changing it must be deliberate (and noted in the CHANGELOG)."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest

import smmkit

PINNED = {
    "smmkit": [
        "Audience",
        "Brand",
        "Campaign",
        "Channel",
        "ContentItem",
        "Influencer",
        "Money",
        "Platform",
        "Setup",
        "SmmkitError",
        "ValidationError",
        "Variant",
        "Workspace",
        "__version__",
        "load_setup",
    ],
    "smmkit.errors": [
        "AllocationError",
        "AuthenticationError",
        "BadRequestError",
        "ConflictError",
        "ContentRuleError",
        "CurrencyMismatchError",
        "InfeasiblePlanError",
        "NotFoundError",
        "PermissionDeniedError",
        "PlanningError",
        "PlatformConnectionError",
        "PlatformError",
        "PlatformStatusError",
        "PlatformTimeoutError",
        "RateLimitedError",
        "ServerError",
        "SetupError",
        "SmmkitError",
        "StoreError",
        "TransitionError",
        "UnsupportedCapability",
        "ValidationError",
        "status_error_class",
    ],
    "smmkit.setup": ["Setup", "load_setup", "parse_setup"],
    "smmkit.platforms.instagram": [
        "AsyncInstagramClient",
        "CAROUSEL_MAX",
        "CAROUSEL_MIN",
        "DEFAULT_GRAPH_VERSION",
        "INSTAGRAM_EXTRAS",
        "InstagramClient",
        "InstagramCore",
        "PLUGIN",
    ],
    "smmkit.platforms.facebook": [
        "AsyncFacebookPageClient",
        "FACEBOOK_EXTRAS",
        "FacebookPageClient",
        "FacebookPageCore",
        "MIN_SCHEDULE_AHEAD",
        "PLUGIN",
    ],
    "smmkit.platforms.threads": [
        "AsyncThreadsClient",
        "PLUGIN",
        "THREADS_CAROUSEL_MAX",
        "THREADS_EXTRAS",
        "THREADS_TEXT_MAX",
        "ThreadsClient",
        "ThreadsCore",
    ],
    "smmkit.platforms.meta": [
        "AsyncMetaTokens",
        "ContainerStatus",
        "ContractViolation",
        "GraphContract",
        "GraphErrorInfo",
        "METRIC_NAMES",
        "MetaTokens",
        "MetricName",
        "PageToken",
        "PollPolicy",
        "ReplayGuard",
        "THROTTLING_CODES",
        "TokenDebug",
        "TokenInfo",
        "WebhookEvent",
        "WebhookRefused",
        "graph_error_info",
        "metrics_for",
        "needs_reauth",
        "parse_webhook",
        "sign_body",
        "verify_delivery",
        "verify_signature",
        "verify_subscription",
    ],
    "smmkit.models": [
        "AccountMetrics",
        "AdMetrics",
        "AgeBand",
        "Audience",
        "AudienceSegment",
        "BlueskyLinkCard",
        "BlueskyOptions",
        "FacebookOptions",
        "InstagramOptions",
        "InstagramUserTag",
        "ThreadsOptions",
        "ContentFormatName",
        "ContentStatusName",
        "MastodonOptions",
        "MastodonPoll",
        "MastodonVisibility",
        "MediaKindName",
        "PlatformName",
        "BlogPost",
        "Brand",
        "CURRENCY_MINOR_UNITS",
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
        "InboxMessage",
        "KpiTarget",
        "LandingPage",
        "LocaleTag",
        "LongFormPiece",
        "MediaAsset",
        "MediaKind",
        "MessageCategory",
        "MessageKind",
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
        "WORKFLOW",
        "Weekday",
        "classify_tier",
        "minor_unit",
    ],
    "smmkit.cli": ["main"],
    "smmkit.store": [
        "SCHEMA_REVISIONS",
        "AccountSnapshot",
        "ChangeEntry",
        "HistoryEntry",
        "MetricJob",
        "MetricJobKind",
        "OutboxEntry",
        "OutboxState",
        "PostSnapshot",
        "PublishOutcome",
        "PublishedRecord",
        "RunnerLock",
        "RunnerRecord",
        "SlotLike",
        "SlotRecord",
        "Store",
        "StoreVersionError",
        "Transaction",
        "open_store",
    ],
    "smmkit.runner": [
        "DEFAULT_METRIC_AGES",
        "Backoff",
        "ClientProvider",
        "PublishingClient",
        "RunReport",
        "Runner",
        "RunnerHooks",
    ],
    "smmkit.influencers": [
        "AGCOM_FOLLOWERS",
        "AGCOM_MONTHLY_VIEWS",
        "AUTHENTICITY_SIGNALS",
        "AgcomStatus",
        "Attribution",
        "AudienceBreakdown",
        "AuthenticityBatch",
        "AuthenticityReport",
        "AuthenticitySettings",
        "Brief",
        "CREATOR_COLUMNS",
        "CampaignResults",
        "Collaboration",
        "Creator",
        "CreatorComment",
        "CreatorImport",
        "CreatorImportError",
        "CreatorPost",
        "CreatorResults",
        "DEFAULT_UNSAFE_TERMS",
        "DISCLOSURE_HASHTAGS",
        "DISCLOSURE_PHRASES",
        "DeliveredPost",
        "DeliveryCheck",
        "DisclosureCheck",
        "FIT_COMPONENTS",
        "FitComponent",
        "FitReport",
        "FitSettings",
        "INFLUENCER_KPIS",
        "ImportProblem",
        "PIPELINE",
        "Signal",
        "StageChange",
        "TIER_ENGAGEMENT_BENCHMARKS",
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
    ],
    "smmkit.audit": [
        "AuditImportError",
        "BestPost",
        "CADENCE_LIMITS",
        "ChannelAudit",
        "ChannelData",
        "ChannelPlan",
        "ChannelRecommendation",
        "OBJECTIVE_FIT",
        "PresenceAudit",
        "SOURCES",
        "audit_presence",
        "channel_data_from_profile",
        "collect_channel",
        "read_audit_csv",
        "recommend_channels",
    ],
    "smmkit.workspace": [
        "Assignment",
        "ClientFactory",
        "DraftResult",
        "DraftedVariant",
        "ImportResult",
        "PublishResult",
        "PublishedItem",
        "RefusedVariant",
        "ScheduleResult",
        "VariantRefs",
        "Workspace",
        "WorkspaceStatus",
        "brand_slug",
        "SECRET_KEY_ENV",
        "CredentialProvider",
        "SecretBox",
        "env_credentials",
        "generate_key",
    ],
    "smmkit.reports": [
        "CHROMIUM_ENV",
        "REPORT_KPIS",
        "AnomalyLine",
        "ChannelGrowth",
        "CommunityStats",
        "HeatCell",
        "InfluencerResult",
        "KpiLine",
        "MonthlyReport",
        "PaidLine",
        "PaidSection",
        "PostLine",
        "Recommendation",
        "RenderError",
        "calendar_csv",
        "calendar_ics",
        "calendar_rows",
        "calendar_xlsx",
        "chromium_env",
        "chromium_flags",
        "find_chromium",
        "html_to_pdf",
        "monthly_report",
        "parse_month",
        "recommend",
        "render_html",
        "render_markdown",
        "render_pdf",
    ],
    "smmkit.community": [
        "DEFAULT_POLICY",
        "DEFAULT_RULES",
        "DEFAULT_SHORTENERS",
        "INFLECTION_ENDINGS",
        "Classified",
        "KeywordMatcher",
        "ModerationAction",
        "ModerationContext",
        "ModerationPolicy",
        "ModerationRule",
        "PlannedAction",
        "RuleAction",
        "RuleCondition",
        "evaluate",
    ],
    "smmkit.i18n": [
        "DOMAIN",
        "KPI_LABELS",
        "LOCALE_PATH_ENV",
        "METRIC_LABELS",
        "VALUE_LABELS",
        "Localizer",
        "N_",
        "available_languages",
        "catalog_dirs",
        "kpi_label",
        "label",
        "localizer",
        "metric_label",
        "normalize_locale",
    ],
}


@pytest.mark.parametrize("module_name", sorted(PINNED))
def test_pinned_surface(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert sorted(module.__all__) == sorted(PINNED[module_name])
    for name in module.__all__:
        assert hasattr(module, name), f"{module_name}.{name} is exported but missing"


def public_modules() -> list[str]:
    found = []
    for info in pkgutil.walk_packages(smmkit.__path__, "smmkit."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        found.append(info.name)
    return sorted(found)


@pytest.mark.parametrize("module_name", public_modules())
def test_every_public_module_declares_all(module_name: str) -> None:
    module = importlib.import_module(module_name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{module_name} has no __all__"
    assert len(exported) == len(set(exported)), f"{module_name}.__all__ repeats a name"
    for name in exported:
        assert hasattr(module, name), f"{module_name}.{name} is exported but missing"


def test_version_and_typed_marker() -> None:
    from importlib.resources import files

    assert smmkit.__version__.count(".") >= 2
    assert files("smmkit").joinpath("py.typed").is_file()


def test_import_is_lazy_and_offline() -> None:
    # Importing the package must not pull pydantic, httpx or the engines in, nor open sockets.
    code = (
        "import socket, sys\n"
        "def no_net(*a, **k): raise AssertionError('network used on import')\n"
        "socket.socket.connect = no_net\n"
        "import smmkit\n"
        "heavy = ('pydantic', 'httpx', 'numpy', 'smmkit.models', 'babel')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_lazy_attribute_errors() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        smmkit.Nope  # noqa: B018
    assert "load_setup" in dir(smmkit)
