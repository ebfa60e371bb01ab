"""teams_conversation: a conversation reference per Teams conversation the bot heard from

Revision ID: 0015_teams_conversation
Revises: 0014_exchange_member
"""

import sqlalchemy as sa
from alembic import op

from storage.base import UTCDateTime

revision = "0015_teams_conversation"
down_revision = "0014_exchange_member"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "teams_conversation",
        sa.Column("conversation_id", sa.String(512), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("service_url", sa.String(512), nullable=False),
        sa.Column("conversation_type", sa.String(32), nullable=False),
        sa.Column("seen_at", UTCDateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_teams_conversation_tenant_id", "teams_conversation", ["tenant_id"])


def downgrade() -> None:
    op.drop_index("ix_teams_conversation_tenant_id", table_name="teams_conversation")
    op.drop_table("teams_conversation")
