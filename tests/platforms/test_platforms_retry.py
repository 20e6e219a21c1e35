"""The retry decision table, Retry-After parsing, and the drivers applying both (respx)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st

from smmkit.errors import (
    PlatformConnectionError,
    PlatformTimeoutError,
    RateLimitedError,
    ServerError,
)
from smmkit.platforms import (
    AsyncDriver,
    Call,
    ClientOptions,
    Dialect,
    RateLimitPolicy,
    RetryPolicy,
    SyncDriver,
    decide_retry,
    is_outcome_unknown,
    parse_retry_after,
    send,
)

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
POLICY = RetryPolicy(max_attempts=4, backoff_base=1.0, backoff_max=8.0, max_hint_wait=60.0)
URL = "https://social.test/api/v1/statuses"
DIALECT = Dialect(
    platform="mastodon", idempotency_header="Idempotency-Key", honours_idempotency_key=True
)

# (status, idempotent, hint) -> (retry, delay)
TABLE: list[tuple[int, bool, float | None, bool, float]] = [
    (200, False, None, False, 0.0),
    (201, True, None, False, 0.0),
    (400, True, None, False, 0.0),
    (401, True, 5.0, False, 0.0),
    (403, False, None, False, 0.0),
    (404, True, None, False, 0.0),
    (409, False, None, False, 0.0),
    (422, True, None, False, 0.0),
    (429, False, None, True, 0.5),  # backoff with jitter 0: base * 0.5
    (429, True, 12.0, True, 12.0),
    (429, False, 12.0, True, 12.0),
    (429, True, 600.0, False, 0.0),  # above the cap: give up
    (503, False, 3.0, True, 3.0),
    (503, True, None, True, 0.5),
    (503, True, 61.0, False, 0.0),
    (500, True, None, True, 0.5),
    (500, False, None, False, 0.0),
    (502, True, 2.0, True, 2.0),
    (502, False, 2.0, False, 0.0),
    (504, True, None, True, 0.5),
    (504, False, None, False, 0.0),
    (408, True, None, True, 0.5),
    (408, False, None, False, 0.0),
]


@pytest.mark.parametrize(("status", "idempotent", "hint", "retry", "delay"), TABLE)
def test_decision_table_by_status(
    status: int, idempotent: bool, hint: float | None, retry: bool, delay: float
) -> None:
    decision = decide_retry(
        attempt=1, idempotent=idempotent, status=status, hint=hint, policy=POLICY
    )
    assert (decision.retry, decision.delay) == (retry, delay), decision.reason
    if status >= 500 and status != 503 and not idempotent:
        assert decision.outcome_unknown


@pytest.mark.parametrize(
    ("error", "idempotent", "retry", "unknown"),
    [
        (httpx.ConnectError("refused"), False, True, False),
        (httpx.ConnectTimeout("slow"), False, True, False),
        (httpx.PoolTimeout("pool"), False, True, False),
        (httpx.ReadTimeout("late"), True, True, False),
        (httpx.ReadTimeout("late"), False, False, True),
        (httpx.RemoteProtocolError("dropped"), False, False, True),
        (httpx.RemoteProtocolError("dropped"), True, True, False),
        (httpx.WriteError("broken pipe"), False, False, True),
        (ValueError("a bug"), True, False, False),
    ],
)
def test_decision_table_by_error(
    error: BaseException, idempotent: bool, retry: bool, unknown: bool
) -> None:
    decision = decide_retry(attempt=1, idempotent=idempotent, error=error, policy=POLICY)
    assert decision.retry is retry
    assert decision.outcome_unknown is unknown


def test_raise_policy_never_retries_429() -> None:
    decision = decide_retry(
        attempt=1, idempotent=True, status=429, hint=1.0, wait_on_rate_limit=False
    )
    assert not decision.retry


def test_attempts_used_up_gives_up_and_flags_unknown_for_ambiguous() -> None:
    last = decide_retry(attempt=4, idempotent=True, error=httpx.ReadTimeout("x"), policy=POLICY)
    assert not last.retry and last.outcome_unknown
    never_sent = decide_retry(
        attempt=4, idempotent=False, error=httpx.ConnectError("x"), policy=POLICY
    )
    assert not never_sent.retry and not never_sent.outcome_unknown


@given(attempt=st.integers(1, 30), jitter=st.floats(0, 1))
def test_backoff_is_capped_and_grows(attempt: int, jitter: float) -> None:
    policy = RetryPolicy(max_attempts=100, backoff_base=0.5, backoff_max=8.0)
    delay = policy.backoff(attempt, jitter)
    assert 0 <= delay <= 8.0
    assert policy.backoff(attempt + 1, jitter) >= delay


def test_retry_after_seconds_and_http_date() -> None:
    assert parse_retry_after("120", NOW) == 120.0
    assert parse_retry_after(" 1.5 ", NOW) == 1.5
    assert parse_retry_after(format_datetime(NOW + timedelta(seconds=90), usegmt=True), NOW) == 90
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", NOW) == 0.0  # in the past
    assert parse_retry_after(None, NOW) is None
    assert parse_retry_after("soon", NOW) is None
    assert parse_retry_after("-5", NOW) == 0.0


def _get() -> Any:
    response = yield from send(httpx.Request("GET", URL))
    return response.json()


def _post(key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    response = yield from send(httpx.Request("POST", URL, json={"status": "hi"}, headers=headers))
    return response.json()


@respx.mock
def test_driver_waits_for_retry_after_as_http_date(fake_time: Any) -> None:
    later = format_datetime(fake_time.now() + timedelta(seconds=30), usegmt=True)
    route = respx.get(URL).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": later}),
            httpx.Response(200, json={"ok": True}),
        ]
    )
    driver = SyncDriver(
        dialect=DIALECT, sleep=fake_time.sleep, clock=fake_time.now, jitter=lambda: 0.0
    )
    assert driver.run(_get()) == {"ok": True}
    assert route.call_count == 2
    assert fake_time.sleeps == [30.0]


@respx.mock
def test_driver_waits_for_mastodon_reset_header_without_retry_after(fake_time: Any) -> None:
    reset = (fake_time.now() + timedelta(seconds=42)).isoformat().replace("+00:00", "Z")
    respx.get(URL).mock(
        side_effect=[
            httpx.Response(
                429,
                headers={
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": reset,
                    "X-RateLimit-Limit": "300",
                },
            ),
            httpx.Response(200, json=[]),
        ]
    )
    driver = SyncDriver(dialect=DIALECT, sleep=fake_time.sleep, clock=fake_time.now)
    assert driver.run(_get()) == []
    assert sum(fake_time.sleeps) == pytest.approx(42.0, abs=0.5)


@respx.mock
def test_hint_above_cap_raises_rate_limited_with_retry_after(fake_time: Any) -> None:
    respx.get(URL).mock(return_value=httpx.Response(429, headers={"Retry-After": "3600"}))
    driver = SyncDriver(dialect=DIALECT, sleep=fake_time.sleep, clock=fake_time.now)
    with pytest.raises(RateLimitedError) as info:
        driver.run(_get())
    assert info.value.retry_after == 3600.0
    assert info.value.retryable and fake_time.sleeps == []


@respx.mock
def test_non_idempotent_post_is_not_repeated_after_500(fake_time: Any) -> None:
    route = respx.post(URL).mock(return_value=httpx.Response(500, json={"error": "boom"}))
    driver = SyncDriver(dialect=Dialect(platform="x"), sleep=fake_time.sleep, clock=fake_time.now)
    with pytest.raises(ServerError) as info:
        driver.run(_post())
    assert route.call_count == 1
    assert is_outcome_unknown(info.value)


@respx.mock
def test_post_with_honoured_idempotency_key_is_repeated_with_the_same_key(fake_time: Any) -> None:
    route = respx.post(URL).mock(
        side_effect=[
            httpx.Response(502),
            httpx.ReadTimeout("lost"),
            httpx.Response(200, json={"id": "1"}),
        ]
    )
    driver = SyncDriver(dialect=DIALECT, sleep=fake_time.sleep, clock=fake_time.now)
    assert driver.run(_post("key-123456")) == {"id": "1"}
    assert [c.request.headers["Idempotency-Key"] for c in route.calls] == ["key-123456"] * 3


@respx.mock
def test_connect_errors_are_retried_even_for_posts_then_raise(fake_time: Any) -> None:
    route = respx.post(URL).mock(side_effect=httpx.ConnectError("refused"))
    options = ClientOptions(retry=RetryPolicy(max_attempts=3))
    driver = SyncDriver(
        dialect=Dialect(platform="x"), options=options, sleep=fake_time.sleep, clock=fake_time.now
    )
    with pytest.raises(PlatformConnectionError) as info:
        driver.run(_post())
    assert route.call_count == 3
    assert not is_outcome_unknown(info.value)  # it never left: nothing to reconcile


@respx.mock
def test_read_timeout_on_post_is_not_repeated_and_is_ambiguous(fake_time: Any) -> None:
    route = respx.post(URL).mock(side_effect=httpx.ReadTimeout("late"))
    driver = SyncDriver(dialect=Dialect(platform="x"), sleep=fake_time.sleep, clock=fake_time.now)
    with pytest.raises(PlatformTimeoutError) as info:
        driver.run(_post())
    assert route.call_count == 1 and is_outcome_unknown(info.value)


@respx.mock
def test_call_can_override_idempotency(fake_time: Any) -> None:
    def op() -> Any:
        request = httpx.Request("POST", URL, json={})
        response = yield from send(Call(request, idempotent=True))
        return response.status_code

    respx.post(URL).mock(side_effect=[httpx.Response(500), httpx.Response(200)])
    driver = SyncDriver(dialect=Dialect(platform="x"), sleep=fake_time.sleep, clock=fake_time.now)
    assert driver.run(op()) == 200


@respx.mock
def test_async_driver_applies_the_same_decisions(fake_time: Any) -> None:
    route = respx.get(URL).mock(
        side_effect=[
            httpx.Response(503, headers={"Retry-After": "7"}),
            httpx.ConnectError("x"),
            httpx.Response(200, json={"ok": 1}),
        ]
    )

    async def main() -> Any:
        driver = AsyncDriver(
            dialect=DIALECT,
            sleep=fake_time.asleep,
            clock=fake_time.now,
            jitter=lambda: 0.0,
            options=ClientOptions(retry=RetryPolicy(backoff_base=0.25)),
        )
        try:
            return await driver.run(_get())
        finally:
            await driver.aclose()

    assert asyncio.run(main()) == {"ok": 1}
    assert route.call_count == 3
    assert fake_time.sleeps == [7.0, 0.25]


@respx.mock
def test_raise_policy_raises_on_429_without_retrying(fake_time: Any) -> None:
    route = respx.get(URL).mock(return_value=httpx.Response(429, headers={"Retry-After": "5"}))
    driver = SyncDriver(
        dialect=DIALECT,
        sleep=fake_time.sleep,
        clock=fake_time.now,
        options=ClientOptions(rate_limit_policy=RateLimitPolicy.RAISE),
    )
    with pytest.raises(RateLimitedError) as info:
        driver.run(_get())
    assert route.call_count == 1 and info.value.retry_after == 5.0


@respx.mock
def test_an_earlier_ambiguous_attempt_keeps_the_outcome_unknown(fake_time: Any) -> None:
    """Read timeout (the server may have acted), then connection refused until attempts run
    out: the final error must still say the outcome is unknown."""
    respx.post(URL).mock(
        side_effect=[
            httpx.ReadTimeout("late"),
            httpx.ConnectError("refused"),
            httpx.ConnectError("refused"),
        ]
    )
    driver = SyncDriver(
        dialect=DIALECT,
        sleep=fake_time.sleep,
        clock=fake_time.now,
        options=ClientOptions(retry=RetryPolicy(max_attempts=3)),
    )
    with pytest.raises(PlatformConnectionError) as info:
        driver.run(_post("key-abcdefgh"))
    assert is_outcome_unknown(info.value)


_ERRORS = [
    httpx.ConnectError("x"),
    httpx.ConnectTimeout("x"),
    httpx.ReadTimeout("x"),
    httpx.WriteTimeout("x"),
    httpx.RemoteProtocolError("x"),
    httpx.ReadError("x"),
]


@given(
    attempt=st.integers(1, 10),
    idempotent=st.booleans(),
    status=st.one_of(st.none(), st.integers(100, 599)),
    error_index=st.integers(0, len(_ERRORS) - 1),
    hint=st.one_of(st.none(), st.floats(0, 10_000)),
    jitter=st.floats(0, 1),
)
def test_retry_decision_invariants(
    attempt: int,
    idempotent: bool,
    status: int | None,
    error_index: int,
    hint: float | None,
    jitter: float,
) -> None:
    error = None if status is not None else _ERRORS[error_index]
    decision = decide_retry(
        attempt=attempt,
        idempotent=idempotent,
        status=status,
        error=error,
        hint=hint,
        policy=POLICY,
        jitter=jitter,
    )
    if decision.retry:
        assert attempt < POLICY.max_attempts
        assert 0 <= decision.delay <= max(POLICY.max_hint_wait, POLICY.backoff_max)
        # a request that may have been acted on is repeated only when that is safe
        assert idempotent or decision.sent is False
    else:
        assert decision.delay == 0.0
    if decision.outcome_unknown:
        assert not decision.retry and decision.sent is None
