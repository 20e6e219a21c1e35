"""KPI definitions: one named formula each, computed safely.

Every KPI is a ratio ``numerator / denominator`` (times a scale), computed either as a
**ratio of sums** (``_pooled``: sum of numerators over sum of denominators, posts where both are
reported) or as a **mean of ratios** (``_mean``: the average of each post's own ratio, posts where
both are reported and the denominator is positive). A zero or missing denominator gives a
:class:`KpiValue` with ``value=None`` and a ``reason``; never ``inf`` or ``NaN``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import Field

from smmkit.errors import ValidationError
from smmkit.models import ValueModel

__all__ = [
    "KPI_ALIASES",
    "KPI_SPECS",
    "KpiSpec",
    "KpiValue",
    "cpa",
    "cpc",
    "cpm",
    "ctr",
    "follower_growth_rate",
    "posting_frequency",
    "ratio",
    "roas",
    "share_of_voice",
]


class KpiValue(ValueModel):
    """A computed KPI: its value, or ``None`` with the reason there is none."""

    name: str
    value: float | None = Field(default=None, allow_inf_nan=False)
    reason: str | None = None
    numerator: float | None = Field(default=None, allow_inf_nan=False)
    denominator: float | None = Field(default=None, allow_inf_nan=False)
    count: int = Field(default=0, ge=0, description="Rows that entered the computation.")
    formula: str = ""

    @property
    def ok(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class KpiSpec:
    """``numerator / denominator * scale`` over columns, pooled or mean of ratios."""

    numerator: str
    denominator: str
    kind: str  # "pooled" or "mean"
    scale: float = 1.0
    description: str = ""

    @property
    def formula(self) -> str:
        s = f" x {self.scale:g}" if self.scale != 1 else ""
        if self.kind == "mean":
            return f"mean over posts of ({self.numerator} / {self.denominator}){s}"
        return f"sum({self.numerator}) / sum({self.denominator}){s}"


def _er(denominator: str, kind: str, what: str) -> KpiSpec:
    return KpiSpec("engagements", denominator, kind, description=f"engagement rate by {what}")


KPI_SPECS: Mapping[str, KpiSpec] = {
    "engagement_rate_by_reach_mean": _er("reach", "mean", "reach (mean of ratios)"),
    "engagement_rate_by_reach_pooled": _er("reach", "pooled", "reach (ratio of sums)"),
    "engagement_rate_by_impressions_mean": _er("impressions", "mean", "impressions (mean)"),
    "engagement_rate_by_impressions_pooled": _er("impressions", "pooled", "impressions (pooled)"),
    "engagement_rate_by_views_mean": _er("views", "mean", "views (mean of ratios)"),
    "engagement_rate_by_views_pooled": _er("views", "pooled", "views (ratio of sums)"),
    "engagement_rate_by_followers_mean": _er("followers", "mean", "followers at posting (mean)"),
    "engagement_rate_by_followers_pooled": _er("followers", "pooled", "followers (pooled)"),
    "amplification_rate": KpiSpec("shares", "followers", "mean", description="shares per follower"),
    "applause_rate": KpiSpec("likes", "followers", "mean", description="likes per follower"),
    "conversation_rate": KpiSpec(
        "comments", "followers", "mean", description="comments per follower"
    ),
    "virality_rate": KpiSpec(
        "shares", "impressions", "pooled", description="shares per impression"
    ),
    "ctr": KpiSpec("clicks", "impressions", "pooled", description="click-through rate"),
    "cpc": KpiSpec("spend", "clicks", "pooled", description="cost per click"),
    "cpm": KpiSpec("spend", "impressions", "pooled", 1000.0, "cost per 1000 impressions"),
    "cpa": KpiSpec("spend", "conversions", "pooled", description="cost per conversion"),
    "roas": KpiSpec("revenue", "spend", "pooled", description="return on ad spend"),
    "video_completion_rate": KpiSpec(
        "video_completions",
        "video_views",
        "pooled",
        description="share of video plays watched to the end",
    ),
    "average_watch_time_seconds": KpiSpec(
        "watch_time_seconds", "video_views", "pooled", description="watch time per video play"
    ),
}


KPI_ALIASES: Mapping[str, str] = {
    "engagement_rate_by_reach": "engagement_rate_by_reach_mean",
    "engagement_rate_by_impressions": "engagement_rate_by_impressions_mean",
    "engagement_rate_by_views": "engagement_rate_by_views_mean",
    "engagement_rate_by_followers": "engagement_rate_by_followers_mean",
    "engagement_rate": "engagement_rate_by_reach_mean",
}
"""Short KPI names used in setup files and the KPI each one means."""


def ratio(
    name: str,
    numerator: float | None,
    denominator: float | None,
    *,
    scale: float = 1.0,
    count: int = 1,
    numerator_name: str = "numerator",
    denominator_name: str = "denominator",
) -> KpiValue:
    """``numerator / denominator * scale`` as a :class:`KpiValue` (no value for 0 or missing)."""
    formula = f"{numerator_name} / {denominator_name}" + (f" x {scale:g}" if scale != 1 else "")
    for label, v in ((numerator_name, numerator), (denominator_name, denominator)):
        if v is not None and (not math.isfinite(v) or v < 0):
            raise ValidationError(label, v, "must be a finite, non-negative number")
    if numerator is None or denominator is None:
        missing = numerator_name if numerator is None else denominator_name
        return KpiValue(
            name=name,
            reason=f"{missing} not reported",
            numerator=numerator,
            denominator=denominator,
            count=0,
            formula=formula,
        )
    if denominator == 0:
        return KpiValue(
            name=name,
            reason=f"{denominator_name} is 0",
            numerator=numerator,
            denominator=0.0,
            count=count,
            formula=formula,
        )
    return KpiValue(
        name=name,
        value=numerator / denominator * scale,
        numerator=numerator,
        denominator=denominator,
        count=count,
        formula=formula,
    )


def ctr(clicks: float | None, impressions: float | None) -> KpiValue:
    """Click-through rate = clicks / impressions."""
    return ratio(
        "ctr", clicks, impressions, numerator_name="clicks", denominator_name="impressions"
    )


def cpc(spend: float | None, clicks: float | None) -> KpiValue:
    """Cost per click = spend / clicks."""
    return ratio("cpc", spend, clicks, numerator_name="spend", denominator_name="clicks")


def cpm(spend: float | None, impressions: float | None) -> KpiValue:
    """Cost per mille = spend / impressions x 1000."""
    return ratio(
        "cpm",
        spend,
        impressions,
        scale=1000.0,
        numerator_name="spend",
        denominator_name="impressions",
    )


def cpa(spend: float | None, conversions: float | None) -> KpiValue:
    """Cost per acquisition = spend / conversions."""
    return ratio("cpa", spend, conversions, numerator_name="spend", denominator_name="conversions")


def roas(revenue: float | None, spend: float | None) -> KpiValue:
    """Return on ad spend = revenue / spend."""
    return ratio("roas", revenue, spend, numerator_name="revenue", denominator_name="spend")


def follower_growth_rate(start: int | None, end: int | None) -> KpiValue:
    """(followers at end - followers at start) / followers at start (start-of-period base)."""
    formula = "(followers_end - followers_start) / followers_start"
    for label, v in (("followers_start", start), ("followers_end", end)):
        if v is not None and v < 0:
            raise ValidationError(label, v, "must be non-negative")
    if start is None or end is None:
        which = "followers_start" if start is None else "followers_end"
        return KpiValue(
            name="follower_growth_rate", reason=f"{which} not reported", formula=formula
        )
    if start == 0:
        return KpiValue(
            name="follower_growth_rate",
            reason="followers_start is 0",
            numerator=float(end - start),
            denominator=0.0,
            count=2,
            formula=formula,
        )
    return KpiValue(
        name="follower_growth_rate",
        value=(end - start) / start,
        numerator=float(end - start),
        denominator=float(start),
        count=2,
        formula=formula,
    )


def posting_frequency(posts: int, days: float) -> KpiValue:
    """Posts per week = posts / days x 7."""
    if posts < 0:
        raise ValidationError("posts", posts, "must be non-negative")
    return ratio(
        "posting_frequency",
        float(posts),
        days,
        scale=7.0,
        count=posts,
        numerator_name="posts",
        denominator_name="days",
    )


def share_of_voice(mentions: Mapping[str, float]) -> dict[str, KpiValue]:
    """Each name's mentions / all names' mentions (brand and competitors together)."""
    total = 0.0
    for name, m in mentions.items():
        if not math.isfinite(m) or m < 0:
            raise ValidationError(f"mentions[{name!r}]", m, "must be a finite, non-negative count")
        total += m
    return {
        name: ratio(
            "share_of_voice",
            float(m),
            total,
            count=len(mentions),
            numerator_name=f"mentions[{name}]",
            denominator_name="all mentions",
        )
        for name, m in mentions.items()
    }
