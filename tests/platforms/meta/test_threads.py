"""The Threads client against the fake Graph server.

Threads is not described in Meta's codegen specs, so the contract below is written from the
reference pages (read 2026-11; page dates as shown there):
https://developers.facebook.com/documentation/threads/posts (updated 2026-04-14),
https://developers.facebook.com/documentation/threads/overview (updated 2025-12-22),
https://developers.facebook.com/docs/threads/reply-management,
https://developers.facebook.com/docs/threads/insights.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from smmkit.errors import RateLimitedError, ValidationError
from smmkit.models import Cadence, Channel, MediaAsset, Variant
from smmkit.platforms import client_for
from smmkit.platforms.threads import AsyncThreadsClient, ThreadsClient

from .conftest import THREADS_USER, TOKEN, OptionalContract


def _p(name: str, required: bool = False) -> dict[str, object]:
    return {"name": name, "required": required}


THREADS_SPEC: dict[str, dict[str, object]] = {
    "ThreadsUser": {
        "apis": [
            {
                "method": "POST",
                "endpoint": "threads",
                "params": [
                    _p("media_type", True),
                    _p("text"),
                    _p("image_url"),
                    _p("video_url"),
                    _p("is_carousel_item"),
                    _p("children"),
                    _p("reply_to_id"),
                    _p("reply_control"),
                    _p("quote_post_id"),
                    _p("link_attachment"),
                ],
            },
            {"method": "POST", "endpoint": "threads_publish", "params": [_p("creation_id", True)]},
            {"method": "GET", "endpoint": "threads_publishing_limit", "params": []},
            {"method": "GET", "endpoint": "threads", "params": [_p("since"), _p("until")]},
            # https://developers.facebook.com/documentation/threads/threads-mentions (2025-03-27)
            {"method": "GET", "endpoint": "mentions", "params": [_p("since"), _p("until")]},
            # reply management: the user's own replies
            {"method": "GET", "endpoint": "replies", "params": [_p("since"), _p("until")]},
            {
                "method": "GET",
                "endpoint": "threads_insights",
                "params": [_p("metric", True), _p("since"), _p("until")],
            },
        ]
    },
    "ThreadsContainer": {"apis": [{"method": "GET", "endpoint": None, "params": []}]},
    "ThreadsMedia": {
        "apis": [
            {"method": "GET", "endpoint": None, "params": []},
            {"method": "DELETE", "endpoint": None, "params": []},
            {"method": "GET", "endpoint": "replies", "params": [_p("reverse")]},
            {"method": "GET", "endpoint": "conversation", "params": [_p("reverse")]},
            {"method": "POST", "endpoint": "manage_reply", "params": [_p("hide", True)]},
            {"method": "GET", "endpoint": "insights", "params": [_p("metric", True)]},
        ]
    },
}
IMG = "https://cdn.forno.test/pane.jpg"


@pytest.fixture
def contract() -> OptionalContract:
    return OptionalContract(extra=THREADS_SPEC)


def _client(server: Any, fake_time: Any) -> ThreadsClient:
    return ThreadsClient(
        THREADS_USER,
        token=TOKEN,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )


def _variant(text: str, media: tuple[MediaAsset, ...] = (), **kwargs: Any) -> Variant:
    return Variant(channel="threads", platform="threads", text=text, media=media, **kwargs)


def _img() -> MediaAsset:
    return MediaAsset(kind="image", url=IMG, mime_type="image/jpeg")


def test_text_image_carousel_and_thread(graph: Any, fake_time: Any, contract: Any) -> None:
    server = graph()
    with _client(server, fake_time) as client:
        text = client.publish(_variant("Buongiorno da Bologna"))
        image = client.publish(_variant("Il pane di oggi", (_img(),)))
        carousel = client.publish(_variant("Venti pani", tuple(_img() for _ in range(20))))
        thread = client.publish(
            _variant("1/3 Come facciamo il pane", thread=("2/3 Lievito madre", "3/3 Forno a legna"))
        )
        assert client.publishing_limit() == (6, 250, 86400)
    assert server.threads[text.post_id]["media_type"] == "TEXT"
    assert server.threads[image.post_id]["media_type"] == "IMAGE"
    assert server.threads[carousel.post_id]["media_type"] == "CAROUSEL"
    second, third = thread.thread
    assert (
        server.threads[second]["reply_to"] == thread.post_id
        and server.threads[third]["reply_to"] == second
    )
    assert [str(v) for r in server.requests for v in contract.check(r)] == []


def test_refusals_and_quota(graph: Any, fake_time: Any) -> None:
    server = graph(threads_quota=2)
    with _client(server, fake_time) as client:
        with pytest.raises(ValidationError, match="500"):
            client.publish(_variant("x" * 501))
        with pytest.raises(ValidationError, match="2 to 20"):
            client.publish(_variant("x", tuple(_img() for _ in range(21))))
        assert server.requests == []
        client.publish(_variant("uno"))
        client.publish(_variant("due"))
        with pytest.raises(RateLimitedError, match="frees a slot"):
            client.publish(_variant("tre"))
    assert server.sent_after_quota == 0 and len(server.threads) == 2


def test_a_lost_publish_answer_is_reconciled(graph: Any, fake_time: Any) -> None:
    server = graph()
    original: Callable[[httpx.Request], httpx.Response] = server.route

    def lose(request: httpx.Request) -> httpx.Response:
        response = original(request)
        if request.url.path.endswith("/threads_publish") and not getattr(server, "lost", False):
            server.lost = True
            return httpx.Response(
                500, json={"error": {"code": 2, "is_transient": True, "message": "x"}}
            )
        return response

    server.route = lose
    with _client(server, fake_time) as client:
        post = client.publish(_variant("Tigelle"))
    assert post.reconciled and list(server.threads) == [post.post_id] and server.violations == []


def test_replies_hide_and_insights(graph: Any, fake_time: Any, contract: Any) -> None:
    server = graph()
    with _client(server, fake_time) as client:
        post = client.publish(_variant("Domande?"))
        server.add_thread_reply(post.post_id, "Fate consegne?", "luca")
        [reply] = list(client.list_comments(post))
        assert reply.author == "luca" and reply.in_reply_to == post.post_id
        answer = client.reply(reply, "Sì, in centro!")
        assert server.threads[answer.comment_id]["reply_to"] == reply.comment_id
        client.hide_comment(reply)
        assert server.threads[reply.comment_id]["hidden"]
        client.unhide_comment(reply)
        metrics = client.get_post_metrics(post)
        assert metrics.views == 20 and metrics.likes == 21 and metrics.comments == 22
        assert client.get_account_metrics().followers == 301
        client.delete(post)
    assert [str(v) for r in server.requests for v in contract.check(r)] == []


def test_async_and_registry(graph: Any, fake_time: Any) -> None:
    server = graph()
    channel = Channel(
        key="threads",
        platform="threads",
        handle="forno",
        account_id=THREADS_USER,
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
        assert isinstance(client, AsyncThreadsClient)
        async with client:
            await client.publish(_variant("Async"))
            assert (await client.publishing_limit())[0] == 1

    asyncio.run(main())


def test_a_thread_resumes_after_the_parts_that_went_out(graph: Any, fake_time: Any) -> None:
    """Found by the property test: the second part failed (connection refused four times) after
    the first went out; publishing again must not post the first part twice."""
    from smmkit.errors import PlatformError

    server = graph(max_polls=0)
    server.fault_plan = [None, None, None, None, None, "connect", "connect", "connect", "connect"]
    variant = _variant("1/2 uno", thread=("2/2 due",))
    with _client(server, fake_time) as client:
        with pytest.raises(PlatformError):
            client.publish(variant)
        post = client.publish(variant)
    assert sorted(t["text"] for t in server.threads.values()) == ["1/2 uno", "2/2 due"]
    assert post.reconciled and server.threads[post.thread[0]]["reply_to"] == post.post_id
