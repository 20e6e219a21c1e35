"""A channel: one account on one network, with its cadence and posting windows."""

from __future__ import annotations

from datetime import time, timedelta
from typing import TYPE_CHECKING, Self

from pydantic import Field, SecretStr, field_validator, model_validator

from ._base import LocaleTag, Platform, SmmkitModel, TimezoneName, ValueModel, Weekday

if TYPE_CHECKING:
    from ._names import PlatformField

__all__ = ["Cadence", "Channel", "PostingWindow"]


class Cadence(ValueModel):
    """How often a channel posts: per week, with a minimum spacing and a daily cap."""

    posts_per_week: int = Field(ge=0, le=700)
    min_spacing: timedelta = Field(default=timedelta(hours=2))
    daily_cap: int = Field(default=2, ge=1, le=100)

    @field_validator("min_spacing")
    @classmethod
    def _spacing(cls, value: timedelta) -> timedelta:
        if value < timedelta(0) or value > timedelta(days=7):
            raise ValueError("min_spacing must be between 0 and 7 days")
        return value

    @model_validator(mode="after")
    def _feasible(self) -> Self:
        if self.posts_per_week > 7 * self.daily_cap:
            raise ValueError(
                f"posts_per_week={self.posts_per_week} cannot fit under daily_cap={self.daily_cap} "
                f"(at most {7 * self.daily_cap} a week); raise daily_cap or lower posts_per_week"
            )
        if self.daily_cap > 1 and self.min_spacing * (self.daily_cap - 1) >= timedelta(days=1):
            raise ValueError(
                f"daily_cap={self.daily_cap} posts cannot be {self.min_spacing} apart in one day; "
                "lower daily_cap or min_spacing"
            )
        return self


class PostingWindow(ValueModel):
    """Local times on some weekdays when a channel may post, ``start`` inclusive, ``end`` exclusive.

    Times are wall-clock times in the channel's time zone.
    """

    weekdays: tuple[Weekday, ...] = tuple(Weekday)
    start: time
    end: time

    @field_validator("start", "end")
    @classmethod
    def _naive_time(cls, value: time) -> time:
        if value.tzinfo is not None:
            raise ValueError("window times are local wall-clock times; give them without a zone")
        return value

    @model_validator(mode="after")
    def _order(self) -> Self:
        if self.end <= self.start:
            raise ValueError(f"window end {self.end} must be after its start {self.start}")
        if not self.weekdays:
            raise ValueError("a window needs at least one weekday")
        return self


class Channel(SmmkitModel):
    """One account on one network.

    ``credentials`` is a reference to a secret (a token, or a name such as ``env:FORNO_IG_TOKEN``
    that the caller resolves). It is a :class:`~pydantic.SecretStr`: it never appears in ``repr``,
    and it is left out of JSON and ``model_dump()`` output, so a saved channel never holds it.
    """

    key: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    if TYPE_CHECKING:
        platform: PlatformField
    else:
        platform: Platform
    handle: str = Field(min_length=1, max_length=200)
    account_id: str | None = None
    name: str | None = None
    timezone: TimezoneName
    locale: LocaleTag | None = None
    cadence: Cadence
    windows: tuple[PostingWindow, ...] = ()
    base_url: str | None = Field(
        default=None, description="The instance or API base URL (Mastodon, Bluesky PDS, WordPress)."
    )
    paid: bool = False
    credentials: SecretStr | None = Field(default=None, exclude=True, repr=False)

    @field_validator("handle")
    @classmethod
    def _handle(cls, value: str) -> str:
        if any(ch.isspace() for ch in value):
            raise ValueError("a handle cannot contain spaces")
        return value
