"""Results: what each creator and the whole campaign brought, and what it cost.

Counts come from the delivered posts' metrics (:class:`~smmkit.models.PostMetrics`, as the
clients read them) and from the site's UTM data (:class:`Attribution`: sessions, conversions and
revenue where ``utm_content`` is the creator's handle, or orders with the creator's promo code).
Every KPI is a named formula (as :data:`smmkit.analytics.KPI_SPECS`) computed with
:func:`smmkit.analytics.ratio`: a zero or missing denominator gives no value and a reason.

======================  ===================================
``cpe``                 cost / engagements
``cpc``                 cost / clicks
``cpa``                 cost / conversions
``ros``                 revenue / cost (return on spend)
``engagement_rate``     engagements / reach
======================  ===================================

``reach`` is summed over posts (the networks do not give the unique reach of several posts).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from pydantic import Field

from smmkit.analytics import KpiValue, ratio
from smmkit.errors import ValidationError
from smmkit.models import Money, PostMetrics, ValueModel

from ._pipeline import Collaboration

__all__ = [
    "INFLUENCER_KPIS",
    "Attribution",
    "CampaignResults",
    "CreatorResults",
    "influencer_results",
]

INFLUENCER_KPIS: Mapping[str, tuple[str, str, str]] = {
    "cpe": ("cost", "engagements", "cost per engagement"),
    "cpc": ("cost", "clicks", "cost per click"),
    "cpa": ("cost", "conversions", "cost per acquisition"),
    "ros": ("revenue", "cost", "return on spend"),
    "engagement_rate": ("engagements", "reach", "engagement rate by reach (pooled)"),
}
"""Each influencer KPI: ``name -> (numerator, denominator, description)``."""


class Attribution(ValueModel):
    """What the site's analytics attribute to one creator (UTM ``utm_content`` = handle, or the
    creator's promo code): clicks (sessions), conversions and revenue."""

    handle: str = Field(min_length=1)
    clicks: int | None = Field(default=None, ge=0)
    conversions: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    revenue: Money | None = None


class CreatorResults(ValueModel):
    """One creator's totals and KPIs on a campaign."""

    handle: str
    posts: int
    reach: int | None
    impressions: int | None
    engagements: int | None
    clicks: int | None
    clicks_source: str
    conversions: float | None
    revenue: Money | None
    cost: Money | None
    kpis: dict[str, KpiValue]


class CampaignResults(ValueModel):
    """The campaign's creators and the totals over them (a KPI over the campaign is a ratio of
    the sums, never a mean of the creators' ratios)."""

    campaign: str | None
    currency: str | None
    creators: tuple[CreatorResults, ...]
    totals: CreatorResults


def _sum(values: Iterable[int | float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return float(sum(known)) if known else None


def _kpis(
    cost: Money | None,
    revenue: Money | None,
    engagements: float | None,
    clicks: float | None,
    conversions: float | None,
    reach: float | None,
    count: int,
) -> dict[str, KpiValue]:
    values = {
        "cost": None if cost is None else float(cost.amount),
        "revenue": None if revenue is None else float(revenue.amount),
        "engagements": engagements,
        "clicks": clicks,
        "conversions": conversions,
        "reach": reach,
    }
    out = {}
    for name, (num, den, _) in INFLUENCER_KPIS.items():
        out[name] = ratio(
            name,
            values[num],
            values[den],
            count=count,
            numerator_name=num,
            denominator_name=den,
        )
    return out


def _as_int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _creator(
    deal: Collaboration,
    posts: Sequence[PostMetrics],
    attribution: Attribution | None,
    currency: str | None,
) -> CreatorResults:
    reach = _sum(p.reach for p in posts)
    impressions = _sum(p.impressions for p in posts)
    engagements = _sum(p.engagements for p in posts)
    if attribution is not None and attribution.clicks is not None:
        clicks: float | None = float(attribution.clicks)
        source = "utm"
    else:
        clicks = _sum(p.clicks for p in posts)
        source = "post metrics" if clicks is not None else "none"
    conversions = attribution.conversions if attribution else None
    revenue = attribution.revenue if attribution else None
    cost = deal.fee
    for label, money in (("fee", cost), ("revenue", revenue)):
        if money is not None and currency is not None and money.currency != currency:
            raise ValidationError(
                f"{deal.key}.{label}",
                str(money),
                f"is in {money.currency}, the campaign counts in {currency}",
                hint="convert it first; smmkit never converts currencies implicitly",
            )
    return CreatorResults(
        handle=deal.handle,
        posts=len(posts),
        reach=_as_int(reach),
        impressions=_as_int(impressions),
        engagements=_as_int(engagements),
        clicks=_as_int(clicks),
        clicks_source=source,
        conversions=conversions,
        revenue=revenue,
        cost=cost,
        kpis=_kpis(cost, revenue, engagements, clicks, conversions, reach, len(posts)),
    )


def influencer_results(
    collaborations: Sequence[Collaboration],
    posts: Mapping[str, Sequence[PostMetrics]],
    attributions: Iterable[Attribution] = (),
    *,
    campaign: str | None = None,
) -> CampaignResults:
    """Per creator and for the campaign: reach, impressions, engagements, clicks (UTM sessions
    when given, else the posts' link clicks), conversions, revenue, cost (the agreed fee) and
    the KPIs of :data:`INFLUENCER_KPIS`.

    ``posts`` maps a creator's handle to the metrics of its delivered posts; ``attributions``
    hold the UTM/promo-code data per handle. Fees and revenue must share one currency.
    """
    deals = [c for c in collaborations if campaign is None or c.campaign == campaign]
    by_handle = {a.handle.lstrip("@").casefold(): a for a in attributions}
    currencies = {
        m.currency
        for d in deals
        for m in (d.fee, by_handle.get(d.handle.casefold(), Attribution(handle="-")).revenue)
        if m is not None
    }
    if len(currencies) > 1:
        raise ValidationError(
            "currency",
            sorted(currencies),
            "fees and revenue of one campaign must share a currency",
            hint="convert the amounts first",
        )
    currency = next(iter(currencies), None)
    lookup = {k.lstrip("@").casefold(): v for k, v in posts.items()}
    rows = [
        _creator(
            d, lookup.get(d.handle.casefold(), ()), by_handle.get(d.handle.casefold()), currency
        )
        for d in deals
    ]
    cost = _money_sum([r.cost for r in rows], currency)
    revenue = _money_sum([r.revenue for r in rows], currency)
    engagements = _sum(r.engagements for r in rows)
    clicks = _sum(r.clicks for r in rows)
    conversions = _sum(r.conversions for r in rows)
    reach = _sum(r.reach for r in rows)
    count = sum(r.posts for r in rows)
    totals = CreatorResults(
        handle="*",
        posts=count,
        reach=_as_int(reach),
        impressions=_as_int(_sum(r.impressions for r in rows)),
        engagements=_as_int(engagements),
        clicks=_as_int(clicks),
        clicks_source="sum",
        conversions=conversions,
        revenue=revenue,
        cost=cost,
        kpis=_kpis(cost, revenue, engagements, clicks, conversions, reach, count),
    )
    return CampaignResults(
        campaign=campaign, currency=currency, creators=tuple(rows), totals=totals
    )


def _money_sum(values: Sequence[Money | None], currency: str | None) -> Money | None:
    known = [v for v in values if v is not None]
    if not known or currency is None:
        return None
    total = Money(amount=Decimal(0), currency=currency)
    for v in known:
        total = total + v
    return total
