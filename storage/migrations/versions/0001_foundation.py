"""foundation: processed Slack events

Revision ID: 0001_foundation
Revises:
"""

import sqlalchemy as sa
from alembic import op

from storage.base import UTCDateTime

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "processed_event",
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "event_id", name=op.f("pk_processed_event")),
    )
    op.create_index(
        op.f("ix_processed_event_received_at"), "processed_event", ["received_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_processed_event_received_at"), table_name="processed_event")
    op.drop_table("processed_event")
