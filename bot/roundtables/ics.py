"""A roundtable as an iCalendar file that Outlook and Google Calendar import.

The event keeps its local start with TZID, its RRULE and cancelled meetings as EXDATE, and the
calendar carries a VTIMEZONE for the zone so clients keep 3 pm Chicago at 3 pm Chicago.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event, vRecur

from bot.roundtables.recurrence import LOCAL_FORMAT, zone
from storage.roundtables import Roundtable

PRODID = "-//Roundtable//Mayors and CIOs roundtable//EN"
VTIMEZONE_YEARS = 10  # transitions written out past the first meeting (icalendar lists them one by one)


def filename(roundtable: Roundtable) -> str:
    return f"roundtable-{roundtable.id}.ics"


def build_ics(roundtable: Roundtable, now: datetime) -> bytes:
    tz = zone(roundtable.timezone)
    if tz is None:
        raise ValueError(f"unknown time zone {roundtable.timezone!r}")
    start = datetime.strptime(roundtable.starts_local, LOCAL_FORMAT).replace(tzinfo=tz)

    event = Event()
    event.add("uid", f"roundtable-{roundtable.id}-{roundtable.team_id}@roundtable")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("last-modified", roundtable.updated_at.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=roundtable.duration_minutes))
    event.add("summary", roundtable.title)
    description = roundtable.agenda.strip()
    if roundtable.video_url:
        description = f"{description}\n\nVideo call: {roundtable.video_url}".strip()
        event.add("location", roundtable.video_url)
        event.add("url", roundtable.video_url)
    if description:
        event.add("description", description)
    if roundtable.rrule:
        event.add("rrule", vRecur.from_ical(roundtable.rrule))
    if roundtable.cancelled_starts:
        event.add("exdate", [datetime.strptime(s, LOCAL_FORMAT).replace(tzinfo=tz)
                             for s in sorted(roundtable.cancelled_starts)])

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    first = start.date() - timedelta(days=1)
    calendar.add_missing_timezones(first_date=first, last_date=max(
        date(first.year + VTIMEZONE_YEARS, 1, 1), date(2038, 1, 1)))
    return calendar.to_ical()
