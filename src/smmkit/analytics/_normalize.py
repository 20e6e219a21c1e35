"""Mappers from each platform's metrics payload to :mod:`smmkit.models` metric records.

A count the platform did not report stays ``None`` (not 0). Meta's 2025 ``views`` metric and the
older ``impressions`` are kept apart: a payload carrying both fills both fields, neither is ever
derived from the other. The raw payload is kept in ``raw`` for audit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from smmkit.errors import ValidationError
from smmkit.models import AccountMetrics, AdMetrics, Money, Platform, PostMetrics

__all__ = [
    "POST_FIELD_MAP",
    "normalize_account_metrics",
    "normalize_ad_metrics",
    "normalize_post_metrics",
]

# Which payload key feeds which PostMetrics field, per platform (documented in docs/analytics.md).
# A tuple of keys is summed; a key path "a.b" walks nested objects.
POST_FIELD_MAP: Mapping[Platform, Mapping[str, tuple[str, ...]]] = {
    Platform.INSTAGRAM: {
        "impressions": ("impressions",),
        "views": ("views",),
        "reach": ("reach",),
        "likes": ("likes",),
        "comments": ("comments",),
        "shares": ("shares",),
        "saves": ("saved",),
        "video_views": ("plays",),
        "clicks": ("profile_activity",),
        "watch_time_seconds": ("ig_reels_video_view_total_time",),
    },
    Platform.FACEBOOK: {
        "impressions": ("post_impressions",),
        "views": ("post_media_view",),
        "reach": ("post_impressions_unique",),
        "likes": ("post_reactions_by_type_total",),
        "comments": ("comments",),
        "shares": ("shares",),
        "clicks": ("post_clicks",),
        "video_views": ("post_video_views",),
        "watch_time_seconds": ("post_video_view_time",),
    },
    Platform.THREADS: {
        "views": ("views",),
        "likes": ("likes",),
        "comments": ("replies",),
        "shares": ("reposts", "quotes", "shares"),
    },
    Platform.X: {
        "impressions": ("impression_count",),
        "likes": ("like_count",),
        "comments": ("reply_count",),
        "shares": ("retweet_count", "quote_count"),
        "saves": ("bookmark_count",),
        "clicks": ("url_link_clicks",),
    },
    Platform.LINKEDIN: {
        "impressions": ("impressionCount",),
        "reach": ("uniqueImpressionsCount",),
        "likes": ("likeCount",),
        "comments": ("commentCount",),
        "shares": ("shareCount",),
        "clicks": ("clickCount",),
    },
    Platform.MASTODON: {
        "likes": ("favourites_count",),
        "comments": ("replies_count",),
        "shares": ("reblogs_count",),
    },
    Platform.BLUESKY: {
        "likes": ("likeCount",),
        "comments": ("replyCount",),
        "shares": ("repostCount", "quoteCount"),
    },
    Platform.TIKTOK: {
        "views": ("view_count",),
        "video_views": ("view_count",),
        "likes": ("like_count",),
        "comments": ("comment_count",),
        "shares": ("share_count",),
    },
    Platform.YOUTUBE: {
        "views": ("viewCount",),
        "video_views": ("viewCount",),
        "likes": ("likeCount",),
        "comments": ("commentCount",),
        "saves": ("favoriteCount",),
    },
    Platform.PINTEREST: {
        "impressions": ("IMPRESSION",),
        "saves": ("SAVE",),
        "clicks": ("OUTBOUND_CLICK",),
        "video_views": ("VIDEO_MRC_VIEW",),
        "comments": ("comment_count",),
        "likes": ("reaction_count",),
    },
    Platform.SANDBOX: {
        "impressions": ("impressions",),
        "views": ("views",),
        "reach": ("reach",),
        "likes": ("likes",),
        "comments": ("comments",),
        "shares": ("shares",),
        "saves": ("saves",),
        "clicks": ("clicks",),
        "video_views": ("video_views",),
        "watch_time_seconds": ("watch_time_seconds",),
    },
}

_COUNT_FIELDS = (
    "impressions",
    "views",
    "reach",
    "likes",
    "comments",
    "shares",
    "saves",
    "clicks",
    "video_views",
)


def _platform(value: Platform | str) -> Platform:
    try:
        platform = Platform(value)
    except ValueError:
        platform = None
    if platform is None or platform not in POST_FIELD_MAP:
        known = ", ".join(p.value for p in POST_FIELD_MAP)
        raise ValidationError(
            "platform",
            value,
            f"has no metrics mapper (known: {known})",
            hint="normalise the payload yourself into PostMetrics, or use a known platform",
        )
    return platform


def _number(field: str, value: Any) -> float:
    if isinstance(value, bool):
        raise ValidationError(field, value, "must be a number, not a boolean")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise ValidationError(field, value, "must be a number") from None
    elif isinstance(value, Mapping):
        # e.g. Facebook's reactions by type: {"like": 3, "love": 1}
        number = sum(_number(f"{field}.{k}", v) for k, v in value.items())
    else:
        raise ValidationError(field, value, "must be a number")
    if number != number or number in (float("inf"), float("-inf")):
        raise ValidationError(field, value, "must be finite")
    if number < 0:
        raise ValidationError(field, value, "cannot be negative (a count)")
    return number


def _flatten(platform: Platform, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Bring the platform's shape to one flat {metric name: value} dict."""
    flat: dict[str, Any] = {}

    def insights(items: Any, where: str) -> None:
        if not isinstance(items, list):
            raise ValidationError(where, items, "must be a list of insight objects")
        for k, item in enumerate(items):
            if not isinstance(item, Mapping) or "name" not in item:
                raise ValidationError(f"{where}[{k}]", item, "must be an object with a name")
            if item.get("values"):
                flat[str(item["name"])] = item["values"][-1].get("value")
            elif "total_value" in item:
                flat[str(item["name"])] = item["total_value"].get("value")
            elif "value" in item:
                flat[str(item["name"])] = item["value"]

    for key, value in payload.items():
        if key == "data" and platform in (Platform.INSTAGRAM, Platform.FACEBOOK, Platform.THREADS):
            insights(value, "data")
        elif key in (
            "public_metrics",
            "organic_metrics",
            "non_public_metrics",
            "statistics",
            "totalShareStatistics",
            "lifetime_metrics",
            "metrics",
        ):
            if not isinstance(value, Mapping):
                raise ValidationError(key, value, "must be an object")
            for k, v in value.items():
                # organic/non-public counts are the owner's exact numbers: they win
                if key == "public_metrics" and k in flat:
                    continue
                flat[str(k)] = v
        elif key == "all" and isinstance(value, Mapping):  # Pinterest pin analytics
            life = value.get("lifetime_metrics", {})
            if isinstance(life, Mapping):
                flat.update({str(k): v for k, v in life.items()})
        elif key not in flat:
            flat[key] = value
    # Instagram and Facebook media objects carry like_count / comments_count
    for src, dst in (("like_count", "likes"), ("comments_count", "comments")):
        if platform in (Platform.INSTAGRAM,) and src in flat and dst not in flat:
            flat[dst] = flat[src]
    if platform is Platform.FACEBOOK:
        for src, dst in (("comments", "comments"), ("shares", "shares")):
            v = flat.get(src)
            if isinstance(v, Mapping):  # {"count": n} or {"summary": {"total_count": n}}
                flat[dst] = v.get("count", v.get("summary", {}).get("total_count"))
    return flat


def normalize_post_metrics(
    platform: Platform | str,
    payload: Mapping[str, Any],
    *,
    post_id: str | None = None,
    measured_at: datetime,
    channel: str | None = None,
    published_at: datetime | None = None,
    followers: int | None = None,
    pillar: str | None = None,
    format: str | None = None,
    campaign: str | None = None,
    keep_raw: bool = True,
) -> PostMetrics:
    """Map one post's metrics payload (as the platform's API returns it) to :class:`PostMetrics`.

    ``post_id`` defaults to the payload's ``id`` (or ``uri`` for Bluesky). Raises
    :class:`smmkit.errors.ValidationError` for an unknown platform, a missing id or a negative,
    non-numeric or non-finite count, naming the payload field.
    """
    plat = _platform(platform)
    if not isinstance(payload, Mapping):
        raise ValidationError("payload", payload, "must be a JSON object (a mapping)")
    flat = _flatten(plat, payload)
    pid = post_id or payload.get("id") or payload.get("uri")
    if not pid:
        raise ValidationError("post_id", pid, "is required (not in the payload's id or uri)")
    values: dict[str, Any] = {}
    for target, keys in POST_FIELD_MAP[plat].items():
        present = [k for k in keys if flat.get(k) is not None]
        if not present:
            continue
        total = sum(_number(k, flat[k]) for k in present)
        values[target] = total if target == "watch_time_seconds" else round(total)
    if plat is Platform.FACEBOOK and values.get("watch_time_seconds") is not None:
        values["watch_time_seconds"] = values["watch_time_seconds"] / 1000.0  # ms -> s
    if plat is Platform.INSTAGRAM and values.get("watch_time_seconds") is not None:
        values["watch_time_seconds"] = values["watch_time_seconds"] / 1000.0  # ms -> s
    raw = dict(payload) if keep_raw else None
    return PostMetrics(
        platform=plat,
        measured_at=measured_at,
        channel=channel,
        post_id=str(pid),
        published_at=published_at,
        followers=followers,
        pillar=pillar,
        format=format,
        campaign=campaign,
        raw=raw,
        **values,
    )


_ACCOUNT_MAP: Mapping[str, tuple[str, ...]] = {
    "followers": (
        "followers_count",
        "follower_count",
        "followers",
        "followersCount",
        "subscriberCount",
        "page_fans",
        "firstDegreeSize",
    ),
    "following": ("follows_count", "following_count", "followsCount", "friends_count"),
    "posts_count": (
        "media_count",
        "tweet_count",
        "statuses_count",
        "postsCount",
        "videoCount",
        "video_count",
        "pin_count",
    ),
    "impressions": ("impressions", "page_impressions", "impressionCount", "IMPRESSION"),
    "views": ("views", "page_media_view", "viewCount", "likes_count_views"),
    "reach": ("reach", "page_impressions_unique", "uniqueImpressionsCount"),
    "profile_visits": ("profile_views", "page_views_total", "profile_visits"),
}


def normalize_account_metrics(
    platform: Platform | str,
    payload: Mapping[str, Any],
    *,
    account_id: str | None = None,
    measured_at: datetime,
    channel: str | None = None,
    period_start: datetime | None = None,
    period_end: datetime | None = None,
    keep_raw: bool = True,
) -> AccountMetrics:
    """Map an account/profile payload (counts and insights) to :class:`AccountMetrics`."""
    plat = _platform(platform)
    if not isinstance(payload, Mapping):
        raise ValidationError("payload", payload, "must be a JSON object (a mapping)")
    flat = _flatten(plat, payload)
    aid = account_id or payload.get("id") or payload.get("did")
    if not aid:
        raise ValidationError("account_id", aid, "is required (not in the payload's id or did)")
    values: dict[str, int] = {}
    for target, keys in _ACCOUNT_MAP.items():
        for k in keys:
            if flat.get(k) is not None:
                values[target] = round(_number(k, flat[k]))
                break
    return AccountMetrics(
        platform=plat,
        measured_at=measured_at,
        channel=channel,
        account_id=str(aid),
        period_start=period_start,
        period_end=period_end,
        raw=dict(payload) if keep_raw else None,
        **values,
    )


_PURCHASE_ACTIONS = ("purchase", "offsite_conversion.fb_pixel_purchase", "omni_purchase")


def _action_sum(actions: Any, field: str, wanted: tuple[str, ...]) -> float | None:
    if actions is None:
        return None
    if not isinstance(actions, list):
        raise ValidationError(field, actions, "must be a list of {action_type, value}")
    found = [a for a in actions if isinstance(a, Mapping) and a.get("action_type") in wanted]
    if not found:
        return None
    # Meta reports the same purchase under several aliases: take the first alias present.
    first = next(a for w in wanted for a in found if a.get("action_type") == w)
    return _number(f"{field}.{first.get('action_type')}", first.get("value"))


def _money(field: str, value: Any, currency: str) -> Money:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(field, value, "must be a decimal amount") from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(field, value, "must be a finite, non-negative amount")
    return Money(amount=amount, currency=currency)


def normalize_ad_metrics(
    payload: Mapping[str, Any],
    *,
    currency: str,
    measured_at: datetime,
    platform: Platform | str = Platform.FACEBOOK,
    ad_id: str | None = None,
    channel: str | None = None,
    conversion_actions: tuple[str, ...] = _PURCHASE_ACTIONS,
    period_start: datetime | None = None,
    period_end: datetime | None = None,
    keep_raw: bool = True,
) -> AdMetrics:
    """Map an ads insights row (Meta Marketing API shape; LinkedIn/X/TikTok ad rows with the same
    field names) to :class:`AdMetrics`.

    Fields: ``spend`` -> spend; ``impressions``; ``reach``; ``clicks`` (or ``inline_link_clicks``);
    ``views`` (2025 Meta ``views``); ``video_views`` from ``video_play_actions``;
    ``conversions`` = the first of ``conversion_actions`` in ``actions``; ``revenue`` = the same
    action in ``action_values``.
    """
    plat = _platform(platform)
    if not isinstance(payload, Mapping):
        raise ValidationError("payload", payload, "must be a JSON object (a mapping)")
    aid = ad_id or payload.get("ad_id") or payload.get("adset_id") or payload.get("campaign_id")
    if not aid:
        raise ValidationError("ad_id", aid, "is required (not in the payload's ad_id)")
    if "spend" not in payload:
        raise ValidationError("spend", None, "is required in an ads insights row")
    values: dict[str, Any] = {}
    for target, keys in (
        ("impressions", ("impressions",)),
        ("reach", ("reach",)),
        ("views", ("views",)),
        ("clicks", ("clicks", "inline_link_clicks")),
    ):
        for k in keys:
            if payload.get(k) is not None:
                values[target] = round(_number(k, payload[k]))
                break
    vv = _action_sum(payload.get("video_play_actions"), "video_play_actions", ("video_view",))
    if vv is not None:
        values["video_views"] = round(vv)
    conv = _action_sum(payload.get("actions"), "actions", conversion_actions)
    if conv is not None:
        values["conversions"] = conv
    rev = _action_sum(payload.get("action_values"), "action_values", conversion_actions)
    if rev is not None:
        values["revenue"] = _money("action_values", rev, currency)
    return AdMetrics(
        platform=plat,
        measured_at=measured_at,
        channel=channel,
        ad_id=str(aid),
        campaign=payload.get("campaign_name") or payload.get("campaign_id"),
        spend=_money("spend", payload["spend"], currency),
        period_start=period_start,
        period_end=period_end,
        raw=dict(payload) if keep_raw else None,
        **values,
    )
