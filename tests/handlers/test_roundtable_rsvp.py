"""RSVP buttons on reminders record each member's answer and update the reminders in place."""

from __future__ import annotations

from datetime import timedelta

from bot.roundtables.agenda import OpenQuestion
from storage.roundtables import RoundtableRsvp
from tests.harness import MEMBER, TestBot, flatten
from tests.roundtable_steps import CHANNEL, at, cancel, press, reminders_posted, schedule, utc

MEETING = utc(2026, 12, 3, 21)


def remind_twice(bot: TestBot) -> list[dict]:
    bot.emulator.add_user("U0COWNIE", real_name="Frank Cownie", profile={"display_name": "Frank Cownie"})
    schedule(bot, "2026-12-03 15:00 America/Chicago biweekly Wireless downtown")
    at(bot, MEETING - timedelta(hours=24))
    at(bot, MEETING - timedelta(hours=1))
    return reminders_posted(bot)


def rsvp_line(message: dict) -> str:
    return message["blocks"][-1]["elements"][0]["text"]


def test_pressing_going_updates_counts_and_names_on_every_reminder_in_place(bot: TestBot) -> None:
    first, second = remind_twice(bot)
    assert rsvp_line(first) == "*Going (0)* · *Maybe (0)* · *Can't (0)*"
    press(bot, second, "going", MEMBER)
    press(bot, second, "maybe", "U0COWNIE")
    updates = bot.emulator.calls_to("chat.update")
    assert {(c.args["channel"], c.args["ts"]) for c in updates} == {(CHANNEL, first["ts"]), (CHANNEL, second["ts"])}
    expected = "*Going (1)*: Dianah Neff · *Maybe (1)*: Frank Cownie · *Can't (0)*"
    assert [rsvp_line(m) for m in reminders_posted(bot)] == [expected, expected]
    assert len(reminders_posted(bot)) == 2  # updated, not re-posted


def test_changing_an_answer_moves_the_name_and_pressing_twice_counts_once(bot: TestBot) -> None:
    _, reminder = remind_twice(bot)
    press(bot, reminder, "going", MEMBER)
    press(bot, reminder, "going", MEMBER)
    press(bot, reminder, "no", MEMBER)
    assert rsvp_line(reminders_posted(bot)[-1]) == "*Going (0)* · *Maybe (0)* · *Can't (1)*: Dianah Neff"
    with bot.db.begin() as session:
        assert session.query(RoundtableRsvp).count() == 1


def test_rsvps_are_per_meeting(bot: TestBot) -> None:
    _, reminder = remind_twice(bot)
    press(bot, reminder, "going", MEMBER)
    at(bot, MEETING + timedelta(days=13))  # the 24-hour reminder of the next meeting, two weeks on
    assert rsvp_line(reminders_posted(bot)[-1]) == "*Going (0)* · *Maybe (0)* · *Can't (0)*"


def test_a_cancelled_meeting_refuses_rsvps_and_says_why(bot: TestBot) -> None:
    _, reminder = remind_twice(bot)
    cancel(bot, "1 --next")
    press(bot, reminder, "going", MEMBER)
    assert bot.last_reply_text() == "This meeting was cancelled or moved: see `/roundtable list`."
    assert not bot.emulator.calls_to("chat.update")


def test_the_reminder_lists_the_agenda_and_the_oldest_open_questions_from_mayors(bot: TestBot) -> None:
    asked = [OpenQuestion(f"Question {n} <!here>", "U0COWNIE", utc(2026, 11, n + 1), permalink="")
             for n in range(7, 0, -1)]

    def source(session, team_id, channel_id, limit):  # noqa: ANN001, ANN202 - the registered shape
        return asked if channel_id == CHANNEL else []

    bot.services.agenda_sources[:] = [source]
    schedule(bot, "2026-12-03 15:00 America/Chicago Budget roundtable")
    at(bot, MEETING - timedelta(hours=1))
    text = flatten(reminders_posted(bot)[-1])
    assert "*Open questions from mayors*\n• Question 1 &lt;!here&gt;\n• Question 2" in text
    assert "Question 5" in text and "Question 6" not in text  # at most five, oldest first
