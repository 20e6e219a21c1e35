"""The moderation hook hears of each done action at least once: its notification is queued in the
transaction that finishes the action and marked delivered after the hook returns, so a run that
dies in between (here: a hook that raises, before or after it took the action in) leaves it
queued, and the next live run delivers it again with the same ``action_id``. On SQLite and on
PostgreSQL (the ``ws`` fixture), on the sandbox."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from smmkit.platforms.sandbox import SandboxNetwork
from smmkit.workspace import ActionOutcome, ModeratedAction, Workspace


class Crash(Exception):
    """What the hook raises to stand for the process dying at that point."""


def _done_ids(ws: Workspace) -> set[int]:
    with ws.store.read() as tx:
        return {a.id for a in tx.actions(ws.brand_id(), state="done")}


def _pending(ws: Workspace) -> list[int]:
    with ws.store.read() as tx:
        return [n.action_id for n in tx.pending_notifications(ws.brand_id())]


def test_each_done_action_is_notified_once_and_reruns_notify_nothing(ws: Workspace) -> None:
    seen: list[ModeratedAction] = []
    run = ws.moderate(dry_run=False, on_action=seen.append)
    done = [a for a in run.actions if a.outcome is ActionOutcome.DONE]
    assert done, "the sandbox's inbox should give done actions"
    assert seen == done
    assert {a.action_id for a in seen} == _done_ids(ws)
    assert _pending(ws) == []
    again: list[ModeratedAction] = []
    ws.moderate(dry_run=False, on_action=again.append)
    assert again == []


def test_a_run_without_a_hook_queues_no_notification(ws: Workspace) -> None:
    run = ws.moderate(dry_run=False)
    assert run.count("done")
    later: list[ModeratedAction] = []
    ws.moderate(dry_run=False, on_action=later.append)
    assert later == [] and _pending(ws) == []


@pytest.mark.parametrize("took_it", [False, True], ids=["before-the-hook", "after-the-hook"])
@pytest.mark.parametrize("crash_at", [1, 3])
def test_a_notification_cut_short_by_a_crash_is_delivered_again(
    ws: Workspace, crash_at: int, took_it: bool
) -> None:
    """The hook raises at its ``crash_at``-th call, having taken the action in (``took_it``: the
    crash came after the hook, before the mark) or not (before the hook ran): the first run
    stops there; the next one delivers what was not marked, then goes on."""
    received: list[ModeratedAction] = []
    calls = 0

    def crashing(item: ModeratedAction) -> None:
        nonlocal calls
        calls += 1
        if calls == crash_at:
            if took_it:
                received.append(item)
            raise Crash(item.action_id)
        received.append(item)

    with pytest.raises(Crash) as crashed:
        ws.moderate(dry_run=False, on_action=crashing)
    cut = crashed.value.args[0]
    assert _pending(ws) == [cut]  # committed with its action, not marked delivered

    ws.moderate(dry_run=False, on_action=received.append)
    ws.moderate(dry_run=False, on_action=received.append)  # nothing is left to deliver
    ids = Counter(a.action_id for a in received)
    assert set(ids) == _done_ids(ws), "a done action was never notified"
    assert ids[cut] == (2 if took_it else 1)
    assert all(n == 1 for key, n in ids.items() if key != cut)
    again = [a for a in received if a.action_id == cut]
    assert all(a == again[0] for a in again), "a redelivery differs from the first delivery"
    assert _pending(ws) == []


def test_an_action_reconciled_after_a_dead_run_is_notified(
    ws: Workspace, net: SandboxNetwork
) -> None:
    hide = next(a for a in ws.moderate().actions if a.action.value == "hide")
    brand = ws.brand_id()
    row = ws.store.plan_action(brand, hide.message_key, "hide", hide.rule)
    assert ws.store.claim_action(row.id, "dead-runner")  # died after hiding, before finishing
    net.hide_comment(hide.message_key.split(":", 1)[1])
    seen: list[ModeratedAction] = []
    run = ws.moderate(dry_run=False, on_action=seen.append)
    assert run.reconciled == 1
    [reconciled] = [a for a in seen if a.action_id == row.id]
    assert reconciled.outcome is ActionOutcome.RECONCILED
    assert (reconciled.message_key, reconciled.action.value) == (hide.message_key, "hide")
    assert {a.action_id for a in seen} == _done_ids(ws)
    assert _pending(ws) == []


def test_a_live_run_leaves_another_live_runs_notifications_alone(ws: Workspace) -> None:
    """A queued notification whose runner is alive is its runner's to deliver."""
    seen: list[ModeratedAction] = []

    def crashing(item: ModeratedAction) -> None:
        raise Crash(item.action_id)

    with pytest.raises(Crash) as crashed:
        ws.moderate(dry_run=False, on_action=crashing)
    cut = crashed.value.args[0]
    with ws.store.read() as tx:
        [pending] = tx.pending_notifications(ws.brand_id())
    lock = ws.store.hold_runner_lock(4242)
    try:
        with ws.store.transaction() as tx:
            tx.register_runner("alive-runner", lock_key=4242, now=ws.now())
            assert tx.take_over_notification(pending.id, "alive-runner", previous=pending.runner)
        ws.moderate(dry_run=False, on_action=seen.append)
        assert cut not in {a.action_id for a in seen}
        assert _pending(ws) == [cut]
    finally:
        lock.release()
    ws.moderate(dry_run=False, on_action=seen.append)  # its runner is gone: delivered now
    assert Counter(a.action_id for a in seen)[cut] == 1
    assert _pending(ws) == []
