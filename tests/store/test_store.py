"""The store suite: every test runs on SQLite and on PostgreSQL (``store_target``)."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from smmkit.errors import StoreError, TransitionError, ValidationError
from smmkit.models import (
    WORKFLOW,
    AccountMetrics,
    Brand,
    Channel,
    ContentItem,
    ContentStatus,
    Platform,
    PostMetrics,
    Variant,
)
from smmkit.planner import Slot
from smmkit.setup import Setup, load_setup
from smmkit.store import (
    SCHEMA_REVISIONS,
    OutboxState,
    Store,
    StoreVersionError,
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

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def setup() -> Setup:
    return load_setup(ROOT / "examples" / "forno_aurora.toml")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(store_target: str, clock: Clock) -> Iterator[Store]:
    s = open_store(store_target, clock=clock, actor="test")
    yield s
    s.close()


def _variant(channel: Channel, n: int, **fields: object) -> Variant:
    values: dict[str, object] = {
        "id": f"v{n}",
        "channel": channel.key,
        "platform": channel.platform,
        "text": f"Post {n}",
        "publish_key": f"key-{n:06d}",
    }
    values.update(fields)
    return Variant.model_validate(values)


def _filled(store: Store, setup: Setup) -> Channel:
    with store.transaction() as tx:
        tx.put_setup("forno", setup)
    return setup.channels[0]


# -- opening, versions, migrations ----------------------------------------------------------------


def test_a_new_store_is_at_the_newest_revision_and_reopens(store_target: str) -> None:
    with open_store(store_target) as store:
        assert store.revision() == SCHEMA_REVISIONS[-1]
        with store.transaction(actor="ana") as tx:
            tx.log("note", "n1", "said", {"x": 1})
        before = store.dump()
    with open_store(store_target) as again:
        assert again.dump() == before
        with again.read() as tx:
            [line] = tx.changes()
        assert (line.actor, line.entity, line.action, line.detail) == (
            "ana",
            "note",
            "said",
            {"x": 1},
        )
        assert line.at.tzinfo is not None


def test_revisions_match_the_migration_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", "smmkit.store:_migrations")
    scripts = ScriptDirectory.from_config(config)
    chain = [s.revision for s in reversed(list(scripts.walk_revisions()))]
    assert tuple(chain) == SCHEMA_REVISIONS
    assert scripts.get_current_head() == SCHEMA_REVISIONS[-1]


def test_migrations_build_exactly_the_tables_the_code_uses(store_target: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from smmkit.store._tables import metadata

    store = open_store(store_target)
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(context, metadata)
    store.close()
    assert diff == []


def test_sqlite_settings(tmp_path: Path) -> None:
    store = open_store(tmp_path / "w.db")
    with store.read() as tx:
        conn = tx.connection
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    store.close()


def test_an_older_database_is_migrated_with_its_data(store_target: str) -> None:
    engine, _ = connect(store_target)
    migrate_to(engine, "0001")  # what smmkit wrote before the runner existed
    stamp = "2026-11-30 10:00:00"
    with engine.begin() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
        conn.execute(
            text(
                "INSERT INTO brands(id, name, data, created_at, updated_at) "
                "VALUES ('b', 'B', '{}', :t, :t)"
            ),
            {"t": stamp},
        )
        conn.execute(
            text(
                "INSERT INTO channels(brand_id, key, platform, data, created_at, updated_at) "
                "VALUES ('b', 'ig', 'instagram', '{}', :t, :t)"
            ),
            {"t": stamp},
        )
        conn.execute(
            text(
                "INSERT INTO outbox(publish_key, brand_id, channel, state, due_at, attempts, "
                "created_at, updated_at, payload) VALUES "
                "('k-00000001', 'b', 'ig', 'pending', :due, 2, :t, :t, '{}')"
            ),
            {"t": stamp, "due": "2026-12-01 08:00:00"},
        )
        assert "runners" not in _tables(conn)
    engine.dispose()

    store = open_store(store_target, clock=Clock())
    assert store.revision() == SCHEMA_REVISIONS[-1]
    with store.transaction() as tx:
        entry = tx.outbox_entry("k-00000001")
        assert entry is not None
        assert entry.next_attempt_at == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
        assert (entry.attempts, entry.tries, entry.state) == (2, 2, OutboxState.PENDING)
        [claimed] = tx.claim_due("r1", now=T0)
        assert claimed.publish_key == "k-00000001"
        assert claimed.attempts == 3
    with store.engine.connect() as conn:
        assert {"runners", "metric_jobs"} <= _tables(conn)
    store.close()


def _tables(conn: object) -> set[str]:
    from sqlalchemy import inspect

    return set(inspect(conn).get_table_names())


def test_a_newer_database_is_refused_and_left_untouched(store_target: str) -> None:
    store = open_store(store_target)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    before = store.dump()
    store.close()
    with pytest.raises(StoreVersionError, match=r"newer smmkit.*'0099'.*upgrade smmkit"):
        open_store(store_target)
    engine, _ = connect(store_target)
    try:
        again = Store(engine, where="check", path=None)
        assert again.dump() == before
    finally:
        engine.dispose()


def test_an_old_database_is_refused_when_migration_is_off(store_target: str) -> None:
    engine, _ = connect(store_target)
    migrate_to(engine, "0001")
    engine.dispose()
    with pytest.raises(StoreVersionError, match=rf"revision 0001.*needs {SCHEMA_REVISIONS[-1]}"):
        open_store(store_target, migrate=False)
    with open_store(store_target) as store:
        assert store.revision() == SCHEMA_REVISIONS[-1]


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    with pytest.raises(StoreVersionError, match=r"not an smmkit store.*invoices"):
        open_store(path)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("", "file path or a database URL"),
        ("mysql://u:secretpw@h/db", "'mysql' database is not supported"),
        ("/no/such/folder/w.db", "folder /no/such/folder does not exist"),
    ],
)
def test_bad_targets_are_refused_clearly(target: str, message: str) -> None:
    with pytest.raises(StoreError, match=message) as info:
        open_store(target)
    assert "secretpw" not in str(info.value)


def test_an_unreachable_postgres_is_a_store_error_without_the_password() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError, match="cannot open the store") as info:
        open_store("postgresql://u:hunter2secret@127.0.0.1:1/db?connect_timeout=2")
    assert "hunter2secret" not in str(info.value)


# -- setup, content and workflow --------------------------------------------------------------


def test_setup_round_trips_without_credentials(store: Store, setup: Setup) -> None:
    token = "tok-SECRET-123456789"
    channels = tuple(
        c.model_copy(update={"credentials": token}) if i == 0 else c
        for i, c in enumerate(setup.channels)
    )
    setup = setup.model_copy(update={"channels": channels})
    with store.transaction() as tx:
        tx.put_setup("forno", setup)
    with store.read() as tx:
        assert tx.get_brand("forno") == setup.brand
        assert [c.key for c in tx.channels("forno")] == sorted(c.key for c in setup.channels)
        assert tx.get_channel("forno", channels[0].key) == channels[0].model_copy(
            update={"credentials": None}
        )
        assert tx.campaigns("forno") == sorted(setup.campaigns, key=lambda c: c.id)
        assert len(tx.influencers("forno")) == len(setup.influencers)
        assert tx.get_audience("forno") == setup.audience
        assert [i.id for i in tx.items("forno")] == sorted(i.id for i in setup.content)
        assert [b for b, _ in tx.brands()] == ["forno"]
    assert token not in store.dump()


def test_ids_are_checked(store: Store, setup: Setup) -> None:
    with pytest.raises(ValidationError, match="brand_id"), store.transaction() as tx:
        tx.put_brand("Not A Slug!", setup.brand)


def test_workflow_moves_are_checked_and_recorded(store: Store, setup: Setup, clock: Clock) -> None:
    channel = _filled(store, setup)
    with store.transaction(actor="writer") as tx:
        tx.add_variant("forno", _variant(channel, 1))
    clock.advance(minutes=5)
    with store.transaction(actor="editor") as tx:
        tx.transition_variant("v1", "in_review")
        moved = tx.transition_variant("v1", "approved", note="looks good")
    assert moved.status is ContentStatus.APPROVED
    before = store.dump()
    with (
        pytest.raises(TransitionError, match="cannot move from 'approved' to 'published'"),
        store.transaction(actor="editor") as tx,
    ):
        tx.transition_variant("v1", "published")
    assert store.dump() == before
    with store.read() as tx:
        history = tx.history("variant", "v1")
        assert [(h.from_status, h.to_status, h.actor) for h in history] == [
            (None, "draft", "writer"),
            ("draft", "in_review", "editor"),
            ("in_review", "approved", "editor"),
        ]
        assert history[-1].note == "looks good"
        assert history[1].at == T0 + timedelta(minutes=5)
        assert [v.id for v in tx.variants("forno", status="approved")] == ["v1"]


def test_save_cannot_change_status_or_key(store: Store, setup: Setup) -> None:
    channel = _filled(store, setup)
    with store.transaction() as tx:
        tx.add_variant("forno", _variant(channel, 1))
    with pytest.raises(StoreError, match="transition_variant"), store.transaction() as tx:
        tx.save_variant(_variant(channel, 1, status="approved"))
    with pytest.raises(StoreError, match="publish_key and channel"), store.transaction() as tx:
        tx.save_variant(_variant(channel, 1, publish_key="another-key"))
    with store.transaction() as tx:
        tx.save_variant(_variant(channel, 1, text="Edited"))
    with store.read() as tx:
        got = tx.get_variant("v1")
        assert got is not None
        assert got.text == "Edited"


def test_items_follow_the_workflow(store: Store, setup: Setup) -> None:
    _filled(store, setup)
    item = ContentItem(id="it-new", title="New", text="Hello")
    with store.transaction() as tx:
        tx.add_item("forno", item)
        tx.transition_item("it-new", "in_review")
        with pytest.raises(StoreError, match="already in the store"):
            tx.add_item("forno", item)
    with pytest.raises(TransitionError), store.transaction() as tx:
        tx.transition_item("it-new", "published")
    with store.read() as tx:
        got = tx.get_item("it-new")
        assert got is not None
        assert got.status is ContentStatus.IN_REVIEW
        assert [h.to_status for h in tx.history("item", "it-new")] == ["draft", "in_review"]


_STATUSES = [s.value for s in ContentStatus]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moves=st.lists(st.sampled_from(_STATUSES), max_size=8))
def test_any_sequence_of_moves_keeps_the_store_consistent(
    store: Store, setup: Setup, moves: list[str]
) -> None:
    channel = setup.channels[0]
    with store.transaction() as tx:
        if tx.get_brand("forno") is None:
            tx.put_setup("forno", setup)
        n = len(tx.variants("forno")) + 1
        tx.add_variant("forno", _variant(channel, n))
    vid = f"v{n}"
    status = "draft"
    for target in moves:
        before = store.dump()
        allowed = ContentStatus(target) in WORKFLOW[ContentStatus(status)]
        try:
            with store.transaction() as tx:
                extra = {"platform_post_id": "p1"} if target == "published" else {}
                tx.transition_variant(vid, target, **extra)
        except TransitionError:
            assert not allowed
            assert store.dump() == before
        else:
            assert allowed
            status = target
    with store.read() as tx:
        history = tx.history("variant", vid)
        got = tx.get_variant(vid)
    assert got is not None
    assert got.status.value == status == history[-1].to_status
    for earlier, later in itertools.pairwise(history):
        assert later.from_status == earlier.to_status
        assert ContentStatus(later.to_status) in WORKFLOW[ContentStatus(earlier.to_status)]


# -- bad input never half-writes ------------------------------------------------------------------


def test_a_failing_multi_row_change_writes_nothing(store: Store, setup: Setup) -> None:
    channel = _filled(store, setup)
    before = store.dump()
    bad = _variant(channel.model_copy(update={"key": "no-such-channel"}), 2)

    def change() -> None:
        with store.transaction() as tx:
            tx.add_variant("forno", _variant(channel, 1))
            tx.put_campaign("forno", setup.campaigns[0])
            tx.add_variants("forno", [_variant(channel, 3), bad])

    with pytest.raises(StoreError, match="not a channel of brand"):
        change()
    assert store.dump() == before


def test_a_database_constraint_rolls_everything_back(store: Store, setup: Setup) -> None:
    channel = _filled(store, setup)
    before = store.dump()

    def change() -> None:
        with store.transaction() as tx:
            tx.add_variants("forno", [_variant(channel, 1)])
            tx.add_variants("forno", [_variant(channel, 2, publish_key="key-000001")])  # same

    with pytest.raises(StoreError, match="refused the change"):
        change()
    assert store.dump() == before


def test_naive_datetimes_are_refused(store: Store, setup: Setup) -> None:
    channel = _filled(store, setup)
    before = store.dump()

    def change() -> None:
        with store.transaction() as tx:
            tx.add_variant("forno", _variant(channel, 1, status="scheduled"))
            tx.enqueue("v1", due_at=datetime(2026, 12, 1, 9, 0))

    with pytest.raises(ValidationError, match="timezone-aware"):
        change()
    assert store.dump() == before


def test_an_exception_in_user_code_rolls_back(store: Store, setup: Setup) -> None:
    _filled(store, setup)
    before = store.dump()

    def change() -> None:
        with store.transaction() as tx:
            tx.log("x", "y", "z")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        change()
    assert store.dump() == before


def test_the_change_log_is_append_only(store: Store, setup: Setup) -> None:
    _filled(store, setup)
    before = store.dump()
    for statement in ("UPDATE change_log SET actor = 'mallory'", "DELETE FROM change_log"):
        with pytest.raises(StoreError, match="append-only"), store.transaction() as tx:
            tx.connection.execute(text(statement))
    assert store.dump() == before


def test_read_transactions_do_not_write(store: Store) -> None:
    with pytest.raises(StoreError, match="read-only"), store.read() as tx:
        tx.log("a", "b", "c")


# -- calendar ---------------------------------------------------------------------------------


def _slot(channel: Channel, n: int, start: datetime) -> Slot:
    return Slot(
        id=f"s{n}",
        channel=channel.key,
        platform=channel.platform,
        start=start,
        timezone=channel.timezone,
        reasons=("test",),
    )


def test_slots_and_assignments(store: Store, setup: Setup) -> None:
    channel = _filled(store, setup)
    other = setup.channels[1]
    with store.transaction() as tx:
        assert (
            tx.put_slots("forno", [_slot(channel, n, T0 + timedelta(days=n)) for n in range(3)])
            == 3
        )
        tx.add_variant("forno", _variant(channel, 1))
        tx.add_variant("forno", _variant(other, 2))
        tx.assign("s1", "v1")
    with (
        pytest.raises(StoreError, match="assign a variant made for the slot's channel"),
        store.transaction() as tx,
    ):
        tx.assign("s2", "v2")
    with pytest.raises(StoreError, match="refused the change"), store.transaction() as tx:
        tx.assign("s2", "v1")  # already in s1
    with store.read() as tx:
        slots = tx.slots("forno", start=T0 + timedelta(days=1), end=T0 + timedelta(days=3))
        assert [(s.id, s.variant_ids) for s in slots] == [("s1", ("v1",)), ("s2", ())]
        assert Slot.model_validate(slots[0].data).start == T0 + timedelta(days=1)
    with store.transaction() as tx:
        assert tx.unassign("v1")
        assert tx.delete_slot("s1")
        assert not tx.delete_slot("s1")
    with store.read() as tx:
        assert [s.id for s in tx.slots("forno")] == ["s0", "s2"]


def test_put_slots_replaces_in_bulk_and_keeps_assignments(store: Store, setup: Setup) -> None:
    channel = _filled(store, setup)
    first = [_slot(channel, n, T0 + timedelta(hours=n)) for n in range(1200)]
    with store.transaction() as tx:
        assert tx.put_slots("forno", first) == 1200
        tx.add_variant("forno", _variant(channel, 1))
        tx.assign("s7", "v1")
    moved = [s.model_copy(update={"start": s.start + timedelta(minutes=30)}) for s in first]
    with store.transaction() as tx:  # the same ids again: replaced, not duplicated
        assert tx.put_slots("forno", [*moved[:600], *moved[600:], moved[0]]) == 1201
    with store.read() as tx:
        slots = tx.slots("forno")
    assert len(slots) == 1200
    assert slots[0].starts_at == T0 + timedelta(minutes=30)
    assert Slot.model_validate(slots[0].data).start == T0 + timedelta(minutes=30)
    assert [s.variant_ids for s in slots if s.id == "s7"] == [("v1",)]


# -- outbox -----------------------------------------------------------------------------------


def _scheduled(store: Store, setup: Setup, count: int, due: datetime = T0) -> Channel:
    channel = _filled(store, setup)
    with store.transaction() as tx:
        tx.add_variants(
            "forno",
            [_variant(channel, n, status="scheduled", scheduled_at=due) for n in range(count)],
        )
        assert tx.enqueue_many([(f"v{n}", due) for n in range(count)]) == count
    return channel


def test_enqueue_is_once_per_publish_key(store: Store, setup: Setup) -> None:
    channel = _filled(store, setup)
    with store.transaction() as tx:
        tx.add_variant("forno", _variant(channel, 1, status="scheduled", scheduled_at=T0))
        tx.add_variant("forno", _variant(channel, 2))
        first = tx.enqueue("v1")
        assert tx.enqueue("v1") == first
        assert tx.enqueue_many([("v1", T0)]) == 0
        with pytest.raises(StoreError, match="only a scheduled variant"):
            tx.enqueue("v2", due_at=T0)
    assert first.state is OutboxState.PENDING
    assert (first.due_at, first.payload["text"]) == (T0, "Post 1")
    assert first.variant().publish_key == "key-000001"


def test_claims_publish_and_failures(store: Store, setup: Setup, clock: Clock) -> None:
    _scheduled(store, setup, 3)
    with store.transaction() as tx:
        assert tx.claim_due("r1", now=T0 - timedelta(seconds=1)) == []
        claimed = tx.claim_due("r1", now=T0, limit=2)
        assert [(e.state, e.attempts, e.claimed_by) for e in claimed] == [
            (OutboxState.SENDING, 1, "r1")
        ] * 2
        ok, retry = claimed
        assert tx.record_published(
            ok,
            platform="instagram",
            post_id="p-1",
            url="https://example.invalid/p-1",
            published_at=T0,
            now=T0,
            metric_ages=[("1h", timedelta(hours=1)), ("24h", timedelta(hours=24))],
        )
        assert not tx.record_published(
            ok, platform="instagram", post_id="p-1", url=None, published_at=T0, now=T0
        )
        assert tx.record_retry(
            retry, error="503 busy", next_attempt_at=T0 + timedelta(minutes=1), now=T0
        )
    with store.transaction() as tx:
        [last] = tx.claim_due("r2", now=T0)
        assert tx.record_failure(last, state=OutboxState.FAILED, error=ValueError("bad"), now=T0)
        [again] = tx.claim_due("r2", now=T0 + timedelta(minutes=1))
        assert (again.publish_key, again.attempts, again.last_error) == (
            retry.publish_key,
            2,
            "503 busy",
        )
        assert tx.record_failure(again, state=OutboxState.NEEDS_REAUTH, error="401", now=T0)
    with store.read() as tx:
        counts = tx.outbox_counts()
        assert counts[OutboxState.PUBLISHED] == 1
        assert counts[OutboxState.FAILED] == counts[OutboxState.NEEDS_REAUTH] == 1
        [post] = tx.published(brand_id="forno")
        assert (post.platform_post_id, post.publish_key) == ("p-1", ok.publish_key)
        published = tx.get_variant(ok.variant_id or "")
        assert published is not None
        assert (published.status, published.platform_post_id) == (ContentStatus.PUBLISHED, "p-1")
        failed = tx.get_variant(last.variant_id or "")
        assert failed is not None
        assert failed.status is ContentStatus.FAILED
        jobs = tx.metric_jobs(kind="post")
        assert [(j.label, j.due_at) for j in jobs] == [
            ("1h", T0 + timedelta(hours=1)),
            ("24h", T0 + timedelta(hours=24)),
        ]
    with store.transaction(actor="ana") as tx:
        back = tx.retry_outbox(last.publish_key)
        assert (back.state, back.tries, back.attempts) == (OutboxState.PENDING, 0, 1)
        with pytest.raises(StoreError, match="only failed or needs_reauth"):
            tx.retry_outbox(ok.publish_key)
    with store.read() as tx:
        variant = tx.get_variant(last.variant_id or "")
        assert variant is not None
        assert variant.status is ContentStatus.SCHEDULED
        actions = [c.action for c in tx.changes(entity="outbox")]
    assert actions.count("published") == 1
    assert actions[-1] == "retry"


def test_take_over_is_conditional(store: Store, setup: Setup) -> None:
    _scheduled(store, setup, 1)
    with store.transaction() as tx:
        [entry] = tx.claim_due("dead", now=T0)
    with store.transaction() as tx:
        [orphan] = tx.in_flight(exclude_runner="alive")
        assert tx.in_flight(exclude_runner="dead") == []
        mine = tx.take_over(orphan, "alive", now=T0)
        assert mine is not None
        assert (mine.claimed_by, mine.attempts) == ("alive", 2)
        assert tx.take_over(orphan, "other", now=T0) is None
        # The dead runner's stale view can no longer settle the row.
        assert not tx.record_published(
            entry, platform="x", post_id="p", url=None, published_at=None, now=T0
        )


def test_concurrent_claims_never_share_a_row(store: Store, setup: Setup) -> None:
    _scheduled(store, setup, 120)
    seen: dict[str, list[str]] = {}
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            while True:
                with store.transaction() as tx:
                    got = tx.claim_due(name, now=T0, limit=3)
                if not got:
                    return
                for entry in got:
                    seen.setdefault(entry.publish_key, []).append(name)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"r{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(seen) == 120
    assert all(len(names) == 1 for names in seen.values())


# -- metrics ----------------------------------------------------------------------------------


def test_metric_snapshots_over_time(store: Store, setup: Setup) -> None:
    channel = _filled(store, setup)
    with store.transaction() as tx:
        for hours in (1, 24):
            snapshot = PostMetrics(
                platform=Platform(channel.platform),
                channel=channel.key,
                measured_at=T0 + timedelta(hours=hours),
                post_id="p-1",
                published_at=T0,
                impressions=100 * hours,
                likes=hours,
            )
            assert tx.add_post_metrics("forno", snapshot)
            assert not tx.add_post_metrics("forno", snapshot)
        account = AccountMetrics(
            platform=Platform(channel.platform),
            channel=channel.key,
            measured_at=T0,
            account_id="acct",
            followers=1000,
        )
        assert tx.add_account_metrics("forno", account)
        assert tx.schedule_metric_job(
            "account", brand_id="forno", channel=channel.key, label="2026-12-01", due_at=T0
        )
        assert not tx.schedule_metric_job(
            "account", brand_id="forno", channel=channel.key, label="2026-12-01", due_at=T0
        )
    with store.read() as tx:
        snaps = tx.post_snapshots("forno", post_id="p-1")
        assert [s.metrics().impressions for s in snaps] == [100, 2400]
        [acct] = tx.account_snapshots("forno")
        assert acct.metrics().followers == 1000
    with store.transaction() as tx:
        [job] = tx.claim_metric_jobs("r1", now=T0)
        assert tx.claim_metric_jobs("r2", now=T0) == []
        tx.finish_metric_job(job, now=T0)
    with store.read() as tx:
        [done] = tx.metric_jobs(state="done")
        assert done.done_at == T0


def test_brand_must_exist(store: Store, setup: Setup) -> None:
    with (
        pytest.raises(StoreError, match="brand 'nobody' is not in the store"),
        store.transaction() as tx,
    ):
        tx.put_channel("nobody", setup.channels[0])


def test_store_repr_hides_the_password() -> None:
    from smmkit.store._engine import describe

    assert "pw" not in describe("postgresql://u:pw@h/db")
    assert isinstance(Brand, type)


def test_importing_the_store_does_not_load_sqlalchemy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, smmkit, smmkit.store\n"
        "from smmkit.store import OutboxState\n"
        "print(','.join(m for m in ('sqlalchemy', 'alembic') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
