"""practice.published: its sharer (or a moderator) put it on the public web library

Revision ID: 0013_practice_published
Revises: 0012_installations

Off for every practice saved before: nothing goes on the public web without its sharer's choice.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_practice_published"
down_revision = "0012_installations"
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both engines: a batch (copy-and-move) on SQLite would drop the FTS triggers.
def upgrade() -> None:
    op.add_column("practice", sa.Column("published", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.execute("ALTER TABLE practice DROP COLUMN published")  # SQLite >= 3.35 drops a plain column in place
