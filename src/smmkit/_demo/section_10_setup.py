"""Demo section: load the setup and print a readable summary of it."""

from __future__ import annotations

from smmkit.models import Weekday

from . import DemoContext

TITLE = "1. The setup: brand, voice, audience, channels, campaigns"
WRITES = False  # `smmkit check-setup` runs this section alone: it writes no file or directory


def run(ctx: DemoContext) -> None:
    setup = ctx.setup
    brand = setup.brand
    voice = brand.voice
    say = ctx.say
    say(f"Loaded {ctx.setup_path.name}")
    say(
        f"Brand       {brand.name}  ({', '.join(brand.locales)}; {brand.timezone}; "
        f"holidays: {brand.country or '-'}{'-' + brand.region if brand.region else ''})"
    )
    say(
        f"Voice       register {voice.register.value}; addresses readers with "
        f"'{voice.person_for(brand.locale).value}' in {brand.locale}; emoji {voice.emoji.value}"
        + (f" (max {voice.max_emoji})" if voice.max_emoji is not None else "")
    )
    if voice.banned_terms:
        say(f"            never says: {', '.join(voice.banned_terms)}")
    if voice.signature_hashtags:
        say(f"            signs with: {' '.join('#' + t for t in voice.signature_hashtags)}")
    say("Pillars     " + "; ".join(f"{p.name} {p.share:.0%}" for p in brand.pillars))
    if brand.objectives:
        say(
            "Objectives  "
            + "; ".join(
                f"{o.objective.value} (weight {o.weight:g}"
                + "".join(
                    f", {k.kpi} {'≥' if k.direction == 'at_least' else '≤'} {k.target:g}"
                    for k in o.kpis
                )
                + ")"
                for o in brand.objectives
            )
        )
    for competitor in brand.competitors:
        handles = ", ".join(f"{p.value}:@{h}" for p, h in competitor.handles.items())
        say(f"Competitor  {competitor.name} ({handles})")
    if setup.audience is not None:
        audience = setup.audience
        say(f"Audience    {audience.size:,} people in {len(audience.segments)} segments")
        for segment in audience.segments:
            where = ", ".join(f"{p.value} {s:.0%}" for p, s in segment.platforms.items())
            say(f"            - {segment.name}: {segment.size:,}; {where}")
        activity = audience.activity()
        peaks = sorted(
            ((share, day, hour) for day in Weekday for hour, share in activity[day].items()),
            key=lambda t: (-t[0], t[1].number, t[2]),
        )[:3]
        say(
            "            most active: "
            + ", ".join(f"{day.value} {hour:02d}:00 ({share:.0%})" for share, day, hour in peaks)
        )
    say("Channels")
    for channel in setup.channels:
        cadence = channel.cadence
        windows = (
            "; ".join(
                f"{'/'.join(d.value for d in w.weekdays) if len(w.weekdays) < 7 else 'daily'} "
                f"{w.start:%H:%M}-{w.end:%H:%M}"
                for w in channel.windows
            )
            or "any time"
        )
        secret = "credentials set" if channel.credentials else "no credentials"
        say(
            f"  {channel.key:<11} {channel.platform.value:<10} @{channel.handle}: "
            f"{cadence.posts_per_week}/week, max {cadence.daily_cap}/day, "
            f"{windows} ({secret})"
        )
    for campaign in setup.campaigns:
        budget = f", budget {campaign.budget}" if campaign.budget else ""
        say(
            f"Campaign    {campaign.name} [{campaign.objective.value}] "
            f"{campaign.start:%d %b} → {campaign.end:%d %b %Y}{budget} on "
            f"{', '.join(campaign.channels)}{' (paid)' if campaign.paid else ''}"
        )
    for influencer in setup.influencers:
        rate = (
            f", engagement {influencer.engagement_rate:.1%}"
            if influencer.engagement_rate is not None
            else ""
        )
        say(
            f"Influencer  @{influencer.handle} on {influencer.platform.value}: "
            f"{influencer.followers:,} followers ({influencer.tier.value}){rate}, "
            f"{influencer.stage.value}"
        )
    if setup.content:
        say(
            f"Content     {len(setup.content)} items: "
            + "; ".join(
                f"{i.title or i.id} ({i.format.value}, {i.status.value})" for i in setup.content
            )
        )
