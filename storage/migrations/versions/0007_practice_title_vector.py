"""practice search vectors for cheaper ranking (PostgreSQL): a stored title vector, the full one in the row

Revision ID: 0007_practice_title_vector
Revises: 0006_digests_roundups

Search looks at practices whose title has the words first (storage.search). The title vector was
an expression index only: whenever PostgreSQL chose to filter rows instead (a table whose
statistics are not yet gathered, a topic or city filter), it parsed and stemmed every title
again. Stored, like `search_vector`, the check costs what the full-text one does.

Ranking reads every matching practice's `search_vector`. Stored EXTENDED, the vector is the
widest column and the first PostgreSQL moves out to the TOAST table, so ranking paid another
index lookup and page per row; MAIN keeps it in the row and moves the texts out first (they are
only read for the results shown). SQLite: nothing to do.
"""

from alembic import op

revision = "0007_practice_title_vector"
down_revision = "0006_digests_roundups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE practice ALTER COLUMN search_vector SET STORAGE MAIN")
    op.execute("DROP INDEX IF EXISTS ix_practice_title_vector")
    op.execute("ALTER TABLE practice ADD COLUMN title_vector tsvector GENERATED ALWAYS AS "
               "(to_tsvector('english'::regconfig, coalesce(title, ''))) STORED")
    op.execute("CREATE INDEX ix_practice_title_vector ON practice USING gin (title_vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_practice_title_vector")
    op.execute("ALTER TABLE practice DROP COLUMN IF EXISTS title_vector")
    op.execute("CREATE INDEX ix_practice_title_vector ON practice "
               "USING gin (to_tsvector('english'::regconfig, title))")
    op.execute("ALTER TABLE practice ALTER COLUMN search_vector SET STORAGE EXTENDED")
