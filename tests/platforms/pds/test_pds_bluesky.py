"""smmkit's Bluesky client against a real PDS on 127.0.0.1 (see README.md in this folder).

One client logs in once for the whole module (logins are rate limited); the tests post with
facets, upload an image, reply to make a thread, read back, refresh the session and delete.
"""

from __future__ import annotations

import asyncio
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from smmkit.content import Violation
from smmkit.errors import (
    AuthenticationError,
    BadRequestError,
    ContentRuleError,
    RateLimitedError,
)
from smmkit.models import MediaAsset, MediaKind, Platform, Variant
from smmkit.platforms import Capability, Comment, PostMarker
from smmkit.platforms.bluesky import AsyncBlueskyClient, BlueskyClient, rkey_for
from smmkit.text import grapheme_count

pytestmark = pytest.mark.pds


def _violations(error: ContentRuleError) -> list[Violation]:
    """The error's violations, checked to be :class:`smmkit.content.Violation` objects."""
    found = [v for v in error.violations if isinstance(v, Violation)]
    assert len(found) == len(error.violations), error.violations
    return found


def _png(width: int, height: int) -> bytes:
    """A real (tiny, grey) PNG file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def client(pds_server: Any, pds_account: Any) -> Iterator[BlueskyClient]:
    with BlueskyClient(
        pds_account.handle, pds_account.app_password, base_url=pds_server.url, channel="forno-bsky"
    ) as bsky:
        yield bsky


def _variant(text: str, **kwargs: Any) -> Variant:
    return Variant(channel="forno-bsky", platform=Platform.BLUESKY, text=text, **kwargs)


def test_login_once_and_post_with_facets(client: Any, pds_account: Any) -> None:
    text = (
        f"Pane caldo alle 7 da @{pds_account.handle} #forno #pane "
        "https://forno-aurora.example/orari"
    )
    post = client.publish(_variant(text))
    assert client.did == pds_account.did
    assert post.post_id.startswith(f"at://{pds_account.did}/app.bsky.feed.post/")
    assert post.raw is not None and post.raw["cid"]
    assert post.raw["validationStatus"] == "valid"  # the PDS checked it against the lexicon
    record = client.get_record(post.post_id)
    assert record.text == text
    features = {f["features"][0]["$type"].rsplit("#", 1)[1]: f for f in record.value["facets"]}
    assert set(features) == {"mention", "tag", "link"}
    mention = features["mention"]
    start, end = mention["index"]["byteStart"], mention["index"]["byteEnd"]
    assert text.encode()[start:end].decode() == f"@{pds_account.handle}"
    assert mention["features"][0]["did"] == pds_account.did
    assert client.core.auth.logins == 1


def test_four_images_with_alt_text(client: Any, tmp_path: Path) -> None:
    assets = []
    for i in range(4):
        path = tmp_path / f"crostata{i}.png"
        path.write_bytes(_png(40 + i, 30))
        assets.append(
            MediaAsset(
                kind=MediaKind.IMAGE,
                path=str(path),
                mime_type="image/png",
                width=40 + i,
                height=30,
                alt_text=f"Crostata, foto {i + 1}",
            )
        )
    post = client.publish(_variant("Le crostate del giorno", media=tuple(assets)))
    assert post.raw is not None and post.raw["validationStatus"] == "valid"
    images = client.get_record(post.post_id).value["embed"]["images"]
    assert [i["alt"] for i in images] == [f"Crostata, foto {n}" for n in range(1, 5)]
    for image, asset in zip(images, assets, strict=True):
        assert image["image"]["mimeType"] == "image/png"
        assert image["image"]["size"] == Path(asset.path or "").stat().st_size
        assert image["aspectRatio"] == {"width": asset.width, "height": asset.height}


def test_link_card_with_thumbnail(client: Any, tmp_path: Path) -> None:
    thumb = tmp_path / "thumb.png"
    thumb.write_bytes(_png(16, 16))
    card = {
        "uri": "https://forno-aurora.example/menu",
        "title": "Il menu",
        "description": "Pane, focacce e dolci",
    }
    post = client.publish(
        _variant(
            "Il nuovo menu",
            extras={
                "link_card": {
                    **card,
                    "thumb": {"kind": "image", "path": str(thumb), "mime_type": "image/png"},
                }
            },
        )
    )
    embed = client.get_record(post.post_id).value["embed"]
    assert embed["$type"] == "app.bsky.embed.external"
    external = embed["external"]
    assert {k: external[k] for k in card} == card
    assert external["thumb"]["size"] == thumb.stat().st_size


def test_thread_and_reply_read_back(client: Any, pds_account: Any) -> None:
    variant = _variant(
        "1/3 Come nasce il nostro lievito madre",
        thread=("2/3 Farina, acqua e pazienza", "3/3 Rinfrescato ogni mattina"),
    )
    post = client.publish(variant)
    assert len(post.thread) == 2
    root = client.get_record(post.post_id)
    second = client.get_record(post.thread[0])
    third = client.get_record(post.thread[1])
    assert "reply" not in root.value
    assert second.value["reply"]["root"] == {"uri": root.uri, "cid": root.cid}
    assert second.value["reply"]["parent"] == {"uri": root.uri, "cid": root.cid}
    assert third.value["reply"]["root"]["uri"] == root.uri
    assert third.value["reply"]["parent"] == {"uri": second.uri, "cid": second.cid}
    # Each part lives under the key derived from the publish key: the look-up is exact.
    assert [p.rsplit("/", 1)[1] for p in (post.post_id, *post.thread)] == [
        rkey_for(variant.publish_key, i) for i in range(3)
    ]
    # A reply to a comment (here: our own last post) keeps the thread's root.
    comment = Comment(
        platform=Platform.BLUESKY,
        comment_id=third.uri,
        post_id=root.uri,
        author=pds_account.handle,
        text=third.text or "",
        created_at=post.published_at,
    )
    reply = client.reply(comment, "Grazie a chi è passato!")
    stored = client.get_record(reply.comment_id)
    assert stored.value["reply"]["root"]["uri"] == root.uri
    assert stored.value["reply"]["parent"]["uri"] == third.uri
    # Listing the repository finds every post of the thread.
    listed = {r.uri for r in client.list_records(limit=200)}
    assert {post.post_id, *post.thread, reply.comment_id} <= listed


def test_publishing_again_is_reconciled_not_duplicated(client: Any) -> None:
    variant = _variant("Domenica siamo aperti fino alle 13")
    first = client.publish(variant)
    again = client.publish(variant)
    assert again.post_id == first.post_id
    assert again.reconciled is True
    found = client.find_post(PostMarker.for_variant(variant))
    assert found is not None and found.post_id == first.post_id
    same = [r for r in client.list_records(limit=500) if r.text == variant.text]
    assert len(same) == 1


def test_refresh_session_and_delete(client: Any) -> None:
    post = client.publish(_variant("Questo post sparirà"))
    logins = client.core.auth.logins
    before = client.core.auth.refreshes
    session = client.refresh_session()
    assert session["did"] == client.did
    assert client.core.auth.refreshes == before + 1
    assert client.core.auth.logins == logins  # refreshed, not logged in again
    client.delete(post)
    assert (
        client.find_post(
            PostMarker(publish_key=post.publish_key or "", channel="forno-bsky", fingerprint="x")
        )
        is None
    )
    with pytest.raises(Exception, match="no record"):
        client.get_record(post.post_id)
    client.delete(post)  # deleting twice is harmless


def test_301_graphemes_refused_before_sending_and_by_the_server(
    client: Any, pds_server: Any
) -> None:
    text = "é" * 300 + "👩‍👩‍👧"  # 301 graphemes: a family emoji is one
    assert grapheme_count(text) == 301
    sent: list[httpx.Request] = []
    hooks = client.driver.http_client.event_hooks["request"]
    hooks.append(sent.append)
    try:
        with pytest.raises(ContentRuleError) as refused:
            client.publish(_variant(text))
        assert sent == []  # refused before any request...
        client.resolve_handle("nobody.test")
        assert len(sent) == 1  # ...while the hook does see requests
    finally:
        hooks.remove(sent.append)
    violations = _violations(refused.value)
    assert [v.rule for v in violations] == ["text.limit"]
    assert violations[0].measured == 301
    assert violations[0].limit == 300
    assert "300" in str(refused.value)
    # Forced through (the check skipped), the PDS refuses it and smmkit maps the error.
    forced = client.core._publish(_variant(text), native_schedule=False)
    with pytest.raises(BadRequestError) as server_refused:
        client.run(forced)
    assert server_refused.value.status == 400
    assert server_refused.value.code == "InvalidRequest"
    assert "grapheme" in (server_refused.value.platform_message or "").lower()


def test_wrong_password_names_the_account_and_the_fix(pds_server: Any, pds_account: Any) -> None:
    bad = BlueskyClient(
        pds_account.handle, "wrong-password-123", base_url=pds_server.url, channel="forno-bsky"
    )
    with bad, pytest.raises(AuthenticationError) as error:
        bad.publish(_variant("non partirà"))
    message = str(error.value)
    assert pds_account.handle in message
    assert error.value.status == 401
    assert error.value.code == "AuthenticationRequired"
    assert "app password" in message


def test_no_appview_degrades(client: Any) -> None:
    post = client.publish(_variant("Quanti like?"))
    metrics = client.get_post_metrics(post)
    assert metrics.likes is None and metrics.comments is None and metrics.shares is None
    assert metrics.raw == {"unavailable": "no AppView on this service"}
    account = client.get_account_metrics()
    assert account.account_id == client.did and account.followers is None
    assert client.supports(Capability.READ_COMMENTS)
    with pytest.raises(Exception, match="no AppView"):
        client.list_comments(post).to_list()
    # The inbox (listNotifications) is an AppView query too: refused clearly, nothing stored.
    assert client.supports(Capability.READ_INBOX)
    with pytest.raises(Exception, match="no AppView, so notifications cannot be read"):
        client.fetch_inbox()


def test_hide_a_reply_with_the_threadgate(client: Any, pds_account: Any) -> None:
    post = client.publish(_variant("Commentate qui"))
    root = client.get_record(post.post_id)
    comment = Comment(
        platform=Platform.BLUESKY,
        comment_id=post.post_id,
        post_id=post.post_id,
        author=pds_account.handle,
        text="x",
        created_at=post.published_at,
    )
    reply = client.reply(comment, "spam spam spam")
    client.hide_comment(reply)
    client.hide_comment(reply)  # twice: no duplicate entry
    gate = client.get_record(root.uri.replace("app.bsky.feed.post", "app.bsky.feed.threadgate"))
    assert gate.value["post"] == root.uri
    assert gate.value["hiddenReplies"] == [reply.comment_id]


def test_async_client_shares_the_operations(pds_server: Any, pds_account: Any) -> None:
    async def main() -> tuple[str, str]:
        async with AsyncBlueskyClient(
            pds_account.handle,
            pds_account.app_password,
            base_url=pds_server.url,
            channel="forno-bsky",
        ) as bsky:
            post = await bsky.publish(_variant("Buonasera da async #pane"))
            record = await bsky.get_record(post.post_id)
            await bsky.delete(post)
            return post.post_id, record.text or ""

    uri, text = asyncio.run(main())
    assert uri.startswith("at://did:plc:")
    assert text == "Buonasera da async #pane"


def test_the_31st_login_is_rate_limited(pds_server: Any, make_pds_account: Any) -> None:
    # A separate account: the PDS counts logins per account and address (30 per 5 minutes).
    account = make_pds_account("limits")
    for _ in range(30):
        answer = httpx.post(
            f"{pds_server.url}/xrpc/com.atproto.server.createSession",
            json={"identifier": account.handle, "password": account.app_password},
            timeout=10,
        )
        assert answer.status_code == 200
    assert answer.headers["RateLimit-Remaining"] == "0"
    bsky = BlueskyClient(
        account.handle, account.app_password, base_url=pds_server.url, channel="forno-bsky"
    )
    with bsky, pytest.raises(RateLimitedError) as limited:
        bsky.login()  # the 31st login
    assert limited.value.status == 429 and limited.value.code == "RateLimitExceeded"
    assert limited.value.retry_after is not None and 0 < limited.value.retry_after <= 300
    assert account.handle in str(limited.value)
