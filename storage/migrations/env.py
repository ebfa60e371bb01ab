"""Alembic environment: the caller hands over a connection (see storage.db.upgrade)."""

from alembic import context

import storage.models  # noqa: F401 - registers every table on Base.metadata
from storage.base import Base
from storage.db import include_name


def run_migrations() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_name=include_name,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
