"""Fault injection: 500 publishes through the Mastodon client, 20% of attempts hit by every kind
of fault; every post must exist exactly once (the fake server honours Idempotency-Key)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import respx

from smmkit.errors import PlatformError
from smmkit.models import Variant
from smmkit.platforms import ClientOptions, PublishedPost, RetryPolicy
from smmkit.platforms.mastodon import AsyncMastodonClient, MastodonClient, status_text

BASE = "https://social.test"
N = 500


def _variants(n: int) -> list[Variant]:
    return [
        Variant(
            channel="mastodon", platform="mastodon", text=f"Sfornata numero {i}: pane caldo alle 7!"
        )
        for i in range(n)
    ]


def _check_exactly_once(
    server: Any, variants: list[Variant], results: dict[str, PublishedPost]
) -> None:
    texts = Counter(status_text(s["content"]) for s in server.statuses.values())
    assert len(server.statuses) == len(variants)
    assert all(texts[v.text] == 1 for v in variants)
    for variant in variants:
        post = results[variant.publish_key]
        assert status_text(server.statuses[post.post_id]["content"]) == variant.text


def test_500_mastodon_publishes_with_20_percent_faults_exist_exactly_once(
    mastodon_server: Any, fake_time: Any
) -> None:
    server = mastodon_server(fault_rate=0.2, seed=2026)
    variants = _variants(N)
    results: dict[str, PublishedPost] = {}
    with respx.mock(assert_all_called=True) as router:
        router.route(host="social.test").mock(side_effect=server)  # stateful, honours the key
        client = MastodonClient(
            BASE,
            token="tok-faults-123",
            sleep=fake_time.sleep,
            clock=fake_time.now,
            options=ClientOptions(retry=RetryPolicy(max_attempts=4)),
        )
        for variant in variants:
            for _ in range(10):  # a caller (the runner) retries a failed publish later
                try:
                    results[variant.publish_key] = client.publish(variant)
                    break
                except PlatformError:
                    continue
    _check_exactly_once(server, variants, results)
    attempts = sum(r.url.path == "/api/v1/statuses" and r.method == "POST" for r in server.requests)
    assert attempts > N  # faults did force repeats
    assert all(count > 10 for count in server.faults.values()), server.faults
    assert sum(server.faults.values()) / len(server.requests) > 0.15


def test_async_mastodon_publishes_with_faults_exist_exactly_once(
    mastodon_server: Any, fake_time: Any
) -> None:
    server = mastodon_server(fault_rate=0.2, seed=7)
    variants = _variants(150)
    results: dict[str, PublishedPost] = {}

    async def main() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server))
        async with AsyncMastodonClient(
            BASE,
            token="tok-async-123",
            http_client=http,
            sleep=fake_time.asleep,
            clock=fake_time.now,
        ) as client:
            for variant in variants:
                for _ in range(10):
                    try:
                        results[variant.publish_key] = await client.publish(variant)
                        break
                    except PlatformError:
                        continue

    asyncio.run(main())
    _check_exactly_once(server, variants, results)


def test_without_idempotency_support_reconciliation_prevents_duplicates(
    mastodon_server: Any, fake_time: Any
) -> None:
    """A server that ignores Idempotency-Key: only find_post stands between a lost response and
    a duplicate."""
    server = mastodon_server(
        fault_rate=0.25,
        seed=11,
        fault_kinds=("read_timeout_after", "lost_after_success", "error_502"),
    )
    original: Callable[[httpx.Request], httpx.Response] = server.post_status

    def forgetful(request: httpx.Request) -> httpx.Response:
        server.keys.clear()
        return original(request)

    server.post_status = forgetful
    client = MastodonClient(
        BASE,
        token="tok-forget-123",
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
        options=ClientOptions(retry=RetryPolicy(max_attempts=1)),
    )
    variants = _variants(120)
    results: dict[str, PublishedPost] = {}
    for variant in variants:
        for _ in range(10):
            try:
                results[variant.publish_key] = client.publish(variant)
                break
            except PlatformError:
                continue
    _check_exactly_once(server, variants, results)
    assert any(p.reconciled for p in results.values())


def test_concurrent_async_publishes_with_faults_exist_exactly_once(
    mastodon_server: Any, fake_time: Any
) -> None:
    server = mastodon_server(fault_rate=0.2, seed=99)
    variants = _variants(120)
    results: dict[str, PublishedPost] = {}

    async def main() -> None:
        http = httpx.AsyncClient(transport=httpx.MockTransport(server))
        async with AsyncMastodonClient(
            BASE,
            token="tok-gather-123",
            http_client=http,
            sleep=fake_time.asleep,
            clock=fake_time.now,
        ) as client:
            await client.instance()

            async def one(variant: Variant) -> None:
                for _ in range(10):
                    try:
                        results[variant.publish_key] = await client.publish(variant)
                        return
                    except PlatformError:
                        continue

            await asyncio.gather(*(one(v) for v in variants))

    asyncio.run(main())
    _check_exactly_once(server, variants, results)
