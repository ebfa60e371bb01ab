"""A ✅ on the question itself accepts a reply only when it is clear which one answered; otherwise
the asker is asked which, and the roundup credits whoever really answered. Both engines."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot import payloads
from storage.practices import Practice
from storage.questions import ANSWERED, PENDING
from tests.exchange import (
    CHANNEL,
    CIO,
    MAYOR,
    PHILLY_CIO,
    WIRELESS,
    post,
    question,
    seed_exchange,
    submit_practice_form,
    thread_texts,
)
from tests.harness import MODERATOR, TestBot, flatten


def check_mark_on_question(bot: TestBot, asked: dict, user: str = MAYOR) -> None:
    bot.event(payloads.reaction_added("white_check_mark", user=user, channel=CHANNEL, ts=asked["ts"]))


def assert_accepted(bot: TestBot, asked: dict, reply: dict, answerer: str) -> None:
    """The question is answered by `reply`, and the thread says whose reply was accepted."""
    done = question(bot, asked["ts"])
    assert (done.status, done.answer_ts) == (ANSWERED, reply["ts"])
    assert f"accepted <@{answerer}>'s" in thread_texts(bot, asked["ts"])[-1]


def test_a_moderators_follow_up_question_is_not_taken_as_the_answer(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    answer = post(bot, "A bond issue, then ads on the portal.", user=CIO, thread_ts=asked["ts"])
    post(bot, "Did the bond cover maintenance too?", user=MODERATOR, thread_ts=asked["ts"])
    check_mark_on_question(bot, asked)
    assert_accepted(bot, asked, answer, CIO)


def test_when_several_replies_could_be_the_answer_the_asker_is_asked_which(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    post(bot, "A bond issue, then ads on the portal.", user=CIO, thread_ts=asked["ts"])
    grant = post(bot, "A state grant, in Philadelphia.", user=PHILLY_CIO, thread_ts=asked["ts"])
    posted_before = len(thread_texts(bot, asked["ts"]))
    check_mark_on_question(bot, asked)

    assert question(bot, asked["ts"]).status == PENDING  # nothing accepted, nothing said in the channel
    assert len(thread_texts(bot, asked["ts"])) == posted_before
    ask = bot.emulator.calls_to("chat.postEphemeral")[-1].args
    assert ask["user"] == MAYOR and ask["thread_ts"] == asked["ts"]
    assert "Which reply answered your question?" in flatten(ask)
    blocks = json.loads(ask["blocks"]) if isinstance(ask["blocks"], str) else ask["blocks"]
    values = [b["accessory"]["value"] for b in blocks if "accessory" in b]
    tracked = question(bot, asked["ts"])
    assert values == [f"{tracked.id}:{r['ts']}" for r in question_replies(bot, asked)]

    bot.send(payloads.block_action("question_mark_answered", values[1], user=MAYOR, channel=CHANNEL,
                                   response_url=bot.emulator.response_url("action"), ephemeral=True))
    assert_accepted(bot, asked, grant, PHILLY_CIO)


def test_a_moderator_closing_from_home_with_several_replies_is_asked_too(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    post(bot, "A bond issue, then ads on the portal.", user=CIO, thread_ts=asked["ts"])
    post(bot, "A state grant, in Philadelphia.", user=PHILLY_CIO, thread_ts=asked["ts"])
    tracked = question(bot, asked["ts"])
    bot.send(payloads.block_action("question_mark_answered", str(tracked.id), user=MODERATOR, channel=CHANNEL,
                                   response_url=bot.emulator.response_url("action")))
    assert question(bot, asked["ts"]).status == PENDING
    assert "I asked you which one" in bot.last_reply_text()
    assert bot.emulator.calls_to("chat.postEphemeral")[-1].args["user"] == MODERATOR


def question_replies(bot: TestBot, asked: dict) -> list[dict]:
    return [m for m in bot.emulator.messages[CHANNEL]
            if m.get("thread_ts") == asked["ts"] and m["ts"] != asked["ts"] and m.get("user") in (CIO, PHILLY_CIO)]


def save_answer_as_practice(bot: TestBot, asked: dict, saver: str) -> Practice:
    """The saver presses *Save as practice* under the confirmation and submits the form as opened."""
    from bot.render.slack_forms import form_of

    tracked = question(bot, asked["ts"])
    bot.send(payloads.block_action("question_save_practice", str(tracked.id), user=saver, channel=CHANNEL,
                                   response_url=bot.emulator.response_url("action")))
    view = bot.emulator.calls_to("views.open")[-1].args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    fields = {f.key: f for f in form_of(view).fields()}
    assert fields["city"].value == "Detroit"  # the answerer's city, whoever saves it
    return submit_practice_form(bot, view, saver)


@pytest.mark.parametrize("saver", [MAYOR, MODERATOR])
def test_save_as_practice_credits_who_answered_records_who_asked_and_who_saved(bot: TestBot, saver: str) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    answer = post(bot, "A bond issue, then ads on the city portal.", user=CIO, thread_ts=asked["ts"])
    check_mark_on_question(bot, asked)
    saved = save_answer_as_practice(bot, asked, saver)
    assert (saved.user_id, saved.city, saved.asked_by, saved.saved_by) == (CIO, "Detroit", MAYOR, saver)
    assert saved.solution == answer["text"]
    card = next(m for m in bot.emulator.messages[CHANNEL] if m.get("ts") == saved.message_ts)
    text = flatten(card)
    assert f"answered by <@{CIO}> (CIO, Detroit)" in text and f"asked by <@{MAYOR}>" in text
    assert (f"saved by <@{saver}>" in text) == (saver != MAYOR)
    bot.command("/practice", f"edit {saved.id}", user=saver, channel=CHANNEL)  # whoever saved it may fix it
    assert bot.emulator.calls_to("views.open")[-1].args["view"]


def test_a_practice_shared_directly_has_no_asker(bot: TestBot) -> None:
    seed_exchange(bot)
    bot.command("/practice", "Wireless hotspots downtown. Free wifi drew young people.", user=CIO, channel=CHANNEL)
    with bot.db.begin() as session:
        shared = session.scalars(select(Practice).where(Practice.title == "Wireless hotspots downtown")).one()
        assert (shared.user_id, shared.asked_by, shared.saved_by) == (CIO, "", "")
