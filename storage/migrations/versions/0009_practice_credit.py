"""practice credit: who asked the question a practice was saved from, and who saved it

Revision ID: 0009_practice_credit
Revises: 0008_conversations

"Save as practice" on an answered question makes the member who answered the sharer (their city
and name on the card); the asker and the member who pressed the button are kept beside it. Both
are empty for practices shared directly.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_practice_credit"
down_revision = "0008_conversations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("practice") as batch:
        batch.add_column(sa.Column("asked_by", sa.String(32), nullable=False, server_default=""))
        batch.add_column(sa.Column("saved_by", sa.String(32), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("practice") as batch:
        batch.drop_column("saved_by")
        batch.drop_column("asked_by")
