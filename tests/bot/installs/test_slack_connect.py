"""Slack Connect (issue 12): a channel shared by two installed workspaces is one conversation, whichever
installation Slack sends its events to, and the same message through both is handled once; members
from another organization are named from the event, else as "a member of <workspace>"."""

from __future__ import annotations

from sqlalchemy import select

from bot import payloads
from bot.questions.blocks import MARK_ANSWERED
from storage.questions import ANSWERED, Question, answers_to
from tests.harness import TestBot
from tests.installs import (
    BOSTON,
    BOSTON_CIO,
    BOSTON_CLERK,
    DENVER,
    DENVER_MAYOR,
    SHARED,
    STRANGER,
    deliver,
    said,
)


def questions(bot: TestBot) -> list[Question]:
    with bot.db.begin() as session:
        return list(session.scalars(select(Question)))


def test_a_question_in_a_shared_channel_is_one_whichever_installation_hears_it(connected: TestBot) -> None:
    asked = said(connected, DENVER_MAYOR, "How did you pay for the downtown hotspots?", DENVER, BOSTON)
    [question] = questions(connected)
    assert (question.team_id, question.channel_id, question.ts) == (BOSTON, SHARED, asked["ts"])
    assert len(connected.emulator.calls_to("reactions.add")) == 1  # tracked once (nothing to suggest)
    said(connected, BOSTON_CIO, "We paid for them with a bond.", BOSTON, thread_ts=asked["ts"])
    said(connected, BOSTON_CLERK, "Grants covered the rest.", DENVER, thread_ts=asked["ts"])
    connected.emulator.reset()
    # The asker's ✅ on the question, twice (once per installation): two replies could be the answer,
    # so the asker is asked which one, once.
    deliver(connected, payloads.reaction_added("white_check_mark", user=DENVER_MAYOR, channel=SHARED,
                                               ts=asked["ts"], item_user=DENVER_MAYOR), DENVER, BOSTON)
    asked_which = [c for c in connected.emulator.calls_to("chat.postEphemeral")
                   if "Which reply answered" in str(c.args)]
    assert len(asked_which) == 1
    assert asked_which[0].args["user"] == DENVER_MAYOR and asked_which[0].args["thread_ts"] == asked["ts"]
    assert asked_which[0].answer["ok"]  # with Boston's token, to Denver's mayor in the shared channel
    with connected.db.begin() as session:
        [question] = session.scalars(select(Question)).all()
        assert len(answers_to(session, question)) == 2


def test_members_from_another_organization_are_named_from_the_event_then_their_workspace(
        connected: TestBot) -> None:
    said(connected, DENVER_MAYOR, "Has anyone moved 311 to the cloud?", BOSTON,
         user_profile={"real_name": "Frank Cownie", "display_name": "Mayor Cownie"})
    said(connected, STRANGER, "Has anyone replaced their tax system?", BOSTON)
    names, chat = connected.services.names, connected.services.chat_for(BOSTON)
    assert chat.member(DENVER_MAYOR) is None  # users.info with Boston's token cannot see Denver's members
    assert names.display_name(chat, BOSTON, DENVER_MAYOR) == "Mayor Cownie"
    assert names.display_name(chat, BOSTON, STRANGER) == "a member of Denver"


def test_ask_from_the_guest_workspace_is_the_shared_channel_s_question(connected: TestBot) -> None:
    said(connected, BOSTON_CIO, "Welcome, Denver.", BOSTON)  # the bot learns the channel's home
    connected.send(payloads.slash_command("/ask", "How do you staff a 311 center?", user=DENVER_MAYOR,
                                          channel=SHARED, team=DENVER,
                                          response_url=connected.emulator.response_url("ask")))
    [question] = questions(connected)
    assert (question.team_id, question.channel_id, question.user_id) == (BOSTON, SHARED, DENVER_MAYOR)
    said(connected, BOSTON_CIO, "Two shifts, cross-trained.", BOSTON, thread_ts=question.ts)
    with connected.db.begin() as session:
        [answer] = answers_to(session, question)
    assert answer.user_id == BOSTON_CIO


def test_a_button_pressed_from_the_guest_workspace_acts_on_the_shared_channel_s_question(
        connected: TestBot) -> None:
    asked = said(connected, DENVER_MAYOR, "How did you pay for the downtown hotspots?", BOSTON)
    reply = said(connected, BOSTON_CIO, "We paid for them with a bond.", BOSTON, thread_ts=asked["ts"])
    [question] = questions(connected)
    connected.emulator.reset()
    connected.send(payloads.block_action(MARK_ANSWERED, f"{question.id}:{reply['ts']}", user=DENVER_MAYOR,
                                         team=DENVER, channel=SHARED, message_ts=asked["ts"], ephemeral=True,
                                         response_url=connected.emulator.response_url("press")))
    assert questions(connected)[0].status == ANSWERED
    [confirmed] = [c for c in connected.emulator.calls_to("chat.postMessage") if c.args.get("thread_ts") == asked["ts"]]
    assert (confirmed.team, confirmed.status) == (BOSTON, 200)
