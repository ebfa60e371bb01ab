"""Questions from Teams (issue 13): a question typed to the bot (an @mention in a channel, or any
message in a chat) is tracked as in Slack, and `ask` too; when the exchange knows something, the
suggestion is one reply, in the question's thread in a channel, in the conversation in a chat."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from bot.emulator.teams import TeamsEmulator
from storage import questions as store
from storage.questions import ANSWERED, OPEN, PENDING, Question
from tests.bot.teams.conversation import Member, actions, card_text
from tests.bot.teams.edge import post, wait_for
from tests.harness import TestBot

CHANNEL = {"conversation": "19:general@thread.tacv2", "conversation_type": "channel"}
HOTSPOTS = "practice Wireless hotspots downtown. Free wifi drew young people downtown. #wireless"


def posts_to(microsoft: TeamsEmulator, conversation: str) -> list[dict[str, Any]]:
    path = f"/v3/conversations/{conversation}/activities"
    return [s for s in microsoft.sent if s["method"] == "POST" and s["path"] in (path, quote(path, safe="/"))]


def questions(bot: TestBot) -> list[tuple[str, str, str, str]]:
    with bot.db.read() as session:
        return [(q.channel_id, q.ts, q.text, q.status) for q in session.query(Question).order_by(Question.id)]


def mayor_after_a_share(microsoft: TeamsEmulator, teams_url: str) -> Member:
    """A CIO has shared the hotspots practice in the channel; the mayor who will ask about it."""
    Member(teams_url, microsoft, user="29:cio", where=CHANNEL).say(HOTSPOTS)
    return Member(teams_url, microsoft, user="29:mayor", where=CHANNEL)


def test_a_mentioned_question_in_a_channel_is_tracked_and_answered_in_its_thread(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    mayor = mayor_after_a_share(microsoft, teams_url)
    activity = mayor._activity(text="<at>Roundtable</at> How did you fund the hotspots downtown?")
    assert post(teams_url, activity, microsoft.sign(activity)) == 200

    thread = f"19:general@thread.tacv2;messageid={activity['id']}"
    [suggestion] = wait_for(lambda: posts_to(microsoft, thread))
    text = card_text(suggestion["body"]["attachments"][0]["content"])
    assert "Wireless hotspots downtown" in text and "Mark answered" in text
    assert questions(bot) == [("19:general@thread.tacv2", activity["id"], "How did you fund the hotspots downtown?",
                               OPEN)]
    in_thread = Member(teams_url, microsoft, user="29:cio", where={**CHANNEL, "conversation": thread})
    reply = in_thread._activity(text="<at>Roundtable</at> Did you try a bond measure?")
    assert post(teams_url, reply, microsoft.sign(reply)) == 200
    assert len(questions(bot)) == 1  # a reply in the thread is no new question
    content = suggestion["body"]["attachments"][0]["content"]
    closed = mayor.press(next(a for a in actions(content) if a["title"] == "Mark answered"))
    assert "Marked answered" in card_text(closed)
    assert questions(bot)[0][3] != OPEN


def test_ask_gets_its_suggestion_under_the_posted_question(bot: TestBot, microsoft: TeamsEmulator,
                                                           teams_url: str) -> None:
    Member(teams_url, microsoft, user="29:cio", where=CHANNEL).say(HOTSPOTS)
    Member(teams_url, microsoft, user="29:mayor", where=CHANNEL).say("ask Who has paid for wireless hotspots downtown?")
    [(channel, ts, _, _)] = questions(bot)
    [suggestion] = wait_for(lambda: posts_to(microsoft, f"{channel};messageid={ts}"))
    assert "Wireless hotspots downtown" in card_text(suggestion["body"]["attachments"][0]["content"])


def test_in_a_personal_chat_the_suggestion_is_in_the_chat_and_other_words_are_not_questions(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    member = Member(teams_url, microsoft, user="29:mayor")
    member.say(HOTSPOTS)
    before = len(microsoft.sent)
    activity = member._activity(text="Has anyone funded wireless hotspots downtown?")
    assert post(teams_url, activity, microsoft.sign(activity)) == 200
    wait_for(lambda: microsoft.sent[before:])
    [suggestion] = posts_to(microsoft, "a:personal-1")[-1:]  # in the chat itself: a chat has no threads
    assert [s for s in microsoft.sent[before:] if s["method"] == "POST"] == [suggestion]
    assert "Wireless hotspots downtown" in card_text(suggestion["body"]["attachments"][0]["content"])
    thanks = member._activity(text="thanks, great")
    assert post(teams_url, thanks, microsoft.sign(thanks)) == 200
    assert [q[2] for q in questions(bot)] == ["Has anyone funded wireless hotspots downtown?"]


def test_a_question_the_exchange_knows_nothing_about_is_tracked_quietly(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str, caplog: pytest.LogCaptureFixture) -> None:
    member = Member(teams_url, microsoft, user="29:mayor")
    activity = member._activity(text="Who runs the 311 call center in your city?")
    with caplog.at_level("INFO"):
        assert post(teams_url, activity, microsoft.sign(activity)) == 200
        wait_for(lambda: any("nothing related found" in r.getMessage() for r in caplog.records))
    assert [q[2] for q in questions(bot)] == ["Who runs the 311 call center in your city?"]
    assert microsoft.sent == []  # Teams bots cannot react (Slack's :eyes:), and there is nothing to say
    assert not [r for r in caplog.records if r.levelname == "WARNING"]


def test_a_reply_in_the_thread_that_mentions_the_bot_is_an_answer_and_the_asker_confirms_it(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    mayor = Member(teams_url, microsoft, user="29:mayor", where=CHANNEL)
    asked = mayor._activity(text="<at>Roundtable</at> Who has funded a 311 call center?")
    assert post(teams_url, asked, microsoft.sign(asked)) == 200
    thread = {**CHANNEL, "conversation": f"19:general@thread.tacv2;messageid={asked['id']}"}
    own = Member(teams_url, microsoft, user="29:mayor", where=thread)._activity(text="<at>Roundtable</at> Anyone?")
    assert post(teams_url, own, microsoft.sign(own)) == 200  # the asker's own reply answers nothing
    with bot.db.read() as session:
        assert store.answers_to(session, session.query(Question).one()) == []

    before = len(microsoft.sent)
    reply = Member(teams_url, microsoft, user="29:cio", where=thread)._activity(
        text="<at>Roundtable</at> Detroit did, from the cable franchise fee.")
    assert post(teams_url, reply, microsoft.sign(reply)) == 200
    [opened] = wait_for(lambda: [s for s in microsoft.sent[before:] if s["path"] == "/v3/conversations"])
    assert opened["body"]["members"] == [{"id": "29:mayor"}]  # the prompt goes to the asker's personal chat
    [prompt] = wait_for(lambda: [s for s in microsoft.sent[before:] if s["path"].endswith("/activities")])
    content = prompt["body"]["attachments"][0]["content"]
    assert "@A Mayor replied to your question" in card_text(content)  # the name Teams sent with the reply
    assert "from the cable franchise fee" in card_text(content)
    with bot.db.read() as session:
        question = session.query(Question).one()
        assert question.status == PENDING and [a.text for a in store.answers_to(session, question)] == [
            "Detroit did, from the cable franchise fee."]

    closed = Member(teams_url, microsoft, user="29:mayor").press(
        next(a for a in actions(content) if a["title"] == "Mark answered"))
    assert "Marked answered" in card_text(closed)
    with bot.db.read() as session:
        question = session.query(Question).one()
        assert question.status == ANSWERED and question.answer_ts == reply["id"]


def test_a_new_channel_post_whose_conversation_carries_its_own_id_is_a_question_not_a_reply(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    """Teams can name a new channel post's conversation `<channel>;messageid=<its own id>`: only a
    messageid other than the activity's own is a reply in a thread."""
    mayor = mayor_after_a_share(microsoft, teams_url)
    asked = mayor._activity(text="<at>Roundtable</at> How did you fund the hotspots downtown?")
    thread = f"19:general@thread.tacv2;messageid={asked['id']}"
    asked["conversation"]["id"] = thread
    assert post(teams_url, asked, microsoft.sign(asked)) == 200
    [suggestion] = wait_for(lambda: posts_to(microsoft, thread))  # the one reply to a new question
    assert "Wireless hotspots downtown" in card_text(suggestion["body"]["attachments"][0]["content"])
    assert questions(bot) == [("19:general@thread.tacv2", asked["id"], "How did you fund the hotspots downtown?",
                               OPEN)]

    reply = mayor._activity(text="<at>Roundtable</at> Who else has funded wireless hotspots downtown?")
    reply["conversation"]["id"] = f"19:general@thread.tacv2;messageid={asked['id']}"
    assert post(teams_url, reply, microsoft.sign(reply)) == 200  # another id: a reply in its thread, no question
    assert len(questions(bot)) == 1 and len(posts_to(microsoft, thread)) == 1


def test_only_the_asker_marks_answered_and_the_refusal_names_them_as_teams_knows_them(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    mayor = mayor_after_a_share(microsoft, teams_url)
    asked = mayor._activity(text="<at>Roundtable</at> How did you fund the hotspots downtown?")
    assert post(teams_url, asked, microsoft.sign(asked)) == 200
    [suggestion] = wait_for(lambda: posts_to(microsoft, f"19:general@thread.tacv2;messageid={asked['id']}"))
    content = suggestion["body"]["attachments"][0]["content"]
    refused = Member(teams_url, microsoft, user="29:cio", where=CHANNEL).press(
        next(a for a in actions(content) if a["title"] == "Mark answered"))
    text = card_text(refused)
    assert "or a moderator can mark this question answered" in text
    assert "<@" not in text and "29:mayor" not in text and "@A Mayor" in text  # the name Teams sent with the question
    assert questions(bot)[0][3] == OPEN
