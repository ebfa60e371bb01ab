"""practice search: FTS5 (SQLite) or a tsvector with a GIN index (PostgreSQL), and city_key

Revision ID: 0003_practice_search
Revises: 0002_practices

The search structures are hand-written DDL that the models do not describe (storage.db keeps
autogenerate away from them). SQLite: a batch operation that recreates `practice` drops its
triggers, so a later migration that does one must run `create_sqlite_search()` again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_practice_search"
down_revision = "0002_practices"
branch_labels = None
depends_on = None

INDEXED = ("title", "city", "problem", "solution", "outcome")  # practice_fts columns, in order

SQLITE_FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS practice_fts USING fts5("
    + ", ".join(INDEXED)
    + ", content='practice', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
)


def _values(prefix: str) -> str:
    return ", ".join(f"{prefix}.{column}" for column in INDEXED)


# The shape sqlite-utils' enable_fts(create_triggers=True) generates; the update trigger only
# fires when an indexed column changes (posting a card sets message_ts: no re-index).
SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS practice_fts_ai AFTER INSERT ON practice BEGIN
      INSERT INTO practice_fts (rowid, {", ".join(INDEXED)}) VALUES (new.id, {_values("new")});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS practice_fts_ad AFTER DELETE ON practice BEGIN
      INSERT INTO practice_fts (practice_fts, rowid, {", ".join(INDEXED)})
        VALUES ('delete', old.id, {_values("old")});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS practice_fts_au AFTER UPDATE OF {", ".join(INDEXED)} ON practice BEGIN
      INSERT INTO practice_fts (practice_fts, rowid, {", ".join(INDEXED)})
        VALUES ('delete', old.id, {_values("old")});
      INSERT INTO practice_fts (rowid, {", ".join(INDEXED)}) VALUES (new.id, {_values("new")});
    END""",
)

POSTGRES_VECTOR = """
ALTER TABLE practice ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(city, '')), 'B')
    || setweight(to_tsvector('english'::regconfig,
         coalesce(problem, '') || ' ' || coalesce(solution, '') || ' ' || coalesce(outcome, '')), 'C')
) STORED
"""


def create_sqlite_search() -> None:
    op.execute(SQLITE_FTS)
    for trigger in SQLITE_TRIGGERS:
        op.execute(trigger)
    op.execute("INSERT INTO practice_fts (practice_fts) VALUES ('rebuild')")


def upgrade() -> None:
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("city_key", sa.String(length=120), nullable=False, server_default=""))
    practice = sa.table("practice", sa.column("id", sa.Integer), sa.column("city", sa.String),
                        sa.column("city_key", sa.String))
    connection = op.get_bind()
    for row in connection.execute(sa.select(practice.c.id, practice.c.city)).all():
        key = " ".join(row.city.casefold().split())[:120]  # storage.practices.city_key, frozen here
        connection.execute(practice.update().where(practice.c.id == row.id).values(city_key=key))

    if connection.dialect.name == "sqlite":
        create_sqlite_search()
    else:
        op.execute(POSTGRES_VECTOR)
        op.execute("CREATE INDEX ix_practice_search_vector ON practice USING gin (search_vector)")
        # practices whose title has the words rank first (storage.search): their own small index
        op.execute("CREATE INDEX ix_practice_title_vector ON practice "
                   "USING gin (to_tsvector('english'::regconfig, title))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("practice_fts_ai", "practice_fts_ad", "practice_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS practice_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_practice_title_vector")
        op.execute("DROP INDEX IF EXISTS ix_practice_search_vector")
        op.execute("ALTER TABLE practice DROP COLUMN IF EXISTS search_vector")
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.drop_column("city_key")
