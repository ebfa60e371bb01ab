"""Engine, units of work and schema upgrades for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar, Token
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from psycopg.pq import TransactionStatus
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"
UPGRADE_LOCK_ID = 7_424_242  # pg_advisory_lock key: one schema upgrade at a time
UNMANAGED_TABLES = ("practice_fts", "practice_title_fts", "digest_fts")  # FTS5 tables and their shadow tables: migrations manage them by hand
SLACK_SDK_TABLES = "slack_"  # slack-sdk's installation stores describe these (storage.installations)
# PostgreSQL's generated tsvectors
UNMANAGED_COLUMNS = {("practice", "search_vector"), ("practice", "title_vector"), ("digest", "search_vector")}
UNMANAGED_INDEXES = ("ix_practice_search_vector", "ix_practice_title_vector", "ix_digest_search_vector")  # GIN
log = logging.getLogger(__name__)
IDLE = TransactionStatus.IDLE  # a psycopg connection outside any transaction
_READ_ONLY: ContextVar[bool] = ContextVar("roundtable_read_only", default=False)  # Database.read() in progress
Unit = TypeVar("Unit")  # a unit of work: a Session or a Connection


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Keep Alembic's autogenerate away from search structures and tables the models do not describe."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith((*UNMANAGED_TABLES, SLACK_SDK_TABLES))
    if type_ == "column" and isinstance(parent_names, dict):
        return (parent_names.get("table_name"), name) not in UNMANAGED_COLUMNS
    if type_ == "index":
        return name not in UNMANAGED_INDEXES
    return True


# Connections per process (PostgreSQL, a SQLite file): one per listener thread (bot/services.py's LISTENER_THREADS is
# this number, so no listener waits on the pool), plus a few for the edge's health checks and jobs.
POOL_SIZE = 32
POOL_OVERFLOW = 8
PING_AFTER_IDLE = 2.0  # seconds in the pool after which a PostgreSQL connection is pinged before use


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                               **({"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW} if _file(url) else {}))
        _configure_sqlite(engine)
        return engine
    engine = create_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
    ping_when_idle(engine)
    return engine


def ping_when_idle(engine: Engine, after: float = PING_AFTER_IDLE, clock: Callable[[], float] = time.monotonic) -> None:
    """pool_pre_ping for connections idle in the pool at least `after` seconds: under load (a
    connection back in the pool for milliseconds) pinging every checkout cost a round trip more per
    unit of work. A connection found dead is replaced before use (the pool retries); one that
    breaks while in use invalidates the whole pool, as before."""

    @event.listens_for(engine, "connect")
    def _connected(_dbapi_connection, record):  # type: ignore[no-untyped-def]
        record.info["idle_since"] = clock()

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection, record):  # type: ignore[no-untyped-def]
        if record is not None:
            record.info["idle_since"] = clock()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, _proxy):  # type: ignore[no-untyped-def]
        if clock() - record.info.get("idle_since", float("-inf")) < after:
            return
        dialect = engine.dialect
        try:
            alive = dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if not dialect.is_disconnect(error, dbapi_connection, None):
                raise
            alive = False
        if not alive:
            raise DisconnectionError("the database closed this pooled connection")


def _file(url: str) -> bool:
    """A SQLite file (pooled like PostgreSQL: a connection per listener thread, none opened and
    closed per unit of work), not an in-memory database (one connection, SQLAlchemy's own pool)."""
    return url not in ("sqlite://", "sqlite:///:memory:") and "mode=memory" not in url


def _configure_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, foreign keys, and BEGIN IMMEDIATE so writers queue instead of failing;
    a read-only unit of work (Database.read) takes a deferred BEGIN: under WAL it reads a snapshot
    beside the writer instead of queueing for the write lock.

    pysqlite would otherwise not emit BEGIN until the first write (SQLAlchemy's documented recipe).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN" if _READ_ONLY.get() else "BEGIN IMMEDIATE")


class Database:
    """The engine plus a session factory; `begin()` is one unit of work.

    SQLite has one writer at a time: a second BEGIN IMMEDIATE sleeps and retries (busy_timeout) in
    growing steps, so under load writers spin and wake late. This process's writers queue on one
    in-process lock instead, handed over the moment the last one commits; busy_timeout is left
    for other processes (the scheduler, the CLI). PostgreSQL takes row locks itself: no lock here.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = threading.RLock() if self.engine.dialect.name == "sqlite" else None

    def writing(self) -> AbstractContextManager[object]:
        """This process's turn to write (SQLite); nothing to wait for on PostgreSQL."""
        return self._writer if self._writer is not None else nullcontext()

    @contextmanager
    def begin(self) -> Iterator[Session]:
        with self.writing(), self.sessions.begin() as session:
            session.connection()  # connect now: a database that is down fails before any side effect
            yield session

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A unit of work in Core, for the hot path's few statements (a share): no ORM session, so
        the writer lock (SQLite) is held for as little Python as the statements need."""
        with self.writing(), self.engine.begin() as conn:
            yield conn

    @contextmanager
    def standalone(self) -> Iterator[Connection]:
        """For writes that are each one statement standing alone (all or nothing by itself: an UPDATE,
        an INSERT whose CTEs write the rest): PostgreSQL runs each in autocommit, without the BEGIN
        and COMMIT round trips (a unit of work of one statement took three); SQLite as write(), one
        transaction under the writer lock, where BEGIN and COMMIT cost no round trip.

        psycopg's own autocommit, switched for this checkout and back before the connection returns
        to the pool (one that cannot be switched back is discarded): SQLAlchemy's AUTOCOMMIT
        isolation level sets and resets more per checkout than the two round trips cost."""
        if self.engine.dialect.name != "postgresql":
            with self.write() as conn:
                yield conn
            return
        with self._autocommit() as conn:
            yield conn

    @contextmanager
    def _autocommit(self) -> Iterator[Connection]:
        """PostgreSQL: a pooled connection in psycopg's autocommit for the block, transactional again after."""
        with self.engine.connect() as conn:
            driver: Any = conn.connection.dbapi_connection
            driver.autocommit = True
            try:
                yield conn
            finally:
                if driver.closed or driver.info.transaction_status != IDLE:
                    conn.invalidate()  # never back in the pool in autocommit
                else:
                    driver.autocommit = False

    def read(self) -> AbstractContextManager[Session]:
        """A unit of work that only reads: on SQLite a deferred transaction (no write lock), so
        searches never queue behind shares; writing in it may fail with "database is locked"."""
        return _read_only(self.sessions.begin, Session.connection)

    def read_core(self) -> AbstractContextManager[Connection]:
        """read() in Core, without an ORM session (a search: its statements are all Core, and the
        session's own bookkeeping cost about as much Python as running one of them). PostgreSQL
        runs its statements in autocommit: at READ COMMITTED each statement reads its own snapshot
        anyway, so a read-only transaction only added BEGIN and COMMIT, two round trips."""
        if self.engine.dialect.name == "postgresql":
            return self._autocommit()
        return _read_only(self.engine.begin, lambda _conn: None)

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - any failure means "not reachable"
            log.warning("database ping failed", exc_info=log.isEnabledFor(logging.DEBUG))
            return False

    def upgrade(self) -> None:
        upgrade(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def _read_only(begin: Callable[[], AbstractContextManager[Unit]], connect: Callable[[Unit], object]) -> Iterator[Unit]:
    """`begin()`'s unit of work, its BEGIN deferred on SQLite (storage.db._on_begin reads _READ_ONLY;
    `connect` makes the unit connect, so BEGIN is sent, before the flag is put back)."""
    token: Token[bool] | None = _READ_ONLY.set(True)
    try:
        with begin() as unit:
            connect(unit)
            _READ_ONLY.reset(token)
            token = None
            yield unit
    finally:
        if token is not None:
            _READ_ONLY.reset(token)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`; safe to call from several processes at once on PostgreSQL."""
    if engine.dialect.name == "sqlite":
        _check_fts5(engine)
    _migrate(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    _migrate(engine, command.downgrade, revision)


def _migrate(engine: Engine, step: Callable[[Config, str], None], revision: str) -> None:
    with engine.connect() as conn:
        locking = engine.dialect.name == "postgresql"
        if locking:  # Alembic has no lock of its own against concurrent upgrades
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": UPGRADE_LOCK_ID})
            conn.commit()
        try:
            config = alembic_config(engine)
            config.attributes["connection"] = conn
            step(config, revision)
            conn.commit()
        finally:
            if locking:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": UPGRADE_LOCK_ID})
                conn.commit()


def _check_fts5(engine: Engine) -> None:
    with engine.connect() as conn:
        options = {row[0] for row in conn.exec_driver_sql("PRAGMA compile_options")}
    if "ENABLE_FTS5" not in options:
        raise RuntimeError("this SQLite was built without FTS5; Roundtable's search needs it")
