"""Every date the bot shows, one way: "Tue, Jan 12, 2027" and "Tue, Jan 12, 2027 at 3:00 PM CST".

In Slack messages a date is a `<!date^...>` token, so each reader sees it in their own zone (the
text after `|` is the fallback, in the zone of the moment given); where Slack cannot format
(plain text, the console, a moment that belongs to a place) the same words are written out.
"""

from __future__ import annotations

from datetime import datetime


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


def slack_day(moment: datetime) -> str:
    """The day in each reader's zone (Slack's short date; "today", "yesterday" when it is)."""
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}}|{day_text(moment)}>"


def slack_day_and_time(moment: datetime) -> str:
    """The day and time in each reader's zone."""
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|{day_and_time_text(moment)}>"
