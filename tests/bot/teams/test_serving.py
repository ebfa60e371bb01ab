"""POST /api/messages on the HTTP edge: the Teams SDK's own JWT check, pointed at the emulator."""

from __future__ import annotations

import http.client
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bot import web
from bot.config import load_settings
from bot.emulator.teams import TeamsEmulator, new_key
from bot.signing import RequestSigning
from tests.bot.teams.edge import post, serving, teams_app, wait_for
from tests.harness import SIGNING_SECRET, TestBot


@pytest.fixture
def served(bot: TestBot, microsoft: TeamsEmulator) -> Any:
    teams = teams_app(microsoft)
    heard: list[str] = []

    @teams.on_message
    async def echo(ctx: Any) -> None:
        heard.append(ctx.activity.text)
        await ctx.send("heard you")

    with serving(bot, teams) as url:
        yield url, heard


def test_a_signed_activity_is_handled_and_answered_through_the_connector(served: Any,
                                                                          microsoft: TeamsEmulator) -> None:
    url, heard = served
    activity = microsoft.message("practice search permits", mention=False)  # the text as typed
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
    where = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    connection.putrequest("POST", where.path)  # a declared length over the cap: refused before any body
    connection.putheader("content-type", "application/json")
    connection.putheader("content-length", str(web.MAX_BODY_BYTES + 1))
    connection.endheaders()
    assert connection.getresponse().status == 413  # (sending the body too raced the refusal: EPIPE)
    connection.close()
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


def test_one_log_line_per_teams_request_without_the_token(served: Any, microsoft: TeamsEmulator,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    url, heard = served
    activity = microsoft.message("practice search permits")
    token = microsoft.sign(activity)
    with caplog.at_level("INFO", logger="roundtable.requests"):
        assert post(url, activity, token) == 200
        assert post(url, activity, "not-a-token") == 401
        lines = wait_for(lambda: (lambda found: found if len(found) >= 2 else None)(
            [r.getMessage() for r in caplog.records if r.name == "roundtable.requests"
             and r.getMessage().startswith("teams ")]))
    assert lines[0].startswith("teams POST /api/messages -> 200 in ") and "-> 401 in" in lines[1]
    assert not any(token in r.getMessage() or "practice search" in r.getMessage() for r in caplog.records)
