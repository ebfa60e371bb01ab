"""Migrations build exactly the schema the models describe, on both engines, up and down."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select

from storage.base import Base
from storage.db import Database, alembic_config, downgrade, include_name, upgrade
from storage.events import ProcessedEvent


def test_models_and_migrations_agree(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name, "compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_to_base_and_up_again(db: Database) -> None:
    downgrade(db.engine, "base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade(db.engine)
    assert set(Base.metadata.tables) <= set(inspect(db.engine).get_table_names())


def schema(db: Database) -> dict[str, list[str]]:
    inspector = inspect(db.engine)
    return {t: sorted(c["name"] for c in inspector.get_columns(t)) + sorted(i["name"] for i in inspector.get_indexes(t))
            for t in inspector.get_table_names()}


def test_upgrade_is_idempotent(db: Database) -> None:
    """Every command upgrades on start: doing it again changes no table, index, version or row."""
    head = ScriptDirectory.from_config(alembic_config(db.engine)).get_current_head()
    with db.begin() as session:
        session.add(ProcessedEvent(team_id="T1", event_id="Ev1", received_at=datetime(2026, 11, 23, tzinfo=UTC)))
    before = schema(db)

    upgrade(db.engine)
    upgrade(db.engine)

    assert schema(db) == before
    with db.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head
    with db.begin() as session:
        assert session.scalars(select(ProcessedEvent.event_id)).all() == ["Ev1"]
