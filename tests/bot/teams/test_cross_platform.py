"""One exchange, two platforms: a practice shared in Slack (through the Slack handlers, signed as
Slack signs) is found and adopted by a mayor in Teams (signed activities over HTTP), and the Slack
workspace's roundup shows both: the practice and the Teams city that adopted it."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import unquote

import pytest

from bot import payloads
from bot.emulator import SlackEmulator
from bot.emulator.teams import TeamsEmulator
from handlers.teams import register
from storage.conversations import record
from storage.db import Database
from storage.practices import Practice
from tests.bot.teams.conversation import Member, actions, card_text
from tests.bot.teams.edge import APP_ID, serving, teams_app
from tests.harness import FakeClock, TestBot, flatten
from tests.installs import BOSTON, BOSTON_CHANNEL, BOSTON_CIO, cities, distribution_settings, install

TENANT = "tenant-1"  # the Des Moines tenant in Teams (the emulator's default)


@pytest.fixture
def exchange(emulator: SlackEmulator, db: Database, database_url: str, clock: FakeClock,
             microsoft: TeamsEmulator) -> Iterator[tuple[TestBot, str]]:
    """Boston on Slack and a Teams tenant, both in the exchange; the Teams endpoint served and the
    bot's own Teams token from the emulator (so it posts to Teams as `serve` does)."""
    cities(emulator)
    bot = TestBot(distribution_settings(emulator, database_url, exchange_team_ids=frozenset({BOSTON, TENANT}),
                                        teams_app_id=APP_ID, teams_app_password=microsoft.password,
                                        teams_token_url=microsoft.token_url), db, emulator, clock)
    install(bot.app, emulator, BOSTON)
    teams = teams_app(microsoft)
    register(teams, bot.services)
    try:
        with serving(bot, teams) as url:
            yield bot, url
    finally:
        bot.close()


def slack_command(bot: TestBot, command: str, text: str) -> str:
    bot.send(payloads.slash_command(command, text, user=BOSTON_CIO, channel=BOSTON_CHANNEL, team=BOSTON,
                                    response_url=bot.emulator.response_url(command.strip("/"))))
    return flatten(bot.replies()[-1])


def test_shared_in_slack_found_and_adopted_in_teams_both_in_one_roundup(
        exchange: tuple[TestBot, str], microsoft: TeamsEmulator) -> None:
    bot, url = exchange
    with bot.db.begin() as session:  # the Boston channel is public (Slack says so with its events)
        record(session, BOSTON, BOSTON_CHANNEL, True, bot.services.clock())
    shared = slack_command(bot, "/practice", "Wireless hotspots downtown. Free wifi drew young people. #wireless")
    assert "Shared" in shared and "#1" in shared
    with bot.db.read() as session:
        card_ts = session.get(Practice, 1).message_ts  # its card in the Boston channel

    mayor = Member(url, microsoft)
    mayor.submit_dialog(mayor.open_dialog(actions(mayor.say("profile"))[0]), role="mayor", city="Des Moines")
    assert "Wireless hotspots downtown" in card_text(mayor.say("practice search wireless hotspots"))

    shown = mayor.say("practice show 1")  # another workspace's, found through the exchange
    assert "Free wifi drew young people" in card_text(shown) and "Not adopted elsewhere yet" in card_text(shown)
    replaced = card_text(mayor.press(next(a for a in actions(shown) if a["title"] == "Adopt this practice")))
    assert "Thank you: Des Moines now counts as adopting #1." in replaced
    assert "Adopted in 1 city: Des Moines" in replaced
    updates = [c for c in bot.emulator.calls_to("chat.update") if c.args.get("ts") == card_ts]
    assert updates and "Adopted in 1 city: Des Moines" in flatten(updates[-1].args)  # Slack's card, in place

    bot.services.clock.advance(hours=1)  # type: ignore[attr-defined] - the harness's FakeClock
    roundup = slack_command(bot, "/roundup", "preview")
    assert "Wireless hotspots downtown" in roundup and "adopted by 1 city" in roundup  # the Teams adoption


def test_a_private_slack_practice_cannot_be_adopted_from_teams(exchange: tuple[TestBot, str],
                                                              microsoft: TeamsEmulator) -> None:
    bot, url = exchange
    slack_command(bot, "/practice", "Wireless plans still secret. Not for the exchange yet.")
    mayor = Member(url, microsoft)
    mayor.submit_dialog(mayor.open_dialog(actions(mayor.say("profile"))[0]), role="mayor", city="Des Moines")
    adopt = {"type": "Action.Execute", "verb": "practice_adopt", "data": {"action": "practice_adopt", "value": "1"}}
    assert "That practice was deleted." in card_text(mayor.press(adopt))
    assert "There is no practice #1" in card_text(mayor.say("practice show 1"))
    assert "still secret" not in card_text(mayor.say("practice search wireless"))




def test_a_practice_shared_in_teams_is_shown_with_its_sharer_in_distribution_mode(
        exchange: tuple[TestBot, str], microsoft: TeamsEmulator) -> None:
    """A tenant has no Slack installation: its members' names come from Teams, not from a Slack lookup."""
    _, url = exchange
    mayor = Member(url, microsoft)
    assert "Permits online" in card_text(mayor.say("practice Permits online. Residents apply from home."))
    shown = card_text(mayor.say("practice show 1"))
    assert "Permits online" in shown and "shared by A Mayor" in shown


def test_shared_in_a_teams_channel_is_found_from_slack_and_a_teams_chat_share_is_not(
        exchange: tuple[TestBot, str], microsoft: TeamsEmulator) -> None:
    bot, url = exchange
    channel = Member(url, microsoft, where={"conversation": "19:general@thread.tacv2", "conversation_type": "channel"})
    channel.say("<at>Roundtable</at> practice Permits online. Residents apply for permits from home.")
    Member(url, microsoft).say("practice Permits by mail. Still on paper, in a personal chat.")
    with bot.db.read() as session:
        card = session.get(Practice, 1)
        assert (card.channel_id, bool(card.message_ts)) == ("19:general@thread.tacv2", True)  # its card, posted there
    found = slack_command(bot, "/practice", "search permits")
    assert "Permits online" in found and "Permits by mail" not in found  # a personal chat stays private


def test_ask_about_this_starts_a_thread_under_a_teams_card_and_points_a_slack_one_to_ask(
        exchange: tuple[TestBot, str], microsoft: TeamsEmulator) -> None:
    bot, url = exchange
    with bot.db.begin() as session:
        record(session, BOSTON, BOSTON_CHANNEL, True, bot.services.clock())
    slack_command(bot, "/practice", "Wireless hotspots downtown. Free wifi drew young people. #wireless")
    general = {"conversation": "19:general@thread.tacv2", "conversation_type": "channel"}
    sharer = Member(url, microsoft, where=general)
    card = sharer.say("<at>Roundtable</at> practice Permits online. Residents apply from home.")
    with bot.db.read() as session:
        card_id = session.get(Practice, 2).message_ts
    ask = next(a for a in actions(card) if a["title"] == "Ask about this")
    assert "your own practice" in card_text(sharer.press(ask))
    mayor = Member(url, microsoft, user="29:user-2", where=general)
    before = len(microsoft.sent)
    assert "I started a thread about it under the practice" in card_text(mayor.press(ask))
    [thread] = [s for s in microsoft.sent[before:] if s["method"] == "POST"]
    assert unquote(thread["path"]) == f"/v3/conversations/19:general@thread.tacv2;messageid={card_id}/activities"
    assert "has a question about Permits online (#2)" in card_text(thread["body"]["attachments"][0]["content"])
    assert "You already started a thread" in card_text(mayor.press(ask))

    slack_card = mayor.say("<at>Roundtable</at> practice show 1")  # Boston's, through the exchange
    told = card_text(mayor.press(next(a for a in actions(slack_card) if a["title"] == "Ask about this")))
    assert "ask <your question>" in told and "in Slack" in told
    assert not [c for c in bot.emulator.calls_to("chat.postMessage") if c.args.get("thread_ts")]  # no Slack thread
