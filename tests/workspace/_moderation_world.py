"""A sandbox world for the moderation tests: the Forno Aurora setup, posts with comments (ground
truth: genuine, question, spam, abusive), mentions, and a workspace whose inbox holds them (synced
with ``Workspace.sync_inbox``); for the crash tests, ``smmkit moderate`` run in processes killed
mid-way. The ``net`` and ``ws`` fixtures over this world are in this folder's ``conftest.py``."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from smmkit.platforms.sandbox import SandboxNetwork
from smmkit.setup import Setup, load_setup
from smmkit.store import Store
from smmkit.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
FORNO = ROOT / "examples" / "forno_aurora.toml"
T0 = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
LATER = T0 + timedelta(days=3)
MENTIONS = 2.0
"""Posts elsewhere that mention each channel, per day (some ask questions the rules answer)."""


def setup() -> Setup:
    return load_setup(FORNO)


def network(path: Path, *, posts: int = 10) -> SandboxNetwork:
    """The sandbox at ``path`` with ``posts`` posts per channel (made once), its clock at LATER."""
    net = SandboxNetwork.from_setup(setup(), path=path, start=T0, mentions_per_day=MENTIONS)
    for channel in net.channel_keys():
        if net.posts(channel):
            continue
        for n in range(posts):
            net.create_post(
                channel,
                text=f"Il pane di oggi, numero {n} #pane",
                publish_key=f"moderation-{channel}-{n:03d}",
                published_at=T0 + timedelta(hours=5 * n),
            )
    if net.now() < LATER:
        net.set_time(LATER)
    return net


def labels(net: SandboxNetwork) -> dict[str, str]:
    """Ground truth: comment id → genuine, question, spam, abusive (or brand)."""
    return {
        c.comment_id: c.label or ""
        for channel in net.channel_keys()
        for post in net.posts(channel)
        for c in net.comments(post)
    }


def fill_inbox(ws: Workspace, net: SandboxNetwork) -> int:
    """Sync the sandbox's inbox (comments, mentions, the brand's replies) into the workspace,
    classified; how many messages it holds."""
    ws.sync_inbox(now=net.now())
    with ws.store.read() as tx:
        return len(tx.messages(ws.brand_id()))


def open_workspace(target: str | Path, net: SandboxNetwork) -> Workspace:
    ws = Workspace.open(target, clock=net.now, sandbox=net, actor="moderator")
    if not ws.brands():
        ws.import_setup(setup())
    return ws


# -- the crash tests: ``smmkit moderate`` in processes killed mid-way ---------------------------

POSTS = int(os.environ.get("SMMKIT_MODERATION_CRASH_POSTS", "40"))
"""Posts per channel in the crash tests' sandbox."""
KILLS = int(os.environ.get("SMMKIT_MODERATION_CRASH_KILLS", "4"))
"""How many times the crash tests kill a live run."""


def command(workspace: str | Path, sandbox: Path, *extra: str) -> list[str]:
    """``smmkit moderate`` on ``workspace`` and the sandbox at ``sandbox``, at LATER, as JSON."""
    return [
        sys.executable,
        "-m",
        "smmkit.cli",
        "moderate",
        "--now",
        LATER.isoformat(),
        "--sandbox",
        str(sandbox),
        "-w",
        str(workspace),
        "--json",
        *extra,
    ]


def settled(store: Store) -> int:
    """How many action rows are done or failed."""
    with store.read() as tx:
        return sum(1 for a in tx.actions() if a.state.value in ("done", "failed"))


def spawn(workspace: str, sandbox: Path, log: Path) -> subprocess.Popen[bytes]:
    """A live ``smmkit moderate --apply`` in the background, its errors appended to ``log``."""
    with log.open("ab") as err:
        return subprocess.Popen(
            command(workspace, sandbox, "--apply"), stdout=subprocess.DEVNULL, stderr=err
        )


def kill_midway(
    workspace: str,
    sandbox: Path,
    log: Path,
    store: Store,
    *,
    runners: int,
    seed: int,
    start: Callable[[], subprocess.Popen[bytes]] | None = None,
) -> int:
    """Run ``runners`` live processes at once (``start``, default ``smmkit moderate --apply``);
    up to KILLS times, SIGKILL one of them once a few more actions have settled (at a random
    moment after that) and start another; then wait for all to finish cleanly. Returns how many
    kills happened (fewer when the work ended first)."""
    rng = random.Random(seed)
    kills = 0
    if start is None:

        def start() -> subprocess.Popen[bytes]:
            return spawn(workspace, sandbox, log)

    procs = [start() for _ in range(runners)]
    try:
        while kills < KILLS:
            victim = rng.randrange(runners)
            mark = settled(store)
            deadline = time.monotonic() + 120
            while (
                settled(store) <= mark + 2
                and procs[victim].poll() is None
                and time.monotonic() < deadline
            ):
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.05))
            if procs[victim].poll() is not None:
                assert procs[victim].returncode == 0, log.read_text(errors="replace")[-3000:]
                break  # the work is done before the kills are
            procs[victim].send_signal(signal.SIGKILL)
            procs[victim].wait()
            kills += 1
            procs[victim] = start()
        for proc in procs:
            proc.wait(timeout=600)
            assert proc.returncode == 0, log.read_text(errors="replace")[-3000:]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return kills


def rerun_outcomes(workspace: str, sandbox: Path) -> Counter[str]:
    """One more live run, to its end: how many of its actions had each outcome."""
    again = subprocess.run(
        command(workspace, sandbox, "--apply"),
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return Counter(a["outcome"] for a in json.loads(again.stdout)["actions"])
