"""Best time to post: a weekday-by-hour map of engagement per post, shrunk for sparse cells.

For each channel, every post with a positive denominator gets its engagement rate (engagements /
reach by default). Posts are placed in the (local weekday, local hour) cell of their publication
in the channel's timezone. A cell's raw score is the **median** rate of its posts. With ``n``
posts in a cell and ``k = prior_strength``, the published score is the shrunk median

    score = (n * median + k * channel_mean) / (n + k)

so a cell with few posts leans towards the channel's mean rate. Cells with fewer than
``min_count`` posts are left out (no evidence), unless ``fill_empty`` asks for the channel mean
there. The output is exactly the planner's input shape:
``{channel_key: {(Weekday, hour): score}}``. Cost: O(n log n) for n posts (one sort per cell).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from statistics import median
from zoneinfo import ZoneInfo

from pydantic import Field

from smmkit.errors import ValidationError
from smmkit.models import PostMetrics, ValueModel, Weekday

__all__ = ["BestTimeCell", "BestTimes", "best_times"]

_DAYS = list(Weekday)


class BestTimeCell(ValueModel):
    """One weekday-hour cell of one channel."""

    channel: str
    weekday: Weekday
    hour: int = Field(ge=0, le=23)
    posts: int
    median_rate: float
    score: float


class BestTimes(ValueModel):
    """The best-time map and its cells (for explanation)."""

    scores: dict[str, dict[tuple[Weekday, int], float]]
    cells: tuple[BestTimeCell, ...]
    channel_mean: dict[str, float]
    skipped: int = Field(description="Posts left out (no publication time or no denominator).")
    rate: str

    def top(self, channel: str, k: int = 3) -> list[tuple[Weekday, int, float]]:
        """The ``k`` best cells of a channel, best first (ties: earlier in the week first)."""
        items = self.scores.get(channel, {})
        ranked = sorted(items.items(), key=lambda kv: (-kv[1], kv[0][0].number, kv[0][1]))
        return [(d, h, s) for (d, h), s in ranked[:k]]


_RATES = {
    "reach": "reach",
    "impressions": "impressions",
    "views": "views",
    "followers": "followers",
}


def best_times(
    posts: Iterable[PostMetrics],
    *,
    timezones: Mapping[str, str] | str = "UTC",
    rate: str = "reach",
    min_count: int = 1,
    prior_strength: float = 3.0,
    fill_empty: bool = False,
) -> BestTimes:
    """Build the weekday-by-hour best-time map per channel.

    ``timezones``: one IANA name for all channels, or a mapping channel -> timezone.
    ``rate``: the engagement-rate denominator (reach, impressions, views or followers).
    A post needs ``channel`` (else its platform is used as the key) and ``published_at``.
    """
    if not isinstance(timezones, str | Mapping):
        raise ValidationError(
            "timezones", timezones, "must be an IANA name or a mapping channel -> IANA name"
        )
    if rate not in _RATES:
        raise ValidationError("rate", rate, f"must be one of {', '.join(_RATES)}")
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise ValidationError("min_count", min_count, "must be at least 1")
    if (
        isinstance(prior_strength, bool)
        or not isinstance(prior_strength, int | float)
        or not math.isfinite(prior_strength)
        or prior_strength < 0
    ):
        raise ValidationError(
            "prior_strength",
            prior_strength,
            "must be a finite number >= 0 (how many posts' worth of weight the channel mean gets)",
            hint="use the default 3.0, or 0 for no shrinkage",
        )
    cells: dict[str, dict[tuple[Weekday, int], list[float]]] = defaultdict(
        lambda: defaultdict(list)
    )
    skipped = 0
    zones: dict[str, ZoneInfo] = {}
    for k, post in enumerate(posts):
        if not isinstance(post, PostMetrics):
            raise ValidationError(f"posts[{k}]", type(post).__name__, "must be PostMetrics")
        key = post.channel or post.platform.value
        den = getattr(post, _RATES[rate])
        eng = post.engagements
        if post.published_at is None or den is None or den <= 0 or eng is None:
            skipped += 1
            continue
        tzname = timezones if isinstance(timezones, str) else timezones.get(key, "UTC")
        if tzname not in zones:
            try:
                zones[tzname] = ZoneInfo(tzname)
            except Exception:
                raise ValidationError("timezones", tzname, "must be an IANA timezone") from None
        local: datetime = post.published_at.astimezone(zones[tzname])
        cells[key][(_DAYS[local.weekday()], local.hour)].append(eng / den)
    scores: dict[str, dict[tuple[Weekday, int], float]] = {}
    out_cells: list[BestTimeCell] = []
    means: dict[str, float] = {}
    for key in sorted(cells):
        all_rates = [r for rates in cells[key].values() for r in rates]
        mean = sum(all_rates) / len(all_rates)
        means[key] = mean
        channel_scores: dict[tuple[Weekday, int], float] = {}
        for (day, hour), rates in sorted(
            cells[key].items(), key=lambda kv: (kv[0][0].number, kv[0][1])
        ):
            n = len(rates)
            if n < min_count:
                continue
            med = median(rates)
            score = (n * med + prior_strength * mean) / (n + prior_strength)
            channel_scores[(day, hour)] = score
            out_cells.append(
                BestTimeCell(
                    channel=key, weekday=day, hour=hour, posts=n, median_rate=med, score=score
                )
            )
        if fill_empty:
            for day in _DAYS:
                for hour in range(24):
                    channel_scores.setdefault((day, hour), mean)
        scores[key] = channel_scores
    return BestTimes(
        scores=scores, cells=tuple(out_cells), channel_mean=means, skipped=skipped, rate=rate
    )
