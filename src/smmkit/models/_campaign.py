"""Campaigns and influencers."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Self

from pydantic import AwareDatetime, Field, field_validator, model_validator

from smmkit.errors import ValidationError

from ._base import Platform, SmmkitModel, ValueModel
from ._brand import KpiTarget, Objective
from ._enums import ContentFormat
from ._money import Money

if TYPE_CHECKING:
    from ._names import FormatField, PlatformField

__all__ = [
    "Campaign",
    "Deliverable",
    "Influencer",
    "InfluencerRate",
    "InfluencerTier",
    "PipelineStage",
    "TierThresholds",
    "UtmDefaults",
    "classify_tier",
]


class UtmDefaults(ValueModel):
    """UTM values a campaign applies to its links (source and medium default per platform)."""

    campaign: str | None = Field(default=None, min_length=1)
    source: str | None = None
    medium: str | None = None
    content: str | None = None
    term: str | None = None


class Campaign(SmmkitModel):
    """A campaign: an objective over a flight, on some channels, possibly paid."""

    id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str = Field(min_length=1)
    objective: Objective
    start: AwareDatetime
    end: AwareDatetime
    budget: Money | None = None
    channels: tuple[str, ...] = ()
    kpis: tuple[KpiTarget, ...] = ()
    utm: UtmDefaults = Field(default_factory=UtmDefaults)
    paid: bool = False
    weight: float = Field(
        default=1.0,
        ge=0,
        le=100,
        allow_inf_nan=False,
        description="Extra planning weight during the flight.",
    )
    pillars: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _flight(self) -> Self:
        for name in ("start", "end"):
            try:
                getattr(self, name).astimezone(UTC)
            except OverflowError:
                raise ValueError(
                    f"{name} {getattr(self, name).isoformat()} lies outside the years 1-9999 in UTC"
                ) from None
        # by the instant: two times in one zone compare by wall clock in Python, ignoring fold
        if self.end.astimezone(UTC) <= self.start.astimezone(UTC):
            raise ValueError(
                f"end {self.end.isoformat()} must be after start {self.start.isoformat()}"
            )
        if self.budget is not None and self.budget.amount < 0:
            raise ValueError("budget cannot be negative")
        if self.budget is not None and self.budget.rounded().amount != self.budget.amount:
            places = self.budget.minor_unit
            raise ValueError(
                f"budget {self.budget} is not a whole number of {self.budget.currency}'s minor "
                f"unit ({places} decimal places); give {self.budget.rounded()} or another amount "
                "with at most that many decimals"
            )
        if self.paid and self.budget is None:
            raise ValueError("a paid campaign needs a budget")
        return self

    def active_at(self, moment: datetime) -> bool:
        """Whether the instant ``moment`` falls inside the flight (start inclusive, end
        exclusive). Compared as instants (in UTC), so the second 01:30 of a night when clocks go
        back is after the first; a naive ``moment`` is a :class:`~smmkit.errors.ValidationError`.
        """
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValidationError(
                "moment",
                moment,
                "a datetime must be timezone-aware",
                hint="attach a zone, e.g. tzinfo=ZoneInfo('Europe/Rome')",
            )
        at = moment.astimezone(UTC)
        return self.start.astimezone(UTC) <= at < self.end.astimezone(UTC)


class InfluencerTier(StrEnum):
    NANO = "nano"
    MICRO = "micro"
    MID = "mid"
    MACRO = "macro"
    MEGA = "mega"


class TierThresholds(ValueModel):
    """Follower counts where each tier starts (defaults: 10k, 100k, 500k, 1M)."""

    micro: int = Field(default=10_000, gt=0)
    mid: int = Field(default=100_000, gt=0)
    macro: int = Field(default=500_000, gt=0)
    mega: int = Field(default=1_000_000, gt=0)

    @model_validator(mode="after")
    def _increasing(self) -> Self:
        if not self.micro < self.mid < self.macro < self.mega:
            raise ValueError("thresholds must increase: micro < mid < macro < mega")
        return self


def classify_tier(followers: int, thresholds: TierThresholds | None = None) -> InfluencerTier:
    """The tier of an account with ``followers`` followers."""
    t = thresholds or TierThresholds()
    if followers >= t.mega:
        return InfluencerTier.MEGA
    if followers >= t.macro:
        return InfluencerTier.MACRO
    if followers >= t.mid:
        return InfluencerTier.MID
    if followers >= t.micro:
        return InfluencerTier.MICRO
    return InfluencerTier.NANO


class PipelineStage(StrEnum):
    """Where a collaboration with a creator stands.

    The allowed moves between stages are :data:`smmkit.influencers.PIPELINE`. ``closed`` ends a
    collaboration, done or declined; the older values ``"completed"`` and ``"declined"`` (and
    spellings such as ``"content in review"``) are read as their current stage.
    """

    PROSPECT = "prospect"
    CONTACTED = "contacted"
    NEGOTIATING = "negotiating"
    CONTRACTED = "contracted"
    CONTENT_IN_REVIEW = "content_in_review"
    LIVE = "live"
    PAID = "paid"
    CLOSED = "closed"

    @classmethod
    def _missing_(cls, value: object) -> PipelineStage | None:
        if not isinstance(value, str):
            return None
        key = "_".join(value.strip().lower().replace("-", " ").split())
        if key in ("completed", "declined", "done", "lost"):
            return cls.CLOSED
        return cls._value2member_map_.get(key)  # type: ignore[return-value]


class InfluencerRate(ValueModel):
    """What an influencer charges for one deliverable of a format."""

    if TYPE_CHECKING:
        format: FormatField
    else:
        format: ContentFormat
    price: Money


class Deliverable(ValueModel):
    if TYPE_CHECKING:
        format: FormatField
    else:
        format: ContentFormat
    count: int = Field(default=1, ge=1)
    due: AwareDatetime | None = None
    delivered: int = Field(default=0, ge=0)


class Influencer(SmmkitModel):
    """A creator the brand works with, or might."""

    handle: str = Field(min_length=1)
    if TYPE_CHECKING:
        platform: PlatformField
    else:
        platform: Platform
    name: str | None = None
    followers: int = Field(ge=0)
    engagement_rate: float | None = Field(default=None, ge=0, le=1)
    stage: PipelineStage = PipelineStage.PROSPECT
    rates: tuple[InfluencerRate, ...] = ()
    deliverables: tuple[Deliverable, ...] = ()
    disclosure_required: bool = True
    tier_thresholds: TierThresholds = Field(default_factory=TierThresholds)
    notes: str = ""

    @field_validator("handle")
    @classmethod
    def _handle(cls, value: str) -> str:
        return value[1:] if value.startswith("@") else value

    @property
    def tier(self) -> InfluencerTier:
        return classify_tier(self.followers, self.tier_thresholds)
