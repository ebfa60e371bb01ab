"""When a roundtable meets: an RFC 5545 RRULE over a local start in an IANA zone.

Occurrences are computed on local wall-clock time (dateutil.rrule on zoneinfo-aware datetimes),
so a 3 pm Chicago meeting stays 3 pm in Chicago across daylight saving changes; cron and
APScheduler's triggers drift or repeat there (shared/reference/scheduling-and-storage.md).
A local time that does not exist on some day (the spring-forward gap) shifts forward; an
ambiguous one (fall back) takes the first, which is what zoneinfo does with fold=0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr

RECURRENCES = {  # value -> label in the modal and in lists
    "once": "Once",
    "weekly": "Every week",
    "biweekly": "Every two weeks",
    "monthly": "Monthly, same weekday",
}
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"  # how a local start is stored
KEY_FORMAT = "%Y%m%dT%H%MZ"  # an occurrence's UTC instant, in delivery keys and RSVP rows
MAX_AHEAD = timedelta(days=5 * 366)  # a roundtable's first meeting may be up to five years ahead


def zone(name: str) -> ZoneInfo | None:
    """The IANA zone called `name`, or None when there is no such zone (every zone a member or a
    setting names is read here: `America/Indiana` is a directory of zones, not one)."""
    if not name or name.startswith(("/", ".")) or ".." in name or "\x00" in name or len(name) > 64:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: IsADirectoryError, PermissionError
        return None


def exists(local: datetime, tz: ZoneInfo) -> bool:
    """False for a wall-clock time skipped by a daylight saving change (e.g. 2:30 am on the
    spring-forward night)."""
    aware = local.replace(tzinfo=tz)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == local.replace(tzinfo=None)


def weekday_ordinal(day: date) -> int:
    """Which weekday of its month `day` is: 1-4, or -1 when it is the fifth (so: the last)."""
    n = (day.day - 1) // 7 + 1
    return -1 if n == 5 else n


RRULES = {"weekly": "FREQ=WEEKLY;BYDAY={day}", "biweekly": "FREQ=WEEKLY;INTERVAL=2;BYDAY={day}",
          "monthly": "FREQ=MONTHLY;BYDAY={ordinal}{day}"}  # each recurrence but "once"
SAID = {"weekly": "every week on {day}", "biweekly": "every two weeks on {day}",
        "monthly": "monthly on the {ordinal} {day}"}  # how describe() reads them


def build_rrule(recurrence: str, first: date) -> str:
    """The RRULE for a recurrence choice starting on `first` ("" for a one-off meeting)."""
    if recurrence == "once":
        return ""
    if recurrence not in RRULES:
        raise ValueError(f"unknown recurrence {recurrence!r}")
    return RRULES[recurrence].format(day=WEEKDAYS[first.weekday()], ordinal=weekday_ordinal(first))


def recurrence_of(rrule: str) -> str:
    """The recurrence choice an RRULE came from (for the edit modal)."""
    parts = dict(p.split("=", 1) for p in rrule.split(";") if "=" in p)
    if not parts:
        return "once"
    if parts.get("FREQ") == "MONTHLY":
        return "monthly"
    return "biweekly" if parts.get("INTERVAL") == "2" else "weekly"


def describe(rrule: str, first: date) -> str:
    """"every two weeks on Thursday", "monthly on the last Thursday", "once"."""
    said = SAID.get(recurrence_of(rrule), "once")
    return said.format(day=f"{first:%A}", ordinal=ORDINALS[weekday_ordinal(first)])


def occurrence_key(start: datetime) -> str:
    return start.astimezone(UTC).strftime(KEY_FORMAT)


def parse_occurrence_key(key: str) -> datetime:
    return datetime.strptime(key, KEY_FORMAT).replace(tzinfo=UTC)


@dataclass(frozen=True)
class Series:
    """A roundtable's occurrences: local start, zone, RRULE, and the occurrences cancelled one by one."""

    first: datetime  # naive local wall-clock time of the first meeting
    tz: ZoneInfo
    rrule: str = ""
    cancelled: frozenset[str] = field(default_factory=frozenset)  # local starts, LOCAL_FORMAT

    @classmethod
    def of(cls, starts_local: str, timezone: str, rrule: str, cancelled: list[str] | None = None) -> Series:
        tz = zone(timezone)
        if tz is None:
            raise ValueError(f"unknown time zone {timezone!r}")
        return cls(datetime.strptime(starts_local, LOCAL_FORMAT), tz, rrule, frozenset(cancelled or ()))

    def _starts(self, after: datetime, before: datetime) -> list[datetime]:
        dtstart = self.first.replace(tzinfo=self.tz)
        if not self.rrule:
            candidates = [dtstart] if after <= dtstart <= before else []
        else:
            candidates = rrulestr(self.rrule, dtstart=dtstart).between(after, before, inc=True)
        return [start for start in candidates if start.strftime(LOCAL_FORMAT) not in self.cancelled]

    def between(self, after: datetime, before: datetime) -> list[datetime]:
        """Occurrences starting within [after, before] (aware), as aware local datetimes."""
        return [_normalized(start) for start in self._starts(after, before)]

    def next_after(self, moment: datetime) -> datetime | None:
        """The first occurrence starting strictly after `moment`."""
        dtstart = self.first.replace(tzinfo=self.tz)
        if not self.rrule:
            start = _normalized(dtstart)
            return start if start > moment and dtstart.strftime(LOCAL_FORMAT) not in self.cancelled else None
        rule = rrulestr(self.rrule, dtstart=dtstart)
        candidate = rule.after(moment - timedelta(hours=3))  # a gap time normalizes up to an hour later
        for _ in range(len(self.cancelled) + 8):  # however far ahead: no search window hides a meeting
            if candidate is None:
                return None
            if candidate.strftime(LOCAL_FORMAT) not in self.cancelled and _normalized(candidate) > moment:
                return _normalized(candidate)
            candidate = rule.after(candidate)
        return None

    def includes(self, start: datetime) -> bool:
        """Whether an occurrence starts exactly at instant `start` (not cancelled, not rescheduled)."""
        return any(s == start for s in self.between(start - timedelta(hours=3), start + timedelta(hours=3)))

    def local_label(self, start: datetime) -> str:
        """The stored form of an occurrence's local start (used to cancel one occurrence)."""
        for candidate in self._starts(start - timedelta(hours=3), start + timedelta(hours=3)):
            if _normalized(candidate) == start:
                return candidate.strftime(LOCAL_FORMAT)
        raise ValueError("not an occurrence of this series")


def _normalized(start: datetime) -> datetime:
    """A generated local time made real: in the spring-forward gap it moves to the later offset."""
    return start.astimezone(UTC).astimezone(start.tzinfo)
