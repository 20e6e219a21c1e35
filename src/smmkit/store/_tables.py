"""The store's tables at the newest schema revision (SQLAlchemy Core).

The migrations under ``_migrations/versions`` build exactly this schema from nothing; a test
compares the two. Change both together, in a new revision.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

__all__ = ["UtcDateTime", "metadata"]


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC ``datetime``: ``timestamptz`` on PostgreSQL, a fixed-width UTC text on SQLite
    (so that it sorts). A naive datetime is refused: the store never guesses a time zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} given to the store")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def json_type() -> Any:
    return JSON().with_variant(JSONB(), "postgresql")


metadata = MetaData()

KEY = 128  # ids and keys


def _stamps() -> list[Column[Any]]:
    return [
        Column("created_at", UtcDateTime(), nullable=False),
        Column("updated_at", UtcDateTime(), nullable=False),
    ]


brands = Table(
    "brands",
    metadata,
    Column("id", String(KEY), primary_key=True),
    Column("name", Text, nullable=False),
    Column("data", json_type(), nullable=False),
    *_stamps(),
)

channels = Table(
    "channels",
    metadata,
    Column("brand_id", String(KEY), ForeignKey("brands.id"), nullable=False),
    Column("key", String(KEY), nullable=False),
    Column("platform", String(32), nullable=False),
    Column("data", json_type(), nullable=False),
    *_stamps(),
    PrimaryKeyConstraint("brand_id", "key", name="channels_pkey"),
)

campaigns = Table(
    "campaigns",
    metadata,
    Column("brand_id", String(KEY), ForeignKey("brands.id"), nullable=False),
    Column("id", String(KEY), nullable=False),
    Column("data", json_type(), nullable=False),
    *_stamps(),
    PrimaryKeyConstraint("brand_id", "id", name="campaigns_pkey"),
)

influencers = Table(
    "influencers",
    metadata,
    Column("brand_id", String(KEY), ForeignKey("brands.id"), nullable=False),
    Column("key", String(300), nullable=False),
    Column("data", json_type(), nullable=False),
    *_stamps(),
    PrimaryKeyConstraint("brand_id", "key", name="influencers_pkey"),
)

audiences = Table(
    "audiences",
    metadata,
    Column("brand_id", String(KEY), ForeignKey("brands.id"), primary_key=True),
    Column("data", json_type(), nullable=False),
    *_stamps(),
)

community_settings = Table(
    "community_settings",
    metadata,
    Column("brand_id", String(KEY), ForeignKey("brands.id"), primary_key=True),
    Column("data", json_type(), nullable=False),  # smmkit.community.CommunitySettings as JSON
    *_stamps(),
)

content_items = Table(
    "content_items",
    metadata,
    Column("id", String(KEY), primary_key=True),
    Column("brand_id", String(KEY), ForeignKey("brands.id"), nullable=False),
    Column("status", String(32), nullable=False),
    Column("data", json_type(), nullable=False),
    *_stamps(),
    Index("content_items_brand", "brand_id", "status"),
)

variants = Table(
    "variants",
    metadata,
    Column("id", String(KEY), primary_key=True),
    Column("brand_id", String(KEY), nullable=False),
    Column("item_id", String(KEY), ForeignKey("content_items.id"), nullable=True),
    Column("channel", String(KEY), nullable=False),
    Column("platform", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("publish_key", String(KEY), nullable=False, unique=True),
    Column("scheduled_at", UtcDateTime(), nullable=True),
    Column("data", json_type(), nullable=False),
    *_stamps(),
    ForeignKeyConstraint(
        ["brand_id", "channel"], ["channels.brand_id", "channels.key"], name="variants_channel"
    ),
    Index("variants_brand", "brand_id", "status"),
    Index("variants_item", "item_id"),
)

workflow_history = Table(
    "workflow_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity", String(32), nullable=False),
    Column("entity_id", String(KEY), nullable=False),
    Column("from_status", String(32), nullable=True),
    Column("to_status", String(32), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("note", Text, nullable=True),
    Index("workflow_history_entity", "entity", "entity_id"),
)

calendar_slots = Table(
    "calendar_slots",
    metadata,
    Column("id", String(KEY), primary_key=True),
    Column("brand_id", String(KEY), nullable=False),
    Column("channel", String(KEY), nullable=False),
    Column("starts_at", UtcDateTime(), nullable=False),
    Column("data", json_type(), nullable=False),
    *_stamps(),
    ForeignKeyConstraint(
        ["brand_id", "channel"], ["channels.brand_id", "channels.key"], name="slots_channel"
    ),
    Index("calendar_slots_time", "brand_id", "starts_at"),
)

slot_assignments = Table(
    "slot_assignments",
    metadata,
    Column(
        "slot_id",
        String(KEY),
        ForeignKey("calendar_slots.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("variant_id", String(KEY), ForeignKey("variants.id"), nullable=False, unique=True),
    Column("assigned_at", UtcDateTime(), nullable=False),
    Column("actor", String(200), nullable=False),
    PrimaryKeyConstraint("slot_id", "variant_id", name="slot_assignments_pkey"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("publish_key", String(KEY), nullable=False, unique=True),
    Column("brand_id", String(KEY), nullable=False),
    Column("channel", String(KEY), nullable=False),
    Column("variant_id", String(KEY), ForeignKey("variants.id"), nullable=True),
    Column("state", String(32), nullable=False),
    Column("due_at", UtcDateTime(), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("platform_post_id", Text, nullable=True),
    Column("url", Text, nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("sent_at", UtcDateTime(), nullable=True),
    Column("published_at", UtcDateTime(), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("payload", json_type(), nullable=False),
    # revision 0002 (the runner):
    Column("next_attempt_at", UtcDateTime(), nullable=True),
    Column("tries", Integer, nullable=False, server_default="0"),
    Column("claimed_by", String(KEY), nullable=True),
    Column("claimed_at", UtcDateTime(), nullable=True),
    ForeignKeyConstraint(
        ["brand_id", "channel"], ["channels.brand_id", "channels.key"], name="outbox_channel"
    ),
    Index("outbox_due", "state", "due_at"),
)

published_posts = Table(
    "published_posts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("outbox_id", Integer, ForeignKey("outbox.id"), nullable=False, unique=True),
    Column("publish_key", String(KEY), nullable=False, unique=True),
    Column("brand_id", String(KEY), nullable=False),
    Column("channel", String(KEY), nullable=False),
    Column("variant_id", String(KEY), nullable=True),
    Column("platform", String(32), nullable=False),
    Column("platform_post_id", Text, nullable=False),
    Column("url", Text, nullable=True),
    Column("published_at", UtcDateTime(), nullable=True),
    Column("recorded_at", UtcDateTime(), nullable=False),
    Column("reconciled", Boolean, nullable=False),
    Column("scheduled", Boolean, nullable=False),
    Index("published_posts_channel", "brand_id", "channel", "published_at"),
)

post_metrics = Table(
    "post_metrics",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("brand_id", String(KEY), nullable=False),
    Column("channel", String(KEY), nullable=False),
    Column("post_id", Text, nullable=False),
    Column("measured_at", UtcDateTime(), nullable=False),
    Column("data", json_type(), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    UniqueConstraint("brand_id", "channel", "post_id", "measured_at", name="post_metrics_once"),
)

account_metrics = Table(
    "account_metrics",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("brand_id", String(KEY), nullable=False),
    Column("channel", String(KEY), nullable=False),
    Column("measured_at", UtcDateTime(), nullable=False),
    Column("data", json_type(), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    UniqueConstraint("brand_id", "channel", "measured_at", name="account_metrics_once"),
)

change_log = Table(
    "change_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("entity", String(64), nullable=False),
    Column("entity_id", String(300), nullable=False),
    Column("action", String(64), nullable=False),
    Column("detail", json_type(), nullable=True),
)

# -- revision 0002: the runner ---------------------------------------------------------------

runners = Table(
    "runners",
    metadata,
    Column("id", String(KEY), primary_key=True),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("lock_key", BigInteger, nullable=False),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("heartbeat_at", UtcDateTime(), nullable=False),
    Column("stopped_at", UtcDateTime(), nullable=True),
)

metric_jobs = Table(
    "metric_jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("brand_id", String(KEY), nullable=False),
    Column("channel", String(KEY), nullable=False),
    Column("post_id", Text, nullable=False),
    Column("label", String(64), nullable=False),
    Column("due_at", UtcDateTime(), nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("claimed_by", String(KEY), nullable=True),
    Column("claimed_at", UtcDateTime(), nullable=True),
    Column("done_at", UtcDateTime(), nullable=True),
    Column("last_error", Text, nullable=True),
    UniqueConstraint("kind", "brand_id", "channel", "post_id", "label", name="metric_jobs_once"),
    Index("metric_jobs_due", "state", "due_at"),
)

# -- revision 0003: the workspace ------------------------------------------------------------

channel_secrets = Table(
    "channel_secrets",
    metadata,
    Column("brand_id", String(KEY), nullable=False),
    Column("channel", String(KEY), nullable=False),
    # "reference": an ``env:NAME`` credential reference (a name, not a secret);
    # "tokens": a channel's rotating tokens, Fernet-encrypted by the workspace (never plaintext).
    Column("kind", String(16), nullable=False),
    Column("value", Text, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("brand_id", "channel", "kind", name="channel_secrets_pkey"),
    ForeignKeyConstraint(
        ["brand_id", "channel"],
        ["channels.brand_id", "channels.key"],
        name="channel_secrets_channel_fkey",
    ),
)

ad_metrics = Table(
    "ad_metrics",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("brand_id", String(KEY), ForeignKey("brands.id"), nullable=False),
    Column("channel", String(KEY), nullable=False),
    Column("ad_id", String(300), nullable=False),
    Column("period_start", UtcDateTime(), nullable=False),
    Column("data", json_type(), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    UniqueConstraint("brand_id", "channel", "ad_id", "period_start", name="ad_metrics_once"),
)

# -- revision 0004: the community inbox --------------------------------------------------------

inbox_messages = Table(
    "inbox_messages",
    metadata,
    Column("brand_id", String(KEY), nullable=False),
    Column("key", String(400), nullable=False),  # "<channel>:<message_id>"
    Column("channel", String(KEY), nullable=False),
    Column("platform", String(32), nullable=False),
    Column("message_id", String(300), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("thread_id", String(300), nullable=False),
    Column("in_reply_to", String(300), nullable=True),
    Column("author", Text, nullable=False),
    Column("posted_at", UtcDateTime(), nullable=False),
    Column("from_brand", Boolean, nullable=False),
    Column("data", json_type(), nullable=False),  # the InboxMessage as JSON
    Column("category", String(16), nullable=True),
    Column("confidence", Float, nullable=True),
    Column("cues", json_type(), nullable=True),
    Column("language", String(8), nullable=True),
    Column("read", Boolean, nullable=False),
    Column("assigned_to", String(200), nullable=True),
    Column("answered_at", UtcDateTime(), nullable=True),
    Column("hidden", Boolean, nullable=False),
    Column("handled_by", String(200), nullable=True),
    Column("stored_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    PrimaryKeyConstraint("brand_id", "key", name="inbox_messages_pkey"),
    ForeignKeyConstraint(
        ["brand_id", "channel"], ["channels.brand_id", "channels.key"], name="inbox_channel"
    ),
    Index("inbox_messages_time", "brand_id", "posted_at"),
    Index("inbox_messages_thread", "brand_id", "channel", "thread_id"),
    Index("inbox_messages_reply", "brand_id", "in_reply_to"),
)

inbox_cursors = Table(
    "inbox_cursors",
    metadata,
    Column("brand_id", String(KEY), nullable=False),
    Column("channel", String(KEY), nullable=False),
    Column("cursor", Text, nullable=True),
    Column("synced_at", UtcDateTime(), nullable=False),
    Column("pulls", Integer, nullable=False),
    Column("messages", Integer, nullable=False),
    PrimaryKeyConstraint("brand_id", "channel", name="inbox_cursors_pkey"),
    ForeignKeyConstraint(
        ["brand_id", "channel"], ["channels.brand_id", "channels.key"], name="inbox_cursor_channel"
    ),
)

moderation_actions = Table(
    "moderation_actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("brand_id", String(KEY), ForeignKey("brands.id"), nullable=False),
    Column("message_key", String(400), nullable=False),
    Column("action", String(32), nullable=False),
    Column("rule", String(200), nullable=False),
    Column("state", String(16), nullable=False),
    Column("payload", json_type(), nullable=False),
    Column("result", json_type(), nullable=True),
    Column("error", Text, nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("claimed_by", String(KEY), nullable=True),
    Column("claimed_at", UtcDateTime(), nullable=True),
    Column("planned_by", String(200), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("done_at", UtcDateTime(), nullable=True),
    UniqueConstraint("brand_id", "message_key", "action", "rule", name="moderation_actions_once"),
    Index("moderation_actions_state", "state", "brand_id"),
)

action_notifications = Table(
    "action_notifications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("brand_id", String(KEY), ForeignKey("brands.id"), nullable=False),
    Column(
        "action_id",
        Integer,
        ForeignKey("moderation_actions.id"),
        nullable=False,
        unique=True,
    ),
    Column("payload", json_type(), nullable=False),
    Column("runner", String(KEY), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("delivered_at", UtcDateTime(), nullable=True),
    Index("action_notifications_pending", "brand_id", "delivered_at"),
)
