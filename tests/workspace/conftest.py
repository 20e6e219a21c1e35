"""The moderation tests' world as fixtures: ``net``, a sandbox of 12 posts per channel, and
``ws``, a workspace on SQLite and on PostgreSQL (when a server is available) whose inbox holds
the sandbox's messages (see ``_moderation_world.py``). A test module may define its own."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _moderation_world import fill_inbox, network, open_workspace

from smmkit.platforms.sandbox import SandboxNetwork
from smmkit.workspace import Workspace


@pytest.fixture
def net(tmp_path: Path) -> Iterator[SandboxNetwork]:
    n = network(tmp_path / "sandbox.db", posts=12)
    yield n
    n.close()


@pytest.fixture
def ws(store_target: str, net: SandboxNetwork) -> Iterator[Workspace]:
    """A workspace on SQLite and on PostgreSQL (when a server is available)."""
    w = open_workspace(store_target, net)
    fill_inbox(w, net)
    yield w
    w.close()
