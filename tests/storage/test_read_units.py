"""On SQLite a read-only unit of work takes no write lock: a writer goes ahead while it is open."""

import sqlite3

import pytest
from sqlalchemy import text

from storage.db import Database


@pytest.mark.parametrize("core", [False, True])
def test_a_read_does_not_block_a_writer(tmp_path, core: bool) -> None:  # noqa: ANN001
    """Database.read() and read_core() (the search's, without an ORM session) alike."""
    db = Database(f"sqlite:///{tmp_path / 'r.db'}")
    with db.begin() as session:
        session.execute(text("CREATE TABLE t (x INTEGER)"))
    with db.read_core() if core else db.read() as reader:
        assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 0
        assert reader.in_transaction()  # a snapshot: BEGIN was sent
        other = sqlite3.connect(tmp_path / "r.db", timeout=0.1, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # would raise "database is locked" behind BEGIN IMMEDIATE
        other.execute("INSERT INTO t VALUES (1)")
        other.execute("COMMIT")
        other.close()
        assert reader.execute(text("SELECT count(*) FROM t")).scalar() == 0  # still its snapshot
    with db.begin() as session:  # and units of work that write still take the lock first
        assert session.execute(text("SELECT count(*) FROM t")).scalar() == 1
    db.dispose()
