"""With its RSC permission (ChannelMessage.Read.Group) the bot gets every message of a team's
channels: one that does not @mention it is channel talk, as Slack's message events are (a question
tracked and suggested, a reply in a question's thread recorded), and never a command."""

from __future__ import annotations

from bot.emulator.teams import TeamsEmulator
from storage import questions as store
from storage.practices import Practice
from storage.questions import PENDING, Question
from tests.bot.teams.conversation import Member
from tests.bot.teams.edge import post, wait_for
from tests.bot.teams.test_questions import CHANNEL, HOTSPOTS, posts_to, questions
from tests.harness import TestBot


def practices(bot: TestBot) -> list[str]:
    with bot.db.read() as session:
        return [p.title for p in session.query(Practice).order_by(Practice.id)]


def test_a_command_without_the_mention_in_a_channel_does_nothing(
    bot: TestBot, microsoft: TeamsEmulator, teams_url: str
) -> None:
    Member(teams_url, microsoft, user="29:cio", where=CHANNEL).say(HOTSPOTS)  # @Roundtable practice ...
    assert practices(bot) == ["Wireless hotspots downtown"]
    talk = Member(teams_url, microsoft, user="29:cio", where=CHANNEL, mention=False)
    before = len(microsoft.sent)
    for text in (
        "practice delete 1",
        "practice Parking app. An app for parking downtown.",
        "roundup now",
        "home",
    ):
        activity = talk._activity(text=text)
        assert post(teams_url, activity, microsoft.sign(activity)) == 200
    # the same words mentioning the bot are a command: its answer is the only thing said
    confirm = Member(teams_url, microsoft, user="29:cio", where=CHANNEL).say("practice delete 1")
    assert "Delete practice #1" in str(confirm)
    assert [s["body"]["attachments"][0]["content"] for s in microsoft.sent[before:]] == [confirm]
    assert practices(bot) == ["Wireless hotspots downtown"] and questions(bot) == []


def test_a_question_without_the_mention_is_tracked_and_answered_in_its_thread_as_in_slack(
    bot: TestBot, microsoft: TeamsEmulator, teams_url: str
) -> None:
    Member(teams_url, microsoft, user="29:cio", where=CHANNEL).say(HOTSPOTS)
    asked = Member(teams_url, microsoft, user="29:mayor", where=CHANNEL, mention=False)._activity(
        text="How did you fund the hotspots downtown?"
    )
    assert post(teams_url, asked, microsoft.sign(asked)) == 200
    [suggestion] = wait_for(lambda: posts_to(microsoft, f"19:general@thread.tacv2;messageid={asked['id']}"))
    assert "Wireless hotspots downtown" in str(suggestion["body"])
    assert [q[2] for q in questions(bot)] == ["How did you fund the hotspots downtown?"]

    thread = {**CHANNEL, "conversation": f"19:general@thread.tacv2;messageid={asked['id']}"}
    before = len(microsoft.sent)
    reply = Member(teams_url, microsoft, user="29:cio", where=thread, mention=False)._activity(
        text="Detroit did, from the cable franchise fee."
    )
    assert post(teams_url, reply, microsoft.sign(reply)) == 200
    wait_for(
        lambda: [s for s in microsoft.sent[before:] if s["path"] == "/v3/conversations"]
    )  # the asker's prompt
    with bot.db.read() as session:
        question = session.query(Question).one()
        assert question.status == PENDING
        assert [a.text for a in store.answers_to(session, question)] == [
            "Detroit did, from the cable franchise fee."
        ]
    chatter = Member(teams_url, microsoft, user="29:cio", where=CHANNEL, mention=False)._activity(
        text="see you all"
    )
    assert post(teams_url, chatter, microsoft.sign(chatter)) == 200
    assert len(questions(bot)) == 1
