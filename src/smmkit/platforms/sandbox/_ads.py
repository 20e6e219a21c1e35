"""A seeded paid-ads history: weekly spend per paid channel and the outcomes it bought.

Outcomes come from hidden *true* response curves, so that a response-curve fit (the budget
engine's job) can be checked against the truth: for each channel, spend is carried over with
**geometric adstock** (``a[t] = x[t] + theta * a[t-1]``) and turned into conversions by a
**Hill saturation** curve (``beta * a^s / (a^s + K^s)``), plus seeded noise.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from pydantic import Field

from smmkit.errors import ValidationError
from smmkit.models import AdMetrics, Money, Platform, ValueModel

__all__ = ["AdHistory", "ResponseCurve", "ad_history"]


class ResponseCurve(ValueModel):
    """A channel's true weekly response: Hill saturation of geometrically adstocked spend.

    ``beta``: conversions per week at full saturation; ``half_saturation`` (K): adstocked weekly
    spend giving half of ``beta``; ``shape`` (s): Hill exponent; ``adstock``: carry-over theta
    in [0, 1); ``value_per_conversion``: revenue per conversion; ``cpm``/``ctr``: delivery.
    """

    channel: str
    beta: float = Field(gt=0)
    half_saturation: float = Field(gt=0)
    shape: float = Field(gt=0)
    adstock: float = Field(ge=0, lt=1)
    value_per_conversion: float = Field(gt=0)
    cpm: float = Field(gt=0)
    ctr: float = Field(gt=0, lt=1)

    def adstocked(self, spend: Sequence[float]) -> list[float]:
        """Geometric adstock of a weekly spend series."""
        carried, out = 0.0, []
        for value in spend:
            carried = value + self.adstock * carried
            out.append(carried)
        return out

    def saturation(self, adstocked_spend: float) -> float:
        """Expected conversions for one week's adstocked spend (Hill curve)."""
        if adstocked_spend <= 0:
            return 0.0
        a = math.pow(adstocked_spend, self.shape)
        return self.beta * a / (a + math.pow(self.half_saturation, self.shape))

    def response(self, spend: Sequence[float]) -> list[float]:
        """Expected (noise-free) conversions for a weekly spend series."""
        return [self.saturation(a) for a in self.adstocked(spend)]


class AdHistory(ValueModel):
    """Weekly :class:`~smmkit.models.AdMetrics` per channel, and the hidden truth behind them."""

    records: tuple[AdMetrics, ...]
    curves: dict[str, ResponseCurve]
    weeks: int
    currency: str

    def for_channel(self, channel: str) -> list[AdMetrics]:
        return [r for r in self.records if r.channel == channel]

    def spend(self, channel: str) -> list[float]:
        """The weekly spend of one channel, as floats."""
        return [float(r.spend.amount) for r in self.for_channel(channel)]

    def conversions(self, channel: str) -> list[float]:
        return [r.conversions or 0.0 for r in self.for_channel(channel)]


_PROFILES: dict[str, tuple[float, float, float, float, float, float]] = {
    # channel: (weekly base spend, beta, K, shape, adstock, value per conversion)
    "facebook": (220.0, 60.0, 260.0, 1.6, 0.45, 24.0),
    "instagram": (260.0, 75.0, 320.0, 1.9, 0.35, 26.0),
    "tiktok": (150.0, 55.0, 300.0, 2.4, 0.2, 19.0),
    "youtube": (180.0, 35.0, 340.0, 1.3, 0.6, 31.0),
    "pinterest": (90.0, 22.0, 120.0, 1.5, 0.4, 28.0),
    "linkedin": (140.0, 12.0, 200.0, 1.2, 0.5, 80.0),
    "x": (80.0, 14.0, 150.0, 1.4, 0.3, 22.0),
}


def ad_history(
    channels: Sequence[str] = ("facebook", "instagram", "tiktok"),
    *,
    weeks: int = 104,
    seed: int = 7,
    currency: str = "EUR",
    start: date = date(2025, 1, 6),
    noise: float = 0.12,
) -> AdHistory:
    """A deterministic paid-ads history for ``channels`` (network names), ``weeks`` long.

    Spend varies week to week (seasonal Q4 pushes, flighting pauses, log-normal noise) so that
    the curves are identifiable; each channel's true curve is drawn around a plausible profile
    from ``seed``. Conversions are the true response times log-normal noise (``noise`` sigma).
    Returns :class:`AdHistory` with the :class:`~smmkit.models.AdMetrics` records (one per
    channel and week: spend, impressions, clicks, conversions, revenue) and the true curves.
    """
    if not 8 <= weeks <= 520:
        raise ValidationError("weeks", weeks, "must be between 8 and 520")
    if not channels or len(set(channels)) != len(channels):
        raise ValidationError("channels", list(channels), "must be distinct and not empty")
    if not 0 <= noise <= 1:
        raise ValidationError("noise", noise, "must be in [0, 1]")
    money_check = Money.of(0, currency)
    curves: dict[str, ResponseCurve] = {}
    records: list[AdMetrics] = []
    for channel in channels:
        try:
            platform = Platform(channel)
        except ValueError:
            raise ValidationError("channels", channel, "is not a platform name") from None
        rng = random.Random(f"{seed}:ads:{channel}")
        base, beta, k, shape, theta, value = _PROFILES.get(
            platform.value, (120.0, 20.0, 180.0, 1.5, 0.4, 25.0)
        )
        curve = ResponseCurve(
            channel=platform.value,
            beta=round(beta * math.exp(rng.gauss(0, 0.15)), 3),
            half_saturation=round(k * math.exp(rng.gauss(0, 0.15)), 2),
            shape=round(shape * math.exp(rng.gauss(0, 0.08)), 3),
            adstock=round(min(0.85, max(0.0, theta + rng.gauss(0, 0.05))), 3),
            value_per_conversion=round(value * math.exp(rng.gauss(0, 0.1)), 2),
            cpm=round(6.0 * math.exp(rng.gauss(0, 0.2)), 2),
            ctr=round(min(0.05, 0.011 * math.exp(rng.gauss(0, 0.2))), 4),
        )
        curves[platform.value] = curve
        spend: list[float] = []
        for week in range(weeks):
            day = start + timedelta(weeks=week)
            season = (
                1.0
                + (0.6 if day.month in (11, 12) else 0.0)
                + (0.2 if day.month in (5, 6) else 0.0)
            )
            paused = rng.random() < 0.12
            level = 0.0 if paused else base * season * math.exp(rng.gauss(0, 0.45))
            spend.append(round(level, 2))
        expected = curve.response(spend)
        for week, (amount, mean) in enumerate(zip(spend, expected, strict=True)):
            period_start = datetime.combine(start + timedelta(weeks=week), time(0), UTC)
            period_end = period_start + timedelta(days=7)
            conversions = round(mean * math.exp(rng.gauss(0, noise) - noise**2 / 2), 2)
            impressions = int(amount / curve.cpm * 1000)
            revenue = Money.of(
                Decimal(str(round(conversions * curve.value_per_conversion, 2))),
                money_check.currency,
            )
            records.append(
                AdMetrics(
                    platform=platform,
                    channel=platform.value,
                    measured_at=period_end,
                    ad_id=f"{platform.value}-w{week:03d}",
                    campaign=f"{platform.value}-always-on",
                    spend=Money.of(Decimal(str(amount)), money_check.currency),
                    impressions=impressions,
                    clicks=int(impressions * curve.ctr),
                    conversions=conversions,
                    revenue=revenue,
                    period_start=period_start,
                    period_end=period_end,
                )
            )
    return AdHistory(
        records=tuple(records), curves=curves, weeks=weeks, currency=money_check.currency
    )
