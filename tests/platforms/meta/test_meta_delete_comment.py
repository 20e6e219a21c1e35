"""Deleting a comment on Instagram (``DELETE /{ig-comment-id}``) and Facebook Pages
(``DELETE /{comment-id}``) against the fake Graph server, every request checked against Meta's
specs (../shared/specs/meta-graph): the comment is gone, a repeated delete (404) counts as done,
a delete whose answer is lost is retried (DELETE is idempotent), whatever the faults."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smmkit.errors import PlatformError
from smmkit.models import Variant
from smmkit.platforms import Capability, Comment, PlatformClient
from smmkit.platforms.facebook import AsyncFacebookPageClient, FacebookPageClient
from smmkit.platforms.instagram import AsyncInstagramClient, InstagramClient

from .conftest import GRAPH_FAULTS, IG_USER, PAGE_ID, TOKEN, FakeGraph

IMG = "https://cdn.forno.test/pane.jpg"


def _instagram(server: Any, clock: Any) -> InstagramClient:
    return InstagramClient(
        IG_USER,
        token=TOKEN,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=clock.sleep,
        clock=clock.now,
    )


def _facebook(server: Any, clock: Any) -> FacebookPageClient:
    return FacebookPageClient(
        PAGE_ID,
        token=TOKEN,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=clock.sleep,
        clock=clock.now,
    )


def _variant(platform: str) -> Variant:
    media = [{"kind": "image", "url": IMG, "mime_type": "image/jpeg", "alt_text": "Pane"}]
    return Variant.model_validate(
        {
            "channel": platform,
            "platform": platform,
            "text": "Pane caldo",
            "media": media if platform == "instagram" else [],
        }
    )


Make = Callable[[Any, Any], Any]
CLIENTS = pytest.mark.parametrize(
    ("make", "platform"), [(_instagram, "instagram"), (_facebook, "facebook")]
)


def _spam(server: FakeGraph, client: Any, platform: str) -> Comment:
    post = client.publish(_variant(platform))
    server.add_comment(
        post.post_id, "Guadagna 500€ al giorno! bit.ly/x", "spammer", fb=platform == "facebook"
    )
    found: list[Comment] = list(client.list_comments(post))
    assert len(found) == 1
    return found[0]


def _deletes(server: FakeGraph, comment_id: str) -> list[httpx.Request]:
    return [
        r
        for r in server.requests
        if r.method == "DELETE" and r.url.path.rstrip("/").endswith(f"/{comment_id}")
    ]


def _assert_contract(server: FakeGraph, contract: Any) -> None:
    assert [str(v) for r in server.requests for v in contract.check(r)] == []


@CLIENTS
def test_delete_comment_sends_one_delete_and_the_comment_is_gone(
    graph: Any, fake_time: Any, contract: Any, make: Make, platform: str
) -> None:
    server = graph()
    with make(server, fake_time) as client:
        assert isinstance(client, PlatformClient)
        assert client.supports(Capability.DELETE_COMMENTS)
        comment = _spam(server, client, platform)
        client.delete_comment(comment)
        assert comment.comment_id not in server.comments
        assert len(_deletes(server, comment.comment_id)) == 1
        assert list(client.list_comments(comment.post_id or "")) == []
        client.delete_comment(comment)  # again: the Graph answers "does not exist": done
        assert len(_deletes(server, comment.comment_id)) == 2
    _assert_contract(server, contract)


@CLIENTS
@pytest.mark.parametrize("fault", ["lost_after_success", "read_timeout_after", "connect"])
def test_a_delete_whose_answer_is_lost_is_retried_and_settles(
    graph: Any, fake_time: Any, contract: Any, make: Make, platform: str, fault: str
) -> None:
    server = graph()
    with make(server, fake_time) as client:
        comment = _spam(server, client, platform)
        server.fault_plan = [fault]  # the next request: the DELETE
        client.delete_comment(comment)
        assert comment.comment_id not in server.comments
        assert len(_deletes(server, comment.comment_id)) == 2
    _assert_contract(server, contract)


@CLIENTS
def test_async_clients_delete_comments(
    graph: Any, fake_time: Any, contract: Any, make: Make, platform: str
) -> None:
    server = graph()
    with make(server, fake_time) as client:
        comment = _spam(server, client, platform)

    async def run() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server))
        options: dict[str, Any] = {
            "token": TOKEN,
            "http_client": http,
            "sleep": fake_time.asleep,
            "clock": fake_time.now,
        }
        if platform == "instagram":
            shell: Any = AsyncInstagramClient(IG_USER, **options)
        else:
            shell = AsyncFacebookPageClient(PAGE_ID, **options)
        async with shell:
            await shell.delete_comment(comment)
        await http.aclose()

    asyncio.run(run())
    assert comment.comment_id not in server.comments
    _assert_contract(server, contract)


class _Clock:
    def __init__(self) -> None:
        from datetime import UTC, datetime

        self.current = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    def now(self) -> Any:
        return self.current

    def sleep(self, seconds: float) -> None:
        from datetime import timedelta

        self.current += timedelta(seconds=seconds)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=st.lists(st.sampled_from([None, *GRAPH_FAULTS]), max_size=8),
    platform=st.sampled_from(["instagram", "facebook"]),
)
def test_whatever_the_faults_a_delete_ends_with_the_comment_gone(
    plan: list[str | None], platform: str
) -> None:
    clock = _Clock()
    server = FakeGraph(clock)
    make = _instagram if platform == "instagram" else _facebook
    with make(server, clock) as client:
        comment = _spam(server, client, platform)
        server.fault_plan = list(plan)
        failures: list[PlatformError] = []
        for _ in range(10):  # a caller's own retries, as the moderation's next run would
            try:
                client.delete_comment(comment)
                break
            except PlatformError as exc:
                failures.append(exc)
                clock.sleep(60)
        else:
            pytest.fail("the delete never settled")
    assert all(f.retryable for f in failures)  # only transient failures, never a refusal
    assert comment.comment_id not in server.comments
    assert server.violations == []
