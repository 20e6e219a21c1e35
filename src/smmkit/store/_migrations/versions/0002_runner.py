"""The runner: claims and backoff on the outbox, runner registrations, metric jobs.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

KEY = 128


def _when(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.add_column("outbox", _when("next_attempt_at", nullable=True))
    op.add_column("outbox", sa.Column("tries", sa.Integer, nullable=False, server_default="0"))
    op.add_column("outbox", sa.Column("claimed_by", sa.String(KEY), nullable=True))
    op.add_column("outbox", _when("claimed_at", nullable=True))
    # Rows written by revision 0001 are due at their due time; their attempts so far count.
    op.execute("UPDATE outbox SET next_attempt_at = due_at, tries = attempts")
    op.create_table(
        "runners",
        sa.Column("id", sa.String(KEY), primary_key=True),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("lock_key", sa.BigInteger, nullable=False),
        _when("started_at"),
        _when("heartbeat_at"),
        _when("stopped_at", nullable=True),
    )
    op.create_table(
        "metric_jobs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("brand_id", sa.String(KEY), nullable=False),
        sa.Column("channel", sa.String(KEY), nullable=False),
        sa.Column("post_id", sa.Text, nullable=False),
        sa.Column("label", sa.String(64), nullable=False),
        _when("due_at"),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("claimed_by", sa.String(KEY), nullable=True),
        _when("claimed_at", nullable=True),
        _when("done_at", nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.UniqueConstraint(
            "kind", "brand_id", "channel", "post_id", "label", name="metric_jobs_once"
        ),
    )
    op.create_index("metric_jobs_due", "metric_jobs", ["state", "due_at"])


def downgrade() -> None:
    raise NotImplementedError("smmkit stores are migrated forward only")
