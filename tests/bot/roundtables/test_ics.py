"""`/roundtable ics <id>`: a calendar file that icalendar (as Outlook and Google would) reads back."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot import payloads
from bot.roundtables.modal import CALLBACK_ID
from tests.harness import MEMBER, MODERATOR, TestBot
from tests.roundtable_steps import cancel, modal_values, schedule

CHICAGO = ZoneInfo("America/Chicago")


def calendar_file(bot: TestBot, reference: str = "1") -> tuple[Calendar, dict]:
    bot.command("/roundtable", f"ics {reference}", user=MEMBER)
    [stored] = bot.emulator.files.values()
    return Calendar.from_ical(stored["content"]), stored


def test_the_calendar_file_has_the_rrule_the_zone_and_reaches_the_member_by_dm(bot: TestBot) -> None:
    values = modal_values(agenda="Hotspots & downtown", video="https://meet.example.org/wireless")
    bot.send(payloads.view_submission(CALLBACK_ID, values, user=MODERATOR))
    cancel(bot, "1 --next")
    calendar, stored = calendar_file(bot)

    assert (stored["name"], stored["channel"]) == ("roundtable-1.ics", "D0MEMBER")
    assert bot.last_reply_text().startswith("I sent you `roundtable-1.ics` in a direct message")
    [event] = calendar.walk("VEVENT")
    assert event["RRULE"] == {"FREQ": ["WEEKLY"], "INTERVAL": [2], "BYDAY": ["TH"]}
    assert event.decoded("DTSTART") == datetime(2026, 12, 3, 15, 0, tzinfo=CHICAGO)
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    assert event.decoded("DTEND") == datetime(2026, 12, 3, 16, 0, tzinfo=CHICAGO)
    assert [d.dt for d in event["EXDATE"].dts] == [datetime(2026, 12, 3, 15, 0, tzinfo=CHICAGO)]
    assert str(event["SUMMARY"]) == "Wireless downtown"
    assert "Hotspots & downtown" in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]) == "https://meet.example.org/wireless"
    [timezone] = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "America/Chicago"
    assert {c.name for c in timezone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert calendar.get_missing_tzids() == set()


def test_a_one_off_meeting_has_no_rrule(bot: TestBot) -> None:
    schedule(bot, "2026-12-03 09:30 America/New_York Open data")
    calendar, _ = calendar_file(bot)
    [event] = calendar.walk("VEVENT")
    assert "RRULE" not in event
    assert event.decoded("DTSTART") == datetime(2026, 12, 3, 9, 30, tzinfo=ZoneInfo("America/New_York"))


def test_ics_for_an_unknown_roundtable_says_so(bot: TestBot) -> None:
    bot.command("/roundtable", "ics 4", user=MEMBER)
    assert bot.last_reply_text() == "There is no roundtable #4 scheduled. `/roundtable list` shows them."
    bot.command("/roundtable", "ics", user=MEMBER)
    assert bot.last_reply_text() == "Usage: `/roundtable ics 3` (numbers from `/roundtable list`)."
    assert bot.emulator.files == {}
