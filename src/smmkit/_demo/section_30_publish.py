"""Demo section: publish the adapted variants to the sandbox network and show what came back."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from smmkit.errors import ContentRuleError, PlatformError
from smmkit.models import Variant
from smmkit.platforms import ClientOptions, PublishedPost, RetryPolicy
from smmkit.platforms.sandbox import SandboxNetwork

from . import DemoContext

TITLE = "3. Publishing to the sandbox network"

_SOCIAL = {
    "instagram",
    "facebook",
    "threads",
    "tiktok",
    "linkedin",
    "x",
    "mastodon",
    "bluesky",
    "pinterest",
    "youtube",
}
_HISTORY_WEEKS = 6


def _simple_variants(ctx: DemoContext) -> list[Variant]:
    """One variant per (content item, social channel) when no content section ran before."""
    out = []
    for item in ctx.setup.content:
        for channel in ctx.setup.channels:
            if channel.platform.value not in _SOCIAL:
                continue
            tags = " ".join("#" + t for t in item.hashtags)
            text = " ".join(part for part in (item.text, *item.links, tags) if part)
            out.append(
                Variant(
                    item_id=item.id,
                    channel=channel.key,
                    platform=channel.platform,
                    text=text,
                    media=item.media,
                    format=item.format,
                    pillar=item.pillar,
                    campaign=item.campaign,
                )
            )
    return out


def _backfill(network: SandboxNetwork, ctx: DemoContext, start: datetime) -> int:
    """Give the network a plausible past: some weeks of posts per social channel."""
    pillars = [p.key for p in ctx.setup.brand.pillars]
    count = 0
    for channel in ctx.setup.channels:
        if channel.platform.value not in _SOCIAL:
            continue
        zone = ZoneInfo(channel.timezone)
        per_week = min(channel.cadence.posts_per_week, 7)
        hours = [w.start.hour + 1 for w in channel.windows] or [9, 13, 19]
        for week in range(_HISTORY_WEEKS):
            for n in range(per_week):
                day = start.astimezone(zone).date() - timedelta(
                    weeks=_HISTORY_WEEKS - week, days=-(n * 7 // per_week)
                )
                hour = hours[(week + n) % len(hours)]
                when = datetime(day.year, day.month, day.day, hour, 0, tzinfo=zone)
                fmt = (
                    ("reel", "carousel", "post")[(week + n) % 3]
                    if channel.platform.value == "instagram"
                    else "post"
                )
                network.create_post(
                    channel.key,
                    text=f"{channel.key} archive post {week}-{n}",
                    publish_key=f"history-{channel.key}-{week}-{n}",
                    format=fmt,
                    pillar=pillars[(week * 3 + n) % len(pillars)],
                    published_at=when,
                )
                count += 1
    return count


def run(ctx: DemoContext) -> None:
    say = ctx.say
    zone = ZoneInfo(ctx.setup.brand.timezone)
    start = datetime(2026, 11, 30, 7, 30, tzinfo=zone)
    network = SandboxNetwork.from_setup(ctx.setup, seed=ctx.seed, start=start)
    history = _backfill(network, ctx, start)
    say(
        f"Sandbox network (seed {ctx.seed}, in memory): {len(network.channel_keys())} channels, "
        f"{history} past posts over {_HISTORY_WEEKS} weeks; clock {start:%a %d %b %Y %H:%M}"
    )

    raw = ctx.shared.get("variants")
    variants = [v for v in raw if isinstance(v, Variant)] if isinstance(raw, list) else []
    source = "the content section" if variants else "the setup's content items"
    if not variants:
        variants = _simple_variants(ctx)
    say(f"Publishing {len(variants)} variants from {source}")

    options = ClientOptions(retry=RetryPolicy(max_attempts=1))
    clients = {key: network.client(key, options=options) for key in network.channel_keys()}
    published: list[PublishedPost] = []
    for index, variant in enumerate(variants):
        client = clients.get(variant.channel)
        if client is None:
            say(f"  skip  {variant.channel}: not a channel of this setup")
            continue
        if index == 1:
            network.inject("lost_after_success")
            say("  (fault injected: the next post is created but its response is lost)")
        try:
            post = client.publish(variant)
        except ContentRuleError as exc:
            say(f"  refused {variant.channel}: {exc.message}")
            continue
        except PlatformError as exc:
            say(f"  failed {variant.channel}: {exc.message}")
            continue
        published.append(post)
        note = (
            "  <- reconciled: found by its publish key, not sent again" if post.reconciled else ""
        )
        say(f"  {post.channel:<10} {post.post_id:<8} {post.url}{note}")
        network.advance(timedelta(hours=2))

    copies = {
        p.post_id: len(network.posts(p.channel, publish_key=p.publish_key)) for p in published
    }
    say(
        f"Exactly once: {sum(copies.values())} stored posts for {len(published)} publishes "
        f"(duplicates: {sum(c - 1 for c in copies.values())})"
    )

    network.advance(timedelta(days=7))
    say(f"One week later ({network.now().astimezone(zone):%a %d %b %H:%M}):")
    for post in published:
        m = network.post_metrics(post)
        say(
            f"  {post.channel:<10} {post.post_id:<8} reach {m.reach:>6,} likes {m.likes:>5,} "
            f"comments {m.comments:>3} shares {m.shares:>4} saves {m.saves:>4}"
        )
    for key in network.channel_keys():
        account = network.account_metrics(key)
        say(
            f"  {key:<10} @{account.account_id:<20} {account.followers:>6,} followers, "
            f"{account.posts_count} posts"
        )
    if published:
        busiest = max(published, key=lambda p: len(network.comments(p)))
        comments = network.comments(busiest)
        flagged = [c for c in comments if c.label in ("spam", "abusive")]
        say(
            f"Comments on {busiest.post_id}: {len(comments)}, of which "
            f"{len(flagged)} spam or abusive (ground truth kept for moderation), e.g.:"
        )
        shown = comments[:3] + [c for c in flagged[:1] if c not in comments[:3]]
        for comment in shown:
            say(f"  [{comment.label}] @{comment.author}: {comment.text}")

    ctx.shared["network"] = network
    ctx.shared["published"] = published
