"""conversations: which channels are public (private ones keep their questions and digests);
one adoption per member and practice; who asked about a practice (its sharer is mentioned once)

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


    op.create_table(
        "practice_ask",
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("created_at", storage.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["practice_id"], ["practice.id"], name=op.f("fk_practice_ask_practice_id_practice"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("practice_id", "user_id", name=op.f("pk_practice_ask")),
    )
    # A member counted several cities by changing their profile: keep their first adoption only.
    op.execute("DELETE FROM adoption WHERE EXISTS (SELECT 1 FROM adoption AS earlier WHERE "
               "earlier.practice_id = adoption.practice_id AND earlier.user_id = adoption.user_id "
               "AND earlier.id < adoption.id)")
    with op.batch_alter_table("adoption") as batch_op:
        batch_op.create_index("uix_adoption_practice_id_user_id", ["practice_id", "user_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("adoption") as batch_op:
        batch_op.drop_index("uix_adoption_practice_id_user_id")
    op.drop_table("practice_ask")
    op.drop_table("conversation")
