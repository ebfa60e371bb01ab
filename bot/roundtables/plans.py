"""What a moderator asked for, read from the quick form or the modal, with precise complaints.

`/roundtable schedule <YYYY-MM-DD> <HH:MM> [<IANA zone>] [weekly|biweekly|monthly] <title>`
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.dates import day_text
from bot.roundtables.recurrence import LOCAL_FORMAT, MAX_AHEAD, RECURRENCES, exists, zone
from bot.roundtables.wording import WordingError, city_zones, read_zone_and_repeat
from bot.text import fit

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
TITLE_LIMIT = 150  # the reminder's header holds 150 characters
AGENDA_LIMIT = 2000
DEFAULT_REMINDERS = (1440, 60)  # 24 hours and 1 hour before
EXAMPLE_AHEAD = timedelta(days=10)  # help gives a date that is always ahead of the reader


def example_day(now: datetime | None) -> str:
    """A date for examples, relative to today (never one that has passed)."""
    return ((now or datetime.now(UTC)) + EXAMPLE_AHEAD).date().isoformat()


def quick_usage(now: datetime | None = None) -> str:
    return (f"Usage: `/roundtable schedule {example_day(now)} 15:00 America/Chicago biweekly Wireless downtown` "
            "(the time zone and the repeat are optional).")


@dataclass
class MeetingPlan:
    title: str
    starts_local: datetime  # naive wall-clock time in `timezone`
    timezone: str
    recurrence: str = "once"
    channel_id: str = ""
    agenda: str = ""
    reminder_minutes: list[int] = field(default_factory=lambda: list(DEFAULT_REMINDERS))
    video_url: str = ""


class PlanError(ValueError):
    """What was wrong, in a sentence fit to show the moderator; `field` names the modal block."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def parse_date(text: str, now: datetime | None = None) -> date:
    try:
        if DATE.match(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise PlanError(f"`{fit(text, 40)}` is not a date. Write it as YYYY-MM-DD, e.g. {example_day(now)}.", "date")


def parse_time(text: str) -> time:
    match = TIME.match(text)
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return time(int(match[1]), int(match[2]))
    raise PlanError(f"`{fit(text, 40)}` is not a time. Write it as 24-hour HH:MM, e.g. 15:00.", "time")


def parse_zone(text: str) -> ZoneInfo:
    tz = zone(text)
    if tz is None:
        raise PlanError(f"`{fit(text, 40)}` is not a time zone I know. Use an IANA name such as America/Chicago "
                        "or America/New_York.", "zone")
    return tz


def check_start(day: date, at: time, timezone: str, now: datetime) -> datetime:
    """The naive local start, if it exists in `timezone` and is still in the future."""
    tz = parse_zone(timezone)
    local = datetime.combine(day, at)
    shown = f"{day.isoformat()} {at:%H:%M}"
    if not exists(local, tz):
        later = local.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
        raise PlanError(f"{shown} does not exist in {timezone}: clocks jump forward an hour that night "
                        f"for daylight saving time. Pick another time, e.g. {later:%H:%M}.", "time")
    if local.replace(tzinfo=tz) <= now:
        raise PlanError(f"{shown} in {timezone} has already passed. Pick a time in the future.", "time")
    if local.replace(tzinfo=tz) > now + MAX_AHEAD:
        raise PlanError(f"Roundtables can be scheduled up to five years ahead (until "
                        f"{day_text((now + MAX_AHEAD).astimezone(tz))}). Pick an earlier date.", "date")
    return local


def check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise PlanError("Add a title, e.g. `... 15:00 Wireless downtown`.", "title")
    if len(title) > TITLE_LIMIT:
        raise PlanError(f"Keep the title under {TITLE_LIMIT} characters (it has {len(title)}).", "title")
    return title


def check_video(url: str) -> str:
    url = url.strip()
    if url and (not re.match(r"^https?://[^\s|<>]+$", url) or len(url) > 500):
        raise PlanError("The video link must be a web address starting with https://.", "video")
    return url


def parse_quick(text: str, *, now: datetime, default_zone: str, channel_id: str) -> MeetingPlan:
    """Read the quick form; raises PlanError naming what was wrong."""
    words = text.split()
    if len(words) < 2:
        raise PlanError(quick_usage(now))
    day, at = parse_date(words[0], now), parse_time(words[1])
    rest = words[2:]
    if rest and "/" in rest[0] and rest[0].lower() not in city_zones():
        parse_zone(rest[0])  # America/Chicgo: say so, never make it the title
    try:
        timezone, recurrence, rest = read_zone_and_repeat(rest, default_zone)
    except WordingError as error:
        raise PlanError(str(error), "zone") from None
    title = check_title(" ".join(rest))
    starts = check_start(day, at, timezone, now)
    return MeetingPlan(title=title, starts_local=starts, timezone=timezone, recurrence=recurrence,
                       channel_id=channel_id)


def encode_plan(plan: MeetingPlan) -> str:
    """A quick-form plan carried by its confirm button (under Slack's 2,000-character value)."""
    return json.dumps({"title": plan.title, "start": plan.starts_local.strftime(LOCAL_FORMAT),
                       "zone": plan.timezone, "repeat": plan.recurrence, "channel": plan.channel_id},
                      ensure_ascii=False, separators=(",", ":"))


def decode_plan(value: str, now: datetime) -> MeetingPlan:
    """The plan a confirm button carries, checked again (time has passed since it was shown)."""
    try:
        fields = json.loads(value)
        starts = datetime.strptime(fields["start"], LOCAL_FORMAT)
        title, timezone, recurrence, channel = (str(fields[k]) for k in ("title", "zone", "repeat", "channel"))
    except (ValueError, KeyError, TypeError):
        raise PlanError(quick_usage(now)) from None
    if recurrence not in RECURRENCES:
        raise PlanError(quick_usage(now))
    starts = check_start(starts.date(), starts.time(), timezone, now)
    return MeetingPlan(title=check_title(title), starts_local=starts, timezone=timezone, recurrence=recurrence,
                       channel_id=channel)
