"""Approval through the real `serve` (issue 12): Boston installs over OAuth (the host), Denver installs
next and waits; Boston's moderator presses Approve in the DM the bot sent; Denver's `/practice search`
then works, answered with Denver's own token."""

from __future__ import annotations

import json
import signal

import pytest

from bot import payloads
from bot.emulator import SlackEmulator
from bot.exchange import PENDING_MESSAGE
from bot.exchange_requests import APPROVE
from tests.harness import ServeProcess, bot_env, free_port, wait_until
from tests.installs import (
    BOSTON,
    BOSTON_CIO,
    CLIENT_ID,
    CLIENT_SECRET,
    DENVER,
    DENVER_CHANNEL,
    DENVER_CIO,
    SECRET_KEY,
    approve,
    cities,
    get,
)

pytestmark = pytest.mark.slow


def install_over_http(server: ServeProcess, emulator: SlackEmulator, team: str) -> str:
    status, headers, _ = get(server.url + "/slack/install")
    assert status == 302
    query = approve(emulator, headers["location"], team)
    status, _, page = get(server.url + "/slack/oauth_redirect?" + query,
                          {"Cookie": headers["set-cookie"].split(";")[0]})
    assert status == 200, page
    return page


def search_from_denver(server: ServeProcess, emulator: SlackEmulator, name: str) -> str:
    command = payloads.slash_command("/practice", "search wireless", user=DENVER_CIO, channel=DENVER_CHANNEL,
                                     team=DENVER, response_url=emulator.response_url(name))
    assert server.post_payload(command)[0] == 200
    [reply] = wait_until(lambda: [c for c in emulator.calls_to("response_url") if name in c.path])
    return json.dumps(reply.args)


def test_a_second_workspace_waits_until_the_host_s_moderator_approves_it(
        emulator: SlackEmulator, database_url: str) -> None:
    port = free_port()
    env = bot_env(emulator, database_url, port, SLACK_CLIENT_ID=CLIENT_ID, SLACK_CLIENT_SECRET=CLIENT_SECRET,
                  ROUNDTABLE_SECRET_KEY=SECRET_KEY, SLACK_AUTHORIZE_URL=emulator.base_url + "oauth/v2/authorize",
                  MODERATOR_USER_IDS=BOSTON_CIO)
    del env["SLACK_BOT_TOKEN"]
    cities(emulator, redirect_uri=f"http://127.0.0.1:{port}/slack/oauth_redirect")
    server = ServeProcess(env)
    try:
        server.wait_healthy()
        install_over_http(server, emulator, BOSTON)  # the first: the host, approved
        install_over_http(server, emulator, DENVER)
        [asked] = wait_until(lambda: [c for c in emulator.calls_to("chat.postMessage")
                                      if "asks to join the exchange" in json.dumps(c.args)])
        assert (asked.team, asked.args["channel"]) == (BOSTON, BOSTON_CIO)  # a DM, with Boston's token
        assert PENDING_MESSAGE in search_from_denver(server, emulator, "before")

        press = payloads.block_action(APPROVE, DENVER, user=BOSTON_CIO, team=BOSTON, channel="D0BOSCIO",
                                      message_ts="1.2", response_url=emulator.response_url("press"))
        assert server.post_payload(press)[0] == 200
        wait_until(lambda: [c for c in emulator.calls_to("response_url") if "press" in c.path])

        answer = search_from_denver(server, emulator, "after")
        assert PENDING_MESSAGE not in answer and "practice" in answer.lower()
        calls = [c for c in emulator.calls if c.method != "response_url" and c.team == DENVER]
        assert all((c.answer or {}).get("ok", True) for c in calls)  # Denver's calls, with Denver's token
    finally:
        code, output = server.stop(signal.SIGTERM)
    assert code == 0, output
    assert not [s for s in [*emulator.tokens, CLIENT_SECRET, SECRET_KEY] if s in output]
