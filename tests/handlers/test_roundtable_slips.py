"""The one-line `/roundtable schedule` reads zones and repeats as people write them, shows the
moderator what it understood, and tells the channel only once they confirm; cancel asks first."""

from __future__ import annotations

import pytest

from bot import payloads
from storage.roundtables import Roundtable
from tests.harness import MEMBER, MODERATOR, TestBot
from tests.roundtable_steps import CHANNEL, confirm_last, count_roundtables, reply_buttons

CHICAGO, DETROIT = "America/Chicago", "America/Detroit"  # U0MOD's own zone in the emulator is Detroit


def typed(bot: TestBot, text: str, user: str = MODERATOR) -> str:
    bot.command("/roundtable", f"schedule {text}", user=user, channel=CHANNEL)
    return bot.last_reply_text()


def stored(bot: TestBot) -> Roundtable:
    with bot.db.begin() as session:
        found = session.get(Roundtable, 1)
        assert found is not None
        return found


@pytest.mark.parametrize(("text", "zone", "shown", "rrule", "repeat"), [
    ("10:00 CST Budget", CHICAGO, "10:00 AM CST (America/Chicago)", "", "once"),
    ("10:00 Central biweekly Budget", CHICAGO, "10:00 AM CST", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
     "every two weeks on Tuesday"),
    ("10:00 every week Budget", DETROIT, "10:00 AM EST (America/Detroit)", "FREQ=WEEKLY;BYDAY=TU",
     "every week on Tuesday"),
    ("10:00 ET every two weeks Budget", "America/New_York", "10:00 AM EST", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
     "every two weeks"),
    ("10:00 monthly Pacific Time Budget", "America/Los_Angeles", "10:00 AM PST", "FREQ=MONTHLY;BYDAY=2TU",
     "monthly on the second Tuesday"),
    ("10:00 Mountain Standard Time every other week Budget", "America/Denver", "10:00 AM MST",
     "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "every two weeks"),
    ("10:00 AKT Budget", "America/Anchorage", "10:00 AM AKST", "", "once"),
    ("10:00 HT weekly Budget", "Pacific/Honolulu", "10:00 AM HST", "FREQ=WEEKLY;BYDAY=TU", "every week"),
    ("10:00 New York every 2 weeks Budget", "America/New_York", "10:00 AM EST", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
     "every two weeks"),
    ("10:00 Los Angeles Budget", "America/Los_Angeles", "10:00 AM PST", "", "once"),
    ("10:00 america/chicago weekly Budget", CHICAGO, "10:00 AM CST", "FREQ=WEEKLY;BYDAY=TU", "every week"),
])
def test_zones_and_repeats_as_people_write_them_are_understood_and_confirmed_first(
        bot: TestBot, text: str, zone: str, shown: str, rrule: str, repeat: str) -> None:
    answer = typed(bot, f"2027-01-12 {text}")
    assert "Nothing is scheduled or announced until you confirm." in answer
    assert "Title: *Budget*" in answer
    assert f"When: Tue, Jan 12, 2027 at {shown}" in answer
    assert f"Repeats: {repeat}" in answer
    assert count_roundtables(bot) == 0 and CHANNEL not in bot.emulator.messages
    assert confirm_last(bot, "Schedule and announce")
    meeting = stored(bot)
    assert (meeting.title, meeting.starts_local, meeting.timezone, meeting.rrule) == (
        "Budget", "2027-01-12T10:00", zone, rrule)
    [announcement] = bot.emulator.messages[CHANNEL]
    assert "scheduled a roundtable: *Budget*" in announcement["text"]
    assert bot.last_reply_text().startswith("Scheduled roundtable #1 *Budget*")


@pytest.mark.parametrize(("text", "expected"), [
    ("10:00 BST Budget", "`BST` looks like a time zone I do not know."),
    ("10:00 UTC+2 Budget", "`UTC+2` looks like a time zone I do not know."),
    ("10:00 every Tuesday Budget", "I did not understand the repeat `every Tuesday Budget`."),
    ("10:00 Central daily Budget", "I did not understand the repeat `daily Budget`."),
    ("10:00 quarterly Budget", "I did not understand the repeat `quarterly Budget`."),
    ("10:00 America/Chicgo Budget", "`America/Chicgo` is not a time zone I know."),
])
def test_a_zone_or_repeat_it_cannot_honour_is_refused_by_name(bot: TestBot, text: str, expected: str) -> None:
    answer = typed(bot, f"2027-01-12 {text}")
    assert answer.startswith(expected)
    assert reply_buttons(bot) == []
    assert count_roundtables(bot) == 0 and CHANNEL not in bot.emulator.messages


def test_discard_schedules_nothing(bot: TestBot) -> None:
    typed(bot, "2027-01-12 10:00 CST Budget")
    assert confirm_last(bot, "Discard")
    assert bot.last_reply_text() == "Discarded: nothing was scheduled."
    assert count_roundtables(bot) == 0 and CHANNEL not in bot.emulator.messages


def test_only_a_moderator_can_confirm(bot: TestBot) -> None:
    typed(bot, "2027-01-12 10:00 CST Budget")
    assert confirm_last(bot, "Schedule and announce", user=MEMBER)
    assert bot.last_reply_text().startswith("Only moderators can schedule")
    assert count_roundtables(bot) == 0


def test_a_confirmation_pressed_after_the_meeting_time_schedules_nothing(bot: TestBot) -> None:
    typed(bot, "2026-11-23 10:00 CST Budget")  # 16:00 UTC, two hours after the clock
    bot.clock.advance(hours=3)
    assert confirm_last(bot, "Schedule and announce")
    assert "has already passed" in bot.last_reply_text()
    assert count_roundtables(bot) == 0 and CHANNEL not in bot.emulator.messages


@pytest.mark.parametrize(("text", "label", "left"), [
    ("1", "Cancel the series", "No roundtables are scheduled."),
    ("1 --next", "Cancel the meeting", "Upcoming roundtables"),
])
def test_cancel_asks_first_and_only_the_confirmed_button_cancels(bot: TestBot, text: str, label: str,
                                                                 left: str) -> None:
    typed(bot, "2027-01-12 10:00 CST weekly Budget")
    confirm_last(bot, "Schedule and announce")
    bot.command("/roundtable", f"cancel {text}", user=MODERATOR, channel=CHANNEL)
    assert bot.last_reply_text().startswith("Cancel ")
    [button] = reply_buttons(bot)
    assert button["text"]["text"] == label and button["style"] == "danger"
    assert button["confirm"]["confirm"]["text"] == "Cancel it"
    assert len(bot.emulator.messages[CHANNEL]) == 1  # only the announcement: the channel was not told
    bot.command("/roundtable", "list", user=MEMBER)
    assert "*#1 Budget*" in bot.last_reply_text()  # still scheduled
    bot.command("/roundtable", f"cancel {text}", user=MODERATOR, channel=CHANNEL)
    assert confirm_last(bot, label)
    assert bot.last_reply_text().startswith("Cancelled")
    assert "is cancelled" in bot.emulator.messages[CHANNEL][-1]["text"]
    bot.command("/roundtable", "list", user=MEMBER)
    assert bot.last_reply_text().startswith(left)


def test_pressing_the_confirmation_twice_schedules_and_announces_once(bot: TestBot) -> None:
    typed(bot, "2027-01-12 10:00 CST Budget")
    [button, _] = reply_buttons(bot)
    for _press in range(2):
        bot.send(payloads.block_action(button["action_id"], button["value"], user=MODERATOR, channel=CHANNEL,
                                       response_url=bot.emulator.response_url("action"), ephemeral=True))
    assert count_roundtables(bot) == 1
    assert len(bot.emulator.messages[CHANNEL]) == 1
    assert bot.last_reply_text() == "Already scheduled as roundtable #1: `/roundtable list` shows it."
