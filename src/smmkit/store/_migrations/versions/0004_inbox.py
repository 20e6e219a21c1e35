"""The community inbox: messages with their classification and state, per-channel sync cursors,
and the moderation actions (a write-ahead table: each action once per message and rule).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

KEY = 128


def _when(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _json(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.JSON().with_variant(JSONB(), "postgresql"), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "inbox_messages",
        sa.Column("brand_id", sa.String(KEY), nullable=False),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("channel", sa.String(KEY), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("message_id", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("thread_id", sa.String(300), nullable=False),
        sa.Column("in_reply_to", sa.String(300), nullable=True),
        sa.Column("author", sa.Text, nullable=False),
        _when("posted_at"),
        sa.Column("from_brand", sa.Boolean, nullable=False),
        _json("data"),
        sa.Column("category", sa.String(16), nullable=True),
        sa.Column("confidence", sa.Float, nullable=True),
        _json("cues", nullable=True),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("read", sa.Boolean, nullable=False),
        sa.Column("assigned_to", sa.String(200), nullable=True),
        _when("answered_at", nullable=True),
        sa.Column("hidden", sa.Boolean, nullable=False),
        sa.Column("handled_by", sa.String(200), nullable=True),
        _when("stored_at"),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("brand_id", "key", name="inbox_messages_pkey"),
        sa.ForeignKeyConstraint(
            ["brand_id", "channel"], ["channels.brand_id", "channels.key"], name="inbox_channel"
        ),
    )
    op.create_index("inbox_messages_time", "inbox_messages", ["brand_id", "posted_at"])
    op.create_index("inbox_messages_thread", "inbox_messages", ["brand_id", "channel", "thread_id"])
    op.create_index("inbox_messages_reply", "inbox_messages", ["brand_id", "in_reply_to"])
    op.create_table(
        "inbox_cursors",
        sa.Column("brand_id", sa.String(KEY), nullable=False),
        sa.Column("channel", sa.String(KEY), nullable=False),
        sa.Column("cursor", sa.Text, nullable=True),
        _when("synced_at"),
        sa.Column("pulls", sa.Integer, nullable=False),
        sa.Column("messages", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("brand_id", "channel", name="inbox_cursors_pkey"),
        sa.ForeignKeyConstraint(
            ["brand_id", "channel"],
            ["channels.brand_id", "channels.key"],
            name="inbox_cursor_channel",
        ),
    )
    op.create_table(
        "moderation_actions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("brand_id", sa.String(KEY), sa.ForeignKey("brands.id"), nullable=False),
        sa.Column("message_key", sa.String(400), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("rule", sa.String(200), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        _json("payload"),
        _json("result", nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("claimed_by", sa.String(KEY), nullable=True),
        _when("claimed_at", nullable=True),
        sa.Column("planned_by", sa.String(200), nullable=False),
        _when("created_at"),
        _when("updated_at"),
        _when("done_at", nullable=True),
        sa.UniqueConstraint(
            "brand_id", "message_key", "action", "rule", name="moderation_actions_once"
        ),
    )
    op.create_index("moderation_actions_state", "moderation_actions", ["state", "brand_id"])


def downgrade() -> None:
    raise NotImplementedError("smmkit stores are migrated forward only")
