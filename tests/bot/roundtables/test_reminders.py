"""Reminders: on time in local time across DST, once after downtime, once with two schedulers."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from bot import outbox
from bot.roundtables import meetings, reminders
from bot.services import Services
from bot.wiring import wire
from storage.db import Database
from storage.roundtables import Roundtable, active_roundtables
from tests.harness import FakeClock, TestBot, run_together
from tests.roundtable_steps import (
    at,
    cancel,
    delivery_rows,
    epoch_shown,
    keys_posted,
    reminders_posted,
    schedule,
    tick,
    utc,
)

BIWEEKLY_CHICAGO = "2026-10-22 15:00 America/Chicago biweekly Wireless downtown"


def test_a_biweekly_3pm_chicago_series_stays_at_3pm_across_both_dst_changes(bot: TestBot) -> None:
    bot.clock.now = utc(2026, 10, 15, 12)
    schedule(bot, BIWEEKLY_CHICAGO)
    with bot.db.begin() as session:
        starts = meetings.series(session.get(Roundtable, 1)).between(utc(2026, 10, 1), utc(2027, 4, 1))
    assert {f"{s:%H:%M}" for s in starts} == {"15:00"}
    assert [s.astimezone(utc(2026, 1, 1).tzinfo).strftime("%m-%d %H:%M") for s in starts] == [
        "10-22 20:00",  # CDT, UTC-5
        "11-05 21:00", "11-19 21:00", "12-03 21:00", "12-17 21:00", "12-31 21:00",  # CST after Nov 1
        "01-14 21:00", "01-28 21:00", "02-11 21:00", "02-25 21:00", "03-11 21:00",
        "03-25 20:00",  # CDT again after March 14
    ]


def test_reminders_go_out_at_the_right_instant_on_both_sides_of_dst(bot: TestBot) -> None:
    bot.emulator.clock = lambda: bot.clock.now.timestamp()
    bot.clock.now = utc(2026, 10, 15, 12)
    schedule(bot, BIWEEKLY_CHICAGO)
    for meeting in (utc(2026, 11, 5, 21), utc(2027, 3, 25, 20)):  # first meetings after each change
        before = len(reminders_posted(bot))
        assert at(bot, meeting - timedelta(hours=24, seconds=1)) == []
        assert [o.status for o in at(bot, meeting - timedelta(hours=24))] == ["sent"]
        assert at(bot, meeting - timedelta(hours=1, seconds=1)) == []
        assert [o.status for o in at(bot, meeting - timedelta(hours=1))] == ["sent"]
        posted = reminders_posted(bot)[before:]
        assert [epoch_shown(m) for m in posted] == [meeting, meeting]  # every reader's own local time
        assert "|Thu, " in posted[0]["blocks"][1]["text"]["text"]
        assert "at 3:00 PM C" in posted[0]["blocks"][1]["text"]["text"]  # CST, then CDT
        key = meeting.strftime("%Y%m%dT%H%MZ")
        assert keys_posted(bot)[-2:] == [f"1/{key}/1440m", f"1/{key}/60m"]


def test_after_downtime_a_meeting_not_started_gets_one_late_reminder(bot: TestBot) -> None:
    schedule(bot, "2026-12-03 15:00 America/Chicago weekly Wireless downtown")  # 21:00 UTC
    meeting = utc(2026, 12, 3, 21)
    # down from before the 24-hour reminder until 30 minutes before the meeting
    assert [o.status for o in at(bot, meeting - timedelta(minutes=30))] == ["sent"]
    assert keys_posted(bot) == ["1/20261203T2100Z/60m"]  # the latest one only, not one per missed slot
    assert tick(bot) == []
    at(bot, meeting + timedelta(minutes=5))
    assert len(reminders_posted(bot)) == 1


def test_a_reminder_left_waiting_by_a_crash_is_superseded_by_the_later_one(bot: TestBot, caplog) -> None:
    schedule(bot, "2026-12-03 15:00 America/Chicago weekly Wireless downtown")
    meeting = utc(2026, 12, 3, 21)
    bot.clock.now = meeting - timedelta(hours=24)
    reminders.enqueue_due_reminders(bot.services)  # the 24-hour reminder is queued, then the process dies
    with caplog.at_level(logging.INFO, logger="roundtable.outbox"):
        outcomes = at(bot, meeting - timedelta(minutes=20))
    assert sorted(o.status for o in outcomes) == ["sent", "skipped"]
    assert keys_posted(bot) == ["1/20261203T2100Z/60m"]
    assert "1/20261203T2100Z/1440m -> C0MAYORS skipped (attempt 1): superseded by the 60-minute reminder" \
        in caplog.text


def test_after_downtime_a_meeting_that_is_over_is_skipped_and_logged(bot: TestBot, caplog) -> None:
    schedule(bot, "2026-12-03 15:00 America/Chicago weekly Wireless downtown")
    bot.clock.now = utc(2026, 12, 2, 21)
    reminders.enqueue_due_reminders(bot.services)  # queued, never delivered: the bot went down
    with caplog.at_level(logging.INFO, logger="roundtable.outbox"):
        # back three weeks later, an hour after that week's meeting started
        assert {o.status for o in at(bot, utc(2026, 12, 24, 22))} == {"skipped"}
    assert reminders_posted(bot) == []
    skipped = [r for r in delivery_rows(bot) if r.status == "skipped"]
    assert [r.key for r in skipped] == ["1/20261203T2100Z/1440m", "1/20261224T2100Z/60m"]  # one per meeting
    assert caplog.text.count("skipped (attempt 1): expired before it could be posted") == 2
    assert [o.status for o in at(bot, utc(2026, 12, 30, 21))] == ["sent"]  # the next meeting is reminded
    assert keys_posted(bot) == ["1/20261231T2100Z/1440m"]


def test_a_roundtable_scheduled_late_gets_no_reminder_for_times_already_past(bot: TestBot) -> None:
    schedule(bot, "2026-11-23 10:00 America/Chicago Quick sync")  # 16:00 UTC, two hours away
    assert tick(bot) == []
    assert [o.status for o in at(bot, utc(2026, 11, 23, 15))] == ["sent"]
    assert keys_posted(bot) == ["1/20261123T1600Z/60m"]


def test_cancelled_meetings_are_never_reminded(bot: TestBot) -> None:
    schedule(bot, "2026-12-03 15:00 America/Chicago weekly Wireless downtown")
    at(bot, utc(2026, 12, 2, 21))  # 24-hour reminder for Dec 3 goes out
    cancel(bot, "1 --next")  # calls off Dec 3
    at(bot, utc(2026, 12, 3, 20))
    cancel(bot, "1")
    for day in (9, 10):
        at(bot, utc(2026, 12, day, 20, 30))
    assert keys_posted(bot) == ["1/20261203T2100Z/1440m"]


def test_two_schedulers_on_one_database_post_each_reminder_once(bot: TestBot) -> None:
    """Two scheduler processes (own engines, own pools) ticking at the same moments."""
    for n in range(8):
        schedule(bot, f"2026-12-0{1 + n % 4} {10 + n}:00 America/Chicago weekly Roundtable {n}")
    bot.emulator.latency = 0.005
    clock = FakeClock(utc(2026, 11, 23, 14))
    schedulers = [wire(Services(settings=bot.settings, db=Database(bot.settings.database_url),
                                client=bot.services.client, clock=clock)) for _ in range(2)]
    with bot.db.begin() as session:  # tick exactly when each reminder is due, as a 15 s ticker would
        moments = sorted({start - timedelta(minutes=m) for r in active_roundtables(session)
                          for start in meetings.series(r).between(clock.now, utc(2026, 12, 5))
                          for m in r.reminder_minutes})
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def run(services: Services) -> None:
        try:
            for moment in moments:
                if barrier.wait() == 0:
                    clock.now = moment
                barrier.wait()
                reminders.enqueue_due_reminders(services)
                outbox.deliver_due(services)
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)
            barrier.abort()

    try:
        run_together(run, schedulers)
    finally:
        for services in schedulers:
            services.db.dispose()
    assert not failures, failures
    keys = keys_posted(bot)
    assert len(keys) == len(set(keys)) == 16  # 8 meetings, two reminders each
