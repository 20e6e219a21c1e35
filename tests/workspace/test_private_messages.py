"""A private message in the inbox (a direct message, a followers-only post) is never hidden or
deleted by moderation, and a reply to it reaches the client marked private, so the client
answers privately (Mastodon: a ``direct`` reply; see test_platforms_mastodon_direct)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from smmkit.community import ModerationPolicy, ModerationRule, classify
from smmkit.models import Channel, InboxMessage, MessageKind, Platform
from smmkit.platforms import Capability, Comment
from smmkit.workspace import ActionOutcome, Workspace

ROOT = Path(__file__).resolve().parents[2]
FORNO = ROOT / "examples" / "forno_aurora.toml"
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


class Recorder:
    """A client that records what moderation and replies ask of it."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.platform = Platform.INSTAGRAM
        self.replies: list[Comment] = []
        self.hidden: list[Comment] = []
        self.deleted: list[Comment] = []

    def supports(self, capability: Capability) -> bool:
        return True

    def reply(self, to: Comment, text: str, *, timeout: float | None = None) -> Comment:
        self.replies.append(to)
        return Comment(
            platform=self.platform,
            comment_id=f"r{len(self.replies)}",
            author="me",
            text=text,
            created_at=NOW,
            in_reply_to=to.comment_id,
        )

    def hide_comment(self, comment: Comment, *, timeout: float | None = None) -> None:
        self.hidden.append(comment)

    def delete_comment(self, comment: Comment, *, timeout: float | None = None) -> None:
        self.deleted.append(comment)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder("instagram")


@pytest.fixture
def ws(tmp_path: Path, recorder: Recorder) -> Iterator[Workspace]:
    def clients(channel: Channel, ws: Workspace) -> Any:
        return recorder

    workspace = Workspace.open(
        str(tmp_path / "s.db"), clock=lambda: NOW, clients=clients, actor="test"
    )
    workspace.import_setup(FORNO)
    yield workspace
    workspace.close()


def _store(ws: Workspace, message_id: str, **fields: Any) -> InboxMessage:
    message = InboxMessage(
        channel="instagram",
        platform=Platform.INSTAGRAM,
        message_id=message_id,
        thread_id=message_id,
        author="cliente",
        text="Vinci un iPhone, clicca qui: bit.ly/regalo-subito",
        created_at=NOW,
        **fields,
    )
    with ws.store.transaction() as tx:
        tx.put_messages(ws.brand_id(), [message], {message.key: classify(message.text)})
    return message


def test_private_messages_are_never_hidden_or_deleted(ws: Workspace, recorder: Recorder) -> None:
    direct = _store(ws, "dm-1", kind=MessageKind.DIRECT)
    followers = _store(ws, "fo-1", kind=MessageKind.COMMENT, private=True)
    public = _store(ws, "pub-1", kind=MessageKind.COMMENT)
    hide = ModerationRule.model_validate(
        {"name": "hide-spam", "when": {"category": "spam"}, "actions": ["hide"]}
    )
    dry = {a.message_key: a for a in ws.moderate(policy=ModerationPolicy(rules=(hide,))).actions}
    assert dry[public.key].outcome is ActionOutcome.WOULD_DO
    assert dry[followers.key].outcome is ActionOutcome.FAILED  # the dry run says so too
    assert "never hidden" in (dry[followers.key].detail or "")
    assert dry[direct.key].outcome is ActionOutcome.FAILED
    for action in ("hide", "delete"):
        rule = ModerationRule.model_validate(
            {"name": f"{action}-spam", "when": {"category": "spam"}, "actions": [action]}
        )
        run = ws.moderate(dry_run=False, policy=ModerationPolicy(rules=(rule,)))
        outcomes = {a.message_key: a for a in run.actions}
        for message in (direct, followers):
            item = outcomes[message.key]
            assert item.outcome is ActionOutcome.FAILED
            assert "private" in (item.detail or "") or "a direct is not" in (item.detail or "")
        assert outcomes[public.key].outcome is ActionOutcome.DONE
    assert [c.comment_id for c in recorder.hidden] == ["pub-1"]
    assert [c.comment_id for c in recorder.deleted] == ["pub-1"]


def test_a_reply_to_a_private_message_reaches_the_client_marked_private(
    ws: Workspace, recorder: Recorder
) -> None:
    direct = _store(ws, "dm-2", kind=MessageKind.DIRECT, author_id="5501")
    public = _store(ws, "pub-2", kind=MessageKind.COMMENT)
    for message in (direct, public):
        done = ws.reply(message.key, "Ciao! Ti rispondiamo in privato.")
        assert done.outcome is ActionOutcome.DONE
    sent = {c.comment_id: (c.kind, c.private, c.author_id) for c in recorder.replies}
    assert sent == {
        "dm-2": (MessageKind.DIRECT, True, "5501"),  # the sender, for a private answer
        "pub-2": (MessageKind.COMMENT, False, None),
    }
