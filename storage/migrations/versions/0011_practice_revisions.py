"""practice revisions: every version of a practice, who made it and when (for records exports)

Revision ID: 0011_practice_revisions
Revises: 0010_roundup_content

Practices shared before this revision get what is known of them: revision 1 ("shared", by the
sharer, at created_at) with the content as it stands now, and for a deleted one revision 2
("deleted", by an unknown member, at deleted_at). Edits made before it are not recoverable.
"""

import sqlalchemy as sa
from alembic import op

import storage.base

revision = "0011_practice_revisions"
down_revision = "0010_roundup_content"
branch_labels = None
depends_on = None

CONTENT = ("title", "city", "problem", "solution", "outcome", "cost", "contact")
BATCH = 1000


def upgrade() -> None:
    revisions = op.create_table(
        "practice_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("by_user_id", sa.String(length=32), nullable=False),
        sa.Column("at", storage.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("city", sa.String(length=120), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("solution", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("cost", sa.Text(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["practice_id"], ["practice.id"], ondelete="CASCADE",
                                name=op.f("fk_practice_revision_practice_id_practice")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_revision")),
        sa.UniqueConstraint("practice_id", "number", name=op.f("uq_practice_revision_practice_id")),
    )
    with op.batch_alter_table("practice_revision", schema=None) as batch_op:
        batch_op.create_index("ix_practice_revision_team_id_at", ["team_id", "at"], unique=False)
    _backfill(revisions)


def _backfill(revisions: sa.Table) -> None:
    bind = op.get_bind()
    utc = storage.base.UTCDateTime()
    practice = sa.table("practice", sa.column("created_at", utc), sa.column("deleted_at", utc),
                        *(sa.column(c) for c in ("id", "team_id", "user_id", *CONTENT)))
    topic = sa.table("practice_topic", sa.column("practice_id"), sa.column("topic"))
    last = 0
    while True:
        rows = bind.execute(sa.select(practice).where(practice.c.id > last)
                            .order_by(practice.c.id).limit(BATCH)).mappings().all()
        if not rows:
            return
        last = rows[-1]["id"]
        topics: dict[int, list[str]] = {row["id"]: [] for row in rows}
        for practice_id, name in bind.execute(sa.select(topic.c.practice_id, topic.c.topic).where(
                topic.c.practice_id.in_(list(topics))).order_by(topic.c.practice_id, topic.c.topic)):
            topics[practice_id].append(name)
        values = []
        for row in rows:
            content = {name: row[name] or "" for name in CONTENT}
            common = {"team_id": row["team_id"], "practice_id": row["id"], "topics": topics[row["id"]], **content}
            values.append({**common, "number": 1, "action": "shared", "by_user_id": row["user_id"],
                           "at": row["created_at"]})
            if row["deleted_at"] is not None:
                values.append({**common, "number": 2, "action": "deleted", "by_user_id": "",
                               "at": row["deleted_at"]})
        bind.execute(revisions.insert(), values)


def downgrade() -> None:
    with op.batch_alter_table("practice_revision", schema=None) as batch_op:
        batch_op.drop_index("ix_practice_revision_team_id_at")
    op.drop_table("practice_revision")
