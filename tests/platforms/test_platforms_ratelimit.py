"""Rate-limit state from headers, and the raise / wait / pace policies against a windowed server."""

from __future__ import annotations

import asyncio
import math
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import respx
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.errors import RateLimitedError
from smmkit.platforms import (
    AsyncDriver,
    ClientOptions,
    Dialect,
    RateLimiter,
    RateLimitInfo,
    RateLimitKey,
    RateLimitPolicy,
    SyncDriver,
    parse_rate_limit_headers,
    parse_reset,
    send,
)

URL = "https://social.test/api/v1/timelines/home"
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_headers_mastodon_iso_reset_and_bluesky_epoch_reset() -> None:
    info = parse_rate_limit_headers(
        {
            "X-RateLimit-Limit": "300",
            "X-RateLimit-Remaining": "299",
            "X-RateLimit-Reset": "2026-11-26T09:05:00.000Z",
        },
        NOW,
    )
    assert info is not None
    assert (info.limit, info.remaining) == (300, 299)
    assert info.reset_at == NOW + timedelta(minutes=5)
    epoch = parse_rate_limit_headers(
        {
            "ratelimit-limit": "3000",
            "ratelimit-remaining": "2",
            "ratelimit-reset": str(int((NOW + timedelta(seconds=60)).timestamp())),
        },
        NOW,
        prefix="ratelimit-",
    )
    assert epoch is not None and epoch.reset_at == NOW + timedelta(seconds=60)
    assert parse_rate_limit_headers({"content-type": "json"}, NOW) is None
    assert parse_reset("30", NOW) == NOW + timedelta(seconds=30)
    assert parse_reset("not a date", NOW) is None


class WindowServer:
    """A server allowing ``limit`` requests per fixed window, reporting X-RateLimit-*."""

    def __init__(self, clock: Any, limit: int, window: float) -> None:
        self.clock, self.limit, self.window = clock, limit, window
        self.start = clock.now()
        self.counts: dict[int, int] = {}
        self.too_many = 0
        self.served = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        elapsed = (self.clock.now() - self.start).total_seconds()
        index = int(elapsed // self.window)
        used = self.counts.get(index, 0)
        reset = self.start + timedelta(seconds=(index + 1) * self.window)
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Reset": reset.isoformat().replace("+00:00", "Z"),
        }
        if used >= self.limit:
            self.too_many += 1
            return httpx.Response(429, headers={**headers, "X-RateLimit-Remaining": "0"})
        self.counts[index] = used + 1
        self.served += 1
        headers["X-RateLimit-Remaining"] = str(self.limit - used - 1)
        self.clock.advance(0.01)  # each request takes 10 ms
        return httpx.Response(200, json={"n": self.served}, headers=headers)


def _get() -> Any:
    response = yield from send(httpx.Request("GET", URL))
    return response.json()


@respx.mock
@pytest.mark.parametrize("policy", [RateLimitPolicy.PACE, RateLimitPolicy.WAIT])
def test_pace_and_wait_never_hit_429_and_finish_near_the_window_bound(
    policy: RateLimitPolicy, fake_time: Any
) -> None:
    server = WindowServer(fake_time, limit=5, window=10.0)
    respx.get(URL).mock(side_effect=server)
    driver = SyncDriver(
        dialect=Dialect(platform="mastodon"),
        sleep=fake_time.sleep,
        clock=fake_time.now,
        options=ClientOptions(rate_limit_policy=policy),
        limiter=RateLimiter(clock=fake_time.now, margin=0.05),
    )
    started = fake_time.now()
    total = 23
    results = [driver.run(_get())["n"] for _ in range(total)]
    assert results == list(range(1, total + 1))
    assert server.too_many == 0
    elapsed = (fake_time.now() - started).total_seconds()
    bound = (math.ceil(total / 5) - 1) * 10.0
    assert bound <= elapsed <= bound * 1.1


@respx.mock
def test_raise_policy_refuses_before_sending_when_the_budget_is_spent(fake_time: Any) -> None:
    server = WindowServer(fake_time, limit=2, window=60.0)
    route = respx.get(URL).mock(side_effect=server)
    driver = SyncDriver(
        dialect=Dialect(platform="mastodon"),
        sleep=fake_time.sleep,
        clock=fake_time.now,
        options=ClientOptions(rate_limit_policy=RateLimitPolicy.RAISE),
    )
    driver.run(_get())
    driver.run(_get())
    with pytest.raises(RateLimitedError) as info:
        driver.run(_get())
    assert route.call_count == 2
    assert info.value.retry_after is not None and 59 <= info.value.retry_after <= 61
    assert "raise" in str(info.value)


@respx.mock
def test_wait_longer_than_the_cap_raises(fake_time: Any) -> None:
    server = WindowServer(fake_time, limit=1, window=3600.0)
    respx.get(URL).mock(side_effect=server)
    driver = SyncDriver(
        dialect=Dialect(platform="mastodon"),
        sleep=fake_time.sleep,
        clock=fake_time.now,
        options=ClientOptions(max_rate_limit_wait=60),
    )
    driver.run(_get())
    with pytest.raises(RateLimitedError, match="exceeds the cap"):
        driver.run(_get())
    assert fake_time.sleeps == []


def test_budgets_are_kept_per_platform_account_and_bucket(fake_time: Any) -> None:
    limiter = RateLimiter(clock=fake_time.now)
    spent = parse_rate_limit_headers(
        {"X-RateLimit-Remaining": "0", "X-RateLimit-Limit": "5", "X-RateLimit-Reset": "30"},
        fake_time.now(),
    )
    limiter.update(RateLimitKey("mastodon", "@a", "media"), spent)
    assert limiter.plan(RateLimitKey("mastodon", "@a", "media"), RateLimitPolicy.WAIT) > 29
    assert limiter.plan(RateLimitKey("mastodon", "@a", "default"), RateLimitPolicy.WAIT) == 0
    assert limiter.plan(RateLimitKey("mastodon", "@b", "media"), RateLimitPolicy.WAIT) == 0
    assert limiter.plan(RateLimitKey("bluesky", "@a", "media"), RateLimitPolicy.WAIT) == 0


@respx.mock
def test_async_pace_shares_the_budget_between_concurrent_tasks(fake_time: Any) -> None:
    server = WindowServer(fake_time, limit=4, window=10.0)
    respx.get(URL).mock(side_effect=server)
    limiter = RateLimiter(clock=fake_time.now, margin=0.05)

    async def main() -> list[Any]:
        driver = AsyncDriver(
            dialect=Dialect(platform="mastodon"),
            sleep=fake_time.asleep,
            clock=fake_time.now,
            limiter=limiter,
        )
        await driver.run(_get())  # learn the budget
        results = await asyncio.gather(*(driver.run(_get()) for _ in range(10)))
        await driver.aclose()
        return list(results)

    results = asyncio.run(main())
    assert len(results) == 10 and server.too_many == 0


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=-3_000_000, max_value=3_000_000)
    | st.sampled_from([-1_000_001, -1_000_000, -999_999, 999_999, 1_000_000, 1_000_001]),
    st.integers(min_value=1, max_value=50),
    st.integers(min_value=0, max_value=50),
)
def test_an_answer_is_merged_by_its_window(moved_us: int, first: int, second: int) -> None:
    """Within a second of the known reset: the same window (the remaining count only goes
    down); more than a second earlier: a stale answer, ignored; later: a new window."""
    now = datetime(2030, 1, 1, tzinfo=UTC)
    reset = now + timedelta(minutes=5)
    limiter = RateLimiter(clock=lambda: now)
    key = RateLimitKey("mastodon", "a", "statuses")
    assert limiter.acquire(key, RateLimitPolicy.PACE) == (0.0, True)  # the probe
    limiter.settle(key, RateLimitInfo(100, first, reset, now))
    assert limiter.acquire(key, RateLimitPolicy.PACE) == (0.0, True)
    moved = timedelta(microseconds=moved_us)
    limiter.settle(key, RateLimitInfo(100, second, reset + moved, now))
    budget = limiter.snapshot()[key]
    if moved < timedelta(seconds=-1):
        assert (budget.remaining, budget.reset_at) == (first - 1, reset)
    elif abs(moved) < timedelta(seconds=1):
        assert (budget.remaining, budget.reset_at) == (min(first - 1, second), reset + moved)
    else:
        assert (budget.remaining, budget.reset_at) == (second, reset + moved)
