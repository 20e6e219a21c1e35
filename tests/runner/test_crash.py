"""The crash test: runners publishing 1,000 due posts to a file-backed sandbox network are
SIGKILLed at random moments 20 times and restarted; at the end every post exists exactly once on
the sandbox and every outbox row is ``published``. With 1, 2 and 4 runners in parallel on one
SQLite store, and on PostgreSQL.

The sandbox here does not deduplicate (``dedupe=False``): exactly-once rests on the runner's
outbox, claims and reconciliation alone. Kills land while a runner is publishing (after it has
made progress since its start) plus a random delay; the clock the runners see is fixed, so the
outcome never depends on the date or on timing luck — only which rows need reconciling does.
On a machine fast enough to publish everything before the 20th kill, 50 more posts come due
each time the outbox empties, so all 20 kills land while work remains.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _world import T0, fill, network, post_counts

from smmkit.store import OutboxState, Store, open_store

WORKER = Path(__file__).resolve().parent / "crash_worker.py"
POSTS = int(os.environ.get("SMMKIT_CRASH_POSTS", "1000"))
KILLS = int(os.environ.get("SMMKIT_CRASH_KILLS", "20"))
TOP_UP = 50
NOW = (T0 + timedelta(minutes=1)).isoformat()
LATER = (T0 + timedelta(days=1)).isoformat()

pytestmark = pytest.mark.slow


def _published(store: Store) -> int:
    with store.read() as tx:
        return tx.outbox_counts()[OutboxState.PUBLISHED]


class Worker(subprocess.Popen[bytes]):
    """A runner process and the file its stderr goes to."""

    log: Path


class Workers:
    """Runner processes; each writes its stderr to a log file (shown if it fails)."""

    def __init__(self, store_target: str, sandbox: Path) -> None:
        self.args = [sys.executable, str(WORKER), store_target, str(sandbox), NOW]
        self.logs = sandbox.parent / "worker-logs"
        self.logs.mkdir(exist_ok=True)
        self.count = 0

    def spawn(self, now: str = NOW) -> Worker:
        self.count += 1
        log = self.logs / f"{self.count}.log"
        with log.open("wb") as err:
            proc = Worker([*self.args[:-1], now], stdout=subprocess.DEVNULL, stderr=err)
        proc.log = log
        return proc

    @staticmethod
    def check(proc: Worker) -> None:
        assert proc.returncode == 0, proc.log.read_text(errors="replace")[-3000:]


def crash_run(store_target: str, sandbox: Path, *, runners: int, seed: int) -> dict[str, int]:
    store = open_store(store_target)
    variants = fill(store, POSTS)
    network(sandbox).close()
    rng = random.Random(seed)
    started = time.monotonic()
    workers = Workers(store_target, sandbox)
    procs = [workers.spawn() for _ in range(runners)]
    marks = [0] * runners
    kills = 0
    try:
        while kills < KILLS:
            done = _published(store)
            if done >= len(variants):
                # The runners were faster than the kills (a quick machine): more posts come due,
                # so every one of the KILLS lands while work remains, whatever the speed.
                variants += fill(store, TOP_UP, first=len(variants))
            for i, proc in enumerate(
                procs
            ):  # a runner that went idle comes back while work remains
                if proc.poll() is not None:
                    workers.check(proc)
                    procs[i], marks[i] = workers.spawn(), done
            victim = rng.randrange(runners)
            # Wait until work is being done since the victim started, then kill at a random moment.
            deadline = time.monotonic() + 30
            while _published(store) <= marks[victim] + 3 and time.monotonic() < deadline:
                if procs[victim].poll() is not None:
                    break
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 0.15))
            if procs[victim].poll() is None:
                procs[victim].send_signal(signal.SIGKILL)
                procs[victim].wait()
                if procs[victim].returncode == -signal.SIGKILL:
                    kills += 1
                else:  # it went idle and exited just before the signal: a clean exit
                    workers.check(procs[victim])
            procs[victim], marks[victim] = workers.spawn(), _published(store)
        for proc in procs:
            proc.wait(timeout=300)
            workers.check(proc)
        # A last runner settles whatever the last killed ones left (none if they all finished).
        # It runs a day later, as a restarted service would: a row put back with a backoff
        # (a transient error while its neighbours were being killed) is due again by then.
        final = workers.spawn(LATER)
        final.wait(timeout=300)
        workers.check(final)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()

    net = network(sandbox)
    counts = post_counts(net)
    net.close()
    with store.read() as tx:
        states = {k: v for k, v in tx.outbox_counts().items() if v}
        odd = [
            (e.publish_key, e.state.value, e.attempts, e.claimed_by, e.next_attempt_at)
            for e in tx.outbox_entries()
            if counts.get(e.publish_key) != 1
        ][:5]
    assert counts == {v.publish_key: 1 for v in variants}, (
        f"a post is missing or duplicated; outbox states {states}; rows {odd}"
    )
    with store.read() as tx:
        states = {k: v for k, v in tx.outbox_counts().items() if v}
        published = tx.published()
        takeovers = sum(1 for c in tx.changes(entity="outbox") if c.action == "taken_over")
    store.close()
    assert states == {OutboxState.PUBLISHED: len(variants)}
    assert len(published) == len(variants) >= POSTS
    assert len({p.platform_post_id for p in published}) == len(variants)
    figures = {
        "runners": runners,
        "posts": len(variants),
        "kills": kills,
        "taken_over": takeovers,
        "reconciled": sum(p.reconciled for p in published),
        "processes": workers.count,
        "seconds": round(time.monotonic() - started),
    }
    print(f"crash test: {figures}")
    return figures


@pytest.mark.parametrize("runners", [1, 2, 4])
def test_crash_sqlite(tmp_path: Path, runners: int) -> None:
    figures = crash_run(
        str(tmp_path / "store.db"), tmp_path / "sandbox.db", runners=runners, seed=runners
    )
    assert figures["kills"] == KILLS


def test_crash_postgres(postgres_target: str, tmp_path: Path) -> None:
    figures = crash_run(postgres_target, tmp_path / "sandbox.db", runners=4, seed=44)
    assert figures["kills"] == KILLS
