"""exchange_member: which workspaces are in the exchange (pending, approved, declined)

Revision ID: 0014_exchange_member
Revises: 0013_practice_published
"""

import sqlalchemy as sa
from alembic import op

from storage.base import UTCDateTime

revision = "0014_exchange_member"
down_revision = "0013_practice_published"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_member",
        sa.Column("workspace_id", sa.String(64), primary_key=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("host", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("joined_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("decided_at", UTCDateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_exchange_member_status", "exchange_member", ["status"])


def downgrade() -> None:
    op.drop_index("ix_exchange_member_status", table_name="exchange_member")
    op.drop_table("exchange_member")
