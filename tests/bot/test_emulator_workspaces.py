"""The emulator's workspaces: Slack refuses a workspace's token for another workspace's channels and
users, and refuses expired and revoked tokens, so a job that uses the wrong token fails its test."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.emulator import TEAM_ID, SlackEmulator
from tests.installs import (
    BOSTON,
    BOSTON_CHANNEL,
    BOSTON_CIO,
    CLIENT_ID,
    CLIENT_SECRET,
    DENVER,
    approve,
    cities,
)


def issue(emulator: SlackEmulator, team: str) -> dict:
    query = approve(emulator, emulator.base_url + f"oauth/v2/authorize?client_id={CLIENT_ID}&scope=chat:write", team)
    code = dict(part.split("=") for part in query.split("&"))["code"]
    client = WebClient(base_url=emulator.api_url)
    return client.oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code).data


def error_of(call) -> str:
    with pytest.raises(SlackApiError) as raised:
        call()
    return str(raised.value.response["error"])


def test_a_workspace_token_works_only_in_its_workspace(emulator: SlackEmulator) -> None:
    cities(emulator, token_lifetime=3600)
    boston = WebClient(token=issue(emulator, BOSTON)["access_token"], base_url=emulator.api_url)
    denver = WebClient(token=issue(emulator, DENVER)["access_token"], base_url=emulator.api_url)
    host = WebClient(token="xoxb-test-token", base_url=emulator.api_url)

    assert boston.auth_test()["team_id"] == BOSTON and host.auth_test()["team_id"] == TEAM_ID
    assert boston.chat_postMessage(channel=BOSTON_CHANNEL, text="hi")["ok"]
    assert error_of(lambda: denver.chat_postMessage(channel=BOSTON_CHANNEL, text="hi")) == "channel_not_found"
    assert error_of(lambda: host.chat_postMessage(channel=BOSTON_CHANNEL, text="hi")) == "channel_not_found"
    assert error_of(lambda: boston.chat_postMessage(channel="C0GENERAL", text="hi")) == "channel_not_found"
    assert error_of(lambda: denver.users_info(user=BOSTON_CIO)) == "user_not_found"

    emulator.expire_tokens(BOSTON)
    assert error_of(boston.auth_test) == "token_expired"
    emulator.uninstall(DENVER)
    assert error_of(denver.auth_test) == "token_revoked"


def test_codes_and_refresh_tokens_are_single_use(emulator: SlackEmulator) -> None:
    cities(emulator, token_lifetime=3600)
    issued = issue(emulator, BOSTON)
    client = WebClient(base_url=emulator.api_url)

    def refresh(token: str) -> dict:
        return client.oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                                      grant_type="refresh_token", refresh_token=token).data

    again = refresh(issued["refresh_token"])
    assert again["access_token"] != issued["access_token"] and again["expires_in"] == 3600
    assert error_of(lambda: refresh(issued["refresh_token"])) == "invalid_refresh_token"
    assert error_of(lambda: client.oauth_v2_access(client_id=CLIENT_ID, client_secret="wrong",
                                                   code="x")) == "bad_client_secret"


def test_a_token_issued_without_the_browser_speaks_for_its_workspace_only(emulator: SlackEmulator) -> None:
    cities(emulator)
    boston = WebClient(token=emulator.issue_bot_token(BOSTON), base_url=emulator.api_url)
    assert boston.auth_test()["team_id"] == BOSTON
    assert boston.chat_postMessage(channel=BOSTON_CHANNEL, text="hi")["ok"]
    assert error_of(lambda: boston.chat_postMessage(channel="C0DENVER", text="hi")) == "channel_not_found"
