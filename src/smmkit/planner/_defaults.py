"""Per-platform defaults: best-time priors, posting windows and format mixes.

The best-time priors are coarse hour-of-week shapes after the published industry heat maps
(Sprout Social, "Best times to post on social media", 2024 and 2025 editions; Hootsuite, "Best
time to post on social media", 2024; Mailchimp's send-time guidance for e-mail: weekday mornings).
They are simplified by hand to a few bands per day, on a 0-1 scale, and are only priors: pass your
own ``best_times`` (``smmkit.analytics`` produces that shape from your metrics) to replace them.
"""

from __future__ import annotations

from datetime import time

from smmkit.models import ContentFormat, Platform, PostingWindow, Weekday

__all__ = ["default_format_mix", "default_score", "default_windows"]

_WEEKDAYS = (0, 1, 2, 3, 4)
_Band = tuple[frozenset[int], range, float]


def _bands(*bands: tuple[tuple[int, ...], range, float]) -> tuple[_Band, ...]:
    return tuple((frozenset(days), hours, score) for days, hours, score in bands)


_ALL = (0, 1, 2, 3, 4, 5, 6)
_WEEKEND = (5, 6)
_PRIORS: dict[str, tuple[_Band, ...]] = {
    "instagram": _bands(
        (_WEEKDAYS, range(7, 10), 0.8),
        (_WEEKDAYS, range(11, 14), 0.9),
        (_WEEKDAYS, range(18, 22), 1.0),
        (_WEEKEND, range(10, 14), 0.8),
        (_WEEKEND, range(18, 22), 0.7),
    ),
    "threads": _bands(
        (_WEEKDAYS, range(7, 10), 0.9),
        (_WEEKDAYS, range(12, 14), 0.8),
        (_WEEKDAYS, range(18, 23), 0.9),
        (_WEEKEND, range(10, 13), 0.7),
    ),
    "facebook": _bands(
        (_WEEKDAYS, range(9, 14), 1.0),
        (_WEEKDAYS, range(18, 21), 0.7),
        (_WEEKEND, range(10, 13), 0.6),
        (_WEEKEND, range(19, 22), 0.5),
    ),
    "x": _bands(
        (_WEEKDAYS, range(8, 12), 1.0),
        (_WEEKDAYS, range(12, 15), 0.8),
        (_WEEKEND, range(9, 12), 0.5),
    ),
    "linkedin": _bands(
        ((1, 2, 3), range(8, 11), 1.0), ((1, 2, 3), range(12, 14), 0.9), ((0, 4), range(8, 12), 0.7)
    ),
    "tiktok": _bands(
        (_ALL, range(18, 23), 1.0), (_WEEKEND, range(10, 15), 0.8), (_WEEKDAYS, range(12, 14), 0.6)
    ),
    "youtube": _bands((_WEEKDAYS, range(15, 21), 1.0), (_WEEKEND, range(9, 13), 0.9)),
    "pinterest": _bands((_ALL, range(20, 23), 1.0), (_WEEKEND, range(14, 17), 0.8)),
    "mastodon": _bands((_WEEKDAYS, range(8, 12), 0.9), (_ALL, range(18, 22), 0.8)),
    "bluesky": _bands((_WEEKDAYS, range(8, 12), 0.9), (_ALL, range(18, 22), 0.8)),
    "mailchimp": _bands(((1, 2, 3), range(7, 11), 1.0), ((0, 4), range(7, 11), 0.8)),
    "wordpress": _bands((_WEEKDAYS, range(7, 11), 1.0), (_WEEKDAYS, range(13, 16), 0.7)),
}
_GENERIC = _bands((_ALL, range(9, 21), 0.6))


def default_score(platform: Platform | str, weekday: Weekday, hour: int) -> float:
    """The prior score (0-1) of posting on ``platform`` at a local weekday and hour.

    Outside every band: 0.3 in the day (7-22 h), 0.05 at night.
    """
    bands = _PRIORS.get(str(platform), _GENERIC)
    day = weekday.number
    best = 0.3 if 7 <= hour <= 22 else 0.05
    for days, hours, score in bands:
        if day in days and hour in hours:
            best = max(best, score)
    return best


def default_windows(platform: Platform | str) -> tuple[PostingWindow, ...]:
    """Windows used when a channel declares none: 08:00-21:00 daily (e-mail: 07:00-10:00)."""
    if str(platform) == "mailchimp":
        return (PostingWindow(start=time(7), end=time(10)),)
    return (PostingWindow(start=time(8), end=time(21)),)


_F = ContentFormat
_MIXES: dict[str, dict[ContentFormat, float]] = {
    "instagram": {_F.CAROUSEL: 0.4, _F.REEL: 0.4, _F.POST: 0.2},
    "facebook": {_F.POST: 0.6, _F.VIDEO: 0.2, _F.CAROUSEL: 0.2},
    "threads": {_F.POST: 0.7, _F.THREAD: 0.3},
    "x": {_F.POST: 0.7, _F.THREAD: 0.3},
    "linkedin": {_F.POST: 0.6, _F.CAROUSEL: 0.2, _F.ARTICLE: 0.2},
    "tiktok": {_F.VIDEO: 1.0},
    "youtube": {_F.VIDEO: 0.5, _F.SHORT: 0.5},
    "pinterest": {_F.PIN: 1.0},
    "mastodon": {_F.POST: 0.8, _F.THREAD: 0.2},
    "bluesky": {_F.POST: 0.8, _F.THREAD: 0.2},
    "wordpress": {_F.ARTICLE: 1.0},
    "mailchimp": {_F.NEWSLETTER: 1.0},
}


def default_format_mix(platform: Platform | str) -> dict[ContentFormat, float]:
    """The default share of each format on a platform (smmkit's editorial defaults)."""
    return dict(_MIXES.get(str(platform), {_F.POST: 1.0}))
