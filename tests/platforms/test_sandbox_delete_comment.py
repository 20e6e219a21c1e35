"""Deleting comments on the sandbox: the capability, the in-process and HTTP faces, and
idempotence (a retry after a lost answer, or a repeated delete, deletes nothing more)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from smmkit.errors import UnsupportedCapability
from smmkit.models import Platform, Variant
from smmkit.platforms import Capability, Comment, PlatformClient
from smmkit.platforms.sandbox import (
    AsyncSandboxClient,
    SandboxClient,
    SandboxNetwork,
    sandbox_channel,
)

START = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)


def _network() -> SandboxNetwork:
    network = SandboxNetwork(seed=11, start=START)
    network.add_channel(sandbox_channel("ig", "instagram"), followers=5000)
    return network


def _comments(network: SandboxNetwork, client: PlatformClient) -> list[Comment]:
    posts = [
        client.publish(Variant(channel="ig", platform="instagram", text=f"Post {i}"))
        for i in range(4)
    ]
    network.advance(timedelta(days=3))
    found = [c for p in posts for c in client.list_comments(p)]
    assert len(found) >= 3, "the seed should give a few comments"
    return found


def _inbox_ids(network: SandboxNetwork) -> set[str]:
    messages, _, _ = network.inbox("ig")
    return {m.message_id for m in messages}


def test_delete_comment_removes_it_everywhere_and_counts_each_request() -> None:
    network = _network()
    client = network.client("ig")
    assert isinstance(client, PlatformClient)
    assert client.supports(Capability.DELETE_COMMENTS)
    comments = _comments(network, client)
    target, kept = comments[0], comments[1]
    assert target.comment_id in _inbox_ids(network)

    client.delete_comment(target)

    left = {c.comment_id for c in client.list_comments(target.post_id or "")}
    assert target.comment_id not in left
    assert target.comment_id not in _inbox_ids(network)
    assert kept.comment_id in {c.comment_id for c in network.comments(kept.post_id or "")}
    assert network.deleted_comments() == {target.comment_id}
    assert network.delete_requests() == {target.comment_id: 1}

    client.delete_comment(target)  # again: a no-op, not an error
    assert network.deleted_comments() == {target.comment_id}
    assert network.delete_requests() == {target.comment_id: 2}


def test_deleting_a_comment_that_never_existed_changes_nothing() -> None:
    network = _network()
    client = network.client("ig")
    comments = _comments(network, client)
    ghost = comments[0].model_copy(update={"comment_id": f"{comments[0].post_id}-c9999"})
    assert not network.delete_comment(ghost.comment_id)
    client.delete_comment(ghost)  # a 404 counts as done: the comment is not there
    assert network.deleted_comments() == set()
    assert network.delete_requests() == {}
    response = httpx.Client(transport=network.transport()).delete(
        f"https://sandbox.smmkit.invalid/v1/comments/{ghost.comment_id}",
        headers={"X-Sandbox-Account": "ig"},
    )
    assert response.status_code == 404


class _LoseFirstDeleteAnswer(httpx.BaseTransport):
    """Passes every request to the sandbox, but loses the answer of the first DELETE after the
    sandbox acted (a read timeout), as a network would."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.deletes = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.method == "DELETE":
            self.deletes += 1
            if self.deletes == 1:
                raise httpx.ReadTimeout("answer lost", request=request)
        return response


def test_a_delete_whose_answer_is_lost_is_retried_safely() -> None:
    network = _network()
    comments = _comments(network, network.client("ig"))
    lossy = _LoseFirstDeleteAnswer(network.transport())
    slept: list[float] = []
    with httpx.Client(transport=lossy) as http:
        client = SandboxClient(network, "ig", http_client=http, sleep=slept.append)
        client.delete_comment(comments[0])
    assert lossy.deletes == 2  # retried once (DELETE is idempotent)
    assert network.deleted_comments() == {comments[0].comment_id}
    assert network.delete_requests() == {comments[0].comment_id: 2}


def test_async_client_deletes_comments_too() -> None:
    network = _network()
    comments = _comments(network, network.client("ig"))

    async def run() -> None:
        async with AsyncSandboxClient(network, "ig") as client:
            assert client.supports(Capability.DELETE_COMMENTS)
            await client.delete_comment(comments[1])
            await client.delete_comment(comments[1])

    asyncio.run(run())
    assert network.deleted_comments() == {comments[1].comment_id}


def test_a_client_without_the_capability_refuses_before_any_request() -> None:
    from smmkit.platforms import PlatformCore
    from smmkit.platforms.bluesky import BlueskyCore
    from smmkit.platforms.mastodon import MastodonCore
    from smmkit.platforms.sandbox import sandbox_dialect

    # Mastodon and Bluesky cannot delete other people's posts: they do not declare it.
    assert Capability.DELETE_COMMENTS not in MastodonCore.capabilities
    assert Capability.DELETE_COMMENTS not in BlueskyCore.capabilities

    class HideOnly(PlatformCore):
        platform = Platform.SANDBOX
        capabilities = frozenset({Capability.HIDE_COMMENTS})

    core = HideOnly(channel="ig", dialect=sandbox_dialect())
    comment = Comment(
        platform=Platform.SANDBOX, comment_id="c1", author="a", text="t", created_at=START
    )
    with pytest.raises(UnsupportedCapability, match="delete comments"):
        core.delete_comment(comment)  # raised eagerly: no operation, no request
