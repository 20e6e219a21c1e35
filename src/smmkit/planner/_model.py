"""The planner's inputs and results: requests, slots, violations and the editorial calendar."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import Any, Literal

from pydantic import AwareDatetime, Field, model_validator

from smmkit.errors import TransitionError
from smmkit.models import (
    WORKFLOW,
    Audience,
    Brand,
    Campaign,
    Channel,
    ContentFormat,
    ContentItem,
    ContentStatus,
    Objective,
    Platform,
    SmmkitModel,
    TimezoneName,
    ValueModel,
    Weekday,
)
from smmkit.models._base import zone

from ._dates import MarketingRule
from ._timekit import exact_instant

__all__ = [
    "BestTimeScores",
    "EditorialCalendar",
    "FixedPost",
    "Moment",
    "PlanRequest",
    "Series",
    "Slot",
    "Violation",
]

BestTimeScores = dict[str, dict[tuple[Weekday, int], float]]
"""Best-time scores: channel key → (weekday, local hour) → score (any scale; higher is better).

``smmkit.analytics.best_times(...).scores`` has exactly this shape."""

SlotSource = Literal["planned", "fixed", "series"]


def slot_id(channel: str, start: datetime, salt: str = "") -> str:
    """A stable slot id from its channel and UTC instant (and an optional salt)."""
    stamp = start.astimezone(zone("UTC")).strftime("%Y%m%dT%H%M%SZ")
    digest = hashlib.sha1(f"{channel}|{stamp}|{salt}".encode()).hexdigest()[:12]
    return f"{channel}-{stamp}-{digest}"


class FixedPost(ValueModel):
    """A post already scheduled: the planner keeps it where it is and plans around it.

    ``at`` is an aware instant. A wall time that does not exist in its zone (02:30 on the day
    clocks go forward) is read as RFC 5545 reads it: moved forward by the gap (03:30 summer
    time), and the slot's reasons say so; the second occurrence of a repeated hour is kept as the
    instant its ``fold`` names.
    """

    channel: str = Field(min_length=1)
    at: datetime
    pillar: str | None = None
    format: ContentFormat | None = None
    item_id: str | None = None
    campaign: str | None = None
    title: str | None = None


class Series(ValueModel):
    """A recurring series on some channels, as an RFC 5545 recurrence rule.

    ``rule`` is an ``RRULE`` value (``"FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;BYMINUTE=30"``: every Monday
    at 08:30; ``"FREQ=MONTHLY;BYDAY=1FR;BYHOUR=18"``: the first Friday of the month at 18:00).
    Occurrences are expanded in each channel's local wall-clock time, so 08:30 stays 08:30 across
    daylight-saving changes. Occurrences on blackout days are skipped (and listed).
    """

    key: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str = Field(min_length=1)
    rule: str = Field(min_length=1)
    channels: tuple[str, ...] = Field(min_length=1)
    pillar: str | None = None
    format: ContentFormat | None = None
    item_id: str | None = None


class PlanRequest(SmmkitModel):
    """Everything :func:`~smmkit.planner.plan` needs.

    ``start`` and ``end`` are dates (``end`` exclusive; or give ``weeks``) read in each channel's
    time zone; an aware datetime is accepted and reduced to its date, a naive one is refused.
    Plan weeks are consecutive 7-day blocks from ``start``. ``seed`` only breaks ties between
    equally good posting times (a different seed may pick another of them). Rule checks happen in
    :meth:`check` (called by ``plan``), which raises :class:`smmkit.errors.ValidationError`.
    """

    brand: Brand
    channels: tuple[Channel, ...]
    start: date | datetime
    end: date | datetime | None = None
    weeks: int | None = Field(default=None, ge=1, le=520)
    campaigns: tuple[Campaign, ...] = ()
    content: tuple[ContentItem, ...] = ()
    audience: Audience | None = None
    best_times: BestTimeScores | None = None
    fixed: tuple[FixedPost, ...] = ()
    series: tuple[Series, ...] = ()
    blackout_dates: tuple[date, ...] = ()
    holidays_as_blackout: bool = True
    country: str | None = None
    region: str | None = None
    marketing_rules: tuple[MarketingRule, ...] = ()
    default_marketing_dates: bool = True
    formats: dict[str, dict[ContentFormat, float]] = Field(default_factory=dict)
    granularity: timedelta = timedelta(minutes=30)
    stagger: timedelta = timedelta(hours=2)
    evergreen_gap: timedelta = timedelta(days=28)
    not_before: datetime | None = None
    seed: int = 0

    def check(self) -> None:
        """Check the rules; raise :class:`~smmkit.errors.ValidationError` naming the field."""
        from ._validate import check_request

        check_request(self)

    @property
    def start_date(self) -> date:
        return self.start.date() if isinstance(self.start, datetime) else self.start

    @property
    def end_date(self) -> date:
        """The exclusive end date."""
        if self.end is not None:
            return self.end.date() if isinstance(self.end, datetime) else self.end
        return self.start_date + timedelta(days=7 * (self.weeks or 4))


class Violation(ValueModel):
    """A constraint the plan does not meet (only with ``relax=True``), and the amount."""

    constraint: str
    channel: str | None = None
    week_start: date | None = None
    expected: float | None = None
    actual: float | None = None
    detail: str = ""


class Moment(ValueModel):
    """A day that matters to the plan: a public holiday, a marketing date or a blackout."""

    day: date
    kind: Literal["holiday", "marketing", "blackout"]
    name: str
    blackout: bool = False


class Slot(ValueModel):
    """One publication on one channel at one time, with why it is there.

    ``start`` is aware, in the channel's ``timezone``; ``reasons`` explain the time, the pillar,
    the campaign and the content. ``status`` follows the content workflow
    (:data:`smmkit.models.WORKFLOW`); ``locked`` slots survive :func:`~smmkit.planner.replan`.
    """

    id: str
    channel: str
    platform: Platform
    start: AwareDatetime
    timezone: TimezoneName
    pillar: str | None = None
    format: ContentFormat = ContentFormat.POST
    objective: Objective | None = None
    campaign: str | None = None
    item_id: str | None = None
    title: str | None = None
    series: str | None = None
    source: SlotSource = "planned"
    locked: bool = False
    status: ContentStatus = ContentStatus.DRAFT
    moments: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _localise(cls, data: Any) -> Any:
        if isinstance(data, dict) and "start" in data and "timezone" in data:
            start = data["start"]
            if isinstance(start, str):
                start = datetime.fromisoformat(start)
            if isinstance(start, datetime) and start.tzinfo is not None:
                try:
                    tz = zone(str(data["timezone"]))
                except (ValueError, KeyError, OSError):
                    return data
                # by the instant: a wall time that does not exist is never kept
                data = {**data, "start": exact_instant(start, tz, field="start")[0]}
        return data

    @property
    def utc(self) -> datetime:
        """The start in UTC."""
        return self.start.astimezone(zone("UTC"))

    @property
    def local_date(self) -> date:
        return self.start.date()

    def transition(self, target: ContentStatus | str) -> Slot:
        """A copy in workflow status ``target``; raises :class:`TransitionError` if not allowed."""
        new = ContentStatus(target)
        if new not in WORKFLOW[self.status]:
            raise TransitionError(
                "Slot.status",
                self.status.value,
                new.value,
                sorted(s.value for s in WORKFLOW[self.status]),
            )
        return self.model_copy(update={"status": new})


class EditorialCalendar(ValueModel):
    """The plan: slots sorted by instant, the days that mattered, and what could not be met."""

    brand: str
    locale: str
    timezone: str
    start: date
    end: date
    slots: tuple[Slot, ...]
    moments: tuple[Moment, ...] = ()
    violations: tuple[Violation, ...] = ()
    skipped: tuple[str, ...] = ()
    pillar_targets: dict[str, float] = Field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.slots)

    def slot(self, slot_id: str) -> Slot:
        """The slot with this id (``KeyError`` otherwise)."""
        for s in self.slots:
            if s.id == slot_id:
                return s
        raise KeyError(f"no slot with id {slot_id!r}")

    def for_channel(self, channel: str) -> tuple[Slot, ...]:
        return tuple(s for s in self.slots if s.channel == channel)

    def week_starts(self) -> tuple[date, ...]:
        """The first day of each plan week."""
        days = (self.end - self.start).days
        return tuple(self.start + timedelta(days=7 * k) for k in range((days + 6) // 7))

    def week_index(self, slot: Slot) -> int:
        """The plan week (0-based) a slot falls in, by its local date."""
        return (slot.local_date - self.start).days // 7

    def with_slots(self, slots: tuple[Slot, ...] | list[Slot]) -> EditorialCalendar:
        """A copy with other slots (sorted by instant)."""
        ordered = tuple(sorted(slots, key=lambda s: (s.utc, s.channel)))
        return self.model_copy(update={"slots": ordered})
