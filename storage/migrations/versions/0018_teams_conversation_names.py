"""teams_conversation.name and team_name: what Teams calls a conversation (a channel's name and its
team's, a group chat's name), kept with its reference so the bot names it (the roundup settings
dialog's choices, "posted in ...") instead of "another channel"; NULL until Teams sends one. And
team_ref, the Teams team a channel belongs to, so a team's name (and its rename) reaches its channels.

Revision ID: 0018_teams_conversation_names
Revises: 0017_slack_connect
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_teams_conversation_names"
down_revision = "0017_slack_connect"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("teams_conversation") as batch:
        batch.add_column(sa.Column("name", sa.String(255), nullable=True))
        batch.add_column(sa.Column("team_name", sa.String(255), nullable=True))
        batch.add_column(sa.Column("team_ref", sa.String(255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("teams_conversation") as batch:
        batch.drop_column("team_ref")
        batch.drop_column("team_name")
        batch.drop_column("name")
