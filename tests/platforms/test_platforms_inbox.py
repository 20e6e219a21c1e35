"""``fetch_inbox``: the sandbox (in process and over HTTP) and Mastodon, sync and async."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from smmkit.errors import UnsupportedCapability, ValidationError
from smmkit.models import InboxMessage, MessageKind
from smmkit.platforms import Capability, InboxClient
from smmkit.platforms.mastodon import AsyncMastodonClient, MastodonClient
from smmkit.platforms.sandbox import SandboxNetwork, sandbox_channel

BASE = "https://social.test"
START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


def _network(mentions: float = 10.0) -> SandboxNetwork:
    network = SandboxNetwork(seed=5, start=START, mentions_per_day=mentions)
    network.add_channel(sandbox_channel("ig"))
    network.add_channel(sandbox_channel("fb", "facebook"))
    for day in range(6):
        for key in ("ig", "fb"):
            network.create_post(key, text=f"Post {day}", publish_key=f"{key}-post-{day:04d}")
        network.advance(timedelta(hours=24))
    return network


# -- the sandbox ---------------------------------------------------------------------------------


def test_the_sandbox_inbox_pages_with_a_since_cursor_in_process_and_over_http() -> None:
    network = _network()
    everything, cursor, more = network.inbox("ig")
    assert not more and len(everything) > 60
    assert everything == sorted(everything, key=lambda m: (m.created_at, m.message_id))
    kinds = Counter(m.kind for m in everything)
    assert kinds[MessageKind.COMMENT] > 0 and kinds[MessageKind.MENTION] > 0
    labels = Counter((m.raw or {}).get("label") for m in everything)
    assert set(labels) == {"genuine", "question", "spam", "abusive"}
    assert cursor is not None and cursor.endswith(everything[-1].message_id)

    client = network.client("ig")
    assert isinstance(client, InboxClient) and client.supports(Capability.READ_INBOX)
    pulled: list[InboxMessage] = []
    since: str | None = None
    pages = 0
    while True:
        page = client.fetch_inbox(since, limit=25)
        pulled.extend(page.messages)
        since, pages = page.cursor, pages + 1
        if not page.has_more:
            break
    assert pulled == everything
    assert pages == -(-len(everything) // 25) + (len(everything) % 25 == 0)
    assert since == cursor
    assert client.fetch_inbox(since).messages == ()  # nothing new: same cursor back
    assert client.fetch_inbox(since).cursor == since
    network.advance(timedelta(hours=12))
    fresh = client.fetch_inbox(since)
    assert fresh.messages and all(m.created_at > everything[-1].created_at for m in fresh.messages)
    assert {m.key for m in fresh.messages}.isdisjoint({m.key for m in everything})


def test_sandbox_ground_truth_and_accounts_are_plausible() -> None:
    network = _network(mentions=30)
    messages, _, _ = network.inbox("fb")
    bot = [m for m in messages if m.author == "promo_boost_bot"]
    people = [m for m in messages if m.author != "promo_boost_bot"]
    assert bot and all((m.raw or {}).get("label") == "spam" for m in bot)
    for m in bot:
        assert m.author_created_at is not None and m.author_followers is not None
        assert m.created_at - m.author_created_at < timedelta(days=6)
        assert m.author_followers < 10
    assert all(
        m.author_created_at is not None and m.created_at - m.author_created_at > timedelta(days=300)
        for m in people
    )


def test_a_brand_reply_and_a_hidden_comment_show_in_the_next_pull() -> None:
    network = _network()
    client = network.client("ig")
    first = client.fetch_inbox()
    mention = next(m for m in first.messages if m.kind is MessageKind.MENTION)
    comment = next(m for m in first.messages if m.kind is MessageKind.COMMENT)
    network.advance(timedelta(minutes=5))
    network.reply(mention.message_id, "Grazie della menzione!")
    network.reply(comment.message_id, "Grazie!")
    network.hide_comment(comment.message_id)
    later = client.fetch_inbox(first.cursor).messages
    replies = [m for m in later if m.from_brand]
    assert {m.in_reply_to for m in replies} == {mention.message_id, comment.message_id}
    assert {m.thread_id for m in replies} == {mention.thread_id, comment.thread_id}
    assert all(m.kind is MessageKind.REPLY for m in replies)
    again = {m.message_id: m for m in client.fetch_inbox().messages}
    assert again[comment.message_id].hidden


def test_bad_cursors_and_limits_are_refused() -> None:
    network = _network(mentions=1)
    client = network.client("ig")
    with pytest.raises(ValidationError, match="limit"):
        client.fetch_inbox(limit=0)
    with pytest.raises(ValidationError, match="since"):
        client.fetch_inbox("")
    with pytest.raises(ValidationError, match="inbox cursor"):
        network.inbox("ig", since="yesterday|x")
    with pytest.raises(Exception, match="inbox cursor"):
        client.fetch_inbox("not-a-time|x")


def test_the_async_sandbox_client_reads_the_same_inbox() -> None:
    network = _network()

    async def main() -> list[str]:
        async with network.client("fb", asynchronous=True) as client:
            page = await client.fetch_inbox(limit=500)
            return [m.key for m in page.messages]

    assert asyncio.run(main()) == [m.key for m in network.inbox("fb")[0]]


# -- Mastodon ---------------------------------------------------------------------------------


def _mastodon(server: Any, fake_time: Any) -> MastodonClient:
    return MastodonClient(
        BASE,
        token="mastodon-token-abcdef",
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )


def test_mastodon_pulls_mentions_then_only_min_id_pages(
    mastodon_server: Any, fake_time: Any
) -> None:
    server = mastodon_server()
    server.mention_count = 7
    client = _mastodon(server, fake_time)
    assert client.supports(Capability.READ_INBOX)
    first = client.fetch_inbox(limit=3)
    [request] = server.requests
    assert request.url.path == "/api/v1/notifications"
    assert dict(request.url.params) == {"types[]": "mention", "limit": "3"}
    # The fake's first page (no min_id) is its newest two; the cursor is the newest id.
    assert first.cursor == "906" and not first.has_more
    assert [m.message_id for m in first.messages] == ["805", "806"]
    message = first.messages[0]
    assert (message.kind, message.thread_id, message.author) == (
        MessageKind.MENTION,
        "805",
        "fan5@other.test",
    )
    assert message.text == "@fornoaurora ciao 5!" and message.channel == "mastodon"

    server.requests.clear()
    server.mention_count = 12  # five more mentions arrived
    second = client.fetch_inbox(first.cursor, limit=3)
    assert [r.url.params["min_id"] for r in server.requests] == ["906"]
    assert [m.message_id for m in second.messages] == ["807", "808", "809"]
    assert second.cursor == "909" and second.has_more
    third = client.fetch_inbox(second.cursor, limit=3)
    assert [m.message_id for m in third.messages] == ["810", "811"] and not third.has_more
    last = client.fetch_inbox(third.cursor, limit=3)
    assert last.messages == () and last.cursor == third.cursor
    assert all(r.url.params.get("min_id") for r in server.requests)
    with pytest.raises(ValidationError, match="mastodon inbox cursor"):
        client.fetch_inbox("906&max_id=1")


def test_mastodon_async_inbox(mastodon_server: Any, fake_time: Any) -> None:
    server = mastodon_server()

    async def main() -> list[str]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server))
        async with AsyncMastodonClient(
            BASE, token="tok-async-inbox", http_client=http, sleep=fake_time.asleep
        ) as client:
            page = await client.fetch_inbox(limit=5)
            return [m.message_id for m in page.messages]

    assert asyncio.run(main()) == ["803", "804"]


def test_a_client_without_the_capability_refuses_before_any_request() -> None:
    from smmkit.models import Platform
    from smmkit.platforms.sandbox import SandboxCore

    class NoInbox(SandboxCore):
        capabilities = SandboxCore.capabilities - {Capability.READ_INBOX}

    core = NoInbox(channel="x", network_platform=Platform.INSTAGRAM, clock=lambda: START)
    with pytest.raises(UnsupportedCapability, match="read the inbox"):
        core.fetch_inbox()
