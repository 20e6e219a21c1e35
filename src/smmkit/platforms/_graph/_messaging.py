"""Direct messages over Graph, shared by Instagram (``GET /<ig-user>/conversations``,
``POST /<ig-user>/messages``) and Facebook Pages (the same edges on the Page, Messenger).

A pull lists the conversations most recently updated first, each with its newest messages
(``messages.limit(20){...}``), and reads back to the cursor's watermark. Each message becomes a
private ``direct`` inbox message threaded on the other person's id (the id the messaging
webhook names too, so a webhook and a pull give one message in one thread). A reply goes to the
sender with ``recipient={"id": ...}`` and is sent once: Meta offers no look-up of it, so a lost
answer is reported as an unknown outcome and never guessed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from smmkit.errors import PlatformError, ValidationError
from smmkit.models import InboxMessage, MessageKind
from smmkit.platforms._core import Operation
from smmkit.platforms._inbox import Watermark
from smmkit.platforms._protocol import Comment

from ._call import obj
from ._core import listed, next_cursor, parse_time

if TYPE_CHECKING:
    from ._core import GraphCore

__all__ = ["CONVERSATION_FIELDS", "direct_message", "read_conversations", "send_direct"]

_log = logging.getLogger("smmkit.platforms.meta")

CONVERSATION_FIELDS = "id,updated_time,messages.limit(20){id,created_time,from,to,message}"


def direct_message(
    core: GraphCore, item: Mapping[str, Any], conversation: str, own_id: str
) -> InboxMessage | None:
    """One message of a conversation as a private ``direct`` inbox message; ``None`` (logged)
    without an id or a readable time. ``own_id`` is the account's id (its messages are the
    brand's)."""
    platform = str(core.platform)
    message_id = item.get("id")
    when = parse_time(item.get("created_time"))
    if not isinstance(message_id, str | int) or isinstance(message_id, bool) or when is None:
        _log.warning("%s: a direct message without an id or time was skipped", platform)
        return None
    who = obj(item.get("from"))
    author_id = str(who["id"]) if isinstance(who.get("id"), str | int) else None
    mine = author_id == own_id
    to = obj(item.get("to")).get("data")
    first = to[0] if isinstance(to, list) and to and isinstance(to[0], dict) else {}
    partner = first.get("id") if mine else author_id
    return InboxMessage(
        channel=core.channel,
        platform=core.platform,
        message_id=str(message_id),
        kind=MessageKind.DIRECT,
        thread_id=str(partner) if isinstance(partner, str | int) and partner else conversation,
        author=str(who.get("username") or who.get("name") or author_id or "unknown"),
        author_id=author_id,
        text=str(item.get("message") or "")[:10_000],
        created_at=when,
        from_brand=mine,
    )


def read_conversations(
    core: GraphCore,
    *,
    node: str,
    node_id: str,
    platform: str,
    mark: Watermark | None,
    oldest: datetime,
    size: int,
    pages: int,
    permissions: tuple[str, ...],
) -> Operation[list[InboxMessage]]:
    """Operation: the direct messages newer than ``mark`` (and ``oldest``), from
    ``GET /<node_id>/conversations?platform=...`` read most recently updated first until a
    conversation not updated since ``mark``, at most ``pages`` pages."""
    found: list[InboxMessage] = []
    after: str | None = None
    for _ in range(pages):
        params: dict[str, object] = {
            "platform": platform,
            "fields": CONVERSATION_FIELDS,
            "limit": size,
        }
        if after:
            params["after"] = after
        data = yield from core._call(
            "GET", node, node_id, "conversations", params, permissions=permissions
        )
        reached_old = False
        for conversation in listed(data, str(core.platform), "conversations"):
            updated = parse_time(conversation.get("updated_time"))
            conversation_id = conversation.get("id")
            if updated is None or not isinstance(conversation_id, str | int):
                continue
            if updated < oldest or (mark is not None and updated < mark.at):
                reached_old = True
                continue
            items = listed(obj(conversation.get("messages")), str(core.platform), "messages")
            fresh = [
                message
                for item in items
                if (message := direct_message(core, item, str(conversation_id), node_id))
                is not None
                and message.created_at >= oldest
                and (mark is None or mark.is_new(message.created_at, message.message_id))
            ]
            if items and len(fresh) == len(items) and mark is not None:
                _log.warning(
                    "%s %s: conversation %s has more new messages than one page; older ones "
                    "may be left out",
                    core.platform,
                    node_id,
                    conversation_id,
                )
            found += fresh
        after = next_cursor(data)
        if reached_old or after is None:
            break
    return found


def _recipient(value: str | None) -> str:
    if (
        not isinstance(value, str)
        or not 0 < len(value) <= 64
        or not value.isascii()
        or not value.isdigit()
    ):
        raise ValidationError(
            "to.author_id",
            None if value is None else str(value)[:80],
            "a reply to a direct message needs the sender's id (digits), as the inbox stored it",
            hint="reply to the message as the inbox stored it (its author_id).",
        )
    return value


def send_direct(
    core: GraphCore,
    *,
    node: str,
    node_id: str,
    to: Comment,
    text: str,
    permissions: tuple[str, ...],
    extra: Mapping[str, object] | None = None,
) -> Operation[Comment]:
    """Operation: ``POST /<node_id>/messages`` to ``to``'s author (``to.author_id``), once."""
    recipient = _recipient(to.author_id)
    params: dict[str, object] = {
        "recipient": json.dumps({"id": recipient}),
        "message": json.dumps({"text": text}, ensure_ascii=False),
        **(extra or {}),
    }
    data = yield from core._call(
        "POST",
        node,
        node_id,
        "messages",
        params,
        permissions=permissions,
        idempotent=False,
        action="answer a direct message",
    )
    sent = data.get("message_id")
    if not isinstance(sent, str) or not sent:
        raise PlatformError(
            f"{core.platform}: the direct message was answered without a message_id.",
            platform=str(core.platform),
        )
    return Comment(
        platform=core.platform,
        comment_id=sent,
        author="me",
        author_id=node_id,
        text=text,
        created_at=core.clock(),
        in_reply_to=to.comment_id,
        kind=MessageKind.DIRECT,
        private=True,
    )
