"""A brand's community settings (the setup's ``[community]`` table: moderation rules and saved
replies), kept with the brand so the workspace moderates and replies with them.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

KEY = 128


def upgrade() -> None:
    op.create_table(
        "community_settings",
        sa.Column("brand_id", sa.String(KEY), sa.ForeignKey("brands.id"), primary_key=True),
        sa.Column("data", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("community_settings")
