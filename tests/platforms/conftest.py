"""Fixtures for the platform tests: a fake clock whose sleep advances time instantly."""

from __future__ import annotations

import html
import json
import random
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest


class FakeTime:
    """A clock and matching sync/async sleeps: sleeping only moves the clock."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return self.current

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.current += timedelta(seconds=seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


# --------------------------------------------------------------------------------------------
# A stateful fake Mastodon server (an httpx transport handler), honouring Idempotency-Key.
# --------------------------------------------------------------------------------------------

FAULT_KINDS = (
    "connect",
    "read_timeout_after",
    "rate_limited",
    "error_500",
    "error_502",
    "lost_after_success",
)


class FakeMastodon:
    """A small, stateful Mastodon instance for tests.

    ``fault_rate`` of attempts hit a fault drawn from ``fault_kinds`` (seeded). Faults that
    happen "after" apply the request first, as a real server would before the answer is lost.
    Every request is recorded in ``requests`` (for contract tests).
    """

    def __init__(
        self,
        clock: FakeTime,
        *,
        base: str = "https://social.test",
        fault_rate: float = 0.0,
        fault_kinds: tuple[str, ...] = FAULT_KINDS,
        seed: int = 1,
        media_processing_polls: int = 1,
        honour_idempotency: bool = True,
        version: str = "4.3.0",
    ) -> None:
        self.honour_idempotency = honour_idempotency
        self.clock, self.base = clock, base
        self.fault_rate, self.fault_kinds = fault_rate, fault_kinds
        self.rng = random.Random(seed)
        self.statuses: dict[str, dict[str, Any]] = {}
        self.scheduled: dict[str, dict[str, Any]] = {}
        self.keys: dict[str, tuple[str, str]] = {}
        self.media: dict[str, dict[str, Any]] = {}
        self.media_polls: dict[str, int] = {}
        self.media_processing_polls = media_processing_polls
        self.requests: list[httpx.Request] = []
        self.faults: dict[str, int] = dict.fromkeys(fault_kinds, 0)
        self.next_id = 100000
        self.mention_count = 5
        self.account: dict[str, Any] = {
            "id": "42",
            "username": "fornoaurora",
            "acct": "fornoaurora",
            "followers_count": 1200,
            "following_count": 80,
            "statuses_count": 0,
        }
        self.instance = {
            "domain": "social.test",
            "title": "Social Test",
            "version": version,
            "configuration": {
                "statuses": {
                    "max_characters": 500,
                    "max_media_attachments": 4,
                    "characters_reserved_per_url": 23,
                },
                "media_attachments": {
                    "image_size_limit": 16777216,
                    "video_size_limit": 103809024,
                    "supported_mime_types": ["image/jpeg", "image/png", "video/mp4"],
                },
                "polls": {
                    "max_options": 4,
                    "max_characters_per_option": 50,
                    "min_expiration": 300,
                    "max_expiration": 2629746,
                },
            },
        }

    def new_id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def iso(self) -> str:
        return self.clock.now().isoformat().replace("+00:00", "Z")

    # -- dispatch -------------------------------------------------------------------------
    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        fault = None
        if self.fault_rate and self.rng.random() < self.fault_rate:
            fault = self.rng.choice(self.fault_kinds)
            self.faults[fault] += 1
        if fault == "connect":
            raise httpx.ConnectError("connection refused", request=request)
        if fault == "rate_limited":
            reset = (self.clock.now() + timedelta(seconds=30)).isoformat().replace("+00:00", "Z")
            return httpx.Response(
                429,
                json={"error": "Too many requests"},
                headers={
                    "X-RateLimit-Limit": "300",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": reset,
                    "X-Request-Id": "rl",
                },
            )
        if fault == "error_500" and self.rng.random() < 0.5:
            return httpx.Response(500, json={"error": "boom"})  # failed before acting
        response = self.handle(request)
        if fault == "read_timeout_after":
            raise httpx.ReadTimeout("timed out", request=request)
        if fault == "lost_after_success":
            raise httpx.RemoteProtocolError("connection dropped", request=request)
        if fault == "error_500":
            return httpx.Response(500, json={"error": "boom after acting"})
        if fault == "error_502":
            return httpx.Response(502, text="<html>Bad Gateway</html>")
        return response

    def handle(self, request: httpx.Request) -> httpx.Response:
        path, method = request.url.path, request.method
        routes: list[tuple[str, str, Callable[..., httpx.Response]]] = [
            ("POST", r"/api/v1/statuses", self.post_status),
            ("GET", r"/api/v1/statuses/(\d+)", self.get_status),
            ("PUT", r"/api/v1/statuses/(\d+)", self.put_status),
            ("DELETE", r"/api/v1/statuses/(\d+)", self.delete_status),
            ("GET", r"/api/v1/statuses/(\d+)/context", self.context),
            ("GET", r"/api/v2/instance", lambda r: httpx.Response(200, json=self.instance)),
            (
                "GET",
                r"/api/v1/accounts/verify_credentials",
                lambda r: httpx.Response(200, json=self.account),
            ),
            ("GET", r"/api/v1/accounts/(\d+)/statuses", self.account_statuses),
            ("POST", r"/api/v2/media", self.post_media),
            ("GET", r"/api/v1/media/(\d+)", self.get_media),
            ("GET", r"/api/v1/notifications", self.notifications),
            (
                "GET",
                r"/api/v1/scheduled_statuses",
                lambda r: httpx.Response(200, json=list(self.scheduled.values())),
            ),
        ]
        for verb, pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                return handler(request, *match.groups())
        return httpx.Response(404, json={"error": "Record not found"})

    # -- handlers --------------------------------------------------------------------------
    def post_status(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        key = request.headers.get("Idempotency-Key") if self.honour_idempotency else None
        if key and key in self.keys:
            kind, existing = self.keys[key]
            store = self.statuses if kind == "status" else self.scheduled
            return httpx.Response(200, json=store[existing])
        if not body.get("status") and not body.get("media_ids"):
            return httpx.Response(422, json={"error": "Validation failed: Text can't be blank"})
        status_id = self.new_id()
        if body.get("scheduled_at"):
            self.scheduled[status_id] = {
                "id": status_id,
                "scheduled_at": body["scheduled_at"],
                "params": {"text": body.get("status", ""), "visibility": body.get("visibility")},
                "media_attachments": [],
            }
            if key:
                self.keys[key] = ("scheduled", status_id)
            return httpx.Response(200, json=self.scheduled[status_id])
        text = body.get("status", "")
        status = {
            "id": status_id,
            "created_at": self.iso(),
            "content": "<p>" + html.escape(text).replace("\n", "<br />") + "</p>",
            "url": f"{self.base}/@fornoaurora/{status_id}",
            "uri": f"{self.base}/s/{status_id}",
            "visibility": body.get("visibility", "public"),
            "language": body.get("language"),
            "spoiler_text": body.get("spoiler_text", ""),
            "in_reply_to_id": body.get("in_reply_to_id"),
            "favourites_count": 0,
            "reblogs_count": 0,
            "replies_count": 0,
            "account": self.account,
            "media_attachments": [self.media[m] for m in body.get("media_ids", [])],
            "poll": body.get("poll"),
        }
        self.statuses[status_id] = status
        self.account["statuses_count"] += 1
        if key:
            self.keys[key] = ("status", status_id)
        return httpx.Response(
            200,
            json=status,
            headers={
                "X-Request-Id": f"req-{status_id}",
                "X-RateLimit-Limit": "300",
                "X-RateLimit-Remaining": "299",
                "X-RateLimit-Reset": (self.clock.now() + timedelta(minutes=5)).isoformat(),
            },
        )

    def get_status(self, request: httpx.Request, status_id: str) -> httpx.Response:
        if status_id not in self.statuses:
            return httpx.Response(404, json={"error": "Record not found"})
        return httpx.Response(200, json=self.statuses[status_id])

    def put_status(self, request: httpx.Request, status_id: str) -> httpx.Response:
        if status_id not in self.statuses:
            return httpx.Response(404, json={"error": "Record not found"})
        body = json.loads(request.content)
        status = self.statuses[status_id]
        status["content"] = "<p>" + html.escape(body["status"]) + "</p>"
        status["edited_at"] = self.iso()
        return httpx.Response(200, json=status)

    def delete_status(self, request: httpx.Request, status_id: str) -> httpx.Response:
        if status_id not in self.statuses:
            return httpx.Response(404, json={"error": "Record not found"})
        return httpx.Response(200, json=self.statuses.pop(status_id))

    def context(self, request: httpx.Request, status_id: str) -> httpx.Response:
        descendants = [s for s in self.statuses.values() if s["in_reply_to_id"] == status_id]
        return httpx.Response(200, json={"ancestors": [], "descendants": descendants})

    def account_statuses(self, request: httpx.Request, account_id: str) -> httpx.Response:
        ordered = sorted(self.statuses.values(), key=lambda s: int(s["id"]), reverse=True)
        max_id = request.url.params.get("max_id")
        if max_id:
            ordered = [s for s in ordered if int(s["id"]) < int(max_id)]
        limit = int(request.url.params.get("limit", "20"))
        page = ordered[:limit]
        headers = {}
        if len(ordered) > limit:
            headers["Link"] = (
                f"<{self.base}/api/v1/accounts/{account_id}/statuses?"
                f'limit={limit}&max_id={page[-1]["id"]}>; rel="next"'
            )
        return httpx.Response(200, json=page, headers=headers)

    def post_media(self, request: httpx.Request) -> httpx.Response:
        media_id = self.new_id()
        self.media[media_id] = {"id": media_id, "type": "image", "url": None, "description": None}
        self.media_polls[media_id] = 0
        return httpx.Response(202, json=self.media[media_id])

    def get_media(self, request: httpx.Request, media_id: str) -> httpx.Response:
        self.media_polls[media_id] += 1
        if self.media_polls[media_id] <= self.media_processing_polls:
            return httpx.Response(206, json=self.media[media_id])
        self.media[media_id]["url"] = f"{self.base}/media/{media_id}.jpg"
        return httpx.Response(200, json=self.media[media_id])

    def notifications(self, request: httpx.Request) -> httpx.Response:
        mentions: list[dict[str, Any]] = [
            {
                "id": str(900 + i),
                "type": "mention",
                "created_at": self.iso(),
                "account": {"id": "7", "acct": f"fan{i}@other.test"},
                "status": {
                    "id": str(800 + i),
                    "created_at": self.iso(),
                    "content": f"<p>@fornoaurora ciao {i}!</p>",
                    "in_reply_to_id": None,
                    "account": {"id": "7", "acct": f"fan{i}@other.test"},
                },
            }
            for i in range(self.mention_count)
        ]
        min_id = request.url.params.get("min_id")
        if min_id:  # the page right after min_id (oldest first), answered newest first
            newer = sorted(
                (m for m in mentions if int(m["id"]) > int(min_id)), key=lambda m: int(m["id"])
            )
            page = newer[: int(request.url.params.get("limit", "40"))]
            return httpx.Response(200, json=sorted(page, key=lambda m: -int(m["id"])))
        max_id = request.url.params.get("max_id")
        if max_id:
            mentions = [m for m in mentions if int(m["id"]) < int(max_id)]
        mentions.sort(key=lambda m: -int(m["id"]))
        page = mentions[:2]
        headers = {}
        if len(mentions) > 2:
            headers["Link"] = (
                f"<{self.base}/api/v1/notifications?types%5B%5D=mention&"
                f'max_id={page[-1]["id"]}>; rel="next"'
            )
        return httpx.Response(200, json=page, headers=headers)


@pytest.fixture
def mastodon_server(fake_time: FakeTime) -> Callable[..., FakeMastodon]:
    """Factory: ``mastodon_server(fault_rate=0.2, seed=3)`` → a :class:`FakeMastodon`."""

    def make(**kwargs: Any) -> FakeMastodon:
        return FakeMastodon(fake_time, **kwargs)

    return make
