"""The report's words, in its locale, as blocks; HTML and Markdown writers over the blocks."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from smmkit.i18n import Localizer, kpi_label, label, localizer, metric_label

from . import _svg
from ._model import KpiLine, MonthlyReport, PostLine, Recommendation

__all__ = ["render_html", "render_markdown"]


@dataclass
class _Block:
    kind: str  # h1 h2 h3 p table chart list empty
    text: str = ""
    headers: tuple[str, ...] = ()
    rows: Sequence[tuple[str, ...]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    svg: str = ""
    numeric: tuple[int, ...] = ()
    widths: tuple[int, ...] = ()  # column widths in percent (default: equal)


def _money_kpi(name: str) -> bool:
    return name in ("cpc", "cpm", "cpa")


def _kpi_value(loc: Localizer, k: KpiLine, value: float | None, currency: str) -> str:
    if value is None:
        return "–"
    if _money_kpi(k.name):
        return loc.currency(value, currency)
    if k.name in ("roas", "average_watch_time_seconds"):
        return loc.number(value, 2)
    return loc.percent(value)


def _formula(loc: Localizer, k: KpiLine) -> str:
    _ = loc._
    num, den = metric_label(loc, k.numerator), metric_label(loc, k.denominator)
    if k.kind == "growth":
        return _("(followers at the end − followers at the start) ÷ followers at the start")
    if k.kind == "pooled":
        return _("total {numerator} ÷ total {denominator}", numerator=num, denominator=den)
    return _("{numerator} ÷ {denominator}, averaged over posts", numerator=num, denominator=den)


def _post_rows(loc: Localizer, posts: tuple[PostLine, ...]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for p in posts:
        when = loc.date(p.published_at.date(), "medium") if p.published_at else "–"
        text = " ".join((p.text or "").split())
        if len(text) > 280:
            text = text[:279] + "…"
        rows.append(
            (
                when,
                p.channel or "–",
                label(loc, p.format) if p.format else "–",
                text or loc._("(text not available)"),
                loc.integer(p.engagements) if p.engagements is not None else "–",
                loc.integer(p.reach) if p.reach is not None else "–",
                loc.percent(p.rate),
            )
        )
    return rows


def _minutes(loc: Localizer, minutes: float) -> str:
    from babel.dates import format_timedelta

    return str(format_timedelta(timedelta(minutes=minutes), threshold=1.5, locale=loc.babel))


def _recommendation(loc: Localizer, r: Recommendation, currency: str) -> str:
    _ = loc._
    if r.kind == "goal_missed":
        k = KpiLine(name=r.subject, value=r.rate, numerator="", denominator="", kind="mean")
        return _(
            "{kpi} reached {actual} against a target of {target}: make it next month's focus.",
            kpi=kpi_label(loc, r.subject),
            actual=_kpi_value(loc, k, r.rate, currency),
            target=_kpi_value(loc, k, r.other, currency),
        )
    if r.kind == "fast_pacing":
        return _(
            "{line} is spending faster than planned ({pace} of the plan so far): lower its "
            "daily budget.",
            line=r.subject,
            pace=loc.percent(r.rate, 0),
        )
    if r.kind == "slow_pacing":
        return _(
            "{line} is spending slower than planned ({pace} of the plan so far): check its "
            "bids and audiences.",
            line=r.subject,
            pace=loc.percent(r.rate, 0),
        )
    if r.kind == "shift_budget":
        return _(
            "Move budget towards {line}: its return on ad spend was {roas}, the weakest line's "
            "{other}.",
            line=r.subject,
            roas=loc.number(r.rate or 0, 2),
            other=loc.number(r.other or 0, 2),
        )
    if r.kind == "look_at_drop":
        assert r.day is not None
        return _(
            "Look into the drop on {channel} on {day} before planning the same kind of post.",
            channel=r.subject,
            day=loc.day_month(r.day),
        )
    if r.kind == "answer_faster":
        return _(
            'Answer "{category}" conversations faster: {actual} against a target of {target}.',
            category=r.subject,
            actual=_minutes(loc, r.rate or 0),
            target=_minutes(loc, r.other or 0),
        )
    if r.kind == "best_format":
        return _(
            "Favour the {format} format: {rate} engagement by reach among the posts ranked, "
            "against {average} on average.",
            format=label(loc, r.subject),
            rate=loc.percent(r.rate),
            average=loc.percent(r.other),
        )
    if r.kind == "best_time":
        hour = str(r.hour or 0).zfill(2) + ":00"
        return _(
            "Schedule {channel} posts on {weekday} around {hour}, its best time.",
            channel=r.subject,
            weekday=loc.weekday(r.weekday or 0),
            hour=hour,
        )
    if r.kind == "keep_growing":
        return _(
            "{channel} grew fastest ({rate}): keep its cadence.",
            channel=r.subject,
            rate=loc.percent(r.rate),
        )
    return _(
        "No channel gained followers; {channel} lost the least ({rate}): review its content mix.",
        channel=r.subject,
        rate=loc.percent(r.rate),
    )


def _document(report: MonthlyReport, loc: Localizer) -> tuple[str, list[_Block]]:
    _ = loc._
    cur = report.currency
    month = loc.month_year(report.year, report.month)
    title = _("Monthly report: {brand}", brand=report.brand)
    b: list[_Block] = [_Block("h1", title), _Block("p", month)]
    b.append(
        _Block(
            "p",
            loc.n_(
                "{n} post published in {month}.",
                "{n} posts published in {month}.",
                report.posts,
                month=month,
            ),
        )
    )

    # KPIs
    b.append(_Block("h2", _("Results against goals")))
    rows: list[tuple[str, ...]] = []
    for k in report.kpis:
        if k.value is None and k.target is None:
            continue
        if k.met is None:
            status = _("no target") if k.target is None else _("not available")
        else:
            status = _("met") if k.met else _("missed")
        target = "–"
        if k.target is not None:
            sign = "≥" if k.direction == "at_least" else "≤"
            target = f"{sign} {_kpi_value(loc, k, k.target, cur)}"
        rows.append(
            (
                kpi_label(loc, k.name),
                _kpi_value(loc, k, k.value, cur),
                _kpi_value(loc, k, k.previous, cur),
                target,
                status,
                _formula(loc, k),
            )
        )
    if rows:
        b.append(
            _Block(
                "table",
                headers=(
                    _("Indicator"),
                    _("This month"),
                    _("Previous month"),
                    _("Target"),
                    _("Status"),
                    _("Formula"),
                ),
                rows=rows,
                numeric=(1, 2, 3),
                widths=(22, 11, 11, 11, 13, 32),
            )
        )
    else:
        b.append(_Block("empty", _("No results to measure this month.")))

    # Growth
    b.append(_Block("h2", _("Follower growth by channel")))
    if report.growth:
        b.append(
            _Block(
                "chart",
                text=_("Net new followers by channel"),
                svg=_svg.bars(
                    [(g.channel, float(g.net or 0), _signed(loc, g.net)) for g in report.growth],
                    _("Net new followers by channel"),
                ),
            )
        )
        b.append(
            _Block(
                "table",
                headers=(
                    _("Channel"),
                    _("Start of month"),
                    _("End of month"),
                    _("Net"),
                    _("Growth"),
                ),
                rows=[
                    (
                        g.channel,
                        loc.integer(g.start) if g.start is not None else "–",
                        loc.integer(g.end) if g.end is not None else "–",
                        _signed(loc, g.net),
                        loc.percent(g.rate),
                    )
                    for g in report.growth
                ],
                numeric=(1, 2, 3, 4),
            )
        )
    else:
        b.append(_Block("empty", _("No follower counts for this month.")))

    # Posts
    post_headers = (
        _("Date"),
        _("Channel"),
        _("Format"),
        _("Text"),
        _("Engagements"),
        _("Reach"),
        _("Engagement rate"),
    )
    for heading, posts in (
        (_("Top posts"), report.top_posts),
        (_("Bottom posts"), report.bottom_posts),
    ):
        b.append(_Block("h2", heading))
        if posts:
            b.append(
                _Block(
                    "table",
                    headers=post_headers,
                    rows=_post_rows(loc, posts),
                    numeric=(4, 5, 6),
                    widths=(11, 11, 11, 34, 11, 10, 12),
                )
            )
        else:
            b.append(_Block("empty", _("No posts with reach this month.")))

    # Best times
    b.append(_Block("h2", _("Best times to post")))
    channels = sorted({c.channel for c in report.heatmap})
    if channels:
        b.append(_Block("p", _("Engagement rate by reach by weekday and hour, last 90 days.")))
        names = [loc.weekday(d, "abbreviated") for d in range(7)]
        for channel in channels:
            cells = {(c.weekday, c.hour): c.score for c in report.heatmap if c.channel == channel}
            shown = {
                key: f"{loc.weekday(key[0])} {key[1]:02d}:00: {loc.percent(v)}"
                for key, v in cells.items()
            }
            b.append(_Block("h3", channel))
            b.append(
                _Block(
                    "chart",
                    text=_("Best times on {channel}", channel=channel),
                    svg=_svg.heatmap(
                        cells, _("Best times on {channel}", channel=channel), names, shown
                    ),
                )
            )
    else:
        b.append(_Block("empty", _("Not enough dated posts to map the best times.")))

    # Anomalies
    b.append(_Block("h2", _("Anomalies")))
    if report.anomalies:
        for a in report.anomalies:
            what = _("Unusually high") if a.direction == "spike" else _("Unusually low")
            head = f"{loc.day_month(a.day)}, {a.channel}: {what}"
            b.append(_Block("h3", head))
            b.append(
                _Block(
                    "chart",
                    text=head,
                    svg=_svg.line(a.series, head, mark=a.index, mark_label=head),
                )
            )
            detail = _(
                "{metric}: {value}, where about {expected} was expected.",
                metric=metric_label(loc, a.metric).capitalize(),
                value=loc.integer(round(a.value)),
                expected=loc.integer(round(a.expected)) if a.expected is not None else "–",
            )
            context: list[str] = []
            if a.holiday:
                context.append(_("That day was a public holiday: {name}.", name=a.holiday))
            for p in a.nearby_posts:
                text = " ".join((p.text or p.post_id).split())[:120]
                when = loc.day_month(p.published_at.date()) if p.published_at else "–"
                context.append(
                    _(
                        "Post of {day} ({format}): “{text}”, {rate} engagement rate.",
                        day=when,
                        format=label(loc, p.format) if p.format else "–",
                        text=text,
                        rate=loc.percent(p.rate),
                    )
                )
            if not context:
                context.append(_("No post or holiday around that day."))
            b.append(_Block("p", detail))
            b.append(_Block("list", items=context))
    else:
        b.append(_Block("empty", _("Nothing unusual this month.")))

    # Paid
    b.append(_Block("h2", _("Paid campaigns")))
    paid = report.paid
    if paid is not None and paid.lines:
        planned = paid.planned
        if planned is not None:
            b.append(
                _Block(
                    "p",
                    _(
                        "Spent {spend} of the {planned} planned for the month, as of {day}.",
                        spend=loc.currency(paid.spend),
                        planned=loc.currency(planned),
                        day=loc.day_month(paid.as_of, weekday=False),
                    ),
                )
            )
        else:
            b.append(
                _Block(
                    "p",
                    _(
                        "Spent {spend} as of {day}.",
                        spend=loc.currency(paid.spend),
                        day=loc.day_month(paid.as_of, weekday=False),
                    ),
                )
            )
        if planned is not None:
            b.append(
                _Block(
                    "chart",
                    text=_("Spent and planned by line"),
                    svg=_svg.bars(
                        [
                            (ln.line, float(ln.spend.amount), loc.currency(ln.spend))
                            for ln in paid.lines
                        ],
                        _("Spent and planned by line"),
                        second=[
                            (
                                float(ln.planned.amount) if ln.planned else 0.0,
                                loc.currency(ln.planned) if ln.planned else "–",
                            )
                            for ln in paid.lines
                        ],
                        legend=(_("Spent"), _("Planned")),
                    ),
                )
            )
        if any(plan for _day, plan, _spent in paid.daily):
            upto = [d for d in paid.daily if d[0] <= paid.as_of]
            ticks = [
                (i, loc.date_pattern(d, _("d MMM")))
                for i, (d, _p, _s) in enumerate(paid.daily)
                if d.day in (1, 8, 15, 22, 29)
            ]
            b.append(
                _Block(
                    "chart",
                    text=_("Spend against the pacing plan, running total"),
                    svg=_svg.cumulative(
                        [plan for _day, plan, _spent in paid.daily],
                        [spent for _day, _plan, spent in upto],
                        _("Spend against the pacing plan, running total"),
                        legend=(_("Planned"), _("Spent")),
                        ticks=ticks,
                    ),
                )
            )
        b.append(
            _Block(
                "table",
                headers=(
                    _("Line"),
                    _("Planned"),
                    _("Planned so far"),
                    _("Spent"),
                    _("Pacing"),
                    _("Results"),
                    _("Cost per result"),
                    _("Revenue"),
                    _("ROAS"),
                ),
                rows=[
                    (
                        ln.line,
                        loc.currency(ln.planned) if ln.planned else "–",
                        loc.currency(ln.planned_to_date) if ln.planned_to_date else "–",
                        loc.currency(ln.spend),
                        loc.percent(ln.pace, 0),
                        loc.number(ln.results, 0) if ln.results is not None else "–",
                        loc.currency(ln.cpa) if ln.cpa is not None else "–",
                        loc.currency(ln.revenue) if ln.revenue is not None else "–",
                        loc.number(ln.roas, 2) if ln.roas is not None else "–",
                    )
                    for ln in paid.lines
                ],
                numeric=(1, 2, 3, 4, 5, 6, 7, 8),
                widths=(14, 11, 11, 11, 9, 10, 12, 12, 10),
            )
        )
        b.append(
            _Block(
                "p",
                _(
                    "Pacing: spent ÷ planned so far. Cost per result: spent ÷ results. "
                    "ROAS: revenue ÷ spent."
                ),
            )
        )
        if paid.holidays:
            days = ", ".join(f"{loc.day_month(d)} ({n})" for d, n in paid.holidays)
            b.append(
                _Block("p", _("Spend paused or reduced on public holidays: {days}.", days=days))
            )
    else:
        b.append(_Block("empty", _("No paid campaigns this month.")))

    # Competitors
    b.append(_Block("h2", _("Competitors")))
    if report.competitors:
        b.append(
            _Block(
                "table",
                headers=(
                    _("Account"),
                    _("Network"),
                    _("Engagement rate by followers"),
                    _("Posts per week"),
                    _("Follower growth"),
                    _("Share of voice"),
                    _("Rank"),
                ),
                rows=[
                    (
                        c.name,
                        str(c.platform.value),
                        loc.percent(c.engagement_rate_by_followers.value),
                        loc.number(c.posts_per_week.value, 1)
                        if c.posts_per_week.value is not None
                        else "–",
                        loc.percent(c.follower_growth_rate.value),
                        loc.percent(c.share_of_voice.value if c.share_of_voice else None),
                        str(c.rank_engagement) if c.rank_engagement is not None else "–",
                    )
                    for c in report.competitors
                ],
                numeric=(2, 3, 4, 5, 6),
                widths=(20, 12, 16, 13, 13, 14, 12),
            )
        )
    if report.unreadable_competitors:
        b.append(
            _Block(
                "p",
                _(
                    "No readable data (a private profile or no access) for: {accounts}.",
                    accounts=", ".join(report.unreadable_competitors),
                ),
            )
        )
    if not report.competitors and not report.unreadable_competitors:
        b.append(_Block("empty", _("No competitor audit for this month.")))

    # Community
    b.append(_Block("h2", _("Community")))
    com = report.community
    if com is not None and (com.volume or com.median_response_minutes):
        cats = sorted(set(com.volume) | set(com.median_response_minutes))
        b.append(
            _Block(
                "table",
                headers=(_("Category"), _("Conversations"), _("Median time to first answer")),
                rows=[
                    (
                        cat,
                        loc.integer(com.volume.get(cat, 0)),
                        _minutes(loc, com.median_response_minutes[cat])
                        if cat in com.median_response_minutes
                        else "–",
                    )
                    for cat in cats
                ],
                numeric=(1,),
            )
        )
        if com.target_minutes is not None:
            b.append(
                _Block(
                    "p",
                    _(
                        "Target time to first answer: {target}.",
                        target=_minutes(loc, com.target_minutes),
                    ),
                )
            )
        if com.unanswered:
            b.append(
                _Block(
                    "p",
                    loc.n_(
                        "{n} conversation still unanswered.",
                        "{n} conversations still unanswered.",
                        com.unanswered,
                    ),
                )
            )
    else:
        b.append(_Block("empty", _("No community data for this month.")))

    # Influencers
    b.append(_Block("h2", _("Influencers")))
    if report.influencers:
        rows = []  # reused: a fresh list of rows
        for inf in report.influencers:
            per = None
            if inf.cost is not None and inf.conversions:
                per = loc.currency(float(inf.cost.amount) / inf.conversions, inf.cost.currency)
            name = inf.name + (f" (@{inf.handle.lstrip('@')})" if inf.handle else "")
            rows.append(
                (
                    name,
                    loc.integer(inf.posts),
                    loc.integer(inf.reach) if inf.reach is not None else "–",
                    loc.integer(inf.engagements) if inf.engagements is not None else "–",
                    loc.integer(inf.clicks) if inf.clicks is not None else "–",
                    loc.number(inf.conversions, 0) if inf.conversions is not None else "–",
                    loc.currency(inf.cost) if inf.cost is not None else "–",
                    per or "–",
                )
            )
        b.append(
            _Block(
                "table",
                headers=(
                    _("Creator"),
                    _("Posts"),
                    _("Reach"),
                    _("Engagements"),
                    _("Clicks"),
                    _("Results"),
                    _("Cost"),
                    _("Cost per result"),
                ),
                rows=rows,
                numeric=(1, 2, 3, 4, 5, 6, 7),
            )
        )
    else:
        b.append(_Block("empty", _("No influencer activity this month.")))

    # Recommendations
    b.append(_Block("h2", _("What we recommend next")))
    if report.recommendations:
        b.append(
            _Block("list", items=[_recommendation(loc, r, cur) for r in report.recommendations])
        )
    else:
        b.append(_Block("empty", _("No recommendation yet: there is not enough data.")))
    if report.generated_at is not None:
        b.append(
            _Block(
                "p",
                _(
                    "Prepared with smmkit on {day}.",
                    day=loc.date(_local_day(report), "long"),
                ),
            )
        )
    return title, b


def _local_day(report: MonthlyReport) -> date:
    """The day the report was made, in the brand's zone (never the machine's)."""
    from zoneinfo import ZoneInfo

    assert report.generated_at is not None
    return report.generated_at.astimezone(ZoneInfo(report.timezone)).date()


def _signed(loc: Localizer, n: int | None) -> str:
    if n is None:
        return "–"
    return ("+" if n > 0 else "") + loc.integer(n)


_CSS = """
:root{color-scheme:light}
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:0 auto;padding:1.5rem;
max-width:1100px;color:#1d2329;line-height:1.45;font-size:15px}
h1{font-size:1.7rem;margin:.2rem 0}h2{font-size:1.25rem;margin:1.8rem 0 .5rem;
border-bottom:2px solid #2f6fbf;padding-bottom:.2rem}h3{font-size:1rem;margin:1rem 0 .3rem}
table{border-collapse:collapse;width:100%;table-layout:fixed;margin:.4rem 0;font-size:.85rem}
th,td{border:1px solid #d5dbe1;padding:.3rem .4rem;text-align:left;vertical-align:top;
overflow-wrap:anywhere;word-break:break-word;hyphens:auto}
th{background:#eef2f6}td.n{text-align:right;white-space:normal}
.chart{display:block;max-width:640px;height:auto;margin:.4rem 0}
.empty{color:#5b6670;font-style:italic}
@media screen and (max-width:600px){body{padding:.6rem;font-size:14px}
table,tbody,tr,td{display:block;width:100%}colgroup,thead{display:none}
tr{border:1px solid #d5dbe1;margin:.5rem 0}td{border:0;border-top:1px solid #eef2f6;
display:flex;gap:.6rem}td:first-child{border-top:0;font-weight:600}td.n{text-align:left}
td::before{content:attr(data-label);flex:0 0 42%;color:#5b6670;font-weight:400}}
@media print{@page{size:A4;margin:14mm}body{max-width:none;padding:0;font-size:10.5pt}
table{font-size:8pt}th,td{padding:.2rem .25rem}
h2{break-after:avoid}table,.chart,li{break-inside:avoid}a{color:inherit}}
"""


def render_html(report: MonthlyReport, *, locale: str | None = None) -> str:
    """The report as one self-contained HTML page: inline CSS (with a print stylesheet) and
    inline SVG charts; no script, no external resource; every text escaped."""
    loc = localizer(locale or report.locale)
    title, blocks = _document(report, loc)
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(loc.tag)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
    ]
    for blk in blocks:
        if blk.kind in ("h1", "h2", "h3"):
            out.append(f"<{blk.kind}>{e(blk.text)}</{blk.kind}>")
        elif blk.kind == "p":
            out.append(f"<p>{e(blk.text)}</p>")
        elif blk.kind == "empty":
            out.append(f'<p class="empty">{e(blk.text)}</p>')
        elif blk.kind == "list":
            out.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in blk.items) + "</ul>")
        elif blk.kind == "chart":
            out.append(f"<figure>{blk.svg}</figure>")
        elif blk.kind == "table":
            head = "".join(f"<th>{e(h)}</th>" for h in blk.headers)
            cols = ""
            if len(blk.widths) == len(blk.headers):
                cols = (
                    "<colgroup>"
                    + "".join(f'<col style="width:{w}%">' for w in blk.widths)
                    + "</colgroup>"
                )
            labels = [f' data-label="{e(h)}"' for h in blk.headers]
            body = "".join(
                "<tr>"
                + "".join(
                    f'<td class="n"{labels[i]}>{e(c)}</td>'
                    if i in blk.numeric
                    else f"<td{labels[i]}>{e(c)}</td>"
                    for i, c in enumerate(row)
                )
                + "</tr>"
                for row in blk.rows
            )
            out.append(f"<table>{cols}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#~&!"})
_SPACES = re.compile(r"[ \t\r\n\f\v\x1c-\x1f\x85\u2028\u2029]+")
_MD_LEAD = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-+=])(?=\s|$)")


def _md(text: str) -> str:
    """Markdown-escaped, on one line (tables and list items hold one line): inline markers,
    HTML, entities and table pipes escaped; a leading list or heading marker too."""
    flat = _SPACES.sub(" ", text).strip(" ").translate(_MD_SPECIAL)
    return _MD_LEAD.sub(
        lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else "\\" + m.group(3), flat
    )


def render_markdown(report: MonthlyReport, *, locale: str | None = None) -> str:
    """The report as CommonMark with tables; every text escaped (charts become their caption)."""
    loc = localizer(locale or report.locale)
    _, blocks = _document(report, loc)
    out: list[str] = []
    for blk in blocks:
        if blk.kind == "h1":
            out += [f"# {_md(blk.text)}", ""]
        elif blk.kind == "h2":
            out += [f"## {_md(blk.text)}", ""]
        elif blk.kind == "h3":
            out += [f"### {_md(blk.text)}", ""]
        elif blk.kind == "p":
            out += [_md(blk.text), ""]
        elif blk.kind == "empty":
            out += [f"_{_md(blk.text)}_", ""]
        elif blk.kind == "list":
            out += [f"- {_md(i)}" for i in blk.items] + [""]
        elif blk.kind == "chart":
            continue
        elif blk.kind == "table":
            out.append("| " + " | ".join(_md(h) for h in blk.headers) + " |")
            out.append(
                "|"
                + "|".join("---:" if i in blk.numeric else "---" for i in range(len(blk.headers)))
                + "|"
            )
            out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in blk.rows]
            out.append("")
    return "\n".join(out).rstrip() + "\n"
