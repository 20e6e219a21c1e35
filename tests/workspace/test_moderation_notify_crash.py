"""The moderation hook under SIGKILL: live runs with a hook that writes down each notification's
``action_id``, killed mid-way and restarted, then re-run: every done action was heard at least
once (a repeat carries the same id), and nothing is left queued. On SQLite and PostgreSQL.

Where the kills land (before a commit, between a commit and the hook, between the hook and the
mark) depends on timing; the outcome checked never does. The deterministic cuts are in
``test_moderation_notify.py``.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _moderation_world import POSTS, fill_inbox, kill_midway, network, open_workspace

from smmkit.store import open_store

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent


def test_notifications_survive_kills_on_sqlite(tmp_path: Path) -> None:
    _killed(str(tmp_path / "ws.db"), tmp_path)


def test_notifications_survive_kills_on_postgresql(postgres_target: str, tmp_path: Path) -> None:
    _killed(postgres_target, tmp_path)


def _killed(workspace: str, tmp_path: Path) -> None:
    sandbox, log, heard = tmp_path / "sandbox.db", tmp_path / "run.log", tmp_path / "heard"
    net = network(sandbox, posts=POSTS)
    ws = open_workspace(workspace, net)
    fill_inbox(ws, net)
    brand = ws.brand_id()
    ws.close()
    net.close()
    heard.touch()

    def start() -> subprocess.Popen[bytes]:
        with log.open("ab") as err:
            return subprocess.Popen(
                [sys.executable, str(HERE / "_notify_run.py"), workspace, str(sandbox), str(heard)],
                stdout=subprocess.DEVNULL,
                stderr=err,
            )

    store = open_store(workspace)
    kills = kill_midway(workspace, sandbox, log, store, runners=1, seed=1406, start=start)
    assert kills >= 1
    for _ in range(2):  # anything still queued is delivered by the next run; then nothing
        rerun = start()
        assert rerun.wait(timeout=600) == 0, log.read_text(errors="replace")[-3000:]

    with store.read() as tx:
        done = {a.id for a in tx.actions(state="done")}
        pending = [n.action_id for n in tx.pending_notifications(brand)]
    store.close()
    ids = Counter(int(line) for line in heard.read_text().split())
    assert done, "the sandbox's inbox should give done actions"
    assert set(ids) == done, "a done action was never heard (or one not done was)"
    assert pending == []
