"""The issue's moderation test: on the sandbox with its ground truth, ``smmkit moderate`` as a dry
run, then live in processes SIGKILLed mid-way and restarted, then re-run three times: each action
happened exactly once on the sandbox's side (each hide request, each reply of the setup's
opening-hours rule) and no genuine comment (or question, or abusive one) was hidden.

The clock is fixed (``--now``); which rows need reconciling depends on when the kills land, the
outcome never does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _moderation_world import (
    POSTS,
    command,
    fill_inbox,
    kill_midway,
    labels,
    network,
    open_workspace,
    rerun_outcomes,
    settled,
)

from smmkit.store import open_store

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("runners", [1, 2])
def test_moderation_killed_and_rerun_acts_exactly_once(tmp_path: Path, runners: int) -> None:
    _crash(str(tmp_path / "ws.db"), tmp_path, runners=runners)


def test_moderation_killed_on_postgresql(postgres_target: str, tmp_path: Path) -> None:
    _crash(postgres_target, tmp_path, runners=2)


def _crash(workspace: str, tmp_path: Path, *, runners: int) -> None:
    sandbox, log = tmp_path / "sandbox.db", tmp_path / "cli.log"
    net = network(sandbox, posts=POSTS)
    ws = open_workspace(workspace, net)
    fill_inbox(ws, net)
    ws.close()
    truth = labels(net)
    net.close()

    # 1. The dry run: what would happen and why; nothing changes.
    dry = subprocess.run(
        command(workspace, sandbox), capture_output=True, text=True, check=True, timeout=600
    )
    plan = json.loads(dry.stdout)
    assert plan["dry_run"] is True
    planned = {(a["message_key"], a["action"], a["rule"]) for a in plan["actions"]}
    hides = {key for key, action, _ in planned if action == "hide"}
    replies = {key for key, action, _ in planned if action == "reply"}
    assert hides, "the sandbox's spam should give hides"
    assert replies, "the setup's opening-hours rule should answer some questions"
    assert {truth[k.split(":", 1)[1]] for k in hides} == {"spam"}
    store = open_store(workspace)
    assert settled(store) == 0
    check = network(sandbox, posts=POSTS)
    assert check.hide_requests() == {}
    check.close()

    # 2. Live, in ``runners`` processes at once, killed mid-way and restarted.
    kills = kill_midway(workspace, sandbox, log, store, runners=runners, seed=14 + runners)
    assert kills >= 1

    # 3. Three more runs: nothing new happens.
    for _ in range(3):
        outcomes = rerun_outcomes(workspace, sandbox)
        assert set(outcomes) == {"already_done"}, outcomes

    with store.read() as tx:
        rows = tx.actions()
    store.close()
    assert {(r.message_key, r.action, r.rule) for r in rows} == planned
    assert Counter(r.state.value for r in rows) == {"done": len(planned)}
    net = network(sandbox, posts=POSTS)
    requests = net.hide_requests()
    answered = net.reply_counts()
    hidden_now = {c for c, label in labels(net).items() if label} & {
        c.comment_id
        for channel in net.channel_keys()
        for post in net.posts(channel)
        for c in net.comments(post)
        if c.hidden
    }
    net.close()
    assert requests == {k.split(":", 1)[1]: 1 for k in hides}, "a hide is missing or repeated"
    assert answered == {k.split(":", 1)[1]: 1 for k in replies}, "a reply is missing or repeated"
    assert {truth[c] for c in hidden_now} == {"spam"}, "a genuine comment was hidden"
