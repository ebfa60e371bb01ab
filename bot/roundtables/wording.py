"""Time zones and repeats as people write them in the one-line `/roundtable schedule`.

`10:00 CST Budget`, `10:00 Central biweekly Budget`, `10:00 New York every two weeks Budget`:
the zone and the repeat are read off the front of the words after the time, in either order;
what is left is the title. A word that looks like a zone or a repeat but is not one we can
honour is refused by name, never folded into the title.
"""

from __future__ import annotations

import re
from functools import cache
from zoneinfo import available_timezones

from bot.roundtables.recurrence import zone

US_ZONES = {  # what Americans write -> the IANA zone whose wall clock they mean (CST in July: Chicago)
    "America/New_York": ("eastern", "et", "est", "edt"),
    "America/Chicago": ("central", "ct", "cst", "cdt"),
    "America/Denver": ("mountain", "mt", "mst", "mdt"),
    "America/Phoenix": ("arizona",),
    "America/Los_Angeles": ("pacific", "pt", "pst", "pdt"),
    "America/Halifax": ("atlantic", "ast", "adt"),
    "America/Anchorage": ("alaska", "akt", "akst", "akdt"),
    "Pacific/Honolulu": ("hawaii", "ht", "hst", "hdt"),
    "UTC": ("utc", "gmt", "z"),
}
ALIASES = {alias: name for name, aliases in US_ZONES.items() for alias in aliases}
TIME_WORDS = ({"standard", "daylight"}, {"time"})  # "Central Standard Time", "Eastern Time"
REPEATS = {  # words -> recurrence value
    ("once",): "once", ("one-off",): "once", ("one", "time"): "once",
    ("weekly",): "weekly", ("every", "week"): "weekly",
    ("biweekly",): "biweekly", ("bi-weekly",): "biweekly", ("fortnightly",): "biweekly",
    ("every", "two", "weeks"): "biweekly", ("every", "2", "weeks"): "biweekly",
    ("every", "other", "week"): "biweekly",
    ("monthly",): "monthly", ("every", "month"): "monthly",
}
UNSUPPORTED_REPEAT = re.compile(r"^(daily|every|quarterly|yearly|annually|semi-?monthly|bimonthly|"
                                r"twice|each)$", re.IGNORECASE)
ZONE_LIKE = re.compile(r"^(?:[A-Z]{1,3}[SD]T|(?:UTC|GMT)?[+-]\d{1,2}(?::?\d{2})?)$")  # BST, CEST, UTC+2
REPEAT_HELP = "I can repeat a roundtable weekly, every two weeks (biweekly) or monthly (same weekday)."


class WordingError(ValueError):
    """A zone or repeat we recognise as one but cannot use, in a sentence for the moderator."""


@cache
def city_zones() -> dict[str, str]:
    """`new york` -> America/New_York, `america/chicago` -> America/Chicago (unique cities only)."""
    found: dict[str, str] = {}
    clashes: set[str] = set()
    for name in available_timezones():
        if "/" not in name or name.startswith(("Etc/", "SystemV/", "US/")):
            continue
        found[name.lower()] = name
        city = name.rsplit("/", 1)[1].replace("_", " ").lower()
        if city in found and found[city] != name:
            clashes.add(city)
        found[city] = name
    return {key: value for key, value in found.items() if key not in clashes}


def _take_zone(words: list[str]) -> tuple[str, int] | None:
    """(IANA zone, words used) for a zone at the front of `words`."""
    first = words[0].lower().rstrip(",")
    if first in ALIASES:
        used = 1
        for optional in TIME_WORDS:
            if used < len(words) and words[used].lower().rstrip(",") in optional:
                used += 1
        return ALIASES[first], used
    cities = city_zones()
    for size in (3, 2, 1):
        key = " ".join(w.lower() for w in words[:size]).rstrip(",")
        if len(words) >= size and key in cities and zone(cities[key]) is not None:
            return cities[key], size
    return None


def _take_repeat(words: list[str]) -> tuple[str, int] | None:
    lowered = [w.lower().rstrip(",") for w in words]
    for size in (3, 2, 1):
        if (repeat := REPEATS.get(tuple(lowered[:size]))) is not None and len(words) >= size:
            return repeat, size
    return None


def read_zone_and_repeat(words: list[str], default_zone: str) -> tuple[str, str, list[str]]:
    """(zone, recurrence, the title's words) from the words after the time; raises WordingError."""
    timezone, recurrence = "", ""
    while words:
        if not timezone and (taken := _take_zone(words)):
            timezone, words = taken[0], words[taken[1]:]
        elif not recurrence and (repeat := _take_repeat(words)):
            recurrence, words = repeat[0], words[repeat[1]:]
        else:
            break
    if words and ZONE_LIKE.match(words[0]) and not timezone:
        raise WordingError(f"`{words[0][:20]}` looks like a time zone I do not know. Write a US zone (CT, "
                           "Eastern, PST...), a city (Chicago, New York) or an IANA name (America/Chicago).")
    if words and UNSUPPORTED_REPEAT.match(words[0].rstrip(",")) and not recurrence:
        raise WordingError(f"I did not understand the repeat `{' '.join(words[:3])[:40]}`. {REPEAT_HELP}")
    return timezone or default_zone, recurrence or "once", words
