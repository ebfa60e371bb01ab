from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.emulator.teams import TeamsEmulator
from tests.bot.teams.edge import APP_ID


@pytest.fixture
def microsoft() -> Iterator[TeamsEmulator]:
    with TeamsEmulator(APP_ID) as emulator:
        yield emulator
