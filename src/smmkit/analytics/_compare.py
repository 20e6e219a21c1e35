"""Comparisons: period over period, against KPI targets, against competitors, and A/B tests."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from pydantic import Field

from smmkit.errors import ValidationError
from smmkit.models import KpiTarget, Platform, ValueModel

from ._kpi import KPI_ALIASES, KpiValue, follower_growth_rate, posting_frequency, ratio
from ._table import MetricsTable

__all__ = [
    "AbTestResult",
    "CompetitorSnapshot",
    "CompetitorStanding",
    "GoalAttainment",
    "KpiChange",
    "ab_test",
    "against_targets",
    "compare_competitors",
    "period_over_period",
]


class KpiChange(ValueModel):
    """A KPI in two periods and its change (``relative`` = delta / previous)."""

    name: str
    current: float | None
    previous: float | None
    delta: float | None = None
    relative: float | None = None
    reason: str | None = None


def period_over_period(
    table: MetricsTable,
    names: Sequence[str],
    *,
    current: tuple[datetime, datetime],
    previous: tuple[datetime, datetime],
) -> list[KpiChange]:
    """Each KPI over ``current`` and ``previous`` ([start, end) aware datetimes) and the change."""
    now = table.between(*current).kpis(names)
    before = table.between(*previous).kpis(names)
    out: list[KpiChange] = []
    for name in names:
        a = now.rows[0].kpis[name] if now.rows else None
        b = before.rows[0].kpis[name] if before.rows else None
        av = a.value if a else None
        bv = b.value if b else None
        if av is None or bv is None:
            why = (
                (a.reason if a and a.reason else "no data")
                if av is None
                else (b.reason if b and b.reason else "no data")
            )
            which = "current" if av is None else "previous"
            out.append(
                KpiChange(name=name, current=av, previous=bv, reason=f"{which} period: {why}")
            )
            continue
        rel = None if bv == 0 else (av - bv) / bv
        out.append(
            KpiChange(
                name=name,
                current=av,
                previous=bv,
                delta=av - bv,
                relative=rel,
                reason=None if bv != 0 else "previous value is 0: no relative change",
            )
        )
    return out


class GoalAttainment(ValueModel):
    """A KPI target and how the actual value compares (``attainment`` = actual / target)."""

    kpi: str
    target: float
    direction: str
    actual: float | None
    met: bool | None
    attainment: float | None = None
    reason: str | None = None


def against_targets(
    actuals: Mapping[str, KpiValue | float | None], targets: Iterable[KpiTarget]
) -> list[GoalAttainment]:
    """Compare actual KPI values with targets (from the brand's objectives or a campaign).

    Short names (``engagement_rate_by_reach``) resolve through ``KPI_ALIASES``. A target whose
    KPI is missing or has no value gets ``met=None`` with the reason.
    """
    out: list[GoalAttainment] = []
    for t in targets:
        raw = actuals.get(t.kpi)
        if raw is None and t.kpi in KPI_ALIASES:
            raw = actuals.get(KPI_ALIASES[t.kpi])
        value = raw.value if isinstance(raw, KpiValue) else raw
        if value is None:
            why = raw.reason if isinstance(raw, KpiValue) and raw.reason else "not computed"
            out.append(
                GoalAttainment(
                    kpi=t.kpi,
                    target=t.target,
                    direction=t.direction,
                    actual=None,
                    met=None,
                    reason=why,
                )
            )
            continue
        att = None if t.target == 0 else value / t.target
        out.append(
            GoalAttainment(
                kpi=t.kpi,
                target=t.target,
                direction=t.direction,
                actual=float(value),
                met=t.met_by(float(value)),
                attainment=att,
            )
        )
    return out


class CompetitorSnapshot(ValueModel):
    """What is publicly visible of one account over a period (brand or competitor)."""

    name: str
    platform: Platform
    followers_start: int | None = Field(default=None, ge=0)
    followers_end: int | None = Field(default=None, ge=0)
    posts: int = Field(ge=0)
    days: float = Field(gt=0)
    engagements: int | None = Field(default=None, ge=0, description="Total over the posts.")
    formats: dict[str, int] = Field(default_factory=dict, description="Posts per format.")
    mentions: int | None = Field(default=None, ge=0)


class CompetitorStanding(ValueModel):
    """One account's KPIs on one platform and its rank among the accounts compared."""

    name: str
    platform: Platform
    engagement_rate_by_followers: KpiValue
    posts_per_week: KpiValue
    follower_growth_rate: KpiValue
    share_of_voice: KpiValue | None
    content_mix: dict[str, float]
    rank_engagement: int | None


def compare_competitors(snapshots: Sequence[CompetitorSnapshot]) -> list[CompetitorStanding]:
    """Per platform: engagement rate by followers (engagements per post / followers at the end),
    cadence (posts per week), growth (start-of-period base), content mix and share of voice
    (mentions / all accounts' mentions on the platform). Ranked by engagement rate (1 = best)."""
    by_platform: dict[Platform, list[CompetitorSnapshot]] = {}
    for s in snapshots:
        by_platform.setdefault(s.platform, []).append(s)
    out: list[CompetitorStanding] = []
    for platform in sorted(by_platform, key=str):
        group = by_platform[platform]
        mention_total = sum(s.mentions or 0 for s in group)
        has_mentions = any(s.mentions is not None for s in group)
        rows: list[CompetitorStanding] = []
        for s in group:
            per_post = None if s.engagements is None or s.posts == 0 else s.engagements / s.posts
            er = ratio(
                "engagement_rate_by_followers",
                per_post,
                None if s.followers_end is None else float(s.followers_end),
                count=s.posts,
                numerator_name="engagements per post",
                denominator_name="followers_end",
            )
            if s.posts == 0:
                er = KpiValue(
                    name="engagement_rate_by_followers",
                    reason="no posts in the period",
                    formula=er.formula,
                )
            total_fmt = sum(s.formats.values())
            mix = {k: v / total_fmt for k, v in sorted(s.formats.items())} if total_fmt else {}
            sov = (
                ratio(
                    "share_of_voice",
                    float(s.mentions or 0),
                    float(mention_total),
                    numerator_name="mentions",
                    denominator_name="all mentions",
                )
                if has_mentions
                else None
            )
            rows.append(
                CompetitorStanding(
                    name=s.name,
                    platform=platform,
                    engagement_rate_by_followers=er,
                    posts_per_week=posting_frequency(s.posts, s.days),
                    follower_growth_rate=follower_growth_rate(s.followers_start, s.followers_end),
                    share_of_voice=sov,
                    content_mix=mix,
                    rank_engagement=None,
                )
            )
        ranked = sorted(
            (r for r in rows if r.engagement_rate_by_followers.value is not None),
            key=lambda r: -(r.engagement_rate_by_followers.value or 0.0),
        )
        ranks = {r.name: i + 1 for i, r in enumerate(ranked)}
        out.extend(r.model_copy(update={"rank_engagement": ranks.get(r.name)}) for r in rows)
    return out


class AbTestResult(ValueModel):
    """Two variants' conversion rates, the two-proportion z-test and P(B beats A)."""

    rate_a: float
    rate_b: float
    lift: float | None = Field(description="(rate_b - rate_a) / rate_a; None when rate_a is 0.")
    z: float | None
    p_value: float | None = Field(description="Two-sided, pooled two-proportion z-test.")
    probability_b_beats_a: float = Field(ge=0, le=1)
    significant: bool
    reason: str | None = None


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _prob_b_beats_a(aa: float, ba: float, ab: float, bb: float) -> float:
    """P(p_B > p_A) for p_A ~ Beta(aa, ba), p_B ~ Beta(ab, bb).

    Exact closed form (a finite sum of Beta functions) when ``ab`` is an integer up to 20,000;
    otherwise the normal approximation of the two Beta distributions.
    """
    if float(ab).is_integer() and ab <= 20_000:
        total = 0.0
        for i in range(int(ab)):
            total += math.exp(
                _log_beta(aa + i, ba + bb)
                - math.log(bb + i)
                - _log_beta(1 + i, bb)
                - _log_beta(aa, ba)
            )
        return min(max(total, 0.0), 1.0)
    ma, mb = aa / (aa + ba), ab / (ab + bb)
    va = aa * ba / ((aa + ba) ** 2 * (aa + ba + 1))
    vb = ab * bb / ((ab + bb) ** 2 * (ab + bb + 1))
    return 0.5 * math.erfc(-(mb - ma) / math.sqrt(2 * (va + vb)))


def ab_test(
    successes_a: int,
    trials_a: int,
    successes_b: int,
    trials_b: int,
    *,
    alpha: float = 0.05,
    prior: tuple[float, float] = (1.0, 1.0),
) -> AbTestResult:
    """Compare two variants (e.g. clicks / impressions of two captions).

    Frequentist: the pooled two-proportion z-test, two-sided p-value. Bayesian: with a
    Beta(prior) on each rate, the probability that B's rate exceeds A's (closed form, no sampling,
    so the result is deterministic).
    """
    for name, s, n in (("a", successes_a, trials_a), ("b", successes_b, trials_b)):
        if n <= 0:
            raise ValidationError(f"trials_{name}", n, "must be positive")
        if s < 0 or s > n:
            raise ValidationError(f"successes_{name}", s, f"must be between 0 and trials ({n})")
    if not 0 < alpha < 1:
        raise ValidationError("alpha", alpha, "must be between 0 and 1")
    if prior[0] <= 0 or prior[1] <= 0:
        raise ValidationError("prior", prior, "Beta parameters must be positive")
    pa, pb = successes_a / trials_a, successes_b / trials_b
    pooled = (successes_a + successes_b) / (trials_a + trials_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / trials_a + 1 / trials_b))
    reason = None
    if se == 0:
        z = p = None
        reason = "both variants have the same all-or-nothing rate: the z-test is undefined"
    else:
        z = (pb - pa) / se
        p = math.erfc(abs(z) / math.sqrt(2))
    prob = _prob_b_beats_a(
        prior[0] + successes_a,
        prior[1] + trials_a - successes_a,
        prior[0] + successes_b,
        prior[1] + trials_b - successes_b,
    )
    return AbTestResult(
        rate_a=pa,
        rate_b=pb,
        lift=None if pa == 0 else (pb - pa) / pa,
        z=z,
        p_value=p,
        probability_b_beats_a=prob,
        significant=p is not None and p < alpha,
        reason=reason,
    )
