"""Demo section: collect metrics, print the report's headlines, best times and anomalies."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from smmkit.analytics import build_report
from smmkit.models import Platform, PostMetrics

from . import DemoContext

if TYPE_CHECKING:
    from smmkit.store import PublishedRecord

TITLE = "5. Results: metrics, best times, anomalies"

_FORMATS = {
    "instagram": ("reel", "carousel", "post"),
    "facebook": ("post", "video"),
    "threads": ("post",),
}


def synthetic_history(ctx: DemoContext, weeks: int = 12) -> list[PostMetrics]:
    """A seeded, plausible history of post metrics for the setup's social channels."""
    rng = random.Random(ctx.seed)
    setup = ctx.setup
    pillars = [p.key for p in setup.brand.pillars]
    shares = [p.share for p in setup.brand.pillars]
    channels = [c for c in setup.channels if c.platform.value in _FORMATS]
    start = datetime(2026, 3, 2, tzinfo=UTC)
    posts: list[PostMetrics] = []
    for ch in channels:
        zone = ZoneInfo(ch.timezone)
        followers = {"instagram": 4200, "facebook": 2600, "threads": 900}[ch.platform.value]
        per_week = ch.cadence.posts_per_week
        for w in range(weeks):
            days = sorted(rng.sample(range(7), min(per_week, 7)))
            for d in days:
                hour = rng.choice([7, 8, 9, 12, 13, 17, 18, 19, 20])
                local = datetime(2026, 3, 2, hour, rng.choice([0, 15, 30]), tzinfo=zone)
                when = (local + timedelta(days=7 * w + d)).astimezone(UTC)
                pillar = rng.choices(pillars, weights=shares)[0]
                fmt = rng.choice(_FORMATS[ch.platform.value])
                followers += rng.randint(5, 40)
                # mornings and evenings work better; reels and "dietro le quinte" travel further
                boost = (
                    (1.35 if hour in (7, 8, 18, 19) else 1.0)
                    * (1.3 if fmt == "reel" else 1.0)
                    * (1.2 if pillar == "dietro-le-quinte" else 1.0)
                )
                if d >= 5:
                    boost *= 1.15
                reach = int(followers * rng.uniform(0.25, 0.45) * math.sqrt(boost))
                rate = rng.uniform(0.03, 0.06) * boost
                if ch.key == "instagram" and w == 9 and d == days[0]:
                    rate *= 5.0  # a post that went viral
                    reach *= 3
                likes = int(reach * rate * 0.8)
                comments = int(reach * rate * 0.1)
                shares_ = int(reach * rate * 0.06)
                saves = int(reach * rate * 0.04) if ch.platform is Platform.INSTAGRAM else None
                impressions = int(reach * rng.uniform(1.2, 1.6))
                posts.append(
                    PostMetrics(
                        platform=ch.platform,
                        channel=ch.key,
                        post_id=f"{ch.key}-{w:02d}-{d}",
                        measured_at=when + timedelta(days=3),
                        published_at=when,
                        impressions=impressions if ch.platform is not Platform.THREADS else None,
                        views=impressions if ch.platform is not Platform.FACEBOOK else None,
                        reach=reach,
                        likes=likes,
                        comments=comments,
                        shares=shares_,
                        saves=saves,
                        clicks=int(impressions * rng.uniform(0.004, 0.015)),
                        followers=followers,
                        pillar=pillar,
                        format=fmt,
                    )
                )
    del start
    return posts


def run(ctx: DemoContext) -> None:
    say = ctx.say
    ws = ctx.workspace
    network = ctx.network
    network.advance(timedelta(days=1))
    added_posts, added_accounts = ws.collect_metrics(network.now())
    ours = {(r.channel, r.platform_post_id) for r in _published(ctx)}
    say(
        f"Collected {added_posts} post and {added_accounts} account metric snapshots from the "
        f"sandbox into the workspace ({len(ours)} posts published from it so far)"
    )
    stored = ws.post_metrics()
    if len({(p.channel, p.post_id) for p in stored}) < 20:
        history = synthetic_history(ctx)
        ws.add_post_metrics(history)
        say(
            f"Few measured posts yet: stored a seeded synthetic {len(history)}-post history of "
            f"{ctx.setup.brand.name} too (the best times it teaches feed the next plan)."
        )
    posts: list[PostMetrics] = ws.post_metrics()
    targets = [k for o in ctx.setup.brand.objectives for k in o.kpis]
    zones = {c.key: c.timezone for c in ctx.setup.channels}
    report = build_report(
        posts,
        title=f"{ctx.setup.brand.name}: results",
        timezones=zones,
        targets=targets,
        top_n=3,
        min_count=2,
    )
    say(f"{report.posts} posts, {report.period_start:%Y-%m-%d} to {report.period_end:%Y-%m-%d}")
    say("Headline KPIs")
    for k in report.headline:
        shown = f"{k.value:.2%}" if k.value is not None else f"n/a ({k.reason})"
        say(f"  {k.name:<40} {shown}")
    say("By pillar (engagement rate by reach, mean of ratios)")
    for row in report.by_pillar.rows:
        v = row.value("engagement_rate_by_reach_mean")
        say(
            f"  {row.key['pillar'] or '-':<20} {row.posts:>3} posts  "
            f"{'n/a' if v is None else f'{v:.2%}'}"
        )
    top = report.top_posts[0]
    say(
        f"Top post    {top.post_id} ({top.channel}, {top.format}, {top.pillar}): "
        f"{top.rate:.2%} of reach engaged"
    )
    say("Best times (shrunk median engagement rate per weekday-hour, local time)")
    for channel in report.best_times.scores:
        best = report.best_times.top(channel, 3)
        if not best:
            continue
        say(f"  {channel:<10} " + ", ".join(f"{d.value} {h:02d}:00 ({s:.2%})" for d, h, s in best))
    say("Anomalies")
    flagged = [(s.name, a) for s in report.anomalies for a in s.anomalies]
    for name, a in flagged:
        when = a.timestamp if isinstance(a.timestamp, datetime) else None
        say(
            f"  {name.split(':')[0]:<10} {when:%Y-%m-%d} rate {a.value:.2%}: {a.reason}"
            if when
            else f"  {name}: {a.reason}"
        )
    if not flagged:
        watched = ", ".join(f"{s.name.split(':')[0]} {s.points} posts" for s in report.anomalies)
        say(f"  none flagged (watched the engagement rate per post: {watched or 'no series'})")
    say("Goals")
    for g in report.goals:
        state = "n/a" if g.met is None else ("met" if g.met else "missed")
        actual = "-" if g.actual is None else f"{g.actual:.4g}"
        say(
            f"  {g.kpi:<28} target {g.target:g} ({g.direction}): {actual} -> {state}"
            + (f" ({g.reason})" if g.reason else "")
        )
    ctx.out_dir.mkdir(parents=True, exist_ok=True)
    html_path = ctx.out_dir / "metrics_report.html"
    lang = ctx.setup.brand.locale  # the files are the client's: in the brand's language
    html_path.write_text(report.to_html(locale=lang), encoding="utf-8")
    (ctx.out_dir / "metrics_report.md").write_text(
        report.to_markdown(locale=lang), encoding="utf-8"
    )
    say(f"Wrote {html_path} (self-contained HTML, inline SVG charts) and metrics_report.md")
    learnt = ws.best_times(min_posts=20)
    if learnt is not None:
        say("The next plan (a later run, or Workspace.plan) uses these best times.")


def _published(ctx: DemoContext) -> list[PublishedRecord]:
    with ctx.workspace.store.read() as tx:
        return tx.published()
