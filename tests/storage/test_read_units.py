"""On SQLite a read-only unit of work takes no write lock: a writer goes ahead while it is open."""

import sqlite3

from sqlalchemy import text

from storage.db import Database


def test_a_read_does_not_block_a_writer(tmp_path) -> None:  # noqa: ANN001
    db = Database(f"sqlite:///{tmp_path / 'r.db'}")
    with db.begin() as session:
        session.execute(text("CREATE TABLE t (x INTEGER)"))
    with db.read() as session:
        assert session.execute(text("SELECT count(*) FROM t")).scalar() == 0
        other = sqlite3.connect(tmp_path / "r.db", timeout=0.1, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # would raise "database is locked" behind BEGIN IMMEDIATE
        other.execute("INSERT INTO t VALUES (1)")
        other.execute("COMMIT")
        other.close()
    with db.begin() as session:  # and units of work that write still take the lock first
        assert session.execute(text("SELECT count(*) FROM t")).scalar() == 1
    db.dispose()
