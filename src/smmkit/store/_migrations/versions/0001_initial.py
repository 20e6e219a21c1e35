"""The first schema: setup, content and workflow, calendar, outbox, published posts, metrics and
the append-only change log.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

KEY = 128


def _json() -> Any:
    return sa.JSON().with_variant(JSONB(), "postgresql")


def _when(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _stamps() -> list[sa.Column[object]]:
    return [_when("created_at"), _when("updated_at")]


def upgrade() -> None:
    op.create_table(
        "brands",
        sa.Column("id", sa.String(KEY), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("data", _json(), nullable=False),
        *_stamps(),
    )
    op.create_table(
        "channels",
        sa.Column("brand_id", sa.String(KEY), sa.ForeignKey("brands.id"), nullable=False),
        sa.Column("key", sa.String(KEY), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("data", _json(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("brand_id", "key", name="channels_pkey"),
    )
    op.create_table(
        "campaigns",
        sa.Column("brand_id", sa.String(KEY), sa.ForeignKey("brands.id"), nullable=False),
        sa.Column("id", sa.String(KEY), nullable=False),
        sa.Column("data", _json(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("brand_id", "id", name="campaigns_pkey"),
    )
    op.create_table(
        "influencers",
        sa.Column("brand_id", sa.String(KEY), sa.ForeignKey("brands.id"), nullable=False),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("data", _json(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("brand_id", "key", name="influencers_pkey"),
    )
    op.create_table(
        "audiences",
        sa.Column("brand_id", sa.String(KEY), sa.ForeignKey("brands.id"), primary_key=True),
        sa.Column("data", _json(), nullable=False),
        *_stamps(),
    )
    op.create_table(
        "content_items",
        sa.Column("id", sa.String(KEY), primary_key=True),
        sa.Column("brand_id", sa.String(KEY), sa.ForeignKey("brands.id"), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("data", _json(), nullable=False),
        *_stamps(),
    )
    op.create_index("content_items_brand", "content_items", ["brand_id", "status"])
    op.create_table(
        "variants",
        sa.Column("id", sa.String(KEY), primary_key=True),
        sa.Column("brand_id", sa.String(KEY), nullable=False),
        sa.Column("item_id", sa.String(KEY), sa.ForeignKey("content_items.id"), nullable=True),
        sa.Column("channel", sa.String(KEY), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("publish_key", sa.String(KEY), nullable=False, unique=True),
        _when("scheduled_at", nullable=True),
        sa.Column("data", _json(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["brand_id", "channel"], ["channels.brand_id", "channels.key"], name="variants_channel"
        ),
    )
    op.create_index("variants_brand", "variants", ["brand_id", "status"])
    op.create_index("variants_item", "variants", ["item_id"])
    op.create_table(
        "workflow_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.String(KEY), nullable=False),
        sa.Column("from_status", sa.String(32), nullable=True),
        sa.Column("to_status", sa.String(32), nullable=False),
        _when("at"),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
    )
    op.create_index("workflow_history_entity", "workflow_history", ["entity", "entity_id"])
    op.create_table(
        "calendar_slots",
        sa.Column("id", sa.String(KEY), primary_key=True),
        sa.Column("brand_id", sa.String(KEY), nullable=False),
        sa.Column("channel", sa.String(KEY), nullable=False),
        _when("starts_at"),
        sa.Column("data", _json(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["brand_id", "channel"], ["channels.brand_id", "channels.key"], name="slots_channel"
        ),
    )
    op.create_index("calendar_slots_time", "calendar_slots", ["brand_id", "starts_at"])
    op.create_table(
        "slot_assignments",
        sa.Column(
            "slot_id",
            sa.String(KEY),
            sa.ForeignKey("calendar_slots.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "variant_id", sa.String(KEY), sa.ForeignKey("variants.id"), nullable=False, unique=True
        ),
        _when("assigned_at"),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("slot_id", "variant_id", name="slot_assignments_pkey"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("publish_key", sa.String(KEY), nullable=False, unique=True),
        sa.Column("brand_id", sa.String(KEY), nullable=False),
        sa.Column("channel", sa.String(KEY), nullable=False),
        sa.Column("variant_id", sa.String(KEY), sa.ForeignKey("variants.id"), nullable=True),
        sa.Column("state", sa.String(32), nullable=False),
        _when("due_at"),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("platform_post_id", sa.Text, nullable=True),
        sa.Column("url", sa.Text, nullable=True),
        *_stamps(),
        _when("sent_at", nullable=True),
        _when("published_at", nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("payload", _json(), nullable=False),
        sa.ForeignKeyConstraint(
            ["brand_id", "channel"], ["channels.brand_id", "channels.key"], name="outbox_channel"
        ),
    )
    op.create_index("outbox_due", "outbox", ["state", "due_at"])
    op.create_table(
        "published_posts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("outbox_id", sa.Integer, sa.ForeignKey("outbox.id"), nullable=False, unique=True),
        sa.Column("publish_key", sa.String(KEY), nullable=False, unique=True),
        sa.Column("brand_id", sa.String(KEY), nullable=False),
        sa.Column("channel", sa.String(KEY), nullable=False),
        sa.Column("variant_id", sa.String(KEY), nullable=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("platform_post_id", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=True),
        _when("published_at", nullable=True),
        _when("recorded_at"),
        sa.Column("reconciled", sa.Boolean, nullable=False),
        sa.Column("scheduled", sa.Boolean, nullable=False),
    )
    op.create_index(
        "published_posts_channel", "published_posts", ["brand_id", "channel", "published_at"]
    )
    op.create_table(
        "post_metrics",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("brand_id", sa.String(KEY), nullable=False),
        sa.Column("channel", sa.String(KEY), nullable=False),
        sa.Column("post_id", sa.Text, nullable=False),
        _when("measured_at"),
        sa.Column("data", _json(), nullable=False),
        _when("recorded_at"),
        sa.UniqueConstraint(
            "brand_id", "channel", "post_id", "measured_at", name="post_metrics_once"
        ),
    )
    op.create_table(
        "account_metrics",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("brand_id", sa.String(KEY), nullable=False),
        sa.Column("channel", sa.String(KEY), nullable=False),
        _when("measured_at"),
        sa.Column("data", _json(), nullable=False),
        _when("recorded_at"),
        sa.UniqueConstraint("brand_id", "channel", "measured_at", name="account_metrics_once"),
    )
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _when("at"),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("entity_id", sa.String(300), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("detail", _json(), nullable=True),
    )
    # The change log is append-only: the database itself refuses to edit or delete a line.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION smmkit_change_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'change_log is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER change_log_append_only BEFORE UPDATE OR DELETE ON change_log "
            "FOR EACH ROW EXECUTE FUNCTION smmkit_change_log_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER change_log_no_{verb.lower()} BEFORE {verb} ON change_log "
                "BEGIN SELECT RAISE(ABORT, 'change_log is append-only'); END"
            )


def downgrade() -> None:
    raise NotImplementedError("smmkit stores are migrated forward only")
