"""Every date the bot shows, one way: "Tue, Jan 12, 2027" and "Tue, Jan 12, 2027 at 3:00 PM CST".

In a message a date is a local time (bot/messages.py `LocalTime`: Slack's `<!date^...>` token),
so each reader sees it in their own zone (the fallback is in the zone of the moment given); where
a platform cannot format (plain text, the console, a moment that belongs to a place) the same
words are written out.
"""

from __future__ import annotations

from datetime import datetime

from bot.messages import LocalTime


def day_text(moment: datetime) -> str:
    """"Tue, Jan 12, 2027", in the moment's own zone."""
    return f"{moment:%a}, {moment:%b} {moment.day}, {moment:%Y}"


def clock_text(moment: datetime) -> str:
    """"3:00 PM CST" (the zone's abbreviation when the moment has one)."""
    hour = f"{moment:%I}".lstrip("0")
    zone = f" {moment:%Z}" if moment.tzinfo is not None else ""
    return f"{hour}:{moment:%M} {moment:%p}{zone}"


def day_and_time_text(moment: datetime) -> str:
    return f"{day_text(moment)} at {clock_text(moment)}"


def local_day(moment: datetime) -> LocalTime:
    """The day in each reader's zone (Slack's short date; "today", "yesterday" when it is)."""
    return LocalTime(moment, day_text(moment), time=False)


def local_day_and_time(moment: datetime) -> LocalTime:
    """The day and time in each reader's zone."""
    return LocalTime(moment, day_and_time_text(moment))
