"""`roundup now | last | settings` from Teams, for the tenant's moderators, over HTTP with signed
activities on both databases: the same rules and words as Slack's `/roundup`."""

from __future__ import annotations

from urllib.parse import unquote

from bot.emulator.teams import TeamsEmulator
from storage.roundup_settings import RoundupSettings
from tests.bot.teams.conversation import Member, actions, card_text
from tests.bot.teams.test_commands import make_moderator
from tests.bot.teams.test_roundtables import fields
from tests.harness import TestBot

GENERAL = "19:general@thread.tacv2"
IN_GENERAL = {"conversation": GENERAL, "conversation_type": "channel"}


def posted_to(microsoft: TeamsEmulator, conversation: str, since: int) -> list[str]:
    return [card_text(s["body"]["attachments"][0]["content"]) for s in microsoft.sent[since:]
            if s["method"] == "POST" and unquote(s["path"]) == f"/v3/conversations/{conversation}/activities"]


def test_members_are_told_and_nothing_changes(bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    member = Member(teams_url, microsoft, user="29:user-2", where=IN_GENERAL)
    assert card_text(member.say("<at>Roundtable</at> roundup now")).startswith(
        "Only moderators can post the roundup now. roundup preview shows you this week's roundup.")
    told = card_text(member.say("roundup settings"))
    assert "The roundup is posted Mondays at 09:00" in told and "Only moderators can change this" in told
    assert "No roundup has been posted yet" in card_text(member.say("roundup last"))
    assert "Usage: roundup preview" in card_text(member.say("roundup later"))
    with bot.db.read() as session:
        assert session.query(RoundupSettings).count() == 0


def test_a_moderator_sets_the_channel_posts_now_and_last_shows_it(bot: TestBot, microsoft: TeamsEmulator,
                                                                  teams_url: str) -> None:
    moderator = Member(teams_url, microsoft, where=IN_GENERAL)
    make_moderator(bot)
    Member(teams_url, microsoft).say("home")  # a personal chat the bot knows: never a roundup's place
    button = actions(moderator.say("roundup settings"))[0]
    assert button["title"] == "Roundup settings"
    assert Member(teams_url, microsoft, user="29:user-2").open_dialog(button)["task"]["type"] == "message"
    form = moderator.open_dialog(button)
    channel = fields(form)["channel"]
    assert [(c["title"], c["value"]) for c in channel["choices"]] == [("This conversation", GENERAL)]

    refused = moderator.submit_dialog(form, channel="a:personal-1", time="08:30")
    assert refused["task"]["type"] == "continue"
    assert fields(refused)["channel"]["errorMessage"] == "Choose the channel the roundup goes to."
    assert fields(refused)["time"]["value"] == "08:30"
    with bot.db.read() as session:
        assert session.query(RoundupSettings).count() == 0

    saved = card_text(moderator.submit_dialog(refused, channel=GENERAL)["task"]["value"]["card"]["content"])
    assert "Saved. The roundup is posted Mondays at 08:30" in saved and "in this channel" in saved
    assert "19:" not in saved and "(add Roundtable to the team)" in saved and "/invite" not in saved
    with bot.db.read() as session:
        assert session.query(RoundupSettings).one().channel_id == GENERAL

    before = len(microsoft.sent)
    named = Member(teams_url, microsoft, where=IN_GENERAL, channel_name="General")  # Teams sent the channel's name
    assert card_text(named.say("roundup now")) == "Posted this week's roundup in General."
    roundup, reply = posted_to(microsoft, GENERAL, before)  # the post, then the moderator's answer
    assert "Roundtable roundup, week of" in roundup
    assert "Share what worked in your city with practice" in roundup and "/practice" not in roundup
    last = card_text(Member(teams_url, microsoft, user="29:user-2").say("roundup last"))
    assert "Roundtable roundup, week of" in last and "in General" in last and "19:" not in last  # the name kept
    assert card_text(moderator.say("roundup now")).startswith("A roundup was posted a moment ago")


def test_a_connector_that_refuses_posts_nothing_and_says_so(bot: TestBot, microsoft: TeamsEmulator,
                                                            teams_url: str) -> None:
    moderator = Member(teams_url, microsoft, where=IN_GENERAL)
    make_moderator(bot)
    form = moderator.open_dialog(actions(moderator.say("roundup settings"))[0])
    moderator.submit_dialog(form, channel=GENERAL)
    microsoft.fail_next = [403]
    told = card_text(moderator.say("roundup now"))
    assert told == "Teams did not accept the roundup (Emulated); nothing was posted. Try again in a minute."
    before = len(microsoft.sent)
    assert card_text(moderator.say("roundup now")) == "Posted this week's roundup in this channel."
    assert len(posted_to(microsoft, GENERAL, before)) == 2  # the roundup and the answer


def test_a_tenant_without_settings_has_no_roundup_channel_and_is_told_to_choose_one(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    """ROUNDUP_CHANNEL is a Slack channel: a Teams tenant never falls back to it."""
    assert bot.settings.roundup_channel  # set, for the Slack workspace
    moderator = Member(teams_url, microsoft, where=IN_GENERAL)
    make_moderator(bot)
    told = card_text(moderator.say("roundup now"))
    assert told == "No roundup channel is set. A moderator can choose one with roundup settings."
    assert bot.emulator.calls_to("chat.postMessage") == []
    assert "(no channel set)" in card_text(Member(teams_url, microsoft, user="29:user-2").say("roundup settings"))
    form = moderator.open_dialog(actions(moderator.say("roundup settings"))[0])
    assert fields(form)["channel"].get("value", "") in ("", GENERAL)
