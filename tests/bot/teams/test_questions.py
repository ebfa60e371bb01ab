"""Questions from Teams (issue 13): a question typed to the bot (an @mention in a channel, or any
message in a chat) is tracked as in Slack, and `ask` too; when the exchange knows something, the
suggestion is one reply, in the question's thread in a channel, in the conversation in a chat."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from bot.emulator.teams import TeamsEmulator
from storage.questions import OPEN, Question
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


def test_a_mentioned_question_in_a_channel_is_tracked_and_answered_in_its_thread(
        bot: TestBot, microsoft: TeamsEmulator, teams_url: str) -> None:
    Member(teams_url, microsoft, user="29:cio", where=CHANNEL).say(HOTSPOTS)
    mayor = Member(teams_url, microsoft, user="29:mayor", where=CHANNEL)
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
