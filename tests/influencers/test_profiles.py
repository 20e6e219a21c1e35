"""Creators from public profile payloads; the fields read are checked against the official specs
in ../shared/specs (skipped where absent)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from smmkit.errors import ValidationError
from smmkit.influencers import (
    authenticity,
    creator_from_bluesky,
    creator_from_instagram,
    creator_from_mastodon,
)

NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)

INSTAGRAM: dict[str, Any] = {
    "username": "bolognaagolosa",
    "name": "Giulia Ferri",
    "biography": "Cibo a Bologna 🍝\nricette e forni",
    "followers_count": 48200,
    "follows_count": 610,
    "media_count": 812,
    "media": {
        "data": [
            {
                "id": "1",
                "like_count": 1900,
                "comments_count": 120,
                "media_type": "IMAGE",
                "timestamp": "2026-11-28T08:00:00+0000",
                "caption": "Il pane <b>buono</b> #adv",
            },
            {
                "id": "2",
                "like_count": 2300,
                "comments_count": 95,
                "media_type": "VIDEO",
                "media_product_type": "REELS",
                "view_count": 40100,
                "timestamp": "2026-11-25T18:30:00+0000",
                "caption": "Reel",
            },
            {
                "id": "3",
                "comments_count": 40,
                "media_type": "CAROUSEL_ALBUM",
                "timestamp": "2026-11-20T12:00:00+0000",
            },
        ]
    },
}
BLUESKY_PROFILE = {
    "did": "did:plc:abc",
    "handle": "giulia.bsky.social",
    "displayName": "Giulia",
    "description": "cibo e pane",
    "followersCount": 5200,
    "followsCount": 300,
    "postsCount": 410,
}
BLUESKY_FEED: dict[str, Any] = {
    "feed": [
        {
            "post": {
                "uri": "at://did:plc:abc/app.bsky.feed.post/1",
                "author": {"did": "did:plc:abc"},
                "record": {"text": "Focaccia!", "createdAt": "2026-11-28T08:00:00Z"},
                "likeCount": 80,
                "replyCount": 6,
                "repostCount": 3,
                "indexedAt": "2026-11-28T08:00:01Z",
            }
        },
        {
            "post": {
                "uri": "at://did:plc:zzz/app.bsky.feed.post/9",
                "author": {"did": "did:plc:zzz"},
                "record": {"text": "not hers", "createdAt": "2026-11-27T08:00:00Z"},
                "likeCount": 999,
            },
            "reason": {"$type": "app.bsky.feed.defs#reasonRepost"},
        },
    ]
}
MASTODON_ACCOUNT = {
    "id": "1",
    "username": "giulia",
    "acct": "giulia@cucina.social",
    "display_name": "Giulia",
    "note": "<p>Pane &amp; ricette</p>",
    "followers_count": 900,
    "following_count": 150,
    "statuses_count": 300,
}
MASTODON_STATUSES = [
    {
        "id": "10",
        "created_at": "2026-11-28T08:00:00.000Z",
        "content": "<p>Crescentine</p>",
        "favourites_count": 40,
        "replies_count": 5,
        "reblogs_count": 2,
        "language": "it",
    },
    {
        "id": "11",
        "created_at": "2026-11-27T08:00:00.000Z",
        "content": "",
        "reblog": {"id": "x"},
        "favourites_count": 500,
        "replies_count": 0,
    },
]


def test_instagram_business_discovery() -> None:
    c = creator_from_instagram(INSTAGRAM, measured_at=NOW)
    assert (c.handle, c.followers, c.following) == ("bolognaagolosa", 48_200, 610)
    assert [p.format for p in c.posts] == ["post", "reel"]  # hidden like count left out
    assert c.posts[0].text == "Il pane buono #adv" and c.posts[1].views == 40_100
    assert c.posts[0].published_at == datetime(2026, 11, 28, 8, tzinfo=UTC)
    assert c.engagement_rate == pytest.approx((2020 + 2395) / 2 / 48_200)
    assert authenticity(c).signals[0].value == pytest.approx(610 / 48_200)


def test_bluesky_profile_and_feed() -> None:
    c = creator_from_bluesky(BLUESKY_PROFILE, BLUESKY_FEED)
    assert (c.handle, c.followers, c.following, c.bio) == (
        "giulia.bsky.social",
        5200,
        300,
        "cibo e pane",
    )
    (post,) = c.posts
    assert (post.likes, post.comments, post.text) == (80, 6, "Focaccia!")


def test_mastodon_account_and_statuses() -> None:
    c = creator_from_mastodon(MASTODON_ACCOUNT, MASTODON_STATUSES)
    assert c.handle == "giulia@cucina.social" and c.bio == "Pane & ricette"
    (post,) = c.posts
    assert (post.likes, post.comments, post.text) == (40, 5, "Crescentine")
    assert c.language == "it"


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({"username": "x"}, "business_discovery.followers_count: is missing"),
        ({"username": "x", "followers_count": -3}, "non-negative integer"),
        ({"username": "x", "followers_count": "lots"}, "non-negative integer"),
        ({"followers_count": 3}, "business_discovery.username: is missing"),
        (
            {
                "username": "x",
                "followers_count": 1,
                "media": {"data": [{"like_count": 1, "timestamp": "yesterday"}]},
            },
            "media[0].timestamp",
        ),
        ({"username": "x", "followers_count": 1, "media": {"data": "nope"}}, "must be a list"),
    ],
)
def test_bad_payloads_name_the_field(payload: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        creator_from_instagram(payload)
    with pytest.raises(ValidationError, match="must be a JSON object"):
        creator_from_mastodon([])  # type: ignore[arg-type]


def _props(schema: dict[str, Any], name: str) -> set[str]:
    return set(schema["components"]["schemas"][name]["properties"])


def test_fields_read_exist_in_the_official_specs(shared_path: Callable[..., Path]) -> None:
    specs = shared_path("specs")
    mastodon = json.loads((specs / "mastodon" / "schema.json").read_text(encoding="utf-8"))
    assert set(MASTODON_ACCOUNT) <= _props(mastodon, "Account")
    assert set(MASTODON_STATUSES[0]) | {"reblog"} <= _props(mastodon, "Status")
    lex = specs / "atproto-lexicons" / "lexicons" / "app" / "bsky"
    actor = json.loads((lex / "actor" / "defs.json").read_text(encoding="utf-8"))
    assert set(BLUESKY_PROFILE) <= set(actor["defs"]["profileViewDetailed"]["properties"])
    feed = json.loads((lex / "feed" / "defs.json").read_text(encoding="utf-8"))
    post_view = set(feed["defs"]["postView"]["properties"])
    assert set(BLUESKY_FEED["feed"][0]["post"]) <= post_view
    assert {"post", "reason"} <= set(feed["defs"]["feedViewPost"]["properties"])
    graph = specs / "meta-graph" / "api_specs" / "specs"
    user = {f["name"] for f in json.loads((graph / "IGUser.json").read_text())["fields"]}
    media = {f["name"] for f in json.loads((graph / "IGMedia.json").read_text())["fields"]}
    assert "business_discovery" in user
    assert set(INSTAGRAM) - {"media"} <= user
    fields = {k for m in INSTAGRAM["media"]["data"] for k in m}
    assert fields <= media
