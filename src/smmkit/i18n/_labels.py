"""Display names of smmkit's enum values and metric names, as catalog messages.

``N_`` marks a message for extraction without translating it; :func:`label` translates at use.
"""

from __future__ import annotations

from ._catalog import Localizer

__all__ = [
    "KPI_LABELS",
    "METRIC_LABELS",
    "N_",
    "VALUE_LABELS",
    "kpi_label",
    "label",
    "metric_label",
]


def N_(message: str) -> str:
    """Mark ``message`` for the catalog; it is translated where it is shown."""
    return message


VALUE_LABELS: dict[str, str] = {
    # content formats
    "post": N_("post"),
    "carousel": N_("carousel"),
    "reel": N_("reel"),
    "story": N_("story"),
    "video": N_("video"),
    "short": N_("short video"),
    "thread": N_("thread"),
    "article": N_("article"),
    "newsletter": N_("newsletter"),
    "landing_page": N_("landing page"),
    "pin": N_("pin"),
    # workflow states
    "planned": N_("planned"),
    "draft": N_("draft"),
    "in_review": N_("in review"),
    "approved": N_("approved"),
    "scheduled": N_("scheduled"),
    "published": N_("published"),
    "failed": N_("failed"),
    "archived": N_("archived"),
    "cancelled": N_("cancelled"),
    # objectives
    "awareness": N_("awareness"),
    "traffic": N_("traffic"),
    "engagement": N_("engagement"),
    "community": N_("community"),
    "leads": N_("leads"),
    "sales": N_("sales"),
}

METRIC_LABELS: dict[str, str] = {
    "engagements": N_("engagements"),
    "reach": N_("reach"),
    "impressions": N_("impressions"),
    "views": N_("views"),
    "followers": N_("followers"),
    "shares": N_("shares"),
    "likes": N_("likes"),
    "comments": N_("comments"),
    "saves": N_("saves"),
    "clicks": N_("clicks"),
    "spend": N_("spend"),
    "conversions": N_("conversions"),
    "revenue": N_("revenue"),
    "video_completions": N_("completed video plays"),
    "video_views": N_("video plays"),
    "watch_time_seconds": N_("seconds watched"),
}

KPI_LABELS: dict[str, str] = {
    "engagement_rate_by_reach_mean": N_("Engagement rate by reach"),
    "engagement_rate_by_reach_pooled": N_("Engagement rate by reach (overall)"),
    "engagement_rate_by_impressions_mean": N_("Engagement rate by impressions"),
    "engagement_rate_by_impressions_pooled": N_("Engagement rate by impressions (overall)"),
    "engagement_rate_by_views_mean": N_("Engagement rate by views"),
    "engagement_rate_by_views_pooled": N_("Engagement rate by views (overall)"),
    "engagement_rate_by_followers_mean": N_("Engagement rate by followers"),
    "engagement_rate_by_followers_pooled": N_("Engagement rate by followers (overall)"),
    "amplification_rate": N_("Amplification rate"),
    "applause_rate": N_("Applause rate"),
    "conversation_rate": N_("Conversation rate"),
    "virality_rate": N_("Virality rate"),
    "ctr": N_("Click-through rate"),
    "cpc": N_("Cost per click"),
    "cpm": N_("Cost per 1,000 impressions"),
    "cpa": N_("Cost per result"),
    "roas": N_("Return on ad spend"),
    "video_completion_rate": N_("Video completion rate"),
    "average_watch_time_seconds": N_("Average watch time (seconds)"),
    "follower_growth_rate": N_("Follower growth"),
    "posting_frequency": N_("Posts per week"),
}


def label(loc: Localizer, value: object) -> str:
    """The display name of an enum value (format, status, objective), else the value itself."""
    raw = str(getattr(value, "value", value))
    msg = VALUE_LABELS.get(raw)
    return loc._(msg) if msg is not None else raw


def metric_label(loc: Localizer, name: str) -> str:
    msg = METRIC_LABELS.get(name)
    return loc._(msg) if msg is not None else name.replace("_", " ")


def kpi_label(loc: Localizer, name: str) -> str:
    msg = KPI_LABELS.get(name)
    return loc._(msg) if msg is not None else name.replace("_", " ")
