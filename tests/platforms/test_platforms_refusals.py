"""Content refusals: one framework helper, the same message shape for every client."""

from __future__ import annotations

import re

import httpx
import pytest

from smmkit.content import Violation
from smmkit.errors import ContentRuleError
from smmkit.models import Cadence, Channel, Variant
from smmkit.platforms import PlatformCore
from smmkit.platforms.bluesky import BlueskyClient
from smmkit.platforms.mastodon import MastodonClient
from smmkit.platforms.sandbox import SandboxClient

INSTANCE = {
    "configuration": {"statuses": {"max_characters": 500, "characters_reserved_per_url": 23}}
}


def _violations(error: ContentRuleError) -> list[Violation]:
    """The error's violations, checked to be :class:`smmkit.content.Violation` objects."""
    found = [v for v in error.violations if isinstance(v, Violation)]
    assert len(found) == len(error.violations), error.violations
    return found


def _unreachable(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"nothing may be sent, got {request.method} {request.url}")


def test_refuse_violations_does_nothing_without_violations() -> None:
    PlatformCore.refuse_violations([], "never", hint="never")


def test_mastodon_refusal_lists_every_violation() -> None:
    client = MastodonClient(
        "https://social.test",
        token="t-123456",
        instance=INSTANCE,
        http_client=httpx.Client(transport=httpx.MockTransport(_unreachable)),
    )
    with pytest.raises(ContentRuleError) as info:
        client.publish(Variant(channel="mastodon", platform="mastodon", text="a" * 501))
    assert re.fullmatch(
        r"mastodon refuses this variant \(1 violation\): text: .+\. Fix: adapt "
        r"it with smmkit\.content\.adapt, or shorten/split the text\.",
        str(info.value),
    )
    assert [v.field for v in _violations(info.value)] == ["text"]


def test_bluesky_refusal_names_the_variant() -> None:
    client = BlueskyClient(
        "forno.test",
        "app-pass-word",
        base_url="https://pds.test",
        http_client=httpx.Client(transport=httpx.MockTransport(_unreachable)),
        channel="bsky",
    )
    variant = Variant(channel="bsky", platform="bluesky", text="é" * 301)
    with pytest.raises(ContentRuleError) as info:
        client.publish(variant)
    assert str(info.value).startswith(
        f"bluesky refuses variant {variant.id!r} before sending: text: "
    )
    assert _violations(info.value)[0].measured == 301


def test_sandbox_refusal_names_the_simulated_network() -> None:
    channel = Channel(
        key="bsky",
        platform="bluesky",
        handle="forno",
        timezone="Europe/Rome",
        cadence=Cadence(posts_per_week=1),
    )
    client = SandboxClient.from_channel(channel)
    with pytest.raises(ContentRuleError) as info:
        client.publish(Variant(channel="bsky", platform="bluesky", text="é" * 301))
    assert str(info.value).startswith("bluesky (sandbox) refuses this variant: text: ")
    assert str(info.value).endswith("Fix: adapt it with smmkit.content.adapt first.")
    assert client.network.posts("bsky") == []
    client.close()
