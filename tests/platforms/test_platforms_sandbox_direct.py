"""The sandbox's direct messages (``directs_per_day``): seeded, private, with ground truth; a
reply to one is accepted only when private (what the clients send for a private message), and
a direct message cannot be hidden. Through the workspace: moderation never hides one, and a
reply to one goes out privately, once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from smmkit.community import ModerationPolicy, ModerationRule
from smmkit.errors import SmmkitError, ValidationError
from smmkit.models import MessageKind
from smmkit.platforms import Comment
from smmkit.platforms.sandbox import SandboxNetwork, sandbox_channel
from smmkit.setup import load_setup
from smmkit.workspace import ActionOutcome, Workspace

START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
FORNO = Path(__file__).resolve().parents[2] / "examples" / "forno_aurora.toml"


def _network(directs: float | None) -> SandboxNetwork:
    network = SandboxNetwork(seed=5, start=START, mentions_per_day=2.0, directs_per_day=directs)
    network.add_channel(sandbox_channel("ig"))
    network.create_post("ig", text="Pane", publish_key="ig-post-0001")
    network.advance(timedelta(days=6))
    return network


def _as_comment(message: object) -> Comment:
    from smmkit.models import InboxMessage

    assert isinstance(message, InboxMessage)
    return Comment(
        platform=message.platform,
        comment_id=message.message_id,
        post_id=message.post_id,
        author=message.author,
        text=message.text,
        created_at=message.created_at,
        kind=message.kind,
        private=message.private,
    )


def test_direct_messages_are_seeded_private_and_off_by_default() -> None:
    without, _, _ = _network(None).inbox("ig")
    zero, _, _ = _network(0.0).inbox("ig")
    everything, _, _ = _network(8.0).inbox("ig")
    assert without == zero  # nothing changes for a network without direct messages
    direct = [m for m in everything if m.kind is MessageKind.DIRECT]
    assert len(direct) > 20 and all(m.private and m.post_id is None for m in direct)
    assert [m for m in everything if m.kind is not MessageKind.DIRECT] == without
    labels = Counter((m.raw or {}).get("label") for m in direct)
    assert {"genuine", "spam"} <= set(labels)
    assert everything == _network(8.0).inbox("ig")[0]  # seeded: the same every time


def test_a_direct_message_is_answered_privately_and_never_hidden() -> None:
    network = _network(8.0)
    client = network.client("ig")
    page = client.fetch_inbox()
    dm = next(m for m in page.messages if m.kind is MessageKind.DIRECT)
    public = _as_comment(dm).model_copy(update={"private": False, "kind": None})
    with pytest.raises(SmmkitError, match="privately"):
        client.reply(public, "Ciao!")
    sent = client.reply(_as_comment(dm), "Ciao, ti scriviamo qui in privato")
    assert sent.private and sent.kind is MessageKind.DIRECT
    assert network.reply_counts() == {dm.message_id: 1}
    fresh = client.fetch_inbox(page.cursor).messages
    [answer] = [m for m in fresh if m.from_brand]
    assert (answer.kind, answer.private, answer.in_reply_to) == (
        MessageKind.DIRECT,
        True,
        dm.message_id,
    )
    with pytest.raises(SmmkitError):
        client.hide_comment(_as_comment(dm))
    assert dm.message_id not in network.hide_requests()
    with pytest.raises(ValidationError, match="directs_per_day"):
        SandboxNetwork(directs_per_day=-1.0)


def test_the_workspace_never_hides_a_direct_message_and_answers_it_privately(
    tmp_path: Path,
) -> None:
    setup = load_setup(FORNO)
    network = SandboxNetwork.from_setup(setup, start=START, mentions_per_day=2.0, directs_per_day=6)
    for day in range(3):
        network.create_post("instagram", text=f"Pane {day}", publish_key=f"docs-dm-{day:04d}")
        network.advance(timedelta(days=1))
    with Workspace.open(str(tmp_path / "s.db"), sandbox=network, clock=network.now) as ws:
        ws.import_setup(setup)
        assert ws.sync_inbox().errors == ()
        directs = ws.inbox(channel="instagram", limit=None)
        directs = [r for r in directs if r.message.kind is MessageKind.DIRECT]
        assert directs and all(r.message.private for r in directs)
        hide_all = ModerationRule.model_validate(
            {"name": "hide-everything", "when": {"min_confidence": 0.0}, "actions": ["hide"]}
        )
        run = ws.moderate(dry_run=False, policy=ModerationPolicy(rules=(hide_all,)))
        outcomes = {a.message_key: a.outcome for a in run.actions}
        assert {outcomes[r.key] for r in directs} == {ActionOutcome.FAILED}
        assert not [c for c in network.hide_requests() if c.startswith("sbx-d")]
        target = directs[0]
        first = ws.reply(target.key, "Ciao! Ti rispondiamo qui, in privato.")
        again = ws.reply(target.key, "Ciao! Ti rispondiamo qui, in privato.")
        assert (first.outcome, again.outcome) == (ActionOutcome.DONE, ActionOutcome.ALREADY_DONE)
        assert network.reply_counts()[target.message.message_id] == 1
