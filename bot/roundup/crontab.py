"""ROUNDUP_CRON as crontab(5) means it, on APScheduler 3's CronTrigger.

Two things differ: APScheduler counts days of the week from Monday = 0 (crontab: Sunday = 0 and
7), so `*/2` or `1-5/2` step over other days; and when both the day of the month and the day of
the week are restricted, crontab fires on either, APScheduler only on both. So the day-of-week
field is expanded here into day names, and an either-field crontab becomes two triggers.
"""

from __future__ import annotations

from datetime import tzinfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger

CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # crontab numbering: 0 and 7 are Sunday


def _day(value: str, *, last: bool = False) -> int:
    if value.isdigit() and int(value) <= 7:
        return int(value)
    if value in CRON_DAYS:
        return 7 if last and value == "sun" else CRON_DAYS.index(value)
    raise ValueError(f"{value!r} is not a day of the week (0-7 or sun-sat)")


def weekdays(field: str) -> str:
    """A crontab day-of-week field as the APScheduler day names it means, e.g. `*/2` -> `sun,tue,thu,sat`."""
    if field == "*":
        return field
    days: set[int] = set()
    for item in field.lower().split(","):
        span, slash, step_text = item.partition("/")
        if slash and not (step_text.isdigit() and int(step_text) > 0):
            raise ValueError(f"{item!r}: a step is a whole number from 1")
        if span == "*":
            first, last = 0, 7
        elif "-" in span:
            low, _, high = span.partition("-")
            first, last = _day(low), _day(high, last=True)
        else:
            first = _day(span)
            last = 7 if slash else first  # `1/3`, as cron implementations read it: from 1 to the end
        if first > last:
            raise ValueError(f"{item!r}: a range runs from its lower day to its higher")
        days.update(d % 7 for d in range(first, last + 1, int(step_text) if slash else 1))
    return ",".join(CRON_DAYS[d] for d in sorted(days))


def standard_fields(cron: str) -> list[str]:
    """The five fields, the day of the week spelled as names."""
    fields = cron.split()
    if len(fields) != 5:
        raise ValueError(f"{len(fields)} fields, a crontab has 5 (minute hour day month weekday)")
    fields[4] = weekdays(fields[4])
    return fields


def crontab_trigger(cron: str, timezone: tzinfo | str = "UTC") -> BaseTrigger:
    """A trigger that fires when crontab(5) would run `cron`. Raises ValueError for what cron would refuse."""
    minute, hour, day, month, day_of_week = standard_fields(cron)

    def trigger(day: str, day_of_week: str) -> CronTrigger:
        return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=day_of_week,
                           timezone=timezone)

    if cron.split()[2].startswith("*") or cron.split()[4].startswith("*"):
        return trigger(day, day_of_week)
    return OrTrigger([trigger(day, "*"), trigger("*", day_of_week)])
