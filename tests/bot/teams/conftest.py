from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.emulator import SlackEmulator
from bot.emulator.teams import TeamsEmulator
from handlers.teams import register
from storage.db import Database
from tests.bot.teams.edge import APP_ID, TENANT, serving, teams_app
from tests.harness import FakeClock, TestBot, test_settings


@pytest.fixture
def microsoft() -> Iterator[TeamsEmulator]:
    with TeamsEmulator(APP_ID) as emulator:
        yield emulator


@pytest.fixture
def bot(emulator: SlackEmulator, microsoft: TeamsEmulator, db: Database, database_url: str,
        clock: FakeClock) -> Iterator[TestBot]:
    """The Slack workspace of SLACK_BOT_TOKEN (the exchange's host) serving Teams too: the tests'
    tenant is listed in EXCHANGE_TEAM_IDS; the bot's own token comes from the emulator's endpoint, and
    Microsoft Graph (and its per-tenant tokens) is the emulator's too."""
    settings = test_settings(emulator, database_url, teams_app_id=APP_ID, teams_app_password=microsoft.password,
                             teams_token_url=microsoft.token_url, exchange_team_ids=frozenset({TENANT}),
                             teams_graph_url=microsoft.url, teams_login_url=microsoft.login_url)
    test_bot = TestBot(settings, db, emulator, clock)
    yield test_bot
    test_bot.close()


@pytest.fixture
def teams_url(bot: TestBot, microsoft: TeamsEmulator) -> Iterator[str]:
    """The edge's /api/messages, serving a Teams app with the Teams handlers on `bot`'s services."""
    teams = teams_app(microsoft)
    register(teams, bot.services)
    with serving(bot, teams) as url:
        yield url
