"""Properties of incremental inbox pulls: whatever the page sizes, the moments of the pulls and
the ties in time, every message is pulled exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.models import InboxMessage, Platform
from smmkit.platforms._inbox import CountsCursor, Watermark, newest_first_page, pulled
from smmkit.platforms.sandbox import SandboxNetwork, sandbox_channel

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


@settings(max_examples=200, deadline=None)
@given(
    gaps=st.lists(st.integers(min_value=0, max_value=2), min_size=1, max_size=60),
    cuts=st.lists(st.integers(min_value=0, max_value=60), max_size=8),
)
def test_a_watermark_pulls_each_message_once(gaps: list[int], cuts: list[int]) -> None:
    # Messages arrive in time order, with many equal times (gap 0); a pull sees what arrived.
    arrivals: list[tuple[datetime, str]] = []
    when = T0
    for n, gap in enumerate(gaps):
        when += timedelta(seconds=gap)
        arrivals.append((when, f"m{n}"))
    mark: Watermark | None = None
    pulled: list[str] = []
    for cut in [*sorted(cuts), len(arrivals)]:
        visible = arrivals[:cut]
        cursor = None if mark is None else CountsCursor(mark, {"p1": cut}).encode()
        state = CountsCursor.parse(cursor, "test")
        current = state.mark if state is not None else None
        new = [(t, i) for t, i in visible if current is None or current.is_new(t, i)]
        pulled.extend(i for _, i in new)
        base = current or Watermark(datetime.min.replace(tzinfo=UTC))
        mark = base.advance(new)
    assert sorted(pulled) == sorted(i for _, i in arrivals)
    assert len(pulled) == len(set(pulled))


def _message(n: int, when: datetime) -> InboxMessage:
    return InboxMessage(
        channel="ig",
        platform=Platform.INSTAGRAM,
        message_id=f"m{n}",
        thread_id="p1",
        author="someone",
        text=f"message {n}",
        created_at=when,
    )


@settings(max_examples=200, deadline=None)
@given(
    offsets=st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=40),
    repeats=st.lists(st.integers(min_value=0, max_value=39), max_size=10),
    page=st.integers(min_value=1, max_value=10),
    mark_at=st.one_of(st.none(), st.integers(min_value=0, max_value=20)),
    oldest=st.integers(min_value=0, max_value=5),
)
def test_newest_first_pages_and_a_pull_give_each_new_message_once_in_order(
    offsets: list[int], repeats: list[int], page: int, mark_at: int | None, oldest: int
) -> None:
    # A newest-first listing with ties and with messages listed twice (a media tagged twice,
    # a reply in a conversation and in /replies), read page by page as the clients do.
    messages = [_message(n, T0 + timedelta(seconds=s)) for n, s in enumerate(offsets)]
    listing = sorted(
        messages + [messages[r] for r in repeats if r < len(messages)],
        key=lambda m: m.created_at,
        reverse=True,
    )
    mark = None
    if mark_at is not None:
        at = T0 + timedelta(seconds=mark_at)
        mark = Watermark(at, frozenset(m.message_id for m in messages if m.created_at == at))
    floor = T0 + timedelta(seconds=oldest)
    found: list[InboxMessage] = []
    for start in range(0, len(listing), page):
        part, reached_old = newest_first_page(listing[start : start + page], mark, floor)
        found += part
        if reached_old:
            break
    ordered, after = pulled(found, mark)
    expected = {
        m.message_id
        for m in messages
        if m.created_at >= floor and (mark is None or mark.is_new(m.created_at, m.message_id))
    }
    assert [m.message_id for m in ordered] == sorted(
        expected, key=lambda i: (messages[int(i[1:])].created_at, i)
    )
    # the next pull from the new watermark gets nothing of what was pulled
    assert not [m for m in ordered if after.is_new(m.created_at, m.message_id)]
    assert mark is None or after.at >= mark.at


@settings(max_examples=15, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.integers(min_value=0, max_value=30), st.integers(min_value=1, max_value=40)),
        min_size=1,
        max_size=6,
    )
)
def test_sandbox_pages_and_pulls_at_any_moment_give_the_whole_inbox_once(
    steps: list[tuple[int, int]],
) -> None:
    network = SandboxNetwork(seed=11, start=T0, mentions_per_day=12)
    network.add_channel(sandbox_channel("ig"))
    for n in range(4):
        network.create_post("ig", text=f"Post {n}", publish_key=f"ig-prop-{n:04d}")
        network.advance(timedelta(hours=5))
    client = network.client("ig")
    cursor: str | None = None
    pulled: list[str] = []
    for hours, limit in steps:
        network.advance(timedelta(hours=hours))
        while True:
            page = client.fetch_inbox(cursor, limit=limit)
            pulled.extend(m.key for m in page.messages)
            cursor = page.cursor
            if not page.has_more:
                break
    everything = [m.key for m in network.inbox("ig")[0]]
    assert sorted(pulled) == sorted(everything)
    assert len(pulled) == len(set(pulled))
    client.close()
    network.close()
