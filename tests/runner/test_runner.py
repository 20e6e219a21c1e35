"""The runner on SQLite and PostgreSQL, with the sandbox network (and a scripted client where a
test needs a given platform error)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _world import BRAND, T0, fill, network, post_counts

from smmkit.errors import (
    AuthenticationError,
    ContentRuleError,
    RateLimitedError,
    ServerError,
    ValidationError,
)
from smmkit.models import AccountMetrics, ContentStatus, Platform, PostMetrics, Variant
from smmkit.platforms import Capability, PostMarker, PublishedPost
from smmkit.platforms.sandbox import FaultConfig, SandboxNetwork
from smmkit.runner import Backoff, Runner, RunnerHooks
from smmkit.store import OutboxEntry, OutboxState, Store, open_store


class Clock:
    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(store_target: str, clock: Clock) -> Iterator[Store]:
    s = open_store(store_target, clock=clock)
    yield s
    s.close()


@pytest.fixture
def net(tmp_path: Path) -> Iterator[SandboxNetwork]:
    n = network(tmp_path / "sandbox.db")
    yield n
    n.close()


def _runner(store: Store, net: SandboxNetwork, clock: Clock, **options: Any) -> Runner:
    clients: dict[str, Any] = {}

    def provider(brand_id: str, channel: str) -> Any:
        assert brand_id == BRAND
        return clients.setdefault(channel, net.client(channel))

    return Runner(store, provider, clock=clock, sleep=clock.sleep, **options)


def _states(store: Store) -> dict[OutboxState, int]:
    with store.read() as tx:
        return {k: v for k, v in tx.outbox_counts().items() if v}


def test_publishes_what_is_due_once_and_records_it(
    store: Store, net: SandboxNetwork, clock: Clock
) -> None:
    variants = fill(store, 12, due=T0 + timedelta(seconds=6))  # 7 due at T0, 5 later
    published: list[str] = []
    hooks = RunnerHooks(published=lambda entry, post: published.append(entry.publish_key))
    report = _runner(store, net, clock, hooks=hooks).run(until_idle=True)
    assert (report.published, report.stopped_by) == (7, "idle")
    assert _states(store) == {OutboxState.PUBLISHED: 7, OutboxState.PENDING: 5}
    assert sorted(published) == [v.publish_key for v in variants[:7]]
    clock.now += timedelta(seconds=10)
    report = _runner(store, net, clock).run(until_idle=True)
    assert report.published == 5
    assert post_counts(net) == {v.publish_key: 1 for v in variants}
    with store.read() as tx:
        records = tx.published(brand_id=BRAND)
        stored = tx.get_variant(variants[0].id)
        jobs = tx.metric_jobs(kind="post")
    assert len(records) == 12
    assert stored is not None
    assert stored.status is ContentStatus.PUBLISHED
    assert stored.platform_post_id == records[0].platform_post_id
    assert sorted({j.label for j in jobs}) == ["1h", "24h", "7d"]
    assert len(jobs) == 36


def _dead_claim(store: Store, clock: Clock, limit: int = 2) -> list[OutboxEntry]:
    """Rows claimed by a runner that then died (its liveness lock freed by the OS)."""
    lock = store.hold_runner_lock(99)
    with store.transaction() as tx:
        tx.register_runner("crashed-runner", lock_key=99, now=clock())
        claimed = tx.claim_due("crashed-runner", now=clock(), limit=limit)
    lock.release()
    return claimed


def test_rows_of_an_unregistered_claimant_wait_for_the_grace_period(
    store: Store, net: SandboxNetwork, clock: Clock
) -> None:
    variants = fill(store, 1)
    with store.transaction() as tx:
        [entry] = tx.claim_due("some-tool", now=clock(), limit=1)
    assert _runner(store, net, clock).run(until_idle=True).taken_over == 0
    clock.now += timedelta(minutes=16)
    report = _runner(store, net, clock).run(until_idle=True)
    assert (report.taken_over, report.published) == (1, 1)
    assert post_counts(net) == {variants[0].publish_key: 1}
    assert entry.claimed_by == "some-tool"


def test_rows_left_sending_are_looked_up_before_any_resend(
    store: Store, net: SandboxNetwork, clock: Clock
) -> None:
    variants = fill(store, 3)
    sent, unsent = _dead_claim(store, clock)
    # The dead runner's first request reached the network; its second never left.
    net.client(sent.channel).publish(sent.variant())
    report = _runner(store, net, clock).run(until_idle=True)
    assert (report.taken_over, report.reconciled, report.published) == (2, 1, 2)
    assert post_counts(net) == {v.publish_key: 1 for v in variants}
    with store.read() as tx:
        [again] = [r for r in tx.published() if r.publish_key == sent.publish_key]
        entry = tx.outbox_entry(sent.publish_key)
    assert again.reconciled
    assert entry is not None
    assert (entry.state, entry.attempts) == (OutboxState.PUBLISHED, 2)
    assert unsent.publish_key in post_counts(net)


def test_a_live_runners_rows_are_left_alone(
    store: Store, net: SandboxNetwork, clock: Clock
) -> None:
    fill(store, 2)
    lock = store.hold_runner_lock(1234)
    with store.transaction() as tx:
        tx.register_runner("busy-runner", lock_key=1234, now=clock())
        [mine] = tx.claim_due("busy-runner", now=clock(), limit=1)
    report = _runner(store, net, clock).run(until_idle=True)
    assert (report.taken_over, report.published) == (0, 1)
    with store.read() as tx:
        entry = tx.outbox_entry(mine.publish_key)
    assert entry is not None
    assert (entry.state, entry.claimed_by) == (OutboxState.SENDING, "busy-runner")
    lock.release()  # the busy runner dies: now its row is taken over
    report = _runner(store, net, clock).run(until_idle=True)
    assert (report.taken_over, report.published) == (1, 1)
    assert _states(store) == {OutboxState.PUBLISHED: 2}


def test_lost_answers_and_faults_never_duplicate(
    store: Store, tmp_path: Path, clock: Clock
) -> None:
    net = network(tmp_path / "faulty.db")
    net.set_faults(
        FaultConfig(rate=0.3, seed=5, kinds=("lost_after_success", "read_timeout_after", "connect"))
    )
    variants = fill(store, 40)
    runner = _runner(store, net, clock, backoff=Backoff(base=timedelta(seconds=1), max_tries=50))
    for _ in range(200):
        runner.run(until_idle=True)
        if _states(store) == {OutboxState.PUBLISHED: 40}:
            break
        clock.sleep(60)
    assert _states(store) == {OutboxState.PUBLISHED: 40}
    assert post_counts(net) == {v.publish_key: 1 for v in variants}
    assert sum(net.fault_counts.values()) > 5
    net.close()


# -- errors, backoff, hooks (a scripted client raises what a test needs) -----------------------


@dataclass
class ScriptedClient:
    errors: list[BaseException] = field(default_factory=list)
    posts: dict[str, PublishedPost] = field(default_factory=dict)
    find: bool = True

    def supports(self, capability: Any) -> bool:
        return capability is not Capability.FIND_POST or self.find

    def publish(self, variant: Variant) -> PublishedPost:
        if self.errors:
            raise self.errors.pop(0)
        post = PublishedPost(
            platform=Platform.SANDBOX,
            channel=variant.channel,
            post_id=f"p-{len(self.posts) + 1}",
            publish_key=variant.publish_key,
        )
        self.posts[variant.publish_key] = post
        return post

    def find_post(self, marker: PostMarker) -> PublishedPost | None:
        return self.posts.get(marker.publish_key)

    def get_post_metrics(self, post: str) -> PostMetrics:
        raise NotImplementedError

    def get_account_metrics(self) -> AccountMetrics:
        raise NotImplementedError


def _scripted(store: Store, client: ScriptedClient, clock: Clock, **options: Any) -> Runner:
    options.setdefault("collect_metrics", False)
    return Runner(store, lambda b, c: client, clock=clock, sleep=clock.sleep, **options)


def test_backoff_then_failed_then_a_person_retries(store: Store, clock: Clock) -> None:
    [variant] = fill(store, 1)
    client = ScriptedClient(
        errors=[
            RateLimitedError("slow down", platform="sandbox", status=429, retry_after=600),
            ServerError("boom", platform="sandbox", status=503, retryable=True),
            ServerError("boom", platform="sandbox", status=503, retryable=True),
        ]
    )
    failures: list[str] = []
    hooks = RunnerHooks(failed=lambda entry, exc: failures.append(type(exc).__name__))
    runner = _scripted(
        store, client, clock, hooks=hooks, backoff=Backoff(base=timedelta(seconds=30), max_tries=3)
    )
    assert runner.run(until_idle=True).retried == 1
    with store.read() as tx:
        entry = tx.outbox_entry(variant.publish_key)
    assert entry is not None
    assert entry.state is OutboxState.PENDING
    assert entry.next_attempt_at == T0 + timedelta(seconds=600)  # the server's hint wins
    assert "RateLimitedError" in (entry.last_error or "")
    clock.now = entry.next_attempt_at
    assert runner.run(until_idle=True).retried == 1
    with store.read() as tx:
        entry = tx.outbox_entry(variant.publish_key)
    assert entry is not None
    assert entry.next_attempt_at == clock.now + timedelta(seconds=60)  # 30 s x 2
    clock.now = entry.next_attempt_at
    assert runner.run(until_idle=True).failed == 1
    assert failures == ["ServerError"]
    with store.read() as tx:
        stored = tx.get_variant(variant.id)
    assert stored is not None
    assert stored.status is ContentStatus.FAILED
    with store.transaction(actor="ana") as tx:
        tx.retry_outbox(variant.publish_key)
    assert runner.run(until_idle=True).published == 1
    assert _states(store) == {OutboxState.PUBLISHED: 1}
    runner.close()


def test_needs_reauth_and_refusals(store: Store, clock: Clock) -> None:
    a, b = fill(store, 2)
    client = ScriptedClient(
        errors=[
            AuthenticationError("token expired", platform="sandbox", status=401),
            ContentRuleError("too long", ()),
        ]
    )
    seen: list[tuple[str, str]] = []
    hooks = RunnerHooks(
        failed=lambda entry, exc: seen.append(("failed", entry.publish_key)),
        needs_reauth=lambda entry, exc: seen.append(("reauth", entry.publish_key)),
    )
    report = _scripted(store, client, clock, hooks=hooks).run(until_idle=True)
    assert (report.needs_reauth, report.failed) == (1, 1)
    assert seen == [("reauth", a.publish_key), ("failed", b.publish_key)]
    with store.read() as tx:
        first = tx.get_variant(a.id)
        second = tx.get_variant(b.id)
    assert first is not None
    assert second is not None
    assert first.status is ContentStatus.SCHEDULED  # waits for new credentials
    assert second.status is ContentStatus.FAILED


def test_a_possible_earlier_attempt_without_find_post_is_never_resent(
    store: Store, clock: Clock
) -> None:
    fill(store, 1)
    _dead_claim(store, clock, limit=1)
    client = ScriptedClient(find=False)
    report = _scripted(store, client, clock).run(until_idle=True)
    assert (report.failed, report.published) == (1, 0)
    assert client.posts == {}
    with store.read() as tx:
        [entry] = tx.outbox_entries(state="failed")
    assert "cannot look posts up" in (entry.last_error or "")


def test_a_failing_hook_does_not_stop_the_runner(store: Store, clock: Clock) -> None:
    fill(store, 3)

    def bad_hook(entry: OutboxEntry, post: PublishedPost) -> None:
        raise RuntimeError("app bug")

    report = _scripted(store, ScriptedClient(), clock, hooks=RunnerHooks(published=bad_hook)).run(
        until_idle=True
    )
    assert report.published == 3


def test_stop_finishes_the_post_in_hand_and_gives_back_the_rest(store: Store, clock: Clock) -> None:
    fill(store, 10)
    runner: Runner

    class StopsAfterOne(ScriptedClient):
        def publish(self, variant: Variant) -> PublishedPost:
            post = super().publish(variant)
            runner.stop("test")  # as SIGTERM would, while the first post is in hand
            return post

    runner = _scripted(store, StopsAfterOne(), clock, batch=5)
    report = runner.run()
    assert (report.published, report.stopped_by) == (1, "test")
    assert _states(store) == {OutboxState.PUBLISHED: 1, OutboxState.PENDING: 9}
    with store.read() as tx:
        runners = list(tx.changes(entity="runner"))
    assert [c.action for c in runners] == ["started", "stopped"]


def test_metrics_are_collected_on_schedule(store: Store, net: SandboxNetwork, clock: Clock) -> None:
    fill(store, 2, channels=2)
    runner = _runner(store, net, clock)
    runner.run(until_idle=True)
    with store.read() as tx:
        assert len(tx.post_snapshots(BRAND)) == 0
        assert len(tx.account_snapshots(BRAND)) == 2  # the day's account metrics
    for hours, expected in ((1, 2), (24, 4), (24 * 7, 6)):
        clock.now = T0 + timedelta(hours=hours, minutes=1)
        net.set_time(clock.now)
        runner.run(until_idle=True)
        with store.read() as tx:
            assert len(tx.post_snapshots(BRAND)) == expected
    with store.read() as tx:
        snaps = tx.post_snapshots(BRAND)
        days = {s.measured_at.date() for s in tx.account_snapshots(BRAND)}
        pending = tx.metric_jobs(state="pending")
    assert len(days) == 3  # one account snapshot per day the runner ran
    assert pending == []
    impressions = [s.metrics().impressions for s in snaps if s.post_id == snaps[0].post_id]
    assert impressions == sorted(impressions)
    runner.close()


def test_bad_options_are_refused(store: Store) -> None:
    with pytest.raises(ValidationError, match="batch"):
        Runner(store, lambda b, c: ScriptedClient(), batch=0)
    with pytest.raises(ValidationError, match="max_tries"):
        Backoff(max_tries=0)
    naive = Runner(store, lambda b, c: ScriptedClient(), clock=lambda: datetime(2026, 1, 1))
    with pytest.raises(ValidationError, match="timezone-aware"):
        naive.now()


def test_a_long_running_runner_outlives_store_errors(store: Store, clock: Clock) -> None:
    from sqlalchemy import text

    fill(store, 2)
    with store.engine.begin() as conn:  # the database loses the outbox for a while
        conn.execute(text("ALTER TABLE outbox RENAME TO outbox_away"))
    runner: Runner
    naps: list[float] = []

    def sleep(seconds: float) -> None:
        naps.append(seconds)
        clock.sleep(seconds)
        if len(naps) == 1:  # ... and gets it back
            with store.engine.begin() as conn:
                conn.execute(text("ALTER TABLE outbox_away RENAME TO outbox"))
        else:
            runner.stop("test")

    runner = Runner(
        store, lambda b, c: ScriptedClient(), clock=clock, sleep=sleep, collect_metrics=False
    )
    report = runner.run()
    assert len(report.errors) == 1
    assert "outbox" in report.errors[0]
    assert report.published == 2
    assert naps == [runner.poll_interval, runner.poll_interval]
