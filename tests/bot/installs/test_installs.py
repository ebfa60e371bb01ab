"""Installing through Bolt's OAuth flow: the stored installation, and every call made with the
installing workspace's own token."""

from __future__ import annotations

import pytest

from bot import payloads
from bot.installs.flow import NOT_INSTALLED
from tests.harness import TestBot
from tests.installs import BOSTON, BOSTON_CHANNEL, BOSTON_CIO, DENVER, decrypted, install, stored_tokens


def test_an_install_is_stored_with_its_tokens_encrypted(distribution: TestBot) -> None:
    response = install(distribution.app, distribution.emulator, BOSTON)
    assert response.status == 200
    assert "Roundtable is installed in Boston" in response.body
    assert "/invite @Roundtable" in response.body

    issued = [token for token, info in distribution.emulator.tokens.items() if info.team_id == BOSTON]
    assert len(issued) == 1
    for table in ("slack_bots", "slack_installations"):
        rows = stored_tokens(distribution.settings.database_url, table)
        assert [row["team_id"] for row in rows] == [BOSTON]
        raw = rows[0]["bot_token"]
        assert issued[0] not in raw and decrypted(raw) == issued[0]
    bot = distribution.services.installs.store.find_bot(enterprise_id=None, team_id=BOSTON)
    assert bot is not None and bot.bot_token == issued[0]


def test_a_command_from_an_installed_workspace_is_answered_with_its_own_token(distribution: TestBot) -> None:
    install(distribution.app, distribution.emulator, BOSTON)
    install(distribution.app, distribution.emulator, DENVER)
    distribution.emulator.reset()

    distribution.send(payloads.slash_command("/ask", "How did you fund the hotspots?", user=BOSTON_CIO,
                                             channel=BOSTON_CHANNEL, team=BOSTON,
                                             response_url=distribution.emulator.response_url("ask")))
    posts = distribution.emulator.calls_to("chat.postMessage")
    assert [(c.team, c.args["channel"]) for c in posts] == [(BOSTON, BOSTON_CHANNEL)]
    assert distribution.emulator.messages[BOSTON_CHANNEL][0]["text"].endswith("How did you fund the hotspots?")
    calls = [c for c in distribution.emulator.calls if c.method != "response_url"]
    refused = [(c.method, c.team, (c.answer or {}).get("error")) for c in calls
               if c.team != BOSTON or not (c.answer or {}).get("ok")]
    assert calls and refused == []  # every call for Boston (conversations.info too) with Boston's token


def test_a_workspace_that_never_installed_gets_a_short_private_answer(distribution: TestBot) -> None:
    response = distribution.send(payloads.slash_command("/practice", "search wireless", user=BOSTON_CIO,
                                                        channel=BOSTON_CHANNEL, team=BOSTON,
                                                        response_url=distribution.emulator.response_url("p")))
    assert response.status == 200
    assert distribution.emulator.calls_to("chat.postMessage") == []
    replies = distribution.replies()
    assert len(replies) == 1 and replies[0].get("response_type", "ephemeral") == "ephemeral"
    assert replies[0]["text"] == NOT_INSTALLED
    assert "xox" not in str(replies)


@pytest.mark.parametrize("reason", ["access_denied", "<script>alert(1)</script>"])
def test_a_failed_install_says_so_escaped_and_stores_nothing(distribution: TestBot, reason: str) -> None:
    from urllib.parse import urlencode

    from slack_bolt import BoltRequest

    response = distribution.app.oauth_flow.handle_callback(
        BoltRequest(body="", query=urlencode({"error": reason}), headers={}))
    assert "Roundtable was not installed" in response.body
    assert "<script>" not in response.body
    assert stored_tokens(distribution.settings.database_url) == []


def test_a_database_that_is_down_while_authorizing_gives_the_usual_short_answer(distribution: TestBot) -> None:
    from sqlalchemy.exc import OperationalError

    from handlers.errors import UNAVAILABLE

    install(distribution.app, distribution.emulator, BOSTON)
    installs = distribution.services.installs
    installs.forget(BOSTON)

    def down(*_: object, **__: object) -> None:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    installs.store.find_bot = down  # type: ignore[method-assign]
    distribution.services.db.begin = down  # type: ignore[method-assign]
    distribution.services.db.read = down  # type: ignore[method-assign]
    distribution.services.db.read_core = down  # type: ignore[method-assign]
    response = distribution.send(payloads.slash_command("/practice", "search wireless", user=BOSTON_CIO,
                                                        channel=BOSTON_CHANNEL, team=BOSTON,
                                                        response_url=distribution.emulator.response_url("p")))
    assert response.status == 200
    assert [r["text"] for r in distribution.replies()] == [UNAVAILABLE]


def test_a_reinstall_s_new_token_is_used_at_once(distribution: TestBot) -> None:
    install(distribution.app, distribution.emulator, BOSTON)
    first = distribution.services.client_for(BOSTON).token
    install(distribution.app, distribution.emulator, BOSTON)
    second = distribution.services.client_for(BOSTON).token
    assert second != first
    assert second == max(distribution.emulator.tokens, key=list(distribution.emulator.tokens).index)


def test_the_edge_serves_the_install_paths_only_in_distribution_mode(distribution: TestBot, bot: TestBot) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from bot import web
    from bot.signing import RequestSigning
    from tests.bot.test_web import call
    from tests.harness import SIGNING_SECRET

    with ThreadPoolExecutor(2) as pool:
        many = web.SlackEdge(distribution.app, distribution.db, RequestSigning(SIGNING_SECRET), pool)
        one = web.SlackEdge(bot.app, bot.db, RequestSigning(SIGNING_SECRET), pool)
        assert call(many, "GET", "/slack/install")[0] == 302
        assert call(many, "POST", "/slack/install")[0] == 405
        assert call(many, "GET", "/slack/oauth_redirect")[0] == 400  # no state cookie: another browser
        assert call(one, "GET", "/slack/install")[0] == 404
        assert call(one, "GET", "/slack/oauth_redirect")[0] == 404


def test_an_enterprise_grid_org_wide_install_is_refused_with_a_clear_page(distribution: TestBot) -> None:
    from storage.exchange import members

    assert distribution.emulator.oauth is not None
    distribution.emulator.oauth.org_wide = "E0GRID"
    response = install(distribution.app, distribution.emulator, BOSTON)
    assert response.status == 400
    assert "org-wide install on Enterprise Grid is not supported" in response.body
    assert "xox" not in response.body
    assert stored_tokens(distribution.settings.database_url) == []
    with distribution.db.begin() as session:
        assert members(session) == []  # nobody joined the exchange (nor became its host)
