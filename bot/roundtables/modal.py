"""The schedule/edit form: a neutral `Form` built from a plan (or defaults), its `Values` read back into a plan
or errors."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from bot import forms as f
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


def schedule_form(*, channel_id: str, timezone: str, plan: MeetingPlan | None = None,
                  roundtable_id: int | None = None) -> f.Form:
    """The form, empty for a new roundtable or filled from `plan` when editing one."""
    zone_name = plan.timezone if plan else timezone
    reminders = plan.reminder_minutes if plan else list(DEFAULT_REMINDERS)
    choices = {**REMINDER_CHOICES, **{m: f"{m} minutes before" for m in reminders if m not in REMINDER_CHOICES}}
    editing = roundtable_id is not None
    return f.Form(
        kind=CALLBACK_ID, title="Edit roundtable" if editing else "Schedule a roundtable",
        submit="Save" if editing else "Schedule", state=json.dumps({"id": roundtable_id}),
        parts=(
            f.Field("title", "Title", "text", value=plan.title if plan else "", max_length=TITLE_LIMIT),
            f.Field("agenda", "Agenda", "long_text", value=plan.agenda if plan else "", optional=True,
                    max_length=AGENDA_LIMIT),
            f.Field("date", "Date", "date", value=plan.starts_local.date().isoformat() if plan else ""),
            f.Field("time", "Time", "time", value=f"{plan.starts_local:%H:%M}" if plan else ""),
            f.Field("zone", "Time zone", "select", value=zone_name,
                    options=tuple(f.Option(v, label) for v, label in zone_choices(zone_name).items())),
            f.Field("recurrence", "Repeats", "select", value=plan.recurrence if plan else "once",
                    options=tuple(f.Option(v, label) for v, label in RECURRENCES.items())),
            f.Field("channel", "Channel", "channel", value=plan.channel_id if plan else channel_id),
            f.Field("reminders", "Reminders", "multi_select", value=tuple(str(m) for m in reminders),
                    optional=True, options=tuple(f.Option(str(m), label) for m, label in choices.items())),
            f.Field("video", "Video link", "url", value=plan.video_url if plan else "", optional=True),
        ))


def roundtable_id_of(state: str) -> int | None:
    """The roundtable a submitted form edits (None when it schedules a new one)."""
    return f.whole_number(f.carried(state).get("id"))


def read_modal(values: f.Values, now: datetime) -> MeetingPlan:
    """The plan in a submitted form; raises ModalErrors ({field key: message}) when it is not right."""
    errors: dict[str, str] = {}

    def attempt(key: str, check: Any, *args: Any) -> Any:
        try:
            return check(*args)
        except PlanError as error:
            errors[error.field or key] = str(error).replace("`", "")
            return None

    title = attempt("title", check_title, f.text(values, "title"))
    video = attempt("video", check_video, f.text(values, "video"))
    selected_zone = f.text(values, "zone")
    recurrence = f.text(values, "recurrence") or "once"
    channel = f.text(values, "channel")
    picked_date, picked_time = f.text(values, "date"), f.text(values, "time")
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
    reminders = [int(v) for v in f.chosen(values, "reminders") if v.isdigit()]
    return MeetingPlan(title=title, starts_local=starts, timezone=selected_zone, recurrence=recurrence,
                       channel_id=channel, agenda=f.text(values, "agenda").strip(),
                       reminder_minutes=reminders, video_url=video or "")


class ModalErrors(ValueError):  # noqa: N818 - Slack calls them errors
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors
