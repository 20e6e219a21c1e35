"""Fault injection: 500 publishes with 20% of all attempts hit by a fault; every post exactly once.

Fault kinds (drawn uniformly for each faulted attempt, on every endpoint, logins and look-ups
included): connect error; read timeout after the server processed the request; 429 with a
``RateLimit-Reset``; 500 and 502 (the server processed the request or not, at random); the
response lost after success. A publish that still fails is published again later with the same
variant, as the runner does: the derived record key makes that safe.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import pytest

from smmkit.errors import PlatformError
from smmkit.models import Platform, Variant
from smmkit.platforms import ClientOptions, RetryPolicy
from smmkit.platforms.bluesky import AsyncBlueskyClient, rkey_for

PUBLISHES = 500
FAULT_RATE = 0.20
MAX_TRIES = 10


def _variants(count: int, seed: int) -> list[Variant]:
    out = []
    for i in range(count):
        thread = (f"…e il seguito {i}",) if i % 10 == 0 else ()
        out.append(
            Variant(
                channel="forno-bsky",
                platform=Platform.BLUESKY,
                text=f"Sfornata n. {i} ({seed}) da @forno.test #pane",
                thread=thread,
                publish_key=f"pk-{seed}-{i:04d}",
            )
        )
    return out


def _check_exactly_once(pds: Any, variants: list[Variant], faults: tuple[str, ...]) -> None:
    texts = Counter(p["text"] for p in pds.posts())
    expected = Counter(t for v in variants for t in (v.text, *v.thread))
    assert texts == expected  # every post (and thread part) exists, exactly once
    assert all(n == 1 for n in pds.creates_applied.values())  # never created twice
    for kind in faults:
        assert pds.faults[kind] >= 20 * (6 // len(faults)), (kind, pds.faults)
    attempts = sum(pds.calls.values())
    assert 0.17 < sum(pds.faults.values()) / attempts < 0.23


@pytest.mark.parametrize(
    "kinds",
    [
        None,
        *[
            (kind,)
            for kind in (
                "connect",
                "read_timeout",
                "rate_limited",
                "http_500",
                "http_502",
                "lost_response",
            )
        ],
    ],
    ids=lambda kinds: "all-kinds-mixed" if kinds is None else kinds[0],
)
def test_500_sync_publishes_exactly_once_under_faults(
    make_client: Any, fakes: Any, kinds: Any
) -> None:
    """20% of attempts faulted: by the six kinds mixed, then by each kind alone."""
    kinds = kinds or fakes.FAULTS
    pds = fakes.FakePds(fault_rate=FAULT_RATE, seed=20261126, fault_kinds=kinds)
    client = make_client(pds, options=ClientOptions(retry=RetryPolicy(max_attempts=4)))
    variants = _variants(PUBLISHES, seed=1)
    outer_retries = 0
    reconciled = 0
    for variant in variants:
        for _ in range(MAX_TRIES):
            try:
                post = client.publish(variant)
            except PlatformError:
                outer_retries += 1
                continue
            reconciled += post.reconciled
            assert post.post_id.rsplit("/", 1)[1] == rkey_for(variant.publish_key)
            break
        else:  # pragma: no cover - would mean the loop cannot make progress
            raise AssertionError(f"{variant.publish_key} never published")
    _check_exactly_once(pds, variants, kinds)
    if set(kinds) & {"read_timeout", "lost_response", "http_500"}:
        assert reconciled > 0  # ambiguous failures were settled by looking the post up
    print(
        f"\nfaults {dict(pds.faults)}; requests {sum(pds.calls.values())}; "
        f"reconciled {reconciled}; publishes repeated by the caller {outer_retries}; "
        f"logins {client.core.auth.logins}"
    )


def test_async_publishes_exactly_once_under_faults(fakes: Any) -> None:
    pds = fakes.FakePds(fault_rate=FAULT_RATE, seed=7)
    variants = _variants(PUBLISHES, seed=2)

    async def main() -> None:
        http = httpx.AsyncClient(transport=pds.async_transport())
        async with AsyncBlueskyClient(
            pds.handle,
            pds.password,
            base_url=fakes.BASE,
            http_client=http,
            clock=pds.clock,
            sleep=pds.clock.async_sleep,
            jitter=lambda: 0.0,
            channel="forno-bsky",
        ) as client:
            for variant in variants:
                for _ in range(MAX_TRIES):
                    try:
                        await client.publish(variant)
                    except PlatformError:
                        continue
                    break
        await http.aclose()

    asyncio.run(main())
    _check_exactly_once(pds, variants, fakes.FAULTS)
