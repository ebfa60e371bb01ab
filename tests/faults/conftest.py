"""The fault suite: every test under tests/faults is marked `faults` (`pytest -m faults` runs them)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.emulator import SlackEmulator
from tests.conftest import _truncate_postgres

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.faults)


@pytest.fixture
def slack() -> Iterator[SlackEmulator]:
    """The Web API emulator stamping messages with real time, as Slack does: processes that run on
    the real clock look their posts up in channel history by time."""
    with SlackEmulator() as emulator:
        emulator.clock = time.time
        emulator.add_user("U0MOD", real_name="Michael Guido", tz="America/Detroit")
        emulator.add_user("U0MEMBER", real_name="Dianah Neff", tz="America/New_York")
        yield emulator


@pytest.fixture
def pg_url(postgres_url: str) -> str:
    """The run's PostgreSQL database, emptied: several processes share it through the test."""
    _truncate_postgres(postgres_url)
    return postgres_url
