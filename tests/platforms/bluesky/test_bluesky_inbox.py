"""Bluesky's inbox: replies, mentions and quotes from listNotifications, read back to a
watermark cursor (the lexicon has no "since" parameter), sync and async."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from smmkit.errors import ValidationError
from smmkit.models import MessageKind
from smmkit.platforms import Capability
from smmkit.platforms.bluesky import BlueskyCore

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
FAN = {"did": "did:plc:fanfanfanfanfanfanfan0000", "handle": "fan.test"}


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _notification(
    pds: Any,
    n: int,
    reason: str,
    *,
    minutes: int,
    parent: str | None = None,
    root: str | None = None,
    quoted: str | None = None,
) -> dict[str, Any]:
    uri = f"at://{FAN['did']}/app.bsky.feed.post/3kfan{n:08d}"
    when = _iso(T0 + timedelta(minutes=minutes))
    record: dict[str, Any] = {"$type": "app.bsky.feed.post", "text": f"msg {n}", "createdAt": when}
    cid = "bafyreigq3exe2m23sojzoachuyucow4vu7eyatati4uy6scr4ixt6xwlhi"
    if parent is not None:
        record["reply"] = {
            "root": {"uri": root or parent, "cid": cid},
            "parent": {"uri": parent, "cid": cid},
        }
    if quoted is not None:
        record["embed"] = {"$type": "app.bsky.embed.record", "record": {"uri": quoted, "cid": cid}}
    return {
        "uri": uri,
        "cid": cid,
        "author": FAN,
        "reason": reason,
        "record": record,
        "isRead": False,
        "indexedAt": when,
    }


def _listings(pds: Any) -> list[dict[str, list[str]]]:
    return [
        parse_qs(urlsplit(str(request.url)).query)
        for nsid, request, _ in pds.exchanges
        if nsid == "app.bsky.notification.listNotifications"
    ]


def test_first_pull_then_only_watermark_pulls(make_client: Any, fake_pds: Any) -> None:
    fake_pds.appview = True
    own_post = f"at://{fake_pds.did}/app.bsky.feed.post/3kown00000001"
    other_post = "at://did:plc:otherotherotherother0000/app.bsky.feed.post/3kother000001"
    fake_pds.notifications += [
        _notification(fake_pds, 1, "reply", minutes=1, parent=own_post),
        _notification(fake_pds, 2, "mention", minutes=2),
        _notification(fake_pds, 3, "reply", minutes=3, parent=other_post, root=own_post),
        _notification(fake_pds, 4, "quote", minutes=3, quoted=own_post),
    ]
    client = make_client()
    assert client.supports(Capability.READ_INBOX)
    first = client.fetch_inbox(limit=50)
    kinds = [(m.text, m.kind, m.thread_id) for m in first.messages]
    assert kinds == [
        ("msg 1", MessageKind.COMMENT, own_post),
        ("msg 2", MessageKind.MENTION, first.messages[1].message_id),
        ("msg 3", MessageKind.REPLY, own_post),
        ("msg 4", MessageKind.MENTION, first.messages[3].message_id),
    ]
    assert first.messages[3].post_id == own_post
    assert first.messages[0].in_reply_to == own_post and first.messages[0].author == "fan.test"
    assert first.messages[0].url is not None and first.messages[0].url.startswith("https://")
    [query] = _listings(fake_pds)
    assert query["reasons"] == ["reply", "mention", "quote"] and query["limit"] == ["50"]
    assert "cursor" not in query

    # Nothing new: one request, nothing returned, the same cursor.
    again = client.fetch_inbox(first.cursor, limit=50)
    assert again.messages == () and again.cursor == first.cursor
    assert len(_listings(fake_pds)) == 2

    # Five new ones, one at the watermark's instant: read back page by page to the watermark.
    fake_pds.notifications += [
        _notification(fake_pds, 5, "mention", minutes=3),
        *(_notification(fake_pds, n, "mention", minutes=n) for n in range(6, 10)),
    ]
    fresh = client.fetch_inbox(first.cursor, limit=2)
    assert [m.text for m in fresh.messages] == ["msg 5", "msg 6", "msg 7", "msg 8", "msg 9"]
    queries = _listings(fake_pds)[2:]
    assert [q.get("cursor") for q in queries] == [None, ["2"], ["4"]]
    assert client.fetch_inbox(fresh.cursor, limit=2).messages == ()


def test_a_gap_wider_than_the_page_cap_is_reported(
    make_client: Any, fake_pds: Any, caplog: pytest.LogCaptureFixture
) -> None:
    fake_pds.appview = True
    fake_pds.notifications.append(_notification(fake_pds, 1, "mention", minutes=1))
    client = make_client()
    first = client.fetch_inbox(limit=2)
    fake_pds.notifications += [
        _notification(fake_pds, n, "mention", minutes=n) for n in range(2, 40)
    ]
    with caplog.at_level("WARNING", logger="smmkit.platforms.bluesky"):
        late = client.fetch_inbox(first.cursor, limit=2)
    assert len(_listings(fake_pds)) == 1 + BlueskyCore.inbox_max_pages
    assert len(late.messages) == 2 * BlueskyCore.inbox_max_pages
    assert "without reaching the last pull's watermark" in caplog.text
    caplog.clear()
    with caplog.at_level("WARNING", logger="smmkit.platforms.bluesky"):
        client.fetch_inbox(late.cursor, limit=2)
    assert "watermark" not in caplog.text


def test_bad_cursors_are_refused(make_client: Any, fake_pds: Any) -> None:
    fake_pds.appview = True
    client = make_client()
    with pytest.raises(ValidationError, match="bluesky inbox cursor"):
        client.fetch_inbox("cursor-from-elsewhere")


def test_without_an_appview_the_inbox_is_unsupported(make_client: Any, fake_pds: Any) -> None:
    from smmkit.errors import UnsupportedCapability

    client = make_client()
    with pytest.raises(UnsupportedCapability, match="notifications"):
        client.fetch_inbox()


def test_async_inbox(fake_pds: Any) -> None:
    from smmkit.platforms.bluesky import AsyncBlueskyClient

    fake_pds.appview = True
    fake_pds.notifications.append(_notification(fake_pds, 1, "mention", minutes=1))

    async def main() -> list[str]:
        http = httpx.AsyncClient(transport=fake_pds.transport())
        async with AsyncBlueskyClient(
            fake_pds.handle,
            fake_pds.password,
            base_url="https://pds.example",
            http_client=http,
            clock=fake_pds.clock,
            sleep=fake_pds.clock.async_sleep,
        ) as client:
            page = await client.fetch_inbox()
            return [m.text for m in page.messages]

    assert asyncio.run(main()) == ["msg 1"]
