"""Exactly-once against the real PDS: faults injected between the client and the server.

A wrapping transport forwards each attempt to the real PDS on 127.0.0.1, and 20% of attempts are
hit by a fault: a connect error (not forwarded); a read timeout or a lost response after the PDS
processed the request; a 429 with a reset (not forwarded); a 500 or 502 (forwarded or not, at
random). Every post must exist exactly once in the account's repository.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from typing import Any

import httpx
import pytest

from smmkit.errors import PlatformError
from smmkit.models import Platform, Variant
from smmkit.platforms.bluesky import BlueskyClient

pytestmark = pytest.mark.pds

KINDS = ("connect", "read_timeout", "rate_limited", "http_500", "http_502", "lost_response")


class FaultyTransport(httpx.BaseTransport):
    def __init__(self, rate: float, seed: int) -> None:
        self.inner = httpx.HTTPTransport()
        self.rng = random.Random(seed)
        self.rate = rate
        self.faults: Counter[str] = Counter()
        self.attempts = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        kind = self.rng.choice(KINDS) if self.rng.random() < self.rate else None
        if kind:
            self.faults[kind] += 1
        if kind == "connect":
            raise httpx.ConnectError("injected: connection refused", request=request)
        if kind == "rate_limited":
            reset = str(int(time.time()) + 1)
            return httpx.Response(
                429,
                json={"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
                headers={
                    "RateLimit-Remaining": "0",
                    "RateLimit-Reset": reset,
                    "RateLimit-Limit": "3000",
                },
            )
        forward = kind not in ("http_500", "http_502") or self.rng.random() < 0.5
        if forward:
            response = self.inner.handle_request(request)
            response.read()
            response.close()
        if kind == "read_timeout":
            raise httpx.ReadTimeout("injected: timed out after sending", request=request)
        if kind == "lost_response":
            raise httpx.RemoteProtocolError("injected: server disconnected", request=request)
        if kind == "http_500":
            return httpx.Response(
                500, json={"error": "InternalServerError", "message": "Internal Server Error"}
            )
        if kind == "http_502":
            return httpx.Response(502, text="Bad Gateway")
        return response

    def close(self) -> None:
        self.inner.close()


def test_exactly_once_under_faults_on_the_real_pds(pds_server: Any, make_pds_account: Any) -> None:
    account = make_pds_account("faults")
    transport = FaultyTransport(rate=0.20, seed=11)
    client = BlueskyClient(
        account.handle,
        account.app_password,
        base_url=pds_server.url,
        http_client=httpx.Client(transport=transport),
        sleep=lambda seconds: None,
        jitter=lambda: 0.0,
        channel="forno-bsky",
    )
    variants = [
        Variant(
            channel="forno-bsky",
            platform=Platform.BLUESKY,
            text=f"Infornata {i} #pane",
            publish_key=f"real-faults-{i:03d}",
        )
        for i in range(100)
    ]
    for variant in variants:
        for _ in range(10):
            try:
                client.publish(variant)
            except PlatformError:
                continue
            break
    client.close()
    transport.close()
    with BlueskyClient(
        account.handle, account.app_password, base_url=pds_server.url, channel="forno-bsky"
    ) as reader:
        texts = Counter(r.text for r in reader.list_records(page_size=100))
    assert texts == Counter(v.text for v in variants)  # each post exactly once
    assert sum(transport.faults.values()) / transport.attempts > 0.15
    assert set(transport.faults) == set(KINDS)
    assert client.core.auth.logins <= 3  # faults may hit a login, but no login per post
    print(
        f"\nreal PDS: {transport.attempts} attempts, faults {dict(transport.faults)}, "
        f"logins {client.core.auth.logins}"
    )
