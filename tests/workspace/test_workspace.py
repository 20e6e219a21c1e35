"""The workspace end to end on a SQLite file and the sandbox network, with an injected clock."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from smmkit.errors import ContentRuleError, SetupError, TransitionError, ValidationError
from smmkit.models import Money, PostMetrics, Variant
from smmkit.platforms import TokenSet
from smmkit.platforms.sandbox import SandboxNetwork, ad_history
from smmkit.workspace import Workspace, generate_key

ROOT = Path(__file__).resolve().parents[2]
FORNO = ROOT / "examples" / "forno_aurora.toml"
START = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def network(tmp_path: Path) -> Iterator[SandboxNetwork]:
    net = SandboxNetwork(path=tmp_path / "sandbox.db", start=START)
    yield net
    net.close()


@pytest.fixture
def ws(store_target: str, clock: Clock, network: SandboxNetwork) -> Iterator[Workspace]:
    """A workspace on SQLite and on PostgreSQL (when a server is available)."""
    workspace = Workspace.open(store_target, clock=clock, sandbox=network, actor="test")
    workspace.import_setup(FORNO)
    yield workspace
    workspace.close()


def _prepare(ws: Workspace) -> None:
    ws.plan(date(2026, 11, 30), weeks=2)
    ws.draft()
    ws.approve([v.id for v in ws.variants(status="draft")])


def test_the_whole_job_publishes_each_variant_exactly_once(
    ws: Workspace, clock: Clock, network: SandboxNetwork
) -> None:
    calendar = ws.plan(date(2026, 11, 30), weeks=2)
    assert calendar.slots
    drafted = ws.draft()
    assert drafted.drafted
    assert not drafted.refused
    approved = ws.approve([d.variant_id for d in drafted.drafted], note="ok", actor="ana")
    assert {v.status.value for v in approved} == {"approved"}
    with ws.store.read() as tx:
        history = tx.history("variant", approved[0].id)
    assert [h.to_status for h in history] == ["draft", "in_review", "approved"]
    result = ws.schedule()
    assert len(result.scheduled) == len(approved)
    assert all(a.at >= START for a in result.scheduled)
    # nothing is due before the first slot
    assert ws.publish_due(START).due == ()
    later = max(a.at for a in result.scheduled) + timedelta(minutes=1)
    dry = ws.publish_due(later, dry_run=True)
    assert len(dry.due) == len(approved)
    assert ws.status().outbox == {"pending": len(approved)}  # dry run wrote nothing
    network.set_time(later)
    clock.now = later
    done = ws.publish_due(later)
    assert done.published == len(approved)
    again = ws.publish_due(later + timedelta(hours=1))
    assert again.published == 0
    for variant in ws.variants():
        assert variant.status.value == "published"
        assert len(network.posts(variant.channel, publish_key=variant.publish_key)) == 1
    status = ws.status()
    assert status.published == len(approved)
    assert status.outbox == {"published": len(approved)}
    # the runner collects each post's metrics on schedule (1 h, 24 h, 7 days after publishing)
    measured = ws.status().post_snapshots
    network.set_time(later + timedelta(days=2))
    ran = ws.run(until_idle=True, now=later + timedelta(days=2))
    assert ran.published == 0
    assert ran.metrics > 0  # readings that fell due since (the runner's suite checks the ages)
    assert ws.status().post_snapshots > measured


def test_a_crashed_send_is_reconciled_not_sent_twice(
    ws: Workspace, clock: Clock, network: SandboxNetwork
) -> None:
    _prepare(ws)
    result = ws.schedule()
    first = min(result.scheduled, key=lambda a: a.at)
    moment = first.at + timedelta(minutes=1)
    network.set_time(moment)
    # A process claims the row, publishes, and dies before recording the result.
    with ws.store.transaction(actor="dead") as tx:
        tx.register_runner("dead", lock_key=424242, now=moment)
        [entry] = tx.claim_due("dead", now=moment, limit=1)
    variant = Variant.model_validate(entry.payload)
    network.client(entry.channel).publish(variant)
    done = ws.publish_due(moment)
    assert done.reconciled == 1
    assert len(network.posts(variant.channel, publish_key=variant.publish_key)) == 1
    with ws.store.read() as tx:
        [record] = [p for p in tx.published() if p.variant_id == variant.id]
    assert record.reconciled


def test_refused_inputs_leave_the_store_byte_for_byte_unchanged(
    ws: Workspace, tmp_path: Path
) -> None:
    _prepare(ws)
    ws.schedule()
    before = ws.store.dump()

    broken = tmp_path / "broken.toml"
    broken.write_text(
        FORNO.read_text(encoding="utf-8").replace("share = 0.35", "share = 0.5"), encoding="utf-8"
    )
    with pytest.raises(SetupError, match="must sum to 1"):
        ws.import_setup(broken)
    assert ws.store.dump() == before

    scheduled = ws.variants(status="scheduled")
    with pytest.raises(TransitionError, match="approved"):
        ws.approve([scheduled[0].id])
    assert ws.store.dump() == before
    with pytest.raises(TransitionError, match="published"):
        ws.transition([scheduled[0].id], "draft")
    assert ws.store.dump() == before

    too_long = Variant(channel="threads", platform="threads", text="pane " * 200)
    with pytest.raises(ContentRuleError, match="threads"):
        ws.add_variant(too_long)
    with pytest.raises(ValidationError, match="not a channel"):
        ws.client("myspace")
    assert ws.store.dump() == before


def test_a_batch_with_one_forbidden_move_writes_nothing(ws: Workspace) -> None:
    ws.plan(date(2026, 11, 30), weeks=2)
    drafts = [d.variant_id for d in ws.draft().drafted]
    ws.approve(drafts[1:])
    ws.schedule()
    ws.submit(drafts[:1])
    before = ws.store.dump()
    # the first (in review -> approved) is allowed, the second (scheduled) is not
    with pytest.raises(TransitionError):
        ws.approve([drafts[0], drafts[1]])
    assert ws.store.dump() == before
    assert ws.variants(status="in_review")[0].id == drafts[0]


def test_workflow_methods_take_one_id_a_variant_or_several(ws: Workspace) -> None:
    drafts = [d.variant_id for d in ws.draft().drafted]
    assert [v.status.value for v in ws.submit(drafts[0])] == ["in_review"]
    variant = ws.variants(status="draft")[0]
    assert [v.id for v in ws.approve(variant)] == [variant.id]
    assert {v.status.value for v in ws.approve(drafts[2:4])} == {"approved"}
    with pytest.raises(ValidationError, match="not in the workspace"):
        ws.approve("no-such-variant")


def test_drafting_again_fills_only_what_is_missing(ws: Workspace, store_target: str) -> None:
    first = ws.draft()
    second = ws.draft()
    assert second.drafted == ()
    assert second.already == len(first.drafted)
    ws.close()
    # a second process (a second run) continues on the same database
    again = Workspace.open(store_target)
    try:
        assert again.brands() == ["forno-aurora"]
        assert len(again.variants()) == len(first.drafted)
        assert again.draft().drafted == ()
    finally:
        again.close()


def test_tokens_are_encrypted_at_rest_and_never_logged(
    tmp_path: Path, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    access, refresh = "acc-PLAINTEXT-7f3a9c", "ref-PLAINTEXT-b81d02"
    key = generate_key()
    path = tmp_path / "secret.db"
    with caplog.at_level(logging.DEBUG):
        ws = Workspace.open(path, clock=clock, secret_key=key)
        ws.import_setup(FORNO)
        tokens = TokenSet(access_token=SecretStr(access), refresh_token=SecretStr(refresh))
        ws.token_saver("threads")(tokens)
        loaded = ws.load_tokens("threads")
        assert loaded is not None
        assert loaded.access_token.get_secret_value() == access
        dump = ws.store.dump()
        ws.close()
    files = [p for p in tmp_path.iterdir() if p.name.startswith("secret.db")]
    assert files
    for file in files:
        raw = file.read_bytes()
        assert access.encode() not in raw, file
        assert refresh.encode() not in raw, file
    assert access not in dump
    assert access not in caplog.text
    assert refresh not in caplog.text
    # another key cannot read them; the right key after a new one can, and rotation moves them
    with pytest.raises(ValidationError, match="cannot be decrypted"):
        Workspace.open(path, secret_key=generate_key()).load_tokens("threads")
    new = generate_key()
    rotating = Workspace.open(path, secret_key=[new, key])
    assert rotating.rotate_secret_key() == 1
    rotating.close()
    only_new = Workspace.open(path, secret_key=new)
    again = only_new.load_tokens("threads")
    assert again is not None
    assert again.refresh_token is not None
    assert again.refresh_token.get_secret_value() == refresh
    only_new.close()


def test_storing_tokens_without_a_key_is_refused(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SMMKIT_SECRET_KEY", raising=False)
    with Workspace.open(tmp_path / "nokey.db", clock=clock) as ws:
        ws.import_setup(FORNO)
        before = ws.store.dump()
        with pytest.raises(ValidationError, match="encryption key"):
            ws.save_tokens("threads", TokenSet(access_token=SecretStr("x-123456")))
        assert ws.store.dump() == before


def test_credential_references_are_kept_and_resolved(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = ws.setup().channel("instagram")
    assert channel.credentials is None  # never stored with the channel
    with ws.store.read() as tx:
        reference = tx.get_channel_secret("forno-aurora", "instagram", "reference")
    assert reference is not None
    assert reference.startswith("env:")
    monkeypatch.setenv(reference[4:], "tok-from-env")
    secret = ws.credentials(channel)
    assert secret is not None
    assert secret.get_secret_value() == "tok-from-env"


def _metrics(channel: str, n: int, hour: int) -> list[PostMetrics]:
    out = []
    for k in range(n):
        when = datetime(2026, 10, 26, hour, 0, tzinfo=UTC) + timedelta(days=k)
        out.append(
            PostMetrics(
                platform="instagram",
                channel=channel,
                post_id=f"{channel}-{hour}-{k}",
                published_at=when,
                measured_at=when + timedelta(days=2),
                reach=1000,
                likes=100 if hour == 17 else 5,
                comments=1,
                shares=1,
            )
        )
    return out


def test_best_times_from_stored_metrics_feed_the_next_plan(ws: Workspace) -> None:
    assert ws.best_times(min_posts=1) is None
    ws.add_post_metrics(_metrics("instagram", 14, 17) + _metrics("instagram", 14, 7))
    learnt = ws.best_times(min_posts=20)
    assert learnt is not None
    (day, hour, _score) = learnt.top("instagram", 1)[0]
    assert hour == 18  # 17:00 UTC is 18:00 in Rome
    with_times = ws.plan(date(2026, 11, 30), weeks=2)
    without = ws.plan(date(2026, 11, 30), weeks=2, use_best_times=False)
    hours_with = [s.start.hour for s in with_times.slots if s.channel == "instagram"]
    hours_without = [s.start.hour for s in without.slots if s.channel == "instagram"]
    assert hours_with != hours_without
    assert hours_with.count(18) >= hours_without.count(18)
    del day


def test_curves_allocation_and_pacing_from_stored_ad_history(ws: Workspace) -> None:
    history = ad_history(["facebook", "instagram"], weeks=52, seed=3)
    rows = [r for ch in ("facebook", "instagram") for r in history.for_channel(ch)]
    assert ws.add_ad_metrics(rows) == len(rows)
    assert ws.add_ad_metrics(rows[:3]) == 0  # a period is stored once
    fits = ws.fit_curves(bootstrap=5)
    assert set(fits) == {"facebook", "instagram"}
    allocation = ws.allocate(Money.of("4000", "EUR"), weeks=4, fits=fits)
    assert allocation.total == Money.of("4000", "EUR")
    assert sum(ln.amount.amount for ln in allocation.lines) == 4000
    plan = ws.pace(allocation, date(2026, 12, 1), date(2026, 12, 28))
    assert sum(d.amount.amount for d in plan.days) == 4000


def test_exports_and_brand_selection(ws: Workspace, tmp_path: Path) -> None:
    ws.plan(date(2026, 11, 30), weeks=1)
    ics = ws.export("ics")
    assert ics.startswith(b"BEGIN:VCALENDAR")
    assert ws.export("csv").splitlines()[0].startswith(b"id,")
    assert b'"slots"' in ws.export("json")
    with pytest.raises(ValidationError, match="must be one of"):
        ws.export("pdf")
    ws.import_setup(ROOT / "examples" / "larch_and_loom.toml")
    with pytest.raises(ValidationError, match="several brands"):
        ws.status()
    assert ws.status(brand="larch-loom").brand == "larch-loom"
    with pytest.raises(ValidationError, match="is not in this workspace"):
        ws.status(brand="nope")
