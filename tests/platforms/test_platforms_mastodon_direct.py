"""Mastodon direct messages: a mention with ``direct`` visibility is a direct message in the
inbox (kind ``direct``, private), a followers-only one is private; a reply to either is itself
``direct`` (never public), and the reply's request passes the official OpenAPI description."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from smmkit.models import MessageKind
from smmkit.platforms import Comment
from smmkit.platforms.mastodon import MastodonClient

from .test_platforms_mastodon_contract import SPEC, _jsonschema_problems, _operation, _spec

BASE = "https://mastodon.example"


def _status(n: int, visibility: str, parent: str | None = None) -> dict[str, Any]:
    return {
        "id": str(700 + n),
        "created_at": f"2026-11-26T09:{n:02d}:00.000Z",
        "content": f"<p>@fornoaurora messaggio {n}</p>",
        "visibility": visibility,
        "in_reply_to_id": parent,
        "in_reply_to_account_id": "1" if parent else None,
        "url": f"https://other.test/@fan{n}/{700 + n}",
        "account": {"id": str(50 + n), "acct": f"fan{n}@other.test", "followers_count": 3},
    }


class Instance:
    """Notifications (newest first, ``min_id`` honoured) and a statuses endpoint that records
    what was posted."""

    def __init__(self) -> None:
        self.notifications: list[dict[str, Any]] = []
        self.posted: list[dict[str, Any]] = []
        self.requests: list[httpx.Request] = []

    def add(self, status: dict[str, Any]) -> None:
        self.notifications.append(
            {"id": str(900 + len(self.notifications)), "type": "mention", "status": status}
        )

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/api/v1/notifications":
            floor = int(request.url.params.get("min_id", "0"))
            found = [n for n in self.notifications if int(n["id"]) > floor]
            return httpx.Response(200, json=list(reversed(found)))
        if request.url.path == "/api/v1/statuses" and request.method == "POST":
            body = json.loads(request.content)
            self.posted.append(body)
            status = _status(60, body.get("visibility", "public"), body.get("in_reply_to_id"))
            status["id"] = str(800 + len(self.posted))
            return httpx.Response(200, json=status)
        if request.url.path == "/api/v1/accounts/verify_credentials":
            return httpx.Response(200, json={"id": "1", "acct": "fornoaurora"})
        return httpx.Response(404, json={"error": "not found"})


def _client(server: Instance) -> MastodonClient:
    return MastodonClient(
        BASE,
        token="mastodon-token-direct",
        channel="mastodon",
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
    )


def test_direct_and_followers_only_mentions_are_private_and_answered_privately() -> None:
    server = Instance()
    server.add(_status(1, "public"))
    server.add(_status(2, "direct"))
    server.add(_status(3, "private"))
    server.add(_status(4, "direct", parent="802"))  # a DM answering the brand's DM
    client = _client(server)
    page = client.fetch_inbox()
    got = {m.message_id: (m.kind, m.private, m.thread_id) for m in page.messages}
    assert got == {
        "701": (MessageKind.MENTION, False, "701"),
        "702": (MessageKind.DIRECT, True, "702"),
        "703": (MessageKind.MENTION, True, "703"),
        "704": (MessageKind.DIRECT, True, "802"),
    }
    assert client.fetch_inbox(page.cursor).messages == ()  # one min_id request, nothing new

    for message in page.messages:
        client.reply(
            Comment(
                platform=message.platform,
                comment_id=message.message_id,
                post_id=message.post_id,
                author=message.author,
                text=message.text,
                created_at=message.created_at,
                kind=message.kind,
                private=message.private,
            ),
            "Grazie, ti rispondiamo subito",
        )
    visibility = {p["in_reply_to_id"]: p["visibility"] for p in server.posted}
    assert visibility == {"701": "public", "702": "direct", "703": "direct", "704": "direct"}
    assert all(p["status"].startswith("@fan") for p in server.posted)  # the addressee is named


def test_a_comment_read_from_a_direct_status_is_private_by_itself() -> None:
    server = Instance()
    server.add(_status(5, "direct"))
    client = _client(server)
    [comment] = list(client.mentions())
    assert (comment.kind, comment.private) == (MessageKind.DIRECT, True)
    client.reply(comment, "Certo!")  # no kind given by the caller: the status said it
    assert server.posted[-1]["visibility"] == "direct"


def test_a_direct_message_is_always_private() -> None:
    from datetime import UTC, datetime

    from smmkit.models import InboxMessage, Platform

    message = InboxMessage(
        channel="mastodon",
        platform=Platform.MASTODON,
        message_id="1",
        kind=MessageKind.DIRECT,
        thread_id="1",
        author="a",
        text="ciao",
        created_at=datetime(2026, 11, 26, tzinfo=UTC),
    )
    assert message.private
    assert InboxMessage.model_validate_json(message.model_dump_json()).private
    old = json.loads(message.model_dump_json())
    del old["private"]  # a message stored before the flag existed
    assert InboxMessage.model_validate(old).private
    assert not InboxMessage.model_validate({**old, "kind": "comment"}).private


def test_notifications_without_a_status_id_are_skipped() -> None:
    server = Instance()
    broken = _status(6, "direct")
    del broken["id"]
    server.notifications = [
        {"id": "950", "type": "mention", "status": broken},
        {"id": "951", "type": "mention", "status": "gone"},
        {"id": "952", "type": "mention", "status": _status(7, "direct")},
    ]
    page = _client(server).fetch_inbox()
    assert [m.message_id for m in page.messages] == ["707"] and page.cursor == "952"


@pytest.mark.skipif(not SPEC.exists(), reason="../shared/specs/mastodon/schema.json absent")
def test_the_private_reply_matches_the_spec() -> None:
    server = Instance()
    server.add(_status(8, "direct"))
    client = _client(server)
    [message] = client.fetch_inbox().messages
    client.reply(
        Comment(
            platform=message.platform,
            comment_id=message.message_id,
            author=message.author,
            text=message.text,
            created_at=message.created_at,
            private=True,
        ),
        "Ti scriviamo in privato",
    )
    _, raw = _spec()
    problems = [
        p for r in server.requests for p in _jsonschema_problems(raw, _operation(raw, r), r)
    ]
    assert problems == []
    assert server.posted[-1]["visibility"] == "direct"
