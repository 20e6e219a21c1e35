"""The store's plain records (no SQLAlchemy here, so importing them is cheap)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from smmkit.errors import StoreError

if TYPE_CHECKING:
    from smmkit.models import InboxMessage

__all__ = [
    "AccountSnapshot",
    "ActionRecord",
    "ActionState",
    "ChangeEntry",
    "HistoryEntry",
    "InboxCursor",
    "InboxRecord",
    "InboxState",
    "MetricJob",
    "MetricJobKind",
    "NotificationRecord",
    "OutboxEntry",
    "OutboxState",
    "PostSnapshot",
    "PublishedRecord",
    "RunnerRecord",
    "SlotRecord",
    "StoreVersionError",
]


class StoreVersionError(StoreError):
    """The database was written by a newer smmkit (or is not an smmkit store at all)."""


class OutboxState(StrEnum):
    """Where a publication stands.

    ``pending`` waits for its time (or its next attempt); ``sending`` is claimed by a runner and
    the request may be in flight; ``published`` is final; ``failed`` and ``needs_reauth`` wait for
    a person (:meth:`~smmkit.store.Transaction.retry_outbox` puts them back to ``pending``);
    ``cancelled`` was withdrawn before it was sent.
    """

    PENDING = "pending"
    SENDING = "sending"
    PUBLISHED = "published"
    FAILED = "failed"
    NEEDS_REAUTH = "needs_reauth"
    CANCELLED = "cancelled"


class MetricJobKind(StrEnum):
    POST = "post"
    ACCOUNT = "account"


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One publication in the outbox: one row per publish key.

    ``attempts`` counts every claim (a request may have been sent each time) and is never reset;
    ``tries`` counts the claims since the last manual retry (the backoff budget). ``payload`` is
    the variant as it will be sent (JSON).
    """

    id: int
    publish_key: str
    brand_id: str
    channel: str
    variant_id: str | None
    state: OutboxState
    due_at: datetime
    next_attempt_at: datetime
    attempts: int
    tries: int
    claimed_by: str | None
    claimed_at: datetime | None
    platform_post_id: str | None
    url: str | None
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    published_at: datetime | None
    last_error: str | None
    payload: dict[str, Any] = field(repr=False)

    def variant(self) -> Any:
        """The :class:`~smmkit.models.Variant` to send (built from :attr:`payload`)."""
        from smmkit.models import Variant

        return Variant.model_validate(self.payload)


@dataclass(frozen=True, slots=True)
class PublishedRecord:
    outbox_id: int
    publish_key: str
    brand_id: str
    channel: str
    variant_id: str | None
    platform: str
    platform_post_id: str
    url: str | None
    published_at: datetime | None
    recorded_at: datetime
    reconciled: bool
    scheduled: bool


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One workflow move of a content item or variant."""

    entity: str
    entity_id: str
    from_status: str | None
    to_status: str
    at: datetime
    actor: str
    note: str | None


@dataclass(frozen=True, slots=True)
class ChangeEntry:
    """One line of the append-only change log: what changed, when, by whom."""

    id: int
    at: datetime
    actor: str
    entity: str
    entity_id: str
    action: str
    detail: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class SlotRecord:
    """A calendar slot and the variants assigned to it."""

    id: str
    brand_id: str
    channel: str
    starts_at: datetime
    data: dict[str, Any] = field(repr=False)
    variant_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PostSnapshot:
    brand_id: str
    channel: str
    post_id: str
    measured_at: datetime
    data: dict[str, Any] = field(repr=False)

    def metrics(self) -> Any:
        """The :class:`~smmkit.models.PostMetrics`."""
        from smmkit.models import PostMetrics

        return PostMetrics.model_validate(self.data)


@dataclass(frozen=True, slots=True)
class AccountSnapshot:
    brand_id: str
    channel: str
    measured_at: datetime
    data: dict[str, Any] = field(repr=False)

    def metrics(self) -> Any:
        """The :class:`~smmkit.models.AccountMetrics`."""
        from smmkit.models import AccountMetrics

        return AccountMetrics.model_validate(self.data)


@dataclass(frozen=True, slots=True)
class MetricJob:
    """A scheduled metric collection: a post's metrics at a given age, or an account's daily."""

    id: int
    kind: MetricJobKind
    brand_id: str
    channel: str
    post_id: str | None
    label: str
    due_at: datetime
    state: str
    attempts: int
    claimed_by: str | None
    done_at: datetime | None
    last_error: str | None


@dataclass(frozen=True, slots=True)
class RunnerRecord:
    id: str
    host: str
    pid: int
    started_at: datetime
    heartbeat_at: datetime
    stopped_at: datetime | None


# -- the community inbox (revision 0004) --------------------------------------------------------


class InboxState(StrEnum):
    """A filter on the inbox's working state (``Transaction.messages(state=...)``)."""

    UNREAD = "unread"
    READ = "read"
    UNANSWERED = "unanswered"
    """From the public, not answered yet, not hidden: the backlog."""
    ANSWERED = "answered"
    ASSIGNED = "assigned"
    UNASSIGNED = "unassigned"
    HIDDEN = "hidden"


@dataclass(frozen=True, slots=True)
class InboxRecord:
    """One stored inbox message with its classification and working state.

    ``category``, ``confidence``, ``cues`` and ``language`` are the classifier's verdict (``None``
    when the message was stored unclassified). ``read``, ``assigned_to``, ``answered_at``,
    ``hidden`` and ``handled_by`` are the team's state; the change log records who changed them.
    """

    brand_id: str
    key: str
    message: InboxMessage = field(repr=False)
    category: str | None
    confidence: float | None
    cues: tuple[str, ...]
    language: str | None
    read: bool
    assigned_to: str | None
    answered_at: datetime | None
    hidden: bool
    handled_by: str | None
    stored_at: datetime
    updated_at: datetime

    @property
    def channel(self) -> str:
        return self.message.channel

    @property
    def created_at(self) -> datetime:
        """When the message was written (the platform's time)."""
        return self.message.created_at


@dataclass(frozen=True, slots=True)
class InboxCursor:
    """Where a channel's inbox sync stands: the platform's opaque "since" token for the next
    pull (``None``: pull from the start), when it last ran, how many pulls and messages so far."""

    brand_id: str
    channel: str
    cursor: str | None
    synced_at: datetime
    pulls: int
    messages: int


class ActionState(StrEnum):
    """Where a moderation action stands.

    ``planned`` is recorded and not attempted; ``sending`` is claimed (committed before the
    platform call: the call may have happened); ``done`` and ``failed`` are final. A ``sending``
    row left by a crash is reconciled (the platform is asked whether the effect is there) before
    it is ever attempted again.
    """

    PLANNED = "planned"
    SENDING = "sending"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """One moderation action on one message, unique by ``(message_key, action, rule)`` per brand:
    planning it again finds this row, so a re-run never acts twice."""

    id: int
    brand_id: str
    message_key: str
    action: str
    rule: str
    state: ActionState
    payload: dict[str, Any] = field(repr=False)
    result: dict[str, Any] | None
    error: str | None
    attempts: int
    claimed_by: str | None
    claimed_at: datetime | None
    planned_by: str
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None


@dataclass(frozen=True, slots=True)
class NotificationRecord:
    """A notification of a done action waiting for (or past) its delivery to the moderation
    hook: queued in the transaction that finishes the action, marked ``delivered_at`` after the
    hook returns; one per action (``action_id``), so a redelivery carries the same id."""

    id: int
    brand_id: str
    action_id: int
    payload: dict[str, Any] = field(repr=False)
    runner: str
    attempts: int
    created_at: datetime
    delivered_at: datetime | None
