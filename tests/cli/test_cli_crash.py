"""The crash test through the command line: ``smmkit run --until-idle`` processes publishing due
posts to a file-backed sandbox that does not deduplicate are SIGKILLed at random moments and
restarted; at the end every post exists exactly once and every outbox row is ``published``.

The clock the processes see is fixed (``--now``); which rows need reconciling depends on when the
kills land, the outcome never does.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "runner"))

from _world import T0, fill, network, post_counts

from smmkit.store import OutboxState, Store, open_store

POSTS = int(os.environ.get("SMMKIT_CLI_CRASH_POSTS", "300"))
KILLS = int(os.environ.get("SMMKIT_CLI_CRASH_KILLS", "8"))
NOW = (T0 + timedelta(minutes=1)).isoformat()

pytestmark = pytest.mark.slow


def _published(store: Store) -> int:
    with store.read() as tx:
        return tx.outbox_counts()[OutboxState.PUBLISHED]


def _spawn(workspace: Path | str, sandbox: Path, log: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "smmkit.cli",
        "run",
        "--until-idle",
        "--now",
        NOW,
        "--sandbox",
        str(sandbox),
        "--no-sandbox-dedupe",
        "-w",
        str(workspace),
        "--json",
    ]
    with log.open("ab") as err:
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)


@pytest.mark.parametrize("runners", [1, 2])
def test_cli_runners_killed_at_random_publish_each_post_once(tmp_path: Path, runners: int) -> None:
    _crash(str(tmp_path / "ws.db"), tmp_path, runners=runners)


def test_cli_runners_on_postgresql(postgres_target: str, tmp_path: Path) -> None:
    _crash(postgres_target, tmp_path, runners=2)


def _crash(workspace: str, tmp_path: Path, *, runners: int) -> None:
    sandbox, log = tmp_path / "sandbox.db", tmp_path / "cli.log"
    store = open_store(workspace)
    variants = fill(store, POSTS)
    network(sandbox).close()
    rng = random.Random(runners)
    procs = [_spawn(workspace, sandbox, log) for _ in range(runners)]
    kills = 0
    try:
        while kills < KILLS and _published(store) < POSTS:
            victim = rng.randrange(runners)
            mark = _published(store)
            deadline = time.monotonic() + 60
            while (
                _published(store) <= mark + 2
                and procs[victim].poll() is None
                and time.monotonic() < deadline
            ):
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 0.2))
            if procs[victim].poll() is None:
                procs[victim].send_signal(signal.SIGKILL)
                procs[victim].wait()
                kills += 1
            else:
                assert procs[victim].returncode == 0, log.read_text(errors="replace")[-3000:]
            procs[victim] = _spawn(workspace, sandbox, log)
        for proc in procs:
            proc.wait(timeout=600)
            assert proc.returncode == 0, log.read_text(errors="replace")[-3000:]
        final = _spawn(workspace, sandbox, log)  # settles what the last kill left, if anything
        final.wait(timeout=600)
        assert final.returncode == 0, log.read_text(errors="replace")[-3000:]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    net = network(sandbox)
    counts = post_counts(net)
    net.close()
    assert counts == {v.publish_key: 1 for v in variants}, "a post is missing or duplicated"
    with store.read() as tx:
        states = {k: v for k, v in tx.outbox_counts().items() if v}
    store.close()
    assert states == {OutboxState.PUBLISHED: POSTS}
    assert kills >= 1
