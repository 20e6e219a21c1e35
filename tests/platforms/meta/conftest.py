"""Fixtures for the Meta tests: the stateful fake Graph server (:mod:`.fake_graph`)."""

from __future__ import annotations

from typing import Any

import pytest

from .fake_graph import (  # type: ignore[import-not-found]
    GRAPH_FAULTS,
    IG_USER,
    PAGE_ID,
    THREADS_USER,
    TOKEN,
    FakeGraph,
)

__all__ = ["GRAPH_FAULTS", "IG_USER", "PAGE_ID", "THREADS_USER", "TOKEN", "FakeGraph"]


@pytest.fixture
def graph(fake_time: Any) -> Any:
    """A factory: ``graph(**options)`` -> a :class:`FakeGraph` on the test's fake clock."""

    def make(**options: Any) -> FakeGraph:
        return FakeGraph(fake_time, **options)

    return make
