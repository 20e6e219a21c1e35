"""What the workspace's operations return: small frozen models that serialise to JSON."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, Field

from smmkit.community import ResponseReport
from smmkit.models import ValueModel

__all__ = [
    "Assignment",
    "DraftResult",
    "DraftedVariant",
    "ImportResult",
    "PublishResult",
    "PublishedItem",
    "RefusedVariant",
    "ScheduleResult",
    "WorkspaceStatus",
]


class ImportResult(ValueModel):
    """A setup imported into the workspace (everything in one transaction)."""

    brand: str
    source: str
    channels: int
    campaigns: int
    influencers: int
    items_added: int
    items_kept: int = Field(description="Items already in the store, left as they were.")
    credential_references: int = Field(
        description="Channels whose credentials are an ``env:NAME`` reference (the name is kept)."
    )
    credentials_not_stored: tuple[str, ...] = Field(
        default=(),
        description="Channels whose setup held a literal secret: never stored; give it through "
        "the environment or a credential provider.",
    )


class DraftedVariant(ValueModel):
    """A variant made by :meth:`Workspace.draft`, with its voice findings."""

    variant_id: str
    item_id: str
    channel: str
    changes: tuple[str, ...] = ()
    voice: tuple[str, ...] = Field(default=(), description="Brand-voice findings (messages).")


class RefusedVariant(ValueModel):
    """An adaptation that still breaks its platform's rules: not stored."""

    item_id: str
    channel: str
    violations: tuple[str, ...]


class DraftResult(ValueModel):
    drafted: tuple[DraftedVariant, ...] = ()
    refused: tuple[RefusedVariant, ...] = ()
    already: int = Field(default=0, description="(item, channel) pairs that had a variant.")


class Assignment(ValueModel):
    variant_id: str
    channel: str
    slot_id: str
    at: AwareDatetime
    item_id: str | None = None


class ScheduleResult(ValueModel):
    scheduled: tuple[Assignment, ...] = ()
    unplaced: tuple[str, ...] = Field(
        default=(), description="Approved variants with no free slot on their channel."
    )


class PublishedItem(ValueModel):
    publish_key: str
    channel: str
    variant_id: str | None = None
    due_at: AwareDatetime
    state: str
    platform_post_id: str | None = None
    url: str | None = None


class PublishResult(ValueModel):
    """What :meth:`Workspace.publish_due` did (or, with ``dry_run``, would do)."""

    now: AwareDatetime
    dry_run: bool
    due: tuple[PublishedItem, ...] = ()
    published: int = 0
    reconciled: int = Field(
        default=0, description="Found already on the platform (an earlier attempt reached it)."
    )
    failed: int = 0
    retrying: int = 0
    needs_reauth: int = 0


class WorkspaceStatus(ValueModel):
    """Counts of what a brand has in the workspace."""

    brand: str
    channels: int
    items: dict[str, int]
    variants: dict[str, int]
    slots: int
    slots_filled: int
    outbox: dict[str, int]
    published: int
    post_snapshots: int
    next_due: datetime | None = None
    responses: ResponseReport | None = None
    """How the brand answers the public (:meth:`Workspace.response_times`: the last 30 days'
    first-response time and response rate, the whole backlog), when the inbox holds messages."""
