"""`/roundup settings`: the form (neutral) where moderators choose day, time, zone and channel."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot import forms as f
from bot import messages as m
from bot.dates import day_and_time_text
from bot.roundtables import recurrence
from bot.roundup.schedule import DAY_NAMES, DAYS, RoundupSchedule
from bot.zones import zone_choices

CALLBACK_ID = "roundup_settings"
TITLE = "Roundup settings"
QUIET_CHOICES = {"post": "Post a short roundup", "skip": "Skip the roundup"}
TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")  # ASCII: \d also matches "٠"


@dataclass(frozen=True)
class Choice:
    day: str
    time: str
    timezone: str
    channel_id: str
    post_quiet_weeks: bool


def _date(moment: datetime | None, timezone: str) -> str:
    """The next roundup as the workspace's clock has it: that is the time it is set by."""
    if moment is None:
        return "not scheduled"
    tz = recurrence.zone(timezone)
    return f"{day_and_time_text(moment.astimezone(tz) if tz else moment)} ({timezone.replace('_', ' ')})"


def described(schedule: RoundupSchedule) -> m.Inline:
    """RoundupSchedule.describe() in neutral terms: the channel a reference, the cron code."""
    when = schedule.weekly()
    at = m.line(f"{DAY_NAMES[when[0]]}s at {when[1]}") if when else m.line("on ", m.code(schedule.cron))
    where = m.line("in ", m.ChannelRef(schedule.channel_id)) if schedule.channel_id else m.line("(no channel set)")
    return m.line(*at, f" {schedule.timezone} ", *where, "" if schedule.post_quiet_weeks else ", skipped in quiet weeks")


def _select(key: str, label: str, choices: dict[str, str], value: str) -> f.Field:
    return f.Field(key, label, "select", value=value, options=tuple(f.Option(k, v) for k, v in choices.items()))


def settings_form(schedule: RoundupSchedule, next_at: datetime | None, channels: tuple[f.Option, ...] = ()) -> f.Form:
    """`channels`: where it may go, for a platform with no channel picker (Teams: conversations the bot is in)."""
    day, time = schedule.weekly() or ("mon", "09:00")
    return f.Form(kind=CALLBACK_ID, title=TITLE, parts=(
        m.Context((m.line("Now: ", *described(schedule), f". Next roundup: {_date(next_at, schedule.timezone)}."),)),
        _select("day", "Day", {d: DAY_NAMES[d] for d in DAYS}, day),
        f.Field("time", "Time", "time", value=time),
        _select("timezone", "Time zone", zone_choices(schedule.timezone), schedule.timezone),
        f.Field("channel", "Channel", "channel", value=schedule.channel_id, options=channels),
        _select("quiet", "In a quiet week", QUIET_CHOICES, "post" if schedule.post_quiet_weeks else "skip"),
    ))


def slack_channel(channel: str) -> bool:
    return re.fullmatch(r"[CG][A-Z0-9]{2,}", channel) is not None


def parse_settings(values: f.Values, is_channel: Callable[[str], bool] = slack_channel) -> tuple[Choice | None, dict[str, str]]:
    """What the moderator chose, or the errors to show beside the fields (`is_channel`: whether the
    platform can post the roundup there)."""
    def picked(key: str) -> str:
        return f.text(values, key).strip()

    day, time = picked("day").lower(), picked("time")
    zone, channel, quiet = picked("timezone"), picked("channel"), picked("quiet")
    errors = {}
    if day not in DAYS:
        errors["day"] = "Choose a day of the week."
    if not TIME.fullmatch(time):
        errors["time"] = "Choose a time, like 09:00."
    if recurrence.zone(zone) is None:
        errors["timezone"] = "Choose a time zone."
    if not is_channel(channel):
        errors["channel"] = "Choose the channel the roundup goes to."
    if quiet not in QUIET_CHOICES:
        errors["quiet"] = "Choose what happens in a quiet week."
    if errors:
        return None, errors
    return Choice(day, time, zone, channel, quiet == "post"), {}


def saved_form(schedule: RoundupSchedule, next_at: datetime | None) -> f.Form:
    """What the settings form shows once saved (nothing to submit)."""
    return f.Form(kind=CALLBACK_ID, title=TITLE, close="Done", parts=(m.Paragraph(m.joined([
        m.line("Saved. The roundup is posted ", *described(schedule), "."),
        m.line(f"Next roundup: {_date(next_at, schedule.timezone)}."),
        m.line("Make sure I'm in ", m.ChannelRef(schedule.channel_id), " (", m.code("/invite @Roundtable"), ")."),
    ])),))
