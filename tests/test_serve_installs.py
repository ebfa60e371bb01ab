"""The whole install through `python -m bot serve` over HTTP: /slack/install, Slack's approval, the
redirect (bound to the browser, single-use), the stored encrypted installation, then a command
from the new workspace answered with its own token, and its uninstall."""

from __future__ import annotations

import signal
from urllib.parse import parse_qs, urlsplit

import pytest

from bot import payloads
from bot.emulator import SlackEmulator
from tests.harness import ServeProcess, bot_env, free_port, wait_until
from tests.installs import (
    BOSTON,
    BOSTON_CHANNEL,
    BOSTON_CIO,
    CLIENT_ID,
    CLIENT_SECRET,
    SECRET_KEY,
    approve,
    cities,
    decrypted,
    get,
    stored_tokens,
)

pytestmark = pytest.mark.slow


def test_install_over_http_then_a_command_from_the_new_workspace(emulator: SlackEmulator, database_url: str) -> None:
    port = free_port()
    env = bot_env(emulator, database_url, port, SLACK_CLIENT_ID=CLIENT_ID, SLACK_CLIENT_SECRET=CLIENT_SECRET,
                  ROUNDTABLE_SECRET_KEY=SECRET_KEY, SLACK_AUTHORIZE_URL=emulator.base_url + "oauth/v2/authorize")
    del env["SLACK_BOT_TOKEN"]
    cities(emulator, redirect_uri=f"http://127.0.0.1:{port}/slack/oauth_redirect")
    server = ServeProcess(env)
    try:
        server.wait_healthy()
        status, headers, _ = get(server.url + "/slack/install")
        assert status == 302
        authorize = urlsplit(headers["location"])
        assert headers["location"].startswith(emulator.base_url + "oauth/v2/authorize?")
        asked = parse_qs(authorize.query)
        assert asked["client_id"] == [CLIENT_ID] and "chat:write" in asked["scope"][0].split(",")
        cookie = headers["set-cookie"].split(";")[0]
        assert cookie.startswith("slack-app-oauth-state=")

        query = approve(emulator, headers["location"], BOSTON)
        redirect = server.url + "/slack/oauth_redirect?" + query
        status, _, page = get(redirect)  # another browser: no cookie
        assert status == 400 and "another browser" in page
        status, _, page = get(redirect, {"Cookie": cookie})
        assert status == 200 and "Roundtable is installed in Boston" in page
        status, _, page = get(redirect, {"Cookie": cookie})  # the state is single-use
        assert status == 401 and "already used" in page

        rows = stored_tokens(database_url)
        assert [row["team_id"] for row in rows] == [BOSTON] and decrypted(rows[0]["bot_token"]).startswith("xoxb-")

        emulator.reset()
        command = payloads.slash_command("/ask", "Has anyone moved payroll to the cloud?", user=BOSTON_CIO,
                                         channel=BOSTON_CHANNEL, team=BOSTON,
                                         response_url=emulator.response_url("ask"))
        assert server.post_payload(command)[0] == 200
        posted = emulator.wait_for("chat.postMessage")[0]
        assert (posted.team, posted.args["channel"], posted.status) == (BOSTON, BOSTON_CHANNEL, 200)

        assert server.post_payload(payloads.event_callback({"type": "app_uninstalled"}, team=BOSTON))[0] == 200
        wait_until(lambda: stored_tokens(database_url) == [])
    finally:
        code, output = server.stop(signal.SIGTERM)
    assert code == 0, output
    assert "installed in workspace T0BOSTON" in output
    secrets = [*emulator.tokens, CLIENT_SECRET, SECRET_KEY]
    assert not [s for s in secrets if s in output]
