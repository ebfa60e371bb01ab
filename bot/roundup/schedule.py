"""When and where each workspace's weekly roundup is posted, in local time that survives DST.

A workspace's `/roundup settings` (day, time, zone, channel) win; without them the roundup runs
on ROUNDUP_CRON (read as crontab(5) reads it, bot/roundup/crontab.py) in BOT_TIMEZONE to ROUNDUP_CHANNEL. Occurrences are computed on the wall clock
(the crontab evaluated in a zone without DST) and only then placed in the real zone: a time that
does not exist that day (spring forward) moves forward by the gap, an ambiguous one (fall back)
takes its first instant. So "Monday 09:00 Chicago" is 09:00 in Chicago all year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.config import Settings
from bot.roundup.crontab import crontab_trigger, standard_fields
from storage.exchange import platform_of
from storage.roundup_settings import settings_of

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = dict(zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
                     strict=True))
LOOK = timedelta(days=8)  # every weekly schedule has an occurrence within this of any instant
MAX_OCCURRENCES = 20_000  # bounds the walk for a crontab that fires every minute


@dataclass(frozen=True)
class RoundupSchedule:
    team_id: str
    cron: str  # 5-field crontab, in `timezone`
    timezone: str
    channel_id: str
    post_quiet_weeks: bool = True
    custom: bool = False  # set with /roundup settings (else the deployment's defaults)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def weekly(self) -> tuple[str, str] | None:
        """(day, "HH:MM") when the crontab is one time on one day of the week."""
        minute, hour, monthday, month, weekday = standard_fields(self.cron)
        day = weekday.lower()
        if not (minute.isdigit() and hour.isdigit() and monthday == month == "*" and day in DAYS):
            return None
        return day, f"{int(hour):02d}:{int(minute):02d}"

    def describe(self) -> str:
        when = self.weekly()
        at = f"{DAY_NAMES[when[0]]}s at {when[1]}" if when else f"on `{self.cron}`"
        where = f"in <#{self.channel_id}>" if self.channel_id else "(no channel set)"
        quiet = "" if self.post_quiet_weeks else ", skipped in quiet weeks"
        return f"{at} {self.timezone} {where}{quiet}"


def fallback_channel(session: Session, settings: Settings, team_id: str) -> str:
    """ROUNDUP_CHANNEL, a Slack channel: a Teams tenant has no fallback (its settings name its channel)."""
    if settings.teams_app_id and platform_of(session, team_id) == "teams":
        return ""
    return settings.roundup_channel


def schedule_for(session: Session, settings: Settings, team_id: str) -> RoundupSchedule:
    row = settings_of(session, team_id)
    if row is None:
        return RoundupSchedule(team_id, settings.roundup_cron, settings.timezone,
                               fallback_channel(session, settings, team_id))
    hour, minute = row.time.split(":")
    return RoundupSchedule(team_id, f"{int(minute)} {int(hour)} * * {row.day}", row.timezone, row.channel_id,
                           row.post_quiet_weeks, custom=True)


def _wall(instant: datetime, zone: ZoneInfo) -> datetime:
    """`instant`'s local wall-clock reading, as a UTC-labelled datetime (a clock without DST)."""
    return instant.astimezone(zone).replace(tzinfo=UTC)


def _place(wall: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock reading as a real instant: gaps move forward, repeats take the first (fold=0)."""
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def occurrences(schedule: RoundupSchedule, start: datetime, end: datetime) -> list[datetime]:
    """The schedule's instants (UTC) in [start, end), in order."""
    zone = schedule.zone
    trigger = crontab_trigger(schedule.cron, timezone=UTC)
    wall_end = _wall(end, zone) + timedelta(hours=3)  # a gap can move an occurrence past `end`
    found: list[datetime] = []
    wall = trigger.get_next_fire_time(None, _wall(start, zone) - timedelta(hours=3))
    while wall is not None and wall < wall_end and len(found) < MAX_OCCURRENCES:
        instant = _place(wall, zone)
        if start <= instant < end and (not found or instant > found[-1]):
            found.append(instant)
        wall = trigger.get_next_fire_time(wall, wall + timedelta(seconds=1))
    return found


def latest_occurrence(schedule: RoundupSchedule, now: datetime) -> datetime | None:
    """The last occurrence at or before `now` (within a week and a day)."""
    found = occurrences(schedule, now - LOOK, now + timedelta(microseconds=1))
    return found[-1] if found else None


def next_occurrence(schedule: RoundupSchedule, now: datetime) -> datetime | None:
    found = occurrences(schedule, now + timedelta(microseconds=1), now + LOOK)
    return found[0] if found else None


def week_key(occurrence: datetime, zone: ZoneInfo) -> str:
    """The delivery key: one roundup per ISO week of the occurrence's local date."""
    year, week, _ = occurrence.astimezone(zone).isocalendar()
    return f"{year}-W{week:02d}"
