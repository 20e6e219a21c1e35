"""Reports: headline KPIs, top and bottom posts, pillar and format breakdown, best times,
anomalies and goal attainment, rendered to Markdown and to one self-contained HTML page (inline
SVG charts, inline CSS, no script, no external resource)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from pydantic import Field

from smmkit._sinks import markdown_text
from smmkit.errors import ValidationError
from smmkit.models import KpiTarget, PostMetrics, ValueModel, Weekday

from ._anomaly import Anomaly, AnomalySettings, detect_anomalies
from ._besttime import BestTimes, best_times
from ._compare import GoalAttainment, against_targets
from ._kpi import KpiValue
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

    def headline_value(self, name: str) -> float | None:
        for k in self.headline:
            if k.name == name:
                return k.value
        raise KeyError(name)

    # ------------------------------------------------------------------ Markdown
    def to_markdown(self) -> str:
        """The report in Markdown. Every text that comes from data (title, channel, pillar and
        format names, post ids, reasons, notes) is written with :func:`smmkit._sinks.markdown_text`:
        one line, HTML special characters as entities, ``[``, ``]`` and ``|`` escaped, so no raw
        HTML, link or extra table column can come from a post or a client."""
        md = markdown_text
        out: list[str] = [f"# {md(self.title)}", ""]
        out.append(f"{self.posts} posts, {_span(self.period_start, self.period_end)}.")
        out += ["", "## Headline KPIs", "", "| KPI | value | formula |", "|---|---|---|"]
        for k in self.headline:
            out.append(f"| {md(k.name)} | {md(_fmt_kpi(k))} | {md(k.formula)} |")
        for title, table in (
            ("By channel", self.by_channel),
            ("By pillar", self.by_pillar),
            ("By format", self.by_format),
        ):
            out += [
                "",
                f"## {title}",
                "",
                "| group | posts | ER by reach (mean) | ER (pooled) |",
                "|---|---|---|---|",
            ]
            for row in table.rows:
                label = " / ".join(str(v) for v in row.key.values() if v is not None) or "(none)"
                out.append(
                    f"| {md(label)} | {row.posts} | {md(_fmt_kpi(row.kpis[_RATE_KPI]))} | "
                    f"{md(_fmt_kpi(row.kpis['engagement_rate_by_reach_pooled']))} |"
                )
        for title, posts in (("Top posts", self.top_posts), ("Bottom posts", self.bottom_posts)):
            out += [
                "",
                f"## {title}",
                "",
                "| post | channel | pillar | format | engagements | ER by reach |",
                "|---|---|---|---|---|---|",
            ]
            for p in posts:
                eng = p.engagements if p.engagements is not None else "-"
                out.append(
                    f"| {md(p.post_id)} | {md(p.channel or '-')} | {md(p.pillar or '-')} | "
                    f"{md(p.format or '-')} | {eng} | {_pct(p.rate)} |"
                )
        out += ["", "## Best times to post", ""]
        for channel in self.best_times.scores:
            top = self.best_times.top(channel, 3)
            out.append(
                f"- **{md(channel)}**: "
                + ", ".join(f"{d.value} {h:02d}:00 ({_pct(s)})" for d, h, s in top)
            )
        out += ["", "## Anomalies", ""]
        found = False
        for series in self.anomalies:
            for a in series.anomalies:
                found = True
                out.append(
                    f"- {md(series.name)}: {_ts(a.timestamp)} value {a.value:.4g} "
                    f"(score {a.score:.2f}): {md(a.reason)}"
                )
        if not found:
            out.append("No anomaly flagged.")
        out += ["", "## Goals", ""]
        if self.goals:
            out += ["| KPI | target | actual | met |", "|---|---|---|---|"]
            for g in self.goals:
                sign = ">=" if g.direction == "at_least" else "<="
                met = (
                    "n/a (" + (g.reason or "") + ")"
                    if g.met is None
                    else ("yes" if g.met else "no")
                )
                actual = "-" if g.actual is None else f"{g.actual:.4g}"
                out.append(f"| {md(g.kpi)} | {sign} {g.target:g} | {actual} | {md(met)} |")
        else:
            out.append("No KPI targets given.")
        if self.notes:
            out += ["", "## Notes", ""] + [f"- {md(n)}" for n in self.notes]
        return "\n".join(out) + "\n"

    # ------------------------------------------------------------------ HTML
    def to_html(self) -> str:
        e = html.escape
        parts: list[str] = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{e(self.title)}</title>",
            "<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px;color:#222}"
            "table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;"
            "padding:.25rem .5rem;text-align:left}th{background:#f3f3f3}.met{color:#176317}"
            ".miss{color:#a11}svg{display:block;margin:.5rem 0}</style></head><body>",
            f"<h1>{e(self.title)}</h1>",
            f"<p>{self.posts} posts, {e(_span(self.period_start, self.period_end))}.</p>",
            "<h2>Headline KPIs</h2><table><tr><th>KPI</th><th>value</th><th>formula</th></tr>",
        ]
        for k in self.headline:
            parts.append(
                f"<tr><td>{e(k.name)}</td><td>{e(_fmt_kpi(k))}</td><td>{e(k.formula)}</td></tr>"
            )
        parts.append("</table>")
        for title, table in (
            ("By channel", self.by_channel),
            ("By pillar", self.by_pillar),
            ("By format", self.by_format),
        ):
            bars = [
                (
                    " / ".join(str(v) for v in r.key.values() if v is not None) or "(none)",
                    r.kpis[_RATE_KPI].value,
                )
                for r in table.rows
            ]
            parts.append(f"<h2>{e(title)}</h2>")
            parts.append(_svg_bars(bars, "engagement rate by reach (mean of ratios)"))
        for title, posts in (("Top posts", self.top_posts), ("Bottom posts", self.bottom_posts)):
            parts.append(
                f"<h2>{e(title)}</h2><table><tr><th>post</th><th>channel</th>"
                "<th>pillar</th><th>format</th><th>engagements</th>"
                "<th>ER by reach</th></tr>"
            )
            for p in posts:
                parts.append(
                    f"<tr><td>{e(p.post_id)}</td><td>{e(p.channel or '-')}</td>"
                    f"<td>{e(p.pillar or '-')}</td><td>{e(p.format or '-')}</td>"
                    f"<td>{p.engagements if p.engagements is not None else '-'}</td>"
                    f"<td>{e(_pct(p.rate))}</td></tr>"
                )
            parts.append("</table>")
        parts.append("<h2>Best times to post</h2>")
        for channel, cells in self.best_times.scores.items():
            parts.append(f"<h3>{e(channel)}</h3>")
            parts.append(_svg_heatmap(cells))
        parts.append("<h2>Anomalies</h2>")
        for series in self.anomalies:
            parts.append(f"<h3>{e(series.name)}</h3>")
            parts.append(_svg_line(series))
            if series.anomalies:
                parts.append(
                    "<ul>"
                    + "".join(
                        f"<li>{e(_ts(a.timestamp))}: value {a.value:.4g}, score {a.score:.2f}: "
                        f"{e(a.reason)}</li>"
                        for a in series.anomalies
                    )
                    + "</ul>"
                )
            else:
                parts.append("<p>No anomaly flagged.</p>")
        parts.append("<h2>Goals</h2>")
        if self.goals:
            parts.append("<table><tr><th>KPI</th><th>target</th><th>actual</th><th>met</th></tr>")
            for g in self.goals:
                sign = "&ge;" if g.direction == "at_least" else "&le;"
                cls = "met" if g.met else "miss"
                met = e("n/a: " + (g.reason or "")) if g.met is None else ("yes" if g.met else "no")
                actual = "-" if g.actual is None else f"{g.actual:.4g}"
                parts.append(
                    f"<tr><td>{e(g.kpi)}</td><td>{sign} {g.target:g}</td>"
                    f'<td>{actual}</td><td class="{cls}">{met}</td></tr>'
                )
            parts.append("</table>")
        else:
            parts.append("<p>No KPI targets given.</p>")
        if self.notes:
            parts.append(
                "<h2>Notes</h2><ul>" + "".join(f"<li>{e(n)}</li>" for n in self.notes) + "</ul>"
            )
        parts.append("</body></html>")
        return "\n".join(parts) + "\n"


def _span(a: datetime | None, b: datetime | None) -> str:
    if a is None or b is None:
        return "no dated posts"
    return f"{a:%Y-%m-%d} to {b:%Y-%m-%d}"


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v:.2%}"


def _ts(t: datetime | float) -> str:
    return f"{t:%Y-%m-%d %H:%M %Z}".strip() if isinstance(t, datetime) else f"{t:g}"


def _fmt_kpi(k: KpiValue) -> str:
    if k.value is None:
        return f"n/a ({k.reason})"
    if k.name in ("cpc", "cpm", "cpa", "roas", "average_watch_time_seconds"):
        return f"{k.value:.4g}"
    return f"{k.value:.2%}"


def _svg_bars(bars: Sequence[tuple[str, float | None]], caption: str) -> str:
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
            out.append(f'<text x="200" y="{y + 14}" font-size="12" fill="#888">n/a</text>')
            continue
        w = max(1.0, 360 * v / top)
        out.append(f'<rect x="200" y="{y}" width="{w:.1f}" height="{row - 6}" fill="#3b7dd8"/>')
        out.append(f'<text x="{205 + w:.1f}" y="{y + 14}" font-size="12">{v:.2%}</text>')
    out.append(f'<text x="0" y="{h - 4}" font-size="11" fill="#666">{e(caption)}</text></svg>')
    return "".join(out)


def _svg_heatmap(cells: Mapping[tuple[Weekday, int], float]) -> str:
    size, left, topm = 22, 40, 16
    vals = list(cells.values())
    lo, hi = (min(vals), max(vals)) if vals else (0.0, 1.0)
    span = (hi - lo) or 1.0
    w, h = left + 24 * size, topm + 7 * size + 4
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" '
        'aria-label="best times heat map">'
    ]
    for hour in range(0, 24, 3):
        out.append(f'<text x="{left + hour * size + 2}" y="11" font-size="10">{hour:02d}</text>')
    for d_i, day in enumerate(Weekday):
        y = topm + d_i * size
        out.append(f'<text x="0" y="{y + 15}" font-size="11">{day.value}</text>')
        for hour in range(24):
            v = cells.get((day, hour))
            if v is None:
                fill = "#f4f4f4"
                title = f"{day.value} {hour:02d}:00: no data"
            else:
                t = (v - lo) / span
                g = int(235 - 150 * t)
                fill = f"rgb({int(245 - 200 * t)},{g},{int(255 - 60 * t)})"
                title = f"{day.value} {hour:02d}:00: {v:.2%}"
            out.append(
                f'<rect x="{left + hour * size}" y="{y}" width="{size - 2}" '
                f'height="{size - 2}" fill="{fill}"><title>{title}</title></rect>'
            )
    out.append("</svg>")
    return "".join(out)


def _svg_line(series: SeriesAnomalies) -> str:
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
        f'aria-label="{html.escape(series.name)}">',
        f'<polyline fill="none" stroke="#3b7dd8" stroke-width="1.5" points="{pts}"/>',
    ]
    for a in series.anomalies:
        if 0 <= a.index < n:
            x, y = xy(a.index, vals[a.index])
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#d33">'
                f"<title>{html.escape(a.reason)}</title></circle>"
            )
    out.append("</svg>")
    return "".join(out)


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
) -> MetricsReport:
    """Build the report from post metrics (the latest measurement of each post is used).

    Anomalies are searched in each channel's per-post engagement rate by reach, in publication
    order (a channel needs at least 10 dated posts with reach; shorter series are noted). The
    default settings for these short, irregular series: no seasonality, no novelty rule, a level
    window of 5 posts, warm-up of a fifth of the series (at least 8 posts), cooldown of 2 posts,
    no local-record rule, a floor of 0.05 on the surprise's standard deviation.
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
    )
