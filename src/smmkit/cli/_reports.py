"""The client's deliverables from a workspace: the monthly report and the calendar to approve.

The engines (:mod:`smmkit.reports`) take plain data; this module reads it from the workspace:
the brand, the stored post and account metrics, the texts of the published variants, the ad
results, and the stored calendar with its variants' texts.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from smmkit.reports import CommunityStats, MonthlyReport
    from smmkit.workspace import Workspace

__all__ = ["CALENDAR_FORMATS", "REPORT_FORMATS", "calendar_file", "monthly_report", "report_file"]

REPORT_FORMATS = ("md", "html", "pdf")
CALENDAR_FORMATS = ("xlsx", "csv", "ics")


def monthly_report(
    ws: Workspace,
    month: str,
    *,
    brand: str | None = None,
    locale: str | None = None,
    now: datetime | None = None,
) -> MonthlyReport:
    """The month's report over what the workspace stores (``now``, default the workspace's
    clock, sets how far into the month paid pacing is measured)."""
    from smmkit.models import AccountMetrics
    from smmkit.reports import monthly_report as build

    brand_id = ws.brand_id(brand)
    setup = ws.setup(brand_id)
    with ws.store.read() as tx:
        accounts = [AccountMetrics.model_validate(s.data) for s in tx.account_snapshots(brand_id)]
        published = tx.published(brand_id=brand_id)
    variants = {v.id: v.text for v in ws.variants(brand=brand_id)}
    texts = {
        r.platform_post_id: variants[r.variant_id]
        for r in published
        if r.variant_id is not None and r.variant_id in variants
    }
    currency = next((c.budget.currency for c in setup.campaigns if c.budget is not None), None)
    moment = now or ws.now()
    return build(
        setup.brand,
        month,
        posts=ws.post_metrics(brand=brand_id),
        texts=texts,
        accounts=accounts,
        ads=ws.ad_metrics(brand=brand_id),
        locale=locale,
        currency=currency,
        now=moment,
        community=_community(ws, brand_id, month, moment),
    )


def _community(ws: Workspace, brand_id: str, month: str, now: datetime) -> CommunityStats | None:
    """The month's community figures from the stored inbox (``None`` without messages):
    conversations per category, the median first answer per category in minutes, the messages
    of the month still unanswered, and the brand's target (``[community]
    response_target_minutes``)."""
    from zoneinfo import ZoneInfo

    from smmkit.reports import CommunityStats, parse_month

    with ws.store.read() as tx:
        if not tx.inbox_count(brand_id):
            return None
    setup = ws.setup(brand_id)
    year, mon = parse_month(month)
    zone = ZoneInfo(setup.brand.timezone)
    start = datetime(year, mon, 1, tzinfo=zone)
    end = datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=zone)
    if start > now:
        return None
    last = min(end - timedelta(microseconds=1), now)
    stats = ws.response_times(brand=brand_id, since=start, now=last).total
    return CommunityStats(
        volume=stats.received_by_category,
        median_response_minutes={
            k: round(v / 60, 1) for k, v in stats.first_response_median_by_category_seconds.items()
        },
        target_minutes=setup.community.response_target_minutes,
        unanswered=stats.received - stats.answered,
    )


def report_file(report: MonthlyReport, fmt: str, *, locale: str | None = None) -> bytes:
    """The report as ``md``, ``html`` or ``pdf`` bytes."""
    from smmkit.errors import ValidationError
    from smmkit.reports import render_html, render_markdown, render_pdf

    if fmt == "md":
        return render_markdown(report, locale=locale).encode("utf-8")
    if fmt == "html":
        return render_html(report, locale=locale).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(report, locale=locale)
    raise ValidationError("--format", fmt, f"must be one of {', '.join(REPORT_FORMATS)}")


def calendar_file(
    ws: Workspace, fmt: str, *, brand: str | None = None, locale: str | None = None
) -> bytes:
    """The stored calendar for the client: ``xlsx``, ``csv`` (the locale's conventions) or
    ``ics``, with each slot's post text (its variant's, else its content item's)."""
    from smmkit.errors import ValidationError
    from smmkit.reports import calendar_csv, calendar_ics, calendar_xlsx

    if fmt not in CALENDAR_FORMATS:
        raise ValidationError("--format", fmt, f"must be one of {', '.join(CALENDAR_FORMATS)}")
    brand_id = ws.brand_id(brand)
    calendar = ws.calendar(brand=brand_id)
    texts: dict[str, str] = {}
    for v in ws.variants(brand=brand_id):
        if v.item_id is not None:
            texts.setdefault(v.item_id, v.text)
    if fmt == "xlsx":
        return calendar_xlsx(calendar, texts=texts, locale=locale)
    if fmt == "csv":
        return calendar_csv(calendar, texts=texts, locale=locale)
    return calendar_ics(calendar, texts=texts, locale=locale, stamp=ws.now())
