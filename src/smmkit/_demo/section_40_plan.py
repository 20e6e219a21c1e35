"""Demo section: the editorial calendar for Forno Aurora, four weeks around Italian holidays."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from smmkit.planner import PlanRequest, agenda_markdown, conflicts, plan, to_ics

from . import DemoContext

TITLE = "4. The editorial calendar"

START = date(2026, 11, 30)


def run(ctx: DemoContext) -> None:
    setup = ctx.setup
    say = ctx.say
    request = PlanRequest(
        brand=setup.brand,
        channels=setup.channels,
        start=START,
        weeks=4,
        campaigns=setup.campaigns,
        content=setup.content,
        audience=setup.audience,
    )
    calendar = plan(request)
    channels = ", ".join(c.key for c in setup.channels)
    last = calendar.end - timedelta(days=1)
    say(
        f"Planned {len(calendar.slots)} slots on {channels}, {START:%d %b} to "
        f"{last:%d %b %Y} ({setup.brand.timezone}), holidays from "
        f"{setup.brand.country}-{setup.brand.region}."
    )
    closed = [m for m in calendar.moments if m.blackout and m.kind == "holiday"]
    say("Kept free: " + "; ".join(f"{m.day:%d %b} {m.name}" for m in closed))
    say()
    say(agenda_markdown(calendar).rstrip())
    say()
    counts = Counter(s.pillar for s in calendar.slots)
    total = len(calendar.slots)
    say(
        "Pillar mix over the four weeks (target → planned): "
        + "; ".join(
            f"{p.key} {p.share:.0%} → {counts[p.key]}/{total} ({counts[p.key] / total:.0%})"
            for p in setup.brand.pillars
        )
    )
    campaign = [s for s in calendar.slots if s.campaign]
    say(
        f"Campaign slots: {len(campaign)} (only inside the panettone flight, on "
        f"{', '.join(sorted({s.channel for s in campaign}))}, pillar 'prodotto')."
    )
    found = conflicts(calendar, setup.channels, stagger=request.stagger)
    say(f"Conflicts (spacing, daily caps, the same item everywhere at once): {len(found)}")
    for note in calendar.notes:
        say(f"Note: {note}")
    first = calendar.slots[0]
    say(f"Why {first.channel} on {first.start:%a %d %b %H:%M}?")
    for reason in first.reasons:
        say(f"  - {reason}")
    variants = ctx.shared.get("variants")
    if isinstance(variants, list) and variants:
        say("Slots that get a ready variant:")
        for slot in calendar.slots:
            match = next(
                (
                    v
                    for v in variants
                    if getattr(v, "item_id", None) == slot.item_id
                    and getattr(v, "channel", None) == slot.channel
                ),
                None,
            )
            if slot.item_id and match is not None:
                text = str(getattr(match, "text", "")).replace("\n", " ")
                say(f"  {slot.start:%a %d %b %H:%M} {slot.channel:<10} {text[:60]}")
    path = ctx.out_dir / "forno-aurora.ics"
    # a fixed DTSTAMP keeps the demo's output reproducible
    path.write_bytes(to_ics(calendar, stamp=datetime(2026, 11, 26, 9, 0, tzinfo=UTC)))
    say(f"Wrote {path} ({len(calendar.slots)} events, one VTIMEZONE for Europe/Rome).")
    ctx.shared["calendar"] = calendar
