"""The workspace's community inbox on the sandbox: incremental sync, classification, threads,
marks with who did what, webhooks, and the runner's periodic pull."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from smmkit.errors import ValidationError
from smmkit.models import Channel, MessageCategory, MessageKind
from smmkit.platforms import Capability
from smmkit.platforms.meta import WebhookRefused, sign_body
from smmkit.platforms.sandbox import SandboxClient, SandboxNetwork
from smmkit.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
FORNO = ROOT / "examples" / "forno_aurora.toml"
START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
CHANNELS = ("facebook", "instagram", "newsletter", "threads")  # the setup's four channels


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Recorder(httpx.BaseTransport):
    """An httpx transport over the sandbox's that keeps every request it serves."""

    def __init__(self, network: SandboxNetwork) -> None:
        self.inner = network.transport()
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.inner.handle_request(request)

    def inbox_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path.endswith("/inbox")]


def _open(
    target: str, network: SandboxNetwork, clock: Clock, recorder: Recorder | None = None
) -> Workspace:
    def clients(channel: Channel, ws: Workspace) -> SandboxClient:
        if channel.key not in network.channel_keys():
            network.add_channel(channel)
        transport = recorder if recorder is not None else network.transport()
        return SandboxClient(network, channel.key, http_client=httpx.Client(transport=transport))

    ws = Workspace.open(target, clock=clock, clients=clients, actor="test")
    ws.import_setup(FORNO)
    for key in CHANNELS:
        ws.client(key)  # registers the channel on the network at START
    return ws


def _fill(network: SandboxNetwork, days: int, posts_per_day: int = 2) -> None:
    for day in range(days):
        for n in range(posts_per_day):
            for key in CHANNELS:
                network.create_post(
                    key, text=f"Post {day}-{n} su {key}", publish_key=f"{key}-{day:03d}-{n}"
                )
            network.advance(timedelta(hours=24 / posts_per_day))


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def network() -> Iterator[SandboxNetwork]:
    net = SandboxNetwork(start=START, mentions_per_day=6)
    yield net
    net.close()


@pytest.fixture
def ws(store_target: str, network: SandboxNetwork, clock: Clock) -> Iterator[Workspace]:
    workspace = _open(store_target, network, clock)
    yield workspace
    workspace.close()


def test_a_sync_stores_classifies_and_threads_every_channel(
    ws: Workspace, network: SandboxNetwork
) -> None:
    _fill(network, days=3)
    result = ws.sync_inbox()
    assert [c.channel for c in result.channels] == sorted(CHANNELS)
    assert result.errors == ()
    expected = {key: len(network.inbox(key)[0]) for key in CHANNELS}
    assert {c.channel: c.new for c in result.channels} == expected
    assert result.new == sum(expected.values()) > 50
    records = ws.inbox(limit=None)
    assert len(records) == result.new
    assert all(r.category in {c.value for c in MessageCategory} for r in records)
    assert all(r.language in ("it", "en", "und") for r in records)
    assert {r.message.kind for r in records} == {MessageKind.COMMENT, MessageKind.MENTION}
    # The ground truth rides along: most of the sandbox's spam is classified spam.
    spam = [r for r in records if (r.message.raw or {}).get("label") == "spam"]
    assert spam and sum(r.category == "spam" for r in spam) / len(spam) >= 0.5
    # A thread is the post's comments, oldest first.
    comment = next(r for r in records if r.message.kind is MessageKind.COMMENT)
    thread = ws.thread(comment.key)
    assert comment.key in [r.key for r in thread]
    assert {r.message.thread_id for r in thread} == {comment.message.thread_id}
    assert [r.created_at for r in thread] == sorted(r.created_at for r in thread)
    with pytest.raises(ValidationError, match="not a message"):
        ws.thread("instagram:nope")


def test_a_brand_reply_answers_the_message_and_marks_say_who(
    ws: Workspace, network: SandboxNetwork, clock: Clock
) -> None:
    _fill(network, days=2)
    ws.sync_inbox()
    question = ws.inbox(channel="instagram", state="unanswered")[-1]
    network.advance(timedelta(minutes=30))
    network.reply(question.message.message_id, "Grazie, ti rispondiamo in DM!")
    again = ws.sync_inbox()
    assert sum(c.answered for c in again.channels) == 1
    assert sum(c.new for c in again.channels) >= 1
    answered = ws.thread(question.key)
    reply = [r for r in answered if r.message.from_brand]
    assert len(reply) == 1 and reply[0].message.in_reply_to == question.message.message_id
    stored = next(r for r in answered if r.key == question.key)
    assert stored.answered_at == reply[0].created_at
    assert question.key not in {r.key for r in ws.inbox(state="unanswered")}

    clock.now = START + timedelta(days=3)
    [marked] = ws.mark(question.key, by="ana", read=True, assigned_to="bruno")
    assert marked.read and marked.assigned_to == "bruno"
    ws.mark([question.key], by="bruno", assigned_to=None, category="lead")
    with ws.store.read() as tx:
        lines = [c for c in tx.changes(entity="inbox") if c.entity_id == question.key]
    assert [(c.actor, c.action) for c in lines] == [("ana", "mark"), ("bruno", "mark")]
    assert lines[1].detail == {
        "assigned_to": {"from": "bruno", "to": None},
        "category": {"from": question.category, "to": "lead"},
    }
    assert question.key in [r.key for r in ws.inbox(category="lead")]
    assert question.key not in [r.key for r in ws.inbox(category=["spam", "abuse"])]
    before = ws.store.dump()
    with pytest.raises(Exception, match="not in brand"):
        ws.mark([question.key, "instagram:nope"], by="ana", read=False)
    assert ws.store.dump() == before


def test_a_failing_channel_is_reported_and_keeps_its_cursor(
    ws: Workspace, network: SandboxNetwork
) -> None:
    _fill(network, days=1)
    ws.sync_inbox()
    with ws.store.read() as tx:
        before = {c.channel: c.cursor for c in tx.inbox_cursors(ws.brand_id())}
    network.advance(timedelta(hours=6))
    network.inject("error_502", "error_502", "error_502", "error_502", "error_502")
    result = ws.sync_inbox()
    failed = [c for c in result.channels if c.error is not None]
    assert [c.channel for c in failed] == ["facebook"]  # the first channel pulled
    assert "502" in (failed[0].error or "")
    with ws.store.read() as tx:
        after = {c.channel: c.cursor for c in tx.inbox_cursors(ws.brand_id())}
    assert after["facebook"] == before["facebook"]
    retry = ws.sync_inbox()
    assert retry.errors == ()
    assert next(c for c in retry.channels if c.channel == "facebook").new >= 0


def test_bad_arguments_are_refused(ws: Workspace) -> None:
    with pytest.raises(ValidationError, match="page_size"):
        ws.sync_inbox(page_size=0)
    with pytest.raises(ValidationError, match="not a channel"):
        ws.sync_inbox(channels=["myspace"])
    with pytest.raises(ValidationError, match="timezone-aware"):
        ws.sync_inbox(datetime(2026, 12, 1))


def test_a_client_without_the_capability_is_skipped(
    store_target: str, network: SandboxNetwork, clock: Clock
) -> None:
    class NoInbox:
        def supports(self, capability: Capability) -> bool:
            return capability is not Capability.READ_INBOX

    ws = Workspace.open(store_target, clock=clock, clients=lambda c, w: NoInbox())
    ws.import_setup(FORNO)
    result = ws.sync_inbox()
    assert {c.skipped for c in result.channels} == {"the channel's client cannot read the inbox"}
    assert result.requests == 0
    ws.close()


# -- webhooks --------------------------------------------------------------------------------

SECRET = "app-secret-for-tests"


def _ig_delivery(comment_id: str, text: str, *, account: str = "17841400000000001") -> bytes:
    body = {
        "object": "instagram",
        "entry": [
            {
                "id": account,
                "time": 1764662400,
                "changes": [
                    {
                        "field": "comments",
                        "value": {
                            "id": comment_id,
                            "text": text,
                            "from": {"id": "555", "username": "giulia.bo"},
                            "media": {"id": "1790000000001", "media_product_type": "FEED"},
                        },
                    }
                ],
            }
        ],
    }
    return json.dumps(body).encode()


def test_webhook_events_enter_the_inbox_once(ws: Workspace) -> None:
    body = _ig_delivery("1800000000001", "Fate consegne a Bologna? Vorrei ordinare per sabato")
    first = ws.ingest_webhook(body, signature=sign_body(body, SECRET), app_secret=SECRET)
    assert (first.events, first.messages, first.new) == (1, 1, ("instagram:1800000000001",))
    again = ws.ingest_webhook(body, signature=sign_body(body, SECRET), app_secret=SECRET)
    assert again.new == ()
    [record] = ws.inbox(channel="instagram")
    assert record.message.thread_id == "1790000000001"
    assert record.category is not None and record.cues
    stranger = _ig_delivery("1800000000002", "ciao", account="999")
    ignored = ws.ingest_webhook(stranger)
    assert ignored.new == () and "999" in ignored.ignored[0]
    before = ws.store.dump()
    forged = _ig_delivery("1800000000003", "bit.ly/free-money")
    with pytest.raises(WebhookRefused):
        ws.ingest_webhook(forged, signature=sign_body(b"other", SECRET), app_secret=SECRET)
    assert ws.store.dump() == before


# -- the runner's periodic pull ----------------------------------------------------------------


def test_the_runner_pulls_the_inbox_on_its_interval(ws: Workspace, network: SandboxNetwork) -> None:
    _fill(network, days=1)
    moments = iter(
        [START + timedelta(days=1), START + timedelta(days=1, minutes=2)]
        + [START + timedelta(days=1, minutes=6)] * 50
    )
    now = {"t": START + timedelta(days=1)}

    def clock() -> datetime:
        return now["t"]

    runner = ws.runner(clock=clock, inbox_interval=timedelta(minutes=5))
    first = runner.run(max_passes=1)
    now["t"] = next(moments) + timedelta(minutes=2)
    second = runner.run(max_passes=1)
    now["t"] = START + timedelta(days=1, minutes=6)
    third = runner.run(max_passes=1)
    assert (first.inbox_syncs, second.inbox_syncs, third.inbox_syncs) == (1, 0, 1)
    assert first.inbox_new == len(ws.inbox()) > 0
    assert third.inbox_new == 0


# -- the check: 10,000 messages across four channels, then only "since" pulls --------


def test_ten_thousand_messages_sync_incrementally(tmp_path: Path, clock: Clock) -> None:
    network = SandboxNetwork(start=START, mentions_per_day=120)
    recorder = Recorder(network)
    ws = _open(str(tmp_path / "ws.db"), network, clock, recorder)
    try:
        _fill(network, days=21, posts_per_day=1)
        first = ws.sync_inbox(page_size=500)
        assert first.errors == ()
        assert first.new >= 10_000
        per_channel = Counter(r.channel for r in ws.inbox())
        assert set(per_channel) == set(CHANNELS)
        assert min(per_channel.values()) >= 2_000
        with ws.store.read() as tx:
            cursors = {c.channel: c.cursor for c in tx.inbox_cursors(ws.brand_id())}
            assert tx.inbox_count(ws.brand_id()) == first.new

        # A second pull right away: one request per channel, each "since" its stored cursor.
        recorder.requests.clear()
        second = ws.sync_inbox(page_size=500)
        requests = recorder.inbox_requests()
        assert len(recorder.requests) == len(requests) == 4
        assert {r.url.path.split("/")[3]: r.url.params["since"] for r in requests} == cursors
        assert second.new == 0 and second.requests == 4

        # New messages a few hours later: still only "since" requests, and exactly the new ones.
        network.advance(timedelta(hours=5))
        expected = sum(len(network.inbox(k, since=cursors[k])[0]) for k in CHANNELS)
        recorder.requests.clear()
        third = ws.sync_inbox(page_size=500)
        assert third.new == expected > 0
        assert recorder.requests == recorder.inbox_requests()
        assert all(r.url.params.get("since") for r in recorder.requests)
        with ws.store.read() as tx:
            assert tx.inbox_count(ws.brand_id()) == first.new + third.new
    finally:
        ws.close()
        network.close()
