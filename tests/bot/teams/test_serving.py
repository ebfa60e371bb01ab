"""POST /api/messages on the HTTP edge: the Teams SDK's own JWT check, pointed at the emulator."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import jwt
import pytest
import uvicorn

from bot import web
from bot.config import load_settings
from bot.emulator.teams import TeamsEmulator, new_key
from bot.signing import RequestSigning
from bot.teams.app import TeamsASGI, build_teams_app
from tests.harness import SIGNING_SECRET, TestBot

APP_ID = "00000000-aaaa-bbbb-cccc-000000000001"


def bot_token(*args: Any, **kwargs: Any) -> str:
    """The bot's own token (MSAL's part), JWT-shaped as the SDK requires."""
    return jwt.encode({"aud": "https://api.botframework.com", "exp": int(time.time()) + 3600}, "k" * 32)


@pytest.fixture
def microsoft() -> Any:
    with TeamsEmulator(APP_ID) as emulator:
        yield emulator


@pytest.fixture
def served(bot: TestBot, microsoft: TeamsEmulator) -> Any:
    settings = load_settings({"TEAMS_APP_ID": APP_ID, "TEAMS_APP_PASSWORD": "secret",
                              "TEAMS_OPENID_METADATA_URL": microsoft.openid_metadata_url}, dotenv=False)
    teams = build_teams_app(settings, token=bot_token)
    heard: list[str] = []

    @teams.on_message
    async def echo(ctx: Any) -> None:
        heard.append(ctx.activity.text)
        await ctx.send("heard you")

    with ThreadPoolExecutor(2) as pool:
        edge = web.SlackEdge(bot.app, bot.db, RequestSigning(SIGNING_SECRET), pool, teams=TeamsASGI(teams))
        server = uvicorn.Server(uvicorn.Config(edge, host="127.0.0.1", port=0, lifespan="off", log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not (server.started and server.servers):
            assert time.monotonic() < deadline, "the edge did not start"
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}/api/messages", heard
        server.should_exit = True
        thread.join(10)


def post(url: str, activity: dict[str, Any], token: str | None) -> int:
    headers = {"content-type": "application/json"}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, json.dumps(activity).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_for(condition: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_signed_activity_is_handled_and_answered_through_the_connector(served: Any,
                                                                          microsoft: TeamsEmulator) -> None:
    url, heard = served
    activity = microsoft.message("practice search permits")
    assert post(url, activity, microsoft.sign(activity)) == 200
    wait_for(lambda: microsoft.sent)
    assert heard == ["practice search permits"]
    sent = microsoft.sent[0]
    assert sent["method"] == "POST"
    assert sent["path"].startswith("/v3/conversations/19:general@thread.tacv2/activities")
    assert sent["body"]["text"] == "heard you"


REFUSALS = {
    "unsigned": lambda ms, a: None,
    "wrong key": lambda ms, a: ms.sign(a, key=new_key()),
    "unknown kid": lambda ms, a: ms.sign(a, kid="stranger"),
    "expired past the leeway": lambda ms, a: ms.sign(a, now=time.time() - 3600 - 301),
    "wrong audience": lambda ms, a: ms.sign(a, aud="someone-else"),
    "wrong issuer": lambda ms, a: ms.sign(a, iss="https://evil.example.org"),
    "serviceurl mismatch": lambda ms, a: ms.sign(a, serviceurl="https://elsewhere.example.org/"),
    "not a jwt": lambda ms, a: "not-a-token",
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_badly_signed_activity_gets_401_and_changes_nothing(served: Any, microsoft: TeamsEmulator,
                                                               case: str) -> None:
    url, heard = served
    activity = microsoft.message("practice share Permits online")
    assert post(url, activity, REFUSALS[case](microsoft, activity)) == 401
    assert heard == [] and microsoft.sent == []


def test_a_body_over_the_cap_gets_413_before_the_sdk_sees_it(served: Any, microsoft: TeamsEmulator) -> None:
    url, heard = served
    activity = microsoft.message("x" * (web.MAX_BODY_BYTES + 1))
    assert post(url, activity, microsoft.sign(activity)) == 413
    assert heard == [] and microsoft.sent == []


def test_a_serviceurl_changed_after_signing_is_refused(served: Any, microsoft: TeamsEmulator) -> None:
    url, heard = served
    activity = microsoft.message("ask who has a 311 app?")
    token = microsoft.sign(activity)
    assert post(url, {**activity, "serviceUrl": "https://elsewhere.example.org/"}, token) == 401
    assert heard == [] and microsoft.sent == []


def test_no_teams_settings_means_no_teams_path(bot: TestBot) -> None:
    assert not load_settings({}, dotenv=False).teams
    with ThreadPoolExecutor(1) as pool:
        edge = web.SlackEdge(bot.app, bot.db, RequestSigning(SIGNING_SECRET), pool)
        assert edge.teams is None
