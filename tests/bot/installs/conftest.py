from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.emulator import SlackEmulator
from storage.db import Database
from tests.harness import FakeClock, TestBot
from tests.installs import (
    BOSTON,
    BOSTON_CLERK,
    DENVER,
    DENVER_MAYOR,
    SHARED,
    STRANGER,
    cities,
    distribution_settings,
    install,
)


@pytest.fixture
def distribution(emulator: SlackEmulator, db: Database, database_url: str, clock: FakeClock) -> Iterator[TestBot]:
    """A bot in distribution mode (no SLACK_BOT_TOKEN), with Boston and Denver able to install it."""
    cities(emulator)
    test_bot = TestBot(distribution_settings(emulator, database_url), db, emulator, clock)
    yield test_bot
    test_bot.close()


@pytest.fixture
def connected(distribution: TestBot) -> TestBot:
    """Boston and Denver installed, Boston's channel SHARED shared with Denver (Slack Connect)."""
    emulator = distribution.emulator
    install(distribution.app, emulator, BOSTON)
    install(distribution.app, emulator, DENVER)
    emulator.share_channel(SHARED, BOSTON, DENVER)
    emulator.add_user(DENVER_MAYOR, team=DENVER, real_name="Denver Mayor")
    emulator.add_user(STRANGER, team=DENVER)  # no name anywhere Boston can see
    emulator.add_user(BOSTON_CLERK, team=BOSTON, real_name="Boston clerk")
    return distribution
