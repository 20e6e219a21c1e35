"""Benchmarks of the platform clients (a script, not a test).

1. Publish overhead against ``httpx.MockTransport``: smmkit's ``MastodonClient.publish`` versus
   raw httpx building the same request (same URL, JSON body, Idempotency-Key and Authorization
   headers, JSON parsing of the answer), sync and async. Goal: smmkit >= 0.8x raw throughput.
   Throughput is measured in process CPU time (best of 5 interleaved rounds), so that other
   processes on the machine do not decide the ratio; smmkit's publish includes what raw httpx
   does not do: content validation, capability checks, rate-limit bookkeeping, the retry
   decision, typed results.
2. Pacing against a real local server on 127.0.0.1 that allows N requests per fixed window and
   answers 429 beyond: the ``pace`` policy must get no 429 at all and finish within 1.1x of the
   window-imposed lower bound ((ceil(M / N) - 1) windows from the server's first window).

Run: ``.venv/bin/python benchmarks/bench_clients.py`` (about 15 s).
"""

from __future__ import annotations

import asyncio
import json
import math
import socket
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from smmkit.models import Variant
from smmkit.platforms import ClientOptions, RateLimiter, RateLimitPolicy
from smmkit.platforms.mastodon import AsyncMastodonClient, MastodonClient

BASE = "https://bench.test"
TOKEN = "bench-token-0123456789"
INSTANCE = {"domain": "bench.test", "configuration": {"statuses": {"max_characters": 500}}}
STATUS = {"id": "1", "created_at": "2026-11-26T09:00:00.000Z", "content": "<p>x</p>",
          "url": f"{BASE}/@a/1"}
STATUS_BYTES = json.dumps(STATUS).encode()


def handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=STATUS_BYTES,
                          headers={"Content-Type": "application/json", "X-Request-Id": "r",
                                   "X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299",
                                   "X-RateLimit-Reset": "2030-01-01T00:00:00.000Z"})


def variants(n: int) -> list[Variant]:
    return [Variant(channel="mastodon", platform="mastodon",
                    text=f"Il pane del giorno numero {i}, appena sfornato!") for i in range(n)]


def raw_body(variant: Variant) -> dict[str, Any]:
    return {"status": variant.text, "visibility": "public", "language": "it"}


def bench_sync(n: int) -> tuple[float, float]:
    items = variants(n)
    raw_client = httpx.Client(transport=httpx.MockTransport(handler))
    ids: list[str] = []
    start = time.process_time()
    for variant in items:
        response = raw_client.post(f"{BASE}/api/v1/statuses", json=raw_body(variant), headers={
            "Idempotency-Key": variant.publish_key, "Authorization": f"Bearer {TOKEN}"})
        response.raise_for_status()
        ids.append(response.json()["id"])
    raw = n / (time.process_time() - start)
    client = MastodonClient(BASE, token=TOKEN, language="it", instance=INSTANCE,
                            http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    start = time.process_time()
    for variant in items:
        ids.append(client.publish(variant).post_id)
    ours = n / (time.process_time() - start)
    return raw, ours


def bench_async(n: int) -> tuple[float, float]:
    items = variants(n)
    ids: list[str] = []

    async def raw_run() -> float:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as raw_client:
            start = time.process_time()
            for variant in items:
                response = await raw_client.post(
                    f"{BASE}/api/v1/statuses", json=raw_body(variant),
                    headers={"Idempotency-Key": variant.publish_key,
                             "Authorization": f"Bearer {TOKEN}"})
                response.raise_for_status()
                ids.append(response.json()["id"])
            return n / (time.process_time() - start)

    async def ours_run() -> float:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with AsyncMastodonClient(BASE, token=TOKEN, language="it", instance=INSTANCE,
                                       http_client=http) as client:
            start = time.process_time()
            for variant in items:
                ids.append((await client.publish(variant)).post_id)
            return n / (time.process_time() - start)

    raw = asyncio.run(raw_run())
    ours = asyncio.run(ours_run())
    return raw, ours


# -- the windowed loopback server --------------------------------------------------------------
class WindowState:
    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self.t0 = time.time()
        self.lock = threading.Lock()
        self.counts: dict[int, int] = {}
        self.served = 0
        self.too_many = 0

    def take(self) -> tuple[int, int, float]:
        with self.lock:
            now = time.time()
            index = int((now - self.t0) // self.window)
            reset = self.t0 + (index + 1) * self.window
            used = self.counts.get(index, 0)
            if used >= self.limit:
                self.too_many += 1
                return 429, 0, reset
            self.counts[index] = used + 1
            self.served += 1
            return 200, self.limit - used - 1, reset


def serve(state: WindowState) -> tuple[ThreadingHTTPServer, int]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            status, remaining, reset = state.take()
            body = STATUS_BYTES if status == 200 else b'{"error":"Too many requests"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-RateLimit-Limit", str(state.limit))
            self.send_header("X-RateLimit-Remaining", str(remaining))
            moment = datetime.fromtimestamp(reset, UTC)
            self.send_header("X-RateLimit-Reset",
                             moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"))
            self.end_headers()
            self.wfile.write(body)

        do_GET = _answer
        do_POST = _answer

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def bench_pacing(limit: int = 20, window: float = 2.0, total: int = 100) -> dict[str, float]:
    state = WindowState(limit, window)
    server, port = serve(state)
    try:
        client = MastodonClient(f"http://127.0.0.1:{port}", token=TOKEN, instance=INSTANCE,
                                options=ClientOptions(rate_limit_policy=RateLimitPolicy.PACE),
                                limiter=RateLimiter(margin=0.05))
        start = time.time()
        for variant in variants(total):
            client.publish(variant)
        elapsed = time.time() - start
        client.close()
    finally:
        server.shutdown()
    bound = (math.ceil(total / limit) - 1) * window - (start - state.t0)
    return {"elapsed": elapsed, "bound": bound, "ratio": elapsed / bound,
            "too_many": state.too_many, "served": state.served}


def naive_pacing(limit: int = 20, window: float = 2.0, total: int = 100) -> int:
    """Raw httpx with no pacing, for contrast: how many 429s it collects."""
    state = WindowState(limit, window)
    server, port = serve(state)
    try:
        with httpx.Client() as raw:
            for variant in variants(total):
                raw.post(f"http://127.0.0.1:{port}/api/v1/statuses", json=raw_body(variant))
    finally:
        server.shutdown()
    return state.too_many


def main() -> None:
    socket.setdefaulttimeout(10)
    n = 1000
    bench_sync(200)  # warm up imports and caches
    results = []
    for label, run in (("sync ", bench_sync), ("async", bench_async)):
        best_raw = best_ours = 0.0
        for _ in range(5):  # interleaved rounds; best of each (CPU time: robust to other load)
            raw, ours = run(n)
            best_raw, best_ours = max(best_raw, raw), max(best_ours, ours)
        ratio = best_ours / best_raw
        results.append(ratio)
        print(f"publish over MockTransport, {label}: raw httpx {best_raw:8.0f}/s, smmkit "
              f"{best_ours:8.0f}/s, ratio {ratio:.2f}x (goal >= 0.80x) "
              f"{'OK' if ratio >= 0.8 else 'BELOW GOAL'}; smmkit overhead "
              f"{(1 / best_ours - 1 / best_raw) * 1e6:.0f} us per publish")
    pace = bench_pacing()
    print(f"pace vs a 127.0.0.1 server allowing 20 requests per 2 s window, 100 publishes: "
          f"{pace['too_many']:.0f} x 429, {pace['elapsed']:.2f} s vs lower bound "
          f"{pace['bound']:.2f} s = {pace['ratio']:.3f}x (goal: no 429, <= 1.10x) "
          f"{'OK' if pace['too_many'] == 0 and pace['ratio'] <= 1.1 else 'BELOW GOAL'}")
    print(f"for contrast, raw httpx without pacing on the same server: {naive_pacing()} x 429 "
          "out of 100 requests")


if __name__ == "__main__":
    main()
