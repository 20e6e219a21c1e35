"""The client's deliverables, in the brand's language: the monthly report (HTML, PDF,
Markdown) and the calendar for approval (XLSX, CSV, iCalendar).

Engines over plain data: ``monthly_report(brand, "2026-12", posts=..., accounts=..., ads=...)``
returns a :class:`MonthlyReport`; ``render_html``, ``render_markdown`` and ``render_pdf`` write it
in the report's locale (``locale=`` overrides). See ``docs/reports.md``.
"""

from ._build import REPORT_KPIS, monthly_report, parse_month, recommend
from ._calendar import calendar_csv, calendar_ics, calendar_rows, calendar_xlsx
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
from ._pdf import (
    CHROMIUM_ENV,
    RenderError,
    chromium_env,
    chromium_flags,
    find_chromium,
    html_to_pdf,
    render_pdf,
)
from ._render import render_html, render_markdown

__all__ = [
    "CHROMIUM_ENV",
    "REPORT_KPIS",
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
    "RenderError",
    "calendar_csv",
    "calendar_ics",
    "calendar_rows",
    "calendar_xlsx",
    "chromium_env",
    "chromium_flags",
    "find_chromium",
    "html_to_pdf",
    "monthly_report",
    "parse_month",
    "recommend",
    "render_html",
    "render_markdown",
    "render_pdf",
]
