"""Channel recommendation: where to be and how often, with the reasons and the expected effect.

From where the audience is (each segment's share on each network, weighted by size), what the
brand wants (its objectives and their weights against each network's strengths), the cadence
it can sustain (posts a week in total) and, when an audit is given, where the competitors are
and how the brand performs there. The result feeds the planner: :meth:`ChannelPlan.apply`
returns the brand's channels with their new cadence.

Greedy allocation, O(platforms log platforms).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from pydantic import Field

from smmkit.errors import ValidationError
from smmkit.models import (
    Audience,
    Brand,
    Cadence,
    Channel,
    Objective,
    Platform,
    ValueModel,
)

from ._presence import PresenceAudit

__all__ = [
    "CADENCE_LIMITS",
    "OBJECTIVE_FIT",
    "ChannelPlan",
    "ChannelRecommendation",
    "recommend_channels",
]

_O = Objective
OBJECTIVE_FIT: Mapping[str, Mapping[Objective, float]] = {
    "instagram": {
        _O.AWARENESS: 0.9, _O.ENGAGEMENT: 1.0, _O.COMMUNITY: 0.8, _O.TRAFFIC: 0.5,
        _O.LEADS: 0.5, _O.SALES: 0.8,
    },
    "facebook": {
        _O.AWARENESS: 0.7, _O.ENGAGEMENT: 0.7, _O.COMMUNITY: 1.0, _O.TRAFFIC: 0.8,
        _O.LEADS: 0.7, _O.SALES: 0.8,
    },
    "threads": {
        _O.AWARENESS: 0.6, _O.ENGAGEMENT: 0.8, _O.COMMUNITY: 0.7, _O.TRAFFIC: 0.3,
        _O.LEADS: 0.3, _O.SALES: 0.3,
    },
    "tiktok": {
        _O.AWARENESS: 1.0, _O.ENGAGEMENT: 0.9, _O.COMMUNITY: 0.6, _O.TRAFFIC: 0.4,
        _O.LEADS: 0.3, _O.SALES: 0.6,
    },
    "linkedin": {
        _O.AWARENESS: 0.6, _O.ENGAGEMENT: 0.6, _O.COMMUNITY: 0.6, _O.TRAFFIC: 0.7,
        _O.LEADS: 1.0, _O.SALES: 0.5,
    },
    "x": {
        _O.AWARENESS: 0.6, _O.ENGAGEMENT: 0.6, _O.COMMUNITY: 0.6, _O.TRAFFIC: 0.6,
        _O.LEADS: 0.4, _O.SALES: 0.3,
    },
    "youtube": {
        _O.AWARENESS: 0.9, _O.ENGAGEMENT: 0.7, _O.COMMUNITY: 0.6, _O.TRAFFIC: 0.6,
        _O.LEADS: 0.5, _O.SALES: 0.6,
    },
    "pinterest": {
        _O.AWARENESS: 0.6, _O.ENGAGEMENT: 0.4, _O.COMMUNITY: 0.2, _O.TRAFFIC: 0.9,
        _O.LEADS: 0.5, _O.SALES: 0.7,
    },
    "mastodon": {
        _O.AWARENESS: 0.4, _O.ENGAGEMENT: 0.6, _O.COMMUNITY: 0.8, _O.TRAFFIC: 0.4,
        _O.LEADS: 0.2, _O.SALES: 0.1,
    },
    "bluesky": {
        _O.AWARENESS: 0.5, _O.ENGAGEMENT: 0.7, _O.COMMUNITY: 0.7, _O.TRAFFIC: 0.5,
        _O.LEADS: 0.3, _O.SALES: 0.2,
    },
    "mailchimp": {
        _O.AWARENESS: 0.3, _O.ENGAGEMENT: 0.6, _O.COMMUNITY: 0.8, _O.TRAFFIC: 1.0,
        _O.LEADS: 0.9, _O.SALES: 1.0,
    },
    "wordpress": {
        _O.AWARENESS: 0.5, _O.ENGAGEMENT: 0.3, _O.COMMUNITY: 0.3, _O.TRAFFIC: 0.9,
        _O.LEADS: 0.8, _O.SALES: 0.6,
    },
}  # fmt: skip
"""How well each network serves each objective (0-1). smmkit's defaults, a judgement from the
networks' own guides to their formats, not a measurement: pass your own to
:func:`recommend_channels`."""

CADENCE_LIMITS: Mapping[str, tuple[int, int]] = {
    "instagram": (3, 7),
    "facebook": (2, 7),
    "threads": (3, 14),
    "tiktok": (3, 14),
    "linkedin": (2, 5),
    "x": (5, 21),
    "youtube": (1, 3),
    "pinterest": (3, 15),
    "mastodon": (3, 14),
    "bluesky": (3, 14),
    "mailchimp": (1, 2),
    "wordpress": (1, 3),
}
"""Posts a week per network: (the least that keeps an account visible, the most that still
pays off). Defaults; pass your own."""


class ChannelRecommendation(ValueModel):
    """Where to be and how often, and why."""

    platform: Platform
    action: str = Field(description="open, keep, grow, reduce, pause or skip")
    posts_per_week: int = Field(ge=0)
    current_posts_per_week: int | None = None
    score: float
    audience_share: float
    objective_fit: float
    reasons: tuple[str, ...]
    expected_effect: str


class ChannelPlan(ValueModel):
    """The recommendation for every candidate network, best first, and the capacity used."""

    capacity: int
    used: int
    recommendations: tuple[ChannelRecommendation, ...]

    @property
    def chosen(self) -> list[ChannelRecommendation]:
        return [r for r in self.recommendations if r.posts_per_week > 0]

    def cadences(self) -> dict[Platform, int]:
        """Posts a week per chosen network."""
        return {r.platform: r.posts_per_week for r in self.chosen}

    @property
    def to_open(self) -> list[Platform]:
        """Networks recommended where the brand has no channel yet."""
        return [r.platform for r in self.recommendations if r.action == "open"]

    def apply(self, channels: Sequence[Channel]) -> list[Channel]:
        """The brand's channels with the recommended cadence (``posts_per_week`` 0 for a paused
        channel), ready for :func:`smmkit.planner.plan`. Several channels on one network share
        its posts (earlier channels get the remainder). The daily cap and spacing are widened
        only as far as the new cadence needs."""
        by_platform: dict[Platform, list[Channel]] = {}
        for channel in channels:
            by_platform.setdefault(channel.platform, []).append(channel)
        wanted = {r.platform: r.posts_per_week for r in self.recommendations}
        out = []
        for channel in channels:
            group = by_platform[channel.platform]
            total = wanted.get(channel.platform, channel.cadence.posts_per_week)
            share, extra = divmod(total, len(group))
            posts = share + (1 if group.index(channel) < extra else 0)
            out.append(channel.model_copy(update={"cadence": _cadence(channel.cadence, posts)}))
        return out


@dataclass
class _Row:
    platform: Platform
    share: float
    fit: float
    score: float
    reasons: list[str]
    measured: tuple[float, int] | None


def _cadence(current: Cadence, posts: int) -> Cadence:
    cap = max(current.daily_cap, math.ceil(posts / 7)) if posts else current.daily_cap
    spacing = current.min_spacing
    if cap > 1 and spacing * (cap - 1) >= timedelta(days=1):
        spacing = timedelta(hours=23) / (cap - 1)
    return Cadence(posts_per_week=posts, min_spacing=spacing, daily_cap=cap)


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def recommend_channels(
    brand: Brand,
    audience: Audience,
    *,
    capacity: int,
    channels: Sequence[Channel] = (),
    audit: PresenceAudit | None = None,
    objective_fit: Mapping[str, Mapping[Objective, float]] | None = None,
    cadence_limits: Mapping[str, tuple[int, int]] | None = None,
    min_audience_share: float = 0.1,
) -> ChannelPlan:
    """Recommend networks and posts a week for ``brand`` within ``capacity`` posts a week.

    Score of a network = share of the audience there (segments weighted by size) x how well it
    serves the brand's objectives (weighted by the objectives' weights; all objectives equal
    when the brand names none), + 10% for each competitor active there (at most 20%). Networks
    are taken best first at their minimum useful cadence while the capacity lasts; what is left
    goes to the chosen networks in proportion to their score, up to their maximum. Networks with
    less than ``min_audience_share`` of the audience are skipped.
    """
    if capacity < 0 or capacity > 700:
        raise ValidationError("capacity", capacity, "must be between 0 and 700 posts a week")
    fit_table = objective_fit or OBJECTIVE_FIT
    limits = cadence_limits or CADENCE_LIMITS
    reach = audience.platform_reach()
    current: dict[Platform, int] = {}
    for channel in channels:
        current[channel.platform] = current.get(channel.platform, 0) + (
            channel.cadence.posts_per_week
        )
    objectives = {o.objective: o.weight for o in brand.objectives} or dict.fromkeys(Objective, 1.0)
    total_weight = sum(objectives.values())
    people = audience.size
    candidates = sorted(set(reach) | set(current), key=lambda p: p.value)

    rows: list[_Row] = []
    for platform in candidates:
        share = reach.get(platform, 0.0)
        table = fit_table.get(platform.value, {})
        fit = sum(w * table.get(o, 0.5) for o, w in objectives.items()) / total_weight
        reasons = [
            f"{_pct(share)} of the audience is on {platform.value}"
            if share
            else f"no audience segment is reported on {platform.value}"
        ]
        best = sorted(objectives, key=lambda o: -objectives[o] * table.get(o, 0.5))[:2]
        reasons.append(
            f"serves the objectives at {fit:.2f} of 1 (strongest for "
            f"{', '.join(o.value for o in best)})"
        )
        bonus = 0.0
        measured: tuple[float, int] | None = None
        if audit is not None:
            here = audit.for_platform(platform)
            rivals = [c for c in here if not c.is_brand and c.readable]
            unreadable = [c.owner for c in here if not c.is_brand and not c.readable]
            active = [c for c in rivals if (c.cadence.value or 0) > 0 or c.followers]
            if active:
                bonus = min(0.1 * len(active), 0.2)
                reasons.append(f"competitors active here: {', '.join(c.owner for c in active)}")
            if unreadable:
                reasons.append(f"no readable data for {', '.join(unreadable)}")
            mine = [c for c in here if c.is_brand and c.readable]
            er = mine[0].engagement_rate.value if mine else None
            if er is not None:
                theirs = [c.engagement_rate.value for c in rivals if c.engagement_rate.value]
                if theirs:
                    median = sorted(theirs)[len(theirs) // 2]
                    word = "above" if er >= median else "below"
                    reasons.append(
                        f"your engagement rate {er:.2%} is {word} the competitors' {median:.2%}"
                    )
                if mine[0].followers:
                    measured = (er, mine[0].followers)
        rows.append(_Row(platform, share, fit, share * fit * (1 + bonus), reasons, measured))
    rows.sort(key=lambda r: (-r.score, r.platform.value))

    left = capacity
    posts: dict[Platform, int] = {}
    skipped: dict[Platform, str] = {}
    for r in rows:
        low, _ = limits.get(r.platform.value, (2, 7))
        if r.share < min_audience_share:
            skipped[r.platform] = f"under {_pct(min_audience_share)} of the audience is here"
        elif left < low:
            skipped[r.platform] = (
                f"the remaining capacity ({left} a week) is under the {low} posts a week this "
                "network needs to stay visible"
            )
        else:
            posts[r.platform] = low
            left -= low
    # Spread what is left in proportion to score, up to each network's maximum.
    while left > 0:
        growable = [
            r
            for r in rows
            if r.platform in posts and posts[r.platform] < limits.get(r.platform.value, (2, 7))[1]
        ]
        if not growable:
            break
        pick = max(growable, key=lambda r: r.score / (posts[r.platform] + 1))
        posts[pick.platform] += 1
        left -= 1

    recommendations = []
    for r in rows:
        n = posts.get(r.platform, 0)
        now = current.get(r.platform)
        reasons = list(r.reasons)
        if r.platform in skipped:
            reasons.append(skipped[r.platform])
        if now is None:
            action = "open" if n else "skip"
        elif n == 0:
            action = "pause"
        else:
            action = "grow" if n > now else "reduce" if n < now else "keep"
        if n:
            effect = f"{n} post{'s' if n > 1 else ''} a week"
            if people:
                effect += (
                    f" in front of about {round(people * r.share):,} of your {people:,} people"
                )
            if r.measured is not None:
                er, followers = r.measured
                effect += (
                    f"; at your measured {er:.2%} engagement per post and {followers:,} "
                    f"followers, about {round(er * followers * n):,} engagements a week"
                )
            else:
                effect += "; no measured engagement yet: measure for four weeks, then re-plan"
        else:
            effect = "no posts: the capacity goes where more of the audience is"
        recommendations.append(
            ChannelRecommendation(
                platform=r.platform,
                action=action,
                posts_per_week=n,
                current_posts_per_week=now,
                score=round(r.score, 6),
                audience_share=round(r.share, 6),
                objective_fit=round(r.fit, 6),
                reasons=tuple(reasons),
                expected_effect=effect,
            )
        )
    return ChannelPlan(
        capacity=capacity, used=capacity - left, recommendations=tuple(recommendations)
    )
