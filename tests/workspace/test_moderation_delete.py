"""The ``delete`` action of Workspace.moderate on the sandbox, with its ground truth: a dry run
changes nothing, a live run deletes each spam comment once however often it is re-run, a delete
left in flight by a dead run is reconciled (gone means done), a genuine comment is never
deleted, and a client that cannot delete says so."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _moderation_world import FORNO, fill_inbox, labels

from smmkit.community import ModerationPolicy, ModerationRule
from smmkit.models import Channel
from smmkit.platforms import Capability
from smmkit.platforms.sandbox import SandboxNetwork
from smmkit.workspace import ActionOutcome, Workspace

DELETE_SPAM = ModerationPolicy(
    rules=(
        ModerationRule.model_validate(
            {
                "name": "delete-spam",
                "when": {"category": "spam", "kind": ["comment", "reply"]},
                "actions": ["delete"],
            }
        ),
    )
)


def _comment_id(key: str) -> str:
    return key.split(":", 1)[1]


def test_delete_rule_deletes_each_spam_comment_once_across_reruns(
    ws: Workspace, net: SandboxNetwork
) -> None:
    truth = labels(net)  # before anything is deleted
    before = ws.store.dump()
    dry = ws.moderate(policy=DELETE_SPAM)
    planned = [a for a in dry.actions if a.action.value == "delete"]
    assert planned, "the sandbox's spam should give at least one delete"
    assert {a.outcome for a in dry.actions} == {ActionOutcome.WOULD_DO}
    assert ws.store.dump() == before and net.delete_requests() == {}
    assert net.deleted_comments() == set()

    first = ws.moderate(dry_run=False, policy=DELETE_SPAM)
    deleted = [a for a in first.actions if a.action.value == "delete"]
    assert sorted(a.message_key for a in deleted) == sorted(a.message_key for a in planned)
    assert first.count("done", "delete") == len(deleted)
    requests = net.delete_requests()
    assert requests == {_comment_id(a.message_key): 1 for a in deleted}
    assert net.deleted_comments() == set(requests)
    assert {truth[c] for c in net.deleted_comments()} == {"spam"}  # no customer deleted
    with ws.store.read() as tx:
        hidden_rows = {m.key for m in tx.messages(ws.brand_id(), state="hidden")}
    assert {a.message_key for a in deleted} <= hidden_rows
    for _ in range(3):
        again = ws.moderate(dry_run=False, policy=DELETE_SPAM)
        assert again.count("done") == 0
        assert net.delete_requests() == requests
    fill_inbox(ws, net)  # a fresh pull does not bring the deleted comments back to act on
    assert ws.moderate(dry_run=False, policy=DELETE_SPAM).count("done") == 0
    assert net.delete_requests() == requests


def test_a_delete_left_in_flight_by_a_dead_run_is_reconciled_not_repeated(
    ws: Workspace, net: SandboxNetwork
) -> None:
    plan = [a for a in ws.moderate(policy=DELETE_SPAM).actions if a.action.value == "delete"]
    assert len(plan) >= 2, "the sandbox's spam should give two deletes"
    done_by_dead, not_done_by_dead = plan[0], plan[1]
    brand = ws.brand_id()
    # A run that died after its platform call: claimed, deleted on the sandbox, never finished;
    # and one that died before its call.
    row = ws.store.plan_action(brand, done_by_dead.message_key, "delete", done_by_dead.rule)
    assert ws.store.claim_action(row.id, "dead-runner")
    assert net.delete_comment(_comment_id(done_by_dead.message_key))
    row2 = ws.store.plan_action(brand, not_done_by_dead.message_key, "delete", "delete-spam")
    assert ws.store.claim_action(row2.id, "dead-runner")

    run = ws.moderate(dry_run=False, policy=DELETE_SPAM)
    assert run.reconciled == 1
    requests = net.delete_requests()
    assert requests == {_comment_id(a.message_key): 1 for a in plan}
    with ws.store.read() as tx:
        states = {a.message_key: a.state.value for a in tx.actions(brand)}
    assert {states[a.message_key] for a in plan} == {"done"}


class _CannotDelete:
    """A sandbox client that does not declare Capability.DELETE_COMMENTS (as Mastodon's and
    Bluesky's, which cannot delete other people's posts)."""

    def __init__(self, real: Any) -> None:
        self.real = real

    def supports(self, capability: Capability) -> bool:
        return capability is not Capability.DELETE_COMMENTS and bool(self.real.supports(capability))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def test_delete_where_the_client_cannot_fails_with_the_reason(
    tmp_path: Path, net: SandboxNetwork
) -> None:
    def clients(channel: Channel, ws: Workspace) -> Any:
        return _CannotDelete(net.client(channel.key))

    w = Workspace.open(tmp_path / "nd.db", clock=net.now, sandbox=net, clients=clients)
    try:
        w.import_setup(FORNO)
        fill_inbox(w, net)
        run = w.moderate(dry_run=False, policy=DELETE_SPAM)
        assert run.actions
        assert {a.outcome for a in run.actions} == {ActionOutcome.FAILED}
        assert all("cannot delete comments" in (a.detail or "") for a in run.actions)
        assert net.delete_requests() == {}
    finally:
        w.close()
