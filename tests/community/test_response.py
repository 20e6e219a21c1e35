"""Response times: first-response time, response rate and backlog by age and category, per
channel, from the inbox's messages and a given ``now``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.community import (
    UNCLASSIFIED,
    AgeBucket,
    ResponseReport,
    age_bucket,
    response_times,
)
from smmkit.errors import ValidationError
from smmkit.models import InboxMessage, MessageCategory, MessageKind, Platform

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _msg(
    ident: str,
    minutes_ago: float,
    *,
    channel: str = "masto",
    brand: bool = False,
    to: str | None = None,
    thread: str = "post-1",
    kind: MessageKind = MessageKind.COMMENT,
    hidden: bool = False,
) -> InboxMessage:
    return InboxMessage(
        channel=channel,
        platform=Platform.MASTODON,
        message_id=ident,
        kind=kind,
        thread_id=thread,
        in_reply_to=to,
        author="brand" if brand else f"user-{ident}",
        text="...",
        created_at=NOW - timedelta(minutes=minutes_ago),
        from_brand=brand,
        hidden=hidden,
    )


def test_age_buckets_have_the_documented_edges() -> None:
    assert age_bucket(timedelta(minutes=59, seconds=59)) is AgeBucket.UNDER_1H
    assert age_bucket(timedelta(hours=1)) is AgeBucket.FROM_1H_TO_4H
    assert age_bucket(timedelta(hours=4)) is AgeBucket.FROM_4H_TO_24H
    assert age_bucket(timedelta(hours=24)) is AgeBucket.FROM_1D_TO_3D
    assert age_bucket(timedelta(days=3)) is AgeBucket.OVER_3D
    assert [b.value for b in AgeBucket] == ["<1h", "1-4h", "4-24h", "1-3d", ">3d"]


def test_first_response_rate_and_backlog_on_one_channel() -> None:
    messages = [
        # answered after 10, 30, 60 and 120 minutes
        _msg("a", 300),
        _msg("ra", 290, brand=True, to="a"),
        _msg("b", 300),
        _msg("rb", 270, brand=True, to="b"),
        _msg("c", 300),
        _msg("rc", 240, brand=True, to="c"),
        _msg("d", 300),
        _msg("rd", 180, brand=True, to="d"),
        # waiting: 30 min, 2 h, 10 h, 2 days, 5 days
        _msg("e", 30),
        _msg("f", 120),
        _msg("g", 600),
        _msg("h", 2 * 24 * 60),
        _msg("i", 5 * 24 * 60),
    ]
    report = response_times(messages, now=NOW)
    masto = report.channel("masto")
    assert (masto.received, masto.answered, masto.backlog) == (9, 4, 5)
    assert masto.response_rate == pytest.approx(4 / 9)
    # delays 600, 1800, 3600, 7200 s: median 2700, p90 = 3600 + 0.7 * 3600
    assert masto.first_response_median_seconds == pytest.approx(2700)
    assert masto.first_response_p90_seconds == pytest.approx(6120)
    assert masto.backlog_by_age == dict.fromkeys(AgeBucket, 1)
    assert masto.backlog_by_category == {UNCLASSIFIED: dict.fromkeys(AgeBucket, 1)}
    assert masto.oldest_waiting_seconds == 5 * 24 * 3600
    assert report.total.model_dump() == masto.model_dump(exclude={"channel"})
    assert report.skipped == {"from_brand": 4}


def test_per_channel_and_total() -> None:
    messages = [
        _msg("a", 100, channel="masto"),
        _msg("ra", 90, channel="masto", brand=True, to="a"),
        _msg("a", 100, channel="bsky"),  # same id, another channel: another message
        _msg("b", 50, channel="bsky"),
        _msg("rb", 20, channel="bsky", brand=True, to="b"),
    ]
    report = response_times(messages, now=NOW)
    assert [c.channel for c in report.channels] == ["bsky", "masto"]
    assert report.channel("masto").first_response_median_seconds == 600
    bsky = report.channel("bsky")
    assert (bsky.received, bsky.answered, bsky.backlog) == (2, 1, 1)
    assert bsky.first_response_median_seconds == 1800
    assert (report.total.received, report.total.answered) == (3, 2)
    assert report.total.first_response_median_seconds == pytest.approx(1200)
    with pytest.raises(KeyError, match="bsky, masto"):
        report.channel("x")


def test_categories_exclude_spam_and_split_the_backlog() -> None:
    messages = [_msg("q1", 30), _msg("q2", 300), _msg("c1", 30), _msg("s1", 30), _msg("x", 30)]
    categories = {
        "masto:q1": MessageCategory.QUESTION,
        "masto:q2": MessageCategory.QUESTION,
        "masto:c1": MessageCategory.COMPLAINT,
        "masto:s1": MessageCategory.SPAM,
    }
    report = response_times(messages, now=NOW, categories=categories)
    masto = report.channel("masto")
    assert masto.received == 4 and masto.backlog == 4
    assert masto.response_rate == 0 and masto.first_response_median_seconds is None
    assert masto.backlog_by_category == {
        "complaint": {**dict.fromkeys(AgeBucket, 0), AgeBucket.UNDER_1H: 1},
        "question": {
            **dict.fromkeys(AgeBucket, 0),
            AgeBucket.UNDER_1H: 1,
            AgeBucket.FROM_4H_TO_24H: 1,
        },
        UNCLASSIFIED: {**dict.fromkeys(AgeBucket, 0), AgeBucket.UNDER_1H: 1},
    }
    assert report.skipped == {"spam": 1}
    # nothing excluded: the spam waits too
    everything = response_times(messages, now=NOW, categories=categories, exclude=())
    assert everything.total.backlog == 5


def test_hidden_future_duplicate_and_brand_messages_are_skipped() -> None:
    messages = [
        _msg("a", 30),
        _msg("a", 30),
        _msg("h", 30, hidden=True),
        _msg("f", -5),
        _msg("rf", -10, brand=True, to="a"),  # a reply after now is no answer yet
    ]
    report = response_times(messages, now=NOW)
    assert report.total.received == 1 and report.total.answered == 0
    assert report.skipped == {"duplicates": 1, "future": 2, "hidden": 1}


def test_a_reply_before_the_message_is_no_answer() -> None:
    messages = [_msg("a", 30), _msg("ra", 60, brand=True, to="a")]
    assert response_times(messages, now=NOW).total.answered == 0


def test_the_earliest_answer_counts() -> None:
    messages = [
        _msg("a", 100),
        _msg("r2", 40, brand=True, to="a"),
        _msg("r1", 70, brand=True, to="a"),
    ]
    report = response_times(messages, now=NOW, answered_at={"masto:a": NOW - timedelta(minutes=50)})
    assert report.total.first_response_median_seconds == 30 * 60
    marked = response_times(
        [_msg("b", 100)], now=NOW, answered_at={"masto:b": NOW - timedelta(minutes=95)}
    )
    assert marked.total.first_response_median_seconds == 5 * 60


def test_direct_messages_are_answered_by_the_next_message_in_the_conversation() -> None:
    dm = MessageKind.DIRECT
    messages = [
        _msg("d1", 100, kind=dm, thread="conv"),
        _msg("d2", 90, kind=dm, thread="conv"),
        _msg("b1", 80, kind=dm, thread="conv", brand=True),
        _msg("d3", 10, kind=dm, thread="conv"),
        _msg("other", 100, kind=dm, thread="conv-2"),
    ]
    report = response_times(messages, now=NOW)
    assert (report.total.received, report.total.answered) == (4, 2)
    assert report.total.first_response_median_seconds == pytest.approx(15 * 60)
    # a comment is answered only by a reply to it
    comments = [_msg("c", 100), _msg("b", 80, brand=True)]
    assert response_times(comments, now=NOW).total.answered == 0


def test_since_bounds_the_rates_not_the_backlog() -> None:
    messages = [
        _msg("old", 3 * 24 * 60 + 1),
        _msg("old-answered", 4 * 24 * 60),
        _msg("r", 4 * 24 * 60 - 5, brand=True, to="old-answered"),
        _msg("new", 10),
    ]
    report = response_times(messages, now=NOW, since=NOW - timedelta(days=1))
    assert report.total.received == 1 and report.total.answered == 0
    assert report.total.backlog == 2
    assert report.total.backlog_by_age[AgeBucket.OVER_3D] == 1
    assert report.since == NOW - timedelta(days=1)


def test_nothing_received_gives_no_rate() -> None:
    report = response_times([], now=NOW)
    assert report.channels == () and report.total.response_rate is None
    assert report.total.backlog_by_age == dict.fromkeys(AgeBucket, 0)
    assert isinstance(report, ResponseReport)


def test_other_timezones_give_the_same_figures() -> None:
    rome = ZoneInfo("Europe/Rome")
    messages = [_msg("a", 100), _msg("r", 40, brand=True, to="a"), _msg("b", 200)]
    shifted = [m.model_copy(update={"created_at": m.created_at.astimezone(rome)}) for m in messages]
    a = response_times(messages, now=NOW).total
    b = response_times(shifted, now=NOW.astimezone(rome)).total
    assert a == b


def test_bad_input_is_refused_clearly() -> None:
    naive = datetime(2026, 3, 10, 12, 0)
    with pytest.raises(ValidationError, match="timezone-aware"):
        response_times([], now=naive)
    with pytest.raises(ValidationError, match="after now"):
        response_times([], now=NOW, since=NOW + timedelta(seconds=1))
    with pytest.raises(ValidationError, match="answered_at"):
        response_times([], now=NOW, answered_at={"x:y": naive})
    with pytest.raises(ValidationError, match="InboxMessage"):
        response_times(["hello"], now=NOW)  # type: ignore[list-item]


_delays = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(_delays, st.integers(min_value=0, max_value=40))
def test_invariants(delays: list[int], waiting: int) -> None:
    messages: list[InboxMessage] = []
    for i, delay in enumerate(delays):
        messages.append(_msg(f"m{i}", 20_000))
        messages.append(_msg(f"r{i}", 20_000 - delay, brand=True, to=f"m{i}"))
    for j in range(waiting):
        messages.append(_msg(f"w{j}", j * 97))
    total = response_times(messages, now=NOW).total
    assert total.received == len(delays) + waiting
    assert total.answered == len(delays)
    assert total.backlog == waiting == sum(total.backlog_by_age.values())
    assert total.first_response_median_seconds is not None
    assert total.first_response_p90_seconds is not None
    low, high = min(delays) * 60, max(delays) * 60
    assert low <= total.first_response_median_seconds <= total.first_response_p90_seconds <= high
    # the order of the messages does not matter
    assert response_times(list(reversed(messages)), now=NOW).total == total


def test_received_and_first_response_by_category() -> None:
    messages = [
        _msg("q1", 100),
        _msg("r1", 90, brand=True, to="q1"),
        _msg("q2", 100),
        _msg("r2", 70, brand=True, to="q2"),
        _msg("c1", 100),
        _msg("x", 5),
    ]
    categories = {
        "masto:q1": MessageCategory.QUESTION,
        "masto:q2": MessageCategory.QUESTION,
        "masto:c1": MessageCategory.COMPLAINT,
    }
    total = response_times(messages, now=NOW, categories=categories).total
    assert total.received_by_category == {"complaint": 1, "question": 2, UNCLASSIFIED: 1}
    assert total.first_response_median_by_category_seconds == {"question": 20 * 60}
