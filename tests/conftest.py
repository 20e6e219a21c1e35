"""Shared test fixtures and helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path inside ../shared/; the calling test is skipped with a clear reason if it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (the ../shared/ folder is absent)")
    return path


@pytest.fixture
def repo_root() -> Path:
    return ROOT


@pytest.fixture(name="shared_path")
def _shared_path_fixture() -> object:
    """Fixture form of :func:`shared_path` (``shared_path("data", "nab")``)."""
    return shared_path
