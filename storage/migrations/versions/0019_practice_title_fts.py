"""SQLite: practice_title_fts, the practices' titles alone in an FTS5 table, for the title tier

Revision ID: 0019_practice_title_fts
Revises: 0018_teams_conversation_names

storage.search ranks practices whose title has the words first. Asked of practice_fts with a column
filter (`title:"word"`), FTS5 reads every word's whole list (each practice mentioning it anywhere)
and bm25() counts it again, before it finds the few titles (bench/README.md, section 1, round 6).
This table holds the titles only, kept in sync by its own triggers as practice_fts is by 0003's.
PostgreSQL has its title index since 0003 (`practice.title_vector`, 0007): nothing to do there.
As for practice_fts, a batch operation that recreates `practice` drops these triggers: a later
migration that does one must run `create_title_search()` again.
"""

from alembic import op

revision = "0019_practice_title_fts"
down_revision = "0018_teams_conversation_names"
branch_labels = None
depends_on = None

TRIGGERS = ("practice_title_fts_ai", "practice_title_fts_ad", "practice_title_fts_au")


def create_title_search() -> None:
    op.execute("CREATE VIRTUAL TABLE IF NOT EXISTS practice_title_fts USING fts5(title, content='practice', "
               "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')")  # practice_fts' tokenizer
    op.execute("""CREATE TRIGGER IF NOT EXISTS practice_title_fts_ai AFTER INSERT ON practice BEGIN
      INSERT INTO practice_title_fts (rowid, title) VALUES (new.id, new.title);
    END""")
    op.execute("""CREATE TRIGGER IF NOT EXISTS practice_title_fts_ad AFTER DELETE ON practice BEGIN
      INSERT INTO practice_title_fts (practice_title_fts, rowid, title) VALUES ('delete', old.id, old.title);
    END""")
    op.execute("""CREATE TRIGGER IF NOT EXISTS practice_title_fts_au AFTER UPDATE OF title ON practice BEGIN
      INSERT INTO practice_title_fts (practice_title_fts, rowid, title) VALUES ('delete', old.id, old.title);
      INSERT INTO practice_title_fts (rowid, title) VALUES (new.id, new.title);
    END""")
    op.execute("INSERT INTO practice_title_fts (practice_title_fts) VALUES ('rebuild')")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        create_title_search()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS practice_title_fts")
