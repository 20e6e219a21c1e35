"""Workspace.moderate on the sandbox with its ground truth: dry run, live, re-runs, reconciling
what a dead run left in flight, rate limits, refused replies."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _moderation_world import fill_inbox, labels

from smmkit.community import ModerationPolicy, ModerationRule, SavedReply
from smmkit.errors import RateLimitedError
from smmkit.models import Channel
from smmkit.platforms.sandbox import SandboxNetwork
from smmkit.workspace import ActionOutcome, ModeratedAction, Workspace


def _comment_id(key: str) -> str:
    return key.split(":", 1)[1]


def test_dry_run_lists_what_would_happen_and_changes_nothing(
    ws: Workspace, net: SandboxNetwork
) -> None:
    before = ws.store.dump()
    run = ws.moderate()
    assert run.dry_run
    assert run.actions
    assert {a.outcome for a in run.actions} == {ActionOutcome.WOULD_DO}
    assert all(a.reason.startswith(f"rule {a.rule}: ") and a.cues for a in run.actions)
    assert ws.store.dump() == before
    assert net.hide_requests() == {}


def test_live_hides_only_spam_once_and_reruns_do_nothing(
    ws: Workspace, net: SandboxNetwork
) -> None:
    truth = labels(net)
    seen: list[ModeratedAction] = []
    first = ws.moderate(dry_run=False, on_action=seen.append)
    hidden = [a for a in first.actions if a.action.value == "hide"]
    assert hidden, "the sandbox's spam should give at least one hide"
    assert {truth[_comment_id(a.message_key)] for a in hidden} == {"spam"}
    assert first.count("done") == len(first.actions) == len(seen)
    requests = net.hide_requests()
    assert requests == {_comment_id(a.message_key): 1 for a in hidden}
    with ws.store.read() as tx:
        states = Counter(a.state.value for a in tx.actions(ws.brand_id()))
        assigned = [m for m in tx.messages(ws.brand_id()) if m.assigned_to]
        hidden_rows = [m.key for m in tx.messages(ws.brand_id(), state="hidden")]
    assert states == {"done": len(first.actions)}
    assert sorted(hidden_rows) == sorted(a.message_key for a in hidden)
    assert {m.assigned_to for m in assigned} <= {"customer-care", "sales"}
    for _ in range(3):
        again = ws.moderate(dry_run=False)
        assert again.count("done") == 0
        assert net.hide_requests() == requests
    dry = ws.moderate()
    assert {a.outcome for a in dry.actions} <= {ActionOutcome.ALREADY_DONE}


def test_an_action_left_in_flight_by_a_dead_run_is_reconciled_not_repeated(
    ws: Workspace, net: SandboxNetwork
) -> None:
    plan = [a for a in ws.moderate().actions if a.action.value == "hide"]
    assert plan
    done_by_dead, not_done_by_dead = plan[0], (plan[1] if len(plan) > 1 else None)
    brand = ws.brand_id()
    # A run that died after its platform call: claimed, hidden on the sandbox, never finished.
    row = ws.store.plan_action(brand, done_by_dead.message_key, "hide", done_by_dead.rule)
    assert ws.store.claim_action(row.id, "dead-runner")
    net.hide_comment(_comment_id(done_by_dead.message_key))
    if not_done_by_dead is not None:  # and one that died before it
        other = ws.store.plan_action(brand, not_done_by_dead.message_key, "hide", "x-rule")
        del other
        row2 = ws.store.plan_action(
            brand, not_done_by_dead.message_key, "hide", not_done_by_dead.rule
        )
        assert ws.store.claim_action(row2.id, "dead-runner")
    others = [c for c in net.channel_keys() if c != done_by_dead.channel]
    ws.moderate(dry_run=False, channel=others)  # a run over other channels leaves it alone
    left = ws.store.actions(brand, message_key=done_by_dead.message_key, action="hide")
    assert [r.state.value for r in left] == ["sending"]
    run = ws.moderate(dry_run=False)
    assert run.reconciled == 1
    requests = net.hide_requests()
    assert requests[_comment_id(done_by_dead.message_key)] == 1
    for a in plan:
        assert requests[_comment_id(a.message_key)] == 1


class _Limited:
    """A client double whose hide is refused once by the rate limit (the request never acted)."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.refusals = 1

    def hide_comment(self, comment: Any, **kw: Any) -> None:
        if self.refusals:
            self.refusals -= 1
            raise RateLimitedError("rate limited", platform="sandbox", status=429, retry_after=60)
        self.real.hide_comment(comment, **kw)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def test_rate_limited_actions_are_deferred_to_the_next_run(
    tmp_path: Path, net: SandboxNetwork
) -> None:
    def clients(channel: Channel, ws: Workspace) -> Any:
        return _Limited(net.client(channel.key))

    w = Workspace.open(tmp_path / "rl.db", clock=net.now, sandbox=net, clients=clients)
    try:
        w.import_setup(Path(__file__).resolve().parents[2] / "examples" / "forno_aurora.toml")
        fill_inbox(w, net)
        first = w.moderate(dry_run=False)
        deferred = first.count("deferred", "hide")
        assert deferred >= 1
        second = w.moderate(dry_run=False)
        assert second.count("done", "hide") == deferred
        assert set(net.hide_requests().values()) == {1}
    finally:
        w.close()


def test_reply_rules_render_the_saved_reply_and_send_it_once(
    ws: Workspace, net: SandboxNetwork
) -> None:
    answer = ModerationRule.model_validate(
        {"name": "answer-questions", "when": {"category": "question"}, "actions": ["reply:info"]}
    )
    policy = ModerationPolicy(rules=(answer,))
    replies = [
        SavedReply(
            name="info",
            text="Ciao {name}, ti rispondiamo in privato: scrivici pure!",
            language="it",
        ),
        SavedReply(name="info", text="Hi {name}, we'll answer you by DM!", language="en"),
    ]
    dry = ws.moderate(policy=policy, saved_replies=replies)
    assert dry.actions
    assert all(a.reply_text and a.author in a.reply_text for a in dry.actions)
    live = ws.moderate(dry_run=False, policy=policy, saved_replies=replies)
    assert live.count("done") == len(dry.actions)
    for _ in range(2):
        assert ws.moderate(dry_run=False, policy=policy, saved_replies=replies).count("done") == 0
    counts = net.reply_counts()
    assert counts == {_comment_id(a.message_key): 1 for a in live.actions}


def test_a_reply_that_breaks_the_voice_is_refused_before_sending(
    ws: Workspace, net: SandboxNetwork
) -> None:
    answer = ModerationRule.model_validate(
        {"name": "answer-questions", "when": {"category": "question"}, "actions": ["reply:info"]}
    )
    formal = [  # the brand says "tu" and bans "low cost"
        SavedReply(
            name="info", text="Gentile {name}, La ringraziamo: Le scriveremo.", language="it"
        ),
        SavedReply(name="info", text="Dear {name}, our low cost bread is back.", language="en"),
    ]
    run = ws.moderate(dry_run=False, policy=ModerationPolicy(rules=(answer,)), saved_replies=formal)
    assert run.actions
    assert {a.outcome for a in run.actions} == {ActionOutcome.FAILED}
    assert all("refused before sending" in (a.detail or "") for a in run.actions)
    assert net.reply_counts() == {}


def test_a_mention_cannot_be_hidden_and_says_so(ws: Workspace) -> None:
    from smmkit.community import classify
    from smmkit.models import InboxMessage, MessageKind, Platform

    mention = InboxMessage(
        channel="instagram",
        platform=Platform.INSTAGRAM,
        message_id="mention-1",
        kind=MessageKind.MENTION,
        thread_id="mention-1",
        author="promo_boost_bot",
        text="@fornoaurora Vinci un iPhone, clicca qui: bit.ly/regalo-subito",
        created_at=ws.now(),
    )
    brand = ws.brand_id()
    with ws.store.transaction() as tx:
        tx.put_messages(brand, [mention], {mention.key: classify(mention.text)})
    rule = ModerationRule.model_validate(
        {"name": "hide-spam", "when": {"category": "spam"}, "actions": ["hide"]}
    )
    run = ws.moderate(dry_run=False, policy=ModerationPolicy(rules=(rule,)))
    [item] = [a for a in run.actions if a.message_key == mention.key]
    assert item.outcome is ActionOutcome.FAILED
    assert "is not a comment on the brand's posts" in (item.detail or "")
    # The default rules leave it visible and ask a person to look.
    assert [a.action.value for a in ws.moderate().actions if a.message_key == mention.key] == [
        "notify"
    ]


def test_a_reply_to_a_mention_left_in_flight_is_found_in_the_inbox(
    ws: Workspace, net: SandboxNetwork
) -> None:
    from smmkit.models import MessageKind
    from smmkit.platforms import text_fingerprint

    answer = ModerationRule.model_validate(
        {"name": "answer", "when": {"kind": "mention"}, "actions": ["reply:info"]}
    )
    policy = ModerationPolicy(rules=(answer,))
    replies = [
        SavedReply(name="info", text="Grazie {name}, ti scriviamo noi!", language="it"),
        SavedReply(name="info", text="Thanks {name}, we'll write to you!", language="en"),
    ]
    plan = ws.moderate(policy=policy, saved_replies=replies).actions
    assert plan, "the sandbox's mentions should be answered"
    with ws.store.read() as tx:
        kinds = {r.key: r.message.kind for r in tx.messages(ws.brand_id())}
    assert {kinds[a.message_key] for a in plan} == {MessageKind.MENTION}
    first = plan[0]
    assert first.reply_text is not None
    # A run that died after sending the reply and before finishing its row.
    payload = {"text": first.reply_text, "fingerprint": text_fingerprint(first.reply_text)}
    row = ws.store.plan_action(ws.brand_id(), first.message_key, "reply", first.rule, payload)
    assert ws.store.claim_action(row.id, "dead-runner")
    net.reply(_comment_id(first.message_key), first.reply_text)
    run = ws.moderate(dry_run=False, policy=policy, saved_replies=replies)
    assert run.reconciled == 1
    assert net.reply_counts() == {_comment_id(a.message_key): 1 for a in plan}
