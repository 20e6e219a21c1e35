"""Benchmarks of the platform clients (a script, not a test).

1. Publish overhead against ``httpx.MockTransport``: smmkit's ``MastodonClient.publish`` versus
   raw httpx building the same request (same URL, JSON body, Idempotency-Key and Authorization
   headers, JSON parsing of the answer), sync and async. Goal: smmkit >= 0.8x raw throughput.
   Throughput is measured in process CPU time over 21 pairs of alternating batches (the ratio
   is the median of the paired ratios), so that other processes on the machine do not decide
   it; smmkit's publish includes what raw httpx
   does not do: content validation, capability checks, rate-limit bookkeeping, the retry
   decision, typed results.
2. Pacing against a real local server on 127.0.0.1 that allows N requests per fixed window and
   answers 429 beyond: the ``pace`` policy must get no 429 at all and finish within 1.1x of the
   window-imposed lower bound ((ceil(M / N) - 1) windows from the server's first window).

Run: ``.venv/bin/python benchmarks/bench_clients.py`` (about 15 s).
"""

from __future__ import annotations

import asyncio
import gc
import json
import math
import socket
import statistics
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
STATUS = {
    "id": "1",
    "created_at": "2026-11-26T09:00:00.000Z",
    "content": "<p>x</p>",
    "url": f"{BASE}/@a/1",
}
STATUS_BYTES = json.dumps(STATUS).encode()


_served = [0]
_LIMIT = 10**9


def handler(request: httpx.Request) -> httpx.Response:
    # An honest budget: the remaining count goes down with every request in the window.
    _served[0] += 1
    return httpx.Response(
        200,
        content=STATUS_BYTES,
        headers={
            "Content-Type": "application/json",
            "X-Request-Id": "r",
            "X-RateLimit-Limit": str(_LIMIT),
            "X-RateLimit-Remaining": str(_LIMIT - _served[0]),
            "X-RateLimit-Reset": "2030-01-01T00:00:00.000Z",
        },
    )


def variants(n: int) -> list[Variant]:
    return [
        Variant(
            channel="mastodon",
            platform="mastodon",
            text=f"Il pane del giorno numero {i}, appena sfornato!",
        )
        for i in range(n)
    ]


def raw_body(variant: Variant) -> dict[str, Any]:
    return {"status": variant.text, "visibility": "public", "language": "it"}


def _raw_sync(client: httpx.Client, items: list[Variant]) -> float:
    ids = []
    start = time.process_time()
    for variant in items:
        response = client.post(
            f"{BASE}/api/v1/statuses",
            json=raw_body(variant),
            headers={"Idempotency-Key": variant.publish_key, "Authorization": f"Bearer {TOKEN}"},
        )
        response.raise_for_status()
        ids.append(response.json()["id"])
    return len(ids) / (time.process_time() - start)


def _ours_sync(client: MastodonClient, items: list[Variant]) -> float:
    ids = []
    start = time.process_time()
    for variant in items:
        ids.append(client.publish(variant).post_id)
    return len(ids) / (time.process_time() - start)


async def _raw_async(client: httpx.AsyncClient, items: list[Variant]) -> float:
    ids = []
    start = time.process_time()
    for variant in items:
        response = await client.post(
            f"{BASE}/api/v1/statuses",
            json=raw_body(variant),
            headers={"Idempotency-Key": variant.publish_key, "Authorization": f"Bearer {TOKEN}"},
        )
        response.raise_for_status()
        ids.append(response.json()["id"])
    return len(ids) / (time.process_time() - start)


async def _ours_async(client: AsyncMastodonClient, items: list[Variant]) -> float:
    ids = []
    start = time.process_time()
    for variant in items:
        ids.append((await client.publish(variant)).post_id)
    return len(ids) / (time.process_time() - start)


def paired(rounds: int, batch: int, asynchronous: bool) -> tuple[float, float, float]:
    """Alternate raw and smmkit batches; return (best raw/s, best smmkit/s, median ratio).

    Pairing each smmkit batch with the raw batch next to it, and taking the median of the
    ratios, keeps the ratio honest on a busy machine; the garbage collector is paused while
    timing both (it would add the same noise to both).
    """
    items = variants(rounds * batch * 2)
    raw_rates, our_rates, ratios = [], [], []
    transport = httpx.MockTransport(handler)
    if asynchronous:

        async def run_all() -> None:
            raw_client = httpx.AsyncClient(transport=transport)
            ours = AsyncMastodonClient(
                BASE,
                token=TOKEN,
                language="it",
                instance=INSTANCE,
                http_client=httpx.AsyncClient(transport=transport),
            )
            for r in range(rounds):
                chunk = items[2 * r * batch : 2 * (r + 1) * batch]
                gc.disable()
                try:
                    if r % 2:
                        mine = await _ours_async(ours, chunk[:batch])
                        theirs = await _raw_async(raw_client, chunk[batch:])
                    else:
                        theirs = await _raw_async(raw_client, chunk[:batch])
                        mine = await _ours_async(ours, chunk[batch:])
                finally:
                    gc.enable()
                raw_rates.append(theirs)
                our_rates.append(mine)
                ratios.append(mine / theirs)
            await raw_client.aclose()
            await ours.aclose()

        asyncio.run(run_all())
    else:
        raw_client = httpx.Client(transport=transport)
        ours = MastodonClient(
            BASE,
            token=TOKEN,
            language="it",
            instance=INSTANCE,
            http_client=httpx.Client(transport=transport),
        )
        for r in range(rounds):
            chunk = items[2 * r * batch : 2 * (r + 1) * batch]
            gc.disable()
            try:
                if r % 2:
                    mine = _ours_sync(ours, chunk[:batch])
                    theirs = _raw_sync(raw_client, chunk[batch:])
                else:
                    theirs = _raw_sync(raw_client, chunk[:batch])
                    mine = _ours_sync(ours, chunk[batch:])
            finally:
                gc.enable()
            raw_rates.append(theirs)
            our_rates.append(mine)
            ratios.append(mine / theirs)
    return max(raw_rates), max(our_rates), statistics.median(ratios)


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
            self.send_header(
                "X-RateLimit-Reset",
                moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            )
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
        client = MastodonClient(
            f"http://127.0.0.1:{port}",
            token=TOKEN,
            instance=INSTANCE,
            options=ClientOptions(rate_limit_policy=RateLimitPolicy.PACE),
            limiter=RateLimiter(margin=0.05),
        )
        start = time.time()
        for variant in variants(total):
            client.publish(variant)
        elapsed = time.time() - start
        client.close()
    finally:
        server.shutdown()
    bound = (math.ceil(total / limit) - 1) * window - (start - state.t0)
    return {
        "elapsed": elapsed,
        "bound": bound,
        "ratio": elapsed / bound,
        "too_many": state.too_many,
        "served": state.served,
    }


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


def bench_rotations(records: int = 3000, rotations: int = 1000) -> tuple[float, float]:
    """CPU seconds per redacted log record before and after ``rotations`` token rotations
    (each rotation registers two new tokens and retires the old ones, as a refresh does)."""
    import logging

    from pydantic import SecretStr

    from smmkit.platforms import TokenSet

    log = logging.getLogger("smmkit.platforms.bench")
    log.propagate = False
    log.addHandler(logging.NullHandler())
    log.setLevel(logging.DEBUG)
    line = "GET https://bench.test/api/v1/statuses -> 200 (request %s, Bearer abcdef0123456789)"

    def per_record() -> float:
        best = float("inf")
        for _ in range(5):
            start = time.process_time()
            for i in range(records):
                log.debug(line, i)
            best = min(best, (time.process_time() - start) / records)
        return best

    before = per_record()
    previous: TokenSet | None = None
    for i in range(rotations):
        tokens = TokenSet(
            access_token=SecretStr(f"bench-access-{i:08d}"),
            refresh_token=SecretStr(f"bench-refresh-{i:08d}"),
        )
        if previous is not None:
            previous.release()
        previous = tokens
        log.debug(line, i)  # a record between rotations, as in real use
    after = per_record()
    return before, after


def main() -> None:
    before, after = bench_rotations()
    print(
        f"redaction per log record: {before * 1e6:.1f} us before, {after * 1e6:.1f} us after "
        f"1,000 token rotations = {after / before:.2f}x (goal: no measurable growth, <= 1.2x) "
        f"{'OK' if after / before <= 1.2 else 'BELOW GOAL'}"
    )
    socket.setdefaulttimeout(10)
    paired(4, 100, False)  # warm up imports and caches
    for label, asynchronous in (("sync ", False), ("async", True)):
        raw, ours, ratio = paired(rounds=21, batch=150, asynchronous=asynchronous)
        print(
            f"publish over MockTransport, {label}: raw httpx {raw:8.0f}/s, smmkit "
            f"{ours:8.0f}/s (best batches); median paired ratio {ratio:.2f}x "
            f"(goal >= 0.80x) {'OK' if ratio >= 0.8 else 'BELOW GOAL'}; smmkit overhead "
            f"{(1 / ours - 1 / raw) * 1e6:.0f} us per publish"
        )
    pace = bench_pacing()
    print(
        f"pace vs a 127.0.0.1 server allowing 20 requests per 2 s window, 100 publishes: "
        f"{pace['too_many']:.0f} x 429, {pace['elapsed']:.2f} s vs lower bound "
        f"{pace['bound']:.2f} s = {pace['ratio']:.3f}x (goal: no 429, <= 1.10x) "
        f"{'OK' if pace['too_many'] == 0 and pace['ratio'] <= 1.1 else 'BELOW GOAL'}"
    )
    print(
        f"for contrast, raw httpx without pacing on the same server: {naive_pacing()} x 429 "
        "out of 100 requests"
    )


if __name__ == "__main__":
    main()
