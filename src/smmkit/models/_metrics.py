"""Metric records: one normalised schema across platforms.

Counts are ``None`` when the platform did not report them, which is different from ``0``.
``impressions`` (times shown, the pre-2025 Meta metric and X's) and ``views`` (Meta's 2025 metric,
and video views on some networks) are kept apart; no mapper turns one into the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from pydantic import AwareDatetime, Field, JsonValue, model_validator

from ._base import Platform, ValueModel
from ._money import Money

if TYPE_CHECKING:
    from ._names import PlatformField

__all__ = ["AccountMetrics", "AdMetrics", "PostMetrics"]

_Count = int | None


def _count() -> Any:
    return Field(default=None, ge=0)


class _Measured(ValueModel):
    # Each subclass re-declares ``platform`` for type checkers (see ``_names``): mypy reads an
    # inherited descriptor-typed field with its ``__set__`` type.
    platform: Platform
    measured_at: AwareDatetime
    channel: str | None = None
    raw: dict[str, JsonValue] | None = Field(
        default=None, description="The platform's payload, kept for audit."
    )


class PostMetrics(_Measured):
    """How one published post performed, measured at ``measured_at``."""

    if TYPE_CHECKING:
        platform: PlatformField

    post_id: str = Field(min_length=1)
    published_at: AwareDatetime | None = None
    impressions: _Count = _count()
    views: _Count = _count()
    reach: _Count = _count()
    likes: _Count = _count()
    comments: _Count = _count()
    shares: _Count = _count()
    saves: _Count = _count()
    clicks: _Count = _count()
    video_views: _Count = _count()
    video_completions: _Count = Field(
        default=None, ge=0, description="Video plays watched to the end (completion rate KPI)."
    )
    watch_time_seconds: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    followers: _Count = Field(default=None, ge=0, description="Followers at posting time.")
    pillar: str | None = None
    format: str | None = None
    campaign: str | None = None

    @property
    def engagements(self) -> int | None:
        """Likes + comments + shares + saves, counting what was reported; None if none was."""
        parts = [self.likes, self.comments, self.shares, self.saves]
        known = [p for p in parts if p is not None]
        return sum(known) if known else None


class AccountMetrics(_Measured):
    """An account's state and totals over a period (or at an instant)."""

    if TYPE_CHECKING:
        platform: PlatformField

    account_id: str = Field(min_length=1)
    followers: _Count = _count()
    following: _Count = _count()
    posts_count: _Count = _count()
    impressions: _Count = _count()
    views: _Count = _count()
    reach: _Count = _count()
    profile_visits: _Count = _count()
    period_start: AwareDatetime | None = None
    period_end: AwareDatetime | None = None

    @model_validator(mode="after")
    def _period(self) -> Self:
        if self.period_start and self.period_end and self.period_end <= self.period_start:
            raise ValueError("period_end must be after period_start")
        return self


class AdMetrics(_Measured):
    """A paid ad's (or ad set's) delivery and results over a period."""

    if TYPE_CHECKING:
        platform: PlatformField

    ad_id: str = Field(min_length=1)
    campaign: str | None = None
    spend: Money
    impressions: _Count = _count()
    views: _Count = _count()
    reach: _Count = _count()
    clicks: _Count = _count()
    video_views: _Count = _count()
    video_completions: _Count = Field(
        default=None, ge=0, description="Video plays watched to the end (completion rate KPI)."
    )
    conversions: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    revenue: Money | None = None
    period_start: AwareDatetime | None = None
    period_end: AwareDatetime | None = None

    @model_validator(mode="after")
    def _money(self) -> Self:
        if self.spend.amount < 0:
            raise ValueError("spend cannot be negative")
        if self.revenue is not None and self.revenue.currency != self.spend.currency:
            raise ValueError(
                f"revenue currency {self.revenue.currency} differs from spend currency "
                f"{self.spend.currency}"
            )
        return self
