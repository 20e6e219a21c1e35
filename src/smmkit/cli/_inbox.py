"""``smmkit inbox``: the community inbox (list with filters, show a thread, pull first with
``--sync``), a thin shell over :meth:`smmkit.workspace.Workspace.inbox` and friends."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from ._app import (
    DEFAULT_WORKSPACE,
    BrandOpt,
    JsonFlag,
    NowOpt,
    SandboxOpt,
    WorkspaceOpt,
    _emit,
    _parse_now,
    _table,
    _workspace_at,
    app,
)

if TYPE_CHECKING:
    from smmkit.store import InboxRecord

__all__ = ["inbox"]

_TEXT_WIDTH = 60


def _record_json(record: InboxRecord) -> dict[str, Any]:
    message = record.message
    return {
        "key": record.key,
        "channel": message.channel,
        "platform": message.platform.value,
        "kind": message.kind.value,
        "thread_id": message.thread_id,
        "in_reply_to": message.in_reply_to,
        "author": message.author,
        "text": message.text,
        "created_at": message.created_at.isoformat(),
        "url": message.url,
        "from_brand": message.from_brand,
        "category": record.category,
        "confidence": record.confidence,
        "cues": list(record.cues),
        "language": record.language,
        "read": record.read,
        "assigned_to": record.assigned_to,
        "answered_at": record.answered_at.isoformat() if record.answered_at else None,
        "hidden": record.hidden,
        "handled_by": record.handled_by,
    }


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _TEXT_WIDTH else flat[: _TEXT_WIDTH - 1] + "…"


def _state(record: InboxRecord) -> str:
    marks = []
    if not record.read:
        marks.append("unread")
    if record.answered_at is not None:
        marks.append("answered")
    if record.hidden:
        marks.append("hidden")
    if record.assigned_to:
        marks.append(f"@{record.assigned_to}")
    return " ".join(marks)


@app.command()
def inbox(
    channel: Annotated[
        list[str] | None, typer.Option("--channel", "-c", help="only these channels")
    ] = None,
    category: Annotated[
        list[str] | None,
        typer.Option(
            "--category",
            help="only these categories (spam, abuse, question, complaint, praise, lead, other)",
        ),
    ] = None,
    state: Annotated[
        list[str] | None,
        typer.Option(
            "--state",
            help="only messages in these states, all of them (unread, read, unanswered, "
            "answered, assigned, unassigned, hidden)",
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="written at or after, ISO 8601 with an offset")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="at most this many")] = 50,
    thread: Annotated[
        str | None, typer.Option("--thread", help="show the whole thread of this message key")
    ] = None,
    sync: Annotated[
        bool, typer.Option("--sync", help="pull every channel's new messages first")
    ] = False,
    now: NowOpt = None,
    sandbox: SandboxOpt = None,
    workspace: WorkspaceOpt = DEFAULT_WORKSPACE,
    brand: BrandOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """The community inbox, newest first: comments, replies and mentions from every channel,
    with their category and state; or one thread (--thread KEY), oldest first."""
    with _workspace_at(workspace, now, brand=brand, sandbox=sandbox) as (ws, moment):
        synced = ws.sync_inbox(moment, brand=brand) if sync else None
        if thread is not None:
            records = ws.thread(thread, brand=brand)
        else:
            records = ws.inbox(
                brand=brand,
                channel=channel or None,
                category=category or None,
                state=state or None,
                since=_parse_now(since),
                limit=limit,
            )
    payload: dict[str, Any] = {"messages": [_record_json(r) for r in records]}
    if synced is not None:
        payload["sync"] = synced.model_dump(mode="json")

    def render(console: Console) -> None:
        if synced is not None:
            console.print(
                f"synced: {synced.new} new in {synced.requests} requests"
                + "".join(f"; {c.channel}: {c.error}" for c in synced.errors),
                markup=False,
            )
        title = f"thread of {thread}" if thread is not None else "inbox"
        rows = [
            [
                r.created_at.strftime("%Y-%m-%d %H:%M"),
                r.key,
                ("↳ " if r.message.in_reply_to else "") + r.message.author,
                _short(r.message.text),
                r.category or "",
                _state(r),
            ]
            for r in records
        ]
        console.print(_table(title, ["when", "key", "who", "text", "category", "state"], rows))
        if not records:
            console.print("nothing matches.")

    _emit(as_json, payload, render)
