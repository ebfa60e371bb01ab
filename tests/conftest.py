"""Fixtures: an emulator, a database per test on SQLite and PostgreSQL, a clock, a whole test bot.

Database-backed tests run twice, once per engine. PostgreSQL is the machine's server at
127.0.0.1:5432 (override with ROUNDTABLE_TEST_POSTGRES); each run creates and drops its own
database. If it cannot be reached those tests are skipped with the reason, unless
ROUNDTABLE_REQUIRE_POSTGRES=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.emulator import SlackEmulator
from storage.base import Base
from storage.db import Database, upgrade
from storage.installations import TABLES as INSTALL_TABLES
from tests.harness import FakeClock, TestBot, test_settings

POSTGRES_ADMIN_URL = os.environ.get(
    "ROUNDTABLE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("ROUNDTABLE_REQUIRE_POSTGRES") == "1"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets a copy (migrating per test would be slow)."""
    path = tmp_path_factory.mktemp("template") / "roundtable.db"
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database for this test run, migrated once."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"roundtable_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        admin.dispose()
        reason = f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {type(exc).__name__}"
        if REQUIRE_POSTGRES:
            pytest.fail(reason)
        pytest.skip(reason)
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_postgres(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t}"' for t in [*(t.name for t in Base.metadata.sorted_tables), *INSTALL_TABLES])
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "roundtable.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    _truncate_postgres(url)
    return url


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    with SlackEmulator() as emu:
        emu.add_user("U0MOD", real_name="Michael Guido", tz="America/Detroit")
        emu.add_user("U0MEMBER", real_name="Dianah Neff", tz="America/New_York")
        yield emu


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def bot(emulator: SlackEmulator, db: Database, database_url: str, clock: FakeClock) -> Iterator[TestBot]:
    test_bot = TestBot(test_settings(emulator, database_url), db, emulator, clock)
    yield test_bot
    test_bot.close()
