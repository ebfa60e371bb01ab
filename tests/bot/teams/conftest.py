from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.emulator.teams import TeamsEmulator
from handlers.teams import register
from tests.bot.teams.edge import APP_ID, serving, teams_app
from tests.harness import TestBot


@pytest.fixture
def microsoft() -> Iterator[TeamsEmulator]:
    with TeamsEmulator(APP_ID) as emulator:
        yield emulator


@pytest.fixture
def teams_url(bot: TestBot, microsoft: TeamsEmulator) -> Iterator[str]:
    """The edge's /api/messages, serving a Teams app with the Teams handlers on `bot`'s services."""
    teams = teams_app(microsoft)
    register(teams, bot.services)
    with serving(bot, teams) as url:
        yield url
