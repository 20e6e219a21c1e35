"""``smmkit influencers`` (list, score, move, brief) and ``smmkit audit``: thin shells over
:mod:`smmkit.influencers` and :mod:`smmkit.audit` with the workspace's store."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from ._app import (
    DEFAULT_WORKSPACE,
    BrandOpt,
    JsonFlag,
    NowOpt,
    WorkspaceOpt,
    _emit,
    _parse_now,
    _table,
    _workspace,
    app,
)

if TYPE_CHECKING:
    from smmkit.influencers import Collaboration, Creator
    from smmkit.models import Influencer, Money
    from smmkit.setup import Setup
    from smmkit.workspace import Workspace

__all__ = ["influencers_app"]

influencers_app = typer.Typer(
    name="influencers",
    help="Creators: import and list them, score authenticity and fit, move them through the "
    "pipeline, write their brief.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(influencers_app, name="influencers")

_STAGE_ENTITY = "influencer_stage"


def _find(setup: Setup, handle: str, platform: str | None) -> Influencer:
    from smmkit.errors import ValidationError

    wanted = handle.lstrip("@").casefold()
    found = [
        i
        for i in setup.influencers
        if i.handle.casefold() == wanted and (platform is None or i.platform.value == platform)
    ]
    if len(found) != 1:
        known = ", ".join(f"@{i.handle} ({i.platform.value})" for i in setup.influencers)
        rule = "is not an influencer of this brand" if not found else "is on several platforms"
        raise ValidationError(
            "handle",
            handle,
            rule + (f"; known: {known}" if known else ""),
            hint="add influencers to the setup file and import it (smmkit init), or pass "
            "--platform",
        )
    return found[0]


def _key(brand_id: str, person: Influencer) -> str:
    return f"{brand_id}/{person.platform.value}:{person.handle}"


def _fee(person: Influencer) -> Money | None:
    """The agreed fee: each deliverable at the creator's rate for its format (None when a
    deliverable has no rate)."""
    if not person.deliverables:
        return None
    rates = {r.format: r.price for r in person.rates}
    total = None
    for d in person.deliverables:
        price = rates.get(d.format)
        if price is None:
            return None
        cost = price * d.count
        total = cost if total is None else total + cost
    return total


def _collaboration(ws: Workspace, brand_id: str, person: Influencer) -> Collaboration:
    from smmkit.influencers import Collaboration, StageChange
    from smmkit.models import PipelineStage

    key = _key(brand_id, person)
    history = []
    with ws.store.read() as tx:
        entries = tx.changes(entity=_STAGE_ENTITY)
    for entry in entries:
        if entry.entity_id == key and entry.detail:
            history.append(
                StageChange(
                    source=PipelineStage(entry.detail["from"]),
                    target=PipelineStage(entry.detail["to"]),
                    at=datetime.fromisoformat(entry.detail["at"]),
                    note=entry.detail.get("note", ""),
                    by=entry.actor,
                )
            )
    return Collaboration(
        handle=person.handle,
        platform=person.platform,
        stage=person.stage,
        fee=_fee(person),
        deliverables=person.deliverables,
        history=tuple(history),
    )


@influencers_app.command("list")
def list_cmd(
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """The brand's influencers: followers, tier, engagement rate, stage and last move."""
    with _workspace(workspace, brand=brand) as ws:
        setup = ws.setup(brand)
        brand_id = ws.brand_id(brand)
        deals = {p.handle: _collaboration(ws, brand_id, p) for p in setup.influencers}
    rows: list[dict[str, Any]] = []
    for p in setup.influencers:
        last = deals[p.handle].history[-1] if deals[p.handle].history else None
        rows.append(
            {
                "handle": p.handle,
                "platform": p.platform.value,
                "followers": p.followers,
                "tier": p.tier.value,
                "engagement_rate": p.engagement_rate,
                "stage": p.stage.value,
                "allowed": [s.value for s in deals[p.handle].allowed],
                "last_move": None if last is None else last.at.isoformat(),
            }
        )

    def render(console: Console) -> None:
        console.print(
            _table(
                "Influencers",
                ["handle", "platform", "followers", "tier", "ER", "stage", "next"],
                [
                    [
                        f"@{r['handle']}",
                        r["platform"],
                        f"{r['followers']:,}",
                        r["tier"],
                        "" if r["engagement_rate"] is None else f"{r['engagement_rate']:.1%}",
                        r["stage"],
                        ", ".join(r["allowed"]),
                    ]
                    for r in rows
                ],
            )
        )

    _emit(as_json, {"influencers": rows}, render)


@influencers_app.command("import")
def import_cmd(
    csv_file: Annotated[Path, typer.Argument(help="a creators CSV file (see docs/influencers.md)")],
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Add (or update) the creators of a CSV file as the brand's influencers, all or none: a bad
    file is refused with every bad cell named (exit 2) and nothing is written."""
    from smmkit.influencers import read_creators_csv

    roster = read_creators_csv(csv_file.read_bytes(), source=str(csv_file))
    stages = {(c.platform, c.handle.casefold()): c.stage for c in roster.collaborations}
    with _workspace(workspace, brand=brand) as ws:
        brand_id = ws.brand_id(brand)
        known = {(p.platform, p.handle.casefold()): p for p in ws.setup(brand).influencers}
        added = updated = 0
        with ws.store.transaction(actor="cli") as tx:
            for creator in roster.creators:
                key = (creator.platform, creator.handle.casefold())
                previous = known.get(key)
                fields: dict[str, Any] = {}
                if key in stages:
                    fields["stage"] = stages[key]
                elif previous is not None:
                    fields["stage"] = previous.stage
                if previous is not None:
                    fields["rates"] = previous.rates
                    fields["deliverables"] = previous.deliverables
                new = tx.put_influencer(brand_id, creator.to_influencer(**fields))
                added += int(new)
                updated += int(not new)
    payload = {
        "added": added,
        "updated": updated,
        "ignored_columns": list(roster.ignored_columns),
    }

    def render(console: Console) -> None:
        console.print(
            f"{added} influencers added, {updated} updated from {csv_file}"
            + (
                f" (columns ignored: {', '.join(roster.ignored_columns)})"
                if roster.ignored_columns
                else ""
            ),
            markup=False,
        )

    _emit(as_json, payload, render)


@influencers_app.command()
def score(
    csv_file: Annotated[
        Path | None, typer.Option("--csv", help="score the creators of this CSV file")
    ] = None,
    sandbox_creators: Annotated[
        int, typer.Option("--sandbox-creators", help="score N generated sandbox creators")
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="seed of the sandbox creators")] = 7,
    top: Annotated[int, typer.Option("--top", help="rows to show")] = 10,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Authenticity and fit with the brand, best fit first (the workspace's influencers unless
    --csv or --sandbox-creators is given)."""
    from smmkit.influencers import Creator, authenticity_scores, fit, read_creators_csv

    with _workspace(workspace, brand=brand) as ws:
        setup = ws.setup(brand)
    creators: list[Creator]
    if csv_file is not None:
        creators = list(read_creators_csv(csv_file.read_bytes(), source=str(csv_file)).creators)
    elif sandbox_creators > 0:
        from smmkit.platforms.sandbox import generate_creators

        creators = [g.creator for g in generate_creators(sandbox_creators, seed=seed)]
    else:
        creators = [
            Creator(
                handle=p.handle,
                platform=p.platform,
                name=p.name,
                followers=p.followers,
                reported_engagement_rate=p.engagement_rate,
            )
            for p in setup.influencers
        ]
    batch = authenticity_scores(creators)
    rows: list[dict[str, Any]] = []
    for i, creator in enumerate(creators):
        report = fit(creator, setup.brand, setup.audience)
        auth = batch.report(i)
        concern = auth.contributing[0].reason if auth.contributing else ""
        rows.append(
            {
                "handle": creator.handle,
                "platform": creator.platform.value,
                "followers": creator.followers,
                "tier": creator.tier().value,
                "fit": report.score,
                "brand_safe": report.brand_safe,
                "authenticity": auth.score,
                "suspicious": auth.suspicious,
                "concern": concern,
                "unchecked": list(auth.unchecked),
            }
        )
    rows.sort(key=lambda r: (r["suspicious"], not r["brand_safe"], -r["fit"], r["handle"]))
    flagged = sum(1 for r in rows if r["suspicious"])

    def render(console: Console) -> None:
        console.print(
            _table(
                f"{len(rows)} creators, {flagged} flagged as inauthentic",
                ["handle", "tier", "fit", "authentic", "safe", "main concern"],
                [
                    [
                        f"@{r['handle']}",
                        r["tier"],
                        f"{r['fit']:.2f}",
                        f"{r['authenticity']:.2f}" + (" !" if r["suspicious"] else ""),
                        "yes" if r["brand_safe"] else "NO",
                        r["concern"],
                    ]
                    for r in rows[:top]
                ],
            )
        )

    _emit(as_json, {"creators": rows, "flagged": flagged}, render)


@influencers_app.command()
def move(
    handle: Annotated[str, typer.Argument(help="the influencer's handle")],
    stage: Annotated[str, typer.Argument(help="the stage to move to")],
    platform: Annotated[str | None, typer.Option("--platform", help="when on several")] = None,
    note: Annotated[str, typer.Option("--note", help="why (kept in the history)")] = "",
    now: NowOpt = None,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Move an influencer through the pipeline; a forbidden move names the allowed ones
    (exit code 3) and changes nothing; the move is recorded in the workspace's history."""
    from smmkit._sinks import single_line

    moment = _parse_now(now)
    with _workspace(workspace, brand=brand) as ws:
        setup = ws.setup(brand)
        brand_id = ws.brand_id(brand)
        person = _find(setup, handle, platform)
        deal = _collaboration(ws, brand_id, person)
        at = moment or ws.now()
        moved = deal.move(stage, at=at, note=single_line(note), by="cli")
        with ws.store.transaction(actor="cli") as tx:
            tx.put_influencer(brand_id, person.model_copy(update={"stage": moved.stage}))
            tx.log(
                _STAGE_ENTITY,
                _key(brand_id, person),
                "moved",
                {
                    "from": deal.stage.value,
                    "to": moved.stage.value,
                    "at": at.isoformat(),
                    "note": single_line(note),
                },
            )
    payload = {
        "handle": person.handle,
        "from": deal.stage.value,
        "to": moved.stage.value,
        "at": at,
        "allowed_next": [s.value for s in moved.allowed],
        "history": [
            {"from": h.source.value, "to": h.target.value, "at": h.at, "note": h.note}
            for h in moved.history
        ],
    }

    def render(console: Console) -> None:
        console.print(
            f"@{person.handle}: {deal.stage.value} -> {moved.stage.value}; next: "
            f"{', '.join(s.value for s in moved.allowed) or 'nothing (closed)'}",
            markup=False,
        )

    _emit(as_json, payload, render)


@influencers_app.command()
def brief(
    handle: Annotated[str, typer.Argument(help="the influencer's handle")],
    campaign: Annotated[str | None, typer.Option("--campaign", help="campaign id")] = None,
    link: Annotated[
        list[str] | None, typer.Option("--link", help="a link to tag for the creator")
    ] = None,
    locale: Annotated[str | None, typer.Option("--locale", help="e.g. it-IT or en")] = None,
    platform: Annotated[str | None, typer.Option("--platform", help="when on several")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="write the brief here")] = None,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """The creator's brief in the brand's voice (Markdown), with tracked links and promo code."""
    from smmkit.errors import ValidationError
    from smmkit.influencers import Collaboration, render_brief

    with _workspace(workspace, brand=brand) as ws:
        setup = ws.setup(brand)
    person = _find(setup, handle, platform)
    campaigns = {c.id: c for c in setup.campaigns}
    if not campaigns:
        raise ValidationError("--campaign", campaign, "the brand has no campaign to brief for")
    chosen = campaigns.get(campaign) if campaign else next(iter(campaigns.values()))
    if chosen is None:
        raise ValidationError("--campaign", campaign, f"unknown; known: {', '.join(campaigns)}")
    deal = Collaboration(
        handle=person.handle,
        platform=person.platform,
        campaign=chosen.id,
        fee=_fee(person),
        deliverables=person.deliverables,
    )
    result = render_brief(
        deal,
        setup.brand,
        chosen,
        creator_name=person.name,
        locale=locale,
        links=link or [],
        followers=person.followers,
    )
    if out is not None:
        out.write_text(result.text, encoding="utf-8")

    def render(console: Console) -> None:
        if out is not None:
            console.print(f"Brief for @{person.handle} written to {out}", markup=False)
        else:
            console.print(result.text, markup=False)

    _emit(as_json, {"brief": result, "written": None if out is None else str(out)}, render)


def _brand_data(ws: Workspace, setup: Setup, brand: str | None) -> list[Any]:
    from smmkit.audit import ChannelData

    latest: dict[str, Any] = {}
    for m in ws.post_metrics(brand=brand):
        seen = latest.get(m.post_id)
        if seen is None or m.measured_at > seen.measured_at:
            latest[m.post_id] = m
    out = []
    for platform in sorted({c.platform for c in setup.channels}, key=str):
        posts = tuple(m for m in latest.values() if m.platform == platform)
        followers = [m.followers for m in sorted(posts, key=lambda m: m.measured_at) if m.followers]
        out.append(
            ChannelData(
                owner=setup.brand.name,
                platform=platform,
                handle=next(c.handle for c in setup.channels if c.platform == platform),
                source="client",
                followers_end=followers[-1] if followers else None,
                posts=posts,
                note="" if posts else "no metrics collected yet (smmkit run collects them)",
            )
        )
    return out


@app.command()
def audit(
    days: Annotated[int, typer.Option("--days", help="the period, ending now")] = 28,
    capacity: Annotated[
        int | None, typer.Option("--capacity", help="posts a week the team can sustain")
    ] = None,
    accounts: Annotated[
        Path | None, typer.Option("--accounts", help="competitors' accounts CSV")
    ] = None,
    posts: Annotated[Path | None, typer.Option("--posts", help="competitors' posts CSV")] = None,
    now: NowOpt = None,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """The presence audit (the brand from the workspace's metrics, competitors from CSV) and
    where to be and how often."""
    from smmkit.audit import ChannelData, audit_presence, read_audit_csv, recommend_channels
    from smmkit.errors import ValidationError

    if days < 1 or days > 366:
        raise ValidationError("--days", days, "must be between 1 and 366")
    if posts is not None and accounts is None:
        raise ValidationError(
            "--posts", str(posts), "needs --accounts (the accounts the posts belong to)"
        )
    moment = _parse_now(now)
    with _workspace(workspace, brand=brand) as ws:
        setup = ws.setup(brand)
        end = moment or ws.now()
        data = _brand_data(ws, setup, brand)
    start = end - timedelta(days=days)
    imported = []
    if accounts is not None:
        imported = read_audit_csv(
            accounts.read_text(encoding="utf-8"),
            posts.read_text(encoding="utf-8") if posts is not None else "",
            measured_at=end,
            source=str(accounts),
        )
    have = {(d.owner, d.platform) for d in [*data, *imported]}
    data += [d for d in imported if d.owner != setup.brand.name]
    for competitor in setup.brand.competitors:
        for platform, handle in competitor.handles.items():
            if (competitor.name, platform) not in have:
                data.append(
                    ChannelData(
                        owner=competitor.name,
                        platform=platform,
                        handle=handle,
                        source="none",
                        note="no public look-up for this network yet; import it with --accounts",
                    )
                )
    result = audit_presence(data, brand=setup.brand.name, start=start, end=end)
    plan = None
    if setup.audience is not None:
        weekly = (
            capacity
            if capacity is not None
            else sum(c.cadence.posts_per_week for c in setup.channels)
        )
        plan = recommend_channels(
            setup.brand, setup.audience, capacity=weekly, channels=setup.channels, audit=result
        )

    def render(console: Console) -> None:
        console.print(result.to_markdown(), markup=False)
        if plan is None:
            console.print("No audience in the setup: no channel recommendation.")
            return
        console.print(
            _table(
                f"Where to be ({plan.used} of {plan.capacity} posts a week)",
                ["network", "action", "posts/week", "why", "expected"],
                [
                    [
                        r.platform.value,
                        r.action,
                        r.posts_per_week,
                        "; ".join(r.reasons),
                        r.expected_effect,
                    ]
                    for r in plan.recommendations
                ],
            )
        )

    _emit(as_json, {"audit": result, "channels": plan}, render)
