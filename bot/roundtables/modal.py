"""The schedule/edit modal: built from a plan (or defaults), read back into a plan or errors."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from bot.roundtables.blocks import REMINDER_CHOICES
from bot.roundtables.plans import (
    AGENDA_LIMIT,
    DEFAULT_REMINDERS,
    TITLE_LIMIT,
    MeetingPlan,
    PlanError,
    check_start,
    check_title,
    check_video,
    parse_date,
    parse_time,
)
from bot.roundtables.recurrence import RECURRENCES, zone
from bot.zones import zone_choices

CALLBACK_ID = "roundtable_schedule"


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": label[:75]}, "value": value[:150]}


def _input(block_id: str, label: str, element: dict[str, Any], optional: bool = False) -> dict[str, Any]:
    return {"type": "input", "block_id": block_id, "optional": optional,
            "label": {"type": "plain_text", "text": label}, "element": {"action_id": block_id, **element}}


def build_modal(*, channel_id: str, timezone: str, plan: MeetingPlan | None = None,
                roundtable_id: int | None = None) -> dict[str, Any]:
    """The modal, empty for a new roundtable or filled from `plan` when editing one."""
    zone_name = plan.timezone if plan else timezone
    zones = zone_choices(zone_name)
    reminders = plan.reminder_minutes if plan else list(DEFAULT_REMINDERS)
    choices = {**REMINDER_CHOICES, **{m: f"{m} minutes before" for m in reminders if m not in REMINDER_CHOICES}}
    date_element: dict[str, Any] = {"type": "datepicker"}
    time_element: dict[str, Any] = {"type": "timepicker"}
    if plan:
        date_element["initial_date"] = plan.starts_local.date().isoformat()
        time_element["initial_time"] = f"{plan.starts_local:%H:%M}"
    text_initial = {"initial_value": plan.title} if plan else {}
    blocks = [
        _input("title", "Title", {"type": "plain_text_input", "max_length": TITLE_LIMIT, **text_initial}),
        _input("agenda", "Agenda", {"type": "plain_text_input", "multiline": True, "max_length": AGENDA_LIMIT,
                                    **({"initial_value": plan.agenda} if plan and plan.agenda else {})},
               optional=True),
        _input("date", "Date", date_element),
        _input("time", "Time", time_element),
        _input("zone", "Time zone", {"type": "static_select",
                                     "options": [_option(v, label) for v, label in zones.items()],
                                     "initial_option": _option(zone_name, zones[zone_name])}),
        _input("recurrence", "Repeats", {
            "type": "static_select", "options": [_option(v, label) for v, label in RECURRENCES.items()],
            "initial_option": _option(plan.recurrence if plan else "once",
                                      RECURRENCES[plan.recurrence if plan else "once"])}),
        _input("channel", "Channel", {"type": "conversations_select",
                                      "initial_conversation": plan.channel_id if plan else channel_id,
                                      "filter": {"include": ["public", "private"], "exclude_bot_users": True}}),
        _input("reminders", "Reminders", {
            "type": "multi_static_select", "options": [_option(str(m), label) for m, label in choices.items()],
            **({"initial_options": [_option(str(m), choices[m]) for m in reminders]} if reminders else {})},
               optional=True),
        _input("video", "Video link", {"type": "url_text_input",
                                       **({"initial_value": plan.video_url} if plan and plan.video_url else {})},
               optional=True),
    ]
    editing = roundtable_id is not None
    return {
        "type": "modal", "callback_id": CALLBACK_ID,
        "title": {"type": "plain_text", "text": "Edit roundtable" if editing else "Schedule a roundtable"},
        "submit": {"type": "plain_text", "text": "Save" if editing else "Schedule"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps({"id": roundtable_id}),
        "blocks": blocks,
    }


def roundtable_id_of(view: dict[str, Any]) -> int | None:
    try:
        value = json.loads(view.get("private_metadata") or "{}").get("id")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, int) else None


def read_modal(values: dict[str, dict[str, Any]], now: datetime) -> MeetingPlan:
    """The plan in a submitted modal; raises ModalErrors ({block_id: message}) when it is not right."""
    def field(block: str) -> dict[str, Any]:
        return values.get(block, {}).get(block) or {}

    errors: dict[str, str] = {}

    def attempt(block: str, check: Any, *args: Any) -> Any:
        try:
            return check(*args)
        except PlanError as error:
            errors[error.field or block] = str(error).replace("`", "")
            return None

    title = attempt("title", check_title, field("title").get("value") or "")
    video = attempt("video", check_video, field("video").get("value") or "")
    selected_zone = (field("zone").get("selected_option") or {}).get("value", "")
    recurrence = (field("recurrence").get("selected_option") or {}).get("value", "once")
    channel = field("channel").get("selected_conversation") or ""
    picked_date = field("date").get("selected_date") or ""
    picked_time = field("time").get("selected_time") or ""
    day = attempt("date", parse_date, picked_date) if picked_date else None
    at = attempt("time", parse_time, picked_time) if picked_time else None
    if not picked_date:
        errors["date"] = "Pick the date of the first meeting."
    if not picked_time:
        errors["time"] = "Pick a start time."
    if zone(selected_zone) is None:
        errors["zone"] = "Pick a time zone."
    if recurrence not in RECURRENCES:
        errors["recurrence"] = "Pick how often it meets."
    if not channel:
        errors["channel"] = "Pick the channel for the reminders."
    starts = None
    if isinstance(day, date) and at is not None and "zone" not in errors:
        starts = attempt("time", check_start, day, at, selected_zone, now)
    if errors or starts is None:
        raise ModalErrors(errors)
    reminders = [int(o["value"]) for o in field("reminders").get("selected_options") or []
                 if str(o.get("value", "")).isdigit()]
    return MeetingPlan(title=title, starts_local=starts, timezone=selected_zone, recurrence=recurrence,
                       channel_id=channel, agenda=(field("agenda").get("value") or "").strip(),
                       reminder_minutes=reminders, video_url=video or "")


class ModalErrors(ValueError):  # noqa: N818 - Slack calls them errors
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors
