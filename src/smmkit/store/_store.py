"""``Store`` and ``Transaction``: the typed repository over the tables.

Every change happens inside ``with store.transaction(actor=...) as tx:`` — all of it commits, or
none of it (an exception rolls the whole transaction back). Each write also appends a line to
the change log (what, when, who).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    Row,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError, StatementError

from smmkit.errors import StoreError, ValidationError

from . import _tables as t
from ._engine import connect, current_revision, describe, ensure_schema
from ._inbox import InboxMixin, _json_mapping
from ._records import (
    AccountSnapshot,
    ActionRecord,
    ActionState,
    ChangeEntry,
    HistoryEntry,
    MetricJob,
    MetricJobKind,
    OutboxEntry,
    OutboxState,
    PostSnapshot,
    PublishedRecord,
    RunnerRecord,
    SlotRecord,
)

if TYPE_CHECKING:
    from smmkit.models import (
        AccountMetrics,
        AdMetrics,
        Audience,
        Brand,
        Campaign,
        Channel,
        ContentItem,
        ContentStatus,
        Influencer,
        PostMetrics,
        Variant,
    )
    from smmkit.setup import Setup

__all__ = ["PublishOutcome", "RunnerLock", "SlotLike", "Store", "Transaction", "open_store"]

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_MAX_ERROR = 2000
M = TypeVar("M")


class SlotLike(Protocol):
    """What :meth:`Transaction.put_slots` needs of a slot (``smmkit.planner.Slot`` fits)."""

    @property
    def id(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def start(self) -> datetime: ...
    def model_dump(self, *, mode: str = ...) -> dict[str, Any]: ...


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _aware(name: str, value: datetime) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            name, value, "must be a timezone-aware datetime", hint="attach a tzinfo (zoneinfo)."
        )
    return value.astimezone(UTC)


def _check_id(name: str, value: str) -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise ValidationError(
            name,
            value,
            "must be 1-64 characters of a-z, 0-9, '_' or '-', starting with a letter or digit",
            hint="use a short slug such as 'forno-aurora'.",
        )
    return value


def _dump(model: Any) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(mode="json")
    return data


def _error_text(error: BaseException | str) -> str:
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    return text[:_MAX_ERROR]


@dataclass(frozen=True, slots=True)
class PublishOutcome:
    """What a runner learnt about one claimed row: the post it made or found."""

    entry: OutboxEntry
    platform: str
    post_id: str
    url: str | None
    published_at: datetime | None
    reconciled: bool = False
    scheduled: bool = False


class RunnerLock:
    """Held by a live runner for its whole life; released by the OS or the database server
    when the process dies (a file lock for SQLite, a session advisory lock for PostgreSQL)."""

    def __init__(self, release: Callable[[], None]) -> None:
        self._release = release
        self._released = False

    def release(self) -> None:
        if not self._released:
            self._released = True
            self._release()


class Store:
    """A workspace's persistent state (open it with :func:`open_store`).

    ``clock`` (default: the real UTC clock) stamps every row; ``actor`` names who makes changes
    when a transaction does not say.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        where: str,
        path: Path | None,
        clock: Callable[[], datetime] | None = None,
        actor: str = "smmkit",
    ) -> None:
        self.engine = engine
        self.where = where
        self.path = path
        self.clock = clock or _utcnow
        self.actor = actor
        self._local_locks: set[int] = set()
        self._guard = threading.Lock()

    def __repr__(self) -> str:
        return f"Store({self.where!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    def now(self) -> datetime:
        return _aware("clock()", self.clock())

    def revision(self) -> str | None:
        """The schema revision of the database (:data:`~smmkit.store.SCHEMA_REVISION` once open)."""
        with self.engine.connect() as conn:
            return current_revision(conn)

    # -- transactions --------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self, *, actor: str | None = None) -> Iterator[Transaction]:
        """A write transaction: everything inside commits together, or nothing does.

        On SQLite it starts with ``BEGIN IMMEDIATE``, so concurrent writers wait (up to the busy
        timeout) instead of failing half-way.
        """
        with self._connection(write=True) as conn:
            tx = Transaction(self, conn, actor=actor or self.actor, writable=True)
            with self._errors():
                conn.begin()
            try:
                yield tx
            except BaseException:
                with contextlib.suppress(SQLAlchemyError):
                    conn.rollback()
                raise
            with self._errors():
                conn.commit()

    @contextlib.contextmanager
    def read(self) -> Iterator[Transaction]:
        """A read-only transaction (one consistent view)."""
        with self._connection(write=False) as conn:
            with self._errors():
                conn.begin()
            try:
                yield Transaction(self, conn, actor=self.actor, writable=False)
            finally:
                with contextlib.suppress(SQLAlchemyError):
                    conn.rollback()

    @contextlib.contextmanager
    def _connection(self, *, write: bool) -> Iterator[Connection]:
        with self._errors():
            conn = self.engine.connect()
        try:
            if write:
                conn = conn.execution_options(smmkit_write=True)
            with self._errors():
                yield conn
        finally:
            conn.close()

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except IntegrityError as exc:
            raise StoreError(
                f"the store refused the change (nothing was written): {_constraint(exc)}",
                hint="check that what you refer to exists and that keys are unique.",
            ) from None
        except StatementError as exc:
            if isinstance(exc.orig, ValueError):
                raise StoreError(
                    f"the store refused a value (nothing was written): {exc.orig}",
                    hint="pass timezone-aware datetimes and JSON-compatible values.",
                ) from None
            raise StoreError(
                f"store {self.where}: {type(exc.orig or exc).__name__}: {_first(exc)}",
                hint="the change was rolled back; retry, or check the database.",
            ) from None
        except SQLAlchemyError as exc:
            raise StoreError(
                f"store {self.where}: {type(exc).__name__}: {_first(exc)}",
                hint="the change was rolled back; retry, or check the database.",
            ) from None

    # -- moderation actions, one transaction each (the claim commits before the call) ----------
    def plan_action(
        self,
        brand_id: str,
        message_key: str,
        action: str,
        rule: str,
        payload: Mapping[str, Any] | None = None,
        *,
        actor: str | None = None,
    ) -> ActionRecord:
        """:meth:`Transaction.plan_action` in a transaction of its own."""
        with self.transaction(actor=actor) as tx:
            return tx.plan_action(brand_id, message_key, action, rule, payload)

    def claim_action(self, action_id: int, runner: str, *, actor: str | None = None) -> bool:
        """:meth:`Transaction.claim_action`, committed when this returns (before the platform
        call)."""
        with self.transaction(actor=actor) as tx:
            return tx.claim_action(action_id, runner)

    def finish_action(
        self,
        action_id: int,
        *,
        state: ActionState | str = ActionState.DONE,
        result: Mapping[str, Any] | None = None,
        error: BaseException | str | None = None,
        runner: str | None = None,
        actor: str | None = None,
    ) -> bool:
        """:meth:`Transaction.finish_action` in a transaction of its own."""
        with self.transaction(actor=actor) as tx:
            return tx.finish_action(
                action_id, state=state, result=result, error=error, runner=runner
            )

    def actions(
        self,
        brand_id: str | None = None,
        *,
        state: ActionState | str | None = None,
        message_key: str | None = None,
        action: str | None = None,
        rule: str | None = None,
    ) -> list[ActionRecord]:
        """:meth:`Transaction.actions` (a read)."""
        with self.read() as tx:
            return tx.actions(
                brand_id, state=state, message_key=message_key, action=action, rule=rule
            )

    # -- whole-database views (tests, tools) -----------------------------------------------------
    def dump(self) -> str:
        """Every row of every table, in a stable order, as text: two equal dumps mean two equal
        stores (used to prove that refused input changed nothing)."""
        lines: list[str] = []
        with self.read() as tx:
            conn = tx.connection
            rev = current_revision(conn)
            lines.append(f"-- revision {rev}")
            for table in sorted(t.metadata.sorted_tables, key=lambda x: x.name):
                lines.append(f"-- {table.name}")
                order = list(table.primary_key.columns) or list(table.columns)
                for row in conn.execute(select(table).order_by(*order)):
                    lines.append(repr(tuple(row)))
        return "\n".join(lines) + "\n"

    # -- runner liveness -----------------------------------------------------------------------
    def hold_runner_lock(self, lock_key: int) -> RunnerLock:
        """Take the lock that proves runner ``lock_key`` is alive (held until released or the
        process dies)."""
        if self.dialect == "postgresql":
            conn = self.engine.connect()
            conn.execute(select(func.pg_advisory_lock(lock_key)))
            conn.commit()

            def release_pg() -> None:
                with contextlib.suppress(SQLAlchemyError):
                    conn.execute(select(func.pg_advisory_unlock(lock_key)))
                    conn.commit()
                conn.close()

            return RunnerLock(release_pg)
        if self.path is None:
            with self._guard:
                self._local_locks.add(lock_key)

            def release_local() -> None:
                with self._guard:
                    self._local_locks.discard(lock_key)

            return RunnerLock(release_local)
        import fcntl

        lock_file = self._lock_path(lock_key)
        lock_file.parent.mkdir(exist_ok=True)
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)

        def release_file() -> None:
            with contextlib.suppress(OSError):
                lock_file.unlink()
            os.close(fd)

        return RunnerLock(release_file)

    def runner_alive(self, lock_key: int) -> bool:
        """Whether the runner holding ``lock_key`` is still alive (its lock is held)."""
        if self.dialect == "postgresql":
            with self.engine.connect() as conn:
                got = bool(conn.execute(select(func.pg_try_advisory_lock(lock_key))).scalar())
                if got:
                    conn.execute(select(func.pg_advisory_unlock(lock_key)))
                conn.commit()
            return not got
        if self.path is None:
            with self._guard:
                return lock_key in self._local_locks
        import fcntl

        lock_file = self._lock_path(lock_key)
        try:
            fd = os.open(lock_file, os.O_RDWR)
        except FileNotFoundError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return False
        finally:
            os.close(fd)

    def _lock_path(self, lock_key: int) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.name + ".runners") / f"{lock_key}.lock"


def _first(exc: BaseException) -> str:
    message = str(getattr(exc, "orig", None) or exc).strip()
    return message.splitlines()[0][:300] if message else type(exc).__name__


def _constraint(exc: IntegrityError) -> str:
    return _first(exc)


def open_store(
    target: str | os.PathLike[str],
    *,
    clock: Callable[[], datetime] | None = None,
    actor: str = "smmkit",
    migrate: bool = True,
    synchronous: str = "full",
) -> Store:
    """Open (creating or migrating) the store at ``target``: a file path (SQLite), ``":memory:"``
    or a URL (``sqlite:///...``, ``postgresql://...``).

    A database written by an older smmkit is migrated in one transaction (unless
    ``migrate=False``, which refuses it instead); one written by a newer smmkit is refused with
    :class:`~smmkit.store.StoreVersionError` and left untouched.
    """
    engine, path = connect(target, synchronous=synchronous)
    where = str(path) if path is not None else describe(engine.url.render_as_string(False))
    try:
        ensure_schema(engine, where, migrate=migrate)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, where=where, path=path, clock=clock, actor=actor)


class Transaction(InboxMixin):
    """The repository: every read and write the workspace and the runner need.

    Get one from :meth:`Store.transaction` (writes) or :meth:`Store.read` (reads only).
    """

    def __init__(self, store: Store, conn: Connection, *, actor: str, writable: bool) -> None:
        self.store = store
        self.connection = conn
        self.actor = actor
        self.writable = writable

    def __repr__(self) -> str:
        kind = "write" if self.writable else "read"
        return f"Transaction({self.store.where!r}, {kind}, actor={self.actor!r})"

    # -- helpers -------------------------------------------------------------------------------
    def _w(self) -> datetime:
        if not self.writable:
            raise StoreError(
                "this is a read-only transaction.", hint="use store.transaction() to write."
            )
        return self.store.now()

    def _run(self, statement: Any, params: Any = None) -> Any:
        with self.store._errors():
            return self.connection.execute(statement, params)

    def log(
        self,
        entity: str,
        entity_id: str,
        action: str,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        """Append a line to the change log (the store does this for its own writes)."""
        self._run(
            insert(t.change_log).values(
                at=self._w(),
                actor=self.actor,
                entity=entity,
                entity_id=entity_id,
                action=action,
                detail=dict(detail) if detail is not None else None,
            )
        )

    def _log_many(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            self._run(insert(t.change_log), rows)

    def _upsert(
        self, table: Any, keys: Mapping[str, Any], values: Mapping[str, Any], entity: str
    ) -> bool:
        now = self._w()
        where = and_(*(table.c[k] == v for k, v in keys.items()))
        found = self._run(select(table.c[next(iter(keys))]).where(where)).first()
        entity_id = "/".join(str(v) for v in keys.values())
        if found is None:
            self._run(insert(table).values(**keys, **values, created_at=now, updated_at=now))
            self.log(entity, entity_id, "created")
            return True
        self._run(update(table).where(where).values(**values, updated_at=now))
        self.log(entity, entity_id, "updated")
        return False

    def _require_brand(self, brand_id: str) -> None:
        if self._run(select(t.brands.c.id).where(t.brands.c.id == brand_id)).first() is None:
            raise StoreError(
                f"brand {brand_id!r} is not in the store.", hint="add it with put_brand first."
            )

    # -- brands and their setup ------------------------------------------------------------------
    def put_brand(self, brand_id: str, brand: Brand) -> bool:
        """Add or replace a brand; ``True`` if it was new."""
        _check_id("brand_id", brand_id)
        return self._upsert(
            t.brands, {"id": brand_id}, {"name": brand.name, "data": _dump(brand)}, "brand"
        )

    def get_brand(self, brand_id: str) -> Brand | None:
        from smmkit.models import Brand

        row = self._run(select(t.brands.c.data).where(t.brands.c.id == brand_id)).first()
        return None if row is None else Brand.model_validate(row.data)

    def brands(self) -> list[tuple[str, Brand]]:
        """Every brand, as ``(brand_id, brand)``, by id."""
        from smmkit.models import Brand

        rows = self._run(select(t.brands.c.id, t.brands.c.data).order_by(t.brands.c.id))
        return [(r.id, Brand.model_validate(r.data)) for r in rows]

    def put_channel(self, brand_id: str, channel: Channel) -> bool:
        """Add or replace a channel of a brand (its credentials are never stored)."""
        self._require_brand(brand_id)
        return self._upsert(
            t.channels,
            {"brand_id": brand_id, "key": channel.key},
            {"platform": channel.platform.value, "data": _dump(channel)},
            "channel",
        )

    def get_channel(self, brand_id: str, key: str) -> Channel | None:
        from smmkit.models import Channel

        row = self._run(
            select(t.channels.c.data).where(
                t.channels.c.brand_id == brand_id, t.channels.c.key == key
            )
        ).first()
        return None if row is None else Channel.model_validate(row.data)

    def channels(self, brand_id: str) -> list[Channel]:
        from smmkit.models import Channel

        rows = self._run(
            select(t.channels.c.data)
            .where(t.channels.c.brand_id == brand_id)
            .order_by(t.channels.c.key)
        )
        return [Channel.model_validate(r.data) for r in rows]

    def put_campaign(self, brand_id: str, campaign: Campaign) -> bool:
        self._require_brand(brand_id)
        return self._upsert(
            t.campaigns,
            {"brand_id": brand_id, "id": campaign.id},
            {"data": _dump(campaign)},
            "campaign",
        )

    def campaigns(self, brand_id: str) -> list[Campaign]:
        from smmkit.models import Campaign

        rows = self._run(
            select(t.campaigns.c.data)
            .where(t.campaigns.c.brand_id == brand_id)
            .order_by(t.campaigns.c.id)
        )
        return [Campaign.model_validate(r.data) for r in rows]

    def put_influencer(self, brand_id: str, influencer: Influencer) -> bool:
        """Add or replace an influencer (keyed by platform and handle)."""
        self._require_brand(brand_id)
        key = f"{influencer.platform.value}:{influencer.handle}"
        return self._upsert(
            t.influencers,
            {"brand_id": brand_id, "key": key},
            {"data": _dump(influencer)},
            "influencer",
        )

    def influencers(self, brand_id: str) -> list[Influencer]:
        from smmkit.models import Influencer

        rows = self._run(
            select(t.influencers.c.data)
            .where(t.influencers.c.brand_id == brand_id)
            .order_by(t.influencers.c.key)
        )
        return [Influencer.model_validate(r.data) for r in rows]

    def put_audience(self, brand_id: str, audience: Audience) -> bool:
        self._require_brand(brand_id)
        return self._upsert(
            t.audiences, {"brand_id": brand_id}, {"data": _dump(audience)}, "audience"
        )

    def get_audience(self, brand_id: str) -> Audience | None:
        from smmkit.models import Audience

        row = self._run(
            select(t.audiences.c.data).where(t.audiences.c.brand_id == brand_id)
        ).first()
        return None if row is None else Audience.model_validate(row.data)

    def put_community(self, brand_id: str, settings: Mapping[str, Any]) -> bool:
        """Add or replace a brand's community settings (the setup's ``[community]`` table, as
        JSON: :class:`smmkit.community.CommunitySettings` ``.model_dump(mode="json")``); ``True``
        if they were new."""
        self._require_brand(brand_id)
        data = _json_mapping("settings", settings) or {}
        return self._upsert(
            t.community_settings, {"brand_id": brand_id}, {"data": data}, "community"
        )

    def get_community(self, brand_id: str) -> dict[str, Any] | None:
        """A brand's community settings as stored (JSON), or ``None``."""
        table = t.community_settings
        row = self._run(select(table.c.data).where(table.c.brand_id == brand_id)).first()
        return None if row is None else dict(row.data)

    def put_setup(self, brand_id: str, setup: Setup) -> None:
        """Store a whole :class:`~smmkit.setup.Setup` (brand, audience, channels, campaigns,
        influencers, content items not yet stored, community settings), as part of this
        transaction."""
        self.put_brand(brand_id, setup.brand)
        if setup.audience is not None:
            self.put_audience(brand_id, setup.audience)
        community = getattr(setup, "community", None)
        if community is not None:
            self.put_community(brand_id, community.model_dump(mode="json", exclude_defaults=True))
        for channel in setup.channels:
            self.put_channel(brand_id, channel)
        for campaign in setup.campaigns:
            self.put_campaign(brand_id, campaign)
        for influencer in setup.influencers:
            self.put_influencer(brand_id, influencer)
        for item in setup.content:
            if self.get_item(item.id) is None:
                self.add_item(brand_id, item)

    # -- content items, variants and their workflow ----------------------------------------------
    def _history(
        self, entity: str, entity_id: str, old: str | None, new: str, note: str | None
    ) -> None:
        self._run(
            insert(t.workflow_history).values(
                entity=entity,
                entity_id=entity_id,
                from_status=old,
                to_status=new,
                at=self._w(),
                actor=self.actor,
                note=note,
            )
        )

    def add_item(self, brand_id: str, item: ContentItem, *, note: str | None = None) -> None:
        """Add a new content item (its first history entry is its current status)."""
        self._require_brand(brand_id)
        if self.get_item(item.id) is not None:
            raise StoreError(
                f"content item {item.id!r} is already in the store.",
                hint="use save_item to change it, or give the new item another id.",
            )
        now = self._w()
        self._run(
            insert(t.content_items).values(
                id=item.id,
                brand_id=brand_id,
                status=item.status.value,
                data=_dump(item),
                created_at=now,
                updated_at=now,
            )
        )
        self._history("item", item.id, None, item.status.value, note)
        self.log("item", item.id, "created", {"status": item.status.value})

    def save_item(self, item: ContentItem) -> None:
        """Replace a stored item's content; its status changes only through
        :meth:`transition_item`."""
        current = self._item_row(item.id)
        if current.status != item.status.value:
            raise StoreError(
                f"content item {item.id!r}: save_item cannot change the status "
                f"({current.status!r} to {item.status.value!r}).",
                hint="use transition_item, which checks the workflow and records the history.",
            )
        self._run(
            update(t.content_items)
            .where(t.content_items.c.id == item.id)
            .values(data=_dump(item), updated_at=self._w())
        )
        self.log("item", item.id, "updated")

    def _item_row(self, item_id: str) -> Row[Any]:
        row = self._run(select(t.content_items).where(t.content_items.c.id == item_id)).first()
        if row is None:
            raise StoreError(f"content item {item_id!r} is not in the store.")
        return row  # type: ignore[no-any-return]

    def get_item(self, item_id: str) -> ContentItem | None:
        from smmkit.models import ContentItem

        row = self._run(
            select(t.content_items.c.data).where(t.content_items.c.id == item_id)
        ).first()
        return None if row is None else ContentItem.model_validate(row.data)

    def items(self, brand_id: str, *, status: str | None = None) -> list[ContentItem]:
        from smmkit.models import ContentItem

        query = select(t.content_items.c.data).where(t.content_items.c.brand_id == brand_id)
        if status is not None:
            query = query.where(t.content_items.c.status == str(status))
        rows = self._run(query.order_by(t.content_items.c.created_at, t.content_items.c.id))
        return [ContentItem.model_validate(r.data) for r in rows]

    def transition_item(
        self,
        item_id: str,
        target: ContentStatus | str,
        *,
        note: str | None = None,
        **changes: Any,
    ) -> ContentItem:
        """Move an item through the workflow (:data:`smmkit.models.WORKFLOW`); a forbidden move
        raises :class:`~smmkit.errors.TransitionError` and writes nothing."""
        item = self.get_item(item_id)
        if item is None:
            raise StoreError(f"content item {item_id!r} is not in the store.")
        moved = item.transition(target, **changes)
        self._run(
            update(t.content_items)
            .where(t.content_items.c.id == item_id)
            .values(status=moved.status.value, data=_dump(moved), updated_at=self._w())
        )
        self._history("item", item_id, item.status.value, moved.status.value, note)
        self.log("item", item_id, "status", {"from": item.status.value, "to": moved.status.value})
        return moved

    def add_variant(self, brand_id: str, variant: Variant, *, note: str | None = None) -> None:
        """Add a new variant (its channel must be one of the brand's)."""
        self._require_brand(brand_id)
        if self.get_channel(brand_id, variant.channel) is None:
            raise StoreError(
                f"variant {variant.id!r}: channel {variant.channel!r} is not a channel of brand "
                f"{brand_id!r}.",
                hint="add the channel first (put_channel), or fix the variant's channel.",
            )
        if self.get_variant(variant.id) is not None:
            raise StoreError(
                f"variant {variant.id!r} is already in the store.",
                hint="use save_variant to change it, or give the new variant another id.",
            )
        now = self._w()
        self._run(
            insert(t.variants).values(
                id=variant.id,
                brand_id=brand_id,
                item_id=variant.item_id,
                channel=variant.channel,
                platform=variant.platform.value,
                status=variant.status.value,
                publish_key=variant.publish_key,
                scheduled_at=variant.scheduled_at,
                data=_dump(variant),
                created_at=now,
                updated_at=now,
            )
        )
        self._history("variant", variant.id, None, variant.status.value, note)
        self.log("variant", variant.id, "created", {"status": variant.status.value})

    def add_variants(self, brand_id: str, variants: Sequence[Variant]) -> None:
        """Add many new variants (one statement per table: fast for a whole plan)."""
        self._require_brand(brand_id)
        known = {c.key for c in self.channels(brand_id)}
        for variant in variants:
            if variant.channel not in known:
                raise StoreError(
                    f"variant {variant.id!r}: channel {variant.channel!r} is not a channel of "
                    f"brand {brand_id!r}.",
                    hint="add the channel first (put_channel), or fix the variant's channel.",
                )
        if not variants:
            return
        now = self._w()
        self._run(
            insert(t.variants),
            [
                {
                    "id": v.id,
                    "brand_id": brand_id,
                    "item_id": v.item_id,
                    "channel": v.channel,
                    "platform": v.platform.value,
                    "status": v.status.value,
                    "publish_key": v.publish_key,
                    "scheduled_at": v.scheduled_at,
                    "data": _dump(v),
                    "created_at": now,
                    "updated_at": now,
                }
                for v in variants
            ],
        )
        self._run(
            insert(t.workflow_history),
            [
                {
                    "entity": "variant",
                    "entity_id": v.id,
                    "from_status": None,
                    "to_status": v.status.value,
                    "at": now,
                    "actor": self.actor,
                    "note": None,
                }
                for v in variants
            ],
        )
        self._log_many(
            [
                self._line(now, "variant", v.id, "created", {"status": v.status.value})
                for v in variants
            ]
        )

    def _line(
        self, now: datetime, entity: str, entity_id: str, action: str, detail: Any = None
    ) -> dict[str, Any]:
        return {
            "at": now,
            "actor": self.actor,
            "entity": entity,
            "entity_id": entity_id,
            "action": action,
            "detail": detail,
        }

    def get_variant(self, variant_id: str) -> Variant | None:
        from smmkit.models import Variant

        row = self._run(select(t.variants.c.data).where(t.variants.c.id == variant_id)).first()
        return None if row is None else Variant.model_validate(row.data)

    def variant_brand(self, variant_id: str) -> str:
        row = self._run(select(t.variants.c.brand_id).where(t.variants.c.id == variant_id)).first()
        if row is None:
            raise StoreError(f"variant {variant_id!r} is not in the store.")
        return str(row.brand_id)

    def variants(
        self,
        brand_id: str,
        *,
        status: str | None = None,
        channel: str | None = None,
        item_id: str | None = None,
    ) -> list[Variant]:
        from smmkit.models import Variant

        query = select(t.variants.c.data).where(t.variants.c.brand_id == brand_id)
        if status is not None:
            query = query.where(t.variants.c.status == str(status))
        if channel is not None:
            query = query.where(t.variants.c.channel == channel)
        if item_id is not None:
            query = query.where(t.variants.c.item_id == item_id)
        rows = self._run(query.order_by(t.variants.c.created_at, t.variants.c.id))
        return [Variant.model_validate(r.data) for r in rows]

    def save_variant(self, variant: Variant) -> None:
        """Replace a stored variant's content; its status changes only through
        :meth:`transition_variant` and its publish key never changes."""
        row = self._run(select(t.variants).where(t.variants.c.id == variant.id)).first()
        if row is None:
            raise StoreError(f"variant {variant.id!r} is not in the store.")
        if row.status != variant.status.value:
            raise StoreError(
                f"variant {variant.id!r}: save_variant cannot change the status "
                f"({row.status!r} to {variant.status.value!r}).",
                hint="use transition_variant, which checks the workflow and records the history.",
            )
        if row.publish_key != variant.publish_key or row.channel != variant.channel:
            raise StoreError(
                f"variant {variant.id!r}: its publish_key and channel cannot change.",
                hint="make a new variant instead.",
            )
        self._run(
            update(t.variants)
            .where(t.variants.c.id == variant.id)
            .values(
                data=_dump(variant),
                scheduled_at=variant.scheduled_at,
                item_id=variant.item_id,
                updated_at=self._w(),
            )
        )
        self.log("variant", variant.id, "updated")

    def transition_variant(
        self,
        variant_id: str,
        target: ContentStatus | str,
        *,
        note: str | None = None,
        **changes: Any,
    ) -> Variant:
        """Move a variant through the workflow (``changes`` are applied with the move, e.g.
        ``scheduled_at``); a forbidden move raises :class:`~smmkit.errors.TransitionError` and
        writes nothing."""
        variant = self.get_variant(variant_id)
        if variant is None:
            raise StoreError(f"variant {variant_id!r} is not in the store.")
        moved = variant.transition(target, **changes)
        if moved.publish_key != variant.publish_key or moved.channel != variant.channel:
            raise StoreError(f"variant {variant_id!r}: its publish_key and channel cannot change.")
        self._run(
            update(t.variants)
            .where(t.variants.c.id == variant_id)
            .values(
                status=moved.status.value,
                scheduled_at=moved.scheduled_at,
                data=_dump(moved),
                updated_at=self._w(),
            )
        )
        self._history("variant", variant_id, variant.status.value, moved.status.value, note)
        self.log(
            "variant",
            variant_id,
            "status",
            {"from": variant.status.value, "to": moved.status.value},
        )
        return moved

    def history(self, entity: str, entity_id: str) -> list[HistoryEntry]:
        """The workflow history of an ``"item"`` or ``"variant"``, oldest first."""
        h = t.workflow_history
        rows = self._run(
            select(h).where(h.c.entity == entity, h.c.entity_id == entity_id).order_by(h.c.id)
        )
        return [
            HistoryEntry(
                entity=r.entity,
                entity_id=r.entity_id,
                from_status=r.from_status,
                to_status=r.to_status,
                at=r.at,
                actor=r.actor,
                note=r.note,
            )
            for r in rows
        ]

    # -- calendar ------------------------------------------------------------------------------
    def put_slots(self, brand_id: str, slots: Iterable[SlotLike]) -> int:
        """Add or replace calendar slots (a planner's ``Slot`` fits); returns how many were
        given. A slot given twice keeps its last version.

        Bulk: one lookup per 500 ids, new slots through the driver's ``executemany`` with their
        JSON serialised by pydantic, changed ones in one multi-row update (a year of plan over 50
        channels, 13,000 slots, is stored in well under a second)."""
        self._require_brand(brand_id)
        known = {c.key for c in self.channels(brand_id)}
        now = self._w()
        values: dict[str, dict[str, Any]] = {}
        count = 0
        for slot in slots:
            if slot.channel not in known:
                raise StoreError(
                    f"slot {slot.id!r}: channel {slot.channel!r} is not a channel of brand "
                    f"{brand_id!r}.",
                    hint="add the channel first (put_channel).",
                )
            values[slot.id] = {
                "b_id": slot.id,
                "channel": slot.channel,
                "starts_at": _aware(f"slot {slot.id}.start", slot.start),
                "json": _json_text(slot),
            }
            count += 1
        if not values:
            return 0
        s = t.calendar_slots
        existing: dict[str, str] = {}
        for chunk in _chunks(list(values), 500):
            for r in self._run(select(s.c.id, s.c.brand_id).where(s.c.id.in_(chunk))):
                existing[r.id] = r.brand_id
        foreign = sorted(k for k, b in existing.items() if b != brand_id)
        if foreign:
            raise StoreError(
                f"slot {foreign[0]!r} belongs to brand {existing[foreign[0]]!r}.",
                hint="slot ids are unique across the workspace; give the slot another id.",
            )
        fresh = [
            (v["b_id"], brand_id, v["channel"], v["starts_at"], v["json"], now, now)
            for k, v in values.items()
            if k not in existing
        ]
        if fresh:
            self._bulk_insert(
                "calendar_slots",
                ("id", "brand_id", "channel", "starts_at", "data", "created_at", "updated_at"),
                fresh,
                json_columns={"data"},
                time_columns={"starts_at", "created_at", "updated_at"},
            )
        changed = [{**v, "data": json.loads(v["json"])} for k, v in values.items() if k in existing]
        if changed:
            self._run(
                update(s)
                .where(s.c.id == bindparam("b_id"))
                .values(
                    channel=bindparam("channel"),
                    starts_at=bindparam("starts_at"),
                    data=bindparam("data", type_=t.json_type()),
                    updated_at=now,
                ),
                changed,
            )
        self.log("calendar", brand_id, "slots", {"count": count})
        return count

    def _bulk_insert(
        self,
        table: str,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        *,
        json_columns: set[str],
        time_columns: set[str],
    ) -> None:
        """Insert many rows through the driver's ``executemany``, with JSON already serialised
        and times already converted: for tens of thousands of rows, SQLAlchemy's per-row bind
        processing would cost more than the database. ``rows`` hold aware datetimes and JSON
        text; nothing here comes from SQL text built out of values."""
        time_at = [i for i, c in enumerate(columns) if c in time_columns]
        if self.store.dialect == "postgresql":
            marks = ", ".join("%s::jsonb" if c in json_columns else "%s" for c in columns)
            prepared = [tuple(r) for r in rows]
        else:
            marks = ", ".join("?" for _ in columns)
            prepared = []
            seen: dict[datetime, str] = {}
            for r in rows:
                row = list(r)
                for i in time_at:
                    when = row[i]
                    text = seen.get(when)
                    if text is None:
                        text = seen[when] = _sqlite_time(when)
                    row[i] = text
                prepared.append(tuple(row))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        with self.store._errors():
            self.connection.exec_driver_sql(sql, prepared)

    def delete_slot(self, slot_id: str) -> bool:
        """Remove a slot (and its assignments); ``False`` if it was not there."""
        self._run(delete(t.slot_assignments).where(t.slot_assignments.c.slot_id == slot_id))
        gone = self._run(delete(t.calendar_slots).where(t.calendar_slots.c.id == slot_id)).rowcount
        if gone:
            self.log("slot", slot_id, "deleted")
        return bool(gone)

    def assign(self, slot_id: str, variant_id: str) -> None:
        """Put a variant in a slot (a variant sits in one slot at most)."""
        slot = self._run(select(t.calendar_slots).where(t.calendar_slots.c.id == slot_id)).first()
        if slot is None:
            raise StoreError(f"slot {slot_id!r} is not in the store.")
        row = self._run(select(t.variants).where(t.variants.c.id == variant_id)).first()
        if row is None:
            raise StoreError(f"variant {variant_id!r} is not in the store.")
        if (row.brand_id, row.channel) != (slot.brand_id, slot.channel):
            raise StoreError(
                f"variant {variant_id!r} is for {row.brand_id}/{row.channel}, but slot "
                f"{slot_id!r} is on {slot.brand_id}/{slot.channel}.",
                hint="assign a variant made for the slot's channel.",
            )
        self._run(
            insert(t.slot_assignments).values(
                slot_id=slot_id, variant_id=variant_id, assigned_at=self._w(), actor=self.actor
            )
        )
        self.log("slot", slot_id, "assigned", {"variant": variant_id})

    def unassign(self, variant_id: str) -> bool:
        gone = self._run(
            delete(t.slot_assignments).where(t.slot_assignments.c.variant_id == variant_id)
        ).rowcount
        if gone:
            self.log("variant", variant_id, "unassigned")
        return bool(gone)

    def slots(
        self,
        brand_id: str,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        channel: str | None = None,
    ) -> list[SlotRecord]:
        """Slots in ``[start, end)`` by time, with their assigned variant ids."""
        s = t.calendar_slots
        query = select(s).where(s.c.brand_id == brand_id)
        if start is not None:
            query = query.where(s.c.starts_at >= _aware("start", start))
        if end is not None:
            query = query.where(s.c.starts_at < _aware("end", end))
        if channel is not None:
            query = query.where(s.c.channel == channel)
        rows = list(self._run(query.order_by(s.c.starts_at, s.c.id)))
        assigned: dict[str, list[str]] = {}
        if rows:
            a = t.slot_assignments
            for r in self._run(
                select(a.c.slot_id, a.c.variant_id)
                .join(s, s.c.id == a.c.slot_id)
                .where(s.c.brand_id == brand_id)
                .order_by(a.c.assigned_at, a.c.variant_id)
            ):
                assigned.setdefault(r.slot_id, []).append(r.variant_id)
        return [
            SlotRecord(
                id=r.id,
                brand_id=r.brand_id,
                channel=r.channel,
                starts_at=r.starts_at,
                data=r.data,
                variant_ids=tuple(assigned.get(r.id, ())),
            )
            for r in rows
        ]

    # -- the outbox ----------------------------------------------------------------------------
    def enqueue(self, variant_id: str, *, due_at: datetime | None = None) -> OutboxEntry:
        """Write the outbox row for a scheduled variant (state ``pending``), due at ``due_at``
        (default: the variant's ``scheduled_at``). Enqueueing the same variant again returns the
        existing row: one row per publish key, ever."""
        from smmkit.models import ContentStatus

        variant = self.get_variant(variant_id)
        if variant is None:
            raise StoreError(f"variant {variant_id!r} is not in the store.")
        existing = self.outbox_entry(variant.publish_key)
        if existing is not None:
            return existing
        if variant.status is not ContentStatus.SCHEDULED:
            raise StoreError(
                f"variant {variant_id!r} is {variant.status.value!r}; only a scheduled variant "
                "goes to the outbox.",
                hint="approve and schedule it first (transition_variant(..., 'scheduled')).",
            )
        when = due_at if due_at is not None else variant.scheduled_at
        if when is None:
            raise StoreError(
                f"variant {variant_id!r} has no scheduled_at and no due_at was given.",
                hint="pass due_at=... or set the variant's scheduled_at.",
            )
        when = _aware("due_at", when)
        now = self._w()
        brand_id = self.variant_brand(variant_id)
        row = self._run(
            insert(t.outbox)
            .values(
                publish_key=variant.publish_key,
                brand_id=brand_id,
                channel=variant.channel,
                variant_id=variant_id,
                state=OutboxState.PENDING.value,
                due_at=when,
                next_attempt_at=when,
                attempts=0,
                tries=0,
                created_at=now,
                updated_at=now,
                payload=_dump(variant),
            )
            .returning(*t.outbox.c)
        ).one()
        self.log("outbox", variant.publish_key, "enqueued", {"due_at": when.isoformat()})
        return _entry(row)

    def enqueue_many(self, items: Sequence[tuple[str, datetime]]) -> int:
        """Enqueue many ``(variant_id, due_at)`` at once (skipping keys already queued);
        returns how many rows were written. Variants must be scheduled."""
        from smmkit.models import ContentStatus, Variant

        if not items:
            return 0
        now = self._w()
        ids = [variant_id for variant_id, _ in items]
        rows = {
            r.id: r
            for chunk in _chunks(ids, 500)
            for r in self._run(
                select(t.variants.c.id, t.variants.c.brand_id, t.variants.c.data).where(
                    t.variants.c.id.in_(chunk)
                )
            )
        }
        values = []
        lines = []
        for variant_id, due_at in items:
            row = rows.get(variant_id)
            if row is None:
                raise StoreError(f"variant {variant_id!r} is not in the store.")
            variant = Variant.model_validate(row.data)
            if variant.status is not ContentStatus.SCHEDULED:
                raise StoreError(
                    f"variant {variant_id!r} is {variant.status.value!r}; only a scheduled "
                    "variant goes to the outbox.",
                    hint="schedule it first.",
                )
            when = _aware("due_at", due_at)
            values.append(
                {
                    "publish_key": variant.publish_key,
                    "brand_id": row.brand_id,
                    "channel": variant.channel,
                    "variant_id": variant_id,
                    "state": OutboxState.PENDING.value,
                    "due_at": when,
                    "next_attempt_at": when,
                    "attempts": 0,
                    "tries": 0,
                    "created_at": now,
                    "updated_at": now,
                    "payload": row.data,
                }
            )
            lines.append(self._line(now, "outbox", variant.publish_key, "enqueued"))
        keys = [v["publish_key"] for v in values]
        present = {
            r.publish_key
            for chunk in _chunks(keys, 500)
            for r in self._run(
                select(t.outbox.c.publish_key).where(t.outbox.c.publish_key.in_(chunk))
            )
        }
        fresh = [v for v in values if v["publish_key"] not in present]
        if fresh:
            self._run(insert(t.outbox), fresh)
            self._log_many([ln for ln in lines if ln["entity_id"] not in present])
        return len(fresh)

    def outbox_entry(self, publish_key: str) -> OutboxEntry | None:
        row = self._run(select(t.outbox).where(t.outbox.c.publish_key == publish_key)).first()
        return None if row is None else _entry(row)

    def outbox_entries(
        self,
        *,
        state: OutboxState | str | None = None,
        brand_id: str | None = None,
        channel: str | None = None,
        limit: int | None = None,
    ) -> list[OutboxEntry]:
        """Outbox rows by due time."""
        o = t.outbox
        query = select(o)
        if state is not None:
            query = query.where(o.c.state == OutboxState(state).value)
        if brand_id is not None:
            query = query.where(o.c.brand_id == brand_id)
        if channel is not None:
            query = query.where(o.c.channel == channel)
        query = query.order_by(o.c.due_at, o.c.id)
        if limit is not None:
            query = query.limit(limit)
        return [_entry(r) for r in self._run(query)]

    def outbox_counts(self) -> dict[OutboxState, int]:
        """How many rows are in each state."""
        o = t.outbox
        rows = self._run(select(o.c.state, func.count()).group_by(o.c.state))
        counts = dict.fromkeys(OutboxState, 0)
        for state, count in rows:
            counts[OutboxState(state)] = int(count)
        return counts

    def next_due(self) -> datetime | None:
        """When the next pending row is due (``None``: nothing pending)."""
        o = t.outbox
        return self._run(  # type: ignore[no-any-return]
            select(func.min(o.c.next_attempt_at)).where(o.c.state == OutboxState.PENDING.value)
        ).scalar()

    def cancel_outbox(self, publish_key: str) -> bool:
        """Withdraw a pending row (``False`` if it is not pending: it may be in flight)."""
        now = self._w()
        changed = self._run(
            update(t.outbox)
            .where(
                t.outbox.c.publish_key == publish_key,
                t.outbox.c.state == OutboxState.PENDING.value,
            )
            .values(state=OutboxState.CANCELLED.value, updated_at=now)
        ).rowcount
        if changed:
            self.log("outbox", publish_key, "cancelled")
        return bool(changed)

    def retry_outbox(self, publish_key: str, *, at: datetime | None = None) -> OutboxEntry:
        """A person retries a ``failed`` or ``needs_reauth`` row: back to ``pending`` (due at
        ``at``, default now) with a fresh backoff budget. The runner looks the post up before
        sending again, since an earlier attempt may have reached the network."""
        now = self._w()
        when = _aware("at", at) if at is not None else now
        entry = self.outbox_entry(publish_key)
        if entry is None:
            raise StoreError(f"no outbox row has publish key {publish_key!r}.")
        if entry.state not in (OutboxState.FAILED, OutboxState.NEEDS_REAUTH):
            raise StoreError(
                f"outbox row {publish_key!r} is {entry.state.value!r}; only failed or "
                "needs_reauth rows can be retried.",
            )
        if entry.variant_id is not None:
            self._variant_status(entry.variant_id, "scheduled", "retry", now)
        row = self._run(
            update(t.outbox)
            .where(t.outbox.c.id == entry.id, t.outbox.c.state == entry.state.value)
            .values(
                state=OutboxState.PENDING.value,
                tries=0,
                next_attempt_at=when,
                claimed_by=None,
                claimed_at=None,
                updated_at=now,
            )
            .returning(*t.outbox.c)
        ).one()
        self.log("outbox", publish_key, "retry", {"from": entry.state.value})
        return _entry(row)

    def claim_due(self, runner_id: str, *, now: datetime, limit: int = 1) -> list[OutboxEntry]:
        """Claim up to ``limit`` due ``pending`` rows for ``runner_id``: each becomes
        ``sending`` (committed before any request), with ``attempts`` counted. Two runners never
        claim the same row: ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, and one conditional
        ``UPDATE`` inside a ``BEGIN IMMEDIATE`` transaction on SQLite."""
        self._w()
        moment = _aware("now", now)
        o = t.outbox
        due = (
            select(o.c.id)
            .where(o.c.state == OutboxState.PENDING.value, o.c.next_attempt_at <= moment)
            .order_by(o.c.next_attempt_at, o.c.id)
            .limit(limit)
        )
        rows = self._run(
            update(o)
            .where(self._claimable(o, due), o.c.state == OutboxState.PENDING.value)
            .values(
                state=OutboxState.SENDING.value,
                claimed_by=runner_id,
                claimed_at=moment,
                sent_at=moment,
                attempts=o.c.attempts + 1,
                tries=o.c.tries + 1,
                updated_at=moment,
            )
            .returning(*o.c)
        ).all()
        entries = sorted((_entry(r) for r in rows), key=lambda e: (e.next_attempt_at, e.id))
        self._log_many(
            [
                self._line(moment, "outbox", e.publish_key, "sending", {"attempt": e.attempts})
                for e in entries
            ]
        )
        return entries

    def _claimable(self, table: Any, due: Any) -> Any:
        """``table.id IN (the due rows)``. On PostgreSQL the due rows are selected once, in a
        materialised CTE with ``FOR UPDATE SKIP LOCKED`` (a plain ``IN (subquery LIMIT n)`` may
        be re-run by the planner and claim more than ``n`` rows); on SQLite the writer holds the
        database lock (``BEGIN IMMEDIATE``), so the conditional ``UPDATE`` is enough."""
        if self.store.dialect != "postgresql":
            return table.c.id.in_(due.scalar_subquery())
        picked = due.with_for_update(skip_locked=True).cte("due").prefix_with("MATERIALIZED")
        return table.c.id.in_(select(picked.c.id))

    def in_flight(self, *, exclude_runner: str | None = None) -> list[OutboxEntry]:
        """Rows in ``sending`` (claimed by another runner than ``exclude_runner``)."""
        o = t.outbox
        query = select(o).where(o.c.state == OutboxState.SENDING.value)
        if exclude_runner is not None:
            query = query.where(or_(o.c.claimed_by.is_(None), o.c.claimed_by != exclude_runner))
        return [_entry(r) for r in self._run(query.order_by(o.c.id))]

    def take_over(self, entry: OutboxEntry, runner_id: str, *, now: datetime) -> OutboxEntry | None:
        """Take a ``sending`` row left by a dead runner (conditional on it still being the dead
        runner's): ``None`` if someone else got it first. Counts an attempt."""
        moment = _aware("now", now)
        o = t.outbox
        owner = (
            o.c.claimed_by.is_(None)
            if entry.claimed_by is None
            else o.c.claimed_by == entry.claimed_by
        )
        row = self._run(
            update(o)
            .where(o.c.id == entry.id, o.c.state == OutboxState.SENDING.value, owner)
            .values(
                claimed_by=runner_id,
                claimed_at=moment,
                attempts=o.c.attempts + 1,
                tries=o.c.tries + 1,
                updated_at=moment,
            )
            .returning(*o.c)
        ).first()
        if row is None:
            return None
        self.log("outbox", entry.publish_key, "taken_over", {"from": entry.claimed_by})
        return _entry(row)

    def record_published(
        self,
        entry: OutboxEntry,
        *,
        platform: str,
        post_id: str,
        url: str | None,
        published_at: datetime | None,
        reconciled: bool = False,
        scheduled: bool = False,
        now: datetime,
        metric_ages: Sequence[tuple[str, timedelta]] = (),
    ) -> bool:
        """Record a publication: the outbox row becomes ``published``, the post is recorded,
        the variant moves to ``published``, and post-metric jobs are scheduled at
        ``metric_ages`` after ``published_at``. ``False`` (and nothing written) if the row is no
        longer this runner's ``sending`` row. See :meth:`record_published_many`."""
        outcome = PublishOutcome(
            entry=entry,
            platform=platform,
            post_id=post_id,
            url=url,
            published_at=published_at,
            reconciled=reconciled,
            scheduled=scheduled,
        )
        return self.record_published_many([outcome], now=now, metric_ages=metric_ages)[0]

    def record_published_many(
        self,
        outcomes: Sequence[PublishOutcome],
        *,
        now: datetime,
        metric_ages: Sequence[tuple[str, timedelta]] = (),
    ) -> list[bool]:
        """Record several publications with a few statements (the runner records a claimed
        batch at once). Returns, per outcome, whether it was recorded: a row that is no longer
        the claimant's ``sending`` row (taken over by another runner meanwhile) is skipped."""
        from smmkit.models import WORKFLOW, ContentStatus

        moment = _aware("now", now)
        self._w()
        if not outcomes:
            return []
        o = t.outbox
        ids = [x.entry.id for x in outcomes]
        current = select(o.c.id, o.c.state, o.c.claimed_by).where(o.c.id.in_(ids))
        if self.store.dialect == "postgresql":
            current = current.with_for_update()
        rows = {r.id: (r.state, r.claimed_by) for r in self._run(current)}
        ok = [
            rows.get(x.entry.id) == (OutboxState.SENDING.value, x.entry.claimed_by)
            for x in outcomes
        ]
        mine = [x for x, good in zip(outcomes, ok, strict=True) if good]
        if not mine:
            return ok
        when = {x.entry.id: x.published_at for x in mine}
        self._run(
            update(o)
            .where(o.c.id == bindparam("b_id"))
            .values(
                state=OutboxState.PUBLISHED.value,
                platform_post_id=bindparam("b_post"),
                url=bindparam("b_url"),
                published_at=bindparam("b_when"),
                last_error=None,
                updated_at=moment,
            ),
            [
                {
                    "b_id": x.entry.id,
                    "b_post": x.post_id,
                    "b_url": x.url,
                    "b_when": when[x.entry.id],
                }
                for x in mine
            ],
        )
        self._run(
            insert(t.published_posts),
            [
                {
                    "outbox_id": x.entry.id,
                    "publish_key": x.entry.publish_key,
                    "brand_id": x.entry.brand_id,
                    "channel": x.entry.channel,
                    "variant_id": x.entry.variant_id,
                    "platform": x.platform,
                    "platform_post_id": x.post_id,
                    "url": x.url,
                    "published_at": x.published_at,
                    "recorded_at": moment,
                    "reconciled": x.reconciled,
                    "scheduled": x.scheduled,
                }
                for x in mine
            ],
        )
        # The variants move to published (unless someone moved them meanwhile, e.g. archived:
        # the outbox row still tells). Their JSON is updated in place, without a model round trip.
        by_variant = {x.entry.variant_id: x for x in mine if x.entry.variant_id is not None}
        moves: list[dict[str, Any]] = []
        history: list[dict[str, Any]] = []
        if by_variant:
            v = t.variants
            for r in self._run(
                select(v.c.id, v.c.status, v.c.data).where(v.c.id.in_(list(by_variant)))
            ):
                status = ContentStatus(r.status)
                if ContentStatus.PUBLISHED not in WORKFLOW[status]:
                    continue
                x = by_variant[r.id]
                data = dict(r.data)
                data.update(
                    status=ContentStatus.PUBLISHED.value,
                    platform_post_id=x.post_id,
                    url=x.url if x.url is not None else data.get("url"),
                    published_at=(
                        x.published_at.isoformat()
                        if x.published_at is not None
                        else data.get("published_at")
                    ),
                )
                moves.append({"b_id": r.id, "b_data": data})
                history.append(
                    {
                        "entity": "variant",
                        "entity_id": r.id,
                        "from_status": status.value,
                        "to_status": ContentStatus.PUBLISHED.value,
                        "at": moment,
                        "actor": self.actor,
                        "note": "published",
                    }
                )
        if moves:
            self._run(
                update(t.variants)
                .where(t.variants.c.id == bindparam("b_id"))
                .values(
                    status=ContentStatus.PUBLISHED.value,
                    data=bindparam("b_data", type_=t.json_type()),
                    updated_at=moment,
                ),
                moves,
            )
            self._run(insert(t.workflow_history), history)
        if metric_ages:
            self._run(
                insert(t.metric_jobs),
                [
                    {
                        "kind": MetricJobKind.POST.value,
                        "brand_id": x.entry.brand_id,
                        "channel": x.entry.channel,
                        "post_id": x.post_id,
                        "label": label,
                        "due_at": (x.published_at or moment) + age,
                        "state": "pending",
                        "attempts": 0,
                    }
                    for x in mine
                    for label, age in metric_ages
                ],
            )
        self._log_many(
            [
                self._line(
                    moment,
                    "outbox",
                    x.entry.publish_key,
                    "published",
                    {"post_id": x.post_id, "reconciled": x.reconciled, "scheduled": x.scheduled},
                )
                for x in mine
            ]
        )
        return ok

    def _variant_status(
        self, variant_id: str, target: str, note: str, now: datetime, **changes: Any
    ) -> None:
        from smmkit.models import WORKFLOW, ContentStatus, Variant

        row = self._run(select(t.variants.c.data).where(t.variants.c.id == variant_id)).first()
        if row is None:
            return
        variant = Variant.model_validate(row.data)
        new = ContentStatus(target)
        if variant.status is new or new not in WORKFLOW[variant.status]:
            return  # someone moved it meanwhile (e.g. archived): the outbox row still tells
        moved = variant.model_validate({**variant.model_dump(), **changes, "status": new})
        self._run(
            update(t.variants)
            .where(t.variants.c.id == variant_id)
            .values(status=new.value, data=_dump(moved), updated_at=now)
        )
        self._history("variant", variant_id, variant.status.value, new.value, note)

    def record_retry(
        self,
        entry: OutboxEntry,
        *,
        error: BaseException | str,
        next_attempt_at: datetime,
        now: datetime,
    ) -> bool:
        """Put a claimed row back to ``pending`` until ``next_attempt_at`` (a transient failure)."""
        moment = _aware("now", now)
        o = t.outbox
        changed = self._run(
            update(o)
            .where(
                o.c.id == entry.id,
                o.c.state == OutboxState.SENDING.value,
                o.c.claimed_by == entry.claimed_by,
            )
            .values(
                state=OutboxState.PENDING.value,
                next_attempt_at=_aware("next_attempt_at", next_attempt_at),
                claimed_by=None,
                claimed_at=None,
                last_error=_error_text(error),
                updated_at=moment,
            )
        ).rowcount
        if changed:
            self.log(
                "outbox",
                entry.publish_key,
                "retry_later",
                {"next_attempt_at": next_attempt_at.isoformat(), "error": _error_text(error)},
            )
        return bool(changed)

    def record_failure(
        self,
        entry: OutboxEntry,
        *,
        state: OutboxState,
        error: BaseException | str,
        now: datetime,
    ) -> bool:
        """A claimed row stops: ``failed`` (the variant becomes failed too) or ``needs_reauth``
        (the variant stays scheduled). A person retries it with :meth:`retry_outbox`."""
        if state not in (OutboxState.FAILED, OutboxState.NEEDS_REAUTH):
            raise ValueError(f"state must be failed or needs_reauth (got {state!r})")
        moment = _aware("now", now)
        o = t.outbox
        changed = self._run(
            update(o)
            .where(
                o.c.id == entry.id,
                o.c.state == OutboxState.SENDING.value,
                o.c.claimed_by == entry.claimed_by,
            )
            .values(
                state=state.value,
                claimed_by=None,
                claimed_at=None,
                last_error=_error_text(error),
                updated_at=moment,
            )
        ).rowcount
        if not changed:
            return False
        if state is OutboxState.FAILED and entry.variant_id is not None:
            self._variant_status(entry.variant_id, "failed", "publish failed", moment)
        self.log("outbox", entry.publish_key, state.value, {"error": _error_text(error)})
        return True

    def published(
        self, *, brand_id: str | None = None, channel: str | None = None
    ) -> list[PublishedRecord]:
        """Published posts, oldest first."""
        p = t.published_posts
        query = select(p)
        if brand_id is not None:
            query = query.where(p.c.brand_id == brand_id)
        if channel is not None:
            query = query.where(p.c.channel == channel)
        return [
            PublishedRecord(
                outbox_id=r.outbox_id,
                publish_key=r.publish_key,
                brand_id=r.brand_id,
                channel=r.channel,
                variant_id=r.variant_id,
                platform=r.platform,
                platform_post_id=r.platform_post_id,
                url=r.url,
                published_at=r.published_at,
                recorded_at=r.recorded_at,
                reconciled=bool(r.reconciled),
                scheduled=bool(r.scheduled),
            )
            for r in self._run(query.order_by(p.c.published_at, p.c.id))
        ]

    # -- metrics -------------------------------------------------------------------------------
    def add_post_metrics(self, brand_id: str, metrics: PostMetrics) -> bool:
        """Store one snapshot of a post's metrics (``False``: that moment was already stored)."""
        m = t.post_metrics
        measured = _aware("measured_at", metrics.measured_at)
        exists = self._run(
            select(m.c.id).where(
                m.c.brand_id == brand_id,
                m.c.channel == metrics.channel,
                m.c.post_id == metrics.post_id,
                m.c.measured_at == measured,
            )
        ).first()
        if exists is not None:
            return False
        self._run(
            insert(m).values(
                brand_id=brand_id,
                channel=metrics.channel,
                post_id=metrics.post_id,
                measured_at=measured,
                data=_dump(metrics),
                recorded_at=self._w(),
            )
        )
        return True

    def add_account_metrics(self, brand_id: str, metrics: AccountMetrics) -> bool:
        """Store one snapshot of an account's metrics (``False``: already stored)."""
        m = t.account_metrics
        measured = _aware("measured_at", metrics.measured_at)
        exists = self._run(
            select(m.c.id).where(
                m.c.brand_id == brand_id,
                m.c.channel == metrics.channel,
                m.c.measured_at == measured,
            )
        ).first()
        if exists is not None:
            return False
        self._run(
            insert(m).values(
                brand_id=brand_id,
                channel=metrics.channel,
                measured_at=measured,
                data=_dump(metrics),
                recorded_at=self._w(),
            )
        )
        return True

    def post_snapshots(
        self, brand_id: str, *, channel: str | None = None, post_id: str | None = None
    ) -> list[PostSnapshot]:
        """Post-metric snapshots, by post and time."""
        m = t.post_metrics
        query = select(m).where(m.c.brand_id == brand_id)
        if channel is not None:
            query = query.where(m.c.channel == channel)
        if post_id is not None:
            query = query.where(m.c.post_id == post_id)
        rows = self._run(query.order_by(m.c.channel, m.c.post_id, m.c.measured_at))
        return [
            PostSnapshot(
                brand_id=r.brand_id,
                channel=r.channel,
                post_id=r.post_id,
                measured_at=r.measured_at,
                data=r.data,
            )
            for r in rows
        ]

    def account_snapshots(
        self, brand_id: str, *, channel: str | None = None
    ) -> list[AccountSnapshot]:
        m = t.account_metrics
        query = select(m).where(m.c.brand_id == brand_id)
        if channel is not None:
            query = query.where(m.c.channel == channel)
        rows = self._run(query.order_by(m.c.channel, m.c.measured_at))
        return [
            AccountSnapshot(
                brand_id=r.brand_id, channel=r.channel, measured_at=r.measured_at, data=r.data
            )
            for r in rows
        ]

    def schedule_metric_job(
        self,
        kind: MetricJobKind | str,
        *,
        brand_id: str,
        channel: str,
        label: str,
        due_at: datetime,
        post_id: str = "",
    ) -> bool:
        """Schedule a metric collection (once per kind, channel, post and label)."""
        j = t.metric_jobs
        kind = MetricJobKind(kind)
        exists = self._run(
            select(j.c.id).where(
                j.c.kind == kind.value,
                j.c.brand_id == brand_id,
                j.c.channel == channel,
                j.c.post_id == post_id,
                j.c.label == label,
            )
        ).first()
        if exists is not None:
            return False
        self._w()
        self._run(
            insert(j).values(
                kind=kind.value,
                brand_id=brand_id,
                channel=channel,
                post_id=post_id,
                label=label,
                due_at=_aware("due_at", due_at),
                state="pending",
                attempts=0,
            )
        )
        return True

    def claim_metric_jobs(
        self, runner_id: str, *, now: datetime, limit: int = 10
    ) -> list[MetricJob]:
        """Claim due metric jobs (same claim rules as :meth:`claim_due`). A job claimed by a
        runner that died is claimable again (metrics are read-only: reading twice is safe)."""
        self._w()
        moment = _aware("now", now)
        j = t.metric_jobs
        due = (
            select(j.c.id)
            .where(j.c.state == "pending", j.c.due_at <= moment)
            .order_by(j.c.due_at, j.c.id)
            .limit(limit)
        )
        rows = self._run(
            update(j)
            .where(self._claimable(j, due), j.c.state == "pending")
            .values(
                state="running", claimed_by=runner_id, claimed_at=moment, attempts=j.c.attempts + 1
            )
            .returning(*j.c)
        ).all()
        return sorted((_job(r) for r in rows), key=lambda x: (x.due_at, x.id))

    def release_metric_jobs(self, runner_id: str) -> int:
        """Put a dead runner's running metric jobs back to pending."""
        j = t.metric_jobs
        return int(
            self._run(
                update(j)
                .where(j.c.state == "running", j.c.claimed_by == runner_id)
                .values(state="pending", claimed_by=None, claimed_at=None)
            ).rowcount
        )

    def finish_metric_job(
        self,
        job: MetricJob,
        *,
        now: datetime,
        error: BaseException | str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        """Close a claimed job: done (``error=None``), retried at ``retry_at``, or failed."""
        j = t.metric_jobs
        moment = _aware("now", now)
        if error is None:
            values: dict[str, Any] = {"state": "done", "done_at": moment, "last_error": None}
        elif retry_at is not None:
            values = {
                "state": "pending",
                "due_at": _aware("retry_at", retry_at),
                "claimed_by": None,
                "last_error": _error_text(error),
            }
        else:
            values = {"state": "failed", "done_at": moment, "last_error": _error_text(error)}
        self._run(
            update(j).where(j.c.id == job.id, j.c.claimed_by == job.claimed_by).values(**values)
        )

    def metric_jobs(
        self, *, state: str | None = None, kind: MetricJobKind | str | None = None
    ) -> list[MetricJob]:
        j = t.metric_jobs
        query = select(j)
        if state is not None:
            query = query.where(j.c.state == state)
        if kind is not None:
            query = query.where(j.c.kind == MetricJobKind(kind).value)
        return [_job(r) for r in self._run(query.order_by(j.c.due_at, j.c.id))]

    def channel_keys(self) -> list[tuple[str, str]]:
        """Every ``(brand_id, channel key)`` in the store."""
        c = t.channels
        rows = self._run(select(c.c.brand_id, c.c.key).order_by(c.c.brand_id, c.c.key))
        return [(r.brand_id, r.key) for r in rows]

    # -- runners -------------------------------------------------------------------------------
    def register_runner(self, runner_id: str, *, lock_key: int, now: datetime) -> None:
        moment = _aware("now", now)
        self._run(
            insert(t.runners).values(
                id=runner_id,
                host=socket.gethostname()[:255],
                pid=os.getpid(),
                lock_key=lock_key,
                started_at=moment,
                heartbeat_at=moment,
            )
        )
        self.log("runner", runner_id, "started", {"pid": os.getpid()})

    def heartbeat(self, runner_id: str, *, now: datetime) -> None:
        self._run(
            update(t.runners)
            .where(t.runners.c.id == runner_id)
            .values(heartbeat_at=_aware("now", now))
        )

    def stop_runner(self, runner_id: str, *, now: datetime) -> None:
        self._run(
            update(t.runners)
            .where(t.runners.c.id == runner_id)
            .values(stopped_at=_aware("now", now), heartbeat_at=_aware("now", now))
        )
        self.log("runner", runner_id, "stopped")

    def runner(self, runner_id: str) -> tuple[RunnerRecord, int] | None:
        """A runner's record and its lock key."""
        row = self._run(select(t.runners).where(t.runners.c.id == runner_id)).first()
        if row is None:
            return None
        return (
            RunnerRecord(
                id=row.id,
                host=row.host,
                pid=row.pid,
                started_at=row.started_at,
                heartbeat_at=row.heartbeat_at,
                stopped_at=row.stopped_at,
            ),
            int(row.lock_key),
        )

    # -- channel secrets (revision 0003) -------------------------------------------------------
    def put_channel_secret(self, brand_id: str, channel: str, kind: str, value: str) -> None:
        """Keep a channel's ``"reference"`` (an ``env:NAME`` credential reference, a name only)
        or ``"tokens"`` (its rotating tokens, already encrypted by the workspace). The store
        never encrypts or decrypts: the workspace hands it ciphertext. The change log records
        that the value changed, never the value."""
        if kind not in ("reference", "tokens"):
            raise ValidationError("kind", kind, "must be 'reference' or 'tokens'")
        if self.get_channel(brand_id, channel) is None:
            raise StoreError(f"channel {brand_id}/{channel} is not in the store.")
        s = t.channel_secrets
        where = and_(s.c.brand_id == brand_id, s.c.channel == channel, s.c.kind == kind)
        now = self._w()
        if self._run(select(s.c.kind).where(where)).first() is None:
            self._run(
                insert(s).values(
                    brand_id=brand_id, channel=channel, kind=kind, value=value, updated_at=now
                )
            )
        else:
            self._run(update(s).where(where).values(value=value, updated_at=now))
        self.log("channel_secret", f"{brand_id}/{channel}", kind)

    def get_channel_secret(self, brand_id: str, channel: str, kind: str) -> str | None:
        s = t.channel_secrets
        row = self._run(
            select(s.c.value).where(
                s.c.brand_id == brand_id, s.c.channel == channel, s.c.kind == kind
            )
        ).first()
        return None if row is None else str(row.value)

    def channel_secrets(self, *, kind: str | None = None) -> list[tuple[str, str, str, str]]:
        """Every stored ``(brand_id, channel, kind, value)`` (for key rotation)."""
        s = t.channel_secrets
        query = select(s.c.brand_id, s.c.channel, s.c.kind, s.c.value)
        if kind is not None:
            query = query.where(s.c.kind == kind)
        rows = self._run(query.order_by(s.c.brand_id, s.c.channel, s.c.kind))
        return [(r.brand_id, r.channel, r.kind, r.value) for r in rows]

    # -- ad results (revision 0003) ----------------------------------------------------------
    def add_ad_metrics(self, brand_id: str, metrics: AdMetrics) -> bool:
        """Store one period of an ad's results (``False``: that period was already stored).
        The period starts at ``period_start`` (else ``measured_at``)."""
        self._require_brand(brand_id)
        a = t.ad_metrics
        channel = metrics.channel or metrics.platform.value
        start = _aware("period_start", metrics.period_start or metrics.measured_at)
        exists = self._run(
            select(a.c.id).where(
                a.c.brand_id == brand_id,
                a.c.channel == channel,
                a.c.ad_id == metrics.ad_id,
                a.c.period_start == start,
            )
        ).first()
        if exists is not None:
            return False
        self._run(
            insert(a).values(
                brand_id=brand_id,
                channel=channel,
                ad_id=metrics.ad_id,
                period_start=start,
                data=_dump(metrics),
                recorded_at=self._w(),
            )
        )
        return True

    def ad_metrics(self, brand_id: str, *, channel: str | None = None) -> list[AdMetrics]:
        """Stored ad results, by channel and period."""
        from smmkit.models import AdMetrics

        a = t.ad_metrics
        query = select(a.c.data).where(a.c.brand_id == brand_id)
        if channel is not None:
            query = query.where(a.c.channel == channel)
        rows = self._run(query.order_by(a.c.channel, a.c.period_start, a.c.ad_id))
        return [AdMetrics.model_validate(r.data) for r in rows]

    # -- the change log ------------------------------------------------------------------------
    def changes(
        self, *, after: int = 0, entity: str | None = None, limit: int | None = None
    ) -> list[ChangeEntry]:
        """Change-log lines with id > ``after``, oldest first."""
        c = t.change_log
        query = select(c).where(c.c.id > after)
        if entity is not None:
            query = query.where(c.c.entity == entity)
        query = query.order_by(c.c.id)
        if limit is not None:
            query = query.limit(limit)
        return [
            ChangeEntry(
                id=r.id,
                at=r.at,
                actor=r.actor,
                entity=r.entity,
                entity_id=r.entity_id,
                action=r.action,
                detail=r.detail,
            )
            for r in self._run(query)
        ]


def _json_text(model: Any) -> str:
    """A model's JSON (pydantic's own serialiser when it has one)."""
    dump_json = getattr(model, "model_dump_json", None)
    if callable(dump_json):
        return str(dump_json())
    return json.dumps(model.model_dump(mode="json"))


def _sqlite_time(value: datetime) -> str:
    """How :class:`~._tables.UtcDateTime` stores a time in SQLite (naive UTC, fixed width)."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _chunks(values: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _entry(r: Any) -> OutboxEntry:
    return OutboxEntry(
        id=r.id,
        publish_key=r.publish_key,
        brand_id=r.brand_id,
        channel=r.channel,
        variant_id=r.variant_id,
        state=OutboxState(r.state),
        due_at=r.due_at,
        next_attempt_at=r.next_attempt_at or r.due_at,
        attempts=r.attempts,
        tries=r.tries,
        claimed_by=r.claimed_by,
        claimed_at=r.claimed_at,
        platform_post_id=r.platform_post_id,
        url=r.url,
        created_at=r.created_at,
        updated_at=r.updated_at,
        sent_at=r.sent_at,
        published_at=r.published_at,
        last_error=r.last_error,
        payload=r.payload,
    )


def _job(r: Any) -> MetricJob:
    return MetricJob(
        id=r.id,
        kind=MetricJobKind(r.kind),
        brand_id=r.brand_id,
        channel=r.channel,
        post_id=r.post_id or None,
        label=r.label,
        due_at=r.due_at,
        state=r.state,
        attempts=r.attempts,
        claimed_by=r.claimed_by,
        done_at=r.done_at,
        last_error=r.last_error,
    )
