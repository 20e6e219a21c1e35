"""Demo section: score the sandbox's creators, brief one, and audit the brand against its two
competitors, with the channel recommendation."""

from __future__ import annotations

from datetime import timedelta

from smmkit.audit import ChannelData, audit_presence, read_audit_csv, recommend_channels
from smmkit.errors import TransitionError
from smmkit.influencers import Collaboration, authenticity_scores, fit, render_brief
from smmkit.models import PostMetrics
from smmkit.platforms.sandbox import generate_creators

from . import DemoContext

TITLE = "8. Influencers and the presence audit"

# What a competitor's public profile showed, typed into a spreadsheet (no public look-up yet).
_COMPETITOR_ACCOUNTS = (
    "owner,platform,handle,followers_start,followers_end,mentions\n"
    "{name},instagram,{handle},6020,6110,41\n"
)
_COMPETITOR_POSTS = (
    "owner,platform,post_id,published_at,format,likes,comments,shares,saves\n"
    "{name},instagram,d1,{d1},post,180,12,3,9\n"
    "{name},instagram,d2,{d2},reel,260,20,11,14\n"
    "{name},instagram,d3,{d3},post,95,4,1,2\n"
)


def run(ctx: DemoContext) -> None:
    say = ctx.say
    setup = ctx.setup
    brand = setup.brand

    # 1. Creators: authenticity against the sandbox's ground truth, and fit with the brand.
    generated = generate_creators(300, seed=ctx.seed)
    creators = [g.creator for g in generated]
    batch = authenticity_scores(creators)
    flagged = batch.suspicious.tolist()
    truth = [g.truth.inauthentic for g in generated]
    hits = sum(1 for t, f in zip(truth, flagged, strict=True) if t and f)
    say(
        f"Scored {len(creators)} sandbox creators: {sum(flagged)} flagged as inauthentic "
        f"(precision {hits / max(sum(flagged), 1):.2f}, recall {hits / max(sum(truth), 1):.2f} "
        "against the sandbox's ground truth)"
    )
    example = flagged.index(True)
    report = batch.report(example)
    say(f"  @{report.handle}: authenticity {report.score:.2f}; {report.contributing[0].reason}")
    ranked = sorted(
        (
            fit(c, brand, setup.audience)
            for c, bad in zip(creators, flagged, strict=True)
            if not bad
        ),
        key=lambda r: (-r.score, r.handle),
    )
    say("Best fits among the authentic, brand-safe creators:")
    for r in [r for r in ranked if r.brand_safe][:3]:
        say(f"  @{r.handle}: fit {r.score:.2f}; {r.component('audience').reason}")
    unsafe = [r.handle for r in ranked if not r.brand_safe]
    if unsafe:
        say(f"  left out as unsafe for the brand: {', '.join('@' + h for h in unsafe[:3])}")

    # 2. The pipeline and the brief, for the setup's first influencer with deliverables.
    person = next((p for p in setup.influencers if p.deliverables), None)
    campaign = setup.campaigns[0] if setup.campaigns else None
    if person is not None and campaign is not None:
        rates = {r.format: r.price for r in person.rates}
        fee = rates.get(person.deliverables[0].format)
        deal = Collaboration(
            handle=person.handle,
            platform=person.platform,
            campaign=campaign.id,
            stage=person.stage,
            fee=fee,
            deliverables=person.deliverables,
        )
        now = ctx.network.now()
        try:
            deal.move("live", at=now)
        except TransitionError as error:
            say(f"@{person.handle} is {deal.stage.value}: going live now is refused ({error.rule})")
        if fee is not None:
            deal = deal.move("contracted", at=now, note="contract signed", by="demo")
            say(
                f"@{person.handle} moved to {deal.stage.value} (fee {fee}); next: "
                f"{', '.join(s.value for s in deal.allowed)}"
            )
        links = [brand.website] if brand.website else []
        brief = render_brief(
            deal, brand, campaign, creator_name=person.name, links=links, followers=person.followers
        )
        say(f"Brief ({brief.person.value}, code {brief.promo_code}):")
        for line in brief.text.splitlines()[:8]:
            say(f"  | {line}")

    # 3. The presence audit: the brand's own metrics, one competitor from a CSV, one unreadable.
    end = ctx.network.now()
    start = end - timedelta(days=28)
    latest: dict[str, PostMetrics] = {}
    for m in ctx.workspace.post_metrics():
        if m.post_id not in latest or m.measured_at > latest[m.post_id].measured_at:
            latest[m.post_id] = m
    data = []
    for platform in sorted({c.platform for c in setup.channels}, key=str):
        posts = tuple(m for m in latest.values() if m.platform == platform)
        followers = [m.followers for m in posts if m.followers]
        data.append(
            ChannelData(
                owner=brand.name,
                platform=platform,
                source="client",
                followers_end=max(followers) if followers else None,
                posts=posts,
                note="" if posts else "no metrics collected yet",
            )
        )
    rivals = list(brand.competitors)
    if rivals:
        first = rivals[0]
        days = [(end - timedelta(days=d)).isoformat() for d in (20, 12, 4)]
        data += read_audit_csv(
            _COMPETITOR_ACCOUNTS.format(name=first.name, handle="due"),
            _COMPETITOR_POSTS.format(name=first.name, d1=days[0], d2=days[1], d3=days[2]),
            measured_at=end,
        )
        for other in rivals[1:]:
            for platform, handle in other.handles.items():
                data.append(
                    ChannelData(
                        owner=other.name,
                        platform=platform,
                        handle=handle,
                        source="none",
                        note="private profile, no public look-up",
                    )
                )
    audit = audit_presence(data, brand=brand.name, start=start, end=end)
    for row in audit.for_platform("instagram"):
        if not row.readable:
            say(f"  {row.owner} on instagram: no readable data ({row.note})")
            continue
        er = row.engagement_rate.value
        say(
            f"  {row.owner} on instagram: {row.followers or 0:,} followers, "
            f"{row.cadence.value or 0:.1f} posts a week, ER by followers "
            + (f"{er:.2%}" if er is not None else f"n/a ({row.engagement_rate.reason})")
        )
    if setup.audience is not None:
        capacity = sum(c.cadence.posts_per_week for c in setup.channels)
        plan = recommend_channels(
            brand, setup.audience, capacity=capacity, channels=setup.channels, audit=audit
        )
        say(f"Where to be, {capacity} posts a week:")
        for rec in plan.recommendations:
            say(f"  {rec.platform.value}: {rec.action} {rec.posts_per_week}/week; {rec.reasons[0]}")
    (ctx.out_dir / "audit.md").write_text(audit.to_markdown(), encoding="utf-8")
    say(f"Audit written to {ctx.out_dir / 'audit.md'}")
