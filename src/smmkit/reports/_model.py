"""The monthly report's data: plain, frozen values; every word a reader sees is added by the
renderers, in the report's locale."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import Field

from smmkit.analytics import CompetitorStanding
from smmkit.models import Money, ValueModel

__all__ = [
    "AnomalyLine",
    "ChannelGrowth",
    "CommunityStats",
    "HeatCell",
    "InfluencerResult",
    "KpiLine",
    "MonthlyReport",
    "PaidLine",
    "PaidSection",
    "PostLine",
    "Recommendation",
]


class CommunityStats(ValueModel):
    """Community management over the month (input, from the inbox): conversations per category
    and the median time to a first answer, in minutes."""

    volume: dict[str, int] = Field(default_factory=dict, description="Conversations per category.")
    median_response_minutes: dict[str, float] = Field(
        default_factory=dict, description="Median minutes to the first answer, per category."
    )
    target_minutes: float | None = Field(default=None, gt=0)
    unanswered: int = Field(default=0, ge=0)


class InfluencerResult(ValueModel):
    """One creator's results over the month (input)."""

    name: str = Field(min_length=1)
    handle: str | None = None
    posts: int = Field(default=0, ge=0)
    reach: int | None = Field(default=None, ge=0)
    engagements: int | None = Field(default=None, ge=0)
    clicks: int | None = Field(default=None, ge=0)
    conversions: float | None = Field(default=None, ge=0)
    cost: Money | None = None


class KpiLine(ValueModel):
    """A KPI of the month with its formula's parts and, when given, its target."""

    name: str
    value: float | None
    numerator: str
    denominator: str
    kind: Literal["mean", "pooled", "growth"]
    reason: str | None = None
    previous: float | None = Field(default=None, description="The previous month's value.")
    target: float | None = None
    direction: Literal["at_least", "at_most"] | None = None
    met: bool | None = None


class ChannelGrowth(ValueModel):
    channel: str
    start: int | None
    end: int | None
    series: tuple[tuple[date, int], ...] = ()

    @property
    def net(self) -> int | None:
        return None if self.start is None or self.end is None else self.end - self.start

    @property
    def rate(self) -> float | None:
        return None if self.net is None or not self.start else self.net / self.start


class PostLine(ValueModel):
    post_id: str
    channel: str | None
    text: str | None
    format: str | None
    published_at: datetime | None
    engagements: int | None
    reach: int | None
    rate: float | None


class HeatCell(ValueModel):
    channel: str
    weekday: int = Field(ge=0, le=6)
    hour: int = Field(ge=0, le=23)
    score: float


class AnomalyLine(ValueModel):
    """An unusual day in a channel's series, with what happened around it."""

    channel: str
    metric: str
    day: date
    value: float
    expected: float | None
    score: float
    series: tuple[float, ...] = Field(description="The month's daily values, for the chart.")
    index: int = Field(description="Position of ``day`` in ``series``.")
    nearby_posts: tuple[PostLine, ...] = ()
    holiday: str | None = None

    @property
    def direction(self) -> Literal["spike", "drop"]:
        return "drop" if self.expected is not None and self.value < self.expected else "spike"


class PaidLine(ValueModel):
    line: str
    spend: Money
    planned: Money | None = None
    planned_to_date: Money | None = None
    results: float | None = None
    revenue: Money | None = None

    @property
    def roas(self) -> float | None:
        if self.revenue is None or not self.spend.amount:
            return None
        return float(self.revenue.amount / self.spend.amount)

    @property
    def cpa(self) -> Money | None:
        if not self.results:
            return None
        return Money.of(self.spend.amount / _dec(self.results), self.spend.currency).rounded()

    @property
    def pace(self) -> float | None:
        """Spend against what the pacing plan had scheduled so far (1.0 = on plan)."""
        if self.planned_to_date is None or not self.planned_to_date.amount:
            return None
        return float(self.spend.amount / self.planned_to_date.amount)


def _dec(value: float) -> Decimal:
    return Decimal(str(value))


class PaidSection(ValueModel):
    currency: str
    as_of: date
    lines: tuple[PaidLine, ...]
    holidays: tuple[tuple[date, str], ...] = Field(
        default=(), description="Paused or reduced days of the pacing plan, named in the locale."
    )
    daily: tuple[tuple[date, float, float], ...] = Field(
        default=(),
        description="Every day of the month: (day, planned by the pacing plan, spent), all lines.",
    )

    @property
    def spend(self) -> Money:
        total = Money.zero(self.currency)
        for ln in self.lines:
            total = total + ln.spend
        return total

    @property
    def planned(self) -> Money | None:
        if not any(ln.planned is not None for ln in self.lines):
            return None
        total = Money.zero(self.currency)
        for ln in self.lines:
            if ln.planned is not None:
                total = total + ln.planned
        return total


class Recommendation(ValueModel):
    """One suggestion; ``kind`` selects the catalog message, the other fields fill it."""

    kind: Literal[
        "goal_missed",
        "best_time",
        "best_format",
        "shift_budget",
        "slow_pacing",
        "fast_pacing",
        "answer_faster",
        "look_at_drop",
        "keep_growing",
        "grow_channel",
    ]
    subject: str = ""
    rate: float | None = None
    other: float | None = None
    weekday: int | None = None
    hour: int | None = None
    day: date | None = None


class MonthlyReport(ValueModel):
    """A brand's month: build with :func:`~smmkit.reports.monthly_report`, render with
    :func:`~smmkit.reports.render_html`, ``render_markdown`` or ``render_pdf``."""

    brand: str
    locale: str
    currency: str
    timezone: str
    year: int
    month: int
    posts: int
    kpis: tuple[KpiLine, ...]
    growth: tuple[ChannelGrowth, ...]
    top_posts: tuple[PostLine, ...]
    bottom_posts: tuple[PostLine, ...]
    heatmap: tuple[HeatCell, ...]
    anomalies: tuple[AnomalyLine, ...]
    paid: PaidSection | None = None
    competitors: tuple[CompetitorStanding, ...] = ()
    unreadable_competitors: tuple[str, ...] = Field(
        default=(), description="Accounts of the audit with no readable data (private, no access)."
    )
    community: CommunityStats | None = None
    influencers: tuple[InfluencerResult, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    generated_at: datetime | None = None
