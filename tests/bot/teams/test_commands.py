"""The other commands, buttons and dialogs from Teams, over HTTP with signed activities, on both
databases: a conversation as a Teams member has it."""

from __future__ import annotations

from bot.emulator.teams import TeamsEmulator
from bot.questions.blocks import MARK_ANSWERED
from bot.roundtables import meetings
from bot.roundtables.reminders import reminder_message
from handlers.teams import replies
from storage.practices import Practice, adopting_cities
from storage.profiles import get_profile, save_profile
from storage.questions import OPEN, Question
from storage.roundtables import Roundtable
from tests.bot.teams.conversation import Member, actions, card_text
from tests.bot.teams.edge import post
from tests.harness import TestBot


def make_moderator(bot: TestBot, user: str = "29:user-1") -> None:
    """A moderator by the role a moderator gave them (Teams has no workspace admins the bot can read)."""
    with bot.db.begin() as session:
        save_profile(session, "tenant-1", user, bot.services.clock(), role="moderator", city="Chicago",
                     state="IL", title="", expertise=[])


def test_help_names_the_commands_as_typed_in_teams(microsoft: TeamsEmulator, teams_url: str) -> None:
    helped = card_text(Member(teams_url, microsoft).say("practice help"))
    assert "practice search wireless" in helped and "/practice" not in helped


def test_profile_and_share_through_dialogs_errors_shown_in_the_form(bot: TestBot, microsoft: TeamsEmulator,
                                                                     teams_url: str) -> None:
    mayor = Member(teams_url, microsoft)
    profile = mayor.open_dialog(actions(mayor.say("profile"))[0])
    assert profile["task"]["type"] == "continue"
    closed = mayor.submit_dialog(profile, role="mayor", city="Des Moines", state="IA")
    assert closed["task"] == {"type": "message", "value": "Your profile is saved: Mayor · Des Moines, IA."}
    with bot.db.read() as session:
        assert get_profile(session, "tenant-1", "29:user-1").city == "Des Moines"

    share = mayor.open_dialog(actions(mayor.say("practice"))[0])
    fields = {e["id"]: e for e in share["task"]["value"]["card"]["content"]["body"] if "id" in e}
    assert fields["city"]["value"] == "Des Moines"
    refused = mayor.submit_dialog(share, title="Permits online")
    assert refused["task"]["type"] == "continue"
    shown = {e["id"]: e for e in refused["task"]["value"]["card"]["content"]["body"] if "id" in e}
    assert shown["problem"]["errorMessage"] == "Please fill this in." and shown["title"]["value"] == "Permits online"
    with bot.db.read() as session:
        assert session.query(Practice).count() == 0
    saved = mayor.submit_dialog(refused, problem="Lines at city hall.", solution="Online forms.",
                                outcome="Half the visits.")
    assert saved["task"] == {"type": "message", "value": "Shared Permits online (#1)."}

    mine = card_text(mayor.say("practice mine"))
    assert "Your practices" in mine and "Permits online" in mine


def test_a_share_right_after_a_profile_edit_shows_the_new_role_and_city(bot: TestBot, microsoft: TeamsEmulator,
                                                                       teams_url: str) -> None:
    """The sharer's profile is kept across commands (bot/members.py Profiles): the dialog's save
    forgets it, so the card and the share's default city are the new ones at once."""
    mayor = Member(teams_url, microsoft)
    mayor.submit_dialog(mayor.open_dialog(actions(mayor.say("profile"))[0]), role="cio", city="Chicago")
    assert "(CIO, Chicago)" in card_text(mayor.say("practice Permits online. Residents apply from home."))
    mayor.submit_dialog(mayor.open_dialog(actions(mayor.say("profile"))[0]), role="mayor", city="Des Moines")
    assert "(Mayor, Des Moines)" in card_text(mayor.say("practice Snow routes. Plows tracked live."))
    with bot.db.read() as session:
        assert [p.city for p in session.query(Practice).order_by(Practice.id)] == ["Chicago", "Des Moines"]


def test_delete_asks_first_and_the_button_replaces_the_prompt(bot: TestBot, microsoft: TeamsEmulator,
                                                              teams_url: str) -> None:
    sharer, other = Member(teams_url, microsoft), Member(teams_url, microsoft, user="29:user-2")
    sharer.say("practice Permits online. Residents apply from home.")
    assert "Only the member who shared #1" in card_text(other.say("practice delete 1"))
    prompt = sharer.say("practice delete 1")
    assert "Delete" in card_text(prompt)
    done = sharer.press(actions(prompt)[0])
    assert "Deleted practice #1" in card_text(done)
    assert "No practices" in card_text(sharer.say("practice list"))


def test_adopt_updates_the_count_in_the_returned_card(bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    sharer, mayor = Member(teams_url, microsoft), Member(teams_url, microsoft, user="29:user-2")
    card = sharer.say("practice Permits online. Residents apply from home.")
    adopt = next(a for a in actions(card) if a["title"] == "Adopt this practice")
    assert "profile" in card_text(mayor.press(adopt))  # no city yet: told to set one, nothing counted
    mayor.submit_dialog(mayor.open_dialog(actions(mayor.say("profile"))[0]), role="mayor", city="Des Moines")
    replaced = mayor.press(adopt)
    assert "Adopted in 1 city: Des Moines" in card_text(replaced)
    assert "Thank you: Des Moines now counts as adopting #1." in card_text(replaced)
    again = mayor.press(adopt)
    assert "You already recorded Des Moines" in card_text(again)


def test_roundtable_schedule_in_one_line_confirms_then_announces(bot: TestBot, microsoft: TeamsEmulator,
                                                                 teams_url: str) -> None:
    member, moderator = Member(teams_url, microsoft, user="29:user-2"), Member(teams_url, microsoft)
    make_moderator(bot)
    assert "Only moderators" in card_text(member.say("roundtable schedule 2027-03-04 15:00 Central Wireless"))
    check = moderator.say("roundtable schedule 2027-03-04 15:00 Central Wireless downtown")
    confirm = next(a for a in actions(check) if a["title"] == "Schedule and announce")
    before = len(microsoft.sent)
    scheduled = moderator.press(confirm)
    assert "Scheduled" in card_text(scheduled)
    assert any("Wireless downtown" in card_text(s["body"]["attachments"][0]["content"])
               for s in microsoft.sent[before:])
    assert "Wireless downtown" in card_text(moderator.say("roundtable list"))


def test_roundup_digest_and_home_answer_from_teams(microsoft: TeamsEmulator, teams_url: str) -> None:
    member = Member(teams_url, microsoft)
    assert card_text(member.say("roundup preview"))
    empty = card_text(member.say("digest list"))
    assert "No digests yet" in empty and "digest save" in empty and "message menu" not in empty  # Teams' way
    assert "practice help" in card_text(member.say("home"))
    assert "Usage: ask" in card_text(member.say("ask hi"))


def test_rsvp_on_a_reminder_updates_the_names_for_everyone(bot: TestBot, microsoft: TeamsEmulator,
                                                           teams_url: str) -> None:
    moderator, mayor = Member(teams_url, microsoft), Member(teams_url, microsoft, user="29:user-2")
    make_moderator(bot)
    check = moderator.say("roundtable schedule 2027-03-04 15:00 Central Wireless downtown")
    moderator.press(next(a for a in actions(check) if a["title"] == "Schedule and announce"))
    with bot.db.read() as session:
        roundtable = session.query(Roundtable).one()
        start = meetings.next_meeting(roundtable, bot.services.clock())
        reminder = replies.card(reminder_message(session, roundtable, start, bot.services.agenda_sources))
    going = next(a for a in actions(reminder) if a["title"] == "I'm going")
    before = len(microsoft.sent)
    shown = card_text(mayor.press(going, on="reminder-1"))
    assert "A Mayor" in shown
    put = [s for s in microsoft.sent[before:] if s["method"] == "PUT"]
    assert [s["path"] for s in put] == ["/v3/conversations/a:personal-1/activities/reminder-1"]
    assert "A Mayor" in card_text(put[0]["body"]["attachments"][0]["content"])


def test_the_adopting_member_sees_a_note_everyone_sees_the_count(bot: TestBot, microsoft: TeamsEmulator,
                                                                 teams_url: str) -> None:
    sharer, mayor = Member(teams_url, microsoft), Member(teams_url, microsoft, user="29:user-2")
    with bot.db.begin() as session:
        save_profile(session, "tenant-1", "29:user-2", bot.services.clock(), role="mayor", city="Des Moines",
                     state="IA", title="", expertise=[])
    card = sharer.say("practice Permits online. Residents apply from home.")
    before = len(microsoft.sent)
    mine = card_text(mayor.press(next(a for a in actions(card) if a["title"] == "Adopt this practice"), on="card-1"))
    assert "Adopted in 1 city: Des Moines" in mine and "Thank you" in mine
    put = [s for s in microsoft.sent[before:] if s["method"] == "PUT"]
    everyone = card_text(put[0]["body"]["attachments"][0]["content"])
    assert "Adopted in 1 city: Des Moines" in everyone and "Thank you" not in everyone


def test_the_roundtable_form_as_a_dialog_schedules_and_announces(bot: TestBot, microsoft: TeamsEmulator,
                                                                 teams_url: str) -> None:
    moderator = Member(teams_url, microsoft)
    make_moderator(bot)
    form = moderator.open_dialog(actions(moderator.say("roundtable schedule"))[0])
    refused = moderator.submit_dialog(form, title="")
    assert refused["task"]["type"] == "continue"
    with bot.db.read() as session:
        assert session.query(Roundtable).count() == 0
    before = len(microsoft.sent)
    done = moderator.submit_dialog(refused, title="Wireless downtown", date="2027-03-04", time="15:00")
    assert done["task"]["type"] == "message" and "Scheduled roundtable #1" in done["task"]["value"]
    assert any("Wireless downtown" in card_text(s["body"]["attachments"][0]["content"]) for s in microsoft.sent[before:])


def test_ask_in_a_channel_is_tracked_and_a_moderator_closes_it_from_home(bot: TestBot, microsoft: TeamsEmulator,
                                                                        teams_url: str) -> None:
    channel = {"conversation": "19:general@thread.tacv2", "conversation_type": "channel"}
    mayor = Member(teams_url, microsoft, user="29:user-2", where=channel)
    asked = card_text(mayor.say("<at>Roundtable</at> ask How did you fund the hotspots downtown?"))
    assert "@A Mayor asks:" in asked and "How did you fund the hotspots downtown?" in asked
    with bot.db.read() as session:
        question = session.query(Question).one()
        assert (question.team_id, question.user_id, question.status) == ("tenant-1", "29:user-2", OPEN)
        tracked = question.id
    secret = Member(teams_url, microsoft, user="29:user-2", channel_type="private",
                    where={"conversation": "19:budget@thread.tacv2", "conversation_type": "channel"})
    secret.say("ask Who saw the draft budget already?")
    make_moderator(bot)
    moderator = Member(teams_url, microsoft)
    home = moderator.say("home")
    assert "How did you fund the hotspots downtown?" in card_text(home)
    assert "draft budget" not in card_text(home)  # a private channel's question stays in it
    closed = card_text(moderator.press(next(a for a in actions(home) if a["verb"] == MARK_ANSWERED)))
    assert "Marked answered" in closed
    with bot.db.read() as session:
        assert session.get(Question, tracked).status != OPEN


def test_edit_opens_the_form_prefilled_and_saves_for_the_sharer_only(bot: TestBot, microsoft: TeamsEmulator,
                                                                     teams_url: str) -> None:
    sharer, other = Member(teams_url, microsoft), Member(teams_url, microsoft, user="29:user-2")
    sharer.say("practice Permits online. Residents apply from home.")
    assert "Only the member who shared #1" in card_text(other.say("practice edit 1"))
    edit = actions(sharer.say("practice edit 1"))[0]
    assert other.open_dialog(edit)["task"]["type"] == "message"  # a button passed on opens nothing for others
    form = sharer.open_dialog(edit)
    saved = sharer.submit_dialog(form, title="Permits online, 24/7", city="Des Moines", problem="Lines.",
                                 outcome="Half the visits.")
    assert saved["task"] == {"type": "message", "value": "Saved Permits online, 24/7 (#1)."}
    with bot.db.read() as session:
        assert session.get(Practice, 1).title == "Permits online, 24/7"


def test_an_unverified_press_changes_nothing_and_an_unknown_one_says_so(bot: TestBot, microsoft: TeamsEmulator,
                                                                       teams_url: str) -> None:
    sharer, mayor = Member(teams_url, microsoft), Member(teams_url, microsoft, user="29:user-2")
    make_moderator(bot, "29:user-2")  # has a city
    card = sharer.say("practice Permits online. Residents apply from home.")
    adopt = next(a for a in actions(card) if a["title"] == "Adopt this practice")
    forged = {**microsoft.message("", user="29:user-2", conversation="a:personal-1", conversation_type="personal"),
              "type": "invoke", "name": "adaptiveCard/action",
              "value": {"action": {"type": "Action.Execute", "verb": adopt["verb"], "data": adopt["data"]}}}
    assert post(teams_url, forged, microsoft.sign(forged, aud="someone-else")) == 401
    assert post(teams_url, forged, None) == 401
    with bot.db.read() as session:
        assert adopting_cities(session, [1])[1] == []
    unknown = {"type": "Action.Execute", "verb": "no_such_button", "data": {"action": "no_such_button", "value": "1"}}
    assert "no longer available" in card_text(mayor.press(unknown))
