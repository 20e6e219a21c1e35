"""The store's community inbox (revision 0004): messages, sync cursors and moderation actions.
Every test runs on SQLite and on PostgreSQL (``store_target``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from smmkit.errors import StoreError, ValidationError
from smmkit.models import InboxMessage, MessageCategory, MessageKind, Platform
from smmkit.setup import Setup, load_setup
from smmkit.store import (
    SCHEMA_REVISIONS,
    ActionState,
    ChangeEntry,
    InboxState,
    Store,
    open_store,
)
from smmkit.store._engine import connect, migrate_to

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class Verdict:
    category: str
    confidence: float = 0.9
    cues: tuple[str, ...] = ("test-cue",)
    language: str = "it"


@pytest.fixture
def store(store_target: str) -> Iterator[Store]:
    s = open_store(store_target, clock=Clock(), actor="test")
    setup: Setup = load_setup(ROOT / "examples" / "forno_aurora.toml")
    with s.transaction() as tx:
        tx.put_setup("forno", setup)
    yield s
    s.close()


def _msg(n: int, **fields: object) -> InboxMessage:
    values: dict[str, object] = {
        "channel": "instagram",
        "platform": Platform.INSTAGRAM,
        "message_id": f"c{n}",
        "kind": MessageKind.COMMENT,
        "thread_id": "post1",
        "post_id": "post1",
        "author": f"user{n}",
        "text": f"Messaggio {n}",
        "created_at": T0 + timedelta(minutes=n),
    }
    values.update(fields)
    return InboxMessage.model_validate(values)


def test_messages_are_stored_once_per_key_with_their_classification(store: Store) -> None:
    batch = [_msg(1), _msg(2), _msg(3, channel="facebook", platform=Platform.FACEBOOK)]
    with store.transaction() as tx:
        wrote = tx.put_messages("forno", batch, {"instagram:c1": Verdict("question")})
    assert wrote.new == ("instagram:c1", "instagram:c2", "facebook:c3")
    with store.transaction() as tx:
        again = tx.put_messages("forno", [*batch, _msg(4)])
        assert again.new == ("instagram:c4",)
        assert again.updated == ()
        assert tx.known_message_keys("forno", ["instagram:c1", "x:y"]) == {"instagram:c1"}
    with store.read() as tx:
        records = tx.messages("forno")
        assert [r.key for r in records] == [
            "instagram:c1",
            "instagram:c2",
            "facebook:c3",
            "instagram:c4",
        ]
        first = records[0]
        assert (first.category, first.confidence, first.cues, first.language) == (
            "question",
            0.9,
            ("test-cue",),
            "it",
        )
        assert records[1].category is None
        assert first.message == batch[0]
        assert not first.read and first.assigned_to is None and first.answered_at is None
        assert tx.inbox_count("forno") == 4
        assert tx.inbox_count("forno", channel="facebook") == 1


def test_a_re_pulled_message_keeps_the_team_state_and_takes_the_platform_change(
    store: Store,
) -> None:
    with store.transaction(actor="ana") as tx:
        tx.put_messages("forno", [_msg(1)])
        tx.mark_message("forno", "instagram:c1", read=True, assigned_to="bruno")
    with store.transaction() as tx:
        wrote = tx.put_messages("forno", [_msg(1, text="Messaggio modificato", hidden=True)])
    assert wrote.updated == ("instagram:c1",)
    with store.read() as tx:
        record = tx.message("forno", "instagram:c1")
    assert record is not None
    assert record.read and record.assigned_to == "bruno"
    assert record.hidden and record.message.text == "Messaggio modificato"


def test_marks_record_who_did_what_and_filters_follow_the_state(store: Store) -> None:
    with store.transaction() as tx:
        tx.put_messages(
            "forno",
            [_msg(1), _msg(2), _msg(3)],
            {
                "instagram:c1": Verdict("spam"),
                "instagram:c2": Verdict("question"),
                "instagram:c3": Verdict("question"),
            },
        )
    before = len(store_changes(store))
    with store.transaction(actor="ana") as tx:
        tx.mark_message("forno", "instagram:c2", read=True, assigned_to="bruno")
        tx.mark_message("forno", "instagram:c1", hidden=True, handled_by="rule:spam")
        tx.mark_message("forno", "instagram:c3", read=False)  # no change: no log line
    changes = store_changes(store)[before:]
    assert [(c.actor, c.entity_id, c.action) for c in changes] == [
        ("ana", "instagram:c2", "mark"),
        ("ana", "instagram:c1", "mark"),
    ]
    assert changes[0].detail == {
        "read": {"from": False, "to": True},
        "assigned_to": {"from": None, "to": "bruno"},
    }
    with store.read() as tx:
        unread = [r.key for r in tx.messages("forno", state="unread")]
        backlog = [r.key for r in tx.messages("forno", state=InboxState.UNANSWERED)]
        questions = [r.key for r in tx.messages("forno", category="question", state="unassigned")]
        hidden = [r.key for r in tx.messages("forno", state="hidden")]
        newest = [r.key for r in tx.messages("forno", newest_first=True, limit=2)]
        window = [r.key for r in tx.messages("forno", since=T0 + timedelta(minutes=2))]
    assert unread == ["instagram:c1", "instagram:c3"]
    assert backlog == ["instagram:c2", "instagram:c3"]  # hidden spam is not backlog
    assert questions == ["instagram:c3"]
    assert hidden == ["instagram:c1"]
    assert newest == ["instagram:c3", "instagram:c2"]
    assert window == ["instagram:c2", "instagram:c3"]
    with store.transaction(actor="carla") as tx:
        record = tx.mark_message("forno", "instagram:c2", assigned_to=None, category="lead")
    assert record.assigned_to is None and record.category == "lead"
    assert record.cues == ("set-by:carla",)


def store_changes(store: Store) -> list[ChangeEntry]:
    with store.read() as tx:
        return list(tx.changes(entity="inbox"))


def test_a_brand_reply_marks_the_message_answered_in_either_order(store: Store) -> None:
    reply = _msg(
        10,
        message_id="r1",
        in_reply_to="c1",
        from_brand=True,
        kind=MessageKind.REPLY,
        author="fornoaurora",
    )
    with store.transaction() as tx:
        first = tx.put_messages("forno", [_msg(1), reply])
    assert first.answered == ("instagram:c1",)
    # The reply was stored before the message it answers (another pull's order).
    late_reply = _msg(20, message_id="r2", in_reply_to="c2", from_brand=True)
    with store.transaction() as tx:
        tx.put_messages("forno", [late_reply])
        second = tx.put_messages("forno", [_msg(2)])
    assert second.answered == ("instagram:c2",)
    with store.read() as tx:
        c1 = tx.message("forno", "instagram:c1")
        c2 = tx.message("forno", "instagram:c2")
        own = tx.message("forno", "instagram:r1")
        backlog = tx.messages("forno", state="unanswered")
    assert c1 is not None and c1.answered_at == T0 + timedelta(minutes=10)
    assert c2 is not None and c2.answered_at == T0 + timedelta(minutes=20)
    assert own is not None and own.read and own.answered_at is None
    assert backlog == []


def test_threads_hold_the_messages_of_one_root_on_one_channel(store: Store) -> None:
    with store.transaction() as tx:
        tx.put_messages(
            "forno",
            [
                _msg(1),
                _msg(2, in_reply_to="c1", kind=MessageKind.REPLY),
                _msg(3, thread_id="post2", post_id="post2"),
                _msg(4, channel="facebook", platform=Platform.FACEBOOK),
                _msg(
                    5,
                    message_id="m5",
                    thread_id="m5",
                    kind=MessageKind.MENTION,
                    post_id=None,
                ),
                _msg(6, thread_id="m5", in_reply_to="m5", kind=MessageKind.REPLY),
            ],
        )
    with store.read() as tx:
        assert [r.key for r in tx.thread("forno", "instagram:c2")] == [
            "instagram:c1",
            "instagram:c2",
        ]
        assert [r.key for r in tx.thread("forno", "instagram:m5")] == [
            "instagram:m5",
            "instagram:c6",
        ]
        assert tx.thread("forno", "instagram:nope") == []


def test_cursors_advance_with_each_pull(store: Store, store_target: str) -> None:
    with store.transaction() as tx:
        assert tx.inbox_cursor("forno", "instagram") is None
        tx.set_inbox_cursor("forno", "instagram", "t1", messages=3)
        after = tx.set_inbox_cursor("forno", "instagram", "t2", messages=2)
    assert (after.cursor, after.pulls, after.messages) == ("t2", 2, 5)
    with store.read() as tx:
        assert [c.channel for c in tx.inbox_cursors("forno")] == ["instagram"]
    with pytest.raises(StoreError, match="not in the store"), store.transaction() as tx:
        tx.set_inbox_cursor("forno", "myspace", "x")


def test_bad_input_writes_nothing(store: Store) -> None:
    with store.transaction() as tx:
        tx.put_messages("forno", [_msg(1)])
    before = store.dump()
    bad_batches: list[tuple[list[InboxMessage], dict[str, Verdict], str]] = [
        ([_msg(2), _msg(3, channel="myspace")], {}, "not a channel of brand"),
        ([_msg(2)], {"instagram:c2": Verdict("rude")}, "category must be one of"),
        ([_msg(2)], {"instagram:c2": Verdict("spam", confidence=1.5)}, "within"),
        ([_msg(2)], {"instagram:c2": Verdict("spam", language="")}, "language"),
    ]
    for batch, verdicts, message in bad_batches:
        with (
            pytest.raises((StoreError, ValidationError), match=message),
            store.transaction() as tx,
        ):
            tx.put_messages("forno", batch, verdicts)

    def put_then_mark_an_unknown_key() -> None:
        with store.transaction() as tx:
            tx.put_messages("forno", [_msg(2)])  # rolled back with the failing mark
            tx.mark_message("forno", "instagram:c999", read=True)

    with pytest.raises(StoreError, match="is not in brand"):
        put_then_mark_an_unknown_key()
    with pytest.raises(ValidationError, match="assigned_to"), store.transaction() as tx:
        tx.mark_message("forno", "instagram:c1", read=True, assigned_to="")
    naive = datetime(2026, 12, 1)
    with pytest.raises(ValidationError, match="timezone-aware"), store.transaction() as tx:
        tx.mark_message("forno", "instagram:c1", answered_at=naive)
    with (
        pytest.raises(StoreError, match="brand 'nobody' is not in the store"),
        store.transaction() as tx,
    ):
        tx.put_messages("nobody", [_msg(2)])
    with pytest.raises(ValidationError, match="state"), store.read() as tx:
        tx.messages("forno", state="pending")
    assert store.dump() == before


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pulls=st.lists(
        st.lists(st.integers(min_value=0, max_value=30), max_size=12), min_size=1, max_size=5
    )
)
def test_any_sequence_of_overlapping_pulls_stores_each_key_once(
    store: Store, pulls: list[list[int]]
) -> None:
    with store.transaction() as tx:
        before = {r.key for r in tx.messages("forno")}
        seen = set(before)
        for pull in pulls:
            wrote = tx.put_messages("forno", [_msg(n) for n in pull])
            expected_new = {f"instagram:c{n}" for n in pull} - seen
            assert set(wrote.new) == expected_new
            assert len(wrote.new) == len(expected_new)
            seen |= expected_new
        assert tx.inbox_count("forno") == len(seen)
        assert sorted(r.key for r in tx.messages("forno")) == sorted(seen)


def test_ten_thousand_messages_in_one_batch(store: Store) -> None:
    batch = [
        _msg(n, channel=("instagram", "facebook")[n % 2], thread_id=f"p{n % 50}")
        for n in range(10_000)
    ]
    verdicts = {m.key: Verdict("praise") for m in batch}
    with store.transaction() as tx:
        wrote = tx.put_messages("forno", batch, verdicts)
    assert len(wrote.new) == 10_000
    with store.read() as tx:
        assert tx.inbox_count("forno") == 10_000
        assert len(tx.messages("forno", category="praise", channel="facebook")) == 5_000
        assert len(tx.thread("forno", "instagram:c2")) == 200  # n = 2, 52, 102, ...


# -- moderation actions ----------------------------------------------------------------------


def _with_message(store: Store) -> str:
    with store.transaction() as tx:
        tx.put_messages("forno", [_msg(1)])
    return "instagram:c1"


def test_an_action_is_planned_once_per_message_action_and_rule(store: Store) -> None:
    key = _with_message(store)
    first = store.plan_action("forno", key, "hide", "spam-links", {"reason": "shortener"})
    again = store.plan_action("forno", key, "hide", "spam-links", {"reason": "other"})
    other_rule = store.plan_action("forno", key, "hide", "abuse")
    assert again.id == first.id and again.payload == {"reason": "shortener"}
    assert other_rule.id != first.id
    assert first.state is ActionState.PLANNED and first.planned_by == "test"
    assert [a.id for a in store.actions("forno", message_key=key)] == [first.id, other_rule.id]


def test_claim_then_finish_and_never_again(store: Store) -> None:
    key = _with_message(store)
    planned = store.plan_action("forno", key, "hide", "spam")
    assert store.claim_action(planned.id, "runner-a")
    assert not store.claim_action(planned.id, "runner-b")  # already sending
    assert not store.finish_action(planned.id, runner="runner-b")  # not b's
    assert store.finish_action(planned.id, result={"hidden": True}, runner="runner-a")
    assert not store.claim_action(planned.id, "runner-a")  # done is final
    done = store.plan_action("forno", key, "hide", "spam")
    assert (done.state, done.attempts, done.result) == (ActionState.DONE, 1, {"hidden": True})
    assert done.done_at == T0
    with store.read() as tx:
        lines = [(c.action, c.entity_id) for c in tx.changes(entity="action")]
    assert lines == [
        ("planned", key),
        ("claimed", str(planned.id)),
        ("done", str(planned.id)),
    ]


def test_a_crashed_claim_is_reconciled_before_any_retry(store: Store) -> None:
    key = _with_message(store)
    planned = store.plan_action("forno", key, "reply", "questions", {"text": "Ciao!"})
    assert store.claim_action(planned.id, "dead-runner")
    # A restarted runner finds the row in flight and must reconcile it: it cannot claim it.
    with store.transaction() as tx:
        [flying] = tx.actions_in_flight(exclude_runner="new-runner")
        assert flying.id == planned.id and flying.claimed_by == "dead-runner"
        assert not tx.claim_action(planned.id, "new-runner")
        assert not tx.take_over_action(planned.id, "new-runner", previous="someone-else")
        assert tx.take_over_action(planned.id, "new-runner", previous="dead-runner")
        assert tx.actions_in_flight(exclude_runner="new-runner") == []
    # The reconcile found no reply on the platform: back to planned, then claimed again.
    with store.transaction() as tx:
        assert tx.release_action(planned.id, runner="new-runner", error="no reply found")
        assert tx.claim_action(planned.id, "new-runner")
        assert tx.finish_action(planned.id, state="failed", error=RuntimeError("429"))
    [row] = store.actions("forno", state=ActionState.FAILED)
    assert row.attempts == 3 and row.error == "RuntimeError: 429"


def test_actions_refuse_bad_input(store: Store) -> None:
    key = _with_message(store)
    before = store.dump()
    with pytest.raises(StoreError, match="not in brand 'forno'"):
        store.plan_action("forno", "instagram:nope", "hide", "spam")
    with pytest.raises(ValidationError, match="action"):
        store.plan_action("forno", key, "Hide Now", "spam")
    with pytest.raises(ValidationError, match="rule"):
        store.plan_action("forno", key, "hide", "")
    with pytest.raises(ValidationError, match="JSON values"):
        store.plan_action("forno", key, "hide", "spam", {"when": object()})
    assert store.dump() == before
    planned = store.plan_action("forno", key, "hide", "spam")
    store.claim_action(planned.id, "r")
    with pytest.raises(ValidationError, match="'done' or 'failed'"):
        store.finish_action(planned.id, state="planned")


def test_a_done_actions_notification_is_queued_once_and_delivered_once(store: Store) -> None:
    key = _with_message(store)
    planned = store.plan_action("forno", key, "notify", "review-spam")
    assert store.claim_action(planned.id, "runner-a")
    with store.transaction() as tx:
        assert tx.finish_action(planned.id, runner="runner-a")
        queued = tx.queue_notification("forno", planned.id, {"action_id": 1}, runner="runner-a")
        again = tx.queue_notification("forno", planned.id, {"other": True}, runner="runner-b")
    assert again == queued and (queued.runner, queued.attempts) == ("runner-a", 1)
    assert queued.payload == {"action_id": 1} and queued.delivered_at is None
    with store.transaction() as tx:
        assert tx.pending_notifications("forno") == [queued]
        assert tx.pending_notifications("other-brand") == []
        assert not tx.take_over_notification(queued.id, "runner-c", previous="runner-b")
        assert tx.take_over_notification(queued.id, "runner-c", previous="runner-a")
        assert not tx.take_over_notification(queued.id, "runner-d", previous="runner-a")
    with store.transaction() as tx:
        [taken] = tx.pending_notifications("forno")
        assert (taken.runner, taken.attempts) == ("runner-c", 2)
        assert tx.mark_notified(queued.id)
        assert not tx.mark_notified(queued.id)  # delivered once is delivered
        assert tx.pending_notifications("forno") == []
        assert not tx.take_over_notification(queued.id, "runner-d", previous="runner-c")
    with store.read() as tx:
        lines = [c.action for c in tx.changes(entity="notification")]
    assert lines == ["queued", "taken_over", "delivered"]


def test_concurrent_planners_and_claimers_share_one_row(store: Store) -> None:
    key = _with_message(store)
    ids: list[int] = []
    claims: list[bool] = []
    barrier = threading.Barrier(6)
    guard = threading.Lock()

    def worker(n: int) -> None:
        barrier.wait()
        record = store.plan_action("forno", key, "hide", "spam")
        won = store.claim_action(record.id, f"runner-{n}")
        with guard:
            ids.append(record.id)
            claims.append(won)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(set(ids)) == 1
    assert claims.count(True) == 1
    assert len(store.actions("forno")) == 1


def test_a_revision_0003_store_migrates_and_gets_an_inbox(store_target: str) -> None:
    engine, _ = connect(store_target)
    migrate_to(engine, "0003")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO brands(id, name, data, created_at, updated_at) "
                "VALUES ('b', 'B', '{}', :t, :t)"
            ),
            {"t": "2026-11-30 10:00:00"},
        )
        conn.execute(
            text(
                "INSERT INTO channels(brand_id, key, platform, data, created_at, updated_at) "
                "VALUES ('b', 'instagram', 'instagram', '{}', :t, :t)"
            ),
            {"t": "2026-11-30 10:00:00"},
        )
    engine.dispose()
    with open_store(store_target, clock=Clock()) as store:
        assert store.revision() == SCHEMA_REVISIONS[-1]
        with store.transaction() as tx:
            tx.put_messages("b", [_msg(1)], {"instagram:c1": Verdict(MessageCategory.SPAM.value)})
        action = store.plan_action("b", "instagram:c1", "hide", "spam")
        assert action.state is ActionState.PLANNED
