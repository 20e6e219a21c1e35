"""One pass over the outbox: publish what is due, exactly once (used by ``publish_due``).

The protocol is the store's (``docs/store.md``): a row is claimed (``sending``, committed) before
the request; the result is recorded in one transaction. A ``sending`` row left by a process that
died (its runner lock is free) is reconciled first: the platform is asked for the post by its
publish key (``find_post``) and only if it is not there is it sent again. The long-running loop
with SIGTERM handling, hooks and metric jobs is :mod:`smmkit.runner`'s.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from smmkit.errors import (
    AuthenticationError,
    PlatformConnectionError,
    PlatformError,
    RateLimitedError,
    ServerError,
    SmmkitError,
)

if TYPE_CHECKING:
    from smmkit.store import OutboxEntry, Store

__all__ = ["PassCounts", "publish_pass"]

_log = logging.getLogger("smmkit.workspace.publish")

METRIC_AGES = (
    ("1h", timedelta(hours=1)),
    ("24h", timedelta(hours=24)),
    ("7d", timedelta(days=7)),
)
_MAX_BACKOFF = timedelta(hours=1)


@dataclass
class PassCounts:
    published: int = 0
    reconciled: int = 0
    failed: int = 0
    retrying: int = 0
    needs_reauth: int = 0


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), _MAX_BACKOFF)


def publish_pass(
    store: Store,
    client: Callable[[str, str], Any],
    now: datetime,
    *,
    brand_id: str | None = None,
    limit: int = 10_000,
) -> PassCounts:
    """Publish every row due at ``now`` (and reconcile rows orphaned by a dead process)."""
    counts = PassCounts()
    runner_id = "ws-" + secrets.token_hex(6)
    lock_key = secrets.randbits(62)
    lock = store.hold_runner_lock(lock_key)
    try:
        with store.transaction(actor=runner_id) as tx:
            tx.register_runner(runner_id, lock_key=lock_key, now=now)

        # 1. Rows in "sending" whose runner is gone: reconcile before anything is sent again.
        with store.read() as tx:
            orphans = []
            for entry in tx.in_flight(exclude_runner=runner_id):
                owner = tx.runner(entry.claimed_by) if entry.claimed_by else None
                if owner is None or not store.runner_alive(owner[1]):
                    orphans.append(entry)
        for entry in orphans:
            with store.transaction(actor=runner_id) as tx:
                taken = tx.take_over(entry, runner_id, now=now)
            if taken is not None:
                _send(store, client, taken, now, runner_id, counts, reconcile=True)

        # 2. Due rows, claimed one at a time (another process may be claiming too).
        sent = 0
        while sent < limit:
            with store.transaction(actor=runner_id) as tx:
                claimed = tx.claim_due(runner_id, now=now, limit=1)
            if not claimed:
                break
            entry = claimed[0]
            if brand_id is not None and entry.brand_id != brand_id:
                _log.debug("publishing %s of brand %s too", entry.publish_key, entry.brand_id)
            _send(store, client, entry, now, runner_id, counts, reconcile=entry.attempts > 1)
            sent += 1
        with store.transaction(actor=runner_id) as tx:
            tx.stop_runner(runner_id, now=now)
    finally:
        lock.release()
    return counts


def _send(
    store: Store,
    client_of: Callable[[str, str], Any],
    entry: OutboxEntry,
    now: datetime,
    runner_id: str,
    counts: PassCounts,
    *,
    reconcile: bool,
) -> None:
    from smmkit.models import Variant
    from smmkit.platforms import PostMarker
    from smmkit.store import OutboxState

    variant = Variant.model_validate(entry.payload)
    try:
        client = client_of(entry.brand_id, entry.channel)
        post = None
        found = False
        if reconcile:
            post = client.find_post(PostMarker.for_variant(variant, not_before=entry.due_at))
            found = post is not None
            if found:
                counts.reconciled += 1
        if post is None:
            post = client.publish(variant)
    except AuthenticationError as exc:
        with store.transaction(actor=runner_id) as tx:
            tx.record_failure(entry, state=OutboxState.NEEDS_REAUTH, error=exc, now=now)
        counts.needs_reauth += 1
        return
    except (RateLimitedError, ServerError, PlatformConnectionError) as exc:
        # Transient: try again later; the next attempt reconciles first (attempts > 1).
        with store.transaction(actor=runner_id) as tx:
            tx.record_retry(
                entry, error=exc, next_attempt_at=now + _backoff(entry.attempts), now=now
            )
        counts.retrying += 1
        return
    except (PlatformError, SmmkitError) as exc:
        with store.transaction(actor=runner_id) as tx:
            tx.record_failure(entry, state=OutboxState.FAILED, error=exc, now=now)
        counts.failed += 1
        return
    with store.transaction(actor=runner_id) as tx:
        tx.record_published(
            entry,
            platform=str(post.platform),
            post_id=post.post_id,
            url=post.url,
            published_at=post.published_at,
            reconciled=found or bool(post.reconciled),
            now=now,
            metric_ages=METRIC_AGES,
        )
    counts.published += 1
