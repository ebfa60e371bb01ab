"""Members of the other platform in Teams cards: a Slack member is shown by the name the bot knows
(Slack's profile, kept in the member name cache), as text, never by raw id and never as a Teams
mention; a member's own text never becomes a mention either."""

from __future__ import annotations

import json

from bot.emulator import TEAM_ID
from bot.emulator.teams import TeamsEmulator
from storage.conversations import record
from storage.practices import Practice, adopt
from storage.profiles import save_profile
from tests.bot.teams.conversation import Member, actions, card_text
from tests.harness import TestBot

SLACK_CIO = "U0DETCIO"
GENERAL = {"conversation": "19:general@thread.tacv2", "conversation_type": "channel"}


def shared_in_slack(bot: TestBot) -> None:
    bot.emulator.add_user(SLACK_CIO, real_name="Derrick Miller")
    with bot.db.begin() as session:
        record(session, TEAM_ID, "C0GENERAL", True, bot.services.clock())
        save_profile(session, TEAM_ID, SLACK_CIO, bot.services.clock(), role="cio", city="Detroit", state="MI",
                     title="", expertise=["Wireless and broadband"])
    bot.command("/practice", "Wireless hotspots downtown. Free wifi drew young people. #wireless", user=SLACK_CIO)


def test_slack_members_on_a_practice_shown_in_teams_are_named_never_by_id(bot: TestBot, microsoft: TeamsEmulator,
                                                                          teams_url: str) -> None:
    shared_in_slack(bot)
    bot.emulator.add_user("U0ASKER", real_name="Nate Jones")
    with bot.db.begin() as session:  # a saved answer: asked in Slack, saved by a member Slack no longer knows
        practice = session.get(Practice, 1)
        practice.asked_by, practice.saved_by = "U0ASKER", "U0GONE"
    bot.services.names.forget(TEAM_ID, SLACK_CIO)
    bot.emulator.users.pop(SLACK_CIO)  # the sharer's name: only what the bot kept (its card was posted)
    bot.services.names.learn(TEAM_ID, SLACK_CIO, "Derrick Miller")
    shown = Member(teams_url, microsoft, where=GENERAL).say("<at>Roundtable</at> practice show 1")
    text = card_text(shown)
    assert "answered by Derrick Miller (CIO, Detroit) · asked by Nate Jones · saved by a member" in text
    assert not any(user in json.dumps(shown) for user in (SLACK_CIO, "U0ASKER", "U0GONE"))
    assert shown["msteams"]["entities"] == []  # nobody of another platform becomes a Teams mention


def test_a_teams_member_named_in_a_card_is_a_mention_by_the_name_teams_gives(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    microsoft.members["29:user-9"] = "Frank Cownie"  # never spoke to the bot: the members API names them
    sharer, mayor = Member(teams_url, microsoft, where=GENERAL), Member(teams_url, microsoft, user="29:user-2")
    with bot.db.begin() as session:
        save_profile(session, "tenant-1", "29:user-2", bot.services.clock(), role="mayor", city="Des Moines",
                     state="IA", title="", expertise=[])
    card = sharer.say("<at>Roundtable</at> practice Permits online. Ask &lt;at&gt;Frank&lt;/at&gt; how.")
    assert "Frank" in card_text(card) and card["msteams"]["entities"] == []  # typed text is never a mention
    with bot.db.begin() as session:
        adopt(session, session.get(Practice, 1), "Des Moines", "29:user-9", bot.services.clock())
    told = mayor.press(next(a for a in actions(card) if a["title"] == "Adopt this practice"))
    assert "Des Moines already counts as adopting #1 (@Frank Cownie recorded it)." in card_text(told)
    assert [e["mentioned"] for e in told["msteams"]["entities"]] == [{"id": "29:user-9", "name": "Frank Cownie"}]
