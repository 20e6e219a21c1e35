"""reconcile_unknown: the exactly-once loop under reconciled_publish and Bluesky's createRecord."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smmkit.errors import BadRequestError, PlatformError, ServerError
from smmkit.platforms import mark_outcome_unknown, reconcile_unknown


def _run(operation: Generator[Any, Any, Any]) -> Any:
    """Run an operation that sends nothing (these fakes never yield)."""
    try:
        step = next(operation)
    except StopIteration as stop:
        return stop.value
    raise AssertionError(f"unexpected step {step!r}")


class FakeServer:
    """A server that stores at most what it is told to, and answers in scripted ways.

    Outcomes per attempt: ``ok`` (created, answered), ``lost`` (created, answer lost),
    ``unsent`` (not created, outcome unknown), ``refused`` (not created, a known refusal).
    """

    def __init__(self, outcomes: list[str]) -> None:
        self.outcomes = outcomes
        self.created: list[str] = []
        self.attempts = 0
        self.look_ups = 0

    def attempt(self) -> Generator[Any, Any, str]:
        outcome = self.outcomes[self.attempts] if self.attempts < len(self.outcomes) else "ok"
        self.attempts += 1
        if outcome in ("ok", "lost"):
            self.created.append("post")
        if outcome == "lost":
            raise mark_outcome_unknown(ServerError("lost", platform="t", status=502))
        if outcome == "unsent":
            raise mark_outcome_unknown(ServerError("maybe", platform="t", status=504))
        if outcome == "refused":
            raise BadRequestError("no", platform="t", status=400)
        return "post"
        yield  # a generator

    def look_up(self) -> Generator[Any, Any, str | None]:
        self.look_ups += 1
        return self.created[0] if self.created else None
        yield  # a generator


def test_success_needs_no_look_up() -> None:
    server = FakeServer(["ok"])
    assert _run(reconcile_unknown(server.attempt, server.look_up)) == ("post", False)
    assert server.look_ups == 0


def test_an_unknown_outcome_is_looked_up_before_anything_is_resent() -> None:
    server = FakeServer(["lost"])
    seen: list[tuple[int, int | None]] = []
    result = _run(
        reconcile_unknown(
            server.attempt, server.look_up, on_unknown=lambda e, n: seen.append((n, e.status))
        )
    )
    assert result == ("post", True)
    assert server.attempts == 1 and server.look_ups == 1 and seen == [(1, 502)]


def test_not_found_means_one_more_attempt_is_safe() -> None:
    server = FakeServer(["unsent", "ok"])
    assert _run(reconcile_unknown(server.attempt, server.look_up)) == ("post", False)
    assert server.attempts == 2 and server.look_ups == 1 and server.created == ["post"]


def test_a_known_failure_is_raised_without_a_look_up() -> None:
    server = FakeServer(["refused"])
    with pytest.raises(BadRequestError):
        _run(reconcile_unknown(server.attempt, server.look_up))
    assert server.look_ups == 0


def test_rounds_used_up_raise_the_last_error() -> None:
    server = FakeServer(["unsent"] * 5)
    with pytest.raises(ServerError) as info:
        _run(reconcile_unknown(server.attempt, server.look_up, rounds=3))
    assert info.value.status == 504 and server.attempts == 3 and server.look_ups == 3
    with pytest.raises(ValueError, match="rounds must be >= 1"):
        _run(reconcile_unknown(server.attempt, server.look_up, rounds=0))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["ok", "lost", "unsent", "refused"]), max_size=6),
    st.integers(min_value=1, max_value=5),
)
def test_never_two_creations_whatever_the_failures(outcomes: list[str], rounds: int) -> None:
    server = FakeServer(outcomes)
    try:
        result, reconciled = _run(reconcile_unknown(server.attempt, server.look_up, rounds=rounds))
    except PlatformError:
        assert len(server.created) <= 1
    else:
        assert result == "post" and server.created == ["post"]
        assert reconciled == (outcomes[server.attempts - 1 : server.attempts] == ["lost"])
    assert server.attempts <= rounds
