"""conversations: which channels are public (private ones keep their questions and digests)

Revision ID: 0008_conversations
Revises: 0007_practice_title_vector

Rows are learned as the bot goes (events' channel_type, conversations.info); a channel with no
row is treated as private, so questions and digests saved before this revision stay out of the
exchange-wide surfaces until the bot next hears from their channel.
"""

import sqlalchemy as sa
from alembic import op

import storage.base

revision = "0008_conversations"
down_revision = "0007_practice_title_vector"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation",
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("channel_id", sa.String(32), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("updated_at", storage.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "channel_id", name=op.f("pk_conversation")),
    )


def downgrade() -> None:
    op.drop_table("conversation")
