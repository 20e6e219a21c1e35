"""The workspace: channel secrets (credential references, encrypted tokens) and ad results.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

KEY = 128


def _when(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "channel_secrets",
        sa.Column("brand_id", sa.String(KEY), nullable=False),
        sa.Column("channel", sa.String(KEY), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("brand_id", "channel", "kind", name="channel_secrets_pkey"),
        sa.ForeignKeyConstraint(
            ["brand_id", "channel"],
            ["channels.brand_id", "channels.key"],
            name="channel_secrets_channel_fkey",
        ),
    )
    op.create_table(
        "ad_metrics",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("brand_id", sa.String(KEY), sa.ForeignKey("brands.id"), nullable=False),
        sa.Column("channel", sa.String(KEY), nullable=False),
        sa.Column("ad_id", sa.String(300), nullable=False),
        _when("period_start"),
        sa.Column("data", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        _when("recorded_at"),
        sa.UniqueConstraint("brand_id", "channel", "ad_id", "period_start", name="ad_metrics_once"),
    )


def downgrade() -> None:
    raise NotImplementedError("smmkit stores are migrated forward only")
