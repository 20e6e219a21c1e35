"""A runner stops cleanly on SIGTERM: it finishes, unregisters and exits 0."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _world import T0, fill, network

from smmkit.store import OutboxState, open_store

WORKER = Path(__file__).resolve().parent / "crash_worker.py"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_runner_stops_cleanly_on_a_signal(tmp_path: Path, sig: signal.Signals) -> None:
    store_path = tmp_path / "store.db"
    store = open_store(store_path)
    fill(store, 20)
    network(tmp_path / "sandbox.db").close()
    now = (T0 + timedelta(minutes=1)).isoformat()
    proc = subprocess.Popen(
        [
            sys.executable,
            str(WORKER),
            str(store_path),
            str(tmp_path / "sandbox.db"),
            now,
            "forever",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Wait (bounded) until it has published everything and is polling; then signal it.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            with store.read() as tx:
                if tx.outbox_counts()[OutboxState.PUBLISHED] == 20:
                    break
            time.sleep(0.05)
        assert proc.poll() is None, "the runner exited before the signal"
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert f"stopped_by={sig.name}" in out
    with store.read() as tx:
        [started, stopped] = [c.action for c in tx.changes(entity="runner")]
        runners = {c.entity_id for c in tx.changes(entity="runner")}
        [runner_id] = runners
        record = tx.runner(runner_id)
    store.close()
    assert (started, stopped) == ("started", "stopped")
    assert record is not None
    assert record[0].stopped_at is not None
    assert not (tmp_path / "store.db.runners" / f"{record[1]}.lock").exists()
