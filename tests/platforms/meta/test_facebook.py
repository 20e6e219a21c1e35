"""The Facebook Page client against the fake Graph server; every request passes the contract
check against Meta's specs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from smmkit.errors import PlatformError, UnsupportedCapability, ValidationError
from smmkit.models import Cadence, Channel, MediaAsset, Variant
from smmkit.platforms import client_for
from smmkit.platforms.facebook import AsyncFacebookPageClient, FacebookPageClient

from .conftest import PAGE_ID, TOKEN

IMG = "https://cdn.forno.test/pane.jpg"


def _variant(text: str, media: tuple[MediaAsset, ...] = (), **extras: Any) -> Variant:
    # The deprecated ``extras=`` is not in the typed signature: it arrives in the data.
    return Variant.model_validate(
        {
            "channel": "facebook",
            "platform": "facebook",
            "text": text,
            "media": media,
            "extras": extras,
        }
    )


def _image(url: str = IMG) -> MediaAsset:
    return MediaAsset(kind="image", url=url, mime_type="image/jpeg", alt_text="Pane")


def _client(server: Any, fake_time: Any, **kwargs: Any) -> FacebookPageClient:
    return FacebookPageClient(
        PAGE_ID,
        token=TOKEN,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
        **kwargs,
    )


def _assert_contract(server: Any, contract: Any) -> None:
    assert [str(v) for r in server.requests for v in contract.check(r)] == []


def test_text_link_photo_and_album_posts(graph: Any, fake_time: Any, contract: Any) -> None:
    server = graph()
    with _client(server, fake_time) as client:
        text = client.publish(_variant("Aperti anche la domenica!"))
        link = client.publish(_variant("Il nostro menu", link="https://forno.test/menu"))
        photo = client.publish(_variant("Focaccia appena sfornata", (_image(),)))
        album = client.publish(_variant("Tre pani", (_image(), _image(), _image())))
    assert server.posts[text.post_id]["message"] == "Aperti anche la domenica!"
    assert server.posts[link.post_id]["link"] == "https://forno.test/menu"
    assert server.posts[photo.post_id]["message"] == "Focaccia appena sfornata"
    assert len(server.posts[album.post_id]["photos"]) == 3
    assert sum(not p["published"] for p in server.photos.values()) == 3
    assert len(server.posts) == 4
    _assert_contract(server, contract)


def test_native_scheduling_window(graph: Any, fake_time: Any, contract: Any) -> None:
    server = graph()
    with _client(server, fake_time, max_schedule_ahead=timedelta(days=20)) as client:
        soon = _variant("Troppo presto").model_copy(
            update={"scheduled_at": fake_time.now() + timedelta(minutes=5)}
        )
        with pytest.raises(ValidationError, match="10 minutes"):
            client.publish(soon, native_schedule=True)
        far = _variant("Troppo tardi").model_copy(
            update={"scheduled_at": fake_time.now() + timedelta(days=21)}
        )
        with pytest.raises(ValidationError, match="20 days"):
            client.publish(far, native_schedule=True)
        assert server.requests == []
        ok = _variant("Sabato: pizza").model_copy(
            update={"scheduled_at": fake_time.now() + timedelta(days=2)}
        )
        post = client.publish(ok, native_schedule=True)
        assert post.scheduled and server.posts[post.post_id]["scheduled"]
        assert [p["message"] for p in client.scheduled_posts()] == ["Sabato: pizza"]
    _assert_contract(server, contract)


def test_resumable_video_upload_and_reel(
    graph: Any, fake_time: Any, contract: Any, tmp_path: Any
) -> None:
    server = graph()
    movie = tmp_path / "forno.mp4"
    movie.write_bytes(bytes(range(256)) * 10)  # 2560 bytes: three chunks of the fake's 1000
    video = MediaAsset(kind="video", path=str(movie), mime_type="video/mp4")
    with _client(server, fake_time) as client:
        post = client.publish(_variant("Come nasce il pane", (video,)))
        reel = client.publish(_variant("Reel del mattino", (video,), reel=True))
        hosted = client.publish(
            _variant(
                "Dal nostro CDN",
                (
                    MediaAsset(
                        kind="video", url="https://cdn.forno.test/v.mp4", mime_type="video/mp4"
                    ),
                ),
            )
        )
    assert server.videos[post.post_id]["description"] == "Come nasce il pane"
    transfers = [r for r in server.requests if b"transfer" in r.content]
    assert len(transfers) == 3
    assert server.videos[reel.post_id]["published"] and server.videos[reel.post_id]["reel"]
    assert hosted.post_id in server.videos
    _assert_contract(server, contract)


def test_a_lost_answer_is_reconciled_never_posted_twice(graph: Any, fake_time: Any) -> None:
    server = graph()
    original: Callable[[httpx.Request], httpx.Response] = server.route

    def lose_feed_answers(request: httpx.Request) -> httpx.Response:
        response = original(request)
        if request.method == "POST" and request.url.path.endswith("/feed"):
            raise httpx.ReadTimeout("lost", request=request)
        return response

    server.route = lose_feed_answers
    with _client(server, fake_time) as client:
        post = client.publish(_variant("Pane e olio"))
    assert post.reconciled and list(server.posts) == [post.post_id]


def test_edit_delete_comments(graph: Any, fake_time: Any, contract: Any) -> None:
    server = graph()
    with _client(server, fake_time) as client:
        post = client.publish(_variant("Buongiorno"))
        client.edit(post, "Buongiorno a tutti")
        assert server.posts[post.post_id]["message"] == "Buongiorno a tutti"
        server.add_comment(post.post_id, "Siete aperti oggi?", "Marco Rossi", fb=True)
        [comment] = list(client.list_comments(post))
        assert comment.author == "Marco Rossi"
        reply = client.reply(comment, "Sì, fino alle 20!")
        assert reply.in_reply_to == comment.comment_id
        client.hide_comment(comment)
        assert server.comments[comment.comment_id]["hidden"]
        client.unhide_comment(comment)
        client.delete_comment(comment)
        metrics = client.get_post_metrics(post)
        assert metrics.likes == 9 and metrics.shares == 2 and metrics.views is not None
        assert metrics.impressions is None
        account = client.get_account_metrics()
        assert account.followers == 880 and account.views is not None
        client.delete(post)
        client.delete(post)  # already gone: fine
    assert server.posts == {}
    _assert_contract(server, contract)


def test_refusals_before_any_request(graph: Any, fake_time: Any) -> None:
    server = graph()
    with _client(server, fake_time) as client:
        with pytest.raises(ValidationError, match="unknown Facebook options"):
            client.publish(_variant("x", colour="red"))
        with pytest.raises(ValidationError, match="cannot carry media"):
            client.publish(_variant("x", (_image(),), link="https://forno.test"))
        with pytest.raises(ValidationError):
            client.publish(_variant("x", link="javascript:alert(1)"))
        with pytest.raises(UnsupportedCapability):
            client.publish(_variant("x").model_copy(update={"thread": ("y",)}))
    assert server.requests == []


def test_async_and_registry(graph: Any, fake_time: Any) -> None:
    server = graph()
    channel = Channel(
        key="facebook",
        platform="facebook",
        handle="fornobianchi",
        account_id=PAGE_ID,
        timezone="Europe/Rome",
        cadence=Cadence(posts_per_week=3),
        credentials=SecretStr(TOKEN),
    )

    async def main() -> None:
        client = client_for(
            channel,
            asynchronous=True,
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(server)),
            sleep=fake_time.asleep,
            clock=fake_time.now,
        )
        assert isinstance(client, AsyncFacebookPageClient)
        async with client:
            post = await client.publish(_variant("Async"))
            await client.edit(post, "Async!")

    asyncio.run(main())
    assert [p["message"] for p in server.posts.values()] == ["Async!"]
    with pytest.raises(PlatformError):
        FacebookPageClient(
            PAGE_ID,
            token="wrong-token-123456",
            http_client=httpx.Client(transport=httpx.MockTransport(server)),
            sleep=fake_time.sleep,
            clock=fake_time.now,
        ).publish(_variant("x"))


def test_the_same_publish_key_is_never_sent_twice(graph: Any, fake_time: Any) -> None:
    server = graph()
    variant = _variant("Una volta sola")
    with _client(server, fake_time) as client:
        first = client.publish(variant)
        n = len(server.requests)
        again = client.publish(variant)
    assert again.post_id == first.post_id and again.reconciled and len(server.requests) == n


def test_find_post_looks_everywhere_a_post_may_be(graph: Any, fake_time: Any) -> None:
    from smmkit.platforms import PostMarker

    server = graph()
    with _client(server, fake_time) as client:
        later = _variant("Pizza sabato").model_copy(
            update={"scheduled_at": fake_time.now() + timedelta(days=1)}
        )
        scheduled = client.publish(later, native_schedule=True)
        video = client.publish(
            _variant(
                "Il forno a legna",
                (
                    MediaAsset(
                        kind="video", url="https://cdn.forno.test/f.mp4", mime_type="video/mp4"
                    ),
                ),
            )
        )
        marker = PostMarker.for_variant(later, not_before=fake_time.now() - timedelta(hours=1))
        found = client.find_post(marker)
        assert found is not None and found.post_id == scheduled.post_id
        marker = PostMarker.for_variant(
            _variant("Il forno a legna"), not_before=fake_time.now() - timedelta(hours=1)
        )
        found = client.find_post(marker)
        assert found is not None and found.post_id == video.post_id
        assert client.find_post(PostMarker.for_variant(_variant("mai scritto"))) is None
