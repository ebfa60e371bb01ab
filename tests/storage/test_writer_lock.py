"""SQLite writers in one process queue on an in-process lock, never on SQLite's busy wait;
PostgreSQL's units of work are not serialised; readers never wait for a writer."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, select

from storage.db import Database
from storage.profiles import Profile
from tests.harness import run_together

WRITERS, WRITES = 8, 15
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_sqlite_writers_queue_in_process_without_busy_errors(db: Database, database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's one writer")

    @event.listens_for(db.engine, "connect")
    def no_busy_wait(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.execute("PRAGMA busy_timeout=0")  # a second writer would fail at once

    db.dispose()  # connections made from now on have no busy wait
    inside, most, guard = [0], [0], threading.Lock()

    def write(n: int) -> None:
        for i in range(WRITES):
            with db.begin() as session:
                with guard:
                    inside[0] += 1
                    most[0] = max(most[0], inside[0])
                session.add(Profile(team_id="T1", user_id=f"U{n}-{i}", updated_at=NOW))
                session.flush()
                with guard:
                    inside[0] -= 1

    run_together(write, list(range(WRITERS)))
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Profile)) == WRITERS * WRITES
    assert most[0] == 1


def test_a_reader_does_not_wait_for_a_writer(db: Database) -> None:
    writing, done = threading.Event(), threading.Event()

    def hold() -> None:
        with db.begin() as session:
            session.add(Profile(team_id="T1", user_id="U1", updated_at=NOW))
            session.flush()
            writing.set()
            done.wait(timeout=30)

    writer = threading.Thread(target=hold)
    writer.start()
    try:
        assert writing.wait(timeout=30)
        with db.read() as session:  # would hang here if reads queued behind the writer
            assert session.scalar(select(func.count()).select_from(Profile)) == 0
    finally:
        done.set()
        writer.join(timeout=30)


def test_postgresql_units_of_work_are_not_serialised(db: Database, database_url: str) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL has many writers")
    both = threading.Barrier(2, timeout=30)  # broken (an error) if one waited for the other

    def write(n: int) -> None:
        with db.begin() as session:
            session.add(Profile(team_id="T1", user_id=f"U{n}", updated_at=NOW))
            session.flush()
            both.wait()

    run_together(write, [1, 2])
    assert not both.broken
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Profile)) == 2
