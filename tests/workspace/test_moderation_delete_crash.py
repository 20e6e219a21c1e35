"""The issue's moderation test for the ``delete`` action: on the sandbox with its ground truth,
``smmkit moderate`` with a setup whose rule deletes spam comments, as a dry run, then live in
a process SIGKILLed mid-way and restarted, then re-run three times: each comment was asked to
be deleted exactly once (a delete left in flight is reconciled by looking the comment up: gone
means done) and no genuine comment was deleted.

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
    FORNO,
    POSTS,
    command,
    fill_inbox,
    kill_midway,
    labels,
    network,
    rerun_outcomes,
    settled,
)

from smmkit.store import open_store
from smmkit.workspace import Workspace

pytestmark = pytest.mark.slow

DELETE_RULE = """
[[community.rules]]
name = "delete-spam"
description = "Spam comments are deleted."
actions = ["delete"]

[community.rules.when]
category = "spam"
kind = ["comment", "reply"]

"""


def _setup_with_delete(tmp_path: Path) -> Path:
    text = FORNO.read_text(encoding="utf-8")
    assert "include_default_rules = true" in text and '[[community.rules]]\nname = "opening-hours"'
    text = text.replace("include_default_rules = true", "include_default_rules = false")
    text = text.replace(
        '[[community.rules]]\nname = "opening-hours"',
        DELETE_RULE + '[[community.rules]]\nname = "opening-hours"',
        1,
    )
    path = tmp_path / "forno_delete.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_delete_killed_and_rerun_deletes_each_spam_comment_once(tmp_path: Path) -> None:
    workspace, sandbox, log = str(tmp_path / "ws.db"), tmp_path / "sandbox.db", tmp_path / "log"
    net = network(sandbox, posts=POSTS)
    ws = Workspace.open(workspace, clock=net.now, sandbox=net, actor="moderator")
    ws.import_setup(_setup_with_delete(tmp_path))
    fill_inbox(ws, net)
    ws.close()
    truth = labels(net)
    net.close()

    dry = subprocess.run(
        command(workspace, sandbox), capture_output=True, text=True, check=True, timeout=600
    )
    planned = {
        (a["message_key"], a["action"], a["rule"]) for a in json.loads(dry.stdout)["actions"]
    }
    deletes = {key.split(":", 1)[1] for key, action, _ in planned if action == "delete"}
    assert len(deletes) >= 3, "the sandbox's spam should give deletes"
    assert {truth[c] for c in deletes} == {"spam"}
    store = open_store(workspace)
    assert settled(store) == 0
    check = network(sandbox, posts=POSTS)
    assert check.delete_requests() == {} and check.deleted_comments() == set()
    check.close()

    kills = kill_midway(workspace, sandbox, log, store, runners=1, seed=1414)
    assert kills >= 1

    for _ in range(3):
        outcomes = rerun_outcomes(workspace, sandbox)
        assert set(outcomes) <= {"already_done"}, outcomes

    with store.read() as tx:
        rows = tx.actions()
    store.close()
    assert {(r.message_key, r.action, r.rule) for r in rows} == planned
    assert Counter(r.state.value for r in rows) == {"done": len(planned)}
    net = network(sandbox, posts=POSTS)
    requests, deleted = net.delete_requests(), net.deleted_comments()
    net.close()
    assert requests == dict.fromkeys(deletes, 1), "a delete is missing or repeated"
    assert deleted == deletes
    assert {truth[c] for c in deleted} == {"spam"}, "a genuine comment was deleted"
