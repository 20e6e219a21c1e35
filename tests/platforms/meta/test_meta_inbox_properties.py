"""Properties of the incremental Meta pulls read newest first back to a watermark (Instagram's
tagged media and direct messages, Threads' conversations, mentions and own replies): whatever
the schedule of new messages (several in the same second included) and of pulls (any page
size), every message is returned exactly once, and a pull right after another returns
nothing."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smmkit.models import Variant
from smmkit.platforms.instagram import InstagramClient
from smmkit.platforms.threads import ThreadsClient

from .conftest import IG_USER, THREADS_USER, TOKEN, FakeGraph

# a schedule: ("new", how many, seconds to wait first) or ("pull", page size)
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("new"), st.integers(1, 7), st.sampled_from([0, 0, 1, 30])),
        st.tuples(st.just("pull"), st.integers(1, 12), st.just(0)),
    ),
    min_size=1,
    max_size=14,
)


class Clock:
    def __init__(self) -> None:
        self.current = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def sleep(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


def _run(steps: list[tuple[str, int, int]], add: Any, pull: Any) -> None:
    made: list[str] = []
    got: Counter[str] = Counter()
    cursor: str | None = None
    for step, n, wait in [*steps, ("pull", 5, 0), ("pull", 5, 0)]:
        if step == "new":
            add(n, wait, made)
        else:
            page = pull(cursor, n)
            got.update(m.message_id for m in page.messages)
            cursor = page.cursor
    # what a pull cap left for later is read by the next pulls: pull until nothing is new
    for _ in range(len(made) + 2):
        page = pull(cursor, 12)
        if not page.messages:
            break
        got.update(m.message_id for m in page.messages)
        cursor = page.cursor
    assert set(got) == set(made)
    assert max(got.values(), default=1) == 1, "a message was returned twice"
    assert pull(cursor, 3).messages == ()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STEPS)
def test_instagram_tags_and_direct_messages_each_once(steps: list[tuple[str, int, int]]) -> None:
    clock = Clock()
    server = FakeGraph(clock)
    client = InstagramClient(
        IG_USER,
        token=TOKEN,
        direct_messages=True,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=clock.sleep,
        clock=clock.now,
    )
    client.core.tag_pages = 50  # the cap is tested elsewhere; here nothing may be left out

    def add(n: int, wait: int, made: list[str]) -> None:
        clock.sleep(wait)
        for i in range(n):
            made.append(server.tag(f"@forno {len(made)}", f"u{i}")["id"])
            made.append(server.direct_message(f"55{i % 3}", f"u{i}", f"dm {len(made)}")["id"])

    _run(steps, add, lambda cursor, size: client.fetch_inbox(cursor, limit=size))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STEPS)
def test_threads_replies_and_mentions_each_once(steps: list[tuple[str, int, int]]) -> None:
    clock = Clock()
    server = FakeGraph(clock)
    client = ThreadsClient(
        THREADS_USER,
        token=TOKEN,
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
        sleep=clock.sleep,
        clock=clock.now,
    )
    client.core.inbox_pages = 50
    post = client.publish(Variant(channel="threads", platform="threads", text="Pane")).post_id
    replies: list[str] = []

    def add(n: int, wait: int, made: list[str]) -> None:
        clock.sleep(wait)
        for i in range(n):
            parent = replies[-1] if replies and i % 2 else post  # nested replies too
            replies.append(server.add_thread_reply(parent, f"r {len(made)}", f"u{i}")["id"])
            made.append(replies[-1])
            made.append(server.add_thread_mention(f"@forno {len(made)}", f"m{i}")["id"])

    _run(steps, add, lambda cursor, size: client.fetch_inbox(cursor, limit=size))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=30,
)
MESSAGING = st.fixed_dictionaries(
    {},
    optional={
        "sender": st.fixed_dictionaries({}, optional={"id": JSON}) | JSON,
        "recipient": st.fixed_dictionaries({}, optional={"id": JSON}) | JSON,
        "timestamp": JSON,
        "message": st.fixed_dictionaries(
            {}, optional={"mid": JSON, "text": JSON, "is_echo": JSON, "is_deleted": JSON}
        )
        | JSON,
    },
)


@settings(max_examples=200, deadline=None)
@given(items=st.lists(MESSAGING | JSON, max_size=4), obj=st.sampled_from(["instagram", "page"]))
def test_messaging_webhooks_never_crash(items: list[Any], obj: str) -> None:
    """Whatever a ``messaging`` delivery holds, parsing it and turning its events into inbox
    messages either works or raises the library's ValidationError (never a raw exception)."""
    from smmkit.errors import ValidationError
    from smmkit.platforms.meta import parse_webhook, webhook_message

    body = {"object": obj, "entry": [{"id": "1", "time": 1764147600, "messaging": items}]}
    try:
        events = parse_webhook(json.dumps(body).encode())
    except ValidationError:
        return
    for event in events:
        assert event.kind == "direct" and event.comment is not None
        message = webhook_message(event, channel="c", account_id="1")
        assert message is not None and message.private and message.message_id
