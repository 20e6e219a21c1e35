"""The community inbox's persistence (revision 0004): messages with their classification and
working state, per-channel sync cursors, and the moderation actions' write-ahead table.

These are methods of :class:`~smmkit.store.Transaction` (mixed in from here, to keep the store's
modules by role). Every write is inside the caller's transaction: a refused batch writes nothing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, Protocol

from sqlalchemy import and_, bindparam, func, insert, or_, select, update

from smmkit.errors import StoreError, ValidationError

from . import _tables as t
from ._records import (
    ActionRecord,
    ActionState,
    InboxCursor,
    InboxRecord,
    InboxState,
    NotificationRecord,
)

if TYPE_CHECKING:
    from smmkit.models import InboxMessage

    from ._store import Store

__all__ = ["UNSET", "ClassificationLike", "InboxMixin", "InboxWrite"]

_ACTION = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_CATEGORIES: Final = frozenset(
    {"spam", "abuse", "question", "complaint", "praise", "lead", "other"}
)
_MAX_CUES = 64
_MAX_ERROR = 2000
_CHUNK = 500


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()
"""``mark_message``'s "leave as it is" (``None`` clears a field)."""


class ClassificationLike(Protocol):
    """What the store keeps of a classifier's verdict (``smmkit.community.Classification`` fits)."""

    @property
    def category(self) -> str: ...
    @property
    def confidence(self) -> float: ...
    @property
    def cues(self) -> Sequence[str]: ...
    @property
    def language(self) -> str: ...


@dataclass(frozen=True, slots=True)
class InboxWrite:
    """What :meth:`~smmkit.store.Transaction.put_messages` did: the keys stored for the first time,
    the keys whose text or hidden flag the platform changed, and the messages it marked answered
    (a brand reply to them was stored)."""

    new: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    answered: tuple[str, ...] = ()


def _classification(key: str, value: ClassificationLike) -> dict[str, Any]:
    category = str(getattr(value.category, "value", value.category))
    if category not in _CATEGORIES:
        raise ValidationError(
            f"classification of {key}",
            category,
            f"category must be one of {', '.join(sorted(_CATEGORIES))}",
        )
    confidence = float(value.confidence)
    if not math.isfinite(confidence) or not 0.0 <= confidence <= 1.0:
        raise ValidationError(
            f"classification of {key}", confidence, "confidence must be within [0, 1]"
        )
    cues = [str(c)[:200] for c in list(value.cues)[:_MAX_CUES]]
    language = str(value.language)
    if not 1 <= len(language) <= 8:
        raise ValidationError(
            f"classification of {key}", language, "language must be a 1-8 character code"
        )
    return {"category": category, "confidence": confidence, "cues": cues, "language": language}


def _inbox_record(r: Any) -> InboxRecord:
    from smmkit.models import InboxMessage

    message = InboxMessage.model_validate(r.data)
    if message.hidden != bool(r.hidden):
        message = message.model_copy(update={"hidden": bool(r.hidden)})
    return InboxRecord(
        brand_id=r.brand_id,
        key=r.key,
        message=message,
        category=r.category,
        confidence=r.confidence,
        cues=tuple(r.cues or ()),
        language=r.language,
        read=bool(r.read),
        assigned_to=r.assigned_to,
        answered_at=r.answered_at,
        hidden=bool(r.hidden),
        handled_by=r.handled_by,
        stored_at=r.stored_at,
        updated_at=r.updated_at,
    )


def _action(r: Any) -> ActionRecord:
    return ActionRecord(
        id=r.id,
        brand_id=r.brand_id,
        message_key=r.message_key,
        action=r.action,
        rule=r.rule,
        state=ActionState(r.state),
        payload=dict(r.payload or {}),
        result=r.result,
        error=r.error,
        attempts=r.attempts,
        claimed_by=r.claimed_by,
        claimed_at=r.claimed_at,
        planned_by=r.planned_by,
        created_at=r.created_at,
        updated_at=r.updated_at,
        done_at=r.done_at,
    )


def _json_mapping(name: str, value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValidationError(name, value, "must be a mapping of JSON values")
    try:
        data: dict[str, Any] = json.loads(json.dumps(dict(value), allow_nan=False))
    except (TypeError, ValueError) as exc:
        raise ValidationError(name, value, f"must hold JSON values only ({exc})") from None
    return data


def _aware_time(name: str, value: datetime) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            name, value, "must be a timezone-aware datetime", hint="attach a tzinfo (zoneinfo)."
        )
    return value


class InboxMixin:
    """The inbox and moderation-action methods of :class:`~smmkit.store.Transaction`."""

    if TYPE_CHECKING:
        store: Store
        actor: str

        def _w(self) -> datetime: ...
        def _run(self, statement: Any, params: Any = None) -> Any: ...
        def log(
            self,
            entity: str,
            entity_id: str,
            action: str,
            detail: Mapping[str, Any] | None = None,
        ) -> None: ...
        def _log_many(self, rows: list[dict[str, Any]]) -> None: ...
        def _line(
            self, now: datetime, entity: str, entity_id: str, action: str, detail: Any = None
        ) -> dict[str, Any]: ...
        def _require_brand(self, brand_id: str) -> None: ...
        def _bulk_insert(
            self,
            table: str,
            columns: Sequence[str],
            rows: Sequence[Sequence[Any]],
            *,
            json_columns: set[str],
            time_columns: set[str],
        ) -> None: ...

    # -- messages ------------------------------------------------------------------------------
    def known_message_keys(self, brand_id: str, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` are already in the brand's inbox (so a sync classifies only the
        new ones)."""
        m = t.inbox_messages
        wanted = list(dict.fromkeys(keys))
        found: set[str] = set()
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            found.update(
                r.key
                for r in self._run(
                    select(m.c.key).where(m.c.brand_id == brand_id, m.c.key.in_(chunk))
                )
            )
        return found

    def put_messages(
        self,
        brand_id: str,
        messages: Sequence[InboxMessage],
        classifications: Mapping[str, ClassificationLike] | None = None,
    ) -> InboxWrite:
        """Store messages in the brand's inbox, deduplicated by key (``"<channel>:<id>"``).

        A new key is inserted (unread, unassigned, with its classification from
        ``classifications[key]`` if given); a known key keeps its team state (read, assigned,
        answered, handled_by) and only takes the platform's new text and hidden flag. A message
        from the brand that replies to a stored message marks that message answered (at the
        reply's time); so does a stored brand reply found for a new message. The whole batch is
        checked first (channels of the brand, classifications valid): bad input writes nothing.
        Bulk: one lookup per 500 keys and one ``executemany`` for the new rows.
        """
        from smmkit.models import InboxMessage

        now = self._w()
        self._require_brand(brand_id)
        classes = classifications or {}
        batch: dict[str, InboxMessage] = {}
        for message in messages:
            if not isinstance(message, InboxMessage):
                raise ValidationError(
                    "messages", type(message).__name__, "must be smmkit.models.InboxMessage"
                )
            batch[message.key] = message  # the last copy of a key wins
        if not batch:
            return InboxWrite()
        c = t.channels
        known_channels = {r.key for r in self._run(select(c.c.key).where(c.c.brand_id == brand_id))}
        for message in batch.values():
            if message.channel not in known_channels:
                raise StoreError(
                    f"inbox message {message.key!r}: channel {message.channel!r} is not a "
                    f"channel of brand {brand_id!r} (nothing was written).",
                    hint="add the channel first (put_channel), or fix the message's channel.",
                )
            if len(message.key) > 400 or len(message.thread_id) > 300:
                raise ValidationError(
                    f"inbox message {message.key[:80]!r}",
                    len(message.key),
                    "key at most 400 and thread_id at most 300 characters",
                )
        verdicts = {
            key: _classification(key, value) for key, value in classes.items() if key in batch
        }

        m = t.inbox_messages
        existing: dict[str, Any] = {}
        keys = list(batch)
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            for r in self._run(
                select(m.c.key, m.c.data, m.c.hidden).where(
                    m.c.brand_id == brand_id, m.c.key.in_(chunk)
                )
            ):
                existing[r.key] = r

        fresh = [msg for key, msg in batch.items() if key not in existing]
        if fresh:
            rows = []
            for msg in fresh:
                verdict = verdicts.get(msg.key)
                rows.append(
                    (
                        brand_id,
                        msg.key,
                        msg.channel,
                        msg.platform.value,
                        msg.message_id,
                        msg.kind.value,
                        msg.thread_id,
                        msg.in_reply_to,
                        msg.author,
                        msg.created_at,
                        msg.from_brand,
                        msg.model_dump_json(),
                        None if verdict is None else verdict["category"],
                        None if verdict is None else verdict["confidence"],
                        None if verdict is None else json.dumps(verdict["cues"]),
                        None if verdict is None else verdict["language"],
                        msg.from_brand,  # the brand's own messages are read
                        msg.hidden,
                        now,
                        now,
                    )
                )
            self._bulk_insert(
                "inbox_messages",
                (
                    "brand_id",
                    "key",
                    "channel",
                    "platform",
                    "message_id",
                    "kind",
                    "thread_id",
                    "in_reply_to",
                    "author",
                    "posted_at",
                    "from_brand",
                    "data",
                    "category",
                    "confidence",
                    "cues",
                    "language",
                    "read",
                    "hidden",
                    "stored_at",
                    "updated_at",
                ),
                rows,
                json_columns={"data", "cues"},
                time_columns={"posted_at", "stored_at", "updated_at"},
            )

        changed: list[dict[str, Any]] = []
        for key, row in existing.items():
            msg = batch[key]
            old = row.data or {}
            if old.get("text") != msg.text or bool(row.hidden) != msg.hidden:
                changed.append(
                    {"b_key": key, "b_data": msg.model_dump(mode="json"), "b_hidden": msg.hidden}
                )
        if changed:
            self._run(
                update(m)
                .where(m.c.brand_id == brand_id, m.c.key == bindparam("b_key"))
                .values(
                    data=bindparam("b_data", type_=t.json_type()),
                    hidden=bindparam("b_hidden"),
                    updated_at=now,
                ),
                changed,
            )
        redo = [(k, v) for k, v in verdicts.items() if k in existing]
        if redo:
            self._set_classifications(brand_id, redo, now)

        answered = self._mark_answered(brand_id, batch, [msg.key for msg in fresh], now)

        per_channel: dict[str, list[int]] = {}
        for msg in fresh:
            per_channel.setdefault(msg.channel, [0, 0])[0] += 1
        for item in changed:
            per_channel.setdefault(batch[item["b_key"]].channel, [0, 0])[1] += 1
        self._log_many(
            [
                self._line(
                    now, "inbox", f"{brand_id}/{channel}", "stored", {"new": n, "updated": u}
                )
                for channel, (n, u) in sorted(per_channel.items())
            ]
        )
        return InboxWrite(
            new=tuple(msg.key for msg in fresh),
            updated=tuple(item["b_key"] for item in changed),
            answered=answered,
        )

    def _mark_answered(
        self,
        brand_id: str,
        batch: Mapping[str, InboxMessage],
        fresh_keys: Sequence[str],
        now: datetime,
    ) -> tuple[str, ...]:
        m = t.inbox_messages
        first_reply: dict[str, datetime] = {}

        def note(key: str, when: datetime) -> None:
            if key not in first_reply or when < first_reply[key]:
                first_reply[key] = when

        for msg in batch.values():
            if msg.from_brand and msg.in_reply_to:
                note(f"{msg.channel}:{msg.in_reply_to}", msg.created_at)
        # Brand replies stored earlier to messages that arrive only now.
        public_new = [batch[k] for k in fresh_keys if not batch[k].from_brand]
        ids = list(dict.fromkeys(msg.message_id for msg in public_new))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for r in self._run(
                select(m.c.channel, m.c.in_reply_to, m.c.posted_at).where(
                    m.c.brand_id == brand_id, m.c.from_brand.is_(True), m.c.in_reply_to.in_(chunk)
                )
            ):
                note(f"{r.channel}:{r.in_reply_to}", r.posted_at)
        if not first_reply:
            return ()
        targets = list(first_reply)
        open_keys: set[str] = set()
        for start in range(0, len(targets), _CHUNK):
            chunk = targets[start : start + _CHUNK]
            open_keys.update(
                r.key
                for r in self._run(
                    select(m.c.key).where(
                        m.c.brand_id == brand_id,
                        m.c.key.in_(chunk),
                        m.c.from_brand.is_(False),
                        m.c.answered_at.is_(None),
                    )
                )
            )
        if not open_keys:
            return ()
        done = sorted(open_keys)
        self._run(
            update(m)
            .where(m.c.brand_id == brand_id, m.c.key == bindparam("b_key"))
            .values(answered_at=bindparam("b_at"), updated_at=now),
            [{"b_key": k, "b_at": first_reply[k]} for k in done],
        )
        return tuple(done)

    def _set_classifications(
        self, brand_id: str, verdicts: Sequence[tuple[str, dict[str, Any]]], now: datetime
    ) -> None:
        m = t.inbox_messages
        self._run(
            update(m)
            .where(m.c.brand_id == brand_id, m.c.key == bindparam("b_key"))
            .values(
                category=bindparam("b_category"),
                confidence=bindparam("b_confidence"),
                cues=bindparam("b_cues", type_=t.json_type()),
                language=bindparam("b_language"),
                updated_at=now,
            ),
            [
                {
                    "b_key": key,
                    "b_category": v["category"],
                    "b_confidence": v["confidence"],
                    "b_cues": v["cues"],
                    "b_language": v["language"],
                }
                for key, v in verdicts
            ],
        )

    def classify_messages(
        self, brand_id: str, classifications: Mapping[str, ClassificationLike]
    ) -> int:
        """Replace stored messages' classification (a new classifier, a re-run); returns how
        many messages were found. An unknown key is an error and nothing is written."""
        now = self._w()
        verdicts = [(k, _classification(k, v)) for k, v in classifications.items()]
        missing = sorted(
            {k for k, _ in verdicts} - self.known_message_keys(brand_id, classifications)
        )
        if missing:
            raise StoreError(
                f"inbox message {missing[0]!r} is not in brand {brand_id!r}'s inbox "
                "(nothing was written).",
            )
        if verdicts:
            self._set_classifications(brand_id, verdicts, now)
            self.log("inbox", brand_id, "classified", {"count": len(verdicts)})
        return len(verdicts)

    def mark_message(
        self,
        brand_id: str,
        key: str,
        *,
        read: bool | _Unset = UNSET,
        assigned_to: str | _Unset | None = UNSET,
        answered_at: datetime | _Unset | None = UNSET,
        hidden: bool | _Unset = UNSET,
        handled_by: str | _Unset | None = UNSET,
        category: str | _Unset = UNSET,
    ) -> InboxRecord:
        """Change a message's working state (``None`` clears ``assigned_to``, ``answered_at``
        or ``handled_by``; an argument not given is left as it is). The change log records
        who (the transaction's actor) changed what, from what to what; a no-op writes nothing."""
        now = self._w()
        current = self.message(brand_id, key)
        if current is None:
            raise StoreError(
                f"inbox message {key!r} is not in brand {brand_id!r}'s inbox.",
                hint="sync the inbox first, or check the key ('<channel>:<message id>').",
            )
        values: dict[str, Any] = {}
        detail: dict[str, Any] = {}

        def change(field: str, old: Any, new: Any, shown: Any = None) -> None:
            if old != new:
                values[field] = new
                detail[field] = {
                    "from": shown(old) if shown else old,
                    "to": shown(new) if shown else new,
                }

        def iso(value: datetime | None) -> str | None:
            return None if value is None else value.isoformat()

        if not isinstance(read, _Unset):
            change("read", current.read, bool(read))
        if not isinstance(hidden, _Unset):
            change("hidden", current.hidden, bool(hidden))
        for name, value, old in (
            ("assigned_to", assigned_to, current.assigned_to),
            ("handled_by", handled_by, current.handled_by),
        ):
            if isinstance(value, _Unset):
                continue
            if value is not None and (not isinstance(value, str) or not 1 <= len(value) <= 200):
                raise ValidationError(name, value, "must be a name of 1-200 characters, or None")
            change(name, old, value)
        if not isinstance(answered_at, _Unset):
            when = None if answered_at is None else _aware_time("answered_at", answered_at)
            change("answered_at", current.answered_at, when, iso)
        if not isinstance(category, _Unset):
            name = str(getattr(category, "value", category))
            if name not in _CATEGORIES:
                raise ValidationError(
                    "category", name, f"must be one of {', '.join(sorted(_CATEGORIES))}"
                )
            change("category", current.category, name)
            if "category" in values:
                values.update(confidence=1.0, cues=[f"set-by:{self.actor}"])
        if not values:
            return current
        m = t.inbox_messages
        self._run(
            update(m)
            .where(m.c.brand_id == brand_id, m.c.key == key)
            .values(**values, updated_at=now)
        )
        self.log("inbox", key, "mark", detail)
        found = self.message(brand_id, key)
        assert found is not None
        return found

    def message(self, brand_id: str, key: str) -> InboxRecord | None:
        """One stored message by key."""
        m = t.inbox_messages
        row = self._run(select(m).where(m.c.brand_id == brand_id, m.c.key == key)).first()
        return None if row is None else _inbox_record(row)

    def messages(
        self,
        brand_id: str,
        *,
        channel: str | Sequence[str] | None = None,
        category: str | Sequence[str] | None = None,
        state: InboxState | str | Sequence[InboxState | str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        from_brand: bool | None = None,
        assigned_to: str | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[InboxRecord]:
        """The brand's inbox, filtered: channels, categories, states (all must hold: e.g.
        ``["unanswered", "unread"]``), written in ``[since, until)``, the brand's own messages
        or the public's, assigned to someone; oldest first unless ``newest_first``."""
        m = t.inbox_messages
        query = select(m).where(m.c.brand_id == brand_id)
        if channel is not None:
            query = query.where(m.c.channel.in_([channel] if isinstance(channel, str) else channel))
        if category is not None:
            names = [category] if isinstance(category, str) else list(category)
            names = [str(getattr(n, "value", n)) for n in names]
            for name in names:
                if name not in _CATEGORIES:
                    raise ValidationError(
                        "category", name, f"must be one of {', '.join(sorted(_CATEGORIES))}"
                    )
            query = query.where(m.c.category.in_(names))
        if state is not None:
            states = [state] if isinstance(state, str) else list(state)
            for s in states:
                query = query.where(self._state_clause(s))
        if since is not None:
            query = query.where(m.c.posted_at >= _aware_time("since", since))
        if until is not None:
            query = query.where(m.c.posted_at < _aware_time("until", until))
        if from_brand is not None:
            query = query.where(m.c.from_brand.is_(bool(from_brand)))
        if assigned_to is not None:
            query = query.where(m.c.assigned_to == assigned_to)
        order = (m.c.posted_at.desc(), m.c.key.desc()) if newest_first else (m.c.posted_at, m.c.key)
        query = query.order_by(*order)
        if limit is not None:
            if limit < 0:
                raise ValidationError("limit", limit, "must be >= 0")
            query = query.limit(limit)
        return [_inbox_record(r) for r in self._run(query)]

    @staticmethod
    def _state_clause(state: InboxState | str) -> Any:
        m = t.inbox_messages
        try:
            s = InboxState(state)
        except ValueError:
            raise ValidationError(
                "state", state, f"must be one of {', '.join(x.value for x in InboxState)}"
            ) from None
        if s is InboxState.UNREAD:
            return m.c.read.is_(False)
        if s is InboxState.READ:
            return m.c.read.is_(True)
        if s is InboxState.UNANSWERED:
            return and_(m.c.answered_at.is_(None), m.c.from_brand.is_(False), m.c.hidden.is_(False))
        if s is InboxState.ANSWERED:
            return m.c.answered_at.is_not(None)
        if s is InboxState.ASSIGNED:
            return m.c.assigned_to.is_not(None)
        if s is InboxState.UNASSIGNED:
            return m.c.assigned_to.is_(None)
        return m.c.hidden.is_(True)

    def thread(self, brand_id: str, key: str) -> list[InboxRecord]:
        """Every stored message of the thread ``key`` belongs to (same channel and thread
        root), oldest first; empty if ``key`` is unknown."""
        one = self.message(brand_id, key)
        if one is None:
            return []
        m = t.inbox_messages
        rows = self._run(
            select(m)
            .where(
                m.c.brand_id == brand_id,
                m.c.channel == one.message.channel,
                or_(
                    m.c.thread_id == one.message.thread_id, m.c.message_id == one.message.thread_id
                ),
            )
            .order_by(m.c.posted_at, m.c.key)
        )
        return [_inbox_record(r) for r in rows]

    def inbox_count(self, brand_id: str, *, channel: str | None = None) -> int:
        m = t.inbox_messages
        query = select(func.count()).select_from(m).where(m.c.brand_id == brand_id)
        if channel is not None:
            query = query.where(m.c.channel == channel)
        return int(self._run(query).scalar() or 0)

    # -- sync cursors --------------------------------------------------------------------------
    def inbox_cursor(self, brand_id: str, channel: str) -> InboxCursor | None:
        """Where the channel's inbox sync stands (``None``: never synced)."""
        k = t.inbox_cursors
        row = self._run(select(k).where(k.c.brand_id == brand_id, k.c.channel == channel)).first()
        return None if row is None else _cursor(row)

    def inbox_cursors(self, brand_id: str) -> list[InboxCursor]:
        k = t.inbox_cursors
        rows = self._run(select(k).where(k.c.brand_id == brand_id).order_by(k.c.channel))
        return [_cursor(r) for r in rows]

    def set_inbox_cursor(
        self, brand_id: str, channel: str, cursor: str | None, *, messages: int = 0
    ) -> InboxCursor:
        """Record a pull: the platform's next "since" token (store it in the same transaction as
        the messages it covers, so a crash never skips messages) and how many it brought."""
        now = self._w()
        if cursor is not None and (not isinstance(cursor, str) or len(cursor) > 10_000):
            raise ValidationError("cursor", cursor, "must be a string of at most 10,000 characters")
        if messages < 0:
            raise ValidationError("messages", messages, "must be >= 0")
        c = t.channels
        if (
            self._run(select(c.c.key).where(c.c.brand_id == brand_id, c.c.key == channel)).first()
            is None
        ):
            raise StoreError(f"channel {brand_id}/{channel} is not in the store.")
        k = t.inbox_cursors
        where = and_(k.c.brand_id == brand_id, k.c.channel == channel)
        if self._run(select(k.c.channel).where(where)).first() is None:
            self._run(
                insert(k).values(
                    brand_id=brand_id,
                    channel=channel,
                    cursor=cursor,
                    synced_at=now,
                    pulls=1,
                    messages=messages,
                )
            )
        else:
            self._run(
                update(k)
                .where(where)
                .values(
                    cursor=cursor,
                    synced_at=now,
                    pulls=k.c.pulls + 1,
                    messages=k.c.messages + messages,
                )
            )
        found = self.inbox_cursor(brand_id, channel)
        assert found is not None
        return found

    # -- moderation actions: a write-ahead table, each action once ----------------------------
    def plan_action(
        self,
        brand_id: str,
        message_key: str,
        action: str,
        rule: str,
        payload: Mapping[str, Any] | None = None,
    ) -> ActionRecord:
        """Record the intent to act on a message (state ``planned``). Unique by
        ``(message_key, action, rule)`` for a brand: planning it again returns the existing row,
        whatever its state, and writes nothing (so a re-run, or a restart after a crash, never
        plans a second action). The message must be in the brand's inbox."""
        now = self._w()
        if not isinstance(action, str) or not _ACTION.fullmatch(action):
            raise ValidationError(
                "action",
                action,
                "must be 1-32 characters of a-z, 0-9 or '_', starting with a letter",
                hint="e.g. 'hide', 'delete', 'reply', 'assign', 'escalate', 'notify'.",
            )
        if not isinstance(rule, str) or not 1 <= len(rule) <= 200:
            raise ValidationError("rule", rule, "must be a rule name of 1-200 characters")
        data = _json_mapping("payload", payload) or {}
        a = t.moderation_actions
        where = and_(
            a.c.brand_id == brand_id,
            a.c.message_key == message_key,
            a.c.action == action,
            a.c.rule == rule,
        )
        row = self._run(select(a).where(where)).first()
        if row is not None:
            return _action(row)
        if self.message(brand_id, message_key) is None:
            raise StoreError(
                f"cannot plan {action!r} on {message_key!r}: the message is not in brand "
                f"{brand_id!r}'s inbox (nothing was written).",
                hint="sync the inbox first, or check the key ('<channel>:<message id>').",
            )
        values = {
            "brand_id": brand_id,
            "message_key": message_key,
            "action": action,
            "rule": rule,
            "state": ActionState.PLANNED.value,
            "payload": data,
            "attempts": 0,
            "planned_by": self.actor,
            "created_at": now,
            "updated_at": now,
        }
        if self.store.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            inserted = self._run(
                pg_insert(a)
                .values(**values)
                .on_conflict_do_nothing(constraint="moderation_actions_once")
                .returning(a.c.id)
            ).first()
        else:  # SQLite: the writer holds the database lock (BEGIN IMMEDIATE)
            inserted = self._run(insert(a).values(**values).returning(a.c.id)).first()
        row = self._run(select(a).where(where)).one()
        if inserted is not None:
            self.log(
                "action",
                f"{message_key}",
                "planned",
                {"id": row.id, "action": action, "rule": rule},
            )
        return _action(row)

    def action(self, action_id: int) -> ActionRecord | None:
        a = t.moderation_actions
        row = self._run(select(a).where(a.c.id == action_id)).first()
        return None if row is None else _action(row)

    def actions(
        self,
        brand_id: str | None = None,
        *,
        state: ActionState | str | None = None,
        message_key: str | None = None,
        action: str | None = None,
        rule: str | None = None,
        claimed_by: str | None = None,
    ) -> list[ActionRecord]:
        """Moderation actions, in the order they were planned."""
        a = t.moderation_actions
        query = select(a)
        if brand_id is not None:
            query = query.where(a.c.brand_id == brand_id)
        if state is not None:
            query = query.where(a.c.state == ActionState(state).value)
        if message_key is not None:
            query = query.where(a.c.message_key == message_key)
        if action is not None:
            query = query.where(a.c.action == action)
        if rule is not None:
            query = query.where(a.c.rule == rule)
        if claimed_by is not None:
            query = query.where(a.c.claimed_by == claimed_by)
        return [_action(r) for r in self._run(query.order_by(a.c.id))]

    def claim_action(self, action_id: int, runner: str) -> bool:
        """``planned`` → ``sending`` for ``runner`` (counts an attempt). Commit the transaction
        before the platform call: from then on a crash leaves a ``sending`` row to reconcile.
        ``False``: the row is not ``planned`` (another process has it, or it is finished)."""
        now = self._w()
        a = t.moderation_actions
        changed = self._run(
            update(a)
            .where(a.c.id == action_id, a.c.state == ActionState.PLANNED.value)
            .values(
                state=ActionState.SENDING.value,
                claimed_by=runner,
                claimed_at=now,
                attempts=a.c.attempts + 1,
                updated_at=now,
            )
        ).rowcount
        if changed:
            self.log("action", str(action_id), "claimed", {"by": runner})
        return bool(changed)

    def take_over_action(self, action_id: int, runner: str, *, previous: str | None) -> bool:
        """Take a ``sending`` row left by ``previous`` (a runner that died), only if it is
        still ``previous``'s: call it after reconciling (the effect was not found on the
        platform). Counts an attempt."""
        now = self._w()
        a = t.moderation_actions
        owner = a.c.claimed_by.is_(None) if previous is None else a.c.claimed_by == previous
        changed = self._run(
            update(a)
            .where(a.c.id == action_id, a.c.state == ActionState.SENDING.value, owner)
            .values(claimed_by=runner, claimed_at=now, attempts=a.c.attempts + 1, updated_at=now)
        ).rowcount
        if changed:
            self.log("action", str(action_id), "taken_over", {"by": runner, "from": previous})
        return bool(changed)

    def release_action(
        self, action_id: int, *, runner: str | None = None, error: BaseException | str | None = None
    ) -> bool:
        """``sending`` → ``planned`` (a transient failure where the request surely did not take
        effect, or a reconcile that found no effect): it may be claimed again."""
        now = self._w()
        a = t.moderation_actions
        conditions = [a.c.id == action_id, a.c.state == ActionState.SENDING.value]
        if runner is not None:
            conditions.append(a.c.claimed_by == runner)
        changed = self._run(
            update(a)
            .where(*conditions)
            .values(
                state=ActionState.PLANNED.value,
                claimed_by=None,
                claimed_at=None,
                error=None if error is None else _error_text(error),
                updated_at=now,
            )
        ).rowcount
        if changed:
            self.log("action", str(action_id), "released")
        return bool(changed)

    def finish_action(
        self,
        action_id: int,
        *,
        state: ActionState | str = ActionState.DONE,
        result: Mapping[str, Any] | None = None,
        error: BaseException | str | None = None,
        runner: str | None = None,
    ) -> bool:
        """``sending`` → ``done`` or ``failed`` (with the platform's ``result`` or the
        ``error``), only if the row is still ``sending`` (and ``runner``'s, when given).
        ``False``: nothing changed (someone else finished or took it)."""
        now = self._w()
        final = ActionState(state)
        if final not in (ActionState.DONE, ActionState.FAILED):
            raise ValidationError("state", final.value, "must be 'done' or 'failed'")
        data = _json_mapping("result", result)
        a = t.moderation_actions
        conditions = [a.c.id == action_id, a.c.state == ActionState.SENDING.value]
        if runner is not None:
            conditions.append(a.c.claimed_by == runner)
        changed = self._run(
            update(a)
            .where(*conditions)
            .values(
                state=final.value,
                result=data,
                error=None if error is None else _error_text(error),
                done_at=now,
                updated_at=now,
            )
        ).rowcount
        if changed:
            detail: dict[str, Any] = {"state": final.value}
            if error is not None:
                detail["error"] = _error_text(error)
            self.log("action", str(action_id), final.value, detail)
        return bool(changed)

    def actions_in_flight(self, *, exclude_runner: str | None = None) -> list[ActionRecord]:
        """``sending`` rows (claimed by another runner than ``exclude_runner``): reconcile
        them before acting again."""
        a = t.moderation_actions
        query = select(a).where(a.c.state == ActionState.SENDING.value)
        if exclude_runner is not None:
            query = query.where(or_(a.c.claimed_by.is_(None), a.c.claimed_by != exclude_runner))
        return [_action(r) for r in self._run(query.order_by(a.c.id))]

    # -- the moderation hook's outbox: each done action notified at least once ------------------
    def queue_notification(
        self, brand_id: str, action_id: int, payload: Mapping[str, Any], *, runner: str
    ) -> NotificationRecord:
        """Queue the notification of a done action, in the transaction that finishes it, for
        ``runner`` to deliver once it has committed (counted as its first attempt). One per
        action: queuing it again returns the existing row and writes nothing."""
        now = self._w()
        data = _json_mapping("payload", payload) or {}
        n = t.action_notifications
        row = self._run(select(n).where(n.c.action_id == action_id)).first()
        if row is None:
            self._run(
                insert(n).values(
                    brand_id=brand_id,
                    action_id=action_id,
                    payload=data,
                    runner=runner,
                    attempts=1,
                    created_at=now,
                    delivered_at=None,
                )
            )
            row = self._run(select(n).where(n.c.action_id == action_id)).one()
            self.log("notification", str(row.id), "queued", {"action": action_id, "by": runner})
        return _notification(row)

    def pending_notifications(self, brand_id: str) -> list[NotificationRecord]:
        """The brand's notifications not yet marked delivered, oldest first."""
        n = t.action_notifications
        query = select(n).where(n.c.brand_id == brand_id, n.c.delivered_at.is_(None))
        return [_notification(r) for r in self._run(query.order_by(n.c.id))]

    def take_over_notification(self, notification_id: int, runner: str, *, previous: str) -> bool:
        """Take an undelivered notification left by ``previous`` (a runner that died before
        marking it delivered), only if it is still ``previous``'s; counts an attempt."""
        n = t.action_notifications
        changed = self._run(
            update(n)
            .where(n.c.id == notification_id, n.c.delivered_at.is_(None), n.c.runner == previous)
            .values(runner=runner, attempts=n.c.attempts + 1)
        ).rowcount
        if changed:
            self.log("notification", str(notification_id), "taken_over", {"by": runner})
        return bool(changed)

    def mark_notified(self, notification_id: int) -> bool:
        """The hook returned: the notification is delivered (``False`` if it was already)."""
        now = self._w()
        n = t.action_notifications
        changed = self._run(
            update(n)
            .where(n.c.id == notification_id, n.c.delivered_at.is_(None))
            .values(delivered_at=now)
        ).rowcount
        if changed:
            self.log("notification", str(notification_id), "delivered")
        return bool(changed)


def _notification(r: Any) -> NotificationRecord:
    return NotificationRecord(
        id=r.id,
        brand_id=r.brand_id,
        action_id=r.action_id,
        payload=dict(r.payload),
        runner=r.runner,
        attempts=r.attempts,
        created_at=r.created_at,
        delivered_at=r.delivered_at,
    )


def _cursor(r: Any) -> InboxCursor:
    return InboxCursor(
        brand_id=r.brand_id,
        channel=r.channel,
        cursor=r.cursor,
        synced_at=r.synced_at,
        pulls=r.pulls,
        messages=r.messages,
    )


def _error_text(error: BaseException | str) -> str:
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    return text[:_MAX_ERROR]
