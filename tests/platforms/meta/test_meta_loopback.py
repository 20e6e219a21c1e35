"""An independent fault server: the fake Graph API behind a real HTTP server on 127.0.0.1,
failing at the socket level (connection closed before an answer, closed after the server acted,
an answer cut short, an answer slower than the client's timeout). Real httpx transports, real
timeouts, sync and async: every post still exists exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
import time
from collections import Counter
from collections.abc import Generator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from smmkit.errors import PlatformError, RateLimitedError
from smmkit.models import MediaAsset, Variant
from smmkit.platforms import ClientOptions, RetryPolicy
from smmkit.platforms.facebook import AsyncFacebookPageClient, FacebookPageClient
from smmkit.platforms.instagram import AsyncInstagramClient, InstagramClient

from .conftest import IG_USER, PAGE_ID, TOKEN

SOCKET_FAULTS = ("close_before", "close_after", "truncated", "slow_after")
TIMEOUT = 0.3


class LoopbackGraph:
    """Serves a :class:`FakeGraph` over real HTTP, with socket-level faults (seeded)."""

    def __init__(self, fake: Any, *, fault_rate: float, seed: int) -> None:
        self.fake, self.fault_rate = fake, fault_rate
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.faults: Counter[str] = Counter()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def handle_one(self) -> None:
                size = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(size) if size else b""
                with owner.lock:
                    fault = None
                    if owner.rng.random() < owner.fault_rate:
                        fault = owner.rng.choice(SOCKET_FAULTS)
                        owner.faults[fault] += 1
                    if fault == "close_before":
                        self.close_connection = True
                        return
                    headers = {
                        k: v
                        for k, v in self.headers.items()
                        if k.lower() in ("authorization", "content-type")
                    }
                    request = httpx.Request(
                        self.command,
                        f"https://graph.facebook.com{self.path}",
                        headers=headers,
                        content=body,
                    )
                    response = owner.fake.route(request)
                data = response.content
                if fault == "close_after":
                    self.close_connection = True
                    return
                if fault == "slow_after":
                    time.sleep(TIMEOUT * 1.5)
                self.send_response(response.status_code)
                self.send_header("content-type", "application/json")
                for name in ("x-fb-trace-id", "x-app-usage", "x-business-use-case-usage"):
                    if name in response.headers:
                        self.send_header(name, response.headers[name])
                if fault == "truncated":
                    self.send_header("content-length", str(len(data) + 50))
                    self.end_headers()
                    self.wfile.write(data[: len(data) // 2])
                    self.close_connection = True
                    return
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                with contextlib.suppress(OSError):
                    self.handle_one()

            do_POST = do_DELETE = do_GET

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LoopbackGraph:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class LocalBearer(httpx.Auth):
    """The token for the loopback host (smmkit's GraphAuth sends it to Meta's hosts only)."""

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {TOKEN}"
        yield request


@pytest.fixture
def loopback(graph: Any) -> Iterator[Any]:
    servers: list[LoopbackGraph] = []

    def make(seed: int) -> LoopbackGraph:
        server = LoopbackGraph(
            graph(max_polls=2, container_error_rate=0.03), fault_rate=0.2, seed=seed
        )
        servers.append(server.__enter__())
        return server

    yield make
    for server in servers:
        server.__exit__()


def _ig(n: int) -> list[Variant]:
    return [
        Variant(
            channel="instagram",
            platform="instagram",
            text=f"Loopback {i}",
            media=(
                MediaAsset(
                    kind="image", url=f"https://cdn.forno.test/{i}.jpg", mime_type="image/jpeg"
                ),
            )
            if i % 2
            else tuple(
                MediaAsset(
                    kind="image", url=f"https://cdn.forno.test/{i}-{j}.jpg", mime_type="image/jpeg"
                )
                for j in range(2)
            ),
        )
        for i in range(n)
    ]


def _fb(n: int) -> list[Variant]:
    return [
        Variant(channel="facebook", platform="facebook", text=f"Loopback post {i}")
        for i in range(n)
    ]


def _options() -> ClientOptions:
    return ClientOptions(timeout=TIMEOUT, retry=RetryPolicy(max_attempts=4, backoff_base=0.0))


def _check(
    server: LoopbackGraph,
    ig: list[Variant],
    fb: list[Variant],
    results: dict[str, Any],
    sent: list[httpx.Request],
    contract: Any,
) -> None:
    fake = server.fake
    assert len(results) == len(ig) + len(fb)
    assert Counter(m["caption"] for m in fake.media.values()) == Counter(v.text for v in ig)
    assert Counter(p["message"] for p in fake.posts.values()) == Counter(v.text for v in fb)
    assert fake.violations == [] and fake.sent_after_quota == 0
    assert set(server.faults) == set(SOCKET_FAULTS) and min(server.faults.values()) >= 1
    assert [str(v) for r in sent for v in contract.check(r)] == []


def test_sync_clients_against_the_loopback_fault_server(
    loopback: Any, fake_time: Any, contract: Any
) -> None:
    server = loopback(seed=5)
    sent: list[httpx.Request] = []
    http = httpx.Client(event_hooks={"request": [sent.append]})
    ig_variants, fb_variants = _ig(16), _fb(16)
    ig = InstagramClient(
        IG_USER,
        auth=LocalBearer(),
        login="facebook",
        base_url=server.base,
        http_client=http,
        options=_options(),
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )
    fb = FacebookPageClient(
        PAGE_ID,
        auth=LocalBearer(),
        base_url=server.base,
        http_client=http,
        options=_options(),
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )
    results: dict[str, Any] = {}
    for client, variants in ((ig, ig_variants), (fb, fb_variants)):
        for variant in variants:
            for _ in range(30):
                try:
                    results[variant.publish_key] = client.publish(variant)
                    break
                except RateLimitedError as exc:
                    fake_time.advance((exc.retry_after or 60) + 1)
                except PlatformError:
                    continue
    http.close()
    _check(server, ig_variants, fb_variants, results, sent, contract)


def test_async_clients_against_the_loopback_fault_server(
    loopback: Any, fake_time: Any, contract: Any
) -> None:
    server = loopback(seed=6)
    sent: list[httpx.Request] = []
    ig_variants, fb_variants = _ig(12), _fb(12)
    results: dict[str, Any] = {}

    async def record(request: httpx.Request) -> None:
        sent.append(request)

    async def main() -> None:
        http = httpx.AsyncClient(event_hooks={"request": [record]})
        ig = AsyncInstagramClient(
            IG_USER,
            auth=LocalBearer(),
            login="facebook",
            base_url=server.base,
            http_client=http,
            options=_options(),
            sleep=fake_time.asleep,
            clock=fake_time.now,
        )
        fb = AsyncFacebookPageClient(
            PAGE_ID,
            auth=LocalBearer(),
            base_url=server.base,
            http_client=http,
            options=_options(),
            sleep=fake_time.asleep,
            clock=fake_time.now,
        )
        for client, variants in ((ig, ig_variants), (fb, fb_variants)):
            for variant in variants:
                for _ in range(30):
                    try:
                        results[variant.publish_key] = await client.publish(variant)
                        break
                    except PlatformError:
                        continue
        await http.aclose()

    asyncio.run(main())
    _check(server, ig_variants, fb_variants, results, sent, contract)
