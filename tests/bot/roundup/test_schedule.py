"""Roundup occurrences in the workspace's zone: right across DST, crontab day numbers as cron means them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.roundup.crontab import crontab_trigger
from bot.roundup.schedule import (
    RoundupSchedule,
    latest_occurrence,
    next_occurrence,
    occurrences,
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


def fire_days(cron: str, days: int = 14) -> list[str]:
    """The local days a crontab fires on in two weeks from Sunday, November 22, 2026."""
    start = datetime(2026, 11, 22, 6, tzinfo=UTC)  # Sunday 00:00 in Chicago
    found = occurrences(schedule(cron), start, start + timedelta(days=days))
    return [f"{o.astimezone(ZoneInfo('America/Chicago')):%a %d}" for o in found]


@pytest.mark.parametrize(("cron", "days"), [
    ("0 9 * * 1", "Mon 23"),
    ("0 9 * * 0", "Sun 22"),
    ("0 9 * * 7", "Sun 22"),
    ("0 9 * * 0,7", "Sun 22"),
    ("0 9 * * 1-5", "Mon 23 Tue 24 Wed 25 Thu 26 Fri 27"),
    ("0 9 * * mon-fri", "Mon 23 Tue 24 Wed 25 Thu 26 Fri 27"),
    ("0 9 * * */2", "Sun 22 Tue 24 Thu 26 Sat 28"),  # crontab steps from Sunday = 0
    ("0 9 * * 1-5/2", "Mon 23 Wed 25 Fri 27"),
    ("0 9 * * mon-fri/2", "Mon 23 Wed 25 Fri 27"),
    ("0 9 * * 1/3", "Sun 22 Mon 23 Thu 26"),  # a start with a step runs to the end of the week (7 = Sunday)
    ("0 9 * * 5-7", "Sun 22 Fri 27 Sat 28"),
    ("0 9 * * fri-sun", "Sun 22 Fri 27 Sat 28"),
    ("0 9 * * SAT,2", "Tue 24 Sat 28"),
])
def test_day_of_week_fields_fire_on_the_days_crontab_means(cron: str, days: str) -> None:
    week = days.split(" ")
    expected = [" ".join(week[i:i + 2]) for i in range(0, len(week), 2)]
    assert fire_days(cron, days=7) == expected


def test_a_restricted_day_of_month_and_day_of_week_fire_on_either_as_in_crontab() -> None:
    # crontab(5): "if both fields are restricted, the command runs when either field matches"
    assert fire_days("0 9 1,24 * fri", days=14) == ["Tue 24", "Fri 27", "Tue 01", "Fri 04"]
    assert fire_days("0 9 */2 * fri", days=14) == ["Fri 27"]  # a field starting with * makes it "and"


@pytest.mark.parametrize("cron", ["0 9 * * 8", "0 9 * * 5-1", "0 9 * * */0", "0 9 * * mon/x", "0 9 * * funday",
                                  "0 9 * *", "61 9 * * mon"])
def test_a_crontab_crontab_would_refuse_is_refused(cron: str) -> None:
    with pytest.raises(ValueError):
        crontab_trigger(cron)


def test_weekly_crontabs_are_described_by_day_and_time() -> None:
    assert schedule("0 9 * * 1").describe() == "Mondays at 09:00 America/Chicago in <#C1>"
    assert schedule("30 7 * * 0").weekly() == ("sun", "07:30")
    assert schedule("0 9 * * 1-5").weekly() is None
    assert schedule("0 9 * * 1-5").describe() == "on `0 9 * * 1-5` America/Chicago in <#C1>"


def test_one_key_per_local_iso_week() -> None:
    zone = ZoneInfo("America/Los_Angeles")
    sunday_night = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # Sunday 22:00 in Los Angeles
    assert week_key(sunday_night, zone) == "2026-W48"
    assert week_key(datetime(2026, 11, 30, 17, 0, tzinfo=UTC), zone) == "2026-W49"
