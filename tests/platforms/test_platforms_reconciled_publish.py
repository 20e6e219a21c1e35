"""reconciled_publish: exactly once across its first attempt (made inline), the reconciling
rounds after it, and a key left pending by an earlier publish."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.errors import BadRequestError, PlatformError, ServerError
from smmkit.models import Platform
from smmkit.platforms import PostMarker, PublishedPost, mark_outcome_unknown, reconciled_publish

KEY = "publish-key-0001"
MARKER = PostMarker(publish_key=KEY, channel="c", fingerprint="f")


def _run(operation: Generator[Any, Any, Any]) -> Any:
    """Run an operation that sends nothing (these fakes never yield)."""
    try:
        step = next(operation)
    except StopIteration as stop:
        return stop.value
    raise AssertionError(f"unexpected step {step!r}")


class Network:
    """Creates at most what it is told to. Outcomes per attempt: ``ok`` (created, answered),
    ``lost`` (created, answer lost), ``garbled`` (created, answer unreadable: a ValueError),
    ``unsent`` (not created, outcome unknown), ``refused`` (not created, known refusal)."""

    def __init__(self, outcomes: list[str]) -> None:
        self.outcomes = outcomes
        self.created: list[str] = []
        self.attempts = 0
        self.look_ups: list[PostMarker] = []

    def post(self, reconciled: bool = False) -> PublishedPost:
        return PublishedPost(
            platform=Platform.MASTODON, channel="c", post_id="1", reconciled=reconciled
        )

    def attempt(self) -> Generator[Any, Any, PublishedPost]:
        outcome = self.outcomes[self.attempts] if self.attempts < len(self.outcomes) else "ok"
        self.attempts += 1
        if outcome in ("ok", "lost", "garbled"):
            self.created.append("1")
        if outcome == "lost":
            raise mark_outcome_unknown(ServerError("lost", platform="t", status=502))
        if outcome == "garbled":
            raise ValueError("not JSON")
        if outcome == "unsent":
            raise mark_outcome_unknown(ServerError("maybe", platform="t", status=504))
        if outcome == "refused":
            raise BadRequestError("no", platform="t", status=400)
        return self.post()
        yield  # a generator

    def find(self, marker: PostMarker) -> Generator[Any, Any, PublishedPost | None]:
        self.look_ups.append(marker)
        return self.post() if self.created else None
        yield  # a generator


def _publish(
    network: Network, rounds: int = 3, pending: dict[str, PostMarker] | None = None
) -> PublishedPost:
    built: list[int] = []

    def marker() -> PostMarker:
        built.append(1)
        return MARKER

    result: PublishedPost = _run(
        reconciled_publish(
            network.attempt,
            network.find,
            marker,
            rounds=rounds,
            pending=pending,
            publish_key=KEY,
        )
    )
    return result


def test_success_builds_no_marker_and_looks_nothing_up() -> None:
    network = Network(["ok"])
    pending: dict[str, PostMarker] = {}
    post = _publish(network, pending=pending)
    assert not post.reconciled and network.attempts == 1 and network.look_ups == []
    assert pending == {}


def test_an_unreadable_answer_is_looked_up_before_anything_is_resent() -> None:
    network = Network(["garbled"])
    post = _publish(network)
    assert post.reconciled and network.attempts == 1 and network.look_ups == [MARKER]


def test_one_round_ends_with_the_first_error_and_leaves_the_key_pending() -> None:
    network = Network(["unsent"])
    pending: dict[str, PostMarker] = {}
    with pytest.raises(ServerError) as info:
        _publish(network, rounds=1, pending=pending)
    assert info.value.status == 504 and network.look_ups == [MARKER]
    assert pending == {KEY: MARKER}
    with pytest.raises(ValueError, match="rounds must be >= 1"):
        _publish(network, rounds=0)


def test_a_pending_key_is_looked_up_before_the_first_attempt() -> None:
    network = Network(["lost"])
    pending = {KEY: MARKER}
    post = _publish(network, pending=pending)  # not found first, then sent: created, lost
    assert post.reconciled and network.attempts == 1 and len(network.look_ups) == 2
    assert pending == {}
    again = Network([])
    again.created.append("1")  # the earlier attempt did create it
    post = _publish(again, pending={KEY: MARKER})
    assert post.reconciled and again.attempts == 0 and again.look_ups == [MARKER]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["ok", "lost", "garbled", "unsent", "refused"]), max_size=6),
    st.integers(min_value=1, max_value=5),
    st.booleans(),
)
def test_never_two_posts_whatever_the_failures(
    outcomes: list[str], rounds: int, was_pending: bool
) -> None:
    network = Network(outcomes)
    pending = {KEY: MARKER} if was_pending else {}
    error: PlatformError | None = None
    try:
        post = _publish(network, rounds=rounds, pending=pending)
    except PlatformError as exc:
        error = exc
    if error is not None:
        assert len(network.created) <= 1
        made = outcomes[: network.attempts]
        # A refusal is raised as it is; any unknown outcome on the way leaves the key pending
        # (the next publish of it starts with a look-up).
        assert (KEY in pending) == (was_pending or any(o != "refused" for o in made))
        assert isinstance(error, BadRequestError) == (made[-1:] == ["refused"])
    else:
        assert network.created == ["1"] and pending == {}
        answered = network.attempts and outcomes[network.attempts - 1 :][:1] in ([], ["ok"])
        assert post.reconciled == (not answered)
    assert network.attempts <= rounds
    # Nothing is ever sent again before a look-up says the last attempt created nothing.
    assert len(network.look_ups) >= network.attempts - 1
