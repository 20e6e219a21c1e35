"""``smmkit moderate``: the brand's moderation rules over the stored inbox, a dry run unless
``--apply``; a thin shell over :meth:`smmkit.workspace.Workspace.moderate`."""

from __future__ import annotations

import secrets
import shlex
from typing import TYPE_CHECKING, Annotated, Any

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

if TYPE_CHECKING:
    from smmkit.workspace import CommandNotifier, ModerationRun, WebhookNotifier, Workspace

__all__ = ["moderate"]

_EXCERPT = 48


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT else flat[: _EXCERPT - 1] + "…"


def _notifier(
    ws: Workspace,
    brand: str | None,
    *,
    webhook: str | None,
    command: str | None,
    notify_on: list[str] | None,
    off: bool,
) -> WebhookNotifier | CommandNotifier | None:
    """The notifier the options (first) or the setup's ``[community.notify]`` declare."""
    from smmkit.community import ModerationAction
    from smmkit.errors import ValidationError
    from smmkit.workspace import CommandNotifier, WebhookNotifier, resolve_webhook
    from smmkit.workspace._notify import notifier_from_settings

    if off:
        if webhook is not None or command is not None:
            raise ValidationError(
                "--no-notify",
                True,
                "cannot be combined with --notify-webhook or --notify-command",
                hint="leave out --no-notify, or the notification target",
            )
        return None
    if webhook is not None and command is not None:
        raise ValidationError(
            "--notify-command",
            command,
            "give one notification target, not both --notify-webhook and --notify-command",
            hint="leave one of them out",
        )
    brand_id = ws.brand_id(brand)
    settings = ws.setup(brand_id).community.notify
    actions: list[ModerationAction] | None = None
    if notify_on:
        known = [a.value for a in ModerationAction]
        for name in notify_on:
            if name not in known:
                raise ValidationError(
                    "--notify-on", name, "is not a moderation action", hint=f"one of {known}"
                )
        actions = [ModerationAction(name) for name in notify_on]
    run_id = f"moderate-{secrets.token_hex(4)}"
    common: dict[str, Any] = {"brand": brand_id, "run_id": run_id}
    if settings is not None:
        common.update(timeout=settings.timeout_seconds, attempts=settings.attempts)
        common["actions"] = settings.actions
    if actions is not None:
        common["actions"] = actions
    if webhook is not None:
        url = resolve_webhook(webhook, field="--notify-webhook")
        return WebhookNotifier(url, field="--notify-webhook", **common)
    if command is not None:
        try:
            argv = shlex.split(command)
        except ValueError as exc:
            raise ValidationError(
                "--notify-command", command, f"cannot be split into arguments: {exc}"
            ) from None
        if not argv:
            raise ValidationError(
                "--notify-command", command, "is empty", hint="give the program to run"
            )
        return CommandNotifier(argv, **common)
    if settings is None:
        if notify_on:
            raise ValidationError(
                "--notify-on",
                notify_on[0],
                "needs a notification target",
                hint="add --notify-webhook env:NAME or --notify-command, or declare "
                "[community.notify] in the setup",
            )
        return None
    notifier = notifier_from_settings(settings, brand=brand_id, run_id=run_id)
    if actions is not None:
        notifier.actions = frozenset(actions)
    return notifier


def _notifications(
    ws: Workspace,
    result: ModerationRun,
    notifier: WebhookNotifier | CommandNotifier | None,
) -> dict[str, Any] | None:
    """What the run notified (or, in a dry run, would notify), and what stays queued."""
    if notifier is None:
        return None
    with ws.store.read() as tx:
        pending = len(tx.pending_notifications(ws.brand_id(result.brand)))
    if result.dry_run:
        would = [
            a
            for a in result.actions
            if a.outcome.value == "would_do" and a.action in notifier.actions
        ]
        return {
            "target": notifier.kind,
            "actions": sorted(a.value for a in notifier.actions),
            "would_notify": len(would),
            "queued": pending,
        }
    return {
        "target": notifier.kind,
        "actions": sorted(a.value for a in notifier.actions),
        "delivered": len(notifier.delivered),
        "action_ids": list(notifier.delivered),
        "queued": pending,
    }


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
    notify_webhook: Annotated[
        str | None,
        typer.Option(
            "--notify-webhook",
            metavar="env:NAME",
            help="notify an incoming webhook (Slack, Teams, Mattermost, ...) whose URL is in "
            "the environment variable NAME (a JSON POST per action; the URL itself is a secret "
            "and is never given on the command line)",
        ),
    ] = None,
    notify_command: Annotated[
        str | None,
        typer.Option(
            "--notify-command",
            metavar="COMMAND",
            help="run this program for each notification, the JSON on its standard input (split "
            "into arguments like a shell would, but never run through one); a non-zero exit "
            "means not delivered",
        ),
    ] = None,
    notify_on: Annotated[
        list[str] | None,
        typer.Option(
            "--notify-on",
            help="the actions to notify (repeatable; default the setup's, else assign, "
            "escalate and notify)",
        ),
    ] = None,
    no_notify: Annotated[
        bool,
        typer.Option(
            "--no-notify",
            help="notify nobody this time, even if the setup names a target (undelivered "
            "notifications stay queued)",
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Moderate the inbox with the brand's rules: hide, delete, reply, assign, escalate, notify.

    With a notification target (--notify-webhook, --notify-command or the setup's
    [community.notify]) a live run delivers each assign, escalate and notify at least once; a
    dry run says what it would notify and calls nothing.

    Exit code 1 when an action failed (the failure is in the output and the change log) or a
    notification was not delivered (it stays queued for the next live run)."""
    with _workspace_at(workspace, now, brand=brand, sandbox=sandbox) as (ws, moment):
        notifier = _notifier(
            ws,
            brand,
            webhook=notify_webhook,
            command=notify_command,
            notify_on=notify_on,
            off=no_notify,
        )
        try:
            result = ws.moderate(
                now=moment,
                dry_run=not apply,
                brand=brand,
                channel=channel or None,
                on_action=None if notifier is None or not apply else notifier,
            )
        finally:
            close = getattr(notifier, "close", None)
            if callable(close):
                close()
        notified = _notifications(ws, result, notifier)

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
        if notified is not None:
            kinds = ", ".join(notified["actions"])
            if result.dry_run:
                console.print(
                    f"would notify {notified['target']}: {notified['would_notify']} "
                    f"notification(s) ({kinds}); nothing was called"
                )
            else:
                console.print(
                    f"notified {notified['target']}: {notified['delivered']} notification(s) "
                    f"delivered ({kinds})"
                )
            if notified["queued"]:
                console.print(
                    f"{notified['queued']} notification(s) queued by an earlier run "
                    + ("would be delivered again" if result.dry_run else "still undelivered")
                )

    payload: Any = result
    if notified is not None:
        payload = {**result.model_dump(mode="json"), "notifications": notified}
    _emit(as_json, payload, render)
    if result.count("failed"):
        raise _Exit(EXIT_FAILED)
