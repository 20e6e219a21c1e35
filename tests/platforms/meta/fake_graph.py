"""A stateful fake of Meta's Graph API (Instagram, Facebook Pages, Threads) for the tests.

It is an ``httpx.MockTransport`` handler with the behaviour that matters for exactly-once
publishing: containers that take several polls, ``ERROR`` and ``EXPIRED`` containers, a publish
that went through but whose answer was lost, the publishing limit, usage headers climbing to
100% and throttling, 5xx with ``is_transient``, and a public media host that Meta "downloads"
from (recorded, so tests can check that no token ever reaches it). Every request is recorded for
the contract check. Times come from the test's fake clock.
"""

from __future__ import annotations

import json
import random
from collections import deque
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import parse_qsl

import httpx

GRAPH_FAULTS = (
    "connect",
    "read_timeout_after",
    "lost_after_success",
    "error_500_transient",
    "throttled",
)
TOKEN = "EAAforno-token-0123456789"
IG_USER = "17841400000001"
PAGE_ID = "1010101010"
THREADS_USER = "2020202020"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


class Clock(Protocol):
    def now(self) -> datetime: ...


class GraphFault(Exception):
    pass


class FakeGraph:
    """See the module docs. ``fault_rate`` of attempts hit one of ``fault_kinds`` (seeded);
    ``container_error_rate`` / ``container_expire_rate`` of containers end ``ERROR`` /
    ``EXPIRED``; ``max_polls`` bounds how many status reads a container stays IN_PROGRESS."""

    def __init__(
        self,
        clock: Clock,
        *,
        fault_rate: float = 0.0,
        fault_kinds: tuple[str, ...] = GRAPH_FAULTS,
        seed: int = 1,
        container_error_rate: float = 0.0,
        container_expire_rate: float = 0.0,
        max_polls: int = 3,
        quota_total: int = 50,
        threads_quota: int = 250,
        usage_capacity: int = 0,
        token: str = TOKEN,
    ) -> None:
        self.clock = clock
        self.fault_rate, self.fault_kinds = fault_rate, fault_kinds
        self.rng = random.Random(seed)
        self.container_error_rate = container_error_rate
        self.container_expire_rate = container_expire_rate
        self.max_polls = max_polls
        self.quota_total, self.threads_quota = quota_total, threads_quota
        self.usage_capacity = usage_capacity  # calls per 60 s for 100% usage (0: no headers)
        self.tokens = {token}
        self.expired_tokens: set[str] = set()
        self.requests: list[httpx.Request] = []
        self.media_downloads: list[httpx.Request] = []
        self.faults: dict[str, int] = {}
        self.violations: list[str] = []
        self.sent_after_quota = 0
        self.fault_plan: list[str | None] | None = None
        self.hide_usage = False  # content_publishing_limit says 0 (posts made by another tool)
        self.recent_calls: deque[datetime] = deque()
        self.next_id = 1000
        # Instagram
        self.containers: dict[str, dict[str, Any]] = {}
        self.media: dict[str, dict[str, Any]] = {}
        self.comments: dict[str, dict[str, Any]] = {}
        self.publish_times: list[datetime] = []
        # Facebook Page
        self.posts: dict[str, dict[str, Any]] = {}
        self.photos: dict[str, dict[str, Any]] = {}
        self.videos: dict[str, dict[str, Any]] = {}
        self.sessions: dict[str, dict[str, Any]] = {}
        # Threads
        self.threads_containers: dict[str, dict[str, Any]] = {}
        self.threads: dict[str, dict[str, Any]] = {}
        self.threads_publish_times: list[datetime] = []
        self.conversations: dict[str, dict[str, Any]] = {}  # Instagram direct messages
        self.threads_mentions: list[str] = []  # Threads posts that mention the account
        self.others_media: dict[str, dict[str, Any]] = {}  # other accounts' media
        self.tagged: list[dict[str, Any]] = []  # ... in which the account is tagged
        self.mentioned_media_ids: set[str] = set()  # ... whose caption @mentions it
        self.mentioned_comments: dict[str, dict[str, Any]] = {}
        self.mention_replies: list[dict[str, Any]] = []
        self.competitors: dict[str, dict[str, Any]] = {
            "panificio_rivale": {
                "followers_count": 5400,
                "media_count": 310,
                "posts": [
                    (1, 120, 8, "IMAGE"),
                    (3, 200, 15, "VIDEO"),
                    (10, 90, 2, "CAROUSEL_ALBUM"),
                    (45, 999, 99, "IMAGE"),
                ],
            },
        }

    # -- helpers -------------------------------------------------------------------------------
    def new_id(self, prefix: str = "") -> str:
        self.next_id += 1
        return f"{prefix}{self.next_id}"

    def now(self) -> datetime:
        return self.clock.now()

    def _headers(self) -> dict[str, str]:
        headers = {
            "x-fb-trace-id": f"trace{len(self.requests)}",
            "content-type": "application/json",
        }
        if self.usage_capacity:
            now = self.now()
            while self.recent_calls and now - self.recent_calls[0] > timedelta(seconds=60):
                self.recent_calls.popleft()
            pct = min(100, len(self.recent_calls) * 100 // self.usage_capacity)
            headers["x-app-usage"] = json.dumps(
                {"call_count": pct, "total_time": pct // 2, "total_cputime": 3}
            )
        return headers

    def ok(self, body: dict[str, Any]) -> httpx.Response:
        return httpx.Response(200, json=body, headers=self._headers())

    def error(
        self,
        code: int,
        message: str,
        *,
        subcode: int | None = None,
        status: int = 400,
        transient: bool = False,
        extra_headers: dict[str, str] | None = None,
        user_msg: str | None = None,
    ) -> httpx.Response:
        body: dict[str, Any] = {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "is_transient": transient,
            "fbtrace_id": f"T{len(self.requests)}",
        }
        if subcode is not None:
            body["error_subcode"] = subcode
        if user_msg:
            body["error_user_msg"] = user_msg
        return httpx.Response(
            status, json={"error": body}, headers={**self._headers(), **(extra_headers or {})}
        )

    @staticmethod
    def params(request: httpx.Request) -> dict[str, str]:
        values = dict(parse_qsl(request.url.query.decode(), keep_blank_values=True))
        ctype = request.headers.get("content-type", "")
        if request.method == "POST" and ctype.startswith("application/x-www-form-urlencoded"):
            values.update(parse_qsl(request.content.decode(), keep_blank_values=True))
        elif ctype.startswith("multipart/form-data"):
            for part in request.content.split(b'Content-Disposition: form-data; name="')[1:]:
                name, _, rest = part.partition(b'"')
                body = (
                    rest.split(b"\r\n\r\n", 1)[1].rsplit(b"\r\n--", 1)[0]
                    if b"\r\n\r\n" in rest
                    else b""
                )
                values[name.decode()] = body.decode("latin-1")
        return values

    def download(self, url: str) -> bool:
        """Meta fetches the media from its public URL (no token, ever)."""
        request = httpx.Request("GET", url)
        self.media_downloads.append(request)
        return "missing" not in url and url.startswith("https://")

    # -- entry point ---------------------------------------------------------------------------
    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.usage_capacity:
            self.recent_calls.append(self.now())
        kind = None
        if self.fault_plan is not None:  # a scripted schedule (property tests)
            kind = self.fault_plan.pop(0) if self.fault_plan else None
        elif self.fault_rate and self.rng.random() < self.fault_rate:
            kind = self.rng.choice(self.fault_kinds)
        if kind is not None:
            self.faults[kind] = self.faults.get(kind, 0) + 1
        if kind == "connect":
            raise httpx.ConnectError("connection refused", request=request)
        if kind == "error_500_transient":
            return self.error(2, "Service temporarily unavailable", status=500, transient=True)
        if kind == "throttled":
            buc = {
                IG_USER: [
                    {
                        "type": "instagram",
                        "call_count": 100,
                        "total_cputime": 10,
                        "total_time": 10,
                        "estimated_time_to_regain_access": 0.5,
                    }
                ]
            }
            return self.error(
                80002,
                "Too many calls",
                extra_headers={"x-business-use-case-usage": json.dumps(buc)},
            )
        if self.usage_capacity and len(self.recent_calls) > self.usage_capacity:
            return self.error(
                4,
                "Application request limit reached",
                extra_headers={
                    "x-business-use-case-usage": json.dumps(
                        {IG_USER: [{"call_count": 100, "estimated_time_to_regain_access": 1}]}
                    )
                },
            )
        response = self.route(request)
        if kind == "read_timeout_after":
            raise httpx.ReadTimeout("timed out after the server acted", request=request)
        if kind == "lost_after_success":
            return httpx.Response(502, text="<html>Bad Gateway</html>")
        return response

    def route(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "rupload.facebook.com":
            given = request.headers.get("authorization", "")
            if not given.startswith("OAuth ") or given[6:] not in self.tokens:  # Meta's scheme
                return self.error(190, "Invalid OAuth access token.")
            return self.rupload(request)
        auth = request.headers.get("authorization", "")
        params = self.params(request)
        token = auth.removeprefix("Bearer ") if auth else params.get("access_token", "")
        parts = request.url.path.strip("/").split("/")
        if parts and parts[0][:1] == "v" and parts[0][1:2].isdigit():
            parts = parts[1:]  # drop the version
        special = "/".join(parts)
        if special in ("oauth/access_token", "debug_token", "refresh_access_token", "access_token"):
            return self.route_token(request.url.host, special, params, token)
        if token in self.expired_tokens:
            return self.error(
                190, "Error validating access token: Session has expired", subcode=463
            )
        if token not in self.tokens:
            return self.error(190, "Invalid OAuth access token.")
        node = parts[0] if parts else ""
        edge = parts[1] if len(parts) > 1 else None
        host = request.url.host
        try:
            if host == "graph.threads.net":
                return self.route_threads(request.method, node, edge, params)
            if (
                node == PAGE_ID
                or node in self.posts
                or node in self.photos
                or node == "me"
                or (node in self.comments and self.comments[node].get("fb"))
                or node in self.sessions
            ):
                return self.route_page(request, node, edge, params)
            return self.route_instagram(request.method, node, edge, params)
        except GraphFault as fault:
            return self.error(100, str(fault))

    # -- Instagram -----------------------------------------------------------------------------
    def _quota_used(self, times: list[datetime]) -> int:
        since = self.now() - timedelta(hours=24)
        return sum(t > since for t in times)

    def _new_container(
        self, params: dict[str, str], store: dict[str, dict[str, Any]]
    ) -> dict[str, Any]:
        roll = self.rng.random()
        final = "FINISHED"
        if roll < self.container_error_rate:
            final = "ERROR"
        elif roll < self.container_error_rate + self.container_expire_rate:
            final = "EXPIRED"
        container: dict[str, Any] = {
            "id": self.new_id("179"),
            "params": params,
            "polls": self.rng.randint(0, self.max_polls),
            "final": final,
            "status": "IN_PROGRESS",
            "created": self.now(),
            "media_id": None,
        }
        store[container["id"]] = container
        return container

    def route_instagram(
        self, method: str, node: str, edge: str | None, p: dict[str, str]
    ) -> httpx.Response:
        if node == IG_USER and method == "POST" and edge == "media":
            if "children" in p:
                for child in p["children"].split(","):
                    if (
                        child not in self.containers
                        or self.containers[child]["status"] != "FINISHED"
                    ):
                        return self.error(9007, "child not ready", subcode=2207027)
            for key in ("image_url", "video_url"):
                if key in p and not self.download(p[key]):
                    return self.error(
                        9004,
                        "Only photo or video can be accepted as media type.",
                        subcode=2207052,
                        user_msg="The media could not be fetched from this URI",
                    )
            if not ({"image_url", "video_url"} & set(p) or p.get("media_type") == "CAROUSEL"):
                return self.error(100, "image_url, video_url or children required")
            return self.ok({"id": self._new_container(p, self.containers)["id"]})
        if node in self.containers and method == "GET" and edge is None:
            c = self.containers[node]
            if c["status"] == "IN_PROGRESS":
                if c["polls"] > 0:
                    c["polls"] -= 1
                else:
                    c["status"] = c["final"]
            return self.ok(
                {
                    "id": node,
                    "status_code": c["status"],
                    "status": "Error: 2207052" if c["status"] == "ERROR" else c["status"],
                }
            )
        if node == IG_USER and method == "POST" and edge == "media_publish":
            found = self.containers.get(p.get("creation_id", ""))
            if found is None:
                return self.error(100, "no such container", subcode=2207006)
            c = found
            if c["status"] == "PUBLISHED":
                self.violations.append(f"container {c['id']} published twice")
                return self.error(100, "already published", subcode=2207006)
            if c["status"] != "FINISHED":
                return self.error(9007, "Media ID is not available", subcode=2207027)
            if self._quota_used(self.publish_times) >= self.quota_total:
                self.sent_after_quota += 1
                return self.error(9, "Application request limit reached", subcode=2207042)
            media_id = self.new_id("1795")
            prm = c["params"]
            self.media[media_id] = {
                "id": media_id,
                "caption": prm.get("caption", ""),
                "timestamp": self.now(),
                "media_type": prm.get("media_type", "IMAGE"),
                "container": c["id"],
                "children": prm.get("children", "").split(",") if prm.get("children") else [],
            }
            c["status"], c["media_id"] = "PUBLISHED", media_id
            self.publish_times.append(self.now())
            return self.ok({"id": media_id})
        if node == IG_USER and method == "GET" and edge == "content_publishing_limit":
            return self.ok(
                {
                    "data": [
                        {
                            "quota_usage": 0
                            if self.hide_usage
                            else self._quota_used(self.publish_times),
                            "config": {"quota_total": self.quota_total, "quota_duration": 86400},
                        }
                    ]
                }
            )
        if node == IG_USER and method == "GET" and edge == "stories":
            stories = [m for m in self.media.values() if m["media_type"] == "STORIES"]
            return self.ok(
                {"data": [{"id": m["id"], "timestamp": _iso(m["timestamp"])} for m in stories]}
            )
        if node == IG_USER and method == "GET" and edge == "media":
            items = sorted(
                (m for m in self.media.values() if m["media_type"] != "STORIES"),
                key=lambda m: (m["timestamp"], m["id"]),
                reverse=True,
            )
            if "since" in p:
                since = datetime.fromtimestamp(int(p["since"]), UTC)
                items = [m for m in items if m["timestamp"] >= since]
            start = int(p.get("after", "0"))
            limit = int(p.get("limit", "25"))
            page = items[start : start + limit]
            body: dict[str, Any] = {
                "data": [
                    {
                        "id": m["id"],
                        "caption": m["caption"],
                        "timestamp": _iso(m["timestamp"]),
                        "permalink": f"https://www.instagram.com/p/{m['id']}/",
                        "media_type": m["media_type"],
                        "comments_count": sum(
                            1 for c in self.comments.values() if c["media"] == m["id"]
                        ),
                    }
                    for m in page
                ]
            }
            if start + limit < len(items):
                body["paging"] = {
                    "cursors": {"after": str(start + limit)},
                    "next": "https://graph/next",
                }
            return self.ok(body)
        if node == IG_USER and method == "GET" and edge == "insights":
            if p.get("period") != "day" or "metric" not in p:
                return self.error(100, "(#100) metric and period are required")
            metrics = p["metric"].split(",")
            if "impressions" in metrics:
                return self.error(100, "(#100) impressions is no longer supported")
            return self.ok(
                {
                    "data": [
                        {"name": m, "period": "day", "total_value": {"value": 500 + i}}
                        for i, m in enumerate(metrics)
                    ]
                }
            )
        if node == IG_USER and method == "GET" and edge == "tags":
            newest_first = sorted(self.tagged, key=lambda m: m["timestamp"], reverse=True)
            return self._listing(newest_first, p, self._tagged_json)
        if node == IG_USER and method == "GET" and edge == "conversations":
            if p.get("platform") != "instagram":
                return self.error(100, "platform=instagram is required")
            return self._conversation_listing(IG_USER, p)
        if node == IG_USER and method == "POST" and edge == "messages":
            recipient = json.loads(p.get("recipient", "{}")).get("id")
            text = json.loads(p.get("message", "{}")).get("text")
            return self._send_dm(IG_USER, recipient, text)
        if node == IG_USER and method == "POST" and edge == "mentions":
            if p.get("media_id") not in self.others_media:
                return self.error(100, "Invalid parameter: media_id")
            reply = {
                "id": self.new_id("179"),
                "media_id": p["media_id"],
                "comment_id": p.get("comment_id"),
                "text": p["message"],
            }
            self.mention_replies.append(reply)
            return self.ok({"id": reply["id"]})
        if node == IG_USER and method == "GET" and edge is None:
            fields = p.get("fields", "")
            if fields.startswith("business_discovery.username("):
                name = fields.split("(", 1)[1].split(")", 1)[0]
                if name not in self.competitors:
                    return self.error(110, "Invalid user id", subcode=2207013)
                comp = self.competitors[name]
                media = [
                    {
                        "timestamp": _iso(self.now() - timedelta(days=d)),
                        "like_count": lk,
                        "comments_count": cm,
                        "media_type": mt,
                    }
                    for d, lk, cm, mt in comp["posts"]
                ]
                return self.ok(
                    {
                        "id": IG_USER,
                        "business_discovery": {
                            "username": name,
                            "followers_count": comp["followers_count"],
                            "media_count": comp["media_count"],
                            "media": {"data": media},
                        },
                    }
                )
            if fields.startswith("mentioned_media.media_id("):
                mid = fields.split("(", 1)[1].split(")", 1)[0]
                if mid not in self.mentioned_media_ids:
                    return self.error(100, "Invalid parameter", subcode=2207013)
                found = self.others_media[mid]
                return self.ok({"id": IG_USER, "mentioned_media": self._tagged_json(found)})
            if fields.startswith("mentioned_comment.comment_id("):
                cid = fields.split("(", 1)[1].split(")", 1)[0]
                if cid in self.mentioned_comments:
                    c = self.mentioned_comments[cid]
                    return self.ok(
                        {
                            "id": IG_USER,
                            "mentioned_comment": {
                                "id": cid,
                                "text": c["text"],
                                "timestamp": _iso(c["timestamp"]),
                                "media": {"id": c["media"]},
                            },
                        }
                    )
                return self.ok(
                    {
                        "id": IG_USER,
                        "mentioned_comment": {
                            "id": cid,
                            "text": "@forno il migliore!",
                            "timestamp": _iso(self.now()),
                            "username": "anna",
                            "media": {"id": "1799001"},
                        },
                    }
                )
            return self.ok(
                {
                    "id": IG_USER,
                    "username": "forno",
                    "followers_count": 1234,
                    "follows_count": 56,
                    "media_count": len(self.media),
                }
            )
        if node in self.media:
            m = self.media[node]
            if method == "GET" and edge is None:
                return self.ok(
                    {
                        "id": node,
                        "permalink": f"https://www.instagram.com/p/{node}/",
                        "timestamp": _iso(m["timestamp"]),
                    }
                )
            if method == "DELETE" and edge is None:
                del self.media[node]
                return self.ok({"success": True})
            if method == "GET" and edge == "insights":
                metrics = p.get("metric", "").split(",")
                bad = [x for x in metrics if x in ("impressions", "plays", "video_views")]
                if bad:
                    return self.error(
                        100,
                        f"(#100) metric[0] must be one of: views, reach ({bad[0]})",
                    )
                return self.ok(
                    {
                        "data": [
                            {"name": x, "period": "lifetime", "values": [{"value": 10 + i}]}
                            for i, x in enumerate(metrics)
                        ]
                    }
                )
            if method == "GET" and edge == "comments":
                items = [
                    c for c in self.comments.values() if c["media"] == node and not c.get("parent")
                ]
                return self.ok(
                    {
                        "data": [
                            {
                                "id": c["id"],
                                "text": c["text"],
                                "username": c["username"],
                                "timestamp": _iso(c["timestamp"]),
                                "hidden": c["hidden"],
                                **(
                                    self._ig_expansions(c)
                                    if "replies{" in p.get("fields", "")
                                    else {}
                                ),
                            }
                            for c in items
                        ]
                    }
                )
        if node in self.comments:
            c = self.comments[node]
            if method == "POST" and edge == "replies":
                reply = self.add_comment(c["media"], p.get("message", ""), "forno", parent=node)
                return self.ok({"id": reply["id"]})
            if method == "GET" and edge == "replies":
                items = [r for r in self.comments.values() if r.get("parent") == node]
                return self.ok(
                    {
                        "data": [
                            {
                                "id": r["id"],
                                "text": r["text"],
                                "username": r["username"],
                                "timestamp": _iso(r["timestamp"]),
                            }
                            for r in items
                        ]
                    }
                )
            if method == "POST" and edge is None and "hide" in p:
                c["hidden"] = p["hide"] == "true"
                return self.ok({"success": True})
            if method == "DELETE" and edge is None:
                del self.comments[node]
                return self.ok({"success": True})
        return self.error(
            100, f"Unsupported {method} request. Object with ID '{node}' does not exist", subcode=33
        )

    def _ig_expansions(self, c: dict[str, Any]) -> dict[str, Any]:
        """``from`` and the ``replies{...}`` field expansion of an Instagram comment."""
        replies = [r for r in self.comments.values() if r.get("parent") == c["id"]]
        return {
            "from": {"id": c.get("user_id", "9001"), "username": c["username"]},
            "replies": {
                "data": [
                    {
                        "id": r["id"],
                        "text": r["text"],
                        "username": r["username"],
                        "timestamp": _iso(r["timestamp"]),
                        "hidden": r["hidden"],
                        "parent_id": c["id"],
                        "from": {"id": r.get("user_id", "9001"), "username": r["username"]},
                    }
                    for r in replies
                ]
            },
        }

    def tag(self, caption: str, username: str, *, at: datetime | None = None) -> dict[str, Any]:
        """Someone else's media in which the account is tagged (listed by ``/tags``)."""
        media = self.others_post(caption, username, at=at)
        self.tagged.append(media)
        return media

    def others_post(
        self, caption: str, username: str, *, at: datetime | None = None
    ) -> dict[str, Any]:
        """A media of another account (not tagging this one)."""
        media: dict[str, Any] = {
            "id": self.new_id("1799"),
            "caption": caption,
            "username": username,
            "timestamp": at or self.now(),
        }
        self.others_media[media["id"]] = media
        return media

    def mention_in_caption(self, caption: str, username: str) -> dict[str, Any]:
        """A media whose caption @mentions the account (a ``mentions`` webhook, no tag)."""
        media = self.others_post(caption, username)
        self.mentioned_media_ids.add(media["id"])
        return media

    def mention_in_comment(self, media: str, text: str) -> dict[str, Any]:
        """A comment on someone else's media that @mentions the account."""
        comment: dict[str, Any] = {
            "id": self.new_id("1801"),
            "media": media,
            "text": text,
            "timestamp": self.now(),
        }
        self.mentioned_comments[comment["id"]] = comment
        return comment

    def direct_message(
        self, sender: str, username: str, text: str, *, owner: str = IG_USER
    ) -> dict[str, Any]:
        """A direct message from ``sender`` (an Instagram- or Page-scoped id) to the account
        ``owner`` (the Instagram user, or the Page for Messenger)."""
        known = [
            c for c in self.conversations.values() if c["with"] == sender and c["owner"] == owner
        ]
        conversation: dict[str, Any] = (
            known[0]
            if known
            else {"id": self.new_id("aWdf"), "with": sender, "owner": owner, "messages": []}
        )
        self.conversations[conversation["id"]] = conversation
        return self._dm(conversation, sender, username, text, to=owner)

    def _conversation_listing(self, owner: str, p: dict[str, str]) -> httpx.Response:
        wanted = "instagram" if owner == IG_USER else "messenger"
        if p.get("platform") != wanted:
            return self.error(100, f"platform={wanted} is required")
        ordered = sorted(
            (c for c in self.conversations.values() if c["owner"] == owner),
            key=lambda c: c["messages"][-1]["at"],
            reverse=True,
        )
        return self._listing(ordered, p, self._conversation_json)

    def _send_dm(self, owner: str, recipient: object, text: object) -> httpx.Response:
        partner = [
            c for c in self.conversations.values() if c["with"] == recipient and c["owner"] == owner
        ]
        if not partner or not isinstance(text, str) or not isinstance(recipient, str):
            return self.error(100, "(#100) No matching user found", subcode=2018001)
        sent = self._dm(partner[0], owner, "forno", text, to=recipient)
        return self.ok({"recipient_id": recipient, "message_id": sent["id"]})

    def _dm(
        self,
        conversation: dict[str, Any],
        sender: str,
        username: str,
        text: str,
        *,
        to: str = IG_USER,
    ) -> dict[str, Any]:
        message = {
            "id": self.new_id("m_"),
            "from": {"id": sender, "username": username},
            "to": {"data": [{"id": to}]},
            "text": text,
            "at": self.now(),
            "conversation": conversation["id"],
        }
        conversation["messages"].append(message)
        return message

    @staticmethod
    def _conversation_json(c: dict[str, Any]) -> dict[str, Any]:
        newest = list(reversed(c["messages"]))[:20]
        return {
            "id": c["id"],
            "updated_time": _iso(c["messages"][-1]["at"]),
            "messages": {
                "data": [
                    {
                        "id": m["id"],
                        "created_time": _iso(m["at"]),
                        "from": m["from"],
                        "to": m["to"],
                        "message": m["text"],
                    }
                    for m in newest
                ]
            },
        }

    @staticmethod
    def _tagged_json(m: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": m["id"],
            "caption": m["caption"],
            "username": m["username"],
            "timestamp": _iso(m["timestamp"]),
            "permalink": f"https://www.instagram.com/p/{m['id']}/",
        }

    def add_comment(
        self, media: str, text: str, username: str, *, parent: str | None = None, fb: bool = False
    ) -> dict[str, Any]:
        comment: dict[str, Any] = {
            "id": self.new_id("180"),
            "media": media,
            "text": text,
            "username": username,
            "timestamp": self.now(),
            "hidden": False,
            "parent": parent,
            "fb": fb,
        }
        self.comments[comment["id"]] = comment
        return comment

    # -- Facebook Pages ------------------------------------------------------------------------
    def _listing(
        self, items: list[dict[str, Any]], p: dict[str, str], render: Any
    ) -> httpx.Response:
        start = int(p.get("after", "0"))
        limit = int(p.get("limit", "25"))
        body: dict[str, Any] = {"data": [render(x) for x in items[start : start + limit]]}
        if start + limit < len(items):
            body["paging"] = {
                "cursors": {"after": str(start + limit)},
                "next": "https://graph/next",
            }
        return self.ok(body)

    def _schedule(self, p: dict[str, str]) -> int | None:
        if p.get("published") != "false" or "scheduled_publish_time" not in p:
            return None
        when = int(p["scheduled_publish_time"])
        ahead = when - self.now().timestamp()
        if ahead < 600 or ahead > 75 * 86400:
            raise GraphFault("(#100) The specified scheduled publish time is invalid.")
        return when

    def _new_post(self, message: str, p: dict[str, str], **extra: Any) -> dict[str, Any]:
        when = self._schedule(p)
        post = {
            "id": f"{PAGE_ID}_{self.new_id()}",
            "message": message,
            "created": self.now(),
            "scheduled": when,
            "link": p.get("link"),
            "hidden": False,
            **extra,
        }
        self.posts[post["id"]] = post
        return post

    def route_page(
        self, request: httpx.Request, node: str, edge: str | None, p: dict[str, str]
    ) -> httpx.Response:
        method = request.method
        if node == PAGE_ID and method == "GET" and edge == "conversations":
            return self._conversation_listing(PAGE_ID, p)
        if node == PAGE_ID and method == "POST" and edge == "messages":
            if p.get("messaging_type") != "RESPONSE":
                return self.error(100, "messaging_type RESPONSE is required here")
            recipient = json.loads(p.get("recipient", "{}")).get("id")
            return self._send_dm(PAGE_ID, recipient, json.loads(p.get("message", "{}")).get("text"))
        if node == "me" and method == "GET" and edge == "accounts":
            return self.ok(
                {
                    "data": [
                        {
                            "id": PAGE_ID,
                            "name": "Forno Bianchi",
                            "access_token": "EAApage-token-777",
                            "tasks": ["CREATE_CONTENT", "MODERATE"],
                            "instagram_business_account": {"id": IG_USER},
                        }
                    ]
                }
            )
        if node == PAGE_ID:
            if method == "POST" and edge == "feed":
                attached = json.loads(p.get("attached_media", "[]"))
                for item in attached:
                    photo = self.photos.get(item.get("media_fbid"))
                    if photo is None or photo["published"]:
                        return self.error(100, "(#100) attached_media must be unpublished photos")
                if not (p.get("message") or p.get("link") or attached):
                    return self.error(100, "(#100) message, link or attached_media required")
                post = self._new_post(
                    p.get("message", ""), p, photos=[a["media_fbid"] for a in attached]
                )
                return self.ok({"id": post["id"]})
            if method == "POST" and edge == "photos":
                if not self.download(p.get("url", "")):
                    return self.error(324, "(#324) Missing or invalid image file")
                photo = {
                    "id": self.new_id("55"),
                    "url": p["url"],
                    "published": p.get("published") != "false",
                }
                self.photos[photo["id"]] = photo
                if p.get("published") == "false" and "scheduled_publish_time" not in p:
                    return self.ok({"id": photo["id"]})
                post = self._new_post(p.get("caption", ""), p, photos=[photo["id"]])
                return self.ok({"id": photo["id"], "post_id": post["id"]})
            if method == "POST" and edge == "videos":
                phase = p.get("upload_phase")
                if phase == "start":
                    sid, vid = self.new_id("77"), self.new_id("88")
                    self.sessions[sid] = {"size": int(p["file_size"]), "data": b"", "video": vid}
                    return self.ok(
                        {
                            "upload_session_id": sid,
                            "video_id": vid,
                            "start_offset": "0",
                            "end_offset": str(min(int(p["file_size"]), 1000)),
                        }
                    )
                if phase == "transfer":
                    sess = self.sessions[p["upload_session_id"]]
                    offset = int(p["start_offset"])
                    chunk = p["video_file_chunk"].encode("latin-1")
                    sess["data"] = sess["data"][:offset] + chunk
                    done = len(sess["data"])
                    return self.ok(
                        {
                            "start_offset": str(done),
                            "end_offset": str(min(sess["size"], done + 1000)),
                        }
                    )
                if phase == "finish":
                    sess = self.sessions[p["upload_session_id"]]
                    if len(sess["data"]) != sess["size"]:
                        return self.error(100, "upload incomplete")
                    video = self._new_video(sess["video"], p)
                    return self.ok({"success": True, "video_id": video["id"]})
                if "file_url" in p and self.download(p["file_url"]):
                    video = self._new_video(self.new_id("88"), p)
                    return self.ok({"id": video["id"]})
                return self.error(100, "(#100) upload_phase or file_url required")
            if method == "POST" and edge == "video_reels":
                if p.get("upload_phase") == "start":
                    vid = self.new_id("99")
                    self.videos[vid] = {
                        "id": vid,
                        "uploaded": False,
                        "published": False,
                        "reel": True,
                        "description": "",
                        "created": self.now(),
                    }
                    return self.ok(
                        {
                            "video_id": vid,
                            "upload_url": f"https://rupload.facebook.com/video-upload/v24.0/{vid}",
                        }
                    )
                video = self.videos[p["video_id"]]
                if not video["uploaded"]:
                    return self.error(100, "video not uploaded")
                if video["published"]:
                    self.violations.append(f"reel {video['id']} published twice")
                video.update(published=True, description=p.get("description", ""))
                return self.ok({"success": True})
            if method == "GET" and edge in ("published_posts", "scheduled_posts"):
                scheduled = edge == "scheduled_posts"
                items = [x for x in self.posts.values() if bool(x["scheduled"]) == scheduled]
                items.sort(key=lambda x: (x["created"], x["id"]), reverse=True)
                return self._listing(
                    items,
                    p,
                    lambda x: {
                        "id": x["id"],
                        "message": x["message"],
                        "created_time": _iso(x["created"]),
                        "scheduled_publish_time": x["scheduled"],
                        "permalink_url": f"https://www.facebook.com/{x['id']}",
                        "comments": {
                            "data": [],
                            "summary": {
                                "total_count": sum(
                                    1 for c in self.comments.values() if c["media"] == x["id"]
                                )
                            },
                        },
                    },
                )
            if method == "GET" and edge in ("videos", "video_reels"):
                items = [
                    v
                    for v in self.videos.values()
                    if v["published"] and v.get("reel", False) == (edge == "video_reels")
                ]
                items.sort(key=lambda x: (x["created"], x["id"]), reverse=True)
                return self._listing(
                    items,
                    p,
                    lambda v: {
                        "id": v["id"],
                        "description": v["description"],
                        "created_time": _iso(v["created"]),
                    },
                )
            if method == "GET" and edge == "insights":
                metrics = p.get("metric", "").split(",")
                if any(
                    m in ("page_impressions", "page_fans", "page_impressions_unique")
                    for m in metrics
                ):
                    return self.error(100, "(#100) The value must be a valid insights metric")
                return self.ok(
                    {
                        "data": [
                            {
                                "name": m,
                                "period": "day",
                                "values": [{"value": 5}, {"value": 40 + i}],
                            }
                            for i, m in enumerate(metrics)
                        ]
                    }
                )
            if method == "GET" and edge is None:
                return self.ok({"id": PAGE_ID, "name": "Forno Bianchi", "followers_count": 880})
        if node in self.posts:
            post = self.posts[node]
            if method == "POST" and edge is None:
                post["message"] = p.get("message", post["message"])
                return self.ok({"success": True})
            if method == "DELETE" and edge is None:
                del self.posts[node]
                return self.ok({"success": True})
            if method == "GET" and edge == "comments":
                stream = p.get("filter") == "stream"
                items = [
                    c
                    for c in self.comments.values()
                    if c["media"] == node and c["fb"] and (stream or not c["parent"])
                ]
                if "since" in p:
                    since = datetime.fromtimestamp(int(p["since"]), UTC)
                    items = [c for c in items if c["timestamp"] >= since]
                return self._listing(items, p, self._fb_comment)
            if method == "GET" and edge == "insights":
                metrics = p.get("metric", "").split(",")
                if any("impressions" in m for m in metrics):
                    return self.error(100, "(#100) The value must be a valid insights metric")
                return self.ok(
                    {
                        "data": [
                            {"name": m, "period": "lifetime", "values": [{"value": 70 + i}]}
                            for i, m in enumerate(metrics)
                        ]
                    }
                )
            if method == "GET" and edge is None:
                n = sum(1 for c in self.comments.values() if c["media"] == node)
                return self.ok(
                    {
                        "id": node,
                        "created_time": _iso(post["created"]),
                        "shares": {"count": 2},
                        "reactions": {"data": [], "summary": {"total_count": 9}},
                        "comments": {"data": [], "summary": {"total_count": n}},
                    }
                )
        if node in self.comments:
            c = self.comments[node]
            if method == "POST" and edge == "comments":
                reply = self.add_comment(
                    c["media"], p.get("message", ""), PAGE_ID, parent=node, fb=True
                )
                return self.ok({"id": reply["id"]})
            if method == "GET" and edge == "comments":
                items = [r for r in self.comments.values() if r["parent"] == node]
                return self._listing(items, p, self._fb_comment)
            if method == "POST" and edge is None and "is_hidden" in p:
                c["hidden"] = p["is_hidden"] == "true"
                return self.ok({"success": True})
            if method == "DELETE" and edge is None:
                del self.comments[node]
                return self.ok({"success": True})
        return self.error(
            100, f"Unsupported {method} request. Object with ID '{node}' does not exist", subcode=33
        )

    def _new_video(self, vid: str, p: dict[str, str]) -> dict[str, Any]:
        when = self._schedule(p)
        video = {
            "id": vid,
            "description": p.get("description", ""),
            "title": p.get("title"),
            "created": self.now(),
            "published": True,
            "scheduled": when,
            "reel": False,
        }
        if vid in self.videos:
            self.violations.append(f"video {vid} published twice")
        self.videos[vid] = video
        return video

    def _fb_comment(self, c: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": c["id"],
            "message": c["text"],
            "from": {"id": c.get("user_id", "5"), "name": c["username"]},
            "created_time": _iso(c["timestamp"]),
            "is_hidden": c["hidden"],
            **({"parent": {"id": c["parent"]}} if c["parent"] else {}),
        }

    def rupload(self, request: httpx.Request) -> httpx.Response:
        vid = request.url.path.rsplit("/", 1)[-1]
        video = self.videos.get(vid)
        if video is None:
            return self.error(100, "no such video")
        if "file_url" in request.headers:
            if not self.download(request.headers["file_url"]):
                return self.error(100, "could not fetch file_url")
        elif len(request.content) != int(request.headers.get("file_size", "-1")):
            return self.error(100, "size mismatch")
        video["uploaded"] = True
        return self.ok({"success": True})

    # -- Threads ---------------------------------------------------------------------------------
    def route_threads(
        self, method: str, node: str, edge: str | None, p: dict[str, str]
    ) -> httpx.Response:
        if node == THREADS_USER and method == "POST" and edge == "threads":
            kind = p.get("media_type")
            if kind not in ("TEXT", "IMAGE", "VIDEO", "CAROUSEL"):
                return self.error(100, "media_type must be TEXT, IMAGE, VIDEO or CAROUSEL")
            for key in ("image_url", "video_url"):
                if key in p and not self.download(p[key]):
                    return self.error(100, "Meta could not fetch the media", subcode=2207052)
            if kind == "CAROUSEL":
                children = p.get("children", "").split(",")
                if not 2 <= len(children) <= 20 or any(
                    self.threads_containers.get(c, {}).get("status") != "FINISHED" for c in children
                ):
                    return self.error(100, "carousel children must be 2-20 finished items")
            if kind == "TEXT" and len(p.get("text", "")) > 500:
                return self.error(100, "text too long")
            if p.get("reply_to_id") and p["reply_to_id"] not in self.threads:
                return self.error(100, "reply_to_id does not exist", subcode=33)
            return self.ok({"id": self._new_container(p, self.threads_containers)["id"]})
        if node in self.threads_containers and method == "GET" and edge is None:
            c = self.threads_containers[node]
            if c["status"] == "IN_PROGRESS":
                if c["polls"] > 0:
                    c["polls"] -= 1
                else:
                    c["status"] = c["final"]
            body = {"id": node, "status": c["status"]}
            if c["status"] == "ERROR":
                body["error_message"] = "FAILED_DOWNLOADING_VIDEO"
            return self.ok(body)
        if node == THREADS_USER and method == "POST" and edge == "threads_publish":
            found = self.threads_containers.get(p.get("creation_id", ""))
            if found is None:
                return self.error(100, "no such container", subcode=33)
            c = found
            if c["status"] == "PUBLISHED":
                self.violations.append(f"threads container {c['id']} published twice")
                return self.error(100, "already published")
            if c["status"] != "FINISHED":
                return self.error(9007, "Media not ready", subcode=2207027)
            if self._quota_used(self.threads_publish_times) >= self.threads_quota:
                self.sent_after_quota += 1
                return self.error(9, "publishing limit reached", subcode=2207042)
            media_id = self.new_id("31")
            prm = c["params"]
            self.threads[media_id] = {
                "id": media_id,
                "text": prm.get("text", ""),
                "timestamp": self.now(),
                "reply_to": prm.get("reply_to_id"),
                "media_type": prm["media_type"],
                "hidden": False,
                "username": "forno",
            }
            c["status"] = "PUBLISHED"
            self.threads_publish_times.append(self.now())
            return self.ok({"id": media_id})
        if node == THREADS_USER and method == "GET" and edge == "threads_publishing_limit":
            return self.ok(
                {
                    "data": [
                        {
                            "quota_usage": self._quota_used(self.threads_publish_times),
                            "config": {"quota_total": self.threads_quota, "quota_duration": 86400},
                        }
                    ]
                }
            )
        if node == THREADS_USER and method == "GET" and edge == "threads":
            items = self._threads_since(
                [m for m in self.threads.values() if m["username"] == "forno"], p
            )
            return self._listing(
                items,
                p,
                lambda m: {
                    "id": m["id"],
                    "text": m["text"],
                    "timestamp": _iso(m["timestamp"]),
                    "permalink": f"https://www.threads.net/@forno/post/{m['id']}",
                    "media_type": m["media_type"],
                    "has_replies": any(r["reply_to"] == m["id"] for r in self.threads.values()),
                },
            )
        if node == THREADS_USER and method == "GET" and edge == "mentions":
            items = self._threads_since([self.threads[i] for i in self.threads_mentions], p)
            return self._listing(items, p, self._thread_json)
        if node == THREADS_USER and method == "GET" and edge == "replies":
            own = [m for m in self.threads.values() if m["username"] == "forno" and m["reply_to"]]
            return self._listing(self._threads_since(own, p), p, self._thread_json)
        if node == THREADS_USER and method == "GET" and edge == "threads_insights":
            return self.ok(
                {
                    "data": [
                        {"name": m, "total_value": {"value": 300 + i}}
                        for i, m in enumerate(p.get("metric", "").split(","))
                    ]
                }
            )
        if node in self.threads:
            m = self.threads[node]
            if method == "GET" and edge is None:
                return self.ok(
                    {
                        "id": node,
                        "permalink": f"https://www.threads.net/@forno/post/{node}",
                        "timestamp": _iso(m["timestamp"]),
                    }
                )
            if method == "DELETE" and edge is None:
                del self.threads[node]
                return self.ok({"success": True})
            if method == "GET" and edge == "replies":
                items = [r for r in self.threads.values() if r["reply_to"] == node]
                return self._listing(
                    items,
                    p,
                    lambda r: {
                        "id": r["id"],
                        "text": r["text"],
                        "username": r["username"],
                        "timestamp": _iso(r["timestamp"]),
                        "hide_status": "HIDDEN" if r["hidden"] else "NOT_HUSHED",
                        "replied_to": {"id": node},
                    },
                )
            if method == "GET" and edge == "conversation":
                items = [r for r in self.threads.values() if self._thread_root(r) == node]
                items.sort(
                    key=lambda r: (r["timestamp"], r["id"]), reverse=p.get("reverse") != "false"
                )
                return self._listing(items, p, self._thread_json)
            if method == "POST" and edge == "manage_reply":
                m["hidden"] = p.get("hide") == "true"
                return self.ok({"success": True})
            if method == "GET" and edge == "insights":
                return self.ok(
                    {
                        "data": [
                            {"name": x, "period": "lifetime", "values": [{"value": 20 + i}]}
                            for i, x in enumerate(p.get("metric", "").split(","))
                        ]
                    }
                )
        return self.error(
            100, f"Unsupported {method} request. Object with ID '{node}' does not exist", subcode=33
        )

    @staticmethod
    def _threads_since(items: list[dict[str, Any]], p: dict[str, str]) -> list[dict[str, Any]]:
        """Newest first, from ``since`` (a Unix time) when given."""
        if "since" in p:
            since = datetime.fromtimestamp(int(p["since"]), UTC)
            items = [m for m in items if m["timestamp"] >= since]
        return sorted(items, key=lambda m: (m["timestamp"], m["id"]), reverse=True)

    def _thread_root(self, m: dict[str, Any]) -> str | None:
        """The top-level post of a reply's tree (``None`` for a top-level post)."""
        root, seen = m.get("reply_to"), 0
        while root in self.threads and self.threads[root].get("reply_to") and seen < 100:
            root, seen = self.threads[root]["reply_to"], seen + 1
        return root if isinstance(root, str) else None

    def _thread_json(self, m: dict[str, Any]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": m["id"],
            "text": m["text"],
            "username": m["username"],
            "timestamp": _iso(m["timestamp"]),
            "permalink": f"https://www.threads.net/@{m['username']}/post/{m['id']}",
            "hide_status": "HIDDEN" if m["hidden"] else "NOT_HUSHED",
        }
        if m.get("reply_to"):
            body["replied_to"] = {"id": m["reply_to"]}
            body["root_post"] = {"id": self._thread_root(m)}
            body["is_reply_owned_by_me"] = m["username"] == "forno"
        return body

    def add_thread_mention(self, text: str, username: str) -> dict[str, Any]:
        """Another profile's post that mentions the account (listed by ``/mentions``)."""
        post = self.add_thread_reply("", text, username)
        post["reply_to"] = None
        self.threads_mentions.append(post["id"])
        return post

    def add_thread_reply(self, to: str, text: str, username: str) -> dict[str, Any]:
        reply: dict[str, Any] = {
            "id": self.new_id("32"),
            "text": text,
            "timestamp": self.now(),
            "reply_to": to,
            "media_type": "TEXT",
            "hidden": False,
            "username": username,
        }
        self.threads[reply["id"]] = reply
        return reply

    # -- tokens ----------------------------------------------------------------------------------
    def route_token(self, host: str, path: str, p: dict[str, str], token: str) -> httpx.Response:
        if path == "oauth/access_token":
            if p.get("client_secret") != "app-secret-42":
                return self.error(1, "Error validating client secret.")
            if p.get("grant_type") == "fb_exchange_token":
                self.tokens.add("EAAlong-lived-user-1")
                return self.ok(
                    {
                        "access_token": "EAAlong-lived-user-1",
                        "token_type": "bearer",
                        "expires_in": 5183944,
                    }
                )
            if p.get("code") != "good-code":
                return self.error(100, "Invalid verification code format.", subcode=36007)
            return self.ok(
                {"access_token": "EAAshort-user-1", "token_type": "bearer", "expires_in": 5400}
            )
        if path == "debug_token":
            if p.get("access_token") != "1234567890|app-secret-42":
                return self.error(190, "Invalid OAuth access token.")
            known = p.get("input_token") in self.tokens
            return self.ok(
                {
                    "data": {
                        "app_id": "1234567890",
                        "type": "USER",
                        "is_valid": known,
                        "user_id": "42",
                        "expires_at": int(self.now().timestamp()) + 3600 if known else 0,
                        "scopes": ["pages_show_list", "pages_manage_posts", "instagram_basic"],
                    }
                }
            )
        if path == "refresh_access_token":
            grant = {
                "graph.instagram.com": "ig_refresh_token",
                "graph.threads.net": "th_refresh_token",
            }[host]
            if p.get("grant_type") != grant or p.get("access_token") not in self.tokens:
                return self.error(190, "Invalid OAuth access token.")
            fresh = f"{p['access_token']}-r{len(self.requests)}"
            self.tokens.add(fresh)
            return self.ok({"access_token": fresh, "token_type": "bearer", "expires_in": 5184000})
        if path == "access_token":
            return self.ok(
                {"access_token": "IGQlong-lived-9", "token_type": "bearer", "expires_in": 5184000}
            )
        return self.error(100, "unknown token endpoint")
