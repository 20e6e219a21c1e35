"""Creators as the influencer engine sees them: profile, recent posts, comments, audience, tier."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from pydantic import AwareDatetime, Field, field_validator

from smmkit.models import (
    AgeBand,
    Influencer,
    InfluencerTier,
    Platform,
    TierThresholds,
    ValueModel,
    classify_tier,
)

if TYPE_CHECKING:
    from smmkit.models._names import PlatformField

__all__ = [
    "TIER_ENGAGEMENT_BENCHMARKS",
    "AudienceBreakdown",
    "Creator",
    "CreatorComment",
    "CreatorPost",
    "tier_of",
]

TIER_ENGAGEMENT_BENCHMARKS: Mapping[InfluencerTier, float] = {
    InfluencerTier.NANO: 0.045,
    InfluencerTier.MICRO: 0.03,
    InfluencerTier.MID: 0.022,
    InfluencerTier.MACRO: 0.016,
    InfluencerTier.MEGA: 0.012,
}
"""Typical engagement rate by followers ((likes + comments) per post / followers) per tier.

Engagement falls as audiences grow; these defaults sit in the middle of the ranges that public
industry reports on Instagram give for 2023-2025. Pass your own mapping where you have better
figures for a network or a niche."""


def _shares(value: Mapping[str, float], what: str) -> dict[str, float]:
    total = 0.0
    for key, share in value.items():
        if not isinstance(share, int | float) or math.isnan(share) or not 0.0 <= share <= 1.0:
            raise ValueError(f"the share of {what} {key!r} must be in [0, 1], got {share!r}")
        total += share
    if total > 1.0 + 1e-3:  # reports round their shares
        raise ValueError(f"the {what} shares sum to {total:.4g}; they must not exceed 1")
    return dict(value)


class AudienceBreakdown(ValueModel):
    """Who follows a creator, as the platform's insights report it (shares 0-1 of followers).

    Any part may be empty: an empty mapping means "not known", never "nobody".
    ``countries`` use ISO 3166-1 alpha-2 codes, ``languages`` two-letter codes.
    """

    countries: dict[str, float] = Field(default_factory=dict)
    cities: dict[str, float] = Field(default_factory=dict)
    age_bands: dict[AgeBand, float] = Field(default_factory=dict)
    languages: dict[str, float] = Field(default_factory=dict)

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: dict[str, float]) -> dict[str, float]:
        return _shares({k.strip().upper(): v for k, v in value.items()}, "country")

    @field_validator("cities")
    @classmethod
    def _cities(cls, value: dict[str, float]) -> dict[str, float]:
        return _shares({k.strip(): v for k, v in value.items()}, "city")

    @field_validator("age_bands")
    @classmethod
    def _ages(cls, value: dict[AgeBand, float]) -> dict[AgeBand, float]:
        _shares({k.value: v for k, v in value.items()}, "age band")
        return value

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: dict[str, float]) -> dict[str, float]:
        return _shares({k.strip().lower().split("-")[0]: v for k, v in value.items()}, "language")

    @property
    def known(self) -> bool:
        return bool(self.countries or self.cities or self.age_bands or self.languages)


class CreatorComment(ValueModel):
    """A comment on one of the creator's posts (``author`` when the platform shows it)."""

    text: str
    author: str | None = None


class CreatorPost(ValueModel):
    """One of a creator's recent posts and its public counts."""

    post_id: str | None = None
    published_at: AwareDatetime | None = None
    likes: int = Field(ge=0)
    comments: int = Field(default=0, ge=0)
    views: int | None = Field(default=None, ge=0)
    format: str | None = None
    text: str = ""
    sponsored: bool = Field(default=False, description="The platform's paid-partnership label.")

    @property
    def engagements(self) -> int:
        return self.likes + self.comments


class Creator(ValueModel):
    """A creator's public profile and recent activity, the input of fit and authenticity scoring.

    ``follower_history`` holds daily follower counts, oldest first, the last one read on the
    day of ``measured_at``. ``comments`` is a sample of recent comments across posts. Anything
    unknown is left empty, and the scores say what they could not check.
    """

    handle: str = Field(min_length=1, max_length=100)
    if TYPE_CHECKING:
        platform: PlatformField
    else:
        platform: Platform
    name: str | None = Field(default=None, max_length=200)
    followers: int = Field(ge=0)
    following: int | None = Field(default=None, ge=0)
    follower_history: tuple[int, ...] = ()
    measured_at: AwareDatetime | None = Field(
        default=None, description="When the profile was read: the day of the last history entry."
    )
    posts: tuple[CreatorPost, ...] = ()
    comments: tuple[CreatorComment, ...] = ()
    audience: AudienceBreakdown = Field(default_factory=AudienceBreakdown)
    topics: tuple[str, ...] = ()
    bio: str = Field(default="", max_length=5000)
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    city: str | None = Field(default=None, max_length=100)
    language: str | None = Field(default=None, max_length=35)
    avg_monthly_views: int | None = Field(
        default=None, ge=0, description="Average views a month across the creator's content."
    )
    reported_engagement_rate: float | None = Field(
        default=None,
        ge=0,
        le=1,
        allow_inf_nan=False,
        description="An engagement rate from elsewhere (a CSV, an agency), used without posts.",
    )

    @field_validator("handle")
    @classmethod
    def _handle(cls, value: str) -> str:
        value = value[1:] if value.startswith("@") else value
        if not value or any(c.isspace() or not c.isprintable() for c in value):
            raise ValueError(f"{value!r} is not a handle: no spaces or control characters")
        return value

    @field_validator("follower_history")
    @classmethod
    def _history(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(v < 0 for v in value):
            raise ValueError("follower counts in the history cannot be negative")
        return value

    @property
    def key(self) -> str:
        """``platform:handle``, unique within a roster."""
        return f"{self.platform.value}:{self.handle.lower()}"

    def tier(self, thresholds: TierThresholds | None = None) -> InfluencerTier:
        return classify_tier(self.followers, thresholds)

    @property
    def engagement_rate(self) -> float | None:
        """Mean over recent posts of (likes + comments) / followers; without posts, the
        reported rate (or None)."""
        if not self.posts or self.followers == 0:
            return self.reported_engagement_rate
        return sum(p.engagements for p in self.posts) / len(self.posts) / self.followers

    def to_influencer(self, **fields: object) -> Influencer:
        """The :class:`~smmkit.models.Influencer` record of this creator (extra ``fields`` such
        as ``stage`` or ``rates`` pass through)."""
        er = self.engagement_rate
        values: dict[str, object] = {
            "handle": self.handle,
            "platform": self.platform,
            "name": self.name,
            "followers": self.followers,
            "engagement_rate": None if er is None else min(er, 1.0),
        }
        values.update(fields)
        return Influencer.model_validate(values)


def tier_of(followers: int, thresholds: TierThresholds | None = None) -> InfluencerTier:
    """The tier for a follower count (thresholds configurable: ``TierThresholds(micro=5000)``)."""
    return classify_tier(followers, thresholds)
