"""The nudge job: one reminder per age step, only for questions nobody replied to, posted once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.questions.nudges import MAX_NUDGES, age_step, nudge_questions
from tests.exchange import CIO, PHILLY_CIO, WIRELESS, post, question, seed_exchange, thread_texts
from tests.harness import FakeClock, TestBot, flatten


@pytest.mark.parametrize(("hours", "step"), [(0, 0), (71, 0), (72, 1), (143, 1), (144, 2), (1000, 13)])
def test_age_steps_are_whole_multiples_of_the_nudge_days(clock: FakeClock, hours: int, step: int) -> None:
    assert age_step(clock.now, clock.now + timedelta(hours=hours), days=3) == step


def test_an_unanswered_question_is_nudged_once_per_age_step_naming_experts(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    replies = len(thread_texts(bot, asked["ts"]))

    bot.clock.advance(days=2, hours=23)
    assert nudge_questions(bot.services) == 0
    bot.clock.advance(hours=1)  # 3 days: QUESTION_NUDGE_DAYS' default
    assert nudge_questions(bot.services) == 1
    assert nudge_questions(bot.services) == 0  # the same step, another tick
    nudge = thread_texts(bot, asked["ts"])[-1]
    assert "waited 3 days" in nudge and f"<@{CIO}>" in nudge

    bot.clock.advance(days=3)
    assert nudge_questions(bot.services) == 1
    assert "waited 6 days" in thread_texts(bot, asked["ts"])[-1]
    bot.clock.advance(days=30)
    assert nudge_questions(bot.services) == 1  # after downtime: one nudge, not one per missed step
    bot.clock.advance(days=30)
    assert nudge_questions(bot.services) == 0  # MAX_NUDGES reached
    assert len(thread_texts(bot, asked["ts"])) == replies + MAX_NUDGES
    assert question(bot, asked["ts"]).nudged_step == MAX_NUDGES


def test_a_question_with_a_reply_is_not_nudged(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    post(bot, "A bond issue.", user=PHILLY_CIO, thread_ts=asked["ts"])
    bot.clock.advance(days=4)
    assert nudge_questions(bot.services) == 0


def test_two_tickers_on_one_database_post_each_nudge_once(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, WIRELESS)
    other = TestBot(bot.settings, bot.db, bot.emulator, bot.clock)  # a second clock process
    other.executor.shutdown(wait=True)
    bot.clock.advance(days=3)
    assert nudge_questions(bot.services) + nudge_questions(other.services) == 1
    assert sum("waited 3 days" in t for t in thread_texts(bot, asked["ts"])) == 1


def test_a_failed_nudge_is_retried_at_the_next_tick(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, "Has anyone found a good snow removal contractor?")  # no experts: a general call
    bot.clock.advance(days=3)
    bot.emulator.fail("chat.postMessage", error="channel_not_found")
    assert nudge_questions(bot.services) == 0
    assert nudge_questions(bot.services) == 1
    assert "Has your city tackled this?" in thread_texts(bot, asked["ts"])[-1]


def test_the_nudge_days_come_from_the_settings(bot: TestBot) -> None:
    from dataclasses import replace

    seed_exchange(bot)
    post(bot, WIRELESS)
    bot.services.settings = replace(bot.settings, question_nudge_days=1)
    bot.clock.advance(days=1)
    assert nudge_questions(bot.services) == 1


def test_a_backlog_is_spread_over_ticks_not_burst_into_one_channel(bot: TestBot) -> None:
    from bot.emulator import TEAM_ID
    from bot.questions.nudges import PER_CHANNEL_PER_RUN
    from storage.questions import add_question

    with bot.db.begin() as session:
        for n in range(PER_CHANNEL_PER_RUN + 2):
            add_question(session, TEAM_ID, "C0GENERAL", f"1.{n}", "U0COWNIE", f"Question {n}?", bot.clock.now)
        add_question(session, TEAM_ID, "C0OTHER", "2.0", "U0COWNIE", "Elsewhere?", bot.clock.now)
    bot.clock.advance(days=3)
    assert nudge_questions(bot.services) == PER_CHANNEL_PER_RUN + 1
    assert nudge_questions(bot.services) == 2


def test_a_dropped_connection_loses_no_nudge_and_stops_no_other_question(bot: TestBot) -> None:
    seed_exchange(bot)
    first = post(bot, "Has anyone found a good snow removal contractor?")
    second = post(bot, WIRELESS)
    bot.clock.advance(days=3)
    bot.emulator.fail("chat.postMessage", drop=True)  # the first nudge never reaches Slack
    assert nudge_questions(bot.services) == 1  # the other question still got its nudge
    assert any("waited 3 days" in t for t in thread_texts(bot, second["ts"]))
    assert nudge_questions(bot.services) == 1  # the lost one was given back and is posted now
    assert sum("Has your city tackled this?" in flatten(m) for m in bot.emulator.messages["C0GENERAL"]
               if m.get("thread_ts") == first["ts"]) == 1  # in Slack: once


def test_a_nudge_whose_answer_was_lost_is_found_in_its_thread_and_not_posted_again(bot: TestBot) -> None:
    seed_exchange(bot)
    asked = post(bot, "Has anyone found a good snow removal contractor?")
    bot.clock.advance(days=3)
    bot.emulator.fail("chat.postMessage", lose_response=True)  # posted, then the connection dropped
    assert nudge_questions(bot.services) == 1
    assert nudge_questions(bot.services) == 0
    assert sum("Has your city tackled this?" in t for t in thread_texts(bot, asked["ts"])) == 1
    assert sum("Has your city tackled this?" in flatten(m) for m in bot.emulator.messages["C0GENERAL"]) == 1
