"""Build the monthly report from plain data (metrics, texts, targets, plan, allocation...)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from smmkit.analytics import (
    KPI_ALIASES,
    KPI_SPECS,
    CompetitorStanding,
    MetricsTable,
    best_times,
)
from smmkit.errors import ValidationError
from smmkit.i18n import normalize_locale
from smmkit.models import AccountMetrics, AdMetrics, Brand, KpiTarget, Money, PostMetrics

from ._model import (
    AnomalyLine,
    ChannelGrowth,
    CommunityStats,
    HeatCell,
    InfluencerResult,
    KpiLine,
    MonthlyReport,
    PaidLine,
    PaidSection,
    PostLine,
    Recommendation,
)

__all__ = ["REPORT_KPIS", "monthly_report", "parse_month"]

REPORT_KPIS: tuple[str, ...] = (
    "engagement_rate_by_reach_mean",
    "engagement_rate_by_impressions_pooled",
    "amplification_rate",
    "conversation_rate",
    "virality_rate",
    "ctr",
)
"""The headline KPIs of the report (plus follower growth, and any KPI a target names)."""

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(month: str | tuple[int, int]) -> tuple[int, int]:
    """``"2026-12"`` or ``(2026, 12)`` → ``(2026, 12)``; anything else is a ValidationError."""
    if isinstance(month, tuple):
        year, m = month
    else:
        found = _MONTH.match(month) if isinstance(month, str) else None
        if found is None:
            raise ValidationError("month", month, "is not a month", hint='write it as "2026-12"')
        year, m = int(found.group(1)), int(found.group(2))
    if not 1 <= m <= 12 or not 1970 <= year <= 9999:
        raise ValidationError("month", month, "is not a month", hint='write it as "2026-12"')
    return year, m


def _bounds(year: int, month: int, tz: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, end


def _latest(posts: Iterable[PostMetrics]) -> list[PostMetrics]:
    latest: dict[tuple[str | None, str], PostMetrics] = {}
    for k, p in enumerate(posts):
        if not isinstance(p, PostMetrics):
            raise ValidationError(f"posts[{k}]", type(p).__name__, "must be PostMetrics")
        key = (p.channel, p.post_id)
        old = latest.get(key)
        if old is None or p.measured_at >= old.measured_at:
            latest[key] = p
    return list(latest.values())


def _line(p: PostMetrics, texts: Mapping[str, str]) -> PostLine:
    eng = p.engagements
    return PostLine(
        post_id=p.post_id,
        channel=p.channel or p.platform.value,
        text=texts.get(p.post_id),
        format=p.format,
        published_at=p.published_at,
        engagements=eng,
        reach=p.reach,
        rate=eng / p.reach if eng is not None and p.reach else None,
    )


def _kpi_values(posts: list[PostMetrics], names: list[str]) -> dict[str, tuple[float | None, str]]:
    if not posts:
        return dict.fromkeys(names, (None, "no posts"))
    row = MetricsTable.from_records(posts).kpis(names).rows[0]
    return {n: (row.kpis[n].value, row.kpis[n].reason or "") for n in names}


def monthly_report(
    brand: Brand,
    month: str | tuple[int, int],
    *,
    posts: Iterable[PostMetrics] = (),
    texts: Mapping[str, str] | None = None,
    accounts: Iterable[AccountMetrics] = (),
    ads: Iterable[AdMetrics] = (),
    targets: Iterable[KpiTarget] | None = None,
    planned: Mapping[str, Money] | object | None = None,
    pacing: object | None = None,
    competitors: Iterable[CompetitorStanding] | object = (),
    community: CommunityStats | None = None,
    influencers: Iterable[InfluencerResult] | object = (),
    locale: str | None = None,
    currency: str | None = None,
    top_n: int = 3,
    now: datetime | None = None,
) -> MonthlyReport:
    """The month's report for ``brand`` from plain data; render it with ``render_html``,
    ``render_markdown`` or ``render_pdf``.

    - ``posts``: post metrics (the latest measurement of each post counts); earlier months feed
      the previous-month comparison, the best-times map (90 days) and the anomaly baselines.
    - ``texts``: post id → the post's text, shown with the top and bottom posts.
    - ``accounts``: account metrics (followers, reach) over time, per channel: follower growth
      and daily anomalies.
    - ``ads``: ad metrics; the paid section groups them by channel (else campaign, else ad id)
      and compares with ``planned`` (a budget ``Allocation`` or line → ``Money``) and with
      ``pacing`` (a budget ``PacingPlan``: what should have been spent by ``now``).
    - ``targets``: KPI targets (default: the brand's objectives' targets).
    - ``competitors``, ``community``, ``influencers``: their sections, when given.

    ``now`` (default: the current time) only sets how far into the month paid pacing is
    measured. Cost: linear in the number of records, plus the anomaly detector per channel.
    """
    from smmkit.budget import Allocation, PacingPlan

    year, mon = parse_month(month)
    if locale is not None:
        normalize_locale(locale)  # a bad tag fails here, not at render time
    if top_n < 1:
        raise ValidationError("top_n", top_n, "must be at least 1")
    if now is not None and now.tzinfo is None:
        raise ValidationError("now", now, "must be timezone-aware")
    if not isinstance(brand, Brand):
        raise ValidationError("brand", type(brand).__name__, "must be a smmkit.models.Brand")
    tz = ZoneInfo(brand.timezone)
    start, end = _bounds(year, mon, tz)
    if texts is not None and not isinstance(texts, Mapping):
        raise ValidationError("texts", type(texts).__name__, "must map post ids to texts")
    texts = {str(k): str(v) for k, v in (texts or {}).items()}
    accounts = list(accounts)
    ads = list(ads)
    unreadable = _unreadable(competitors)
    competitors = _competitors(competitors)
    influencers = _influencers(influencers)
    if community is not None and not isinstance(community, CommunityStats):
        raise ValidationError("community", type(community).__name__, "must be CommunityStats")
    if targets is None:
        targets = [t for o in brand.objectives for t in o.kpis]
    targets = list(targets)
    if planned is not None and not isinstance(planned, (Allocation, Mapping)):
        raise ValidationError("planned", type(planned).__name__, "must be an Allocation or Money")
    if pacing is not None and not isinstance(pacing, PacingPlan):
        raise ValidationError("pacing", type(pacing).__name__, "must be a budget PacingPlan")

    # ---------------------------------------------------------------- posts and KPIs
    items = _latest(posts)
    in_month = [p for p in items if p.published_at is not None and start <= p.published_at < end]
    prev_start, _ = _bounds(year - (mon == 1), (mon - 2) % 12 + 1, tz)
    prev = [p for p in items if p.published_at is not None and prev_start <= p.published_at < start]
    names = list(REPORT_KPIS)
    for t in targets:
        name = KPI_ALIASES.get(t.kpi, t.kpi)
        if name in KPI_SPECS and name not in names:
            names.append(name)
    now_vals = _kpi_values(in_month, names)
    prev_vals = _kpi_values(prev, names) if prev else {}
    growth = _growth(accounts, start, end, tz)
    by_target = {KPI_ALIASES.get(t.kpi, t.kpi): t for t in targets}
    kpis: list[KpiLine] = []
    for n in names:
        spec = KPI_SPECS[n]
        value, reason = now_vals[n]
        kpis.append(
            _with_target(
                KpiLine(
                    name=n,
                    value=value,
                    numerator=spec.numerator,
                    denominator=spec.denominator,
                    kind="pooled" if spec.kind == "pooled" else "mean",
                    reason=reason or None,
                    previous=prev_vals.get(n, (None, ""))[0],
                ),
                by_target.get(n),
            )
        )
    starts = [g.start for g in growth if g.start is not None and g.end is not None]
    ends = [g.end for g in growth if g.start is not None and g.end is not None]
    total_start, total_end = sum(starts), sum(ends)
    kpis.append(
        _with_target(
            KpiLine(
                name="follower_growth_rate",
                value=(total_end - total_start) / total_start if total_start else None,
                numerator="followers",
                denominator="followers",
                kind="growth",
                reason=None if total_start else "no follower counts",
            ),
            by_target.get("follower_growth_rate"),
        )
    )

    # ---------------------------------------------------------------- posts ranked
    ranked = [p for p in in_month if p.engagements is not None and p.reach]
    ranked.sort(key=lambda p: (-(p.engagements or 0) / (p.reach or 1), p.post_id))
    top = tuple(_line(p, texts) for p in ranked[:top_n])
    rest = ranked[len(top) :]
    bottom = tuple(_line(p, texts) for p in reversed(rest[-top_n:]))

    # ---------------------------------------------------------------- best times (90 days)
    window = [
        p
        for p in items
        if p.published_at is not None and end - timedelta(days=90) <= p.published_at < end
    ]
    heat: list[HeatCell] = []
    if window:
        bt = best_times(window, timezones=brand.timezone)
        for channel, cells in sorted(bt.scores.items()):
            for (day, hour), score in cells.items():
                heat.append(HeatCell(channel=channel, weekday=day.number, hour=hour, score=score))

    # ---------------------------------------------------------------- anomalies
    holidays = _holidays(brand, year, locale or brand.locale)
    anomalies = _anomalies(accounts, items, texts, start, end, tz, holidays)

    # ---------------------------------------------------------------- paid
    paid = _paid(ads, planned, pacing, start, end, tz, now, currency, holidays)

    if paid is not None:
        kpis = [_paid_kpi(k, paid, by_target.get(k.name)) for k in kpis]
    report = MonthlyReport(
        brand=brand.name,
        locale=(locale or brand.locale).replace("_", "-"),
        currency=currency or (paid.currency if paid else _guess_currency(brand)),
        timezone=brand.timezone,
        year=year,
        month=mon,
        posts=len(in_month),
        kpis=tuple(kpis),
        growth=tuple(growth),
        top_posts=top,
        bottom_posts=bottom,
        heatmap=tuple(heat),
        anomalies=tuple(anomalies),
        paid=paid,
        competitors=tuple(competitors),
        unreadable_competitors=unreadable,
        community=community,
        influencers=tuple(influencers),
        generated_at=now,
    )
    return report.model_copy(update={"recommendations": recommend(report)})


def _paid_kpi(k: KpiLine, paid: PaidSection, target: KpiTarget | None) -> KpiLine:
    """ROAS and cost per result come from the ads when the posts do not have them."""
    if k.value is not None or k.name not in ("roas", "cpa"):
        return k
    spend = float(paid.spend.amount)
    revenue = sum(float(ln.revenue.amount) for ln in paid.lines if ln.revenue is not None)
    results = sum(ln.results or 0.0 for ln in paid.lines)
    value: float | None = None
    if k.name == "roas" and spend:
        value = revenue / spend
    elif k.name == "cpa" and results:
        value = spend / results
    line = k.model_copy(update={"value": value, "reason": None if value is not None else k.reason})
    return _with_target(line, target)


_T = TypeVar("_T")


def _checked(name: str, values: Iterable[object], kind: type[_T]) -> list[_T]:
    out: list[_T] = []
    for k, v in enumerate(values):
        if not isinstance(v, kind):
            raise ValidationError(f"{name}[{k}]", type(v).__name__, f"must be {kind.__name__}")
        out.append(v)
    return out


def _unreadable(values: object) -> tuple[str, ...]:
    from smmkit.audit import PresenceAudit

    if isinstance(values, PresenceAudit):
        return tuple(f"{c.owner} ({c.platform.value})" for c in values.unreadable)
    return ()


def _competitors(values: object) -> list[CompetitorStanding]:
    """Competitor standings (``analytics.compare_competitors``), or a presence audit
    (``audit.audit_presence``): one row per readable account and platform, ranked by engagement
    rate by followers on its platform (1 = best)."""
    from smmkit.audit import PresenceAudit

    if isinstance(values, PresenceAudit):
        rows = [c for c in values.channels if c.readable]
        out: list[CompetitorStanding] = []
        for c in rows:
            peers = [
                p.engagement_rate.value
                for p in rows
                if p.platform == c.platform and p.engagement_rate.value is not None
            ]
            er = c.engagement_rate.value
            rank = None if er is None else 1 + sum(1 for v in peers if v > er)
            out.append(
                CompetitorStanding(
                    name=c.owner,
                    platform=c.platform,
                    engagement_rate_by_followers=c.engagement_rate,
                    posts_per_week=c.cadence,
                    follower_growth_rate=c.growth,
                    share_of_voice=c.share_of_voice,
                    content_mix=c.format_mix or {},
                    rank_engagement=rank,
                )
            )
        return out
    if not isinstance(values, Iterable):
        raise ValidationError("competitors", type(values).__name__, "must be a list of standings")
    return _checked("competitors", values, CompetitorStanding)


def _influencers(values: object) -> list[InfluencerResult]:
    """``InfluencerResult`` rows, or the influencers engine's ``CampaignResults`` /
    ``CreatorResults`` (one row per creator)."""
    from smmkit.influencers import CampaignResults, CreatorResults

    if isinstance(values, CampaignResults):
        values = values.creators
    if not isinstance(values, Iterable):
        raise ValidationError("influencers", type(values).__name__, "must be a list of results")
    out: list[InfluencerResult] = []
    for k, v in enumerate(values):
        if isinstance(v, CreatorResults):
            v = InfluencerResult(
                name="@" + v.handle.lstrip("@"),
                posts=v.posts,
                reach=v.reach,
                engagements=v.engagements,
                clicks=v.clicks,
                conversions=v.conversions,
                cost=v.cost,
            )
        if not isinstance(v, InfluencerResult):
            raise ValidationError(
                f"influencers[{k}]", type(v).__name__, "must be InfluencerResult or CreatorResults"
            )
        out.append(v)
    return out


def _guess_currency(brand: Brand) -> str:
    from babel.numbers import get_territory_currencies

    if brand.country:
        found = get_territory_currencies(brand.country)
        if found:
            return str(found[0])
    return "EUR"


def _with_target(line: KpiLine, target: KpiTarget | None) -> KpiLine:
    if target is None:
        return line
    met = None if line.value is None else target.met_by(line.value)
    return line.model_copy(
        update={"target": target.target, "direction": target.direction, "met": met}
    )


def _growth(
    accounts: Iterable[AccountMetrics], start: datetime, end: datetime, tz: ZoneInfo
) -> list[ChannelGrowth]:
    by_channel: dict[str, list[AccountMetrics]] = defaultdict(list)
    for k, a in enumerate(accounts):
        if not isinstance(a, AccountMetrics):
            raise ValidationError(f"accounts[{k}]", type(a).__name__, "must be AccountMetrics")
        if a.followers is not None:
            by_channel[a.channel or a.account_id].append(a)
    out: list[ChannelGrowth] = []
    for channel in sorted(by_channel):
        rows = sorted(by_channel[channel], key=lambda a: a.measured_at)
        before = [a for a in rows if a.measured_at < start]
        during = [a for a in rows if start <= a.measured_at < end]
        if not during:
            continue
        daily: dict[date, int] = {}
        for a in during:
            assert a.followers is not None
            daily[a.measured_at.astimezone(tz).date()] = a.followers
        first = before[-1].followers if before else during[0].followers
        out.append(
            ChannelGrowth(
                channel=channel,
                start=first,
                end=during[-1].followers,
                series=tuple(sorted(daily.items())),
            )
        )
    return out


def _holidays(brand: Brand, year: int, locale: str) -> dict[date, str]:
    if not brand.country:
        return {}
    from smmkit.planner import public_holidays

    return public_holidays(brand.country, [year], region=brand.region, language=locale)


def _daily_series(
    accounts: Iterable[AccountMetrics], posts: list[PostMetrics], end: datetime, tz: ZoneInfo
) -> dict[tuple[str, str], dict[date, float]]:
    """Per (channel, metric): one value per local day up to ``end``. Accounts' daily reach where
    reported, else the engagements of the posts published that day."""
    series: dict[tuple[str, str], dict[date, float]] = defaultdict(dict)
    for a in accounts:
        if a.reach is not None and a.measured_at < end:
            series[(a.channel or a.account_id, "reach")][a.measured_at.astimezone(tz).date()] = (
                a.reach
            )
    have = {c for c, _ in series}
    for p in posts:
        channel = p.channel or p.platform.value
        if channel in have or p.published_at is None or p.published_at >= end:
            continue
        day = p.published_at.astimezone(tz).date()
        cell = series[(channel, "engagements")]
        cell[day] = cell.get(day, 0.0) + (p.engagements or 0)
    return series


def _anomalies(
    accounts: Iterable[AccountMetrics],
    posts: list[PostMetrics],
    texts: Mapping[str, str],
    start: datetime,
    end: datetime,
    tz: ZoneInfo,
    holidays: Mapping[date, str],
) -> list[AnomalyLine]:
    out: list[AnomalyLine] = []
    first, last = start.date(), (end - timedelta(days=1)).date()
    by_day: dict[date, list[PostMetrics]] = defaultdict(list)
    for p in posts:
        if p.published_at is not None:
            by_day[p.published_at.astimezone(tz).date()].append(p)
    for (channel, metric), daily in sorted(_daily_series(accounts, posts, end, tz).items()):
        days = sorted(daily)
        if len(days) < 28 or not any(first <= d <= last for d in days):
            continue
        values = [float(daily[d]) for d in days]
        flagged = _robust_flags(values, days, first, last)
        month_days = [d for d in days if first <= d <= last]
        month_vals = tuple(float(daily[d]) for d in month_days)
        for i, expected, score in flagged:
            day = days[i]
            near = [
                _line(p, texts)
                for k in (-1, 0, 1)
                for p in by_day.get(day + timedelta(days=k), [])
                if (p.channel or p.platform.value) == channel
            ]
            out.append(
                AnomalyLine(
                    channel=channel,
                    metric=metric,
                    day=day,
                    value=values[i],
                    expected=expected,
                    score=score,
                    series=month_vals,
                    index=month_days.index(day),
                    nearby_posts=tuple(near[:3]),
                    holiday=holidays.get(day),
                )
            )
    out.sort(key=lambda a: (-a.score, a.day, a.channel))
    return sorted(out[:6], key=lambda a: (a.day, a.channel))


_WINDOW = 28
_Z = 4.0


def _robust_flags(
    values: list[float], days: list[date], first: date, last: date
) -> list[tuple[int, float, float]]:
    """Days of the month that lie more than 4 robust standard deviations (1.4826 MAD over up to
    12 weeks) from the median of the 28 days before them: (index, expected, score in 0..1).

    The baseline is weekly-adjusted: each weekday's factor is the median of its days over up to
    12 weeks divided by their overall median, so a busy Saturday is compared with Saturdays. A
    flagged day is replaced by its expected value in later baselines, so one spike does not
    hide the next. O(days x 84)."""
    import numpy as np

    arr = np.asarray(values, dtype=np.float64)
    weekdays = np.array([d.weekday() for d in days])
    clean = arr.copy()
    out: list[tuple[int, float, float]] = []
    for i, day in enumerate(days):
        if not first <= day <= last or i < _WINDOW:
            continue
        window = clean[i - _WINDOW : i]
        wds = weekdays[i - _WINDOW : i]
        # Weekday factors from up to 12 weeks, so 4 points per weekday do not overfit.
        longer = clean[max(0, i - 3 * _WINDOW) : i]
        long_wds = weekdays[max(0, i - 3 * _WINDOW) : i]
        overall = float(np.median(longer))
        factor = np.ones(7)
        if overall > 0:
            for w in range(7):
                same = longer[long_wds == w]
                if len(same) >= 3:
                    factor[w] = max(float(np.median(same)) / overall, 1e-3)
        adjusted = window / factor[wds]
        med = float(np.median(adjusted))
        # The spread from the longer span too: 28 points give an unsteady MAD.
        long_adjusted = longer / factor[long_wds]
        mad = float(np.median(np.abs(long_adjusted - np.median(long_adjusted)))) * 1.4826
        scale = max(mad, 0.02 * abs(med), 1e-9)
        f = float(factor[weekdays[i]])
        z = (arr[i] / f - med) / scale
        if abs(z) > _Z:
            expected = med * f
            out.append((i, expected, min(1.0, abs(z) / (3 * _Z))))
            clean[i] = expected
    return out


def _paid(
    ads: Iterable[AdMetrics],
    planned: object,
    pacing: object,
    start: datetime,
    end: datetime,
    tz: ZoneInfo,
    now: datetime | None,
    currency: str | None,
    holidays: Mapping[date, str],
) -> PaidSection | None:
    from smmkit.budget import Allocation, PacingPlan

    plan: dict[str, Money] = {}
    if isinstance(planned, Allocation):
        plan = dict(planned.amounts)
    elif isinstance(planned, Mapping):
        plan = {str(k): v for k, v in planned.items()}
    spend: dict[str, Money] = {}
    spent_on: dict[date, float] = defaultdict(float)
    results: dict[str, float] = {}
    revenue: dict[str, Money] = {}
    for k, ad in enumerate(ads):
        if not isinstance(ad, AdMetrics):
            raise ValidationError(f"ads[{k}]", type(ad).__name__, "must be AdMetrics")
        when = ad.period_start or ad.measured_at
        if not start <= when < end:
            continue
        line = ad.channel or ad.campaign or ad.ad_id
        spend[line] = spend[line] + ad.spend if line in spend else ad.spend
        spent_on[when.astimezone(tz).date()] += float(ad.spend.amount)
        if ad.conversions is not None:
            results[line] = results.get(line, 0.0) + ad.conversions
        if ad.revenue is not None:
            revenue[line] = revenue[line] + ad.revenue if line in revenue else ad.revenue
    if not spend and not plan:
        return None
    currencies = {m.currency for m in (*spend.values(), *plan.values())}
    if len(currencies) > 1:
        raise ValidationError("ads", sorted(currencies), "spend and plan must share a currency")
    cur = currencies.pop() if currencies else (currency or "EUR")
    last_day = (end - timedelta(days=1)).date()
    as_of = min(last_day, (now or datetime.now(UTC)).astimezone(tz).date())
    if as_of < start.date():
        as_of = start.date()
    to_date: dict[str, Money] = {}
    paused: dict[date, str] = {}
    planned_on: dict[date, float] = defaultdict(float)
    if isinstance(pacing, PacingPlan):
        for d in pacing.days:
            planned_on[d.day] += float(d.amount.amount)
            if start.date() <= d.day <= as_of:
                to_date[d.line] = to_date[d.line] + d.amount if d.line in to_date else d.amount
            if d.holiday and start.date() <= d.day <= last_day:
                paused[d.day] = holidays.get(d.day, d.holiday)
    lines = [
        PaidLine(
            line=name,
            spend=spend.get(name, Money.zero(cur)),
            planned=plan.get(name),
            planned_to_date=to_date.get(name),
            results=results.get(name),
            revenue=revenue.get(name),
        )
        for name in sorted(set(spend) | set(plan))
    ]
    days = [start.date() + timedelta(days=i) for i in range((last_day - start.date()).days + 1)]
    return PaidSection(
        currency=cur,
        as_of=as_of,
        lines=tuple(lines),
        holidays=tuple(sorted(paused.items())),
        daily=tuple((d, planned_on.get(d, 0.0), spent_on.get(d, 0.0)) for d in days),
    )


def recommend(report: MonthlyReport) -> tuple[Recommendation, ...]:
    """Suggestions drawn from the report's findings, most pressing first (at most 6)."""
    out: list[Recommendation] = []
    for k in report.kpis:
        if k.met is False and k.value is not None and k.target is not None:
            out.append(
                Recommendation(kind="goal_missed", subject=k.name, rate=k.value, other=k.target)
            )
    if report.paid is not None:
        for ln in report.paid.lines:
            pace = ln.pace
            if pace is not None and pace > 1.15:
                out.append(Recommendation(kind="fast_pacing", subject=ln.line, rate=pace))
            elif pace is not None and pace < 0.85:
                out.append(Recommendation(kind="slow_pacing", subject=ln.line, rate=pace))
        with_roas = [(ln.roas, ln.line) for ln in report.paid.lines if ln.roas is not None]
        if len(with_roas) >= 2:
            best, worst = max(with_roas), min(with_roas)
            if best[0] > 1.25 * worst[0]:
                out.append(
                    Recommendation(
                        kind="shift_budget",
                        subject=best[1],
                        rate=best[0],
                        other=worst[0],
                    )
                )
    for a in report.anomalies:
        if a.direction == "drop":
            out.append(Recommendation(kind="look_at_drop", subject=a.channel, day=a.day))
            break
    if report.community is not None and report.community.target_minutes is not None:
        slow = [
            (minutes, cat)
            for cat, minutes in report.community.median_response_minutes.items()
            if minutes > report.community.target_minutes
        ]
        if slow:
            minutes, cat = max(slow)
            out.append(
                Recommendation(
                    kind="answer_faster",
                    subject=cat,
                    rate=minutes,
                    other=report.community.target_minutes,
                )
            )
    posts = [*report.top_posts, *report.bottom_posts]
    by_format: dict[str, list[float]] = defaultdict(list)
    for p in posts:
        if p.format and p.rate is not None:
            by_format[p.format].append(p.rate)
    if len(by_format) >= 2:
        means = {f: sum(v) / len(v) for f, v in by_format.items()}
        fmt = max(sorted(means), key=lambda f: means[f])
        overall = sum(r for v in by_format.values() for r in v) / sum(
            len(v) for v in by_format.values()
        )
        out.append(Recommendation(kind="best_format", subject=fmt, rate=means[fmt], other=overall))
    by_channel: dict[str, list[HeatCell]] = defaultdict(list)
    for c in report.heatmap:
        by_channel[c.channel].append(c)
    for channel in sorted(by_channel)[:2]:
        cell = max(by_channel[channel], key=lambda c: (c.score, -c.weekday, -c.hour))
        out.append(
            Recommendation(kind="best_time", subject=channel, weekday=cell.weekday, hour=cell.hour)
        )
    grown = [(g.rate, g.channel) for g in report.growth if g.rate is not None]
    if grown:
        rate, channel = max(grown)
        out.append(
            Recommendation(
                kind="keep_growing" if rate > 0 else "grow_channel", subject=channel, rate=rate
            )
        )
    return tuple(out[:6])
