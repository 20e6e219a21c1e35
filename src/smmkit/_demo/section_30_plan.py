"""Demo section: the editorial calendar for four weeks around Italian holidays, stored in the
workspace, and the approved variants scheduled into its slots."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from smmkit.planner import EditorialCalendar, agenda_markdown, conflicts

from . import DemoContext

TITLE = "3. The editorial calendar"


def _show_plan(ctx: DemoContext, calendar: EditorialCalendar) -> None:
    setup = ctx.setup
    say = ctx.say
    channels = ", ".join(c.key for c in setup.channels)
    last = calendar.end - timedelta(days=1)
    say(
        f"Planned {len(calendar.slots)} slots on {channels}, {calendar.start:%d %b} to "
        f"{last:%d %b %Y} ({setup.brand.timezone}), holidays from "
        f"{setup.brand.country}-{setup.brand.region}."
    )
    closed = [m for m in calendar.moments if m.blackout and m.kind == "holiday"]
    if closed:
        say("Kept free: " + "; ".join(f"{m.day:%d %b} {m.name}" for m in closed))
    say()
    say(agenda_markdown(calendar).rstrip())
    say()
    counts = Counter(s.pillar for s in calendar.slots)
    total = len(calendar.slots) or 1
    say(
        "Pillar mix (target → planned): "
        + "; ".join(
            f"{p.key} {p.share:.0%} → {counts[p.key]}/{total} ({counts[p.key] / total:.0%})"
            for p in setup.brand.pillars
        )
    )
    campaign = [s for s in calendar.slots if s.campaign]
    if campaign:
        say(
            f"Campaign slots: {len(campaign)} (only inside the flight, on "
            f"{', '.join(sorted({s.channel for s in campaign}))})."
        )
    found = conflicts(calendar, setup.channels)
    say(f"Conflicts (spacing, daily caps, the same item everywhere at once): {len(found)}")
    for note in calendar.notes:
        say(f"Note: {note}")
    if calendar.slots:
        first = calendar.slots[0]
        say(f"Why {first.channel} on {first.start:%a %d %b %H:%M}?")
        for reason in first.reasons:
            say(f"  - {reason}")


def run(ctx: DemoContext) -> None:
    say = ctx.say
    ws = ctx.workspace
    now = ws.now()
    ahead = ws.calendar(start=now, end=now + timedelta(days=14))
    if ahead.slots:
        say(
            f"The workspace already has {len(ahead.slots)} slots in the next two weeks "
            f"(clock {now:%a %d %b %H:%M} UTC): keeping them."
        )
    else:
        learnt = ws.best_times(min_posts=20)
        source = "best times learnt from the stored metrics" if learnt else "default windows"
        calendar = ws.plan(now.date(), weeks=4)
        say(f"Planning four weeks from {now:%d %b} ({source}).")
        _show_plan(ctx, calendar)
    result = ws.schedule()
    if result.scheduled:
        say("Approved variants put into slots (and queued in the outbox):")
        for a in sorted(result.scheduled, key=lambda a: a.at):
            say(f"  {a.at:%a %d %b %H:%M} UTC  {a.channel:<11} item {a.item_id}")
    if result.unplaced:
        say(f"{len(result.unplaced)} approved variants found no free slot on their channel.")
    path = ctx.out_dir / f"{ws.brand_id()}.ics"
    # a fixed DTSTAMP keeps the demo's output reproducible
    path.write_bytes(ws.export("ics", stamp=datetime(2026, 11, 26, 9, 0, tzinfo=UTC)))
    stored = ws.calendar()
    say(f"Wrote {path} ({len(stored.slots)} events from the workspace's calendar).")
