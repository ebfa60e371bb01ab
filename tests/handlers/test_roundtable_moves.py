"""Editing a roundtable's time: a later meeting of the same series moves the series, a new time
is announced in the channel, and the reminders follow the new time. Both engines."""

from __future__ import annotations

from bot import payloads
from bot.roundtables.modal import CALLBACK_ID
from storage.roundtables import Roundtable
from tests.harness import MODERATOR, TestBot, payloads_json
from tests.roundtable_steps import CHANNEL, at, epoch_shown, modal_values, reminders_posted, schedule, utc


def edit(bot: TestBot, **changes: str) -> None:
    """`/roundtable edit 1`, change the form's fields, submit."""
    bot.command("/roundtable", "edit 1", user=MODERATOR, channel=CHANNEL)
    view = payloads_json(bot.emulator.calls_to("views.open")[-1].args["view"])
    fields = {"title": "Wireless downtown", "day": "2026-12-03", "time": "15:00", "recurrence": "weekly",
              **changes}
    response = bot.send(payloads.view_submission(CALLBACK_ID, modal_values(**fields), user=MODERATOR,
                                                 private_metadata=view["private_metadata"]))
    assert response.status == 200 and "errors" not in (response.body or "")


def stored(bot: TestBot) -> Roundtable:
    with bot.db.begin() as session:
        found = session.get(Roundtable, 1)
        assert found is not None
        return found


def channel_texts(bot: TestBot) -> list[str]:
    return [m.get("text", "") for m in bot.emulator.messages.get(CHANNEL, [])]


def test_moving_a_weekly_meeting_to_a_later_week_moves_the_series_and_tells_the_channel(bot: TestBot) -> None:
    schedule(bot, "2026-12-03 15:00 America/Chicago weekly Wireless downtown")
    edit(bot, day="2026-12-10")
    meeting = stored(bot)
    assert meeting.starts_local == "2026-12-10T15:00"
    bot.command("/roundtable", "list", user=MODERATOR)
    assert "<!date^1796936400^" in bot.last_reply_text()  # 2026-12-10 15:00 Chicago
    [moved] = [t for t in channel_texts(bot) if "has moved" in t]
    assert "*Wireless downtown* has moved: next <!date^1796936400^" in moved
    assert "(it was <!date^1796331600^" in moved  # 2026-12-03 15:00 Chicago

    assert at(bot, utc(2026, 12, 2, 21, 5)) == []  # no reminder for the dropped Dec 3 meeting
    at(bot, utc(2026, 12, 9, 21, 5))
    [reminder] = reminders_posted(bot)
    assert epoch_shown(reminder) == utc(2026, 12, 10, 21, 0)


def test_a_new_time_is_announced_and_the_queued_reminder_follows_it(bot: TestBot) -> None:
    schedule(bot, "2026-12-03 15:00 America/Chicago weekly Wireless downtown")
    bot.clock.now = utc(2026, 12, 2, 21, 5)  # the 24-hour reminder is due...
    from bot.roundtables import reminders
    reminders.enqueue_due_reminders(bot.services)  # ...and queued, not yet posted
    edit(bot, time="16:00")
    assert any("has moved: next <!date^1796335200^" in t for t in channel_texts(bot))  # 16:00 Chicago
    at(bot, utc(2026, 12, 2, 21, 10))
    assert reminders_posted(bot) == []  # the reminder queued for 15:00 is not posted
    at(bot, utc(2026, 12, 3, 21, 0))  # the 1-hour reminder before 16:00
    [reminder] = reminders_posted(bot)
    assert epoch_shown(reminder) == utc(2026, 12, 3, 22, 0)


def test_a_new_title_alone_does_not_tell_the_channel(bot: TestBot) -> None:
    schedule(bot, "2026-12-03 15:00 America/Chicago weekly Wireless downtown")
    edit(bot, title="Wireless downtown, year two")
    assert stored(bot).starts_local == "2026-12-03T15:00"
    assert not any("has moved" in t for t in channel_texts(bot))
