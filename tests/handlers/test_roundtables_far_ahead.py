"""A meeting up to five years ahead works everywhere (schedule, list, edit, .ics, reminders);
later is refused with the limit, and nothing is stored."""

from __future__ import annotations

import json

import pytest

from bot import payloads
from bot.roundtables.modal import CALLBACK_ID
from tests.harness import MODERATOR, TestBot
from tests.roundtable_steps import at, count_roundtables, keys_posted, modal_values, schedule, utc

# FakeClock starts on Monday 2026-11-23 14:00 UTC.


@pytest.mark.parametrize("repeat", ["", "weekly "])
def test_a_meeting_years_ahead_is_scheduled_listed_edited_exported_and_reminded(bot: TestBot, repeat: str) -> None:
    reply = schedule(bot, f"2031-06-05 15:00 America/Chicago {repeat}Far ahead")  # 4.5 years: past 400 days
    assert reply.startswith("Scheduled roundtable #1 *Far ahead*"), reply
    bot.command("/roundtable", "list", user=MODERATOR)
    assert "Far ahead" in bot.last_reply_text()
    bot.command("/roundtable", "ics 1", user=MODERATOR)
    assert "roundtable-1.ics" in bot.last_reply_text()
    assert "DTSTART;TZID=America/Chicago:20310605T150000" in next(iter(bot.emulator.files.values()))["content"]
    bot.command("/roundtable", "edit 1", user=MODERATOR)
    view = bot.emulator.calls_to("views.open")[-1].args["view"]
    assert "2031-06-05" in (view if isinstance(view, str) else json.dumps(view))
    at(bot, utc(2031, 6, 4, 20, 0))  # 24 hours before, in UTC
    assert keys_posted(bot, "C0MAYORS")


def test_the_quick_form_refuses_a_meeting_more_than_five_years_ahead(bot: TestBot) -> None:
    reply = schedule(bot, "2032-01-15 15:00 America/Chicago Too far")
    assert reply.startswith("Roundtables can be scheduled up to five years ahead (until "), reply
    assert count_roundtables(bot) == 0


def test_the_modal_refuses_a_meeting_more_than_five_years_ahead_before_storing_it(bot: TestBot) -> None:
    response = bot.send(payloads.view_submission(CALLBACK_ID, modal_values(day="2040-01-05"), user=MODERATOR))
    answer = json.loads(response.body)
    assert answer["response_action"] == "errors" and "five years ahead" in answer["errors"]["date"]
    assert count_roundtables(bot) == 0
    response = bot.send(payloads.view_submission(CALLBACK_ID, modal_values(day="2029-01-04"), user=MODERATOR))
    assert response.status == 200 and not response.body
    assert count_roundtables(bot) == 1
    bot.command("/roundtable", "list", user=MODERATOR)
    assert "Wireless downtown" in bot.last_reply_text()
