"""Fixtures for the Meta tests: the stateful fake Graph server (:mod:`.fake_graph`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from smmkit.platforms._graph import ContractViolation, GraphContract

from .fake_graph import (
    GRAPH_FAULTS,
    IG_USER,
    PAGE_ID,
    THREADS_USER,
    TOKEN,
    FakeGraph,
)

SPECS = Path(__file__).resolve().parents[3].parent / "shared" / "specs" / "meta-graph"


class OptionalContract:
    """The contract check against ``../shared/specs/meta-graph``; where ``../shared`` is absent
    it checks nothing (the behaviour tests still run; ``test_graph_layer``'s contract tests skip
    with the reason)."""

    def __init__(
        self, extra: dict[str, dict[str, object]] | None = None, *, check_fields: bool = False
    ) -> None:
        self.inner = (
            GraphContract(SPECS, extra=extra, check_fields=check_fields) if SPECS.is_dir() else None
        )

    def check(self, request: httpx.Request) -> list[ContractViolation]:
        return self.inner.check(request) if self.inner is not None else []


@pytest.fixture
def contract() -> OptionalContract:
    return OptionalContract()


__all__ = [
    "GRAPH_FAULTS",
    "IG_USER",
    "PAGE_ID",
    "SPECS",
    "THREADS_USER",
    "TOKEN",
    "FakeGraph",
    "OptionalContract",
]


@pytest.fixture
def graph(fake_time: Any) -> Any:
    """A factory: ``graph(**options)`` -> a :class:`FakeGraph` on the test's fake clock."""

    def make(**options: Any) -> FakeGraph:
        return FakeGraph(fake_time, **options)

    return make
