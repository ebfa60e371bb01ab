"""Occurrences in local time: RRULEs for each choice, DST gaps and overlaps, cancelled meetings."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.roundtables.recurrence import Series, build_rrule, describe, exists, recurrence_of, zone


@pytest.mark.parametrize(("choice", "first", "rrule", "words"), [
    ("once", date(2026, 12, 3), "", "once"),
    ("weekly", date(2026, 12, 3), "FREQ=WEEKLY;BYDAY=TH", "every week on Thursday"),
    ("biweekly", date(2026, 12, 3), "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "every two weeks on Thursday"),
    ("monthly", date(2026, 12, 8), "FREQ=MONTHLY;BYDAY=2TU", "monthly on the second Tuesday"),
    ("monthly", date(2026, 12, 29), "FREQ=MONTHLY;BYDAY=-1TU", "monthly on the last Tuesday"),
])
def test_each_choice_is_an_rrule_and_reads_back(choice: str, first: date, rrule: str, words: str) -> None:
    assert build_rrule(choice, first) == rrule
    assert recurrence_of(rrule) == choice
    assert describe(rrule, first) == words


def test_a_weekly_meeting_in_the_spring_forward_gap_moves_an_hour_later_that_week_only() -> None:
    series = Series.of("2027-03-07T02:30", "America/Chicago", "FREQ=WEEKLY;BYDAY=SU")
    starts = series.between(datetime(2027, 3, 1, tzinfo=UTC), datetime(2027, 3, 22, tzinfo=UTC))
    assert [f"{s:%m-%d %H:%M %Z}" for s in starts] == ["03-07 02:30 CST", "03-14 03:30 CDT", "03-21 02:30 CDT"]


def test_an_ambiguous_fall_back_time_takes_the_first() -> None:
    series = Series.of("2026-10-25T01:30", "America/New_York", "FREQ=WEEKLY;BYDAY=SU")
    starts = series.between(datetime(2026, 10, 30, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC))
    assert [s.astimezone(UTC).strftime("%m-%d %H:%M") for s in starts] == ["11-01 05:30"]  # 01:30 EDT


def test_a_cancelled_meeting_is_not_an_occurrence_and_the_next_one_follows() -> None:
    series = Series.of("2026-12-03T15:00", "America/Chicago", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
                       ["2026-12-03T15:00"])
    assert not series.includes(datetime(2026, 12, 3, 21, tzinfo=UTC))
    assert series.next_after(datetime(2026, 11, 23, tzinfo=UTC)) == datetime(2026, 12, 17, 21, tzinfo=UTC)


def test_the_next_meeting_after_a_dst_change_is_at_the_same_local_hour() -> None:
    series = Series.of("2026-10-29T15:00", "America/Chicago", "FREQ=WEEKLY;BYDAY=TH")  # 15:00 CDT, 20:00 UTC
    after_fall_back = series.next_after(datetime(2026, 11, 2, tzinfo=UTC))
    assert after_fall_back == datetime(2026, 11, 5, 21, tzinfo=UTC) and f"{after_fall_back:%H:%M %Z}" == "15:00 CST"


def test_zones_and_gaps() -> None:
    assert zone("America/Chicago") is not None
    assert zone("America/Chicgo") is None and zone("../etc/passwd") is None and zone("") is None
    assert not exists(datetime(2027, 3, 14, 2, 30), zone("America/Chicago"))
    assert exists(datetime(2026, 11, 1, 1, 30), zone("America/Chicago"))  # ambiguous, but exists
