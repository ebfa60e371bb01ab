"""The HTTP edge with a Teams app mounted, served by uvicorn on 127.0.0.1, for tests."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from typing import Any

import jwt
import uvicorn

from bot import web
from bot.config import load_settings
from bot.emulator.teams import TeamsEmulator
from bot.roundtables import calendar_links
from bot.signing import RequestSigning
from bot.teams.app import TeamsASGI, build_teams_app
from tests.harness import SIGNING_SECRET, TestBot, wait_until

APP_ID = "00000000-aaaa-bbbb-cccc-000000000001"
TENANT = "tenant-1"  # the emulator's default tenant, listed in EXCHANGE_TEAM_IDS by the conftest


def bot_token(*args: Any, **kwargs: Any) -> str:
    """The bot's own token (MSAL's part), JWT-shaped as the SDK requires."""
    return jwt.encode({"aud": "https://api.botframework.com", "exp": int(time.time()) + 3600}, "k" * 32)


def teams_app(microsoft: TeamsEmulator) -> Any:
    settings = load_settings({"TEAMS_APP_ID": APP_ID, "TEAMS_APP_PASSWORD": "secret",
                              "TEAMS_OPENID_METADATA_URL": microsoft.openid_metadata_url}, dotenv=False)
    return build_teams_app(settings, token=bot_token)


@contextmanager
def serving(bot: TestBot, teams: Any) -> Iterator[str]:
    """The edge's POST /api/messages URL while it serves `teams` (and the calendar links, as `serve` does)."""
    with ThreadPoolExecutor(2) as pool:
        edge = web.SlackEdge(bot.app, bot.db, RequestSigning(SIGNING_SECRET), pool, teams=TeamsASGI(teams),
                             calendar=partial(calendar_links.serve, bot.services))
        server = uvicorn.Server(uvicorn.Config(edge, host="127.0.0.1", port=0, lifespan="off", log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        wait_until(lambda: server.started and server.servers, timeout=10, interval=0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        try:
            yield f"http://127.0.0.1:{port}/api/messages"
        finally:
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


def wait_for(condition: Any, timeout: float = 5.0) -> Any:
    """The harness's poll, with the shorter timeout these in-process edge tests need."""
    return wait_until(condition, timeout=timeout, interval=0.02)
