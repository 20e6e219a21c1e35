"""The Instagram and Facebook inboxes against the fake Graph server: a pull lists the recent
posts with their comment counts and reads only the posts whose count changed; every request
passes the contract check against Meta's specs. And webhook events become inbox messages."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from smmkit.errors import ValidationError
from smmkit.models import MediaAsset, MessageKind, Variant
from smmkit.platforms import Capability
from smmkit.platforms.facebook import AsyncFacebookPageClient, FacebookPageClient
from smmkit.platforms.instagram import InstagramClient
from smmkit.platforms.meta import parse_webhook, webhook_message

from .conftest import IG_USER, PAGE_ID, TOKEN


def _ig(server: Any, fake_time: Any) -> InstagramClient:
    return InstagramClient(
        IG_USER,
        token=TOKEN,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )


def _fb(server: Any, fake_time: Any) -> FacebookPageClient:
    return FacebookPageClient(
        PAGE_ID,
        token=TOKEN,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )


def _edges(server: Any) -> list[str]:
    return [r.url.path.rsplit("/", 1)[-1] for r in server.requests]


def test_instagram_reads_only_the_media_whose_count_changed(
    graph: Any, fake_time: Any, contract: Any
) -> None:
    server = graph()
    client = _ig(server, fake_time)
    assert client.supports(Capability.READ_INBOX)
    image = MediaAsset(kind="image", url="https://cdn.forno.test/p.jpg", mime_type="image/jpeg")
    posts = [
        client.publish(Variant(channel="instagram", platform="instagram", text=t, media=(image,)))
        for t in ("Pane", "Focaccia")
    ]
    first_comment = server.add_comment(posts[0].post_id, "Aprite domenica?", "giulia")
    server.add_comment(posts[0].post_id, "Sì, dalle 8!", "forno", parent=first_comment["id"])
    server.comments[list(server.comments)[-1]]["user_id"] = IG_USER  # the brand's own reply
    server.requests.clear()

    first = client.fetch_inbox()
    assert _edges(server) == ["media", "comments", "tags"]  # the second post has no comments
    assert server.requests[0].url.params["since"]
    assert [(m.kind, m.author, m.from_brand) for m in first.messages] == [
        (MessageKind.COMMENT, "giulia", False),
        (MessageKind.REPLY, "forno", True),
    ]
    assert first.messages[1].in_reply_to == first_comment["id"]
    assert {m.thread_id for m in first.messages} == {posts[0].post_id}

    server.requests.clear()
    again = client.fetch_inbox(first.cursor)
    assert again.messages == ()
    assert _edges(server) == ["media", "tags"]  # counts equal, no media tagged since

    fake_time.advance(60)
    server.add_comment(posts[1].post_id, "Che buona!", "marco")
    server.requests.clear()
    fresh = client.fetch_inbox(again.cursor)
    assert [m.text for m in fresh.messages] == ["Che buona!"]
    assert _edges(server) == ["media", "comments", "tags"]
    assert server.requests[1].url.path.endswith(f"{posts[1].post_id}/comments")
    assert [str(v) for r in server.requests for v in contract.check(r)] == []
    with pytest.raises(ValidationError, match="instagram inbox cursor"):
        client.fetch_inbox("2026-11-26T09:00:00+00:00|#media:many")


def test_facebook_reads_changed_posts_with_since(graph: Any, fake_time: Any, contract: Any) -> None:
    server = graph()
    client = _fb(server, fake_time)
    posts = [
        client.publish(Variant(channel="facebook", platform="facebook", text=t))
        for t in ("Pane", "Focaccia")
    ]
    root = server.add_comment(posts[0].post_id, "Fate consegne?", "Giulia", fb=True)
    server.add_comment(posts[0].post_id, "Sì!", "Forno", parent=root["id"], fb=True)
    server.comments[list(server.comments)[-1]]["user_id"] = PAGE_ID
    server.requests.clear()
    first = client.fetch_inbox()
    assert _edges(server) == ["published_posts", "comments"]
    assert server.requests[1].url.params["filter"] == "stream"
    assert "since" not in server.requests[1].url.params
    assert [(m.kind, m.from_brand) for m in first.messages] == [
        (MessageKind.COMMENT, False),
        (MessageKind.REPLY, True),
    ]

    server.requests.clear()
    assert client.fetch_inbox(first.cursor).messages == ()
    assert _edges(server) == ["published_posts"]

    fake_time.advance(120)
    server.add_comment(posts[0].post_id, "Anche il lunedì?", "Marco", fb=True)
    server.requests.clear()
    fresh = client.fetch_inbox(first.cursor)
    assert [m.text for m in fresh.messages] == ["Anche il lunedì?"]
    assert server.requests[1].url.params["since"]
    assert [str(v) for r in server.requests for v in contract.check(r)] == []


def test_facebook_async_inbox(graph: Any, fake_time: Any) -> None:
    server = graph()
    with _fb(server, fake_time) as sync:
        post = sync.publish(Variant(channel="facebook", platform="facebook", text="Pane"))
    server.add_comment(post.post_id, "Buonissimo", "Anna", fb=True)

    async def main() -> list[str]:
        async with AsyncFacebookPageClient(
            PAGE_ID,
            token=TOKEN,
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)),
            sleep=fake_time.asleep,
            clock=fake_time.now,
        ) as client:
            page = await client.fetch_inbox()
            return [m.text for m in page.messages]

    assert asyncio.run(main()) == ["Buonissimo"]


def test_webhook_events_become_inbox_messages() -> None:
    body = {
        "object": "page",
        "entry": [
            {
                "id": PAGE_ID,
                "time": 1764662400,
                "changes": [
                    {
                        "field": "feed",
                        "value": {
                            "item": "comment",
                            "verb": "add",
                            "comment_id": "111_222",
                            "post_id": "111",
                            "parent_id": "111",
                            "message": "Prenoto per 4 stasera?",
                            "from": {"id": "77", "name": "Giulia"},
                            "created_time": 1764662400,
                        },
                    },
                    {
                        "field": "feed",
                        "value": {
                            "item": "comment",
                            "verb": "remove",
                            "comment_id": "111_333",
                            "post_id": "111",
                            "from": {"id": "78", "name": "Bot"},
                        },
                    },
                ],
            }
        ],
    }
    events = parse_webhook(body)
    added, removed = (webhook_message(e, channel="facebook", account_id=PAGE_ID) for e in events)
    assert removed is None
    assert added is not None
    assert (added.key, added.kind, added.thread_id, added.in_reply_to) == (
        "facebook:111_222",
        MessageKind.COMMENT,
        "111",
        None,
    )
    assert added.author == "Giulia" and added.author_id == "77" and not added.from_brand
