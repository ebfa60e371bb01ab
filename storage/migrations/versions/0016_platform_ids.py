"""Platform ids up to 255 characters: Teams' tenant ids (GUIDs, 36), user ids (29:..., ~80) and
conversation ids (19:...@thread.tacv2, a:... for a personal chat, over 100) did not fit in 32.

PostgreSQL: ALTER COLUMN ... TYPE VARCHAR(255) (widening a varchar rewrites nothing). SQLite keeps
every varchar as TEXT whatever its declared length, so only the declared type changes, with
SQLite's documented procedure for schema changes that leave the stored content as it is (rewrite
the table's CREATE statement in sqlite_schema, bump schema_version): a batch copy of `practice` or
`question` would drop their FTS triggers and, with foreign keys on, cascade-delete their children.

Revision ID: 0016_platform_ids
Revises: 0015_teams_conversation
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0016_platform_ids"
down_revision = "0015_teams_conversation"
branch_labels = None
depends_on = None

NARROW, WIDE = 32, 255
COLUMNS = {
    "adoption": ("team_id", "user_id"),
    "answer": ("team_id", "ts", "user_id"),
    "conversation": ("team_id", "channel_id"),
    "delivery": ("team_id", "channel_id", "slack_ts"),
    "digest": ("team_id", "channel_id", "thread_ts", "saved_by", "message_ts"),
    "posted_roundup": ("team_id", "channel_id", "requested_by", "message_ts"),
    "practice": ("team_id", "user_id", "asked_by", "saved_by", "channel_id", "message_ts"),
    "practice_ask": ("user_id", "team_id"),
    "practice_revision": ("team_id", "by_user_id"),
    "processed_event": ("team_id",),
    "profile": ("team_id", "user_id"),
    "question": ("team_id", "channel_id", "ts", "user_id", "reply_ts", "answer_ts", "closed_by"),
    "roundtable": ("team_id", "channel_id", "created_by"),
    "roundtable_rsvp": ("user_id", "team_id"),
    "roundup_settings": ("team_id", "channel_id", "updated_by"),
    "suggested_expert": ("user_id", "team_id"),
}


def _sqlite_declared(bind: sa.Connection, old: int, new: int) -> None:
    bind.exec_driver_sql("PRAGMA writable_schema=ON")
    try:
        for table, columns in COLUMNS.items():
            sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type='table' AND name=?", (table,)).scalar()
            changed = sql
            for column in columns:
                changed = re.sub(rf'(^|[\s(,])("?{column}"?\s+)VARCHAR\({old}\)', rf"\1\2VARCHAR({new})", changed)
            if changed != sql:
                bind.exec_driver_sql("UPDATE sqlite_master SET sql=? WHERE type='table' AND name=?", (changed, table))
        version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
        bind.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema=OFF")


def _resize(old: int, new: int) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_declared(bind, old, new)
        return
    for table, columns in COLUMNS.items():
        for column in columns:
            op.alter_column(table, column, type_=sa.String(new), existing_type=sa.String(old))


def upgrade() -> None:
    _resize(NARROW, WIDE)


def downgrade() -> None:
    _resize(WIDE, NARROW)  # PostgreSQL refuses if a longer id is stored: nothing is cut silently
