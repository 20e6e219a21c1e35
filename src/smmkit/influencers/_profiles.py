"""Creators from public profile payloads, as the networks return them.

- Instagram: the Graph API's ``business_discovery`` field of an ``IGUser`` (``followers_count``,
  ``follows_count``, ``media_count``, ``biography`` and ``media{like_count,comments_count,...}``);
- Bluesky: ``app.bsky.actor.getProfile`` (``followersCount``, ``followsCount``, ...) and,
  optionally, ``app.bsky.feed.getAuthorFeed`` (reposts and other authors' posts skipped);
- Mastodon: an ``Account`` (``followers_count``, ``following_count``, ``note`` in HTML) and,
  optionally, its ``Status`` list (reblogs skipped).

Pure mapping, no I/O: the caller fetches the JSON (the field names are the official specs').
A missing or malformed required field raises :class:`~smmkit.errors.ValidationError` naming its
path; text is kept as text (HTML reduced to plain text, control characters removed). Linear in
the payload.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from smmkit._sinks import strip_controls
from smmkit.errors import ValidationError
from smmkit.models import Platform

from ._creator import Creator, CreatorPost

__all__ = ["creator_from_bluesky", "creator_from_instagram", "creator_from_mastodon"]

_TAG = re.compile(r"<[^<>]*>")
_BREAK = re.compile(r"<br\s*/?>|</p>", re.IGNORECASE)
_MAX_POSTS = 1000


def _plain(value: object) -> str:
    if not isinstance(value, str):
        return ""
    text = _BREAK.sub("\n", value)
    return strip_controls(html.unescape(_TAG.sub("", text))).strip()


def _mapping(value: object, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValidationError(path, type(value).__name__, "must be a JSON object")
    return value


def _count(data: Mapping[str, Any], key: str, path: str, *, required: bool) -> int | None:
    value = data.get(key)
    if value is None:
        if required:
            raise ValidationError(f"{path}.{key}", None, "is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(f"{path}.{key}", value, "must be a non-negative integer")
    return value


def _text(data: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise ValidationError(f"{path}.{key}", value, "is missing")
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{path}.{key}", value, "must be a string")
    return value


def _time(value: object, path: str) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(path, value, "is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise ValidationError(path, value, "has no UTC offset")
    return moment


def _items(value: object, path: str) -> Sequence[Any]:
    if value is None:
        return ()
    if isinstance(value, Mapping):
        value = value.get("data", value.get("feed", ()))
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise ValidationError(path, type(value).__name__, "must be a list")
    return value[:_MAX_POSTS]


def creator_from_instagram(
    business_discovery: Mapping[str, Any],
    *,
    measured_at: datetime | None = None,
    follower_history: Sequence[int] = (),
) -> Creator:
    """A creator from Instagram's ``business_discovery`` payload (an ``IGUser``, with
    ``media.data`` when requested). Media whose like count is hidden are left out of the
    engagement figures."""
    path = "business_discovery"
    data = _mapping(business_discovery, path)
    posts = []
    for n, raw in enumerate(_items(data.get("media"), f"{path}.media")):
        item = _mapping(raw, f"{path}.media[{n}]")
        likes = _count(item, "like_count", f"{path}.media[{n}]", required=False)
        if likes is None:
            continue
        posts.append(
            CreatorPost(
                post_id=str(item.get("id")) if item.get("id") is not None else None,
                published_at=_time(item.get("timestamp"), f"{path}.media[{n}].timestamp"),
                likes=likes,
                comments=_count(item, "comments_count", f"{path}.media[{n}]", required=False) or 0,
                views=_count(item, "view_count", f"{path}.media[{n}]", required=False),
                format=_ig_format(item),
                text=_plain(item.get("caption")),
            )
        )
    return Creator(
        handle=_text(data, "username", path, required=True),
        platform=Platform.INSTAGRAM,
        name=_plain(data.get("name")) or None,
        followers=_count(data, "followers_count", path, required=True) or 0,
        following=_count(data, "follows_count", path, required=False),
        follower_history=tuple(follower_history),
        measured_at=measured_at,
        posts=tuple(posts),
        bio=_plain(data.get("biography"))[:5000],
    )


def _ig_format(item: Mapping[str, Any]) -> str | None:
    product = item.get("media_product_type")
    kind = item.get("media_type")
    if product == "REELS":
        return "reel"
    if product == "STORY":
        return "story"
    if kind == "CAROUSEL_ALBUM":
        return "carousel"
    if kind == "VIDEO":
        return "video"
    if kind == "IMAGE":
        return "post"
    return None


def creator_from_bluesky(
    profile: Mapping[str, Any],
    author_feed: Mapping[str, Any] | Sequence[Any] | None = None,
    *,
    measured_at: datetime | None = None,
    follower_history: Sequence[int] = (),
) -> Creator:
    """A creator from ``app.bsky.actor.getProfile`` and, optionally, its
    ``app.bsky.feed.getAuthorFeed`` (engagements: likes + replies; reposts of others and posts
    by other authors are skipped)."""
    path = "profile"
    data = _mapping(profile, path)
    did = data.get("did")
    posts = []
    for n, raw in enumerate(_items(author_feed, "author_feed.feed")):
        entry = _mapping(raw, f"author_feed.feed[{n}]")
        if entry.get("reason") is not None:
            continue  # a repost
        post = _mapping(entry.get("post"), f"author_feed.feed[{n}].post")
        author = post.get("author")
        if isinstance(author, Mapping) and did is not None and author.get("did") != did:
            continue
        record = post.get("record")
        text = record.get("text") if isinstance(record, Mapping) else None
        created = record.get("createdAt") if isinstance(record, Mapping) else None
        where = f"author_feed.feed[{n}].post"
        posts.append(
            CreatorPost(
                post_id=str(post.get("uri")) if post.get("uri") else None,
                published_at=_time(created or post.get("indexedAt"), f"{where}.record.createdAt"),
                likes=_count(post, "likeCount", where, required=False) or 0,
                comments=_count(post, "replyCount", where, required=False) or 0,
                text=strip_controls(text) if isinstance(text, str) else "",
            )
        )
    return Creator(
        handle=_text(data, "handle", path, required=True),
        platform=Platform.BLUESKY,
        name=_plain(data.get("displayName")) or None,
        followers=_count(data, "followersCount", path, required=True) or 0,
        following=_count(data, "followsCount", path, required=False),
        follower_history=tuple(follower_history),
        measured_at=measured_at,
        posts=tuple(posts),
        bio=_plain(data.get("description"))[:5000],
    )


def creator_from_mastodon(
    account: Mapping[str, Any],
    statuses: Sequence[Any] = (),
    *,
    measured_at: datetime | None = None,
    follower_history: Sequence[int] = (),
) -> Creator:
    """A creator from a Mastodon ``Account`` and, optionally, its statuses (engagements:
    favourites + replies; reblogs skipped). The handle is ``acct`` (``user@instance`` for remote
    accounts)."""
    path = "account"
    data = _mapping(account, path)
    posts = []
    for n, raw in enumerate(_items(statuses, "statuses")):
        status = _mapping(raw, f"statuses[{n}]")
        if status.get("reblog"):
            continue
        posts.append(
            CreatorPost(
                post_id=str(status.get("id")) if status.get("id") is not None else None,
                published_at=_time(status.get("created_at"), f"statuses[{n}].created_at"),
                likes=_count(status, "favourites_count", f"statuses[{n}]", required=False) or 0,
                comments=_count(status, "replies_count", f"statuses[{n}]", required=False) or 0,
                text=_plain(status.get("content")),
            )
        )
    handle = _text(data, "acct", path) or _text(data, "username", path, required=True)
    language = None
    for status in statuses[:50] if isinstance(statuses, Sequence) else ():
        if isinstance(status, Mapping) and isinstance(status.get("language"), str):
            language = status["language"]
            break
    return Creator(
        handle=handle,
        platform=Platform.MASTODON,
        name=_plain(data.get("display_name")) or None,
        followers=_count(data, "followers_count", path, required=True) or 0,
        following=_count(data, "following_count", path, required=False),
        follower_history=tuple(follower_history),
        measured_at=measured_at,
        posts=tuple(posts),
        bio=_plain(data.get("note"))[:5000],
        language=language,
    )
