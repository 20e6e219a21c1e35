"""Demo section: fit response curves from paid history and split next month's budget."""

from __future__ import annotations

import csv
from datetime import timedelta
from decimal import Decimal

from smmkit._sinks import csv_cell
from smmkit.budget import (
    Arm,
    Hill,
    Line,
    Power,
    allocate,
    compare_scenarios,
    pace,
    thompson_split,
)
from smmkit.models import Money

from . import DemoContext

TITLE = "6. Paid budget: response curves and next month's split"


def run(ctx: DemoContext) -> None:
    say = ctx.say
    setup = ctx.setup
    paid = [c.key for c in setup.channels if c.paid]
    campaign = next((c for c in setup.campaigns if c.paid and c.budget is not None), None)
    if not paid or campaign is None or campaign.budget is None:
        say("No paid channels or paid campaign with a budget in this setup: nothing to allocate.")
        return
    budget = campaign.budget
    platform_of = {c.key: c.platform.value for c in setup.channels}
    weeks = (campaign.end - campaign.start) / timedelta(weeks=1)

    # 1. History: the sandbox's seeded ad history (AdMetrics per channel and week).
    from smmkit.platforms.sandbox import ad_history

    history = ad_history(
        [platform_of[k] for k in paid], weeks=104, seed=ctx.seed, currency=budget.currency
    )
    ws = ctx.workspace
    rows = [r for k in paid for r in history.for_channel(platform_of[k])]
    added = ws.add_ad_metrics(rows)
    say(
        f"History     {history.weeks} weeks of sandbox AdMetrics for {', '.join(paid)} "
        f"(spend, conversions, revenue) in the workspace ({added} rows new this run)"
    )
    fits = ws.fit_curves(l_max=12, bootstrap=30, seed=ctx.seed)

    # 2. Fit: Hill saturation of geometric adstock, with a seeded bootstrap.
    lines: list[Line] = []
    recent_spend: dict[str, float] = {}
    say("Fitted curves (weekly revenue from weekly spend; 95% bootstrap intervals):")
    for key in paid:
        ch = platform_of[key]
        spend = history.spend(ch)
        fit = fits[ch]  # fitted by the workspace on its stored history
        curve = fit.curve
        assert isinstance(curve, Hill)
        truth = history.curves[ch]
        lo, hi = fit.intervals["alpha"]
        say(
            f"  {key:<10} carry-over {fit.params['alpha']:.2f} [{lo:.2f}, {hi:.2f}] "
            f"(true {truth.adstock:.2f}); Hill slope {curve.slope:.2f} (true {truth.shape:.2f}),"
            f" half-saturation {curve.half_saturation:,.0f}/week; R² {fit.r2:.2f}, "
            f"MAPE {fit.mape:.0%}; {curve.shape.value}"
        )
        # the flight: spend X spread over W weeks returns W * f(X / W), again a Hill curve
        flight = Hill(
            slope=curve.slope, half_saturation=curve.half_saturation * weeks, top=curve.top * weeks
        )
        recent_spend[key] = sum(spend[-8:]) / 8
        lines.append(Line(name=key, curve=flight, minimum=Money.of(150, budget.currency)))

    # 3. The current mix: the last eight weeks' split of spend, applied to the budget.
    total_recent = sum(recent_spend.values())
    units = budget.minor_units
    shares = {k: v / total_recent for k, v in recent_spend.items()}
    current_units = {k: int(units * s) for k, s in shares.items()}
    first = paid[0]
    current_units[first] += units - sum(current_units.values())
    lines = [
        ln.model_copy(
            update={"current": Money.from_minor_units(current_units[ln.name], budget.currency)}
        )
        for ln in lines
    ]
    # the newsletter is not paid media: a small concave line for sponsored placements
    lines.append(
        Line(
            name="newsletter-sponsor",
            curve=Power(coefficient=40.0, exponent=0.5),
            current=Money.from_minor_units(0, budget.currency),
            maximum=Money.of(200, budget.currency),
        )
    )

    alloc = allocate(lines, budget)
    say()
    say(
        f"Budget      {budget} for '{campaign.name}' ({weeks:.1f} weeks, "
        f"{campaign.start:%d %b} → {campaign.end:%d %b})"
    )
    say(f"  {'line':<19}{'current':>12}{'optimal':>12}{'revenue':>11}{'marginal':>10}  bound")
    for ln in alloc.lines:
        cur = ln.current.amount if ln.current else Decimal(0)
        say(
            f"  {ln.name:<19}{cur:>12}{ln.amount.amount:>12}{ln.response:>11,.0f}"
            f"{ln.marginal:>10.2f}  {ln.binding or '-'}"
        )
    assert alloc.current_response is not None
    say(f"  {'total':<19}{budget.amount:>12}{alloc.total.amount:>12}{alloc.response:>11,.0f}")
    say(
        f"Current mix {alloc.current_response:,.0f} revenue → optimal {alloc.response:,.0f} "
        f"(+{alloc.response - alloc.current_response:,.0f}, ROAS "
        f"{alloc.response / float(budget.amount):.2f})"
    )
    say(
        f"Certificate method {alloc.method} ({alloc.nodes} nodes); upper bound "
        f"{alloc.upper_bound:,.2f}; gap {alloc.gap:.2e} ({alloc.relative_gap:.1e} relative); "
        f"common marginal return {alloc.marginal:.3f}; certified: {alloc.certified}"
    )
    if alloc.no_better_than_current:
        say("            the current mix is already optimal")

    # 4. Scenarios and pacing.
    table = compare_scenarios(lines, budget, changes=(-0.2, 0.2))
    say(
        "Scenarios   "
        + "; ".join(
            f"{s.name} {s.budget}: revenue {s.response:,.0f} (ROAS {s.roi:.2f})"
            for s in table.scenarios
        )
    )
    plan = pace(
        alloc,
        campaign.start.date(),
        (campaign.end - timedelta(seconds=1)).date(),
        profile="front_loaded",
        front_load=1.5,
        country=setup.brand.country,
        subdiv=setup.brand.region,
        locale=setup.brand.locale,
    )
    first_days = sorted({d.day for d in plan.days})[:8]
    say("Pacing      front-loaded, paused on public holidays: " + "; ".join(plan.notes))
    for day in first_days:
        parts = ", ".join(f"{k} {v.amount}" for k, v in plan.on(day).items())
        say(f"  {day:%a %d %b}  {parts}")
    out = ctx.out_dir / "budget_pacing.csv"
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["day", "line", "amount", "currency"])
        for row in plan.days:
            writer.writerow(
                [
                    row.day.isoformat(),
                    csv_cell(row.line),
                    str(row.amount.amount),
                    row.amount.currency,
                ]
            )
    say(f"            {len(plan.days)} daily budgets written to {out}")

    # 5. Ad variants: Thompson sampling on clicks, at least 10% each.
    names = ["A", "B", "C"]
    variants = ctx.workspace.variants()
    if len(variants) >= 2:
        # label the content section's variants by channel (the click counts are illustrative)
        labels = [
            f"{getattr(v, 'channel', 'variant')}-{chr(65 + i)}" for i, v in enumerate(variants[:3])
        ]
        if len(set(labels)) == len(labels):
            names = labels
    observed = [(42, 2400), (61, 2500), (18, 900)][: len(names)]
    split = thompson_split(
        [Arm(name=n, successes=s, trials=t) for n, (s, t) in zip(names, observed, strict=False)],
        min_share=0.1,
        seed=ctx.seed,
    )
    say(
        "Variants    (illustrative click counts) "
        + "; ".join(
            f"{n}: P(best) {split.prob_best[n]:.0%}, share {split.shares[n]:.0%}" for n in names
        )
    )
