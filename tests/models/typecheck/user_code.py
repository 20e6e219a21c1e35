"""A user's file: the documented strings are accepted where the models take an enum.

Not collected by pytest (no ``test_`` prefix); ``test_typed_fields.py`` runs ``mypy --strict``
on it, with and without the pydantic mypy plugin.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from smmkit.models import (
    BlueskyLinkCard,
    BlueskyOptions,
    Cadence,
    Channel,
    ContentFormat,
    ContentItem,
    ContentStatus,
    Deliverable,
    Influencer,
    MastodonOptions,
    MastodonPoll,
    MediaAsset,
    Platform,
    PostingWindow,
    PostMetrics,
    Variant,
)

toot = Variant(
    channel="forno-masto",
    platform="mastodon",
    text="Pane caldo alle 7",
    format="post",
    status="draft",
    mastodon=MastodonOptions(
        visibility="unlisted", poll=MastodonPoll(options=("sì", "no"), expires_in=3600)
    ),
)
skeet = Variant(
    channel="forno-bsky",
    platform=Platform.BLUESKY,
    text="Il menu",
    bluesky=BlueskyOptions(langs=("it",), link_card=BlueskyLinkCard(uri="https://forno.example")),
)
item = ContentItem(
    text="Panettone",
    format="carousel",
    media=(MediaAsset(kind="image", url="https://forno.example/p.jpg", mime_type="image/jpeg"),),
)
channel = Channel(
    key="ig",
    platform="instagram",
    handle="forno",
    timezone="Europe/Rome",
    cadence=Cadence(posts_per_week=3),
    windows=(PostingWindow(start=time(7), end=time(9)),),
)

metrics = PostMetrics(
    platform="instagram", channel="ig", post_id="1", measured_at=datetime(2026, 12, 1, tzinfo=UTC)
)
creator = Influencer(
    handle="luca", platform="instagram", followers=12000, deliverables=(Deliverable(format="reel"),)
)

# Reading a field gives the enum, with its members' attributes.
platform: Platform = toot.platform
fmt: ContentFormat = item.format
status: ContentStatus = toot.status
print(platform.value, fmt.value, status.value, channel.platform.is_known)
print(metrics.platform.is_known, creator.platform.value, creator.deliverables[0].format.value)
