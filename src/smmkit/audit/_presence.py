"""The presence audit: the brand and its competitors, channel by channel, side by side.

Per owner (the brand or a competitor) and platform: followers and growth, posting cadence,
engagement rate by followers, format and pillar mix, best posts, share of voice (where mentions
are readable) and response time (where the community inbox is known). Every figure says how it
was computed; a figure that cannot be computed says why (``value=None`` and ``reason``), and an
owner with no readable data on a platform is reported as such. Nothing is guessed.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import AwareDatetime, Field, model_validator

from smmkit.analytics import KpiValue, follower_growth_rate, posting_frequency, ratio
from smmkit.errors import ValidationError
from smmkit.models import Platform, PostMetrics, ValueModel

if TYPE_CHECKING:
    from smmkit.models._names import PlatformField

__all__ = [
    "SOURCES",
    "BestPost",
    "ChannelAudit",
    "ChannelData",
    "PresenceAudit",
    "audit_presence",
]

SOURCES: tuple[str, ...] = ("client", "public", "csv", "manual", "none")
"""Where a channel's data came from: the brand's own client, a public look-up, an imported CSV,
typed in by hand, or nowhere (nothing readable)."""


class ChannelData(ValueModel):
    """What is known of one account (the brand's or a competitor's) over the audit period.

    ``posts`` are the posts published in the period with their metrics; ``posts_readable=False``
    means the posts could not be read (a private profile, no access), which is different from an
    account that did not post. ``mentions`` counts the posts mentioning the owner in the period
    (share of voice); ``response_times_s`` are the delays, in seconds, between a comment and the
    owner's reply. ``note`` says why something is missing.
    """

    owner: str = Field(min_length=1, max_length=200)
    if TYPE_CHECKING:
        platform: PlatformField
    else:
        platform: Platform
    handle: str | None = None
    source: str = Field(default="manual")
    followers_start: int | None = Field(default=None, ge=0)
    followers_end: int | None = Field(default=None, ge=0)
    posts: tuple[PostMetrics, ...] = ()
    posts_readable: bool = True
    mentions: int | None = Field(default=None, ge=0)
    response_times_s: tuple[float, ...] | None = None
    note: str = ""

    @model_validator(mode="after")
    def _check(self) -> ChannelData:
        if self.source not in SOURCES:
            raise ValueError(f"source must be one of {', '.join(SOURCES)}, got {self.source!r}")
        if self.response_times_s is not None and any(
            not 0 <= t < 10 * 365 * 86400 for t in self.response_times_s
        ):
            raise ValueError("response times must be between 0 and 10 years (in seconds)")
        return self

    @property
    def readable(self) -> bool:
        """Whether anything at all is known."""
        return (
            self.followers_end is not None
            or self.followers_start is not None
            or (self.posts_readable and bool(self.posts))
            or self.mentions is not None
        )


class BestPost(ValueModel):
    post_id: str
    published_at: AwareDatetime | None
    format: str | None
    pillar: str | None
    engagements: int
    engagement_rate: float | None


class ChannelAudit(ValueModel):
    """One owner's presence on one platform: each figure a :class:`KpiValue` (value or reason)."""

    owner: str
    platform: Platform
    handle: str | None
    source: str
    readable: bool
    is_brand: bool
    followers: int | None
    growth: KpiValue
    cadence: KpiValue
    engagement_rate: KpiValue
    format_mix: dict[str, float] | None
    pillar_mix: dict[str, float] | None
    best_posts: tuple[BestPost, ...]
    share_of_voice: KpiValue
    response_time_hours: KpiValue
    missing: tuple[str, ...]
    note: str = ""


class PresenceAudit(ValueModel):
    """The audit over ``[start, end)``: one :class:`ChannelAudit` per owner and platform, the
    brand first, then competitors by name."""

    brand: str
    start: AwareDatetime
    end: AwareDatetime
    channels: tuple[ChannelAudit, ...]

    def for_platform(self, platform: Platform | str) -> list[ChannelAudit]:
        key = Platform(platform)
        return [c for c in self.channels if c.platform == key]

    def channel(self, owner: str, platform: Platform | str) -> ChannelAudit:
        key = Platform(platform)
        for c in self.channels:
            if c.owner == owner and c.platform == key:
                return c
        known = ", ".join(f"{c.owner}/{c.platform.value}" for c in self.channels)
        raise KeyError(f"no audited channel {owner}/{key.value}; audited: {known}")

    @property
    def unreadable(self) -> list[ChannelAudit]:
        return [c for c in self.channels if not c.readable]

    def to_markdown(self) -> str:
        """The audit as a Markdown table per platform ("n/a" where a figure is missing)."""
        from smmkit._sinks import single_line

        def cell(v: KpiValue, fmt: str) -> str:
            return "n/a" if v.value is None else format(v.value, fmt)

        def text(value: str) -> str:
            return single_line(value).replace("|", "\\|")

        lines = [f"# Presence audit: {text(self.brand)}", ""]
        lines.append(f"{self.start.date().isoformat()} to {self.end.date().isoformat()}")
        for platform in sorted({c.platform for c in self.channels}, key=str):
            lines += [
                "",
                f"## {platform.value}",
                "",
                "| account | followers | growth | posts/week | ER by followers | SoV | note |",
                "|---|---:|---:|---:|---:|---:|---|",
            ]
            for c in self.for_platform(platform):
                if not c.readable:
                    lines.append(
                        f"| {text(c.owner)} | n/a | n/a | n/a | n/a | n/a | "
                        f"no readable data: {text(c.note or c.source)} |"
                    )
                    continue
                followers = "n/a" if c.followers is None else f"{c.followers:,}"
                lines.append(
                    f"| {text(c.owner)} | {followers} | {cell(c.growth, '.1%')} | "
                    f"{cell(c.cadence, '.1f')} | {cell(c.engagement_rate, '.2%')} | "
                    f"{cell(c.share_of_voice, '.0%')} | {text('; '.join(c.missing))} |"
                )
            details = []
            for c in self.for_platform(platform):
                parts = []
                for label, mix in (("formats", c.format_mix), ("pillars", c.pillar_mix)):
                    if mix:
                        shares = ", ".join(f"{text(k)} {v:.0%}" for k, v in mix.items())
                        parts.append(f"{label}: {shares}")
                if c.best_posts:
                    best = c.best_posts[0]
                    parts.append(
                        f"best post: {text(best.post_id)} ({best.engagements:,} engagements)"
                    )
                if c.response_time_hours.value is not None:
                    parts.append(f"median reply in {c.response_time_hours.value:.1f} h")
                if parts:
                    details.append(f"- {text(c.owner)}: {'; '.join(parts)}")
            if details:
                lines += ["", *details]
        return "\n".join(lines) + "\n"


def _none(name: str, reason: str, formula: str = "") -> KpiValue:
    return KpiValue(name=name, reason=reason, formula=formula)


def _mix(values: Sequence[str | None]) -> dict[str, float] | None:
    known = [v for v in values if v]
    if not known:
        return None
    counts = Counter(known)
    return {k: counts[k] / len(known) for k in sorted(counts)}


def _audit_one(
    data: ChannelData,
    *,
    is_brand: bool,
    start: datetime,
    end: datetime,
    mention_total: int | None,
    top: int,
) -> ChannelAudit:
    missing: list[str] = []
    days = (end - start).total_seconds() / 86400.0
    if not data.readable:
        reason = f"no readable data ({data.note or 'source: ' + data.source})"
        return ChannelAudit(
            owner=data.owner,
            platform=data.platform,
            handle=data.handle,
            source=data.source,
            readable=False,
            is_brand=is_brand,
            followers=None,
            growth=_none("follower_growth_rate", reason),
            cadence=_none("posting_frequency", reason),
            engagement_rate=_none("engagement_rate_by_followers", reason),
            format_mix=None,
            pillar_mix=None,
            best_posts=(),
            share_of_voice=_none("share_of_voice", reason),
            response_time_hours=_none("median_response_time_hours", reason),
            missing=("everything",),
            note=data.note,
        )
    growth = follower_growth_rate(data.followers_start, data.followers_end)
    if growth.value is None:
        missing.append(f"growth ({growth.reason})")
    posts = [p for p in data.posts if p.published_at is None or start <= p.published_at < end]
    er_formula = (
        "mean over posts of engagements / followers at posting (followers at the end of the "
        "period where the post does not say)"
    )
    if not data.posts_readable:
        why = f"posts not readable ({data.note})" if data.note else "posts not readable"
        cadence = _none("posting_frequency", why, "posts / days x 7")
        er = _none("engagement_rate_by_followers", why, er_formula)
        missing.append(why)
        format_mix = pillar_mix = None
        best: tuple[BestPost, ...] = ()
    else:
        cadence = posting_frequency(len(posts), days)
        rates: list[float] = []
        rated: list[tuple[PostMetrics, int, float | None]] = []
        for p in posts:
            e = p.engagements
            base = p.followers if p.followers else data.followers_end
            rate = None if e is None or not base else e / base
            if rate is not None:
                rates.append(rate)
            if e is not None:
                rated.append((p, e, rate))
        if rates:
            er = KpiValue(
                name="engagement_rate_by_followers",
                value=sum(rates) / len(rates),
                count=len(rates),
                formula=er_formula,
            )
        else:
            why = "no posts in the period" if not posts else "no engagement or follower counts"
            er = _none("engagement_rate_by_followers", why, er_formula)
            missing.append(f"engagement rate ({why})")
        format_mix = _mix([p.format for p in posts])
        pillar_mix = _mix([p.pillar for p in posts])
        if posts and pillar_mix is None:
            missing.append("pillar mix (posts carry no pillar)")
        if posts and format_mix is None:
            missing.append("format mix (posts carry no format)")
        rated.sort(
            key=lambda x: (
                -x[1],
                x[0].published_at.timestamp() if x[0].published_at else 0.0,
                x[0].post_id,
            )
        )
        best = tuple(
            BestPost(
                post_id=p.post_id,
                published_at=p.published_at,
                format=p.format,
                pillar=p.pillar,
                engagements=e,
                engagement_rate=rate,
            )
            for p, e, rate in rated[:top]
        )
    if data.mentions is None:
        sov = _none("share_of_voice", "mentions not readable")
        missing.append("share of voice (mentions not readable)")
    else:
        sov = ratio(
            "share_of_voice",
            float(data.mentions),
            None if mention_total is None else float(mention_total),
            numerator_name="mentions",
            denominator_name="mentions of every account with readable mentions",
        )
    if data.response_times_s:
        median_h = statistics.median(data.response_times_s) / 3600.0
        response = KpiValue(
            name="median_response_time_hours",
            value=median_h,
            count=len(data.response_times_s),
            formula="median over replied comments of (reply time - comment time), in hours",
        )
    else:
        why = "no replies in the period" if data.response_times_s == () else "inbox not known"
        response = _none("median_response_time_hours", why)
        if is_brand or data.response_times_s is not None:
            missing.append(f"response time ({why})")
    if data.followers_end is None:
        missing.append("followers (not readable)")
    return ChannelAudit(
        owner=data.owner,
        platform=data.platform,
        handle=data.handle,
        source=data.source,
        readable=True,
        is_brand=is_brand,
        followers=data.followers_end,
        growth=growth,
        cadence=cadence,
        engagement_rate=er,
        format_mix=format_mix,
        pillar_mix=pillar_mix,
        best_posts=best,
        share_of_voice=sov,
        response_time_hours=response,
        missing=tuple(missing),
        note=data.note,
    )


def audit_presence(
    data: Sequence[ChannelData],
    *,
    brand: str,
    start: datetime,
    end: datetime,
    best_posts: int = 3,
) -> PresenceAudit:
    """Audit the brand's and the competitors' channels over ``[start, end)``.

    ``data`` holds one :class:`ChannelData` per owner and platform (the brand's owner name is
    ``brand``). Share of voice on a platform is each owner's mentions over the mentions of the
    owners whose mentions are readable there. Linear in the posts.
    """
    for name, moment in (("start", start), ("end", end)):
        if moment.tzinfo is None:
            raise ValidationError(name, moment.isoformat(), "must be timezone-aware")
    if end <= start:
        raise ValidationError("end", end.isoformat(), f"must be after start {start.isoformat()}")
    seen: set[tuple[str, Platform]] = set()
    for d in data:
        key = (d.owner, d.platform)
        if key in seen:
            raise ValidationError(
                "data",
                f"{d.owner}/{d.platform.value}",
                "appears twice; give one ChannelData per owner and platform",
            )
        seen.add(key)
    if not any(d.owner == brand for d in data):
        raise ValidationError(
            "brand", brand, f"has no channel data; owners are {sorted({d.owner for d in data})}"
        )
    totals: dict[Platform, int] = {}
    for d in data:
        if d.mentions is not None:
            totals[d.platform] = totals.get(d.platform, 0) + d.mentions
    ordered = sorted(data, key=lambda d: (d.owner != brand, d.owner.casefold(), d.platform.value))
    channels = tuple(
        _audit_one(
            d,
            is_brand=d.owner == brand,
            start=start,
            end=end,
            mention_total=totals.get(d.platform),
            top=best_posts,
        )
        for d in ordered
    )
    return PresenceAudit(brand=brand, start=start, end=end, channels=channels)
