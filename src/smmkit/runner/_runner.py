"""The runner: publishes what is due exactly once, across crashes and several processes, and
collects metrics on schedule."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import signal
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import TYPE_CHECKING, Any, Protocol

from smmkit.errors import (
    AuthenticationError,
    PermissionDeniedError,
    PlatformError,
    RateLimitedError,
    SmmkitError,
    StoreError,
    ValidationError,
)
from smmkit.store import MetricJob, MetricJobKind, OutboxEntry, OutboxState

if TYPE_CHECKING:
    from smmkit.models import AccountMetrics, PostMetrics, Variant
    from smmkit.platforms import PostMarker, PublishedPost
    from smmkit.store import RunnerLock, Store

__all__ = [
    "DEFAULT_METRIC_AGES",
    "Backoff",
    "ClientProvider",
    "InboxSync",
    "PublishingClient",
    "RunReport",
    "Runner",
    "RunnerHooks",
]

_log = logging.getLogger("smmkit.runner")

DEFAULT_METRIC_AGES: tuple[tuple[str, timedelta], ...] = (
    ("1h", timedelta(hours=1)),
    ("24h", timedelta(hours=24)),
    ("7d", timedelta(days=7)),
)
"""When a post's metrics are collected after it is published: 1 hour, 24 hours and 7 days."""


class PublishingClient(Protocol):
    """What the runner needs of a platform client (every smmkit client fits)."""

    def supports(self, capability: Any) -> bool: ...
    def publish(self, variant: Variant) -> PublishedPost: ...
    def find_post(self, marker: PostMarker) -> PublishedPost | None: ...
    def get_post_metrics(self, post: str) -> PostMetrics: ...
    def get_account_metrics(self) -> AccountMetrics: ...


InboxSync = Callable[[datetime], int]
"""``sync(now)`` pulls every channel's new inbox messages and returns how many were new (the
workspace gives ``Workspace.sync_inbox``; the runner only calls it on schedule)."""

ClientProvider = Callable[[str, str], PublishingClient]
"""``provider(brand_id, channel_key)`` returns the client to publish with (the runner caches it
for its life)."""


@dataclass(frozen=True)
class Backoff:
    """How long a transient failure waits: ``base * factor ** (tries - 1)``, at most ``cap``;
    a rate limit's ``Retry-After`` wins when it is longer. After ``max_tries`` the row is
    ``failed`` (a person can retry it)."""

    base: timedelta = timedelta(seconds=30)
    factor: float = 2.0
    cap: timedelta = timedelta(hours=1)
    max_tries: int = 6

    def __post_init__(self) -> None:
        if self.max_tries < 1:
            raise ValidationError("max_tries", self.max_tries, "must be >= 1")
        if self.base <= timedelta(0) or self.factor < 1 or self.cap < self.base:
            raise ValidationError(
                "backoff",
                (self.base, self.factor, self.cap),
                "needs base > 0, factor >= 1, cap >= base",
            )

    def delay(self, tries: int, hint: float | None = None) -> timedelta:
        seconds = self.base.total_seconds() * self.factor ** max(tries - 1, 0)
        wait = timedelta(seconds=min(seconds, self.cap.total_seconds()))
        if hint is not None and 0 < hint < 86_400:
            wait = max(wait, timedelta(seconds=hint))
        return wait


@dataclass
class RunnerHooks:
    """Callbacks for the embedding app, called after the outcome is committed. An exception in a
    hook is logged and never stops the runner."""

    published: Callable[[OutboxEntry, PublishedPost], None] | None = None
    failed: Callable[[OutboxEntry, BaseException], None] | None = None
    needs_reauth: Callable[[OutboxEntry, BaseException], None] | None = None


@dataclass
class RunReport:
    """What a run did."""

    published: int = 0
    reconciled: int = 0
    retried: int = 0
    failed: int = 0
    needs_reauth: int = 0
    taken_over: int = 0
    metrics: int = 0
    metric_failures: int = 0
    inbox_syncs: int = 0
    inbox_new: int = 0
    passes: int = 0
    stopped_by: str | None = None
    errors: list[str] = field(default_factory=list)

    def add(self, other: RunReport) -> None:
        for name in (
            "published",
            "reconciled",
            "retried",
            "failed",
            "needs_reauth",
            "taken_over",
            "metrics",
            "metric_failures",
            "inbox_syncs",
            "inbox_new",
            "passes",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)


def _utcnow() -> datetime:
    return datetime.now(UTC)


_REAUTH = (AuthenticationError, PermissionDeniedError)


class Runner:
    """Publishes the store's due outbox rows exactly once and collects metrics on schedule.

    Exactly once, across crashes and runners:

    1. a due row is *claimed* (``pending`` → ``sending``, with the runner's id) and committed
       before any request is sent — ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, one conditional
       ``UPDATE`` under the write lock on SQLite, so two runners never take the same row;
    2. a row whose earlier attempt may have reached the network (``attempts > 1``: a crash, an
       unknown outcome) is looked up with the client's ``find_post`` *before* anything is sent
       again; found means published;
    3. a ``sending`` row whose runner died (its liveness lock is free) is taken over by another
       runner, conditionally, and goes through step 2;
    4. the outcome (post id, URL, variant status, metric jobs) is recorded in one transaction.

    ``clients(brand_id, channel)`` gives the client of a channel. ``clock`` (aware ``datetime``)
    and ``sleep`` are injected everywhere (tests never wait). A runner stops cleanly on
    ``SIGTERM``/``SIGINT`` (when :meth:`run` runs in the main thread) or :meth:`stop`: it
    finishes the post in hand, records it, and exits.
    """

    def __init__(
        self,
        store: Store,
        clients: ClientProvider,
        *,
        clock: Callable[[], datetime] | None = None,
        sleep: Callable[[float], None] | None = None,
        hooks: RunnerHooks | None = None,
        backoff: Backoff | None = None,
        batch: int = 50,
        poll_interval: float = 5.0,
        metric_ages: tuple[tuple[str, timedelta], ...] = DEFAULT_METRIC_AGES,
        account_metrics: bool = True,
        collect_metrics: bool = True,
        runner_id: str | None = None,
        unregistered_grace: timedelta = timedelta(minutes=15),
        inbox_sync: InboxSync | None = None,
        inbox_interval: timedelta = timedelta(minutes=5),
    ) -> None:
        if batch < 1:
            raise ValidationError("batch", batch, "must be >= 1")
        if poll_interval <= 0:
            raise ValidationError("poll_interval", poll_interval, "must be > 0")
        self.store = store
        self.clients = clients
        self.clock = clock or _utcnow
        self.hooks = hooks or RunnerHooks()
        self.backoff = backoff or Backoff()
        self.batch = batch
        self.poll_interval = poll_interval
        self.metric_ages = metric_ages
        self.account_metrics = account_metrics
        self.collect_metrics = collect_metrics
        self.unregistered_grace = unregistered_grace
        if inbox_interval <= timedelta(0):
            raise ValidationError("inbox_interval", inbox_interval, "must be > 0")
        self.inbox_sync = inbox_sync
        """The periodic inbox pull (``None``: the runner does not pull the inbox)."""
        self.inbox_interval = inbox_interval
        self._inbox_at: datetime | None = None
        self.id = runner_id or f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        """This runner's id in the store (a new one each time it starts again after close())."""
        self._base_id = self.id
        self._lives = 0
        self._stop = threading.Event()
        self._sleep = sleep or (lambda seconds: self._stop.wait(seconds) and None)
        self._clients: dict[tuple[str, str], PublishingClient] = {}
        self._lock: RunnerLock | None = None
        self._alive: dict[str, bool] = {}
        self._account_day: str | None = None
        self.stopped_by: str | None = None

    def __repr__(self) -> str:
        return f"Runner(id={self.id!r}, store={self.store!r})"

    # -- life ------------------------------------------------------------------------------------
    def now(self) -> datetime:
        moment = self.clock()
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValidationError("clock()", moment, "must return a timezone-aware datetime")
        return moment.astimezone(UTC)

    def start(self) -> None:
        """Register this runner and take its liveness lock (done by :meth:`run` if needed)."""
        if self._lock is not None:
            return
        self._lives += 1
        if self._lives > 1:  # started again after close(): a new registration
            self.id = f"{self._base_id}-{self._lives}"
        lock_key = secrets.randbits(62)
        self._lock = self.store.hold_runner_lock(lock_key)
        try:
            with self.store.transaction(actor=f"runner:{self.id}") as tx:
                tx.register_runner(self.id, lock_key=lock_key, now=self.now())
        except BaseException:
            self._lock.release()
            self._lock = None
            raise
        _log.info("runner %s started", self.id)

    def close(self) -> None:
        """Unregister (the runner's rows are all settled or left for reconciliation)."""
        if self._lock is None:
            return
        with (
            contextlib.suppress(SmmkitError),
            self.store.transaction(actor=f"runner:{self.id}") as tx,
        ):
            tx.stop_runner(self.id, now=self.now())
        self._lock.release()
        self._lock = None
        self._clients.clear()  # the provider owns its clients (and closes them)
        _log.info("runner %s stopped", self.id)

    def __enter__(self) -> Runner:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stop(self, reason: str = "stop()") -> None:
        """Ask the runner to stop after the post in hand (thread- and signal-safe)."""
        self.stopped_by = self.stopped_by or reason
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    @contextlib.contextmanager
    def _signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def handler(signum: int, _frame: FrameType | None) -> None:
            self.stop(signal.Signals(signum).name)

        previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            yield
        finally:
            for sig, old in previous.items():
                signal.signal(sig, old)

    def run(self, *, until_idle: bool = False, max_passes: int | None = None) -> RunReport:
        """Run passes until stopped (or, with ``until_idle``, until nothing is due now, or
        after ``max_passes``). Running for good, a store error (the database restarting) is
        logged and the pass tried again after ``poll_interval``; otherwise it is raised."""
        report = RunReport()
        started_here = self._lock is None
        self.start()
        try:
            with self._signals():
                while not self.stopping:
                    try:
                        one = self.run_once()
                    except StoreError as exc:
                        if until_idle or max_passes is not None:
                            raise
                        # A long-running runner outlives a database hiccup (a server restart,
                        # a lock held too long): nothing half-written, so it tries again later.
                        _log.warning("runner %s: store error, retrying later: %s", self.id, exc)
                        report.errors.append(str(exc))
                        self._sleep(self.poll_interval)
                        continue
                    report.add(one)
                    if max_passes is not None and report.passes >= max_passes:
                        break
                    if self.stopping:
                        break
                    busy = one.published + one.reconciled + one.retried + one.failed
                    busy += one.needs_reauth + one.metrics + one.metric_failures + one.taken_over
                    if busy:
                        continue
                    if until_idle:
                        self.stopped_by = self.stopped_by or "idle"
                        break
                    self._sleep(self.poll_interval)
        finally:
            report.stopped_by = self.stopped_by
            if started_here:
                self.close()
        return report

    # -- one pass ----------------------------------------------------------------------------------
    def run_once(self) -> RunReport:
        """One pass: take over rows of dead runners, publish what is due, collect due metrics."""
        self.start()
        report = RunReport(passes=1)
        self._alive.clear()
        now = self.now()
        with self.store.transaction(actor=f"runner:{self.id}") as tx:
            tx.heartbeat(self.id, now=now)
        self._publish_all(self._orphans(now, report), report)
        while not self.stopping:
            with self.store.transaction(actor=f"runner:{self.id}") as tx:
                claimed = tx.claim_due(self.id, now=self.now(), limit=self.batch)
            if not claimed:
                break
            self._publish_all(claimed, report)
        if self.collect_metrics and not self.stopping:
            self._metrics(report)
        if self.inbox_sync is not None and not self.stopping:
            self._sync_inbox(report)
        return report

    def _sync_inbox(self, report: RunReport) -> None:
        """Pull the inbox when ``inbox_interval`` has passed since the last pull (a failure is
        logged and reported; the next pass after the interval tries again)."""
        assert self.inbox_sync is not None
        now = self.now()
        if self._inbox_at is not None and now - self._inbox_at < self.inbox_interval:
            return
        self._inbox_at = now
        try:
            report.inbox_new += int(self.inbox_sync(now))
        except SmmkitError as exc:
            _log.warning("runner %s: inbox sync failed: %s", self.id, exc)
            report.errors.append(f"inbox sync: {exc}")
        report.inbox_syncs += 1

    def _publish_all(self, entries: list[OutboxEntry], report: RunReport) -> None:
        """Publish claimed rows; their outcomes are recorded together, in one transaction, at
        the end (a crash before that leaves them ``sending``: they are looked up, not resent)."""
        done: list[tuple[OutboxEntry, PublishedPost, bool]] = []
        try:
            for index, entry in enumerate(entries):
                if self.stopping:
                    self._release(entries[index:])
                    break
                outcome = self._process(entry, report)
                if outcome is not None:
                    done.append((entry, *outcome))
        finally:
            self._record(done, report)

    def _release(self, entries: list[OutboxEntry]) -> None:
        """Stopping with claimed rows not yet sent: give them back (nothing went out)."""
        now = self.now()
        with self.store.transaction(actor=f"runner:{self.id}") as tx:
            for entry in entries:
                tx.record_retry(
                    entry, error="runner stopped before sending", next_attempt_at=now, now=now
                )

    def _is_alive(self, runner_id: str | None, claimed_at: datetime | None) -> bool:
        """Whether the claimant of a ``sending`` row may still be working on it.

        A registered runner is alive while its liveness lock is held and it has not stopped.
        A claimant that never registered (a tool using ``claim_due`` directly) cannot be
        checked: its rows are left alone until ``unregistered_grace`` after the claim."""
        if runner_id is None:
            return False
        if runner_id in self._alive:
            return self._alive[runner_id]
        with self.store.read() as tx:
            found = tx.runner(runner_id)
        if found is None:
            alive = claimed_at is not None and self.now() - claimed_at < self.unregistered_grace
        else:
            record, lock_key = found
            alive = record.stopped_at is None and self.store.runner_alive(lock_key)
        self._alive[runner_id] = alive
        return alive

    def _orphans(self, now: datetime, report: RunReport) -> list[OutboxEntry]:
        with self.store.read() as tx:
            in_flight = tx.in_flight(exclude_runner=self.id)
        mine: list[OutboxEntry] = []
        dead: set[str] = set()
        for entry in in_flight:
            if self._is_alive(entry.claimed_by, entry.claimed_at):
                continue
            with self.store.transaction(actor=f"runner:{self.id}") as tx:
                taken = tx.take_over(entry, self.id, now=now)
            if taken is not None:
                _log.info(
                    "runner %s: took over %s from %s", self.id, entry.publish_key, entry.claimed_by
                )
                report.taken_over += 1
                mine.append(taken)
                if entry.claimed_by:
                    dead.add(entry.claimed_by)
        if dead:
            with self.store.transaction(actor=f"runner:{self.id}") as tx:
                for runner_id in dead:
                    tx.release_metric_jobs(runner_id)
        return mine

    # -- publishing ------------------------------------------------------------------------------
    def _client(self, brand_id: str, channel: str) -> PublishingClient:
        key = (brand_id, channel)
        if key not in self._clients:
            self._clients[key] = self.clients(brand_id, channel)
        return self._clients[key]

    def _process(self, entry: OutboxEntry, report: RunReport) -> tuple[PublishedPost, bool] | None:
        """Publish one claimed row (or find it): ``(post, reconciled)``, or ``None`` when it
        failed or was put back for later (recorded at once)."""
        from smmkit.platforms import Capability, PostMarker

        try:
            client = self._client(entry.brand_id, entry.channel)
            variant = entry.variant()
            post: PublishedPost | None = None
            reconciled = False
            if entry.attempts > 1:
                # An earlier attempt may have reached the network: look before sending again.
                if not client.supports(Capability.FIND_POST):
                    self._fail(
                        entry,
                        OutboxState.FAILED,
                        StoreError(
                            f"outbox {entry.publish_key}: an earlier attempt may have published "
                            f"it and {entry.channel} cannot look posts up.",
                            hint="check the channel by hand, then retry or cancel the row.",
                        ),
                        report,
                    )
                    return None
                post = client.find_post(PostMarker.for_variant(variant))
                reconciled = post is not None
            if post is None:
                post = client.publish(variant)
                reconciled = post.reconciled
        except _REAUTH as exc:
            self._fail(entry, OutboxState.NEEDS_REAUTH, exc, report)
            return None
        except PlatformError as exc:
            if exc.retryable and entry.tries < self.backoff.max_tries:
                hint = exc.retry_after if isinstance(exc, RateLimitedError) else None
                self._retry(entry, exc, self.backoff.delay(entry.tries, hint), report)
            else:
                self._fail(entry, OutboxState.FAILED, exc, report)
            return None
        except SmmkitError as exc:  # refused content, unsupported, bad payload: a person fixes it
            self._fail(entry, OutboxState.FAILED, exc, report)
            return None
        except Exception as exc:  # a bug or an unexpected failure: retry later, then give up
            _log.exception("runner %s: unexpected error on %s", self.id, entry.publish_key)
            if entry.tries < self.backoff.max_tries:
                self._retry(entry, exc, self.backoff.delay(entry.tries), report)
            else:
                self._fail(entry, OutboxState.FAILED, exc, report)
            return None
        return post, reconciled

    def _record(
        self, done: list[tuple[OutboxEntry, PublishedPost, bool]], report: RunReport
    ) -> None:
        if not done:
            return
        from smmkit.store import PublishOutcome

        with self.store.transaction(actor=f"runner:{self.id}") as tx:
            recorded = tx.record_published_many(
                [
                    PublishOutcome(
                        entry=entry,
                        platform=str(post.platform),
                        post_id=post.post_id,
                        url=post.url,
                        published_at=post.published_at,
                        reconciled=reconciled,
                        scheduled=post.scheduled,
                    )
                    for entry, post, reconciled in done
                ],
                now=self.now(),
                metric_ages=self.metric_ages if self.collect_metrics else (),
            )
        for (entry, post, reconciled), ok in zip(done, recorded, strict=True):
            if not ok:
                report.errors.append(f"{entry.publish_key}: row was no longer ours")
                continue
            if reconciled:
                report.reconciled += 1
            else:
                report.published += 1
            self._hook(self.hooks.published, entry, post)

    def _retry(
        self, entry: OutboxEntry, error: BaseException, delay: timedelta, report: RunReport
    ) -> None:
        now = self.now()
        with self.store.transaction(actor=f"runner:{self.id}") as tx:
            tx.record_retry(entry, error=_safe(error), next_attempt_at=now + delay, now=now)
        report.retried += 1
        _log.info(
            "runner %s: %s retries in %s (%s)",
            self.id,
            entry.publish_key,
            delay,
            type(error).__name__,
        )

    def _fail(
        self, entry: OutboxEntry, state: OutboxState, error: BaseException, report: RunReport
    ) -> None:
        now = self.now()
        with self.store.transaction(actor=f"runner:{self.id}") as tx:
            done = tx.record_failure(entry, state=state, error=_safe(error), now=now)
        if not done:
            return
        if state is OutboxState.NEEDS_REAUTH:
            report.needs_reauth += 1
            self._hook(self.hooks.needs_reauth, entry, error)
        else:
            report.failed += 1
            self._hook(self.hooks.failed, entry, error)
        _log.warning(
            "runner %s: %s is %s: %s", self.id, entry.publish_key, state.value, _safe(error)
        )

    def _hook(
        self, hook: Callable[[OutboxEntry, Any], None] | None, entry: OutboxEntry, arg: Any
    ) -> None:
        if hook is None:
            return
        try:
            hook(entry, arg)
        except Exception:
            _log.exception("runner %s: a hook failed on %s", self.id, entry.publish_key)

    # -- metrics ---------------------------------------------------------------------------------
    def _metrics(self, report: RunReport) -> None:
        now = self.now()
        if self.account_metrics:
            day = now.date().isoformat()
            if day != self._account_day:
                start = datetime(now.year, now.month, now.day, tzinfo=UTC)
                with self.store.transaction(actor=f"runner:{self.id}") as tx:
                    for brand_id, channel in tx.channel_keys():
                        tx.schedule_metric_job(
                            MetricJobKind.ACCOUNT,
                            brand_id=brand_id,
                            channel=channel,
                            label=day,
                            due_at=start,
                        )
                self._account_day = day
        while not self.stopping:
            with self.store.transaction(actor=f"runner:{self.id}") as tx:
                jobs = tx.claim_metric_jobs(self.id, now=self.now(), limit=self.batch)
            if not jobs:
                return
            for job in jobs:
                self._collect(job, report)

    def _collect(self, job: MetricJob, report: RunReport) -> None:
        from smmkit.errors import NotFoundError, UnsupportedCapability

        try:
            client = self._client(job.brand_id, job.channel)
            if job.kind is MetricJobKind.POST:
                post_metrics = client.get_post_metrics(job.post_id or "")
                account = None
            else:
                post_metrics = None
                account = client.get_account_metrics()
        except (NotFoundError, UnsupportedCapability, *_REAUTH) as exc:
            self._metric_done(job, report, error=exc)
            return
        except Exception as exc:
            retry = job.attempts < self.backoff.max_tries
            delay = self.backoff.delay(job.attempts)
            self._metric_done(
                job, report, error=exc, retry_at=self.now() + delay if retry else None
            )
            return
        now = self.now()
        with self.store.transaction(actor=f"runner:{self.id}") as tx:
            if post_metrics is not None:
                tx.add_post_metrics(job.brand_id, post_metrics)
            if account is not None:
                tx.add_account_metrics(job.brand_id, account)
            tx.finish_metric_job(job, now=now)
        report.metrics += 1

    def _metric_done(
        self,
        job: MetricJob,
        report: RunReport,
        *,
        error: BaseException,
        retry_at: datetime | None = None,
    ) -> None:
        with self.store.transaction(actor=f"runner:{self.id}") as tx:
            tx.finish_metric_job(job, now=self.now(), error=_safe(error), retry_at=retry_at)
        if retry_at is None:
            report.metric_failures += 1
        _log.info("runner %s: metrics %s/%s: %s", self.id, job.channel, job.label, _safe(error))


def _safe(error: BaseException) -> str:
    """An error's text for the store and logs, with registered secrets redacted."""
    text = f"{type(error).__name__}: {error}"
    try:
        from smmkit.platforms._redact import redact

        return redact(text)
    except ImportError:  # pragma: no cover - platforms is part of smmkit
        return text
