"""``smmkit reply``: answer one inbox message with a text or a saved reply, checked first and sent
exactly once; a thin shell over :meth:`smmkit.workspace.Workspace.reply`."""

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
    _workspace_at,
    app,
)

__all__ = ["reply"]


def _values(pairs: list[str] | None) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            from smmkit.errors import ValidationError

            raise ValidationError(
                "--value", pair, "must be NAME=VALUE", hint="e.g. --value code=PANE10"
            )
        values[name.strip()] = value
    return values


@app.command()
def reply(
    key: Annotated[str, typer.Argument(help="the message's key, '<channel>:<message id>'")],
    text: Annotated[str | None, typer.Argument(help="the reply's text (or use --saved)")] = None,
    saved: Annotated[
        str | None, typer.Option("--saved", "-s", help="send this saved reply of the setup")
    ] = None,
    value: Annotated[
        list[str] | None,
        typer.Option("--value", "-v", help="a placeholder's value, NAME=VALUE (repeatable)"),
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="who sends it (recorded; default the workspace's)")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="check the reply and show it; send nothing")
    ] = False,
    now: NowOpt = None,
    sandbox: SandboxOpt = None,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Reply to an inbox message, in the brand's voice, exactly once.

    The reply is checked first (the brand's register and voice, the platform's limits, the
    placeholders): a bad one is refused with the findings (exit code 3) and nothing is sent.
    Sending the same reply again does nothing ("already_done"). Exit code 1 when the platform
    refused it or it was deferred (rate-limited: run the command again later)."""
    if (text is None) == (saved is None):
        from smmkit.errors import ValidationError

        raise ValidationError(
            "text", text, "give either a text or --saved NAME", hint="smmkit reply KEY 'Grazie!'"
        )
    with _workspace_at(workspace, now, brand=brand, sandbox=sandbox) as (ws, moment):
        result = ws.reply(
            key,
            text,
            saved=saved,
            values=_values(value),
            by=by,
            brand=brand,
            now=moment,
            dry_run=dry_run,
        )

    def render(console: Console) -> None:
        console.print(f"{result.outcome.value}: reply to {result.message_key} ({result.author})")
        if result.reply_text is not None:
            console.print(result.reply_text, markup=False)
        if result.detail:
            console.print(f"detail: {result.detail}", markup=False)

    _emit(as_json, result, render)
    if result.outcome.value in ("failed", "deferred"):
        raise _Exit(EXIT_FAILED)
