"""Small helpers: the one place SQLite and PostgreSQL spell SQL differently, and Core on a session."""

from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignore(session: Session, table: Table, values: dict[str, Any]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when this call inserted the row.

    Identical semantics on both engines, safe with any number of racing processes.
    """
    dialect = session.get_bind().dialect.name
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = builder(table).values(**values).on_conflict_do_nothing()
    key = next(iter(table.primary_key.columns))
    return session.execute(statement.returning(key)).first() is not None


# What a read takes: a Session, or a Connection (storage.db's Database.read_core(): no ORM session
# where every statement is Core; about as much Python as a search's statements take to run).
Reader = Session | Connection


def core(session: Reader) -> Connection:
    """The session's connection, for Core statements on the hot path: SQLAlchemy's ORM execution
    (Session.execute) costs more Python than these statements take to run. What the session has
    pending is flushed first, as Session.execute would. A Connection is itself."""
    if isinstance(session, Connection):
        return session
    if session.new or session.dirty or session.deleted:
        session.flush()
    return session.connection()


def dialect_name(session: Reader) -> str:
    """"sqlite" or "postgresql"."""
    return (session if isinstance(session, Connection) else session.get_bind()).dialect.name
