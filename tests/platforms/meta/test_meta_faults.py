"""Fault injection: 500 Instagram publishes (images, reels, carousels) and 500 Facebook Page
posts, 20% of attempts faulted by every kind the fake Graph server knows (connection refused,
timeout after the server acted, answer lost after success, 5xx with is_transient, throttling),
plus slow, ERROR and EXPIRED containers, the publishing limit and usage headers climbing to
100%. Every post must exist exactly once, none lost, nothing sent while the quota is spent, no
token reaching a media host or a log record, every request within Meta's published contract.
Sync and async; the caller behaves like the runner (retries a failed publish later, waits out
a spent quota)."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx

from smmkit.errors import PlatformError, RateLimitedError
from smmkit.models import MediaAsset, Variant
from smmkit.platforms import ClientOptions, PublishedPost, RetryPolicy
from smmkit.platforms._graph import META_HOSTS
from smmkit.platforms.facebook import AsyncFacebookPageClient, FacebookPageClient
from smmkit.platforms.instagram import AsyncInstagramClient, InstagramClient

from .conftest import GRAPH_FAULTS, IG_USER, PAGE_ID, TOKEN

N = 500
CDN = "https://cdn.forno.test"


def _img(i: int, j: int = 0) -> MediaAsset:
    return MediaAsset(
        kind="image", url=f"{CDN}/{i}-{j}.jpg", mime_type="image/jpeg", alt_text=f"pane {i}"
    )


def _vid(i: int, j: int = 0) -> MediaAsset:
    return MediaAsset(kind="video", url=f"{CDN}/{i}-{j}.mp4", mime_type="video/mp4")


def _ig_variants(n: int) -> list[Variant]:
    out = []
    for i in range(n):
        kind = i % 3
        media = (
            (_img(i),)
            if kind == 0
            else (_vid(i),)
            if kind == 1
            else tuple(_img(i, j) if j % 2 == 0 else _vid(i, j) for j in range(2 + i % 3))
        )
        out.append(
            Variant(
                channel="instagram",
                platform="instagram",
                text=f"Sfornata n. {i} #forno",
                media=media,
            )
        )
    return out


def _fb_variants(n: int, now: Any) -> list[Variant]:
    out = []
    for i in range(n):
        kind = i % 5
        extras: dict[str, Any] = {}
        media: tuple[MediaAsset, ...] = ()
        if kind == 1:
            extras["link"] = f"https://forno.test/ricette/{i}"
        elif kind == 2:
            media = (_img(i),)
        elif kind == 3:
            media = (_img(i, 0), _img(i, 1), _img(i, 2))
        variant = Variant.model_validate(
            {
                "channel": "facebook",
                "platform": "facebook",
                "text": f"Oggi al forno n. {i}",
                "media": media,
                "extras": extras,
            }
        )
        if kind == 4:
            variant = variant.model_copy(
                update={"scheduled_at": now + timedelta(days=3, minutes=i)}
            )
        out.append(variant)
    return out


def _server(graph: Any, seed: int) -> Any:
    return graph(
        fault_rate=0.2,
        fault_kinds=GRAPH_FAULTS,
        seed=seed,
        container_error_rate=0.03,
        container_expire_rate=0.02,
        max_polls=3,
        quota_total=50,
        usage_capacity=150,
    )


def _summary(
    name: str, server: Any, results: dict[str, PublishedPost], start: Any, now: Any
) -> None:
    """The figures of a run (shown with ``pytest -s``)."""
    faults = sum(server.faults.values())
    containers = server.containers.values()
    print(
        f"\n{name}: {len(results)} posts, {len(server.requests)} requests, {faults} faulted "
        f"({faults / len(server.requests):.1%}: {dict(sorted(server.faults.items()))}), "
        f"{sum(p.reconciled for p in results.values())} reconciled, "
        f"{sum(c['final'] == 'ERROR' for c in containers)} ERROR and "
        f"{sum(c['final'] == 'EXPIRED' for c in containers)} EXPIRED containers, "
        f"{server.sent_after_quota} sent after the quota, {(now - start).days} fake days"
    )


def _check_common(server: Any, contract: Any, caplog: Any) -> None:
    assert server.violations == []
    assert server.sent_after_quota == 0
    assert all(count >= 10 for count in server.faults.values()) and set(server.faults) == set(
        GRAPH_FAULTS
    )
    assert sum(server.faults.values()) / len(server.requests) > 0.15
    assert {
        r.url.host for r in server.requests
    } <= META_HOSTS  # the client never calls a media host
    assert server.media_downloads and all(
        "authorization" not in d.headers and TOKEN not in str(d.url) for d in server.media_downloads
    )
    assert all(TOKEN not in r.getMessage() for r in caplog.records)
    problems = Counter(str(v) for r in server.requests for v in contract.check(r))
    assert not problems, problems.most_common(5)


def _run_sync(
    publish: Callable[[Variant], PublishedPost], variants: list[Variant], fake_time: Any
) -> dict[str, PublishedPost]:
    results: dict[str, PublishedPost] = {}
    for variant in variants:
        for _ in range(40):  # the runner: retry later, wait out a spent quota
            try:
                results[variant.publish_key] = publish(variant)
                break
            except RateLimitedError as exc:
                fake_time.advance((exc.retry_after or 60.0) + 1)
            except PlatformError:
                fake_time.advance(30)
    return results


async def _run_async(
    publish: Callable[[Variant], Awaitable[PublishedPost]], variants: list[Variant], fake_time: Any
) -> dict[str, PublishedPost]:
    results: dict[str, PublishedPost] = {}
    for variant in variants:
        for _ in range(40):
            try:
                results[variant.publish_key] = await publish(variant)
                break
            except RateLimitedError as exc:
                fake_time.advance((exc.retry_after or 60.0) + 1)
            except PlatformError:
                fake_time.advance(30)
    return results


def _check_instagram(
    server: Any, variants: list[Variant], results: dict[str, PublishedPost]
) -> None:
    captions = Counter(m["caption"] for m in server.media.values())
    assert len(results) == len(variants)  # none lost
    assert len(server.media) == len(variants) and set(captions.values()) == {1}  # exactly once
    for variant in variants:
        post = results[variant.publish_key]
        assert server.media[post.post_id]["caption"] == variant.text
        expected = (
            "CAROUSEL"
            if len(variant.media) > 1
            else ("REELS" if variant.media[0].kind == "video" else "IMAGE")
        )
        assert server.media[post.post_id]["media_type"] == expected
    assert any(p.reconciled for p in results.values())
    # the quota held: never more than 50 publishes in any 24 hours
    times = sorted(server.publish_times)
    assert all(times[i + 50] - times[i] > timedelta(hours=24) for i in range(len(times) - 50))


def _check_facebook(
    server: Any, variants: list[Variant], results: dict[str, PublishedPost]
) -> None:
    messages = Counter(p["message"] for p in server.posts.values())
    assert len(results) == len(variants)
    assert len(server.posts) == len(variants) and set(messages.values()) == {1}
    for variant in variants:
        post = results[variant.publish_key]
        assert server.posts[post.post_id]["message"] == variant.text
        assert bool(server.posts[post.post_id]["scheduled"]) == (variant.scheduled_at is not None)
    assert any(p.reconciled for p in results.values())


def test_500_instagram_publishes_with_faults_exist_exactly_once(
    graph: Any, fake_time: Any, contract: Any, caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    server = _server(graph, seed=2026)
    variants = _ig_variants(N)
    client = InstagramClient(
        IG_USER,
        token=TOKEN,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
        options=ClientOptions(retry=RetryPolicy(max_attempts=4)),
    )
    start = fake_time.now()
    with client:
        results = _run_sync(client.publish, variants, fake_time)
    _summary("instagram", server, results, start, fake_time.now())
    _check_instagram(server, variants, results)
    _check_common(server, contract, caplog)
    assert sum(c["final"] == "ERROR" for c in server.containers.values()) > 5
    assert sum(c["final"] == "EXPIRED" for c in server.containers.values()) > 3


def test_500_facebook_page_posts_with_faults_exist_exactly_once(
    graph: Any, fake_time: Any, contract: Any, caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    server = _server(graph, seed=7)
    variants = _fb_variants(N, fake_time.now())
    client = FacebookPageClient(
        PAGE_ID,
        token=TOKEN,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=fake_time.sleep,
        clock=fake_time.now,
    )

    def publish(variant: Variant) -> PublishedPost:
        return client.publish(variant, native_schedule=variant.scheduled_at is not None)

    start = fake_time.now()
    with client:
        results = _run_sync(publish, variants, fake_time)
    _summary("facebook", server, results, start, fake_time.now())
    _check_facebook(server, variants, results)
    _check_common(server, contract, caplog)


def test_async_500_instagram_and_facebook_with_faults(
    graph: Any, fake_time: Any, contract: Any, caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    ig_server, fb_server = _server(graph, seed=11), _server(graph, seed=12)
    ig_variants = _ig_variants(N)
    fb_variants: list[Variant] = []

    async def main() -> tuple[dict[str, PublishedPost], dict[str, PublishedPost]]:
        ig = AsyncInstagramClient(
            IG_USER,
            token=TOKEN,
            login="facebook",
            sleep=fake_time.asleep,
            clock=fake_time.now,
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(ig_server)),
        )
        fb = AsyncFacebookPageClient(
            PAGE_ID,
            token=TOKEN,
            sleep=fake_time.asleep,
            clock=fake_time.now,
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(fb_server)),
        )
        async with ig, fb:
            ig_results = await _run_async(ig.publish, ig_variants, fake_time)

            fb_variants.extend(_fb_variants(N, fake_time.now()))  # scheduled from "now", after IG

            async def publish(variant: Variant) -> PublishedPost:
                return await fb.publish(variant, native_schedule=variant.scheduled_at is not None)

            fb_results = await _run_async(publish, fb_variants, fake_time)
        return ig_results, fb_results

    ig_results, fb_results = asyncio.run(main())
    _check_instagram(ig_server, ig_variants, ig_results)
    _check_facebook(fb_server, fb_variants, fb_results)
    _check_common(ig_server, contract, caplog)
    _check_common(fb_server, contract, caplog)


def _interleaved(server: Any) -> Any:
    """An async handler that yields to the event loop first, so concurrent publishes interleave."""

    async def handle(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0)
        response: httpx.Response = server(request)
        return response

    return handle


def test_concurrent_async_publishes_with_faults_exist_exactly_once(
    graph: Any, fake_time: Any, contract: Any
) -> None:
    """120 Instagram and 120 Page posts published at once (asyncio.gather) on one client each,
    20% of attempts faulted: still exactly once."""
    ig_server = graph(fault_rate=0.2, seed=31, max_polls=2, quota_total=1000)
    fb_server = graph(fault_rate=0.2, seed=32)
    ig_variants, fb_variants = _ig_variants(120), _fb_variants(120, fake_time.now())
    fb_variants = [v for v in fb_variants if v.scheduled_at is None]
    results: dict[str, PublishedPost] = {}

    async def asleep(seconds: float) -> None:
        # the fake clock moves, and the task yields as a real sleep does: the framework's
        # pacing makes concurrent requests wait for the probe that learns the budget
        fake_time.sleep(seconds)
        await asyncio.sleep(0)

    async def main() -> None:
        ig = AsyncInstagramClient(
            IG_USER,
            token=TOKEN,
            sleep=asleep,
            clock=fake_time.now,
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(_interleaved(ig_server))),
        )
        fb = AsyncFacebookPageClient(
            PAGE_ID,
            token=TOKEN,
            sleep=asleep,
            clock=fake_time.now,
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(_interleaved(fb_server))),
        )

        async def one(client: Any, variant: Variant) -> None:
            for _ in range(40):
                try:
                    results[variant.publish_key] = await client.publish(variant)
                    return
                except RateLimitedError as exc:
                    fake_time.advance((exc.retry_after or 60.0) + 1)
                except PlatformError:
                    continue

        async with ig, fb:
            await asyncio.gather(
                *(one(ig, v) for v in ig_variants), *(one(fb, v) for v in fb_variants)
            )

    asyncio.run(main())
    assert Counter(m["caption"] for m in ig_server.media.values()) == Counter(
        v.text for v in ig_variants
    )
    assert Counter(p["message"] for p in fb_server.posts.values()) == Counter(
        v.text for v in fb_variants
    )
    assert len(results) == len(ig_variants) + len(fb_variants)
    assert ig_server.violations == [] and fb_server.violations == []
    for server in (ig_server, fb_server):
        assert [str(v) for r in server.requests for v in contract.check(r)] == []
