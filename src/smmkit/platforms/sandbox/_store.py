"""The sandbox's state: SQLite (standard library), in memory or in a file shared by processes.

Every write runs in one ``BEGIN IMMEDIATE`` transaction, so another process never sees a
half-written change and two processes never interleave writes. A file store uses WAL mode and a
busy timeout so that readers and writers in several processes wait for each other.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from smmkit.errors import StoreError

__all__ = ["SandboxStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS channels (
    key TEXT PRIMARY KEY, platform TEXT NOT NULL, handle TEXT NOT NULL,
    timezone TEXT NOT NULL, locale TEXT, followers0 INTEGER NOT NULL, created_at TEXT NOT NULL,
    audience TEXT
);
CREATE TABLE IF NOT EXISTS posts (
    n INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, publish_key TEXT NOT NULL,
    text TEXT NOT NULL, format TEXT NOT NULL, pillar TEXT, campaign TEXT,
    media_count INTEGER NOT NULL, has_link INTEGER NOT NULL, thread TEXT NOT NULL,
    published_at TEXT NOT NULL, created_at TEXT NOT NULL, deleted_at TEXT
);
CREATE INDEX IF NOT EXISTS posts_channel ON posts(channel, published_at);
CREATE INDEX IF NOT EXISTS posts_key ON posts(channel, publish_key);
CREATE TABLE IF NOT EXISTS hidden (comment_id TEXT PRIMARY KEY, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS hide_log (
    n INTEGER PRIMARY KEY AUTOINCREMENT, comment_id TEXT NOT NULL, at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deleted_comments (comment_id TEXT PRIMARY KEY, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS delete_log (
    n INTEGER PRIMARY KEY AUTOINCREMENT, comment_id TEXT NOT NULL, at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS replies (
    n INTEGER PRIMARY KEY AUTOINCREMENT, comment_id TEXT NOT NULL, post_id TEXT NOT NULL,
    text TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ratelimit (
    channel TEXT NOT NULL, window INTEGER NOT NULL, count INTEGER NOT NULL,
    PRIMARY KEY (channel, window)
);
"""


class SandboxStore:
    """A SQLite database holding one simulated network. ``path=None`` keeps it in memory."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = None if path is None else Path(path)
        target = ":memory:" if self.path is None else str(self.path)
        try:
            self._conn = sqlite3.connect(
                target, timeout=30.0, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StoreError(
                f"cannot open the sandbox store at {target}: {exc}",
                hint="check the path and its permissions.",
            ) from exc
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        with self._lock:
            self._conn.execute("PRAGMA busy_timeout = 30000")
            if self.path is not None:
                self._conn.execute("PRAGMA journal_mode = WAL")
                # Survives a process crash (not a power cut): enough for a simulated network.
                self._conn.execute("PRAGMA synchronous = NORMAL")
            with self.write() as cur:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        cur.execute(statement)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Cursor]:
        """A write transaction: all of it happens, or none of it."""
        with self._lock:
            cursor = self._conn.cursor()
            try:
                cursor.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(
                    f"the sandbox store is busy: {exc}", hint="another process holds it; retry."
                ) from exc
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            else:
                cursor.execute("COMMIT")
            finally:
                cursor.close()

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return list(self._conn.execute(sql, params).fetchall())

    def get_meta(self, key: str) -> str | None:
        rows = self.query("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0]["value"]) if rows else None

    def set_meta(self, key: str, value: str, *, only_if_absent: bool = False) -> None:
        verb = "INSERT OR IGNORE" if only_if_absent else "INSERT OR REPLACE"
        with self.write() as cur:
            cur.execute(f"{verb} INTO meta(key, value) VALUES (?, ?)", (key, value))
