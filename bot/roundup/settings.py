"""`/roundup settings`: the modal where moderators choose day, time, zone and channel."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.dates import day_and_time_text
from bot.roundtables import recurrence
from bot.roundup.schedule import DAY_NAMES, DAYS, RoundupSchedule
from bot.zones import zone_choices

CALLBACK_ID = "roundup_settings"
QUIET_CHOICES = {"post": "Post a short roundup", "skip": "Skip the roundup"}
TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")  # ASCII: \d also matches "٠"


@dataclass(frozen=True)
class Choice:
    day: str
    time: str
    timezone: str
    channel_id: str
    post_quiet_weeks: bool


def _option(value: str, text: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": text[:75]}, "value": value}


def _select(block_id: str, label: str, options: list[dict[str, Any]], initial: str) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "static_select", "action_id": block_id, "options": options}
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen:
        element["initial_option"] = chosen
    return {"type": "input", "block_id": block_id, "label": {"type": "plain_text", "text": label},
            "element": element}


def _date(moment: datetime | None, timezone: str) -> str:
    """The next roundup as the workspace's clock has it: that is the time it is set by."""
    if moment is None:
        return "not scheduled"
    tz = recurrence.zone(timezone)
    return f"{day_and_time_text(moment.astimezone(tz) if tz else moment)} ({timezone.replace('_', ' ')})"


def build_settings_modal(schedule: RoundupSchedule, next_at: datetime | None) -> dict[str, Any]:
    day, time = schedule.weekly() or ("mon", "09:00")
    zones = zone_choices(schedule.timezone)
    channel: dict[str, Any] = {
        "type": "conversations_select", "action_id": "channel",
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if schedule.channel_id:
        channel["initial_conversation"] = schedule.channel_id
    return {
        "type": "modal", "callback_id": CALLBACK_ID, "title": {"type": "plain_text", "text": "Roundup settings"},
        "submit": {"type": "plain_text", "text": "Save"}, "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {"type": "context", "elements": [{"type": "mrkdwn", "text": (
                f"Now: {schedule.describe()}. Next roundup: {_date(next_at, schedule.timezone)}.")}]},
            _select("day", "Day", [_option(d, DAY_NAMES[d]) for d in DAYS], day),
            {"type": "input", "block_id": "time", "label": {"type": "plain_text", "text": "Time"},
             "element": {"type": "timepicker", "action_id": "time", "initial_time": time}},
            _select("timezone", "Time zone", [_option(z, label) for z, label in zones.items()], schedule.timezone),
            {"type": "input", "block_id": "channel", "label": {"type": "plain_text", "text": "Channel"},
             "element": channel},
            _select("quiet", "In a quiet week", [_option(k, v) for k, v in QUIET_CHOICES.items()],
                    "post" if schedule.post_quiet_weeks else "skip"),
        ],
    }


def _picked(values: dict[str, Any], block_id: str, action_id: str | None = None) -> str:
    state = values.get(block_id, {}).get(action_id or block_id) or {}
    option = state.get("selected_option") or {}
    value = (option.get("value") or state.get("selected_time") or state.get("selected_conversation")
             or state.get("selected_channel") or state.get("value") or "")
    return str(value).strip()


def parse_settings(values: dict[str, Any]) -> tuple[Choice | None, dict[str, str]]:
    """What the moderator chose, or the errors to show beside the fields."""
    day, time = _picked(values, "day").lower(), _picked(values, "time")
    zone, channel, quiet = _picked(values, "timezone"), _picked(values, "channel"), _picked(values, "quiet")
    errors = {}
    if day not in DAYS:
        errors["day"] = "Choose a day of the week."
    if not TIME.fullmatch(time):
        errors["time"] = "Choose a time, like 09:00."
    if recurrence.zone(zone) is None:
        errors["timezone"] = "Choose a time zone."
    if not re.fullmatch(r"[CG][A-Z0-9]{2,}", channel):
        errors["channel"] = "Choose the channel the roundup goes to."
    if quiet not in QUIET_CHOICES:
        errors["quiet"] = "Choose what happens in a quiet week."
    if errors:
        return None, errors
    return Choice(day, time, zone, channel, quiet == "post"), {}


def build_saved_modal(schedule: RoundupSchedule, next_at: datetime | None) -> dict[str, Any]:
    text = (f"Saved. The roundup is posted {schedule.describe()}.\n"
            f"Next roundup: {_date(next_at, schedule.timezone)}.\n"
            f"Make sure I'm in <#{schedule.channel_id}> (`/invite @Roundtable`).")
    return {"type": "modal", "callback_id": CALLBACK_ID, "title": {"type": "plain_text", "text": "Roundup settings"},
            "close": {"type": "plain_text", "text": "Done"},
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}
