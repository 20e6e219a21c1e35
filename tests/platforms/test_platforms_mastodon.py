"""The Mastodon client against a stateful fake instance (respx), sync and async."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from pydantic import SecretStr

from smmkit.errors import (
    AuthenticationError,
    ContentRuleError,
    UnsupportedCapability,
    ValidationError,
)
from smmkit.models import Cadence, Channel, MediaAsset, Variant
from smmkit.platforms import Capability, PlatformClient, client_for
from smmkit.platforms.mastodon import AsyncMastodonClient, MastodonClient, status_text

BASE = "https://social.test"


def _client(server: Any, fake_time: Any, **kwargs: Any) -> MastodonClient:
    http = httpx.Client(transport=httpx.MockTransport(server))
    return MastodonClient(
        BASE,
        token="mastodon-token-abcdef",
        http_client=http,
        sleep=fake_time.sleep,
        clock=fake_time.now,
        language="it-IT",
        **kwargs,
    )


def _variant(text: str = "Il panettone è tornato!", **kwargs: Any) -> Variant:
    return Variant(channel="mastodon", platform="mastodon", text=text, **kwargs)


def test_publish_text_sends_idempotency_key_language_and_reads_instance(
    mastodon_server: Any, fake_time: Any
) -> None:
    server = mastodon_server()
    client = _client(server, fake_time)
    assert isinstance(client, PlatformClient)
    variant = _variant(extras={"visibility": "unlisted", "spoiler_text": "cibo"})
    post = client.publish(variant)
    assert post.post_id in server.statuses and post.url == f"{BASE}/@fornoaurora/{post.post_id}"
    assert post.publish_key == variant.publish_key
    paths = [r.url.path for r in server.requests]
    assert paths == ["/api/v2/instance", "/api/v1/statuses"]
    sent = server.requests[-1]
    assert sent.headers["Idempotency-Key"] == variant.publish_key
    assert sent.headers["Authorization"] == "Bearer mastodon-token-abcdef"
    assert json.loads(sent.content) == {
        "status": "Il panettone è tornato!",
        "visibility": "unlisted",
        "language": "it",
        "spoiler_text": "cibo",
    }
    assert client.core.instance_info is not None
    text_rule = client.core.rules().text
    assert text_rule is not None and text_rule.limit == 500


def test_thread_is_chained_with_in_reply_to_and_derived_keys(
    mastodon_server: Any, fake_time: Any
) -> None:
    server = mastodon_server()
    client = _client(server, fake_time)
    variant = _variant(
        "1/3 Come conservare il pane", thread=("2/3 Nel sacchetto di carta", "3/3 Mai in frigo!")
    )
    post = client.publish(variant)
    assert len(post.thread) == 2
    first, second, third = (server.statuses[i] for i in (post.post_id, *post.thread))
    assert second["in_reply_to_id"] == first["id"] and third["in_reply_to_id"] == second["id"]
    keys = [r.headers["Idempotency-Key"] for r in server.requests if r.method == "POST"]
    assert keys == [variant.publish_key, f"{variant.publish_key}-1", f"{variant.publish_key}-2"]


def test_media_upload_v2_waits_for_processing_then_attaches(
    mastodon_server: Any, fake_time: Any, tmp_path: Path
) -> None:
    image = tmp_path / "pane.jpg"
    image.write_bytes(b"\xff\xd8\xff fake jpeg")
    server = mastodon_server(media_processing_polls=1)
    client = _client(server, fake_time)
    asset = MediaAsset(
        kind="image", path=str(image), mime_type="image/jpeg", alt_text="Una pagnotta dorata"
    )
    post = client.publish(_variant(media=(asset,)))
    methods = [(r.method, r.url.path) for r in server.requests]
    media_id = next(iter(server.media))
    assert methods[1:] == [
        ("POST", "/api/v2/media"),
        ("GET", f"/api/v1/media/{media_id}"),
        ("GET", f"/api/v1/media/{media_id}"),
        ("POST", "/api/v1/statuses"),
    ]
    assert fake_time.sleeps == [1.0, 2.0]  # the processing poll backs off, never sleeps for real
    upload = server.requests[1]
    assert b'name="description"' in upload.content and b"Una pagnotta dorata" in upload.content
    assert server.statuses[post.post_id]["media_attachments"][0]["id"] == media_id


def test_poll_and_native_scheduling(mastodon_server: Any, fake_time: Any) -> None:
    server = mastodon_server()
    client = _client(server, fake_time)
    poll = {"options": ["Integrale", "Bianco"], "expires_in": 3600, "multiple": False}
    client.publish(_variant("Quale pane domani?", extras={"poll": poll}))
    assert json.loads(server.requests[-1].content)["poll"] == poll
    when = fake_time.now() + timedelta(hours=2)
    scheduled = client.publish(
        _variant("Domani sfornata speciale", scheduled_at=when), native_schedule=True
    )
    assert scheduled.scheduled and scheduled.post_id in server.scheduled
    assert scheduled.published_at == when
    with pytest.raises(ValidationError, match="5 minutes ahead") as info:
        client.publish(
            _variant("troppo presto", scheduled_at=fake_time.now() + timedelta(minutes=4)),
            native_schedule=True,
        )
    assert info.value.field == "variant.scheduled_at"


def test_edit_delete_metrics_account_and_comments(mastodon_server: Any, fake_time: Any) -> None:
    server = mastodon_server()
    client = _client(server, fake_time)
    post = client.publish(_variant("Buongiorno Bologna"))
    server.statuses[post.post_id].update(favourites_count=12, reblogs_count=3, replies_count=1)
    edited = client.edit(post, "Buongiorno Bologna!")
    assert status_text(server.statuses[edited.post_id]["content"]) == "Buongiorno Bologna!"
    metrics = client.get_post_metrics(post)
    assert (metrics.likes, metrics.shares, metrics.comments) == (12, 3, 1)
    assert metrics.impressions is None  # Mastodon does not report it; never invented
    account = client.get_account_metrics()
    assert (account.followers, account.following, account.account_id) == (1200, 80, "42")
    reply_target = client.publish(_variant("Grazie!", extras={"in_reply_to_id": post.post_id}))
    comments = list(client.list_comments(post))
    assert [c.comment_id for c in comments] == [reply_target.post_id]
    answer = client.reply(comments[0], "Grazie a te")
    assert server.statuses[answer.comment_id]["in_reply_to_id"] == reply_target.post_id
    assert status_text(server.statuses[answer.comment_id]["content"]).startswith("@fornoaurora")
    client.delete(post)
    assert post.post_id not in server.statuses
    client.delete(post)  # already gone: a repeated delete is not an error


def test_mentions_follow_link_headers(mastodon_server: Any, fake_time: Any) -> None:
    server = mastodon_server()
    client = _client(server, fake_time)
    mentions = list(client.mentions())
    assert [m.comment_id for m in mentions] == ["804", "803", "802", "801", "800"]
    assert mentions[0].author == "fan4@other.test" and mentions[0].text == "@fornoaurora ciao 4!"
    assert sum(r.url.path == "/api/v1/notifications" for r in server.requests) == 3
    assert server.requests[0].url.params.get("types[]") == "mention"


def test_rules_refuse_before_any_request(mastodon_server: Any, fake_time: Any) -> None:
    server = mastodon_server()
    client = _client(server, fake_time, instance=server.instance)
    with pytest.raises(ContentRuleError) as info:
        client.publish(_variant("x" * 501))
    assert info.value.violations and "text" in str(info.value)
    with pytest.raises(UnsupportedCapability, match="hide"):
        client.hide_comment(client.core._comment({"id": "1", "content": "x"}, "1"))
    with pytest.raises(ValidationError, match="poll"):
        client.publish(_variant("?", extras={"poll": {"options": ["solo uno"]}}))
    with pytest.raises(ValidationError, match="visibility"):
        client.publish(_variant("?", extras={"visibility": "everyone"}))
    assert server.requests == []
    assert not client.supports(Capability.HIDE_COMMENTS)
    assert client.supports(Capability.PUBLISH_POLL)


def test_instance_limits_replace_the_defaults(mastodon_server: Any, fake_time: Any) -> None:
    server = mastodon_server()
    server.instance["configuration"]["statuses"]["max_characters"] = 5000
    client = _client(server, fake_time)
    long_text = "pane " * 200  # 1000 characters: too long for 500, fine for this instance
    post = client.publish(_variant(long_text.strip()))
    assert post.post_id in server.statuses
    client.core.check_reply(long_text)  # a reply meets the instance's limits too
    with pytest.raises(ContentRuleError, match="5000"):
        client.core.check_reply("pane " * 1001)


@respx.mock
def test_wrong_token_names_the_account_and_the_fix(fake_time: Any) -> None:
    respx.get(f"{BASE}/api/v1/accounts/verify_credentials").mock(
        return_value=httpx.Response(
            401, json={"error": "The access token is invalid"}, headers={"X-Request-Id": "r-9"}
        )
    )
    client = MastodonClient(
        BASE, token="bad-token-123456", account="@fornoaurora", sleep=fake_time.sleep
    )
    with pytest.raises(AuthenticationError) as info:
        client.get_account_metrics()
    text = str(info.value)
    assert "@fornoaurora" in text and "access token" in text and "r-9" in text
    assert "bad-token-123456" not in text


def test_from_channel_and_registry(mastodon_server: Any, fake_time: Any) -> None:
    channel = Channel(
        key="masto",
        platform="mastodon",
        handle="fornoaurora",
        timezone="Europe/Rome",
        locale="it-IT",
        base_url=BASE,
        cadence=Cadence(posts_per_week=3),
    )
    client = client_for(
        channel,
        token="channel-token-xyz",
        http_client=httpx.Client(transport=httpx.MockTransport(mastodon_server())),
        sleep=fake_time.sleep,
    )
    assert isinstance(client, MastodonClient) and client.channel == "masto"
    assert "channel-token-xyz" not in repr(client)
    async_client = client_for(channel, asynchronous=True, token="t" * 12)
    assert isinstance(async_client, AsyncMastodonClient)
    with pytest.raises(ValidationError, match="instance URL"):
        MastodonClient.from_channel(channel.model_copy(update={"base_url": None}))


def test_sync_and_async_run_the_same_generator(mastodon_server: Any, fake_time: Any) -> None:
    seen: list[Any] = []
    server = mastodon_server()
    sync_client = _client(server, fake_time, observer=lambda gen: seen.append(gen.gi_code))

    async def run_async() -> str:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server))
        client = AsyncMastodonClient(
            BASE,
            token="tok-123456",
            http_client=http,
            sleep=fake_time.asleep,
            clock=fake_time.now,
            observer=lambda gen: seen.append(gen.gi_code),
        )
        async with client:
            post = await client.publish(_variant("async!"))
            await client.get_post_metrics(post)
            await client.delete(post)
        return post.post_id

    post = sync_client.publish(_variant("sync!"))
    sync_client.get_post_metrics(post)
    sync_client.delete(post)
    asyncio.run(run_async())
    half = len(seen) // 2
    assert len(seen) == 6 and seen[:half] == seen[half:]
    assert [c.co_name for c in seen[:half]] == ["_publish", "_get_post_metrics", "_delete"]


def test_channel_credentials_reference_the_environment(
    monkeypatch: pytest.MonkeyPatch, mastodon_server: Any, fake_time: Any
) -> None:
    channel = Channel(
        key="masto",
        platform="mastodon",
        handle="fornoaurora",
        timezone="Europe/Rome",
        base_url=BASE,
        cadence=Cadence(posts_per_week=3),
        credentials=SecretStr("env:FORNO_MASTODON_TOKEN"),
    )
    with pytest.raises(ValidationError, match="FORNO_MASTODON_TOKEN is not set"):
        MastodonClient.from_channel(channel)
    monkeypatch.setenv("FORNO_MASTODON_TOKEN", "token-from-env-42")
    server = mastodon_server()
    client = MastodonClient.from_channel(
        channel,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=fake_time.sleep,
    )
    client.get_account_metrics()
    assert server.requests[-1].headers["Authorization"] == "Bearer token-from-env-42"


def test_media_from_a_url_is_fetched_then_uploaded(mastodon_server: Any, fake_time: Any) -> None:
    server = mastodon_server(media_processing_polls=0)

    png = b"\x89PNG\r\n\x1a\n fake"
    cdn: list[httpx.Request] = []

    def media_host(request: httpx.Request) -> httpx.Response:
        cdn.append(request)
        return httpx.Response(200, content=png)

    client = MastodonClient(
        BASE,
        token="tok-media-1234",
        sleep=fake_time.sleep,
        clock=fake_time.now,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        media_client=httpx.Client(transport=httpx.MockTransport(media_host)),
    )
    asset = MediaAsset(kind="image", url="https://cdn.test/pane.png", mime_type="image/png")
    post = client.publish(_variant("Foto dal laboratorio", media=(asset,)))
    upload = next(r for r in server.requests if r.url.path == "/api/v2/media")
    assert png in upload.content and b"image/png" in upload.content
    assert len(cdn) == 1 and "authorization" not in cdn[0].headers
    assert server.statuses[post.post_id]["media_attachments"]


def test_async_mentions_pager(mastodon_server: Any, fake_time: Any) -> None:
    server = mastodon_server()

    async def main() -> list[str]:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server))
        async with AsyncMastodonClient(
            BASE, token="tok-async-mentions", http_client=http, sleep=fake_time.asleep
        ) as client:
            return [m.comment_id async for m in client.mentions(limit=3)]

    assert asyncio.run(main()) == ["804", "803", "802"]


def test_async_media_upload_sleeps_through_the_injected_async_sleep(
    mastodon_server: Any, fake_time: Any, tmp_path: Path
) -> None:
    from smmkit.platforms import AsyncPlatformClient

    image = tmp_path / "pane.png"
    image.write_bytes(b"\x89PNG fake")
    server = mastodon_server(media_processing_polls=2)

    async def main() -> str:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server))
        async with AsyncMastodonClient(
            BASE,
            token="tok-async-media",
            http_client=http,
            sleep=fake_time.asleep,
            clock=fake_time.now,
        ) as client:
            assert isinstance(client, AsyncPlatformClient)
            asset = MediaAsset(kind="image", path=str(image), mime_type="image/png")
            return (await client.publish(_variant("foto", media=(asset,)))).post_id

    post_id = asyncio.run(main())
    assert server.statuses[post_id]["media_attachments"]
    assert fake_time.sleeps == [1.0, 2.0, 4.0]
