"""Reports: headline KPIs, top and bottom posts, pillar and format breakdown, best times,
anomalies and goal attainment, rendered to Markdown and to one self-contained HTML page (inline
SVG charts, inline CSS, no script, no external resource)."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime

from pydantic import Field

from smmkit._sinks import markdown_text
from smmkit.community import ResponseReport
from smmkit.errors import ValidationError
from smmkit.i18n import N_, Localizer
from smmkit.models import KpiTarget, PostMetrics, ValueModel, Weekday

from ._anomaly import Anomaly, AnomalySettings, detect_anomalies
from ._besttime import BestTimes, best_times
from ._compare import GoalAttainment, against_targets
from ._kpi import KPI_SPECS, KpiValue
from ._table import KpiTable, MetricsTable

__all__ = ["HEADLINE_KPIS", "MetricsReport", "PostSummary", "SeriesAnomalies", "build_report"]

HEADLINE_KPIS: tuple[str, ...] = (
    "engagement_rate_by_reach_mean",
    "engagement_rate_by_reach_pooled",
    "engagement_rate_by_impressions_pooled",
    "engagement_rate_by_followers_mean",
    "amplification_rate",
    "applause_rate",
    "conversation_rate",
    "virality_rate",
    "ctr",
    "video_completion_rate",
)
_RATE_KPI = "engagement_rate_by_reach_mean"

# Messages written inside f-strings below, marked here for the catalogs (the extractor does not
# read calls inside f-strings).
_MESSAGES = (
    N_("value"),
    N_("formula"),
    N_("group"),
    N_("posts"),
    N_("ER by reach (mean)"),
    N_("ER (pooled)"),
    N_("post"),
    N_("channel"),
    N_("pillar"),
    N_("format"),
    N_("engagements"),
    N_("ER by reach"),
    N_("target"),
    N_("actual"),
    N_("met"),
    N_("Headline KPIs"),
    N_("Best times to post"),
    N_("Anomalies"),
    N_("No anomaly flagged."),
    N_("Goals"),
    N_("No KPI targets given."),
    N_("Notes"),
    N_("n/a"),
    N_("best times heat map"),
    N_("no data"),
)


class PostSummary(ValueModel):
    post_id: str
    channel: str | None
    pillar: str | None
    format: str | None
    published_at: datetime | None
    engagements: int | None
    rate: float | None = Field(description="Engagements / reach of this post.")


class SeriesAnomalies(ValueModel):
    """Anomalies found in one series (e.g. one channel's engagement rate per post)."""

    name: str
    channel: str | None = Field(default=None, description="The channel the series belongs to.")
    points: int
    timestamps: tuple[datetime, ...]
    values: tuple[float, ...]
    anomalies: tuple[Anomaly, ...]
    notes: tuple[str, ...] = ()


class MetricsReport(ValueModel):
    """Everything a results review needs; render with ``to_markdown()`` or ``to_html()``."""

    title: str
    posts: int
    period_start: datetime | None
    period_end: datetime | None
    headline: tuple[KpiValue, ...]
    by_channel: KpiTable
    by_pillar: KpiTable
    by_format: KpiTable
    top_posts: tuple[PostSummary, ...]
    bottom_posts: tuple[PostSummary, ...]
    best_times: BestTimes
    anomalies: tuple[SeriesAnomalies, ...]
    goals: tuple[GoalAttainment, ...]
    notes: tuple[str, ...] = ()
    responses: ResponseReport | None = None
    """How the brand answers its community (:func:`smmkit.community.response_times`), when
    given: first-response times, response rate and backlog by age, per channel."""

    def headline_value(self, name: str) -> float | None:
        for k in self.headline:
            if k.name == name:
                return k.value
        raise KeyError(name)

    # ------------------------------------------------------------------ Markdown
    def to_markdown(self, *, locale: str | None = None) -> str:
        """The report in Markdown. Every text that comes from data (title, channel, pillar and
        format names, post ids, reasons, notes) is written with :func:`smmkit._sinks.markdown_text`:
        one line, HTML special characters as entities, ``[``, ``]`` and ``|`` escaped, so no raw
        HTML, link or extra table column can come from a post or a client.

        ``locale`` (default English) picks the language of the headings and labels (message
        catalogs) and the number and date formats; engine notes and anomaly reasons stay as
        written."""
        from smmkit.i18n import localizer

        loc = localizer(locale or "en")
        _ = loc._
        f = _Fmt(loc, plain=locale is None)
        md = markdown_text
        out: list[str] = [f"# {md(self.title)}", ""]
        out.append(f.posts_span(self.posts, self.period_start, self.period_end))
        out += [
            "",
            "## " + _("Headline KPIs"),
            "",
            f"| KPI | {_('value')} | {_('formula')} |",
            "|---|---|---|",
        ]
        for k in self.headline:
            out.append(f"| {md(f.kpi_name(k))} | {md(f.kpi(k))} | {md(f.formula(k))} |")
        for title, table in (
            (_("By channel"), self.by_channel),
            (_("By pillar"), self.by_pillar),
            (_("By format"), self.by_format),
        ):
            out += [
                "",
                f"## {title}",
                "",
                f"| {_('group')} | {_('posts')} | {_('ER by reach (mean)')} | {_('ER (pooled)')} |",
                "|---|---|---|---|",
            ]
            for row in table.rows:
                shown = [f.value(v) for v in row.key.values() if v is not None]
                label = " / ".join(shown) or _("(none)")
                out.append(
                    f"| {md(label)} | {row.posts} | {md(f.kpi(row.kpis[_RATE_KPI]))} | "
                    f"{md(f.kpi(row.kpis['engagement_rate_by_reach_pooled']))} |"
                )
        for title, posts in (
            (_("Top posts"), self.top_posts),
            (_("Bottom posts"), self.bottom_posts),
        ):
            out += [
                "",
                f"## {title}",
                "",
                f"| {_('post')} | {_('channel')} | {_('pillar')} | {_('format')} | "
                f"{_('engagements')} | {_('ER by reach')} |",
                "|---|---|---|---|---|---|",
            ]
            for p in posts:
                eng = p.engagements if p.engagements is not None else "-"
                out.append(
                    f"| {md(p.post_id)} | {md(p.channel or '-')} | {md(p.pillar or '-')} | "
                    f"{md(f.value(p.format) if p.format else '-')} | {eng} | {f.pct(p.rate)} |"
                )
        out += ["", "## " + _("Best times to post"), ""]
        for channel in self.best_times.scores:
            top = self.best_times.top(channel, 3)
            out.append(
                f"- **{md(channel)}**: "
                + ", ".join(f"{f.day(d)} {h:02d}:00 ({f.pct(s)})" for d, h, s in top)
            )
        out += ["", "## " + _("Anomalies"), ""]
        found = False
        for series in self.anomalies:
            for a in series.anomalies:
                found = True
                out.append(
                    f"- {md(f.series(series))}: {f.ts(a.timestamp)} "
                    + _("value {value} (score {score})", value=f.num(a.value), score=f.score(a))
                    + f.why(a.reason, md)
                )
        if not found:
            out.append(_("No anomaly flagged."))
        out += ["", "## " + _("Goals"), ""]
        if self.goals:
            out += [
                f"| KPI | {_('target')} | {_('actual')} | {_('met')} |",
                "|---|---|---|---|",
            ]
            for g in self.goals:
                sign = ">=" if g.direction == "at_least" else "<="
                met = f.na(g.reason) if g.met is None else (_("yes") if g.met else _("no"))
                actual = "-" if g.actual is None else f.goal(g.kpi, g.actual)
                out.append(
                    f"| {md(f.goal_name(g.kpi))} | {sign} {f.goal(g.kpi, g.target, True)} | "
                    f"{actual} | {md(met)} |"
                )
        else:
            out.append(_("No KPI targets given."))
        if self.responses is not None:
            head, rows = _response_table(self.responses, f)
            out += ["", "## " + _("Community: response times"), ""]
            out.append(f.responses_note(self.responses))
            out += ["", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
            out += ["| " + " | ".join(md(c) for c in row) + " |" for row in rows]
        if self.notes and f.plain:
            out += ["", "## " + _("Notes"), ""] + [f"- {md(n)}" for n in self.notes]
        return "\n".join(out) + "\n"

    # ------------------------------------------------------------------ HTML
    def to_html(self, *, locale: str | None = None) -> str:
        """The report as one self-contained HTML page; ``locale`` as in :meth:`to_markdown`."""
        from smmkit.i18n import localizer

        loc = localizer(locale or "en")
        _ = loc._
        f = _Fmt(loc, plain=locale is None)
        e = html.escape
        lang = "en" if locale is None else loc.tag
        parts: list[str] = [
            "<!DOCTYPE html>",
            f'<html lang="{e(lang)}"><head><meta charset="utf-8">',
            f"<title>{e(self.title)}</title>",
            "<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px;color:#222}"
            "table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;"
            "padding:.25rem .5rem;text-align:left}th{background:#f3f3f3}.met{color:#176317}"
            ".miss{color:#a11}svg{display:block;margin:.5rem 0}</style></head><body>",
            f"<h1>{e(self.title)}</h1>",
            f"<p>{e(f.posts_span(self.posts, self.period_start, self.period_end))}</p>",
            f"<h2>{e(_('Headline KPIs'))}</h2><table><tr><th>KPI</th><th>{e(_('value'))}</th>"
            f"<th>{e(_('formula'))}</th></tr>",
        ]
        for k in self.headline:
            parts.append(
                f"<tr><td>{e(f.kpi_name(k))}</td><td>{e(f.kpi(k))}</td>"
                f"<td>{e(f.formula(k))}</td></tr>"
            )
        parts.append("</table>")
        for title, table in (
            (_("By channel"), self.by_channel),
            (_("By pillar"), self.by_pillar),
            (_("By format"), self.by_format),
        ):
            bars = [
                (
                    " / ".join(f.value(v) for v in r.key.values() if v is not None) or _("(none)"),
                    r.kpis[_RATE_KPI].value,
                )
                for r in table.rows
            ]
            parts.append(f"<h2>{e(title)}</h2>")
            parts.append(_svg_bars(bars, _("engagement rate by reach (mean of ratios)"), f))
        for title, posts in (
            (_("Top posts"), self.top_posts),
            (_("Bottom posts"), self.bottom_posts),
        ):
            parts.append(
                f"<h2>{e(title)}</h2><table><tr><th>{e(_('post'))}</th>"
                f"<th>{e(_('channel'))}</th><th>{e(_('pillar'))}</th><th>{e(_('format'))}</th>"
                f"<th>{e(_('engagements'))}</th><th>{e(_('ER by reach'))}</th></tr>"
            )
            for p in posts:
                parts.append(
                    f"<tr><td>{e(p.post_id)}</td><td>{e(p.channel or '-')}</td>"
                    f"<td>{e(p.pillar or '-')}</td>"
                    f"<td>{e(f.value(p.format) if p.format else '-')}</td>"
                    f"<td>{p.engagements if p.engagements is not None else '-'}</td>"
                    f"<td>{e(f.pct(p.rate))}</td></tr>"
                )
            parts.append("</table>")
        parts.append(f"<h2>{e(_('Best times to post'))}</h2>")
        for channel, cells in self.best_times.scores.items():
            parts.append(f"<h3>{e(channel)}</h3>")
            parts.append(_svg_heatmap(cells, f))
        parts.append(f"<h2>{e(_('Anomalies'))}</h2>")
        for series in self.anomalies:
            parts.append(f"<h3>{e(f.series(series))}</h3>")
            parts.append(_svg_line(series, f.series(series), reasons=f.plain))
            if series.anomalies:
                parts.append(
                    "<ul>"
                    + "".join(
                        f"<li>{e(f.ts(a.timestamp))}: "
                        + e(
                            _(
                                "value {value}, score {score}",
                                value=f.num(a.value),
                                score=f.score(a),
                            )
                        )
                        + f.why(a.reason, e)
                        + "</li>"
                        for a in series.anomalies
                    )
                    + "</ul>"
                )
            else:
                parts.append(f"<p>{e(_('No anomaly flagged.'))}</p>")
        parts.append(f"<h2>{e(_('Goals'))}</h2>")
        if self.goals:
            parts.append(
                f"<table><tr><th>KPI</th><th>{e(_('target'))}</th><th>{e(_('actual'))}</th>"
                f"<th>{e(_('met'))}</th></tr>"
            )
            for g in self.goals:
                sign = "&ge;" if g.direction == "at_least" else "&le;"
                cls = "met" if g.met else "miss"
                met = (
                    e(f.na(g.reason, colon=True))
                    if g.met is None
                    else e(_("yes") if g.met else _("no"))
                )
                actual = "-" if g.actual is None else f.goal(g.kpi, g.actual)
                parts.append(
                    f"<tr><td>{e(f.goal_name(g.kpi))}</td>"
                    f"<td>{sign} {e(f.goal(g.kpi, g.target, True))}</td>"
                    f'<td>{e(actual)}</td><td class="{cls}">{met}</td></tr>'
                )
            parts.append("</table>")
        else:
            parts.append(f"<p>{e(_('No KPI targets given.'))}</p>")
        if self.responses is not None:
            head, rows = _response_table(self.responses, f)
            parts.append(f"<h2>{e(_('Community: response times'))}</h2>")
            parts.append(f"<p>{e(f.responses_note(self.responses))}</p>")
            parts.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>")
            parts += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows]
            parts.append("</table>")
        if self.notes and f.plain:
            parts.append(
                f"<h2>{e(_('Notes'))}</h2><ul>"
                + "".join(f"<li>{e(n)}</li>" for n in self.notes)
                + "</ul>"
            )
        parts.append("</body></html>")
        return "\n".join(parts) + "\n"


class _Fmt:
    """Numbers, dates and weekday names for the report: Python's formats in the default English
    rendering (the report's historic output), Babel's for a ``locale``."""

    def __init__(self, loc: Localizer, *, plain: bool) -> None:
        self.loc, self.plain = loc, plain

    def posts_span(self, n: int, a: datetime | None, b: datetime | None) -> str:
        _ = self.loc._
        if a is None or b is None:
            span = _("no dated posts")
        else:
            if self.plain:
                first, last = a.date().isoformat(), b.date().isoformat()
            else:
                first, last = self.loc.date(a.date(), "medium"), self.loc.date(b.date(), "medium")
            span = _("{start} to {end}", start=first, end=last)
        if self.plain:
            return _("{n} posts, {span}.", n=n, span=span)
        return self.loc.n_("{n} post, {span}.", "{n} posts, {span}.", n, span=span)

    def pct(self, v: float | None) -> str:
        if v is None:
            return "-"
        return f"{v:.2%}" if self.plain else self.loc.percent(v)

    def num(self, v: float) -> str:
        if self.plain:
            return f"{v:.4g}"
        return self.loc.number(v, 4 if abs(v) < 1 else 2)

    def score(self, a: Anomaly) -> str:
        return f"{a.score:.2f}" if self.plain else self.loc.number(a.score, 2)

    def ts(self, t: datetime | float) -> str:
        if not isinstance(t, datetime):
            return f"{t:g}"
        if self.plain:
            return f"{t:%Y-%m-%d %H:%M %Z}".strip()
        return f"{self.loc.date(t.date(), 'medium')} {self.loc.time(t)} {t:%Z}".strip()

    def day(self, d: Weekday) -> str:
        return d.value if self.plain else self.loc.weekday(d.number, "abbreviated")

    def goal_name(self, kpi: str) -> str:
        from smmkit.i18n import kpi_label

        from ._kpi import KPI_ALIASES

        return kpi if self.plain else kpi_label(self.loc, KPI_ALIASES.get(kpi, kpi))

    def goal(self, kpi: str, v: float, target: bool = False) -> str:
        """A goal's target or actual value: a percentage for a rate KPI in a locale."""
        if self.plain:
            return f"{v:g}" if target else f"{v:.4g}"
        if kpi in ("cpc", "cpm", "cpa", "roas", "average_watch_time_seconds"):
            return self.loc.number(v, 2)
        return self.loc.percent(v)

    def na(self, reason: str | None, *, colon: bool = False) -> str:
        """ "n/a" with the engine's reason (English) in plain mode; alone in a locale."""
        _ = self.loc._
        if not self.plain:
            return _("n/a")
        if colon:
            return _("n/a: {reason}", reason=reason or "")
        return _("n/a ({reason})", reason=reason or "")

    def why(self, reason: str, escape: Callable[[str], str]) -> str:
        """ ": <the detector's reason>" in plain mode; nothing in a locale (the detector explains
        itself in English only)."""
        return f": {escape(reason)}" if self.plain else ""

    def duration(self, seconds: float | None) -> str:
        """A response time: minutes under an hour, hours under two days, else days."""
        if seconds is None:
            return "-"
        _ = self.loc._
        if seconds < 3600:
            value, digits = seconds / 60, 0
        elif seconds < 2 * 86400:
            value, digits = seconds / 3600, 1
        else:
            value, digits = seconds / 86400, 1
        local = self.loc.number(round(value, digits), digits) if not self.plain else ""
        n = f"{value:.{digits}f}" if self.plain else local
        if seconds < 3600:
            return _("{n} min", n=n)
        return _("{n} h", n=n) if seconds < 2 * 86400 else _("{n} d", n=n)

    def responses_note(self, report: ResponseReport) -> str:
        _ = self.loc._
        when = self.ts(report.now)
        if report.since is None:
            return _("Measured at {now}; the backlog is every message still waiting.", now=when)
        return _(
            "Messages from {since} to {now}; the backlog is every message still waiting.",
            since=self.ts(report.since),
            now=when,
        )

    def series(self, s: SeriesAnomalies) -> str:
        if self.plain or s.channel is None:
            return s.name
        return self.loc._("{channel}: engagement rate by reach per post", channel=s.channel)

    def value(self, v: object) -> str:
        """A format, status or objective value by its display name (as is in plain mode)."""
        from smmkit.i18n import label

        return str(v) if self.plain else label(self.loc, v)

    def kpi_name(self, k: KpiValue) -> str:
        from smmkit.i18n import kpi_label

        return k.name if self.plain else kpi_label(self.loc, k.name)

    def formula(self, k: KpiValue) -> str:
        """The engine's formula in plain mode; else the formula in words, in the language."""
        from smmkit.i18n import metric_label

        spec = KPI_SPECS.get(k.name)
        if self.plain or spec is None:
            return k.formula
        _ = self.loc._
        num = metric_label(self.loc, spec.numerator)
        den = metric_label(self.loc, spec.denominator)
        if spec.kind == "pooled":
            return _("total {numerator} ÷ total {denominator}", numerator=num, denominator=den)
        return _("{numerator} ÷ {denominator}, averaged over posts", numerator=num, denominator=den)

    def kpi(self, k: KpiValue) -> str:
        if k.value is None:
            return self.na(k.reason)
        if k.name in ("cpc", "cpm", "cpa", "roas", "average_watch_time_seconds"):
            return f"{k.value:.4g}" if self.plain else self.loc.number(k.value, 2)
        return self.pct(k.value)


def _svg_bars(bars: Sequence[tuple[str, float | None]], caption: str, f: _Fmt) -> str:
    e = html.escape
    width, row = 640, 22
    vals = [v for _, v in bars if v is not None]
    top = max(vals) if vals else 1.0
    top = top or 1.0
    h = row * max(len(bars), 1) + 24
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" '
        f'role="img" aria-label="{e(caption)}">'
    ]
    for i, (label, v) in enumerate(bars):
        y = i * row + 4
        out.append(f'<text x="0" y="{y + 14}" font-size="12">{e(label[:28])}</text>')
        if v is None:
            na = html.escape(f.loc._("n/a"))
            out.append(f'<text x="200" y="{y + 14}" font-size="12" fill="#888">{na}</text>')
            continue
        w = max(1.0, 360 * v / top)
        out.append(f'<rect x="200" y="{y}" width="{w:.1f}" height="{row - 6}" fill="#3b7dd8"/>')
        out.append(f'<text x="{205 + w:.1f}" y="{y + 14}" font-size="12">{f.pct(v)}</text>')
    out.append(f'<text x="0" y="{h - 4}" font-size="11" fill="#666">{e(caption)}</text></svg>')
    return "".join(out)


def _svg_heatmap(cells: Mapping[tuple[Weekday, int], float], f: _Fmt) -> str:
    size, left, topm = 22, 40, 16
    vals = list(cells.values())
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    span = (hi - lo) or 1.0
    w, h = left + 24 * size, topm + 7 * size + 4
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" '
        f'aria-label="{html.escape(f.loc._("best times heat map"))}">'
    ]
    for hour in range(0, 24, 3):
        out.append(f'<text x="{left + hour * size + 2}" y="11" font-size="10">{hour:02d}</text>')
    for d_i, day in enumerate(Weekday):
        y = topm + d_i * size
        name = html.escape(f.day(day))
        out.append(f'<text x="0" y="{y + 15}" font-size="11">{name}</text>')
        for hour in range(24):
            v = cells.get((day, hour))
            if v is None:
                fill = "#f4f4f4"
                title = html.escape(f"{f.day(day)} {hour:02d}:00: " + f.loc._("no data"))
            else:
                t = (v - lo) / span
                g = int(235 - 150 * t)
                fill = f"rgb({int(245 - 200 * t)},{g},{int(255 - 60 * t)})"
                title = html.escape(f"{f.day(day)} {hour:02d}:00: {f.pct(v)}")
            out.append(
                f'<rect x="{left + hour * size}" y="{y}" width="{size - 2}" '
                f'height="{size - 2}" fill="{fill}"><title>{title}</title></rect>'
            )
    out.append("</svg>")
    return "".join(out)


def _svg_line(series: SeriesAnomalies, name: str, *, reasons: bool = True) -> str:
    w, h, pad = 640, 160, 8
    vals = series.values
    if not vals:
        return "<p>No data.</p>"
    lo, hi = min(vals), max(vals)
    span = (hi - lo) or 1.0
    n = len(vals)

    def xy(i: int, v: float) -> tuple[float, float]:
        x = pad + (w - 2 * pad) * (i / max(n - 1, 1))
        y = h - pad - (h - 2 * pad) * ((v - lo) / span)
        return x, y

    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in enumerate(vals)))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" '
        f'aria-label="{html.escape(name)}">',
        f'<polyline fill="none" stroke="#3b7dd8" stroke-width="1.5" points="{pts}"/>',
    ]
    for a in series.anomalies:
        if 0 <= a.index < n:
            x, y = xy(a.index, vals[a.index])
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#d33">'
                f"<title>{html.escape(a.reason if reasons else name)}</title></circle>"
            )
    out.append("</svg>")
    return "".join(out)


_AGE_LABELS = {
    "UNDER_1H": N_("waiting under 1 hour"),
    "FROM_1H_TO_4H": N_("waiting 1 to 4 hours"),
    "FROM_4H_TO_24H": N_("waiting 4 to 24 hours"),
    "FROM_1D_TO_3D": N_("waiting 1 to 3 days"),
    "OVER_3D": N_("waiting over 3 days"),
}
"""The backlog's age buckets as column titles (by :class:`~smmkit.community.AgeBucket` name)."""


def _response_table(report: ResponseReport, f: _Fmt) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the response-times table (per channel, then all channels)."""
    from smmkit.community import AgeBucket

    _ = f.loc._
    head = [
        _("channel"),
        _("answered"),
        _("response rate"),
        _("first response (median)"),
        _("first response (90th percentile)"),
        _("waiting"),
        *[_(_AGE_LABELS[b.name]) for b in AgeBucket],
    ]
    rows: list[list[str]] = []
    named = [(c.channel, c) for c in report.channels]
    for name, stats in [*named, (_("all channels"), report.total)]:
        rows.append(
            [
                name,
                f"{stats.answered}/{stats.received}",
                f.pct(stats.response_rate),
                f.duration(stats.first_response_median_seconds),
                f.duration(stats.first_response_p90_seconds),
                str(stats.backlog),
                *[str(stats.backlog_by_age[b]) for b in AgeBucket],
            ]
        )
    return head, rows


def _summary(p: PostMetrics) -> PostSummary:
    eng = p.engagements
    rate = eng / p.reach if eng is not None and p.reach else None
    return PostSummary(
        post_id=p.post_id,
        channel=p.channel,
        pillar=p.pillar,
        format=p.format,
        published_at=p.published_at,
        engagements=eng,
        rate=rate,
    )


def build_report(
    posts: Iterable[PostMetrics],
    *,
    title: str = "Social media results",
    timezones: Mapping[str, str] | str = "UTC",
    targets: Iterable[KpiTarget] = (),
    top_n: int = 5,
    anomaly_settings: AnomalySettings | None = None,
    min_count: int = 1,
    responses: ResponseReport | None = None,
) -> MetricsReport:
    """Build the report from post metrics (the latest measurement of each post is used).

    Anomalies are searched in each channel's per-post engagement rate by reach, in publication
    order (a channel needs at least 10 dated posts with reach; shorter series are noted). The
    default settings for these short, irregular series: no seasonality, no novelty rule, a level
    window of 5 posts, warm-up of a fifth of the series (at least 8 posts), cooldown of 2 posts,
    no local-record rule, a floor of 0.05 on the surprise's standard deviation.

    ``responses`` (from :func:`smmkit.community.response_times`) adds the community section:
    response times, response rate and backlog by age, per channel.
    """
    if top_n < 1:
        raise ValidationError("top_n", top_n, "must be at least 1")
    latest: dict[tuple[str | None, str], PostMetrics] = {}
    for k, p in enumerate(posts):
        if not isinstance(p, PostMetrics):
            raise ValidationError(f"posts[{k}]", type(p).__name__, "must be PostMetrics")
        key = (p.channel, p.post_id)
        if key not in latest or p.measured_at >= latest[key].measured_at:
            latest[key] = p
    items = sorted(latest.values(), key=lambda p: (p.published_at or p.measured_at, p.post_id))
    notes: list[str] = []
    table = MetricsTable.from_records(items)
    headline_row = table.kpis(HEADLINE_KPIS)
    headline = (
        tuple(headline_row.rows[0].kpis[k] for k in HEADLINE_KPIS)
        if len(table)
        else tuple(KpiValue(name=k, reason="no posts") for k in HEADLINE_KPIS)
    )
    names = list(HEADLINE_KPIS)
    ranked = [p for p in items if p.engagements is not None and p.reach]
    ranked.sort(key=lambda p: (-(p.engagements or 0) / (p.reach or 1), p.post_id))
    if len(ranked) < len(items):
        notes.append(
            f"{len(items) - len(ranked)} post(s) without reach or engagements are left "
            "out of the top/bottom ranking"
        )
    top = tuple(_summary(p) for p in ranked[:top_n])
    bottom = tuple(_summary(p) for p in reversed(ranked[-top_n:])) if ranked else ()
    bt = best_times(items, timezones=timezones, min_count=min_count)
    series: list[SeriesAnomalies] = []
    by_channel: dict[str, list[PostMetrics]] = {}
    for p in ranked:
        if p.published_at is not None:
            by_channel.setdefault(p.channel or p.platform.value, []).append(p)
    for channel in sorted(by_channel):
        ps = sorted(by_channel[channel], key=lambda p: (p.published_at, p.post_id))
        ts: list[datetime] = []
        vals: list[float] = []
        for p in ps:
            assert p.published_at is not None
            if ts and p.published_at <= ts[-1]:
                continue  # two posts at the same instant: keep the first
            ts.append(p.published_at)
            vals.append((p.engagements or 0) / (p.reach or 1))
        if len(vals) < 10:
            notes.append(
                f"{channel}: {len(vals)} dated posts, too few for anomaly detection (needs 10)"
            )
            continue
        settings = anomaly_settings or AnomalySettings(
            seasonal=False,
            novelty_score=0.0,
            level_window=5,
            warmup=max(8, len(vals) // 5),
            cooldown=2,
            score_unscaled=False,
            min_sd=0.05,
            record_window=0,
        )
        res = detect_anomalies(ts, vals, settings)
        series.append(
            SeriesAnomalies(
                name=f"{channel}: engagement rate by reach per post",
                channel=channel,
                points=len(vals),
                timestamps=tuple(ts),
                values=tuple(vals),
                anomalies=res.anomalies,
                notes=res.notes,
            )
        )
    overall = {k.name: k for k in headline}
    goals = tuple(against_targets(overall, targets))
    dated = [p.published_at for p in items if p.published_at is not None]
    return MetricsReport(
        title=title,
        posts=len(items),
        period_start=min(dated) if dated else None,
        period_end=max(dated) if dated else None,
        headline=headline,
        by_channel=table.kpis(names, by=["channel"]),
        by_pillar=table.kpis(names, by=["pillar"]),
        by_format=table.kpis(names, by=["format"]),
        top_posts=top,
        bottom_posts=bottom,
        best_times=bt,
        anomalies=tuple(series),
        goals=goals,
        notes=tuple(notes),
        responses=responses,
    )
