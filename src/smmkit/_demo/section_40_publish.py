"""Demo section: a week of publishing from the workspace's outbox to the sandbox network."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from smmkit.platforms.sandbox import SandboxNetwork

from . import DemoContext

TITLE = "4. Publishing to the sandbox network"

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
_RUN_SPAN = timedelta(days=7)


def _backfill(network: SandboxNetwork, ctx: DemoContext, start: datetime) -> int:
    """Give a new network a plausible past: some weeks of posts per social channel."""
    pillars = [p.key for p in ctx.setup.brand.pillars]
    count = 0
    for channel in ctx.setup.channels:
        if channel.platform.value not in _SOCIAL:
            continue
        if network.posts(channel.key):
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


def _prepare_alone(ctx: DemoContext) -> None:
    """When the earlier sections did not run: draft, approve, plan and schedule now."""
    ws = ctx.workspace
    if ws.variants():
        return
    ctx.say("(the content and calendar sections did not run: drafting and scheduling now)")
    drafted = ws.draft()
    ws.approve([d.variant_id for d in drafted.drafted], actor="editor")
    ws.plan(ws.now().date(), weeks=4)
    ws.schedule()


def run(ctx: DemoContext) -> None:
    say = ctx.say
    ws = ctx.workspace
    network = ctx.network
    _prepare_alone(ctx)
    start = network.now()
    history = _backfill(network, ctx, start)
    zone = ZoneInfo(ctx.setup.brand.timezone)
    say(
        f"Sandbox network (seed {network.seed}, file {network.store.path}): "
        f"{len(network.channel_keys())} channels"
        + (f", {history} past posts over {_HISTORY_WEEKS} weeks" if history else "")
        + f"; clock {start.astimezone(zone):%a %d %b %Y %H:%M}"
    )
    until = start + _RUN_SPAN
    say(f"Publishing what falls due until {until.astimezone(zone):%a %d %b %H:%M}:")
    published = 0
    injected = False
    while True:
        with ws.store.read() as tx:
            due = tx.next_due()
        if due is None or due > until:
            break
        network.set_time(max(due, network.now()))
        fault_now = published == 1 and not injected
        if fault_now:
            network.inject("lost_after_success")
            injected = True
            say("  (fault injected: the next post is created but its response is lost)")
        result = ws.publish_due(network.now())
        with ws.store.read() as tx:
            reconciled = {r.publish_key for r in tx.published() if r.reconciled}
        for item in result.due:
            if item.state == "published":
                published += 1
                note = (
                    "  <- reconciled: found by its publish key, not sent again"
                    if item.publish_key in reconciled
                    else ""
                )
                say(
                    f"  {item.due_at.astimezone(zone):%a %d %H:%M}  {item.channel:<11} "
                    f"{item.platform_post_id or '-':<8} {item.url or ''}{note}"
                )
            else:
                say(f"  {item.channel:<11} {item.state}")
        if fault_now and result.published + result.reconciled:
            say(
                "  (its answer was lost; the retry carried the same publish key, and the network "
                "returned the post it had created instead of making a second one)"
            )
        if not result.due:
            break
    network.set_time(max(until, network.now()))
    status = ws.status()
    copies = [
        len(network.posts(v.channel, publish_key=v.publish_key))
        for v in ws.variants(status="published")
    ]
    say(
        f"Exactly once: {sum(copies)} posts on the network for {len(copies)} published "
        f"variants (duplicates: {sum(c - 1 for c in copies)})"
    )
    waiting = status.outbox.get("pending", 0)
    if waiting:
        assert status.next_due is not None
        nxt = status.next_due.astimezone(zone)
        say(
            f"{waiting} publications still queued (next {nxt:%a %d %b %H:%M}): run the demo "
            "again with the same --workspace to continue."
        )
    with ws.store.read() as tx:
        records = tx.published()
    if records:
        busiest = max(records, key=lambda r: len(network.comments(r.platform_post_id)))
        comments = network.comments(busiest.platform_post_id)
        flagged = [c for c in comments if c.label in ("spam", "abusive")]
        say(
            f"Comments on {busiest.platform_post_id}: {len(comments)}, of which "
            f"{len(flagged)} spam or abusive (ground truth kept for moderation), e.g.:"
        )
        shown = comments[:3] + [c for c in flagged[:1] if c not in comments[:3]]
        for comment in shown:
            say(f"  [{comment.label}] @{comment.author}: {comment.text}")
