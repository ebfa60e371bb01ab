"""Roundup occurrences in the workspace's zone: right across DST, crontab day numbers as cron means them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.roundup.schedule import (
    RoundupSchedule,
    latest_occurrence,
    next_occurrence,
    occurrences,
    standard_crontab,
    week_key,
)


def schedule(cron: str = "0 9 * * mon", zone: str = "America/Chicago") -> RoundupSchedule:
    return RoundupSchedule("T1", cron, zone, "C1")


def test_nine_oclock_monday_stays_nine_oclock_local_across_dst() -> None:
    found = occurrences(schedule(), datetime(2026, 2, 23, tzinfo=UTC), datetime(2026, 3, 17, tzinfo=UTC))
    local = [f"{o.astimezone(ZoneInfo('America/Chicago')):%a %m-%d %H:%M}" for o in found]
    assert local == ["Mon 02-23 09:00", "Mon 03-02 09:00", "Mon 03-09 09:00", "Mon 03-16 09:00"]
    assert [o.hour for o in found] == [15, 15, 14, 14]  # CST, then CDT after March 8


def test_a_time_that_does_not_exist_moves_forward_and_a_repeated_one_fires_once() -> None:
    spring = occurrences(schedule("30 2 * * *", "America/New_York"),
                         datetime(2026, 3, 8, tzinfo=UTC), datetime(2026, 3, 9, tzinfo=UTC))
    assert [f"{o.astimezone(ZoneInfo('America/New_York')):%H:%M}" for o in spring] == ["03:30"]
    autumn = occurrences(schedule("30 1 * * *", "America/New_York"),
                         datetime(2026, 11, 1, 4, tzinfo=UTC), datetime(2026, 11, 2, 4, tzinfo=UTC))
    assert autumn == [datetime(2026, 11, 1, 5, 30, tzinfo=UTC)]  # 01:30 EDT, the first of the two


def test_latest_and_next_occurrence() -> None:
    monday_10am_chicago = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    assert latest_occurrence(schedule(), monday_10am_chicago) == datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    assert next_occurrence(schedule(), monday_10am_chicago) == datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    assert latest_occurrence(schedule(), datetime(2026, 11, 23, 15, 0, tzinfo=UTC)) == datetime(
        2026, 11, 23, 15, 0, tzinfo=UTC)


def test_crontab_day_numbers_count_from_sunday() -> None:
    assert standard_crontab("0 9 * * 1") == "0 9 * * mon"
    assert standard_crontab("0 9 * * 1-5") == "0 9 * * mon-fri"
    assert standard_crontab("0 9 * * 0,7") == "0 9 * * sun,sun"
    assert standard_crontab("0 9 * * */2") == "0 9 * * */2"
    [found] = occurrences(schedule("0 9 * * 1"), datetime(2026, 11, 22, tzinfo=UTC),
                          datetime(2026, 11, 29, tzinfo=UTC))
    assert found.astimezone(ZoneInfo("America/Chicago")).strftime("%A") == "Monday"
    assert schedule("0 9 * * 1").describe() == "Mondays at 09:00 America/Chicago in <#C1>"


def test_one_key_per_local_iso_week() -> None:
    zone = ZoneInfo("America/Los_Angeles")
    sunday_night = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # Sunday 22:00 in Los Angeles
    assert week_key(sunday_night, zone) == "2026-W48"
    assert week_key(datetime(2026, 11, 30, 17, 0, tzinfo=UTC), zone) == "2026-W49"
