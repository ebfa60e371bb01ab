"""Exchange-wide content (issue 12): `/practice list`, `/practice show`, the Home tab, adoptions and
`/digest search` reach every approved workspace's public content, never a pending or declined
workspace's nor a private channel's, and name the workspace another workspace's practice came from."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from bot import messages as m
from bot.digests import commands as digest_commands
from bot.home import HomeContext, compose_home
from bot.practices import adoption, commands
from bot.practices.origins import home_scope
from bot.render.text import text
from storage import conversations
from storage.digests import Digest
from storage.exchange import PENDING, join
from storage.practices import Practice
from tests.harness import TestBot
from tests.installs import BOSTON, BOSTON_CHANNEL, BOSTON_CIO, DENVER, DENVER_CIO, install

NOW = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
AUSTIN, BOSTON_PRIVATE, AUSTIN_CHANNEL = "T0AUSTIN", "G0BOSPRIV", "C0AUSTIN"


def add(bot: TestBot, team: str, channel: str, title: str, city: str) -> int:
    with bot.db.begin() as session:
        practice = Practice(team_id=team, user_id=BOSTON_CIO, city=city, title=title, solution="Hotspots downtown",
                            created_at=NOW, updated_at=NOW, channel_id=channel, message_ts="1.1")
        session.add(practice)
        session.add(Digest(team_id=team, channel_id=channel, thread_ts="1.1", title=f"{title} digest",
                           body="wireless hotspots discussion", saved_by=BOSTON_CIO, created_at=NOW, updated_at=NOW))
        session.flush()
        return practice.id


@pytest.fixture
def exchange(distribution: TestBot) -> TestBot:
    """Boston and Denver approved; Austin pending; Boston has a public and a private practice."""
    install(distribution.app, distribution.emulator, BOSTON)
    install(distribution.app, distribution.emulator, DENVER)
    with distribution.db.begin() as session:
        join(session, AUSTIN, PENDING, NOW)
        for team, channel, public in ((BOSTON, BOSTON_CHANNEL, True), (BOSTON, BOSTON_PRIVATE, False),
                                      (AUSTIN, AUSTIN_CHANNEL, True)):
            conversations.record(session, team, channel, public, NOW)
    add(distribution, BOSTON, BOSTON_CHANNEL, "Wireless hotspots downtown", "Boston")
    add(distribution, BOSTON, BOSTON_PRIVATE, "Wireless budget (private)", "Boston")
    add(distribution, AUSTIN, AUSTIN_CHANNEL, "Wireless in Austin parks", "Austin")
    return distribution


def shown(answer: m.Message | str) -> str:
    return answer if isinstance(answer, str) else text(answer)


def test_list_reaches_approved_public_practices_and_names_their_workspace(exchange: TestBot) -> None:
    listed = shown(commands.listing(exchange.services, DENVER, DENVER_CIO, ""))
    assert "Wireless hotspots downtown · Boston · from Boston" in listed
    assert "private" not in listed and "Austin" not in listed
    own = shown(commands.listing(exchange.services, BOSTON, BOSTON_CIO, ""))
    assert "from Boston" not in own and "Wireless budget (private)" in own  # its own, private ones too
    assert "not shared a practice yet" in shown(commands.listing(exchange.services, DENVER, DENVER_CIO, "", mine=True))


def test_show_and_adopt_reach_only_what_list_shows(exchange: TestBot) -> None:
    with exchange.db.begin() as session:
        ids = {p.title: p.id for p in session.query(Practice)}
    public, private, austin = (ids["Wireless hotspots downtown"], ids["Wireless budget (private)"],
                               ids["Wireless in Austin parks"])
    seen = shown(commands.show(exchange.services, DENVER, DENVER_CIO, str(public)))
    assert "Wireless hotspots downtown" in seen and "Shared in Boston, another workspace" in seen
    assert "another workspace" not in shown(commands.show(exchange.services, BOSTON, BOSTON_CIO, str(public)))
    for hidden in (private, austin):
        assert shown(commands.show(exchange.services, DENVER, DENVER_CIO, str(hidden))).startswith("There is no practice")
        assert adoption.reachable(exchange.services, DENVER, hidden) is None
    assert adoption.reachable(exchange.services, DENVER, public) is not None


def test_the_home_tab_lists_the_exchange_s_newest_public_practices(exchange: TestBot) -> None:
    with exchange.db.read() as session:
        context = HomeContext(DENVER, DENVER_CIO, NOW, **home_scope(session, exchange.services))
        home = text(m.Message(m.line("home"), compose_home(session, context)))
        alone = text(m.Message(m.line("home"), compose_home(session, dataclasses.replace(
            context, teams=frozenset()))))
    assert "Wireless hotspots downtown (Boston), shared in Boston" in home
    assert "private" not in home and "Austin" not in home
    assert "Wireless hotspots downtown" not in alone


def test_digest_search_reaches_approved_public_digests(exchange: TestBot) -> None:
    found = shown(digest_commands.search(exchange.services, DENVER, "wireless hotspots"))
    assert "Wireless hotspots downtown digest" in found
    assert "private" not in found and "Austin" not in found


def test_from_slack_list_show_home_and_digest_search_reach_the_exchange(exchange: TestBot) -> None:
    from bot import payloads
    from tests.installs import DENVER_CHANNEL

    with exchange.db.begin() as session:
        public = next(p.id for p in session.query(Practice) if p.title == "Wireless hotspots downtown")

    def typed(command: str, words: str) -> str:
        exchange.emulator.reset()
        exchange.send(payloads.slash_command(command, words, user=DENVER_CIO, channel=DENVER_CHANNEL, team=DENVER,
                                             response_url=exchange.emulator.response_url("r")))
        return str(exchange.replies())

    assert "from Boston" in typed("/practice", "list")
    assert "Shared in Boston" in typed("/practice", f"show {public}")
    assert "Wireless hotspots downtown digest" in typed("/digest", "search wireless hotspots")
    exchange.emulator.reset()
    exchange.send(payloads.event_callback(payloads.app_home_opened(DENVER_CIO), team=DENVER))
    [published] = exchange.emulator.calls_to("views.publish")
    assert "Wireless hotspots downtown" in str(published.args) and "private" not in str(published.args)
