"""Opening a store: the URL, the engine and its connection settings, and the schema version
(migrate an older database, refuse a newer one)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from smmkit.errors import StoreError

from ._records import StoreVersionError

__all__ = ["HEAD", "REVISIONS", "connect", "current_revision", "ensure_schema", "migrate_to"]

from . import SCHEMA_REVISIONS as REVISIONS

HEAD = REVISIONS[-1]

_MIGRATION_LOCK = 0x536D6D6B6974  # "Smmkit": serialises concurrent migrations on PostgreSQL
_BUSY_TIMEOUT_MS = 30_000


def _utcnow() -> datetime:
    return datetime.now(UTC)


def describe(url: str) -> str:
    """The URL without its password (for messages)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable url>"


def to_url(target: str | os.PathLike[str]) -> tuple[str, Path | None]:
    """``(sqlalchemy url, sqlite file path or None)`` for a path, ``:memory:`` or a URL."""
    if isinstance(target, os.PathLike):
        path = Path(target)
        return f"sqlite+pysqlite:///{path}", path
    if not isinstance(target, str) or not target.strip():
        raise StoreError(
            f"store target must be a file path or a database URL (got {target!r}).",
            hint="pass 'workspace.db', ':memory:' or 'postgresql://user@host/db'.",
        )
    if target == ":memory:":
        return "sqlite+pysqlite://", None
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+]*://", target):
        try:
            url = make_url(target)
        except ArgumentError as exc:
            raise StoreError(
                f"store URL {describe(target)!r} cannot be parsed: {exc}",
                hint="use sqlite:///path.db or postgresql://user:password@host/dbname.",
            ) from exc
        backend = url.get_backend_name()
        if backend == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        elif backend == "sqlite":
            url = url.set(drivername="sqlite+pysqlite")
        else:
            raise StoreError(
                f"store URL {describe(target)!r}: the {backend!r} database is not supported.",
                hint="use SQLite (a file path) or PostgreSQL (postgresql://...).",
            )
        database = url.database if backend == "sqlite" and url.database else None
        where = None if database in (None, ":memory:") else Path(str(database))
        return url.render_as_string(hide_password=False), where
    file = Path(target)
    return f"sqlite+pysqlite:///{file}", file


def connect(
    target: str | os.PathLike[str], *, synchronous: str = "full"
) -> tuple[Engine, Path | None]:
    """An engine for ``target`` with smmkit's settings.

    SQLite: WAL (for a file), foreign keys on, a 30 s busy timeout, ``BEGIN IMMEDIATE`` for
    write transactions (so that two writers queue instead of failing mid-way), ``synchronous``
    FULL by default (a committed outbox row survives a power cut). PostgreSQL: psycopg 3.
    """
    url, path = to_url(target)
    if url.startswith("sqlite"):
        if synchronous.lower() not in {"full", "normal", "off"}:
            raise StoreError(
                f"synchronous={synchronous!r} is not a SQLite synchronous mode.",
                hint="use 'full' (the default) or 'normal'.",
            )
        if path is not None and not path.parent.exists():
            raise StoreError(
                f"cannot open the store {path}: the folder {path.parent} does not exist.",
                hint="create the folder first, or choose another path.",
            )
        options: dict[str, Any] = {
            "connect_args": {"timeout": _BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        }
        if path is None:
            options["poolclass"] = StaticPool
        engine = create_engine(url, **options)
        _sqlite_events(engine, wal=path is not None, synchronous=synchronous.upper())
        return engine, path
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise StoreError(
            "PostgreSQL stores need psycopg 3, which is not installed.",
            hint="pip install 'smmkit[postgres]'.",
        ) from exc
    engine = create_engine(url, pool_pre_ping=True)
    return engine, None


def _sqlite_events(engine: Engine, *, wal: bool, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if wal:
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute(f"PRAGMA synchronous = {synchronous}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("smmkit_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def current_revision(conn: Connection) -> str | None:
    """The schema revision stored in the database (``None``: no smmkit schema)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(rows) != 1:
        raise StoreVersionError(
            f"the store's alembic_version table holds {len(rows)} revisions; expected one.",
            hint="this database was changed by hand or by another tool; restore a backup.",
        )
    return str(rows[0])


def _user_tables(conn: Connection) -> list[str]:
    return [t for t in inspect(conn).get_table_names() if not t.startswith("sqlite_")]


def ensure_schema(engine: Engine, where: str, *, migrate: bool = True) -> str:
    """Bring the database to :data:`HEAD` (creating or migrating it) in one transaction; refuse
    a database written by a newer smmkit. Returns the revision found before."""
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(smmkit_write=True)
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
                found = current_revision(conn)
                if found == HEAD:
                    return found
                if found is None and _user_tables(conn):
                    raise StoreVersionError(
                        f"{where} is not an smmkit store: it has tables "
                        f"({', '.join(sorted(_user_tables(conn))[:5])}) but no smmkit schema "
                        "version.",
                        hint="open an empty file or database, or the store smmkit created.",
                    )
                if found is not None and found not in REVISIONS:
                    raise StoreVersionError(
                        f"{where} was written by a newer smmkit: its schema revision is "
                        f"{found!r}, and this smmkit knows revisions up to {HEAD!r}.",
                        hint="upgrade smmkit (pip install -U smmkit) to open it; this version "
                        "will not touch it.",
                    )
                if not migrate:
                    raise StoreVersionError(
                        f"{where} has schema revision {found or 'none'}; this smmkit needs {HEAD}.",
                        hint="open it with migrate=True (the default) to upgrade it in place.",
                    )
                _upgrade(conn, HEAD)
                return found or "none"
    except StoreError:
        raise
    except SQLAlchemyError as exc:
        raise StoreError(
            f"cannot open the store {where}: {exc.__class__.__name__}: {_first_line(exc)}",
            hint="check the path or URL, the permissions and that the database server runs.",
        ) from None


def _upgrade(conn: Connection, revision: str) -> None:
    """Run the Alembic migrations up to ``revision`` on ``conn`` (inside its transaction)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "smmkit.store:_migrations")
    config.attributes["connection"] = conn
    command.upgrade(config, revision)


def migrate_to(engine: Engine, revision: str) -> None:
    """Build or migrate a database to exactly ``revision`` (for tests and tools: make a store
    as an older smmkit would have)."""
    if revision not in REVISIONS:
        raise StoreError(f"unknown schema revision {revision!r}; known: {', '.join(REVISIONS)}.")
    with engine.connect() as conn:
        conn = conn.execution_options(smmkit_write=True)
        with conn.begin():
            _upgrade(conn, revision)


def _first_line(exc: BaseException) -> str:
    message = str(getattr(exc, "orig", None) or exc)
    return message.strip().splitlines()[0][:300] if message.strip() else type(exc).__name__


Clock = Callable[[], datetime]
