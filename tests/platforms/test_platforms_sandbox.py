"""The sandbox network: determinism, plausible reactions, comments, shared SQLite state,
rate limits, faults (exactly once), and the paid-ads history."""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import textwrap
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.content import rules_for
from smmkit.errors import ContentRuleError, PlatformError, RateLimitedError, ValidationError
from smmkit.models import AdMetrics, PostMetrics, Variant
from smmkit.platforms import (
    Capability,
    ClientOptions,
    PlatformClient,
    RateLimitPolicy,
    RetryPolicy,
    client_for,
)
from smmkit.platforms.sandbox import (
    FAULT_KINDS,
    AsyncSandboxClient,
    FaultConfig,
    RateLimitConfig,
    SandboxClient,
    SandboxNetwork,
    ad_history,
    hour_factor,
    sandbox_channel,
)

START = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)  # a Monday


def _network(**kwargs: Any) -> SandboxNetwork:
    network = SandboxNetwork(seed=kwargs.pop("seed", 7), start=START, **kwargs)
    network.add_channel(sandbox_channel("ig", "instagram"), followers=5000)
    return network


def _variant(text: str, **extras: Any) -> Variant:
    # The deprecated ``extras=`` is not in the typed signature: it arrives in the data.
    return Variant.model_validate(
        {"channel": "ig", "platform": "instagram", "text": text, "extras": extras}
    )


def test_publish_read_back_and_metrics_are_deterministic() -> None:
    def run() -> list[PostMetrics]:
        network = _network()
        client = network.client("ig")
        assert isinstance(client, PlatformClient)
        for i in range(6):
            client.publish(
                _variant(f"Pane {i}", format="reel" if i % 2 else "post", pillar="ricette")
            )
            network.advance(timedelta(hours=5))
        network.advance(timedelta(days=2))
        return network.metrics("ig")

    first, second = run(), run()
    assert first == second
    assert all(m.impressions and m.reach and m.impressions >= m.reach for m in first)
    other = _network(seed=8)
    other.client("ig").publish(_variant("Pane 0", format="post", pillar="ricette"))
    other.advance(timedelta(hours=5 * 6 + 48))
    assert other.metrics("ig")[0].reach != first[0].reach


def test_reactions_accrue_over_time_and_grow_followers() -> None:
    network = _network()
    client = network.client("ig")
    post = client.publish(_variant("Il lievito madre", format="carousel"))
    network.advance(timedelta(hours=1))
    early = client.get_post_metrics(post)
    network.advance(timedelta(days=3))
    late = client.get_post_metrics(post)
    assert early.reach is not None and late.reach is not None and late.reach > early.reach
    assert late.likes is not None and late.likes > 0
    before = network.followers("ig", START)
    assert network.followers("ig") > before >= 5000


def test_hour_weekday_format_and_pillar_shape_the_reactions() -> None:
    assert hour_factor(0, 20, None) > 1.5 > hour_factor(0, 3, None)
    network = _network()
    peak: list[str] = []
    night: list[str] = []
    for day in range(20):
        for hour, bucket in ((20, peak), (3, night)):
            when = START.replace(hour=0) + timedelta(days=day, hours=hour - 1)
            post = network.create_post(
                "ig", text=f"t{day}-{hour}", publish_key=f"k-{day}-{hour}", published_at=when
            )
            bucket.append(post.post_id)
    network.advance(timedelta(days=30))
    reach = {p.post_id: p.reach or 0 for p in network.metrics("ig")}
    assert statistics.median(reach[p] for p in peak) > 2 * statistics.median(
        reach[p] for p in night
    )
    formats: dict[str, list[str]] = {"reel": [], "story": []}
    for i in range(30):
        for fmt, ids in formats.items():
            ids.append(
                network.create_post(
                    "ig", text=f"{fmt}{i}", publish_key=f"f{fmt}{i}", format=fmt
                ).post_id
            )
    network.advance(timedelta(days=3))
    reach = {p.post_id: p.reach or 0 for p in network.metrics("ig")}
    assert statistics.mean(reach[p] for p in formats["reel"]) > statistics.mean(
        reach[p] for p in formats["story"]
    )


def test_audience_activity_drives_best_hours(repo_root: Path) -> None:
    from smmkit.setup import load_setup

    setup = load_setup(repo_root / "examples" / "forno_aurora.toml")
    network = SandboxNetwork.from_setup(setup, seed=3, start=START)
    info = network._channel("instagram")
    assert info.activity and info.audience_share
    # 08:00 on a Monday is active for both segments; 04:00 for none
    assert hour_factor(0, 8, info.activity) > hour_factor(0, 4, info.activity)


def test_comments_include_spam_and_abuse_and_moderation_works() -> None:
    network = _network()
    client = network.client("ig")
    posts = [client.publish(_variant(f"Post {i}", format="reel")) for i in range(8)]
    network.advance(timedelta(days=4))
    comments = [c for p in posts for c in client.list_comments(p)]
    labels = Counter(c.label for c in comments)
    assert labels["genuine"] > labels["spam"] > 0 and labels["abusive"] > 0
    metrics = client.get_post_metrics(posts[0])
    assert metrics.comments == sum(1 for c in comments if c.post_id == posts[0].post_id)
    spam = next(c for c in comments if c.label == "spam")
    client.hide_comment(spam)
    reloaded = {c.comment_id: c for c in client.list_comments(spam.post_id or "")}
    assert reloaded[spam.comment_id].hidden
    question = next(c for c in comments if c.label == "question")
    answer = client.reply(question, "Apriamo alle 7!")
    assert answer.in_reply_to == question.comment_id and answer.label == "brand"
    assert client.supports(Capability.HIDE_COMMENTS)


def test_replies_are_checked_against_the_simulated_network_rules() -> None:
    network = _network()
    network.add_channel(sandbox_channel("fb", "facebook"))
    network.add_channel(sandbox_channel("md", "mastodon"))
    facebook, mastodon = network.client("fb"), network.client("md")
    long_reply = ("Grazie! " * 250).strip()  # 1,999 characters: within Facebook's limit
    posts = [
        facebook.publish(Variant(channel="fb", platform="facebook", text=f"Pane {i}"))
        for i in range(6)
    ]
    network.advance(timedelta(days=3))
    comment = next(c for p in posts for c in facebook.list_comments(p))
    answer = facebook.reply(comment, long_reply)
    assert answer.text == long_reply and answer.in_reply_to == comment.comment_id
    assert facebook.core.reply_rules() == rules_for("facebook")
    with pytest.raises(ContentRuleError, match="mastodon"):
        mastodon.core.check_reply(long_reply)


def test_sandbox_in_fault_mode_publishes_500_posts_exactly_once() -> None:
    network = _network(
        faults=FaultConfig(rate=0.2, seed=2026),
        rate_limit=RateLimitConfig(limit=100_000, window=60),
    )
    slept: list[float] = []
    client = network.client(
        "ig", sleep=slept.append, options=ClientOptions(retry=RetryPolicy(max_attempts=4))
    )
    variants = [_variant(f"Sfornata {i}") for i in range(500)]
    results = {}
    for variant in variants:
        for _ in range(10):
            try:
                results[variant.publish_key] = client.publish(variant)
                break
            except PlatformError:
                continue
    keys = Counter(p.publish_key for p in network.posts("ig"))
    assert len(results) == 500
    assert all(keys[v.publish_key] == 1 for v in variants)
    assert len(network.posts("ig")) == 500
    assert all(network.fault_counts[k] > 10 for k in FAULT_KINDS), network.fault_counts
    assert any(p.reconciled for p in results.values())
    assert slept  # it waited, through the injectable sleep only


def test_async_sandbox_client_shares_the_operations() -> None:
    network = _network()

    async def main() -> str:
        async with AsyncSandboxClient(network, "ig") as client:
            post = await client.publish(_variant("async"))
            await client.get_account_metrics()
            comments = await client.list_comments(post).to_list()
            assert comments == []
            await client.delete(post)
            return post.post_id

    post_id = asyncio.run(main())
    assert network.post(post_id).deleted


def test_rate_limit_is_enforced_and_reported() -> None:
    clock = [1000.0]
    network = _network(rate_limit=RateLimitConfig(limit=3, window=60), wall_clock=lambda: clock[0])
    client = network.client("ig", options=ClientOptions(rate_limit_policy=RateLimitPolicy.RAISE))
    for i in range(3):
        client.publish(_variant(f"p{i}"))
    with pytest.raises(RateLimitedError) as info:
        client.get_account_metrics()
    assert info.value.retry_after is not None


def test_sqlite_file_is_shared_by_several_processes(tmp_path: Path) -> None:
    path = tmp_path / "network.sqlite"
    network = SandboxNetwork(seed=5, path=path, start=START)
    network.add_channel(sandbox_channel("ig"))
    script = textwrap.dedent(f"""
        import sys
        from smmkit.models import Variant
        from smmkit.platforms.sandbox import SandboxNetwork
        network = SandboxNetwork(path={str(path)!r})
        client = network.client("ig")
        for i in range(25):
            client.publish(Variant(channel="ig", platform="instagram",
                                   text=f"proc {{sys.argv[1]}} post {{i}}"))
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, str(n)]) for n in range(3)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    posts = SandboxNetwork(path=path).posts("ig")
    assert len(posts) == 75 and len({p.post_id for p in posts}) == 75
    assert len({p.publish_key for p in posts}) == 75
    assert SandboxNetwork(path=path).seed == 5  # the stored seed wins


def test_bad_input_is_refused_clearly() -> None:
    network = _network()
    with pytest.raises(ValidationError, match="not a channel"):
        network.client("nope")
    with pytest.raises(ValidationError, match="cannot go back"):
        network.set_time(START - timedelta(days=1))
    with pytest.raises(ValidationError, match="fraction"):
        FaultConfig(rate=1.5)
    with pytest.raises(ValidationError, match="must be among"):
        FaultConfig(kinds=("meteor",))
    with pytest.raises(ValidationError, match="timezone-aware"):
        SandboxNetwork(start=datetime(2026, 1, 1))


def test_registry_builds_a_sandbox_client() -> None:
    network = _network()
    client = client_for(sandbox_channel("fb", "facebook"), sandbox=network)
    assert isinstance(client, SandboxClient) and client.channel == "fb"
    assert isinstance(client_for(sandbox_channel("sb", "sandbox")), SandboxClient)
    assert client.publish(Variant(channel="fb", platform="facebook", text="ciao")).post_id


def test_ad_history_follows_its_hidden_curves() -> None:
    history = ad_history(("facebook", "instagram"), weeks=60, seed=11, noise=0.0)
    assert len(history.records) == 120 and all(isinstance(r, AdMetrics) for r in history.records)
    for channel, curve in history.curves.items():
        spend = history.spend(channel)
        expected = curve.response(spend)
        assert history.conversions(channel) == pytest.approx(expected, abs=0.01)
        assert any(s == 0 for s in spend) and max(spend) > 2 * statistics.median(spend)
        revenue = [
            float(r.revenue.amount) for r in history.for_channel(channel) if r.revenue is not None
        ]
        assert revenue == pytest.approx(
            [c * curve.value_per_conversion for c in history.conversions(channel)], abs=0.01
        )
    assert ad_history(seed=11) == ad_history(seed=11)
    with pytest.raises(ValidationError, match="weeks"):
        ad_history(weeks=2)


@settings(max_examples=40, deadline=None)
@given(spend=st.lists(st.floats(0, 5000), min_size=1, max_size=30))
def test_hill_response_is_bounded_and_monotone_in_spend(spend: list[float]) -> None:
    curve = ad_history(("instagram",), weeks=8, seed=1).curves["instagram"]
    response = curve.response(spend)
    assert all(0 <= r < curve.beta for r in response)
    more = curve.response([s + 10 for s in spend])
    assert all(m >= r for m, r in zip(more, response, strict=True))


def test_a_failed_write_leaves_nothing_half_written(tmp_path: Path) -> None:
    network = SandboxNetwork(seed=1, path=tmp_path / "n.sqlite", start=START)
    network.add_channel(sandbox_channel("ig"))
    network.create_post("ig", text="kept", publish_key="k-kept-0001")

    def crash() -> None:
        with network.store.write() as cur:
            cur.execute(
                "INSERT INTO posts(channel, publish_key, text, format, media_count, "
                "has_link, thread, published_at, created_at) VALUES ('ig', 'k-half', "
                "'half', 'post', 0, 0, '[]', '2026-11-02', '2026-11-02')"
            )
            raise RuntimeError("crash in the middle of a change")

    with pytest.raises(RuntimeError):
        crash()
    reopened = SandboxNetwork(path=tmp_path / "n.sqlite")
    assert [p.text for p in reopened.posts("ig")] == ["kept"]
