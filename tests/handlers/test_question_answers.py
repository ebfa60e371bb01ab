"""A ✅ on the question itself accepts a reply only when it is clear which one answered; otherwise
the asker is asked which, and the roundup credits whoever really answered. Both engines."""

from __future__ import annotations

import json

from bot import payloads
from storage.questions import ANSWERED, PENDING
from tests.exchange import CHANNEL, CIO, MAYOR, PHILLY_CIO, post, question, seed_exchange, thread_texts
from tests.harness import MODERATOR, TestBot, flatten

WIRELESS = "How did your city pay for wireless hotspots downtown?"


def check_mark_on_question(bot: TestBot, asked: dict, user: str = MAYOR) -> None:
    bot.event(payloads.reaction_added("white_check_mark", user=user, channel=CHANNEL, ts=asked["ts"]))


def test_a_moderators_follow_up_question_is_not_taken_as_the_answer(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    answer = post(bot, "A bond issue, then ads on the portal.", user=CIO, thread_ts=asked["ts"])
    post(bot, "Did the bond cover maintenance too?", user=MODERATOR, thread_ts=asked["ts"])
    check_mark_on_question(bot, asked)
    done = question(bot, asked["ts"])
    assert (done.status, done.answer_ts) == (ANSWERED, answer["ts"])
    assert f"accepted <@{CIO}>'s" in thread_texts(bot, asked["ts"])[-1]


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
    done = question(bot, asked["ts"])
    assert (done.status, done.answer_ts) == (ANSWERED, grant["ts"])
    assert f"accepted <@{PHILLY_CIO}>'s" in thread_texts(bot, asked["ts"])[-1]


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
