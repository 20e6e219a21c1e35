"""Instagram mentions reach the workspace's inbox both ways: a ``mentions`` webhook (ids only)
is read through the channel's client and stored as a ``mention``; the same media pulled later
from ``/tags`` is the same message; a look-up that fails is reported, never raised."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from smmkit.models import Channel, MessageKind
from smmkit.platforms.instagram import InstagramClient
from smmkit.platforms.meta import sign_body
from smmkit.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
FORNO = ROOT / "examples" / "forno_aurora.toml"
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
IG = "17841400000000001"  # the setup's Instagram account
SECRET = "app-secret-for-tests"
TAGGED = {
    "id": "1799000000001",
    "caption": "Colazione da @forno.aurora: cornetti perfetti",
    "username": "marco.bo",
    "timestamp": "2026-11-26T08:30:00+0000",
    "permalink": "https://www.instagram.com/p/AAA/",
}
COMMENT = {
    "id": "1801000000007",
    "text": "@forno.aurora fate consegne a Casalecchio?",
    "timestamp": "2026-11-26T08:45:00+0000",
    "media": {"id": "1799000000009", "permalink": "https://www.instagram.com/p/BBB/"},
}


class Graph:
    """Just enough of Graph for the inbox: no own media, one tagged media, the look-ups."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.fail = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.fail:
            return httpx.Response(
                400, json={"error": {"message": "Invalid parameter", "code": 100}}
            )
        path, fields = request.url.path, request.url.params.get("fields", "")
        if path.endswith("/media"):
            return httpx.Response(200, json={"data": []})
        if path.endswith("/tags"):
            return httpx.Response(200, json={"data": [TAGGED]})
        if fields.startswith("mentioned_media.media_id(1799000000001)"):
            return httpx.Response(200, json={"id": IG, "mentioned_media": TAGGED})
        if fields.startswith("mentioned_comment.comment_id(1801000000007)"):
            return httpx.Response(200, json={"id": IG, "mentioned_comment": COMMENT})
        return httpx.Response(404, json={"error": {"message": "unknown", "code": 803}})


@pytest.fixture
def graph() -> Graph:
    return Graph()


@pytest.fixture
def ws(store_target: str, graph: Graph) -> Iterator[Workspace]:
    def clients(channel: Channel, ws: Workspace) -> Any:
        assert channel.platform.value == "instagram"
        return InstagramClient(
            IG,
            token="EAA-test-token",
            login="facebook",
            channel=channel.key,
            http_client=httpx.Client(transport=httpx.MockTransport(graph)),
            clock=lambda: NOW,
        )

    workspace = Workspace.open(store_target, clock=lambda: NOW, clients=clients, actor="test")
    workspace.import_setup(FORNO)
    yield workspace
    workspace.close()


def _mentions(*values: dict[str, str]) -> bytes:
    changes = [{"field": "mentions", "value": v} for v in values]
    body = {"object": "instagram", "entry": [{"id": IG, "time": 1764146700, "changes": changes}]}
    return json.dumps(body).encode()


def test_a_mention_webhook_is_read_and_deduplicated_with_the_pull(
    ws: Workspace, graph: Graph
) -> None:
    body = _mentions(
        {"media_id": "1799000000009", "comment_id": "1801000000007"},
        {"media_id": "1799000000001"},
    )
    result = ws.ingest_webhook(body, signature=sign_body(body, SECRET), app_secret=SECRET)
    assert result.new == ("instagram:1801000000007", "instagram:1799000000001")
    assert result.ignored == ()
    records = {r.message.key: r for r in ws.inbox(channel="instagram")}
    comment = records["instagram:1801000000007"].message
    assert (comment.kind, comment.thread_id, comment.post_id) == (
        MessageKind.MENTION,
        "1799000000009",
        "1799000000009",
    )
    assert records["instagram:1801000000007"].category is not None  # classified on the way in
    assert len(graph.requests) == 2

    # the tagged media arrives again by the pull: the same key, nothing new
    synced = ws.sync_inbox(channels=["instagram"])
    assert synced.new == 0 and synced.errors == ()
    assert len(ws.inbox(channel="instagram")) == 2
    again = ws.ingest_webhook(body, signature=sign_body(body, SECRET), app_secret=SECRET)
    assert again.new == ()


def test_a_mention_that_cannot_be_read_is_reported(ws: Workspace, graph: Graph) -> None:
    graph.fail = True
    result = ws.ingest_webhook(_mentions({"media_id": "1799000000001"}))
    assert result.new == () and result.messages == 0
    assert "could not be read" in result.ignored[0] and "Invalid parameter" in result.ignored[0]
    assert ws.ingest_webhook(_mentions({"other": "x"})).ignored == (
        "instagram mentions: the mention names no media and no comment",
    )
    bad = ws.ingest_webhook(_mentions({"comment_id": "1){id}"}))
    assert "not an Instagram object id" in bad.ignored[0]
    graph.requests.clear()
    off = ws.ingest_webhook(_mentions({"media_id": "1799000000001"}), look_up_mentions=False)
    assert off.ignored == ("instagram mentions: no message in the event",)
    assert graph.requests == []


def test_a_direct_message_webhook_enters_as_a_private_message(ws: Workspace) -> None:
    item = {
        "sender": {"id": "5501"},
        "recipient": {"id": IG},
        "timestamp": 1764147600000,
        "message": {"mid": "aWdfZAGm1", "text": "Posso prenotare una torta per sabato?"},
    }
    body = json.dumps(
        {"object": "instagram", "entry": [{"id": IG, "time": 1, "messaging": [item]}]}
    ).encode()
    result = ws.ingest_webhook(body, signature=sign_body(body, SECRET), app_secret=SECRET)
    assert result.new == ("instagram:aWdfZAGm1",)
    [record] = ws.inbox(channel="instagram")
    assert (record.message.kind, record.message.private, record.message.thread_id) == (
        MessageKind.DIRECT,
        True,
        "5501",
    )
    assert record.category is not None
