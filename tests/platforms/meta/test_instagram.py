"""The Instagram client against the fake Graph server; every request passes the contract check
against Meta's specs (../shared/specs/meta-graph)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from smmkit.analytics import compare_competitors
from smmkit.errors import BadRequestError, PlatformError, RateLimitedError, ValidationError
from smmkit.models import Cadence, Channel, MediaAsset, Variant
from smmkit.platforms import ClientOptions, RetryPolicy, client_for
from smmkit.platforms.instagram import AsyncInstagramClient, InstagramClient

from .conftest import IG_USER, TOKEN

IMG = "https://cdn.forno.test/pane.jpg"
VID = "https://cdn.forno.test/forno.mp4"


def _image(url: str = IMG, alt: str | None = "Pane caldo") -> MediaAsset:
    return MediaAsset(kind="image", url=url, mime_type="image/jpeg", alt_text=alt)


def _video(url: str = VID) -> MediaAsset:
    return MediaAsset(kind="video", url=url, mime_type="video/mp4")


def _variant(text: str, media: tuple[MediaAsset, ...] = (), **extras: Any) -> Variant:
    # The deprecated ``extras=`` is not in the typed signature: it arrives in the data.
    return Variant.model_validate(
        {
            "channel": "instagram",
            "platform": "instagram",
            "text": text,
            "media": media or (_image(),),
            "extras": extras,
        }
    )


def _client(server: Any, fake_time: Any, **kwargs: Any) -> InstagramClient:
    return InstagramClient(
        IG_USER,
        token=TOKEN,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
        **kwargs,
    )


def _assert_contract(server: Any, contract: Any) -> None:
    problems = [str(v) for r in server.requests for v in contract.check(r)]
    assert problems == []


def test_publish_an_image_through_the_container_flow(
    graph: Any, fake_time: Any, contract: Any
) -> None:
    server = graph(max_polls=3)
    with _client(server, fake_time) as client:
        post = client.publish(_variant("Pane caldo alle 7! #forno"))
    assert post.url == f"https://www.instagram.com/p/{post.post_id}/"
    assert post.publish_key and not post.reconciled
    [media] = server.media.values()
    assert media["caption"] == "Pane caldo alle 7! #forno"
    create = next(
        r for r in server.requests if r.url.path.endswith("/media") and r.method == "POST"
    )
    assert server.params(create) == {
        "image_url": IMG,
        "caption": "Pane caldo alle 7! #forno",
        "alt_text": "Pane caldo",
    }
    assert all(r.url.host == "graph.instagram.com" for r in server.requests)
    assert all(
        "authorization" not in d.headers and TOKEN not in str(d.url) for d in server.media_downloads
    )
    _assert_contract(server, contract)


def test_polling_backs_off_through_the_drivers_sleep(graph: Any, fake_time: Any) -> None:
    server = graph(max_polls=0)
    server.rng.randint = lambda a, b: 4  # four IN_PROGRESS reads
    with _client(server, fake_time) as client:
        client.publish(_variant("Lievito madre", (_video(),)))
    assert fake_time.sleeps[:4] == [2.0, 4.0, 8.0, 16.0]


def test_reel_story_and_carousel_parameters(graph: Any, fake_time: Any, contract: Any) -> None:
    server = graph()
    with _client(server, fake_time) as client:
        client.publish(
            _variant(
                "Reel",
                (_video(),),
                share_to_feed=True,
                cover_url="https://cdn.forno.test/c.jpg",
                thumb_offset=1500,
                collaborators=["panettiere"],
                user_tags=[{"username": "giulia", "x": 0.5, "y": 0.5}],
            )
        )
        client.publish(_variant("", (_video(),), media_type="STORIES"))
        client.publish(
            _variant(
                "Tre pani",
                (_video(), _image(), _image(alt=None)),
                user_tags=[{"username": "anna", "x": 0.2, "y": 0.8}],
            )
        )
    creates = [
        server.params(r)
        for r in server.requests
        if r.method == "POST" and r.url.path.endswith("/media")
    ]
    assert creates[0]["media_type"] == "REELS" and creates[0]["share_to_feed"] == "true"
    assert creates[0]["thumb_offset"] == "1500" and creates[0]["collaborators"] == '["panettiere"]'
    assert creates[1] == {"video_url": VID, "media_type": "STORIES"}
    children = creates[2:5]
    assert all(c["is_carousel_item"] == "true" for c in children)
    assert children[0]["media_type"] == "VIDEO" and "alt_text" not in children[2]
    assert "user_tags" in children[1] and "user_tags" not in children[2]  # on the first image
    assert creates[5]["media_type"] == "CAROUSEL" and len(creates[5]["children"].split(",")) == 3
    assert "user_tags" not in creates[5]
    assert len(server.media) == 3
    _assert_contract(server, contract)


def test_refused_before_any_request(graph: Any, fake_time: Any) -> None:
    server = graph()
    with _client(server, fake_time) as client:
        with pytest.raises(ValidationError, match="text alone"):
            client.publish(Variant(channel="instagram", platform="instagram", text="solo testo"))
        with pytest.raises(ValidationError, match="public URL"):
            client.publish(
                _variant(
                    "x", (MediaAsset(kind="image", path="/tmp/p.jpg", mime_type="image/jpeg"),)
                )
            )
        with pytest.raises(ValidationError, match="2 to 10"):
            client.publish(_variant("x", tuple(_image() for _ in range(11))))
        with pytest.raises(ValidationError, match="HTTPS"):
            client.publish(_variant("x", (_image("http://cdn.forno.test/a.jpg"),)))
        with pytest.raises(ValidationError, match="unknown Instagram options"):
            client.publish(_variant("x", colour="red"))
    assert server.requests == []


def test_meta_could_not_download_the_media(graph: Any, fake_time: Any) -> None:
    server = graph()
    with _client(server, fake_time) as client, pytest.raises(BadRequestError) as caught:
        client.publish(_variant("x", (_image("https://cdn.forno.test/missing.jpg"),)))
    assert "could not download the media from its public URL" in str(caught.value)
    assert caught.value.request_id and server.media == {}


def test_an_error_container_is_dropped_and_the_next_attempt_publishes_once(
    graph: Any, fake_time: Any
) -> None:
    server = graph(container_error_rate=1.0)
    variant = _variant("Focaccia")
    with _client(server, fake_time) as client:
        with pytest.raises(PlatformError, match="status ERROR"):
            client.publish(variant)
        server.container_error_rate = 0.0
        post = client.publish(variant)
    assert list(server.media) == [post.post_id] and len(server.containers) == 2


def test_the_publishing_limit_is_enforced_before_any_request(graph: Any, fake_time: Any) -> None:
    server = graph(quota_total=3)
    with _client(server, fake_time) as client:
        for i in range(3):
            client.publish(_variant(f"post {i}"))
            fake_time.advance(3600)
        posts_before = len(server.requests)
        with pytest.raises(RateLimitedError) as caught:
            client.publish(_variant("one too many"))
        assert "frees a slot at" in str(caught.value) and "nothing was sent" in str(caught.value)
        # the first post of the window was 3 h ago: a slot frees 21 h from now
        assert caught.value.retry_after == pytest.approx(21 * 3600, abs=120)
        sent = server.requests[posts_before:]
        assert all(r.method == "GET" for r in sent)
        n = len(server.requests)
        with pytest.raises(RateLimitedError):
            client.publish(_variant("still too many"))
        assert len(server.requests) == n  # known blocked: not even a read
        fake_time.advance(21 * 3600 + 1)
        client.publish(_variant("one too many"))
    assert server.sent_after_quota == 0 and len(server.media) == 4


def test_a_lost_media_publish_answer_is_reconciled_from_the_container(
    graph: Any, fake_time: Any
) -> None:
    server = graph()
    original: Callable[[httpx.Request], httpx.Response] = server.route

    def lose_first_publish(request: httpx.Request) -> httpx.Response:
        response = original(request)
        if request.url.path.endswith("/media_publish") and not getattr(server, "lost", False):
            server.lost = True
            raise httpx.ReadTimeout("lost", request=request)
        return response

    server.route = lose_first_publish
    with _client(server, fake_time) as client:
        post = client.publish(_variant("Cornetti"))
    assert post.reconciled and list(server.media) == [post.post_id]
    publishes = [r for r in server.requests if r.url.path.endswith("/media_publish")]
    assert len(publishes) == 1  # never sent again: the container said PUBLISHED


def test_a_later_attempt_of_the_same_key_reuses_the_container(graph: Any, fake_time: Any) -> None:
    server = graph()
    original: Callable[[httpx.Request], httpx.Response] = server.route
    state = {"fail": True}

    def lost_then_down(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/media_publish") and state["fail"]:
            original(request)
            state["fail"] = False
            raise httpx.ReadTimeout("lost", request=request)
        if (
            not state["fail"]
            and request.method == "GET"
            and request.url.path.count("/") == 2
            and "status_code" in str(request.url)
            and not getattr(server, "down_once", False)
        ):
            server.down_once = True
            return httpx.Response(400, json={"error": {"code": 1, "message": "unknown"}})
        return original(request)

    server.route = lost_then_down
    variant = _variant("Ciabatta")
    containers: dict[str, str] = {}
    with _client(server, fake_time, containers=containers) as client:
        with pytest.raises(PlatformError):
            client.publish(variant)  # unknown outcome, and the container could not be read
        assert variant.publish_key in containers  # remembered (a runner may persist it)
        post = client.publish(variant)
    assert post.reconciled and len(server.media) == 1 and len(server.containers) == 1
    assert containers[variant.publish_key].startswith("published:")
    n = len(server.requests)
    assert client_again(server, fake_time, containers).publish(variant).post_id == post.post_id
    assert len(server.requests) == n  # a restarted client with the same store sends nothing


def client_again(server: Any, fake_time: Any, containers: dict[str, str]) -> InstagramClient:
    return _client(server, fake_time, containers=containers)


def test_comments_mentions_and_moderation(graph: Any, fake_time: Any, contract: Any) -> None:
    server = graph()
    with _client(server, fake_time) as client:
        post = client.publish(_variant("Pizza bianca"))
        server.add_comment(post.post_id, "A che ora aprite?", "giulia")
        [comment] = list(client.list_comments(post))
        assert comment.author == "giulia" and comment.post_id == post.post_id
        reply = client.reply(comment, "Alle 7, ti aspettiamo!")
        assert reply.in_reply_to == comment.comment_id
        client.hide_comment(comment)
        assert server.comments[comment.comment_id]["hidden"] is True
        client.unhide_comment(comment)
        assert server.comments[comment.comment_id]["hidden"] is False
        client.delete_comment(comment)
        assert comment.comment_id not in server.comments
        server.tag("Best bread in town @forno", "marco")
        [mention] = list(client.mentions())
        assert mention.author == "marco"
        assert client.mentioned_comment("c-77").text == "@forno il migliore!"
    _assert_contract(server, contract)


def test_insights_use_the_metric_names_valid_on_the_day(graph: Any, fake_time: Any) -> None:
    server = graph()
    with _client(server, fake_time) as client:
        post = client.publish(_variant("Grissini"))
        metrics = client.get_post_metrics(post)
        assert (
            metrics.views is not None and metrics.impressions is None and metrics.saves is not None
        )
        account = client.get_account_metrics()
        assert account.followers == 1234 and account.posts_count == 1
        assert (account.views, account.reach, account.profile_visits) == (500, 501, 502)
        assert account.impressions is None
    fake_time.current = datetime(2024, 6, 1, tzinfo=UTC)
    with _client(server, fake_time) as client, pytest.raises(BadRequestError, match="impressions"):
        client.get_post_metrics(post)  # in 2024 smmkit asked for impressions (the fake is 2026's)


def test_business_discovery_feeds_compare_competitors(graph: Any, fake_time: Any) -> None:
    server = graph()
    with _client(server, fake_time) as client:
        rival = client.business_discovery("panificio_rivale", days=30)
        with pytest.raises(PlatformError):
            client.business_discovery("nobody_here")
        with pytest.raises(ValidationError):
            client.business_discovery("bad name)")
    assert (rival.followers_end, rival.posts, rival.engagements) == (
        5400,
        3,
        120 + 8 + 200 + 15 + 90 + 2,
    )
    assert rival.formats == {"image": 1, "video": 1, "carousel_album": 1}
    [standing] = compare_competitors([rival])
    assert standing.engagement_rate_by_followers.value is not None


def test_facebook_login_host(graph: Any, fake_time: Any, contract: Any) -> None:
    server = graph()
    with _client(server, fake_time, login="facebook") as client:
        client.publish(_variant("Via Facebook Login"))
    assert {r.url.host for r in server.requests} == {"graph.facebook.com"}
    _assert_contract(server, contract)


def test_async_client_and_from_channel(graph: Any, fake_time: Any) -> None:
    server = graph()
    channel = Channel(
        key="instagram",
        platform="instagram",
        handle="forno",
        account_id=IG_USER,
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
        assert isinstance(client, AsyncInstagramClient)
        async with client:
            post = await client.publish(_variant("Async"))
            assert post.post_id in server.media
            assert await client.publishing_limit() == (1, 50, 86400)

    asyncio.run(main())


def test_expired_token_needs_reauth(graph: Any, fake_time: Any) -> None:
    from smmkit.errors import AuthenticationError
    from smmkit.platforms._graph import needs_reauth

    server = graph()
    server.expired_tokens.add(TOKEN)
    with (
        _client(
            server, fake_time, options=ClientOptions(retry=RetryPolicy(max_attempts=1))
        ) as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.publish(_variant("x"))
    assert needs_reauth(caught.value) and "re-authenticate" in str(caught.value)
    assert TOKEN not in str(caught.value)


def test_the_example_setup_names_the_meta_clients(
    monkeypatch: pytest.MonkeyPatch, repo_root: Any
) -> None:
    from smmkit import load_setup
    from smmkit.platforms.facebook import FacebookPageClient
    from smmkit.platforms.threads import ThreadsClient

    setup = load_setup(repo_root / "examples" / "forno_aurora.toml")
    channels = {c.platform.value: c for c in setup.channels}
    with pytest.raises(ValidationError, match="FORNO_AURORA_IG_TOKEN"):
        client_for(channels["instagram"])  # the env: reference is resolved, and it is not set
    for channel in setup.channels:
        if channel.credentials is not None:
            name = channel.credentials.get_secret_value().removeprefix("env:")
            monkeypatch.setenv(name, f"tok-{channel.key}-123456")
    expected = {
        "instagram": InstagramClient,
        "facebook": FacebookPageClient,
        "threads": ThreadsClient,
    }
    for name, cls in expected.items():
        client = client_for(channels[name])
        assert isinstance(client, cls) and client.channel == channels[name].key
        assert "tok-" not in repr(client)
        client.close()


def test_meta_refusing_for_the_quota_is_not_repeated(graph: Any, fake_time: Any) -> None:
    """Another tool used the quota: the live read said 0, Meta refuses media_publish with
    2207042. The refusal is not repeated and nothing more is sent until the window frees."""
    server = graph(quota_total=1)
    server.hide_usage = True
    with _client(server, fake_time) as client:
        client.publish(_variant("primo"))
        with pytest.raises(RateLimitedError, match="frees a slot") as caught:
            client.publish(_variant("secondo"))
        assert caught.value.retry_after == pytest.approx(24 * 3600, abs=300)
        publishes = [r for r in server.requests if r.url.path.endswith("/media_publish")]
        assert len(publishes) == 2 and server.sent_after_quota == 1  # Meta's own refusal, once
        n = len(server.requests)
        with pytest.raises(RateLimitedError):
            client.publish(_variant("terzo"))
        assert len(server.requests) == n


def test_a_story_with_a_lost_answer_is_found_among_stories(
    graph: Any, fake_time: Any, contract: Any
) -> None:
    server = graph()
    original: Callable[[httpx.Request], httpx.Response] = server.route

    def lose_publish(request: httpx.Request) -> httpx.Response:
        response = original(request)
        if request.url.path.endswith("/media_publish"):
            return httpx.Response(502, text="bad gateway")
        return response

    with _client(server, fake_time) as client:
        client.publish(_variant("Feed post"))
        server.route = lose_publish
        story = client.publish(_variant("ignored caption", (_video(),), media_type="STORIES"))
    stories = [m for m in server.media.values() if m["media_type"] == "STORIES"]
    assert [m["id"] for m in stories] == [story.post_id] and story.reconciled
    _assert_contract(server, contract)
