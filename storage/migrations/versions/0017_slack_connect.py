"""Slack Connect: a shared channel's home (the one installed workspace that owns it, so the channel is
one conversation whichever installation Slack sends its events to), and one host of the exchange
(a unique index on exchange_member.host, so two first installs racing cannot both become the host);
the roundup's exchange-wide week reads adoptions by created_at alone.

Revision ID: 0017_slack_connect
Revises: 0016_platform_ids
"""

import sqlalchemy as sa
from alembic import op

from storage.base import UTCDateTime

revision = "0017_slack_connect"
down_revision = "0016_platform_ids"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_home",
        sa.Column("channel_id", sa.String(255), nullable=False),
        sa.Column("team_id", sa.String(255), nullable=False),
        sa.Column("claimed_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel_id", name=op.f("pk_conversation_home")),
    )
    # Only the first host stays one (a race before this revision could have recorded two).
    op.execute("UPDATE exchange_member SET host = false WHERE host AND workspace_id <> "
               "(SELECT workspace_id FROM (SELECT workspace_id FROM exchange_member WHERE host "
               "ORDER BY joined_at, workspace_id LIMIT 1) AS first)")
    op.create_index("uix_exchange_member_host", "exchange_member", ["host"], unique=True,
                    postgresql_where=sa.text("host"), sqlite_where=sa.text("host"))
    op.create_index("ix_adoption_created_at", "adoption", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_adoption_created_at", table_name="adoption")
    op.drop_index("uix_exchange_member_host", table_name="exchange_member")
    op.drop_table("conversation_home")
