"""Demo section: the monthly report and the calendar to approve, in the brand's language."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from smmkit.errors import ValidationError
from smmkit.planner import EditorialCalendar
from smmkit.reports import (
    RenderError,
    calendar_csv,
    calendar_ics,
    calendar_xlsx,
    monthly_report,
    render_html,
    render_markdown,
    render_pdf,
)
from smmkit.reports._sample import sample_inputs

from . import DemoContext

TITLE = "7. The client's report and the calendar to approve"

_NOT_SOCIAL = {"mailchimp", "wordpress", "newsletter", "email"}


def run(ctx: DemoContext) -> None:
    say = ctx.say
    setup = ctx.setup
    brand = setup.brand
    stored = ctx.workspace.calendar()  # the calendar the workspace keeps (section 3 planned it)
    calendar = stored if stored.slots else None
    plan_start = calendar.start if isinstance(calendar, EditorialCalendar) else date(2026, 11, 30)
    last = plan_start - timedelta(days=1)  # the month that ends as the new plan starts
    month = f"{last.year}-{last.month:02d}"
    channels = {c.key: c.platform for c in setup.channels if c.platform.value not in _NOT_SOCIAL}
    currency = next((c.budget.currency for c in setup.campaigns if c.budget is not None), "EUR")
    # A seeded year of daily metrics stands in for the workspace's stored history.
    data = sample_inputs(brand, month, channels=channels, currency=currency, seed=ctx.seed)
    now = datetime(plan_start.year, plan_start.month, plan_start.day, 9, tzinfo=UTC)
    report = monthly_report(
        brand,
        month,
        posts=data.posts,
        texts=data.texts,
        accounts=data.accounts,
        ads=data.ads,
        planned=data.planned,
        pacing=data.pacing,
        competitors=data.competitors,
        community=data.community,
        influencers=data.influencers,
        now=now,
    )
    stem = f"report-{month}"
    (ctx.out_dir / f"{stem}.html").write_text(render_html(report), encoding="utf-8")
    markdown = render_markdown(report)
    (ctx.out_dir / f"{stem}.md").write_text(markdown, encoding="utf-8")
    say(
        f"Report for {month} in {brand.locale}: {report.posts} posts, "
        f"{len(report.anomalies)} anomalies, {len(report.recommendations)} recommendations."
    )
    say(f"Wrote {ctx.out_dir / (stem + '.html')} and {stem}.md")
    recommend = markdown.split("\n## ")[-1].splitlines()
    for line in recommend[:4]:
        say(f"  {line}")
    try:
        pdf = render_pdf(report)
    except RenderError as exc:
        say(f"PDF skipped: {exc}")
    else:
        (ctx.out_dir / f"{stem}.pdf").write_bytes(pdf)
        say(f"Wrote {ctx.out_dir / (stem + '.pdf')} ({len(pdf) // 1024} KiB)")

    if not isinstance(calendar, EditorialCalendar):
        say("No calendar from the planner section: nothing to export for approval.")
        return
    texts: dict[str, str] = {}
    for v in ctx.workspace.variants():
        if v.item_id is not None:
            texts.setdefault(v.item_id, v.text)
    (ctx.out_dir / "calendar.csv").write_bytes(calendar_csv(calendar, texts=texts))
    stamp = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    (ctx.out_dir / "calendar.ics").write_bytes(calendar_ics(calendar, texts=texts, stamp=stamp))
    written = ["calendar.csv", "calendar.ics"]
    try:
        (ctx.out_dir / "calendar.xlsx").write_bytes(calendar_xlsx(calendar, texts=texts))
        written.append("calendar.xlsx")
    except ValidationError as exc:  # without the xlsx extra (openpyxl)
        say(f"XLSX skipped: {exc}")
    with_text = sum(1 for s in calendar.slots if s.item_id in texts)
    say(
        f"Calendar for approval: {len(calendar.slots)} slots ({with_text} with their text) in "
        + ", ".join(written)
    )
