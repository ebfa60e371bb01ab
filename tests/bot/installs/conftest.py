from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.emulator import SlackEmulator
from storage.db import Database
from tests.harness import FakeClock, TestBot
from tests.installs import cities, distribution_settings


@pytest.fixture
def distribution(emulator: SlackEmulator, db: Database, database_url: str, clock: FakeClock) -> Iterator[TestBot]:
    """A bot in distribution mode (no SLACK_BOT_TOKEN), with Boston and Denver able to install it."""
    cities(emulator)
    test_bot = TestBot(distribution_settings(emulator, database_url), db, emulator, clock)
    yield test_bot
    test_bot.close()
