"""Teams conversations by their names: the name Teams sends with an activity (a channel's, its
team's, a group chat's) is kept with the conversation's reference, follows a rename, is never
blanked by an activity without it, and names the conversation wherever the bot speaks of it (the
roundup settings dialog's choices, "posted in ..."), escaped as member text; over HTTP with signed
activities, on both databases."""

from __future__ import annotations

from bot.emulator.teams import TeamsEmulator
from tests.bot.teams.conversation import Member, actions, card_text
from tests.bot.teams.edge import post
from tests.bot.teams.test_commands import make_moderator
from tests.bot.teams.test_roundtables import fields
from tests.harness import TestBot

GENERAL = "19:general@thread.tacv2"  # the team's default channel: its id is the team's
BUDGET = "19:budget@thread.tacv2"
CHAT = "19:mayors@thread.v2"
OPS = {"id": GENERAL, "name": "City Ops"}


def choices(member: Member) -> list[tuple[str, str]]:
    form = member.open_dialog(actions(member.say("roundup settings"))[0])
    return [(c["title"], c["value"]) for c in fields(form)["channel"]["choices"]]


def in_channel(url: str, microsoft: TeamsEmulator, channel: str, **named: object) -> Member:
    return Member(url, microsoft, where={"conversation": channel, "conversation_type": "channel"}, **named)  # type: ignore[arg-type]


def in_chat(url: str, microsoft: TeamsEmulator, chat: str, name: str = "") -> Member:
    return Member(url, microsoft, where={"conversation": chat, "conversation_type": "groupChat"}, chat_name=name)


def test_the_roundup_dialog_names_each_conversation_by_team_and_channel_or_the_chats_name(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    make_moderator(bot)
    in_channel(teams_url, microsoft, GENERAL, team=OPS).say("roundup preview")  # General: no channel name
    in_channel(teams_url, microsoft, BUDGET, team=OPS, channel_name="Budget").say("roundup preview")
    in_chat(teams_url, microsoft, CHAT, "Mayors of Iowa").say("roundup preview")
    in_chat(teams_url, microsoft, "19:unnamed@thread.v2").say("roundup preview")
    moderator = Member(teams_url, microsoft)  # in their personal chat, which is never a roundup's place
    assert sorted(choices(moderator)) == [
        ("City Ops › Budget", BUDGET), ("City Ops › General", GENERAL), ("Mayors of Iowa", CHAT),
        ("a group chat", "19:unnamed@thread.v2")]
    here = in_channel(teams_url, microsoft, BUDGET)  # Teams sent no name this time: the kept one is used
    assert choices(here)[0] == ("City Ops › Budget (this conversation)", BUDGET)


def test_a_rename_is_followed_and_an_activity_without_the_name_keeps_it(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    make_moderator(bot)
    in_channel(teams_url, microsoft, BUDGET, team=OPS, channel_name="Budget").say("roundup preview")
    in_channel(teams_url, microsoft, BUDGET).say("roundup preview")  # no names at all
    in_channel(teams_url, microsoft, BUDGET, team={"id": GENERAL}).say("roundup preview")  # the team without its name
    assert ("City Ops › Budget", BUDGET) in choices(Member(teams_url, microsoft))

    renamed = {**microsoft.message("", conversation=GENERAL), "type": "conversationUpdate"}
    renamed["channelData"] |= {"eventType": "channelRenamed", "team": {"id": GENERAL, "name": "City Ops"},
                               "channel": {"id": BUDGET, "name": "Budget 2027"}}
    assert post(teams_url, renamed, microsoft.sign(renamed)) == 200
    moderator = Member(teams_url, microsoft)
    listed = choices(moderator)  # the event was handled before its 200
    assert ("City Ops › Budget 2027", BUDGET) in listed
    assert ("City Ops › General", GENERAL) in listed  # the event came through General: its name is not Budget's
    in_channel(teams_url, microsoft, GENERAL, team={**OPS, "name": "Operations"}).say("roundup preview")
    in_channel(teams_url, microsoft, "19:parks@thread.tacv2", team={"id": GENERAL}, channel_name="Parks").say(
        "roundup preview")  # a channel whose activity names its team by id only
    assert {("Operations › General", GENERAL), ("Operations › Budget 2027", BUDGET),
            ("Operations › Parks", "19:parks@thread.tacv2")} <= set(choices(moderator))  # the team's name is its channels'


def test_the_kept_name_says_where_a_roundup_went_instead_of_another_channel(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    make_moderator(bot)
    moderator = in_channel(teams_url, microsoft, BUDGET, team=OPS, channel_name="Budget")
    moderator.submit_dialog(moderator.open_dialog(actions(moderator.say("roundup settings"))[0]), channel=BUDGET)
    assert card_text(in_channel(teams_url, microsoft, BUDGET).say("roundup now")) == \
        "Posted this week's roundup in City Ops › Budget."
    elsewhere = Member(teams_url, microsoft, user="29:user-2")
    last = card_text(elsewhere.say("roundup last"))
    assert "in City Ops › Budget" in last and "another channel" not in last and "19:" not in last
    assert "in City Ops › Budget" in card_text(elsewhere.say("roundup settings"))


def test_a_name_is_member_text_never_markup_a_mention_or_a_link(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    make_moderator(bot)
    sly = "**Ops** <at>Mayor</at> [win](https://evil.example) {{DATE(2026-01-01T00:00:00Z)}}"
    moderator = in_channel(teams_url, microsoft, BUDGET, team={"id": GENERAL, "name": sly}, channel_name="x_y")
    moderator.submit_dialog(moderator.open_dialog(actions(moderator.say("roundup settings"))[0]), channel=BUDGET)
    moderator.say("roundup now")
    card = Member(teams_url, microsoft, user="29:user-2").say("roundup settings")
    shown = " ".join(b.get("text", "") for b in card["body"] if b.get("type") == "TextBlock")
    assert r"\*\*Ops\*\* &lt;at&gt;Mayor&lt;/at&gt; \[win\]\(https://evil\.example\) " + "{\u200b{\u200bDATE" in shown
    assert r"x\_y" in shown and "<at>" not in shown and "](" not in shown
    assert not card.get("msteams", {}).get("entities")
    assert (f"{sly} › x_y", BUDGET) in choices(Member(teams_url, microsoft))  # choice titles are plain text
