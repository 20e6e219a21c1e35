"""Properties: whatever the schedule of faults, a publish exists exactly once (Instagram,
Facebook Pages, Threads); the webhook parser never crashes on arbitrary JSON."""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smmkit.errors import PlatformError, RateLimitedError, ValidationError
from smmkit.models import MediaAsset, Variant
from smmkit.platforms._graph import parse_webhook
from smmkit.platforms.facebook import FacebookPageClient
from smmkit.platforms.instagram import InstagramClient
from smmkit.platforms.threads import ThreadsClient

from .conftest import GRAPH_FAULTS, IG_USER, PAGE_ID, THREADS_USER, TOKEN, FakeGraph

PLANS = st.lists(st.sampled_from([None, None, None, *GRAPH_FAULTS]), min_size=8, max_size=60)
IMG = MediaAsset(kind="image", url="https://cdn.forno.test/a.jpg", mime_type="image/jpeg")
VID = MediaAsset(kind="video", url="https://cdn.forno.test/a.mp4", mime_type="video/mp4")


class Clock:
    def __init__(self) -> None:
        from datetime import UTC, datetime

        self.current = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    def now(self) -> Any:
        return self.current

    def sleep(self, seconds: float) -> None:
        from datetime import timedelta

        self.current += timedelta(seconds=seconds)


def _runner(publish: Any, variants: list[Variant], clock: Clock) -> dict[str, Any]:
    results = {}
    for variant in variants:
        for _ in range(25):
            try:
                results[variant.publish_key] = publish(variant)
                break
            except RateLimitedError as exc:
                clock.sleep((exc.retry_after or 60) + 1)
            except PlatformError:
                clock.sleep(30)
    return results


def _http(server: FakeGraph) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(server))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=PLANS, error_rate=st.sampled_from([0.0, 0.3]))
def test_instagram_exactly_once_under_any_fault_schedule(
    plan: list[str | None], error_rate: float
) -> None:
    clock = Clock()
    server = FakeGraph(clock, container_error_rate=error_rate, max_polls=2)
    server.fault_plan = list(plan)
    variants = [
        Variant(channel="instagram", platform="instagram", text="uno", media=(IMG,)),
        Variant(channel="instagram", platform="instagram", text="due", media=(VID,)),
        Variant(channel="instagram", platform="instagram", text="tre", media=(IMG, VID, IMG)),
    ]
    with InstagramClient(
        IG_USER, token=TOKEN, http_client=_http(server), sleep=clock.sleep, clock=clock.now
    ) as client:
        results = _runner(client.publish, variants, clock)
    assert sorted(m["caption"] for m in server.media.values()) == ["due", "tre", "uno"]
    assert len(results) == 3 and server.violations == []
    for variant in variants:
        assert server.media[results[variant.publish_key].post_id]["caption"] == variant.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=PLANS)
def test_facebook_exactly_once_under_any_fault_schedule(plan: list[str | None]) -> None:
    clock = Clock()
    server = FakeGraph(clock)
    server.fault_plan = list(plan)
    variants = [
        Variant(channel="facebook", platform="facebook", text="uno"),
        Variant(channel="facebook", platform="facebook", text="due", media=(IMG,)),
        Variant(channel="facebook", platform="facebook", text="tre", media=(IMG, IMG)),
    ]
    with FacebookPageClient(
        PAGE_ID, token=TOKEN, http_client=_http(server), sleep=clock.sleep, clock=clock.now
    ) as client:
        results = _runner(client.publish, variants, clock)
    assert sorted(p["message"] for p in server.posts.values()) == ["due", "tre", "uno"]
    assert len(results) == 3


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=PLANS)
def test_threads_thread_exactly_once_under_any_fault_schedule(plan: list[str | None]) -> None:
    clock = Clock()
    server = FakeGraph(clock)
    server.fault_plan = list(plan)
    variant = Variant(
        channel="threads", platform="threads", text="1/3 uno", thread=("2/3 due", "3/3 tre")
    )
    with ThreadsClient(
        THREADS_USER, token=TOKEN, http_client=_http(server), sleep=clock.sleep, clock=clock.now
    ) as client:
        [post] = _runner(client.publish, [variant], clock).values()
    texts = sorted(t["text"] for t in server.threads.values())
    assert texts == ["1/3 uno", "2/3 due", "3/3 tre"] and server.violations == []
    chain = [post.post_id, *post.thread]
    assert [server.threads[i]["reply_to"] for i in chain[1:]] == chain[:-1]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=30,
)


@given(
    entry=JSON,
    field=st.sampled_from(["comments", "mentions", "feed", "replies", "other"]),
    obj=st.sampled_from(["instagram", "page", "threads", "user", "x"]),
)
def test_webhook_parser_never_crashes(entry: Any, field: str, obj: str) -> None:
    body = {
        "object": obj,
        "entry": [{"id": "1", "time": 1764147600, "changes": [{"field": field, "value": entry}]}],
    }
    try:
        events = parse_webhook(json.dumps(body).encode())
    except ValidationError:
        return
    assert all(e.field == field for e in events)
