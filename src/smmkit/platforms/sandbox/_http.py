"""The sandbox's HTTP API, served in process through ``httpx.MockTransport``.

=======  ==============================  ==============================================
method   path                            what
=======  ==============================  ==============================================
POST     /v1/channels/{channel}/posts    create a post (``Idempotency-Key`` deduplicates)
GET      /v1/channels/{channel}/posts    list posts (``publish_key``, ``cursor``, ``limit``)
GET      /v1/channels/{channel}/account  account metrics
GET      /v1/channels/{channel}/inbox    the inbox after a cursor (``since``, ``limit``)
GET      /v1/posts/{id}                  one post
DELETE   /v1/posts/{id}                  delete a post
GET      /v1/posts/{id}/metrics          post metrics
GET      /v1/posts/{id}/comments         comments (``cursor``, ``limit``)
POST     /v1/comments/{id}/replies       reply as the brand
POST     /v1/comments/{id}/hide          hide a comment
DELETE   /v1/comments/{id}               delete a comment (again: a no-op, 204)
=======  ==============================  ==============================================

Every answer carries ``X-Request-Id`` and ``X-RateLimit-Limit/Remaining/Reset`` (reset in Unix
epoch seconds); errors are ``{"error": code, "message": text}``.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx

from smmkit.errors import ValidationError

from ._network import SandboxNetwork, SandboxPost

__all__ = ["handle"]

_ids = itertools.count(1)


def _error(status: int, code: str, message: str) -> httpx.Response:
    return httpx.Response(status, json={"error": code, "message": message})


def _post_json(post: SandboxPost) -> dict[str, Any]:
    return json.loads(post.model_dump_json())  # type: ignore[no-any-return]


def _page(items: list[Any], request: httpx.Request, key: str) -> httpx.Response:
    start = int(request.url.params.get("cursor") or 0)
    limit = max(1, min(int(request.url.params.get("limit") or 50), 100))
    chunk = items[start : start + limit]
    cursor = str(start + limit) if start + limit < len(items) else None
    return httpx.Response(200, json={key: chunk, "cursor": cursor})


def _routes(network: SandboxNetwork) -> list[tuple[str, str, Callable[..., httpx.Response]]]:
    def create(request: httpx.Request, channel: str) -> httpx.Response:
        body = json.loads(request.content or b"{}")
        when = body.get("published_at")
        post = network.create_post(
            channel,
            text=str(body.get("text", "")),
            publish_key=str(body["publish_key"]),
            format=str(body.get("format") or "post"),
            pillar=body.get("pillar"),
            campaign=body.get("campaign"),
            media_count=int(body.get("media_count") or 0),
            thread=tuple(body.get("thread") or ()),
            published_at=datetime.fromisoformat(when) if when else None,
            idempotency_key=request.headers.get("idempotency-key") if network.dedupe else None,
        )
        return httpx.Response(201, json=_post_json(post))

    def list_posts(request: httpx.Request, channel: str) -> httpx.Response:
        network._channel(channel)
        posts = network.posts(channel, publish_key=request.url.params.get("publish_key"))
        return _page([_post_json(p) for p in reversed(posts)], request, "posts")

    def account(request: httpx.Request, channel: str) -> httpx.Response:
        return httpx.Response(
            200, json=json.loads(network.account_metrics(channel).model_dump_json())
        )

    def live(post_id: str) -> SandboxPost | None:
        post = network.post(post_id)
        return None if post.deleted else post

    def get_post(request: httpx.Request, post_id: str) -> httpx.Response:
        post = live(post_id)
        return (
            httpx.Response(200, json=_post_json(post))
            if post
            else _error(404, "NotFound", f"post {post_id} does not exist")
        )

    def delete(request: httpx.Request, post_id: str) -> httpx.Response:
        if not network.delete_post(post_id):
            return _error(404, "NotFound", f"post {post_id} does not exist")
        return httpx.Response(204)

    def metrics(request: httpx.Request, post_id: str) -> httpx.Response:
        if not live(post_id):
            return _error(404, "NotFound", f"post {post_id} does not exist")
        return httpx.Response(200, json=json.loads(network.post_metrics(post_id).model_dump_json()))

    def comments(request: httpx.Request, post_id: str) -> httpx.Response:
        if not live(post_id):
            return _error(404, "NotFound", f"post {post_id} does not exist")
        items = [json.loads(c.model_dump_json()) for c in network.comments(post_id)]
        return _page(items, request, "comments")

    def reply(request: httpx.Request, comment_id: str) -> httpx.Response:
        body = json.loads(request.content or b"{}")
        comment = network.reply(
            comment_id, str(body.get("text", "")), private=body.get("private") is True
        )
        return httpx.Response(201, json=json.loads(comment.model_dump_json()))

    def inbox(request: httpx.Request, channel: str) -> httpx.Response:
        raw_limit = request.url.params.get("limit")
        limit = max(1, min(int(raw_limit), 500)) if raw_limit else 100
        messages, cursor, more = network.inbox(
            channel, since=request.url.params.get("since") or None, limit=limit
        )
        return httpx.Response(
            200,
            json={
                "messages": [json.loads(m.model_dump_json()) for m in messages],
                "cursor": cursor,
                "more": more,
            },
        )

    def hide(request: httpx.Request, comment_id: str) -> httpx.Response:
        network.hide_comment(comment_id)
        return httpx.Response(204)

    def delete_comment(request: httpx.Request, comment_id: str) -> httpx.Response:
        if not network.delete_comment(comment_id):
            return _error(404, "NotFound", f"comment {comment_id} does not exist")
        return httpx.Response(204)

    return [
        ("POST", r"/v1/channels/([\w-]+)/posts", create),
        ("GET", r"/v1/channels/([\w-]+)/posts", list_posts),
        ("GET", r"/v1/channels/([\w-]+)/account", account),
        ("GET", r"/v1/channels/([\w-]+)/inbox", inbox),
        ("GET", r"/v1/posts/(sbx-\d+)", get_post),
        ("DELETE", r"/v1/posts/(sbx-\d+)", delete),
        ("GET", r"/v1/posts/(sbx-\d+)/metrics", metrics),
        ("GET", r"/v1/posts/(sbx-\d+)/comments", comments),
        ("POST", r"/v1/comments/(sbx-\d+-[cr]\d+|sbx-[md]\d+-[\w-]+)/replies", reply),
        ("POST", r"/v1/comments/(sbx-\d+-[cr]\d+|sbx-m\d+-[\w-]+)/hide", hide),
        ("DELETE", r"/v1/comments/(sbx-\d+-[cr]\d+)", delete_comment),
    ]


def _dispatch(network: SandboxNetwork, request: httpx.Request) -> httpx.Response:
    for method, pattern, handler in _routes(network):
        match = re.fullmatch(pattern, request.url.path)
        if match and method == request.method:
            try:
                return handler(request, *match.groups())
            except ValidationError as exc:
                status = 404 if "no such" in exc.rule or "not a channel" in exc.rule else 422
                return _error(status, "InvalidRequest", str(exc))
            except (KeyError, ValueError, TypeError) as exc:
                return _error(400, "BadRequest", f"malformed request: {exc}")
    return _error(404, "NotFound", f"no route {request.method} {request.url.path}")


def handle(network: SandboxNetwork, request: httpx.Request) -> httpx.Response:
    """Serve one request, applying the network's rate limit and fault injection."""
    request.read()
    account = request.headers.get("x-sandbox-account", "anonymous")
    request_id = f"sbx-req-{next(_ids)}"
    fault = network.draw_fault()
    if fault == "connect":
        raise httpx.ConnectError("sandbox: connection refused (injected)", request=request)
    allowed, remaining, reset = network.take_budget(account)
    limits = {
        "X-RateLimit-Limit": str(network.rate_limit.limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": f"{reset:.3f}",
        "X-Request-Id": request_id,
    }
    if fault == "rate_limited":  # a burst limit: back in ``retry_after`` seconds
        wait = network.faults.retry_after
        return httpx.Response(
            429,
            json={"error": "RateLimited", "message": "slow down"},
            headers={
                **limits,
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": f"{network.wall() + wait:.3f}",
                "Retry-After": f"{wait:g}",
            },
        )
    if not allowed:
        return httpx.Response(
            429, json={"error": "RateLimited", "message": "slow down"}, headers=limits
        )
    if fault == "error_500" and network._fault_rng.random() < 0.5:
        return httpx.Response(500, json={"error": "Internal", "message": "boom"}, headers=limits)
    response = _dispatch(network, request)
    if fault == "read_timeout_after":
        raise httpx.ReadTimeout("sandbox: timed out after acting (injected)", request=request)
    if fault == "lost_after_success":
        raise httpx.RemoteProtocolError("sandbox: response lost (injected)", request=request)
    if fault == "error_500":
        return httpx.Response(
            500, json={"error": "Internal", "message": "boom after acting"}, headers=limits
        )
    if fault == "error_502":
        return httpx.Response(502, text="<html>502 Bad Gateway</html>", headers=limits)
    response.headers.update(limits)
    return response
