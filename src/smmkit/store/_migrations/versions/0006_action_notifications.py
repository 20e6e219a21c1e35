"""The moderation hook's outbox: a notification of each done action, queued in the transaction
that finishes the action and marked delivered after the hook returns (at least once: one left
undelivered by a crash is delivered again by the next live run, with the same action id).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

KEY = 128


def upgrade() -> None:
    op.create_table(
        "action_notifications",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("brand_id", sa.String(KEY), sa.ForeignKey("brands.id"), nullable=False),
        sa.Column(
            "action_id",
            sa.Integer,
            sa.ForeignKey("moderation_actions.id"),
            nullable=False,
            unique=True,
        ),
        sa.Column("payload", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.Column("runner", sa.String(KEY), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "action_notifications_pending", "action_notifications", ["brand_id", "delivered_at"]
    )


def downgrade() -> None:
    raise NotImplementedError("smmkit stores are migrated forward only")
