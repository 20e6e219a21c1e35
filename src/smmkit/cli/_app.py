"""The commands of ``smmkit`` (Typer) and their human (Rich) and ``--json`` output."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from smmkit._version import __version__

if TYPE_CHECKING:
    from smmkit.workspace import Workspace

__all__ = ["EXIT_CODES", "app", "run"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3
EXIT_STORE = 4
EXIT_PLATFORM = 5
EXIT_INTERRUPTED = 130

EXIT_CODES: dict[int, str] = {
    EXIT_OK: "success",
    EXIT_FAILED: "the command ran, but what it checked or did failed (check found problems, "
    "a publication failed)",
    EXIT_USAGE: "bad arguments or invalid input (a setup file, a value); nothing was written",
    EXIT_REFUSED: "refused by the workflow or a platform's rules; nothing was written",
    EXIT_STORE: "the workspace cannot be opened or written (missing, newer schema, locked)",
    EXIT_PLATFORM: "a network could not be reached or answered with an error",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C)",
}
"""The exit codes of every command (also in ``docs/cli.md``)."""

DEFAULT_WORKSPACE = "smmkit.db"

app = typer.Typer(
    name="smmkit",
    help="smmkit: the SDK for a social media manager's job, on the command line.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class _Exit(Exception):
    """A command's chosen exit code (raised inside, turned into the return value of ``run``)."""

    def __init__(self, code: int) -> None:
        self.code = code


# -- options shared by the commands ----------------------------------------------------------
JsonFlag = Annotated[
    bool, typer.Option("--json", help="print one JSON document on stdout instead of tables")
]
WorkspaceOpt = Annotated[
    str,
    typer.Option(
        "--workspace",
        "-w",
        envvar="SMMKIT_WORKSPACE",
        help="the workspace: a SQLite file or a postgresql:// URL",
    ),
]
BrandOpt = Annotated[
    str | None,
    typer.Option("--brand", "-b", envvar="SMMKIT_BRAND", help="the brand (when several)"),
]
NowOpt = Annotated[
    str | None,
    typer.Option(
        "--now",
        help="the moment to act at, ISO 8601 with an offset (default: the clock)",
    ),
]
SandboxOpt = Annotated[
    Path | None,
    typer.Option(
        "--sandbox",
        envvar="SMMKIT_SANDBOX",
        help="publish to a simulated network kept in this SQLite file instead of the real ones",
    ),
]
SandboxDedupeOpt = Annotated[
    bool,
    typer.Option(
        "--sandbox-dedupe/--no-sandbox-dedupe",
        help="whether the simulated network deduplicates by publish key (off: exactly once "
        "rests on the outbox alone, as for a network without idempotency keys)",
    ),
]


def _console(*, err: bool = False) -> Console:
    return Console(file=sys.stderr if err else sys.stdout, soft_wrap=True, highlight=False)


def _jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    dump = getattr(value, "model_dump", None)  # plain values: Money, allocation lines
    if callable(dump):
        return dump(mode="json")
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _emit(as_json: bool, payload: Any, render: Callable[[Console], None]) -> None:
    if as_json:
        sys.stdout.write(json.dumps(_jsonable(payload), ensure_ascii=False, sort_keys=True) + "\n")
    else:
        render(_console())


def _parse_now(value: str | None) -> datetime | None:
    from smmkit.errors import ValidationError

    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            "--now", value, "is not an ISO 8601 date-time", hint="e.g. 2026-12-01T09:00:00+01:00"
        ) from None
    if moment.tzinfo is None:
        raise ValidationError(
            "--now", value, "needs a UTC offset", hint="e.g. 2026-12-01T09:00:00+01:00"
        )
    return moment


def _is_url(target: str) -> bool:
    return "://" in target or target == ":memory:"


@contextmanager
def _workspace(
    target: str,
    *,
    brand: str | None = None,
    sandbox: Path | None = None,
    dedupe: bool = True,
    create: bool = False,
    migrate: bool = True,
) -> Iterator[Workspace]:
    from smmkit.errors import ValidationError
    from smmkit.workspace import Workspace

    if not create and not _is_url(target) and not Path(target).exists():
        raise ValidationError(
            "--workspace",
            target,
            "no workspace there",
            hint="create one with `smmkit init SETUP_FILE -w PATH` (or set SMMKIT_WORKSPACE).",
        )
    network = None
    if sandbox is not None:
        from smmkit.platforms.sandbox import SandboxNetwork

        network = SandboxNetwork(path=sandbox, dedupe=dedupe)
    ws = Workspace.open(target, brand=brand, sandbox=network, migrate=migrate)
    try:
        yield ws
    finally:
        ws.close()
        if network is not None:
            network.close()


@contextmanager
def _progress(as_json: bool, text: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr, fed with ``(done, total)`` (not in ``--json`` mode)."""
    if as_json:
        yield None
        return
    from rich.progress import Progress

    with Progress(console=_console(err=True), transient=True) as bar:
        task = bar.add_task(text, total=None)

        def step(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield step


@contextmanager
def _spinner(as_json: bool, text: str) -> Iterator[None]:
    """A spinner on stderr while long work runs (not in ``--json`` mode)."""
    if as_json:
        yield None
        return
    with _console(err=True).status(text, spinner="dots"):
        yield None


@contextmanager
def _workspace_at(
    target: str,
    now: str | None,
    *,
    brand: str | None = None,
    sandbox: Path | None = None,
    dedupe: bool = True,
) -> Iterator[tuple[Workspace, datetime | None]]:
    """The workspace (opened as :func:`_workspace` does) and ``--now`` parsed, for the commands
    that act on the channels: a sandbox network's clock follows ``--now`` forwards (it never
    goes back)."""
    with _workspace(target, brand=brand, sandbox=sandbox, dedupe=dedupe) as ws:
        moment = _parse_now(now)
        if ws.sandbox is not None and moment is not None and moment > ws.sandbox.now():
            ws.sandbox.set_time(moment)
        yield ws, moment


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    return table


def _version(value: bool) -> None:
    if value:
        _console().print(f"smmkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="print the version"),
    ] = False,
) -> None:
    """smmkit: the SDK for a social media manager's job, on the command line."""


# -- init, check, schema ---------------------------------------------------------------------
@app.command()
def init(
    setup: Annotated[
        Path | None, typer.Argument(help="a setup file (.toml or .json) to import")
    ] = None,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Create (or open and migrate) a workspace, and import a setup file into it."""
    from smmkit.workspace import Workspace

    result = None
    if setup is not None:
        parsed = Workspace.read_setup(setup)  # checked before the workspace is created
    with _workspace(workspace, brand=None, create=True) as ws:
        if setup is not None:
            result = ws.import_setup(parsed, brand=brand)
            result = result.model_copy(update={"source": str(setup)})
        brands = ws.brands()
    payload = {"workspace": workspace, "brands": brands, "imported": result}

    def render(console: Console) -> None:
        console.print(f"Workspace {workspace}: brands {', '.join(brands) or '(none yet)'}")
        if result is not None:
            console.print(
                f"Imported {result.source} as {result.brand}: {result.channels} channels, "
                f"{result.campaigns} campaigns, {result.influencers} influencers, "
                f"{result.items_added} new content items ({result.items_kept} kept)"
            )
            for key in result.credentials_not_stored:
                console.print(
                    f"  channel {key}: its literal credential was not stored; give it through "
                    "the environment (SMMKIT_<CHANNEL>_TOKEN) or an env:NAME reference"
                )

    _emit(as_json, payload, render)


@app.command()
def check(
    setup: Annotated[Path | None, typer.Argument(help="a setup file to validate")] = None,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    now: NowOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Check a setup file and/or the workspace's variants against the platforms' rules.

    Writes nothing (an older workspace is not migrated either).
    """
    from smmkit.content import validate
    from smmkit.workspace import Workspace

    problems: list[dict[str, Any]] = []
    summary: dict[str, Any] = {}
    if setup is not None:
        parsed = Workspace.read_setup(setup)
        summary["setup"] = {
            "file": str(setup),
            "brand": parsed.brand.name,
            "channels": len(parsed.channels),
            "campaigns": len(parsed.campaigns),
            "content": len(parsed.content),
        }
    checked = 0
    if setup is None or _is_url(workspace) or Path(workspace).exists():
        with _workspace(workspace, brand=brand, migrate=False) as ws:
            moment = _parse_now(now) or ws.now()
            for variant in ws.variants(brand=brand):
                if variant.status.value in ("published", "archived"):
                    continue
                checked += 1
                for v in validate(variant, on=moment.date()):
                    if v.severity == "error":
                        problems.append(
                            {
                                "variant": variant.id,
                                "channel": variant.channel,
                                "rule": v.rule,
                                "message": v.message,
                            }
                        )
    summary["variants_checked"] = checked
    summary["problems"] = problems

    def render(console: Console) -> None:
        if "setup" in summary:
            s = summary["setup"]
            console.print(
                f"{s['file']}: valid ({s['brand']}, {s['channels']} channels, "
                f"{s['campaigns']} campaigns, {s['content']} content items)"
            )
        if checked:
            console.print(f"{checked} variants checked against their platform's rules")
        if problems:
            console.print(
                _table(
                    "Problems",
                    ["variant", "channel", "rule", "message"],
                    [[p["variant"], p["channel"], p["rule"], p["message"]] for p in problems],
                )
            )

    _emit(as_json, summary, render)
    if problems:
        raise _Exit(EXIT_FAILED)


_SCHEMAS = {
    "setup": ("smmkit.setup", "Setup"),
    "variant": ("smmkit.models", "Variant"),
    "content-item": ("smmkit.models", "ContentItem"),
    "channel": ("smmkit.models", "Channel"),
    "brand": ("smmkit.models", "Brand"),
    "calendar": ("smmkit.planner", "EditorialCalendar"),
    "post-metrics": ("smmkit.models", "PostMetrics"),
    "ad-metrics": ("smmkit.models", "AdMetrics"),
}


@app.command()
def schema(
    name: Annotated[
        str, typer.Argument(help=f"one of: {', '.join(_SCHEMAS)}", show_default=True)
    ] = "setup",
    as_json: JsonFlag = False,
) -> None:
    """Print the JSON Schema of a setup file or of a model (for editors and validators)."""
    import importlib

    from smmkit.errors import ValidationError

    if name not in _SCHEMAS:
        raise ValidationError("schema", name, f"must be one of {', '.join(_SCHEMAS)}")
    module, attr = _SCHEMAS[name]
    model = getattr(importlib.import_module(module), attr)
    document = model.model_json_schema()
    # Always JSON: a schema is a JSON document (the flag is accepted for uniformity).
    del as_json
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


# -- plan, draft, approve, schedule ------------------------------------------------------------
@app.command()
def plan(
    start: Annotated[str, typer.Option("--start", help="first day, YYYY-MM-DD")],
    weeks: Annotated[int, typer.Option("--weeks", min=1, max=520, help="how many weeks")] = 4,
    seed: Annotated[int, typer.Option("--seed", help="tie-break seed")] = 0,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Plan the editorial calendar and store its slots (best times from stored metrics)."""
    from smmkit.errors import ValidationError

    try:
        first = date.fromisoformat(start)
    except ValueError:
        raise ValidationError("--start", start, "is not a date (YYYY-MM-DD)") from None
    with _workspace(workspace, brand=brand) as ws, _spinner(as_json, "Planning..."):
        calendar = ws.plan(first, weeks=weeks, brand=brand, seed=seed)
    payload = {
        "brand": calendar.brand,
        "start": calendar.start,
        "end": calendar.end,
        "slots": len(calendar.slots),
        "with_item": sum(1 for s in calendar.slots if s.item_id),
        "notes": list(calendar.notes),
    }

    def render(console: Console) -> None:
        console.print(
            f"Planned {len(calendar.slots)} slots from {calendar.start} to {calendar.end} "
            f"({payload['with_item']} with a content item)"
        )
        rows = [
            [s.start.strftime("%a %d %b %H:%M"), s.channel, s.pillar, s.format.value, s.item_id]
            for s in calendar.slots[:20]
        ]
        console.print(_table("First slots", ["when", "channel", "pillar", "format", "item"], rows))
        for note in calendar.notes:
            console.print(f"Note: {note}")

    _emit(as_json, payload, render)


@app.command()
def draft(
    item: Annotated[
        list[str] | None, typer.Option("--item", help="only these content items")
    ] = None,
    channel: Annotated[
        list[str] | None, typer.Option("--channel", help="only these channels")
    ] = None,
    now: NowOpt = None,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Adapt the content items to every channel, validate and lint them; store the drafts."""
    with _workspace(workspace, brand=brand) as ws, _progress(as_json, "Drafting") as step:
        result = ws.draft(
            brand=brand, now=_parse_now(now), items=item, channels=channel, progress=step
        )

    def render(console: Console) -> None:
        console.print(
            f"{len(result.drafted)} variants drafted, {len(result.refused)} refused, "
            f"{result.already} already there"
        )
        if result.drafted:
            console.print(
                _table(
                    "Drafted",
                    ["variant", "item", "channel", "voice findings"],
                    [
                        [d.variant_id, d.item_id, d.channel, "; ".join(d.voice) or "-"]
                        for d in result.drafted
                    ],
                )
            )
        for r in result.refused:
            console.print(f"refused {r.item_id} on {r.channel}: {'; '.join(r.violations)}")

    _emit(as_json, result, render)


@app.command()
def approve(
    variants: Annotated[list[str] | None, typer.Argument(help="variant ids")] = None,
    all_drafts: Annotated[
        bool, typer.Option("--all", help="every draft and every variant in review")
    ] = False,
    note: Annotated[str | None, typer.Option("--note", help="a note for the history")] = None,
    actor: Annotated[str | None, typer.Option("--as", help="who approves")] = None,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Approve variants (draft or in review -> approved); all or nothing."""
    from smmkit.errors import ValidationError

    with _workspace(workspace, brand=brand) as ws:
        ids = list(variants or [])
        if all_drafts:
            ids += [v.id for v in ws.variants(brand=brand, status="draft")]
            ids += [v.id for v in ws.variants(brand=brand, status="in_review")]
        if not ids:
            raise ValidationError("variants", None, "name variant ids, or pass --all")
        moved = ws.approve(ids, note=note, actor=actor)
    payload = {"approved": [v.id for v in moved]}
    _emit(as_json, payload, lambda c: c.print(f"{len(moved)} variants approved"))


@app.command()
def schedule(
    now: NowOpt = None,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Put approved variants into free slots of their channel and queue them for publishing."""
    with _workspace(workspace, brand=brand) as ws:
        result = ws.schedule(brand=brand, now=_parse_now(now))

    def render(console: Console) -> None:
        console.print(
            f"{len(result.scheduled)} variants scheduled, {len(result.unplaced)} without a slot"
        )
        if result.scheduled:
            console.print(
                _table(
                    "Scheduled",
                    ["when (UTC)", "channel", "variant", "item"],
                    [
                        [a.at.strftime("%Y-%m-%d %H:%M"), a.channel, a.variant_id, a.item_id]
                        for a in result.scheduled
                    ],
                )
            )

    _emit(as_json, result, render)


# -- publish, run, status --------------------------------------------------------------------
@app.command()
def publish(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="list what is due; publish nothing")
    ] = False,
    now: NowOpt = None,
    sandbox: SandboxOpt = None,
    sandbox_dedupe: SandboxDedupeOpt = True,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Publish what is due now, once (exactly once, through the outbox)."""
    opened = _workspace_at(workspace, now, brand=brand, sandbox=sandbox, dedupe=sandbox_dedupe)
    with opened as (ws, moment):
        result = ws.publish_due(moment, brand=brand, dry_run=dry_run)

    def render(console: Console) -> None:
        verb = "due" if dry_run else "handled"
        console.print(f"{len(result.due)} publications {verb} at {result.now.isoformat()}")
        if result.due:
            console.print(
                _table(
                    "Outbox",
                    ["due (UTC)", "channel", "state", "post", "url"],
                    [
                        [
                            d.due_at.strftime("%Y-%m-%d %H:%M"),
                            d.channel,
                            d.state,
                            d.platform_post_id,
                            d.url,
                        ]
                        for d in result.due
                    ],
                )
            )
        if not dry_run:
            console.print(
                f"published {result.published}, failed {result.failed}, retrying "
                f"{result.retrying}, needs re-auth {result.needs_reauth}"
            )

    _emit(as_json, result, render)
    if result.failed or result.needs_reauth:
        raise _Exit(EXIT_FAILED)


@app.command(name="run")
def run_cmd(
    until_idle: Annotated[
        bool, typer.Option("--until-idle", help="stop when nothing is due (scripts, tests)")
    ] = False,
    now: NowOpt = None,
    sandbox: SandboxOpt = None,
    sandbox_dedupe: SandboxDedupeOpt = True,
    inbox_every: Annotated[
        float | None,
        typer.Option("--inbox-every", min=0.1, help="also pull the inbox every this many minutes"),
    ] = None,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Run the runner: publish what is due, collect metrics (and pull the inbox with
    --inbox-every); stops cleanly on SIGTERM."""
    opened = _workspace_at(workspace, now, brand=brand, sandbox=sandbox, dedupe=sandbox_dedupe)
    with opened as (ws, moment):
        hooks = None
        if not as_json:
            from smmkit.platforms import redact
            from smmkit.runner import RunnerHooks

            err = _console(err=True)
            hooks = RunnerHooks(
                published=lambda entry, post: err.print(
                    f"published {entry.channel} {post.post_id} {post.url or ''}", markup=False
                ),
                failed=lambda entry, error: err.print(
                    f"failed {entry.channel} {entry.publish_key}: {redact(str(error))}",
                    markup=False,
                ),
                needs_reauth=lambda entry, error: err.print(
                    f"needs re-auth {entry.channel}: {redact(str(error))}", markup=False
                ),
            )
        extra: dict[str, Any] = {}
        if inbox_every is not None:
            extra["inbox_interval"] = timedelta(minutes=inbox_every)
        report = ws.run(until_idle=until_idle, now=moment, hooks=hooks, **extra)
    summary = dataclasses.asdict(report)

    def render(console: Console) -> None:
        console.print(
            f"published {report.published} (reconciled {report.reconciled}), retrying "
            f"{report.retried}, failed {report.failed}, needs re-auth {report.needs_reauth}, "
            f"metrics {report.metrics}; stopped by {report.stopped_by}"
        )

    _emit(as_json, summary, render)
    if report.failed or report.needs_reauth:
        raise _Exit(EXIT_FAILED)


@app.command()
def status(
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    now: NowOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """What the workspace holds: items, variants by state, slots, the outbox, published posts;
    with an inbox, how fast the brand answers (response times and the backlog, at ``--now``)."""
    with _workspace(workspace, brand=brand) as ws:
        result = ws.status(brand=brand, now=_parse_now(now))

    def render(console: Console) -> None:
        table = _table(
            f"{result.brand} ({result.channels} channels)",
            ["what", "count"],
            [
                *[[f"items {k}", v] for k, v in result.items.items()],
                *[[f"variants {k}", v] for k, v in result.variants.items()],
                ["slots", result.slots],
                ["slots filled", result.slots_filled],
                *[[f"outbox {k}", v] for k, v in result.outbox.items()],
                ["published posts", result.published],
                ["metric snapshots", result.post_snapshots],
            ],
        )
        console.print(table)
        if result.next_due is not None:
            console.print(f"next due: {result.next_due.isoformat()}")
        if result.responses is not None:
            console.print(_responses_table(result.responses))

    _emit(as_json, result, render)


def _minutes(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _responses_table(report: Any) -> Table:
    """Response times per channel (a ``smmkit.community.ResponseReport``), as a table."""
    from smmkit.community import AgeBucket

    rows = []
    for name, stats in [*((c.channel, c) for c in report.channels), ("all", report.total)]:
        rate = "-" if stats.response_rate is None else f"{stats.response_rate:.0%}"
        ages = " ".join(f"{b.value}:{stats.backlog_by_age[b]}" for b in AgeBucket)
        rows.append(
            [
                name,
                f"{stats.answered}/{stats.received}",
                rate,
                _minutes(stats.first_response_median_seconds),
                _minutes(stats.first_response_p90_seconds),
                stats.backlog,
                ages,
            ]
        )
    return _table(
        "responses (last 30 days; backlog: all waiting)",
        ["channel", "answered", "rate", "first reply median", "p90", "backlog", "by age"],
        rows,
    )


# -- report, allocate, export ------------------------------------------------------------------
@app.command()
def report(
    fmt: Annotated[
        str, typer.Option("--format", help="md or html; with --month also pdf (with --out)")
    ] = "md",
    out: Annotated[Path | None, typer.Option("--out", help="write the report here")] = None,
    month: Annotated[
        str | None,
        typer.Option("--month", help='the client\'s monthly report for a month, e.g. "2026-12"'),
    ] = None,
    locale: Annotated[
        str | None,
        typer.Option("--locale", help="the report's language (default: the brand's)"),
    ] = None,
    now: NowOpt = None,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """The results report over the stored metrics (KPIs, best times, anomalies, goals); with
    --month, the client's monthly report in the brand's language (md, html or pdf)."""
    from smmkit.errors import ValidationError

    if month is not None:
        _monthly_report(fmt, out, month, locale, _parse_now(now), workspace, brand, as_json)
        return
    if fmt not in ("md", "html"):
        raise ValidationError("--format", fmt, "must be md or html")
    with _workspace(workspace, brand=brand) as ws:
        result = ws.report(brand=brand)
        lang = locale or ws.setup(brand).brand.locale  # the brand's language by default
    text = result.to_html(locale=lang) if fmt == "html" else result.to_markdown(locale=lang)
    if out is not None:
        out.write_text(text, encoding="utf-8")
    payload = {
        "posts": result.posts,
        "period_start": result.period_start,
        "period_end": result.period_end,
        "headline": [{"name": k.name, "value": k.value} for k in result.headline],
        "written": str(out) if out is not None else None,
    }

    def render(console: Console) -> None:
        if out is not None:
            console.print(f"Report on {result.posts} posts written to {out}")
        else:
            console.print(text, markup=False)

    _emit(as_json, payload, render)


def _monthly_report(
    fmt: str,
    out: Path | None,
    month: str,
    locale: str | None,
    now: datetime | None,
    workspace: str,
    brand: str | None,
    as_json: bool,
) -> None:
    from smmkit.errors import ValidationError
    from smmkit.i18n import localizer

    from ._reports import REPORT_FORMATS, monthly_report, report_file

    if fmt not in REPORT_FORMATS:
        raise ValidationError("--format", fmt, f"must be one of {', '.join(REPORT_FORMATS)}")
    if fmt == "pdf" and out is None:
        raise ValidationError("--out", None, "a PDF needs a file", hint="add --out report.pdf")
    with _workspace(workspace, brand=brand) as ws:
        result = monthly_report(ws, month, brand=brand, locale=locale, now=now)
    with _spinner(as_json or fmt != "pdf", "Printing the PDF..."):
        data = report_file(result, fmt, locale=locale)
    if out is not None:
        out.write_bytes(data)
    loc = localizer(locale or result.locale)
    payload = {
        "month": month,
        "locale": loc.tag,
        "format": fmt,
        "posts": result.posts,
        "sections": {
            "growth": len(result.growth),
            "anomalies": len(result.anomalies),
            "paid": result.paid is not None,
            "recommendations": len(result.recommendations),
        },
        "written": str(out) if out is not None else None,
        "bytes": len(data),
    }

    def render(console: Console) -> None:
        if out is not None:
            console.print(
                loc._(
                    "Monthly report for {month} written to {path}.",
                    month=loc.month_year(result.year, result.month),
                    path=str(out),
                ),
                markup=False,
            )
        else:
            console.print(data.decode("utf-8"), markup=False)

    _emit(as_json, payload, render)


@app.command()
def allocate(
    budget: Annotated[str, typer.Option("--budget", help='the total, e.g. "5000 EUR"')],
    weeks: Annotated[float, typer.Option("--weeks", help="the flight's length in weeks")] = 4.0,
    seed: Annotated[int, typer.Option("--seed", help="bootstrap seed of the curve fits")] = 0,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Split a paid budget over the channels from response curves fitted on stored ad history."""
    from smmkit.errors import ValidationError
    from smmkit.models import Money

    parts = budget.split()
    try:
        total = Money.of(parts[0], parts[1]) if len(parts) == 2 else None
    except (ValueError, ArithmeticError):
        total = None
    if total is None:
        raise ValidationError("--budget", budget, 'must be an amount and a currency: "5000 EUR"')
    with _workspace(workspace, brand=brand) as ws, _spinner(as_json, "Fitting curves..."):
        result = ws.allocate(total, weeks=weeks, brand=brand, seed=seed)
    payload = {
        "total": str(result.total),
        "response": result.response,
        "current_response": result.current_response,
        "certified": result.certified,
        "lines": [
            {
                "name": ln.name,
                "amount": str(ln.amount.amount),
                "currency": ln.amount.currency,
                "current": str(ln.current.amount) if ln.current else None,
                "response": ln.response,
                "marginal": ln.marginal,
                "binding": ln.binding,
            }
            for ln in result.lines
        ],
    }

    def render(console: Console) -> None:
        console.print(
            _table(
                f"Budget {result.total} over {weeks:g} weeks",
                ["line", "current", "optimal", "response", "marginal", "bound"],
                [
                    [
                        ln.name,
                        ln.current.amount if ln.current else "-",
                        ln.amount.amount,
                        f"{ln.response:,.0f}",
                        f"{ln.marginal:.3f}",
                        ln.binding or "-",
                    ]
                    for ln in result.lines
                ],
            )
        )
        console.print(f"expected response {result.response:,.0f}; certified: {result.certified}")

    _emit(as_json, payload, render)


@app.command()
def export(
    fmt: Annotated[
        str, typer.Argument(help="ics, csv or json; or 'calendar' for the client's copy")
    ],
    out: Annotated[Path | None, typer.Option("--out", help="write here (default: stdout)")] = None,
    cal_fmt: Annotated[
        str | None,
        typer.Option("--format", help="with 'calendar': xlsx (needs --out), csv or ics"),
    ] = None,
    locale: Annotated[
        str | None,
        typer.Option("--locale", help="with 'calendar': the language (default: the brand's)"),
    ] = None,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Export the stored calendar as iCalendar, CSV (safe for spreadsheets) or JSON; or, with
    'calendar', the client's copy to approve (post texts and status, in the brand's language)
    as XLSX (a sheet per month), CSV by the locale's conventions, or iCalendar."""
    from smmkit.errors import ValidationError

    if fmt == "calendar":
        _export_calendar(cal_fmt or "xlsx", out, locale, workspace, brand, as_json)
        return
    if cal_fmt is not None or locale is not None:
        raise ValidationError(
            "--format" if cal_fmt is not None else "--locale",
            cal_fmt or locale,
            "applies to `smmkit export calendar`",
        )
    if fmt not in ("ics", "csv", "json"):
        raise ValidationError("format", fmt, "must be ics, csv or json")
    with _workspace(workspace, brand=brand) as ws:
        data = ws.export(fmt, brand=brand)
    if out is not None:
        out.write_bytes(data)
        _emit(
            as_json,
            {"format": fmt, "written": str(out), "bytes": len(data)},
            lambda c: c.print(f"Wrote {out} ({len(data)} bytes)"),
        )
    elif as_json:
        _emit(True, {"format": fmt, "content": data.decode("utf-8")}, lambda c: None)
    else:
        sys.stdout.write(data.decode("utf-8"))


def _export_calendar(
    fmt: str,
    out: Path | None,
    locale: str | None,
    workspace: str,
    brand: str | None,
    as_json: bool,
) -> None:
    from smmkit.errors import ValidationError
    from smmkit.i18n import localizer

    from ._reports import CALENDAR_FORMATS, calendar_file

    if fmt not in CALENDAR_FORMATS:
        raise ValidationError("--format", fmt, f"must be one of {', '.join(CALENDAR_FORMATS)}")
    if fmt == "xlsx" and out is None:
        raise ValidationError("--out", None, "a workbook needs a file", hint="add --out cal.xlsx")
    with _workspace(workspace, brand=brand) as ws:
        data = calendar_file(ws, fmt, brand=brand, locale=locale)
        lang = locale or ws.setup(brand).brand.locale
    if out is not None:
        out.write_bytes(data)
        loc = localizer(lang)
        _emit(
            as_json,
            {"format": fmt, "locale": loc.tag, "written": str(out), "bytes": len(data)},
            lambda c: c.print(loc._("Calendar written to {path}.", path=str(out)), markup=False),
        )
    elif as_json:
        text = data.decode("utf-8-sig")
        _emit(True, {"format": fmt, "locale": lang, "content": text}, lambda c: None)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


# -- the guided tour and the old setup check ---------------------------------------------------
@app.command()
def demo(
    setup: Annotated[
        Path | None, typer.Option("--setup", help="a setup file (default: Forno Aurora)")
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", help="where to write the files the demo makes")
    ] = Path("smmkit-demo-output"),
    seed: Annotated[int, typer.Option("--seed", help="seed of the simulated network")] = 7,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="the demo's workspace file (default: a new one in a temporary directory); "
            "run again with the same file to continue where it stopped",
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Run the guided tour on an example setup (offline, sandbox network)."""
    from smmkit._demo import run_demo

    if as_json:
        import io

        buffer = io.StringIO()
        ctx = run_demo(setup, out, seed=seed, stream=buffer, workspace=workspace)
        _emit(True, {"out": str(out), "workspace": str(ctx.workspace_path)}, lambda c: None)
    else:
        run_demo(setup, out, seed=seed, workspace=workspace)
        _console().print(f"\nFiles written to {out}/")


@app.command(name="check-setup")
def check_setup(
    path: Annotated[Path, typer.Argument(help="the setup file")],
    as_json: JsonFlag = False,
) -> None:
    """Validate a setup file and summarise it."""
    from smmkit._demo import run_demo

    if as_json:
        from smmkit.setup import load_setup

        parsed = load_setup(path)
        _emit(
            True,
            {
                "file": str(path),
                "brand": parsed.brand.name,
                "channels": [c.key for c in parsed.channels],
                "campaigns": [c.id for c in parsed.campaigns],
                "content": len(parsed.content),
            },
            lambda c: None,
        )
        return
    run_demo(path, Path("smmkit-demo-output"), only=lambda name: name == "section_10_setup")


# -- running it ----------------------------------------------------------------------------
def _code_for(exc: BaseException) -> int:
    from smmkit.errors import (
        ContentRuleError,
        PlatformError,
        StoreError,
        TransitionError,
        ValidationError,
    )

    if isinstance(exc, TransitionError | ContentRuleError):
        return EXIT_REFUSED
    if isinstance(exc, StoreError):
        return EXIT_STORE
    if isinstance(exc, PlatformError):
        return EXIT_PLATFORM
    if isinstance(exc, ValidationError):
        return EXIT_USAGE
    return EXIT_FAILED


def _report_error(exc: BaseException, code: int, as_json: bool) -> None:
    from smmkit.platforms import redact

    message = redact(str(exc))
    if as_json:
        payload: dict[str, Any] = {"error": {"type": type(exc).__name__, "message": message}}
        for attr in (
            "field",
            "rule",
            "hint",
            "current",
            "target",
            "allowed",
            "key",
            "file",
            "findings",
        ):
            value = getattr(exc, attr, None)
            if value is not None:
                payload["error"][attr] = _jsonable(value)
        payload["exit_code"] = code
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, sort_keys=True) + "\n")
    else:
        _console(err=True).print(f"smmkit: error: {message}", markup=False)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    from smmkit.errors import SmmkitError

    args = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args
    command = typer.main.get_command(app)
    try:
        command.main(args=args, prog_name="smmkit", standalone_mode=False)
    except _Exit as exc:
        return exc.code
    except SmmkitError as exc:
        code = _code_for(exc)
        _report_error(exc, code, as_json)
        return code
    except typer.Exit as exc:
        return int(getattr(exc, "exit_code", 0) or 0)
    except (typer.Abort, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    except OSError as exc:
        _report_error(exc, EXIT_USAGE, as_json)
        return EXIT_USAGE
    except Exception as exc:
        # Usage errors of the command-line parser (Click's ClickException, as Typer raises it):
        # recognised by their interface, whichever Click module Typer uses.
        show = getattr(exc, "show", None)
        if callable(show) and hasattr(exc, "format_message"):
            if as_json:
                _report_error(_UsageError(str(exc.format_message())), EXIT_USAGE, True)
            else:
                show(file=sys.stderr)
            return int(getattr(exc, "exit_code", EXIT_USAGE) or EXIT_USAGE)
        raise
    return EXIT_OK


class _UsageError(Exception):
    """A command-line usage error, for the ``--json`` error document."""


# Commands defined in their own modules register themselves on ``app``.
from . import _inbox as _inbox  # noqa: E402
from . import _influencers as _influencers  # noqa: E402
from . import _moderate as _moderate  # noqa: E402
from . import _reply as _reply  # noqa: E402
