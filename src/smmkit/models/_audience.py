"""The target audience: segments, where they are, when they are active."""

from __future__ import annotations

import math
from enum import StrEnum

from pydantic import Field, field_validator

from ._base import LocaleTag, Platform, SmmkitModel, TimezoneName, ValueModel, Weekday

__all__ = ["AgeBand", "Audience", "AudienceSegment", "Gender"]


class AgeBand(StrEnum):
    """The age bands the networks report."""

    A13_17 = "13-17"
    A18_24 = "18-24"
    A25_34 = "25-34"
    A35_44 = "35-44"
    A45_54 = "45-54"
    A55_64 = "55-64"
    A65_PLUS = "65+"


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    NON_BINARY = "non_binary"
    UNKNOWN = "unknown"


class AudienceSegment(ValueModel):
    """A group of people the brand speaks to.

    ``active_hours`` maps a weekday to the local hours (0–23, in the audience's time zone) when the
    segment is active. ``platforms`` maps a network to the share (0–1) of the segment found there.
    """

    name: str = Field(min_length=1)
    age_bands: tuple[AgeBand, ...] = ()
    genders: tuple[Gender, ...] = ()
    locations: tuple[str, ...] = ()
    languages: tuple[LocaleTag, ...] = ()
    interests: tuple[str, ...] = ()
    size: int = Field(default=0, ge=0, description="Estimated number of people.")
    platforms: dict[Platform, float] = Field(default_factory=dict)
    active_hours: dict[Weekday, tuple[int, ...]] = Field(default_factory=dict)

    @field_validator("active_hours")
    @classmethod
    def _hours(cls, value: dict[Weekday, tuple[int, ...]]) -> dict[Weekday, tuple[int, ...]]:
        for day, hours in value.items():
            bad = [h for h in hours if not 0 <= h <= 23]
            if bad:
                raise ValueError(f"active hours on {day.value} must be 0-23, got {bad}")
        return {day: tuple(sorted(set(hours))) for day, hours in value.items()}

    @field_validator("platforms")
    @classmethod
    def _platforms(cls, value: dict[Platform, float]) -> dict[Platform, float]:
        for platform, share in value.items():
            if not (0.0 <= share <= 1.0) or math.isnan(share):
                raise ValueError(
                    f"the share of the segment on {platform.value} must be in [0, 1], got {share}"
                )
        return value


class Audience(SmmkitModel):
    """A brand's audience: its segments, in a home time zone."""

    name: str = Field(default="audience", min_length=1)
    timezone: TimezoneName
    segments: tuple[AudienceSegment, ...] = Field(min_length=1)

    @field_validator("segments")
    @classmethod
    def _unique(cls, value: tuple[AudienceSegment, ...]) -> tuple[AudienceSegment, ...]:
        names = [s.name for s in value]
        if len(names) != len(set(names)):
            raise ValueError("segment names must be unique")
        return value

    @property
    def size(self) -> int:
        return sum(s.size for s in self.segments)

    def activity(self) -> dict[Weekday, dict[int, float]]:
        """Share of the audience (by segment size) active at each local weekday and hour.

        Segments without a size count as one person each, so that sizes are optional.
        """
        weights = [s.size or 1 for s in self.segments]
        total = float(sum(weights))
        grid: dict[Weekday, dict[int, float]] = {d: dict.fromkeys(range(24), 0.0) for d in Weekday}
        for segment, weight in zip(self.segments, weights, strict=True):
            for day, hours in segment.active_hours.items():
                for hour in hours:
                    grid[day][hour] += weight / total
        return grid

    def platform_reach(self) -> dict[Platform, float]:
        """Estimated share of the whole audience present on each platform."""
        weights = [s.size or 1 for s in self.segments]
        total = float(sum(weights))
        reach: dict[Platform, float] = {}
        for segment, weight in zip(self.segments, weights, strict=True):
            for platform, share in segment.platforms.items():
                reach[platform] = reach.get(platform, 0.0) + share * weight / total
        return dict(sorted(reach.items(), key=lambda kv: -kv[1]))
