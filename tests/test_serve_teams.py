"""`python -m bot serve` with TEAMS_APP_ID and TEAMS_APP_PASSWORD: Slack at /slack/events and Teams at
/api/messages on the one production server, a command from each answered; the Teams reply carries
the bot's own token from TEAMS_TOKEN_URL (the emulator's endpoint), never MSAL's, and neither the
password nor an incoming Authorization header nor the bot's token reaches the log, even at DEBUG
(where the SDK and httpx say the most)."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from typing import Any

import pytest

from bot import payloads
from bot.emulator import SlackEmulator
from bot.emulator.teams import TeamsEmulator
from tests.bot.teams.edge import APP_ID, TENANT, post
from tests.harness import MEMBER, ServeProcess, bot_env, free_port, wait_until

pytestmark = pytest.mark.slow
PASSWORD = "teams-app-password-for-tests"


@pytest.fixture
def microsoft() -> Iterator[TeamsEmulator]:
    with TeamsEmulator(APP_ID, password=PASSWORD) as emulator:
        emulator.check_tokens = True  # a reply must carry a token the emulator's endpoint issued
        yield emulator


def teams_env(emulator: SlackEmulator, microsoft: TeamsEmulator, database_url: str, **extra: str) -> dict[str, str]:
    return bot_env(emulator, database_url, free_port(), TEAMS_APP_ID=APP_ID, TEAMS_APP_PASSWORD=PASSWORD,
                   TEAMS_OPENID_METADATA_URL=microsoft.openid_metadata_url, TEAMS_TOKEN_URL=microsoft.token_url,
                   EXCHANGE_TEAM_IDS=TENANT, **extra)


def replies(microsoft: TeamsEmulator) -> list[dict[str, Any]]:
    return [s for s in microsoft.sent if s["method"] == "POST" and s["path"].endswith("/activities")]


def test_serve_answers_slack_and_teams_with_the_bots_own_token(
        emulator: SlackEmulator, microsoft: TeamsEmulator, database_url: str) -> None:
    server = ServeProcess(teams_env(emulator, microsoft, database_url, LOG_LEVEL="DEBUG"))
    try:
        server.wait_healthy()
        slash = payloads.slash_command("/roundup", "preview", user=MEMBER, response_url=emulator.response_url("serve"))
        assert server.post_payload(slash)[0] == 200
        assert "Roundtable roundup" in emulator.wait_for("response_url")[0].args["text"]

        activity = microsoft.message("roundup preview", conversation="a:personal-1", conversation_type="personal")
        assert post(server.url + "/api/messages", activity, "not-a-token") == 401
        token = microsoft.sign(activity)
        assert post(server.url + "/api/messages", activity, token) == 200
        answered = wait_until(lambda: replies(microsoft), timeout=20)
        assert answered[0]["path"].startswith("/v3/conversations/a:personal-1/activities")
        assert "Roundtable roundup" in str(answered[0]["body"])
        assert answered[0]["auth"] == f"Bearer {microsoft.issued[0]}"  # from TEAMS_TOKEN_URL, not MSAL
    finally:
        code, output = server.stop(signal.SIGTERM)
    assert code == 0, output
    assert "teams POST /api/messages -> 200" in output and "teams POST /api/messages -> 401" in output
    for secret in (PASSWORD, token, *microsoft.issued):
        assert secret not in output, output
