"""Database.standalone(): writes that are each one statement. PostgreSQL runs them in autocommit
(no BEGIN or COMMIT round trip), and the pooled connection is transactional again afterwards;
SQLite runs them as write() does, one transaction under the writer lock."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.profiles import Profile

NOW = datetime(2026, 12, 1, tzinfo=UTC)
ROW = insert(Profile.__table__)


def count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Profile)) or 0


def another_thread_may_write(db: Database) -> bool:
    lock: Any = db.writing()
    got: list[bool] = []

    def attempt() -> None:
        got.append(lock.acquire(blocking=False))
        if got[-1]:
            lock.release()

    other = threading.Thread(target=attempt)
    other.start()
    other.join(timeout=10)
    return got == [True]


def test_postgresql_runs_each_statement_on_its_own(db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's autocommit")
    with db.standalone() as conn:
        conn.execute(ROW, {"team_id": "T1", "user_id": "U1", "updated_at": NOW})
        driver = conn.connection.dbapi_connection
        assert driver is not None and driver.info.transaction_status == TransactionStatus.IDLE  # no BEGIN sent
        assert count(db) == 1  # committed already, seen from another connection
    assert driver.autocommit is False  # back in the pool as it came out
    with pytest.raises(IntegrityError), db.standalone() as conn:  # a statement that fails
        driver = conn.connection.dbapi_connection
        conn.execute(ROW, {"team_id": "T1", "user_id": "U1", "updated_at": NOW})
    assert driver is not None and driver.autocommit is False and count(db) == 1
    with pytest.raises(RuntimeError), db.write() as conn:  # the same pooled connection, in a transaction again
        conn.execute(ROW, {"team_id": "T1", "user_id": "U2", "updated_at": NOW})
        driver = conn.connection.dbapi_connection
        assert driver is not None and driver.info.transaction_status == TransactionStatus.INTRANS
        raise RuntimeError("a failure after the INSERT")
    assert count(db) == 1  # rolled back


def test_sqlite_runs_them_in_one_unit_of_work_under_the_writer_lock(db: Database) -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's transaction")
    with pytest.raises(RuntimeError), db.standalone() as conn:
        conn.execute(ROW, {"team_id": "T1", "user_id": "U1", "updated_at": NOW})
        assert not another_thread_may_write(db)
        raise RuntimeError("a failure after the INSERT")
    assert count(db) == 0


def test_postgresql_reads_without_a_transaction_in_read_core(db: Database) -> None:
    """At READ COMMITTED each statement reads its own snapshot, so a read-only transaction is no more
    consistent than its statements alone: read_core() (a search) skips BEGIN and COMMIT."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's autocommit")
    with db.standalone() as conn:
        conn.execute(ROW, {"team_id": "T1", "user_id": "U1", "updated_at": NOW})
    with db.read_core() as conn:
        assert conn.execute(select(func.count()).select_from(Profile)).scalar() == 1
        driver = conn.connection.dbapi_connection
        assert driver is not None and driver.info.transaction_status == TransactionStatus.IDLE  # no BEGIN sent
    assert driver.autocommit is False  # back in the pool as it came out
    with db.read() as session:  # the same pooled connection, in a transaction again
        session.execute(select(func.count()).select_from(Profile))
        driver = session.connection().connection.dbapi_connection
        assert driver is not None and driver.info.transaction_status == TransactionStatus.INTRANS
