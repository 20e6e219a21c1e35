"""Payload mappers: each platform's shape, Meta's views vs impressions, bad payloads."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from smmkit.analytics import (
    POST_FIELD_MAP,
    normalize_account_metrics,
    normalize_ad_metrics,
    normalize_post_metrics,
)
from smmkit.errors import ValidationError
from smmkit.models import Platform

WHEN = datetime(2026, 3, 5, 12, tzinfo=UTC)


def _insights(**metrics: int) -> list[dict[str, Any]]:
    return [{"name": k, "period": "lifetime", "values": [{"value": v}]} for k, v in metrics.items()]


CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "instagram",
        {
            "id": "ig1",
            "data": _insights(
                impressions=900, reach=700, likes=50, comments=4, shares=2, saved=6, plays=300
            ),
        },
        {"impressions": 900, "views": None, "reach": 700, "saves": 6, "video_views": 300},
    ),
    (
        "instagram",
        {
            "id": "ig2",
            "like_count": 11,
            "comments_count": 3,
            "data": _insights(views=1200, reach=800),
        },
        {"impressions": None, "views": 1200, "likes": 11, "comments": 3},
    ),
    (
        "facebook",
        {
            "id": "fb1",
            "data": _insights(
                post_impressions=500,
                post_media_view=650,
                post_impressions_unique=400,
                post_clicks=9,
            ),
            "shares": {"count": 3},
            "comments": {"summary": {"total_count": 5}},
        },
        {"impressions": 500, "views": 650, "reach": 400, "clicks": 9, "shares": 3, "comments": 5},
    ),
    (
        "facebook",
        {
            "id": "fb2",
            "data": [
                {
                    "name": "post_reactions_by_type_total",
                    "values": [{"value": {"like": 7, "love": 2}}],
                }
            ],
        },
        {"likes": 9},
    ),
    (
        "threads",
        {"id": "th1", "data": _insights(views=300, likes=20, replies=4, reposts=2, quotes=1)},
        {"views": 300, "likes": 20, "comments": 4, "shares": 3},
    ),
    (
        "x",
        {
            "id": "x1",
            "public_metrics": {
                "impression_count": 100,
                "like_count": 5,
                "reply_count": 1,
                "retweet_count": 2,
                "quote_count": 1,
                "bookmark_count": 3,
            },
            "organic_metrics": {"impression_count": 90, "url_link_clicks": 4},
        },
        {"impressions": 90, "likes": 5, "comments": 1, "shares": 3, "saves": 3, "clicks": 4},
    ),
    (
        "linkedin",
        {
            "id": "urn:li:share:1",
            "totalShareStatistics": {
                "impressionCount": 1000,
                "uniqueImpressionsCount": 800,
                "clickCount": 20,
                "likeCount": 30,
                "commentCount": 2,
                "shareCount": 1,
            },
        },
        {"impressions": 1000, "reach": 800, "clicks": 20, "likes": 30, "shares": 1},
    ),
    (
        "mastodon",
        {"id": "109", "favourites_count": 8, "replies_count": 2, "reblogs_count": 3},
        {"likes": 8, "comments": 2, "shares": 3, "impressions": None},
    ),
    (
        "bluesky",
        {
            "uri": "at://did:plc:x/app.bsky.feed.post/1",
            "likeCount": 9,
            "repostCount": 2,
            "quoteCount": 1,
            "replyCount": 0,
        },
        {"likes": 9, "shares": 3, "comments": 0},
    ),
    (
        "tiktok",
        {
            "id": "tt1",
            "view_count": 5000,
            "like_count": 400,
            "comment_count": 20,
            "share_count": 30,
        },
        {"views": 5000, "video_views": 5000, "likes": 400},
    ),
    (
        "youtube",
        {
            "id": "yt1",
            "statistics": {
                "viewCount": "1500",
                "likeCount": "90",
                "commentCount": "7",
                "favoriteCount": "0",
            },
        },
        {"views": 1500, "likes": 90, "comments": 7, "saves": 0},
    ),
    (
        "pinterest",
        {
            "id": "pin1",
            "all": {
                "lifetime_metrics": {
                    "IMPRESSION": 2000,
                    "SAVE": 40,
                    "OUTBOUND_CLICK": 12,
                    "PIN_CLICK": 50,
                }
            },
        },
        {"impressions": 2000, "saves": 40, "clicks": 12},
    ),
]


@pytest.mark.parametrize(
    ("platform", "payload", "expected"),
    CASES,
    ids=[f"{c[0]}-{c[1].get('id', 'uri')}" for c in CASES],
)
def test_mapping(platform: str, payload: dict[str, Any], expected: dict[str, Any]) -> None:
    m = normalize_post_metrics(platform, payload, measured_at=WHEN, channel="c")
    for field, value in expected.items():
        assert getattr(m, field) == value, field
    assert m.raw == payload
    assert m.platform == Platform(platform)


def test_every_known_network_has_a_mapper() -> None:
    for p in (
        "instagram",
        "facebook",
        "threads",
        "x",
        "linkedin",
        "mastodon",
        "bluesky",
        "tiktok",
        "youtube",
        "pinterest",
    ):
        assert Platform(p) in POST_FIELD_MAP


def test_views_never_become_impressions() -> None:
    m = normalize_post_metrics(
        "instagram", {"id": "1", "data": _insights(views=10)}, measured_at=WHEN
    )
    assert m.views == 10 and m.impressions is None


@pytest.mark.parametrize(
    ("platform", "payload", "field"),
    [
        ("myspace", {"id": "1"}, "platform"),
        ("wordpress", {"id": "1"}, "platform"),
        ("mastodon", {"favourites_count": 1}, "post_id"),
        ("mastodon", {"id": "1", "favourites_count": -1}, "favourites_count"),
        ("mastodon", {"id": "1", "favourites_count": "many"}, "favourites_count"),
        ("mastodon", {"id": "1", "favourites_count": float("nan")}, "favourites_count"),
        ("mastodon", {"id": "1", "favourites_count": True}, "favourites_count"),
        ("instagram", {"id": "1", "data": {"reach": 1}}, "data"),
        ("instagram", {"id": "1", "data": [{"value": 1}]}, r"data\[0\]"),
        ("x", {"id": "1", "public_metrics": [1]}, "public_metrics"),
    ],
)
def test_bad_payloads_name_the_field(platform: str, payload: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        normalize_post_metrics(platform, payload, measured_at=WHEN)


def test_account_metrics() -> None:
    a = normalize_account_metrics(
        "instagram",
        {"id": "17841", "followers_count": 4200, "follows_count": 300, "media_count": 512},
        measured_at=WHEN,
    )
    assert (a.followers, a.following, a.posts_count) == (4200, 300, 512)
    b = normalize_account_metrics(
        "bluesky",
        {"did": "did:plc:abc", "followersCount": 90, "followsCount": 10, "postsCount": 44},
        measured_at=WHEN,
    )
    assert (b.account_id, b.followers, b.posts_count) == ("did:plc:abc", 90, 44)
    with pytest.raises(ValidationError, match="account_id"):
        normalize_account_metrics("x", {"followers_count": 1}, measured_at=WHEN)


def test_ad_insights_row() -> None:
    row = {
        "ad_id": "23851",
        "campaign_name": "panettone-2026",
        "spend": "120.50",
        "impressions": "40000",
        "reach": "21000",
        "clicks": "600",
        "actions": [
            {"action_type": "link_click", "value": "580"},
            {"action_type": "offsite_conversion.fb_pixel_purchase", "value": "18"},
            {"action_type": "purchase", "value": "20"},
        ],
        "action_values": [{"action_type": "purchase", "value": "540.00"}],
        "video_play_actions": [{"action_type": "video_view", "value": "9000"}],
    }
    ad = normalize_ad_metrics(row, currency="EUR", measured_at=WHEN)
    assert ad.spend.amount == Decimal("120.50") and ad.spend.currency == "EUR"
    assert (ad.impressions, ad.reach, ad.clicks, ad.video_views) == (40000, 21000, 600, 9000)
    assert ad.conversions == 20  # the first alias present ("purchase"), not the sum of aliases
    assert ad.revenue is not None and ad.revenue.amount == Decimal("540.00")
    assert ad.campaign == "panettone-2026"
    with pytest.raises(ValidationError, match="spend"):
        normalize_ad_metrics({"ad_id": "1"}, currency="EUR", measured_at=WHEN)
    with pytest.raises(ValidationError, match="spend"):
        normalize_ad_metrics({"ad_id": "1", "spend": "-3"}, currency="EUR", measured_at=WHEN)
