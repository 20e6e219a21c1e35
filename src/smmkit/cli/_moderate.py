"""``smmkit moderate``: the brand's moderation rules over the stored inbox, a dry run unless
``--apply``; a thin shell over :meth:`smmkit.workspace.Workspace.moderate`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from ._app import (
    DEFAULT_WORKSPACE,
    EXIT_FAILED,
    BrandOpt,
    JsonFlag,
    NowOpt,
    SandboxOpt,
    WorkspaceOpt,
    _emit,
    _Exit,
    _table,
    _workspace_at,
    app,
)

__all__ = ["moderate"]

_EXCERPT = 48


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT else flat[: _EXCERPT - 1] + "…"


@app.command()
def moderate(
    apply: Annotated[
        bool,
        typer.Option(
            "--apply/--dry-run",
            help="apply the actions (each exactly once); the default is a dry run that lists "
            "what would happen and why and changes nothing",
        ),
    ] = False,
    channel: Annotated[
        list[str] | None, typer.Option("--channel", "-c", help="only this channel (repeatable)")
    ] = None,
    now: NowOpt = None,
    sandbox: SandboxOpt = None,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Moderate the inbox with the brand's rules: hide, delete, reply, assign, escalate, notify.

    Exit code 1 when an action failed (the failure is in the output and the change log)."""
    with _workspace_at(workspace, now, brand=brand, sandbox=sandbox) as (ws, moment):
        result = ws.moderate(now=moment, dry_run=not apply, brand=brand, channel=channel or None)

    def render(console: Console) -> None:
        mode = "dry run: nothing was changed" if result.dry_run else "applied"
        console.print(
            f"{result.messages} messages of {result.brand} checked at {result.at.isoformat()} "
            f"({mode})"
        )
        if result.actions:
            console.print(
                _table(
                    "Moderation",
                    ["message", "author", "text", "action", "outcome", "why"],
                    [
                        [
                            a.message_key,
                            a.author,
                            _excerpt(a.text),
                            a.action.value + (f" → {a.to or a.reply}" if a.to or a.reply else ""),
                            a.outcome.value,
                            a.reason + (f" ({a.detail})" if a.detail else ""),
                        ]
                        for a in result.actions
                    ],
                )
            )
        parts = [
            f"{action} {', '.join(f'{k} {v}' for k, v in sorted(outcomes.items()))}"
            for action, outcomes in sorted(result.summary().items())
        ]
        console.print("; ".join(parts) if parts else "no rule fired")
        if result.reconciled:
            console.print(f"{result.reconciled} actions left in flight by a dead run reconciled")

    _emit(as_json, result, render)
    if result.count("failed"):
        raise _Exit(EXIT_FAILED)
