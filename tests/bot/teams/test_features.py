"""The README's Teams features not driven elsewhere, each through the Teams emulator (signed
activities over HTTP, the bot's posts to the emulated connector), on both databases: home, digest
list and search, the roundup preview, cancelling a meeting or a series, the practice card's
*Withdraw*, *Show details* and *Publish* buttons, a slip's *Run ...*, and RSVP changed on a reminder
the outbox posted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import unquote

from bot import outbox
from bot.emulator import TEAM_ID
from bot.emulator.teams import TeamsEmulator
from bot.roundtables import reminders
from bot.wiring import wire
from storage.conversations import record
from storage.deliveries import Delivery
from storage.digests import DigestText, save_digest
from storage.practices import Practice, adopting_cities
from storage.profiles import save_profile
from storage.questions import OPEN, Question
from storage.roundtables import Roundtable
from tests.bot.teams.conversation import Member, actions, card_text
from tests.bot.teams.test_commands import make_moderator
from tests.harness import TestBot

GENERAL = "19:general@thread.tacv2"
CHANNEL = {"conversation": GENERAL, "conversation_type": "channel"}
HOTSPOTS = "practice Wireless hotspots downtown. Free wifi drew young people downtown. #wireless"


def button(card: dict[str, Any], title: str) -> dict[str, Any]:
    return next(a for a in actions(card) if a["title"].startswith(title))


def puts(microsoft: TeamsEmulator, since: int) -> list[tuple[str, str]]:
    """The cards put in place of posted ones since `since`: (path, text)."""
    return [(unquote(s["path"]), card_text(s["body"]["attachments"][0]["content"]))
            for s in microsoft.sent[since:] if s["method"] == "PUT"]


def profile(bot: TestBot, user: str, role: str, city: str, *expertise: str) -> None:
    with bot.db.begin() as session:
        save_profile(session, "tenant-1", user, bot.services.clock(), role=role, city=city, state="", title="",
                     expertise=list(expertise))


def test_home_gives_what_slacks_app_home_gives(bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    profile(bot, "29:cio", "cio", "Detroit", "Wireless and broadband")
    Member(teams_url, microsoft, user="29:cio", where=CHANNEL).say(HOTSPOTS)
    moderator = Member(teams_url, microsoft, where=CHANNEL)
    make_moderator(bot)
    check = moderator.say("roundtable schedule 2027-03-04 15:00 Central Budget season")
    moderator.press(button(check, "Schedule and announce"))
    mayor = Member(teams_url, microsoft, user="29:mayor", where=CHANNEL)
    mayor.say("<at>Roundtable</at> ask How did you fund the hotspots downtown?")

    mine = card_text(Member(teams_url, microsoft, user="29:mayor").say("home"))
    for seen in ("Your open questions", "How did you fund the hotspots downtown?", "Newest practices",
                 "Wireless hotspots downtown", "Next roundtable", "Budget season"):
        assert seen in mine, seen
    assert "Open questions (moderator)" not in mine and "/practice" not in mine and "19:" not in mine
    assert "How did you fund the hotspots" in card_text(Member(teams_url, microsoft, user="29:cio").say("home")).split(
        "Waiting for your expertise")[1]

    home = Member(teams_url, microsoft).say("home")
    assert "Open questions (moderator)" in card_text(home)
    closed = Member(teams_url, microsoft).press(button(home, "Close this question"))
    assert "Marked answered" in card_text(closed)
    with bot.db.read() as session:
        assert session.query(Question).one().status != OPEN
    assert "How did you fund" not in card_text(Member(teams_url, microsoft, user="29:mayor").say("home"))


def test_digest_list_shows_the_tenants_digests_and_search_reaches_the_exchanges(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    member = Member(teams_url, microsoft, where=CHANNEL)
    assert "No digests" in card_text(member.say("digest list"))
    at = bot.services.clock()
    with bot.db.begin() as session:  # one kept in this tenant's channel, one saved in the Slack host's
        record(session, "tenant-1", GENERAL, True, at)
        save_digest(session, "tenant-1", "29:user-1", DigestText(GENERAL, "1", "Hotspot funding",
                                                                 "Bonds and grants.", ["29:user-1"], 4), at)
        record(session, TEAM_ID, "C0GENERAL", True, at)
        save_digest(session, TEAM_ID, "U0CIO", DigestText("C0GENERAL", "1795000000.000100", "Hotspot permits",
                                                          "Poles and leases.", ["U0CIO"], 6), at + timedelta(1))
    listed = card_text(member.say("digest list"))
    assert "Hotspot funding" in listed and "Hotspot permits" not in listed  # the list is this tenant's
    found = card_text(Member(teams_url, microsoft).say("digest search hotspot"))
    assert "Hotspot funding" in found and "Hotspot permits" in found and "U0CIO" not in found
    assert "No digest matches that" in card_text(member.say("digest search snowplows"))
    assert "Usage: digest list" in card_text(member.say("digest later"))


def test_roundup_and_roundup_preview_show_this_weeks_roundup_of_the_tenant(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    Member(teams_url, microsoft, where=CHANNEL).say(HOTSPOTS)
    bot.clock.advance(hours=1)
    for typed in ("roundup", "roundup preview"):
        shown = card_text(Member(teams_url, microsoft).say(typed))
        assert "Roundtable roundup, week of" in shown and "Wireless hotspots downtown" in shown, typed
        assert "/practice" not in shown


def test_cancel_asks_first_next_skips_one_meeting_and_the_series_ends_it(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    moderator, member = Member(teams_url, microsoft, where=CHANNEL), Member(teams_url, microsoft, user="29:user-2")
    make_moderator(bot)
    check = moderator.say("roundtable schedule 2027-01-12 10:00 CST weekly Budget")
    assert "Discarded: nothing was scheduled." in card_text(moderator.press(button(check, "Discard")))
    with bot.db.read() as session:
        assert session.query(Roundtable).count() == 0
    moderator.press(button(moderator.say("roundtable schedule 2027-01-12 10:00 CST weekly Budget"),
                           "Schedule and announce"))

    prompt = moderator.say("roundtable cancel 1 --next")
    assert card_text(prompt).startswith("Cancel the Tue, Jan 12, 2027 at 10:00 AM CST meeting of roundtable #1 Budget?")
    assert "Only moderators" in card_text(member.press(button(prompt, "Cancel the meeting")))
    before = len(microsoft.sent)
    skipped = card_text(moderator.press(button(prompt, "Cancel the meeting")))
    assert skipped.startswith("Cancelled the Tue Jan 12, 2027 16:00 UTC meeting of roundtable #1 Budget; the series "
                              "continues Tue Jan 19, 2027 16:00 UTC.")
    told = [card_text(s["body"]["attachments"][0]["content"]) for s in microsoft.sent[before:] if s["method"] == "POST"]
    assert told == ["The Tue Jan 12, 2027 16:00 UTC roundtable Budget is cancelled. The next one is Tue Jan 19, 2027 "
                    "16:00 UTC."]  # the conversation is told
    assert "next Tue Jan 19, 2027" in card_text(member.say("roundtable list"))  # the series goes on

    moderator.press(button(moderator.say("roundtable cancel 1"), "Cancel the series"))
    assert "No roundtables are scheduled" in card_text(member.say("roundtable list"))


def test_withdraw_details_and_publish_on_the_practice_card(bot: TestBot, microsoft: TeamsEmulator,
                                                           teams_url: str) -> None:
    sharer, mayor = Member(teams_url, microsoft, where=CHANNEL), Member(teams_url, microsoft, user="29:user-2")
    profile(bot, "29:user-2", "mayor", "Des Moines")
    card = sharer.say(HOTSPOTS)
    details = card_text(mayor.press(button(card, "Show details")))
    assert "What was done\nFree wifi drew young people downtown" in details and "Show details" not in details

    mayor.press(button(card, "Adopt this practice"), on="card-1")
    again = mayor.press(button(card, "Adopt this practice"), on="card-1")  # the one who recorded it may withdraw
    assert "You already recorded Des Moines" in card_text(again)
    before = len(microsoft.sent)
    withdrawn = card_text(mayor.press(button(again, "Withdraw"), on="card-1"))
    assert "Des Moines" in withdrawn and "Not adopted" in withdrawn
    with bot.db.read() as session:
        assert adopting_cities(session, [1])[1] == []
    assert any("Not adopted" in text for _, text in puts(microsoft, before))  # everyone's card too

    assert "Only the member who shared #1" in card_text(mayor.press(button(card, "Publish on the web library")))
    before = len(microsoft.sent)
    published = card_text(sharer.press(button(card, "Publish on the web library")))
    assert "#1 is now on the public web library." in published
    with bot.db.read() as session:
        assert session.get(Practice, 1).published
    assert any("Remove from the web library" in str(s["body"]) for s in microsoft.sent[before:] if s["method"] == "PUT")


def test_a_slip_runs_what_was_meant_or_shares_anyway(bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    member = Member(teams_url, microsoft, where=CHANNEL)
    member.say(HOTSPOTS)
    slip = member.say("practice serch wireless")
    assert card_text(slip).startswith("Did you mean practice search wireless? Nothing was shared.")
    with bot.db.read() as session:
        assert session.query(Practice).count() == 1
    assert "Wireless hotspots downtown" in card_text(member.press(button(slip, "Run practice search wireless")))

    before = len(microsoft.sent)
    slip = member.say("practice serch wireless")
    shared = member.press(button(slip, "Share it as a practice anyway"), on="slip-1")
    assert "serch wireless" in card_text(shared) and "Adopt this practice" in card_text(shared)
    with bot.db.read() as session:
        practice = session.get(Practice, 2)
        assert (practice.title, practice.channel_id, practice.message_ts) == ("serch wireless", GENERAL, "slip-1")
    [(path, everyone)] = puts(microsoft, before)  # the slip, for everyone, is the practice's card now
    assert path == f"/v3/conversations/{GENERAL}/activities/slip-1" and "serch wireless" in everyone


def test_an_rsvp_on_a_posted_reminder_is_changed_and_the_names_follow(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    mayor = Member(teams_url, microsoft, user="29:user-2", where=CHANNEL)
    mayor.say("roundtable list")  # the channel the bot has heard from
    now = bot.clock()
    with bot.db.begin() as session:  # today 10:00 New York, reminded 30 minutes before, in the channel
        session.add(Roundtable(team_id="tenant-1", channel_id=GENERAL, title="Wireless downtown",
                               starts_local="2026-11-23T10:00", timezone="America/New_York", reminder_minutes=[30],
                               duration_minutes=60, created_by="29:user-1", created_at=now, updated_at=now,
                               schedule_set_at=now))
    wire(bot.services)
    bot.clock.advance(minutes=31)
    before = len(microsoft.sent)
    reminders.enqueue_due_reminders(bot.services)
    outbox.deliver_due(bot.services)
    [posted] = [s for s in microsoft.sent[before:] if s["method"] == "POST"]
    with bot.db.read() as session:
        ref = session.query(Delivery).filter_by(kind=reminders.REMINDER_KIND).one().slack_ts
    reminder = posted["body"]["attachments"][0]["content"]

    before = len(microsoft.sent)
    assert "Going (1): A Mayor · Maybe (0) · Can't (0)" in card_text(mayor.press(button(reminder, "I'm going"), on=ref))
    assert "Going (0) · Maybe (0) · Can't (1): A Mayor" in card_text(mayor.press(button(reminder, "I can't go"), on=ref))
    updates = puts(microsoft, before)  # the posted reminder, for everyone
    assert [path for path, _ in updates] == [f"/v3/conversations/{GENERAL}/activities/{ref}"] * 2
    assert "Going (1): A Mayor" in updates[0][1] and "Can't (1): A Mayor" in updates[1][1]


def test_home_says_what_a_teams_member_can_do_not_what_slacks_tab_says(microsoft: TeamsEmulator,
                                                                       teams_url: str) -> None:
    home = card_text(Member(teams_url, microsoft).say("home"))
    assert ":eyes:" not in home and "this tab" not in home and "/practice" not in home  # Teams bots cannot react
    assert "Roundtable tracks each question you ask" in home
    assert "None right now. Type ask <your question> here" in home
    assert "Share what worked in your city: type practice here or in a channel." in home
