"""Migration 0012 builds exactly slack-sdk's installation and state tables (token columns TEXT,
to hold Fernet tokens), so the stores work on both engines as slack-sdk wrote them."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storage.db import Database
from storage.installations import TABLES, InstallationStore, state_store
from tests.installs import CLIENT_ID, SECRET_KEY


def test_the_migration_and_slack_sdk_s_stores_agree(db: Database) -> None:
    store, states = InstallationStore(CLIENT_ID, db.engine, (SECRET_KEY,)), state_store(db.engine)

    assert set(store.metadata.tables) | set(states.metadata.tables) == set(TABLES)
    for metadata in (store.metadata, states.metadata):
        tables = frozenset(metadata.tables)
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={
                "include_name": lambda name, type_, _parents, t=tables: type_ != "table" or name in t,
                "compare_type": True})
            assert compare_metadata(context, metadata) == []
