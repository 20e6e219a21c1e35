"""``smmkit.store``: a workspace's persistent state (SQLAlchemy Core, Alembic migrations).

>>> from smmkit.store import open_store
>>> store = open_store(":memory:")          # or "workspace.db", or "postgresql://..."
>>> with store.transaction(actor="ana") as tx:
...     tx.log("note", "hello", "said")
>>> with store.read() as tx:
...     [c.action for c in tx.changes()]
['said']

SQLite by default (one file, WAL, foreign keys on, a busy timeout, ``BEGIN IMMEDIATE`` for
writes); PostgreSQL through psycopg 3 (``pip install 'smmkit[postgres]'``). Opening a database
written by an older smmkit migrates it; one written by a newer smmkit is refused with
:class:`StoreVersionError`. SQLAlchemy is imported only when a store is opened. See
``docs/store.md``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._records import (
    AccountSnapshot,
    ActionRecord,
    ActionState,
    ChangeEntry,
    HistoryEntry,
    InboxCursor,
    InboxRecord,
    InboxState,
    MetricJob,
    MetricJobKind,
    NotificationRecord,
    OutboxEntry,
    OutboxState,
    PostSnapshot,
    PublishedRecord,
    RunnerRecord,
    SlotRecord,
    StoreVersionError,
)

if TYPE_CHECKING:
    from ._inbox import UNSET, ClassificationLike, InboxWrite
    from ._store import PublishOutcome, RunnerLock, SlotLike, Store, Transaction, open_store

__all__ = [
    "SCHEMA_REVISIONS",
    "UNSET",
    "AccountSnapshot",
    "ActionRecord",
    "ActionState",
    "ChangeEntry",
    "ClassificationLike",
    "HistoryEntry",
    "InboxCursor",
    "InboxRecord",
    "InboxState",
    "InboxWrite",
    "MetricJob",
    "MetricJobKind",
    "NotificationRecord",
    "OutboxEntry",
    "OutboxState",
    "PostSnapshot",
    "PublishOutcome",
    "PublishedRecord",
    "RunnerLock",
    "RunnerRecord",
    "SlotLike",
    "SlotRecord",
    "Store",
    "StoreVersionError",
    "Transaction",
    "open_store",
]

SCHEMA_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006")
"""The schema revisions this smmkit knows, oldest first; the last is the one it writes."""

_LAZY = {"PublishOutcome", "RunnerLock", "SlotLike", "Store", "Transaction", "open_store"}
_LAZY_INBOX = {"UNSET", "ClassificationLike", "InboxWrite"}


def __getattr__(name: str) -> Any:
    if name in _LAZY_INBOX:
        value = getattr(importlib.import_module("smmkit.store._inbox"), name)
        globals()[name] = value
        return value
    if name in _LAZY:
        value = getattr(importlib.import_module("smmkit.store._store"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'smmkit.store' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
