"""Meta's insight metric names, dated: which name to ask for on a given day.

Meta renames and retires metrics often; asking for a retired one fails the whole call. Each row
says when a name became valid and when it stopped (exclusive), what replaced it and where Meta
says so:

* Instagram media and accounts: ``views`` replaced ``impressions``, ``plays``,
  ``clips_replays_count`` and ``ig_reels_aggregated_all_plays_count`` (deprecated for all
  versions on 2025-04-21; ``video_views`` earlier), see
  https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights
  and https://developers.facebook.com/blog/post/2025/01/21/making-it-easier-to-build-integrations-across-the-instagram-api-and-marketing-api/
* Facebook Pages: ``*_impressions*`` gave way to ``*_media_view`` / ``*_total_media_view_unique``
  (2025-06-15 and 2025-11-15), ``page_fans`` to ``page_follows`` (2025-11-15), see
  https://developers.facebook.com/docs/platforminsights/page/deprecated-metrics and
  https://developers.facebook.com/blog/post/2025/08/15/page-insights-api-updates/
* Threads: https://developers.facebook.com/docs/threads/insights (``views``, ``likes``,
  ``replies``, ``reposts``, ``quotes``, ``shares``; user ``followers_count``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["METRIC_NAMES", "MetricName", "metrics_for"]

_IG_MEDIA = (
    "https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights"
)
_PAGE_DEP = "https://developers.facebook.com/docs/platforminsights/page/deprecated-metrics"
_PAGE_BLOG = "https://developers.facebook.com/blog/post/2025/08/15/page-insights-api-updates/"
_THREADS = "https://developers.facebook.com/docs/threads/insights"
_APR21 = date(2025, 4, 21)


@dataclass(frozen=True, slots=True)
class MetricName:
    """One metric name of one insights edge, valid from ``since`` until ``until`` (exclusive;
    ``None`` = open), filling ``field`` of :class:`~smmkit.models.PostMetrics` /
    :class:`~smmkit.models.AccountMetrics`."""

    edge: str
    name: str
    field: str
    since: date | None = None
    until: date | None = None
    replaced_by: str | None = None
    source: str = ""

    def valid_on(self, day: date) -> bool:
        return (self.since is None or day >= self.since) and (
            self.until is None or day < self.until
        )


METRIC_NAMES: tuple[MetricName, ...] = (
    # Instagram media insights
    MetricName(
        "instagram_media",
        "impressions",
        "impressions",
        until=_APR21,
        replaced_by="views",
        source=_IG_MEDIA,
    ),
    MetricName(
        "instagram_media",
        "plays",
        "video_views",
        until=_APR21,
        replaced_by="views",
        source=_IG_MEDIA,
    ),
    MetricName(
        "instagram_media",
        "video_views",
        "video_views",
        until=date(2025, 1, 8),
        replaced_by="views",
        source=_IG_MEDIA,
    ),
    MetricName("instagram_media", "views", "views", since=date(2024, 11, 1), source=_IG_MEDIA),
    MetricName("instagram_media", "reach", "reach", source=_IG_MEDIA),
    MetricName("instagram_media", "likes", "likes", source=_IG_MEDIA),
    MetricName("instagram_media", "comments", "comments", source=_IG_MEDIA),
    MetricName("instagram_media", "shares", "shares", source=_IG_MEDIA),
    MetricName("instagram_media", "saved", "saves", source=_IG_MEDIA),
    # Instagram account insights (metric_type=total_value, period=day)
    MetricName(
        "instagram_account",
        "impressions",
        "impressions",
        until=_APR21,
        replaced_by="views",
        source=_IG_MEDIA,
    ),
    MetricName("instagram_account", "views", "views", since=date(2024, 11, 1), source=_IG_MEDIA),
    MetricName("instagram_account", "reach", "reach", source=_IG_MEDIA),
    MetricName("instagram_account", "profile_views", "profile_visits", source=_IG_MEDIA),
    # Facebook Page post insights
    MetricName(
        "page_post",
        "post_impressions",
        "impressions",
        until=date(2025, 11, 15),
        replaced_by="post_media_view",
        source=_PAGE_BLOG,
    ),
    MetricName(
        "page_post",
        "post_impressions_unique",
        "reach",
        until=date(2025, 6, 15),
        replaced_by="post_total_media_view_unique",
        source=_PAGE_DEP,
    ),
    MetricName("page_post", "post_media_view", "views", since=date(2025, 6, 1), source=_PAGE_BLOG),
    MetricName(
        "page_post",
        "post_total_media_view_unique",
        "reach",
        since=date(2025, 6, 1),
        source=_PAGE_DEP,
    ),
    MetricName("page_post", "post_clicks", "clicks", source=_PAGE_DEP),
    # Facebook Page insights
    MetricName(
        "page",
        "page_impressions",
        "impressions",
        until=date(2025, 11, 15),
        replaced_by="page_media_view",
        source=_PAGE_BLOG,
    ),
    MetricName(
        "page",
        "page_impressions_unique",
        "reach",
        until=date(2025, 6, 15),
        replaced_by="page_total_media_view_unique",
        source=_PAGE_DEP,
    ),
    MetricName("page", "page_media_view", "views", since=date(2025, 6, 1), source=_PAGE_BLOG),
    MetricName(
        "page", "page_total_media_view_unique", "reach", since=date(2025, 6, 1), source=_PAGE_DEP
    ),
    MetricName(
        "page",
        "page_fans",
        "followers",
        until=date(2025, 11, 15),
        replaced_by="page_follows",
        source=_PAGE_DEP,
    ),
    MetricName("page", "page_follows", "followers", source=_PAGE_DEP),
    # Threads
    MetricName("threads_media", "views", "views", source=_THREADS),
    MetricName("threads_media", "likes", "likes", source=_THREADS),
    MetricName("threads_media", "replies", "comments", source=_THREADS),
    MetricName("threads_media", "reposts", "shares", source=_THREADS),
    MetricName("threads_media", "quotes", "quotes", source=_THREADS),
    MetricName("threads_user", "views", "views", source=_THREADS),
    MetricName("threads_user", "followers_count", "followers", source=_THREADS),
)


def metrics_for(edge: str, day: date) -> tuple[MetricName, ...]:
    """The metric names of ``edge`` valid on ``day`` (ask only for these)."""
    found = tuple(m for m in METRIC_NAMES if m.edge == edge and m.valid_on(day))
    if not found:
        raise ValueError(f"no metric names for edge {edge!r}")
    return found
