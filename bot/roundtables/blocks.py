"""Block Kit for roundtables: the reminder with its RSVP buttons, the list, the confirmations.

Times are shown with Slack's `<!date^...>` so every reader sees their own local time; the
fallback text is the meeting's own zone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.dates import day_and_time_text, slack_day_and_time
from bot.roundtables.agenda import OpenQuestion
from bot.roundtables.recurrence import build_rrule, describe, occurrence_key
from bot.text import escape, truncate
from storage.roundtables import Roundtable, RoundtableRsvp

SCHEDULE_CONFIRM, SCHEDULE_DISCARD = "roundtable_schedule_confirm", "roundtable_schedule_discard"
CANCEL_CONFIRM = "roundtable_cancel_confirm"
RSVP_ACTION = "roundtable_rsvp"  # action ids are roundtable_rsvp_going, _maybe, _no
RSVP_LABELS = {"going": "Going", "maybe": "Maybe", "no": "Can't"}
NAMES_SHOWN = 15  # per answer, the rest counted: 3 x 15 names of 40 stay under 3000 chars
LIST_LIMIT = 40  # roundtables per list message (one block each, under the 50-block limit)
REMINDER_CHOICES = {  # minutes before -> label
    10080: "1 week before", 2880: "2 days before", 1440: "24 hours before",
    240: "4 hours before", 60: "1 hour before", 15: "15 minutes before",
}


def fit(text: str, limit: int) -> str:
    """User text escaped for mrkdwn and cut to `limit` characters after escaping."""
    cut = limit
    while len(escaped := escape(truncate(text, cut))) > limit:
        cut -= max(1, len(escaped) - limit)
    return escaped


def clock_time(start: datetime) -> str:
    return f"{start:%I}".lstrip("0") + f":{start:%M} {start:%p}"


def local_text(start: datetime) -> str:
    """"Thu, Dec 3, 2026 at 3:00 PM CST", in the meeting's zone."""
    return day_and_time_text(start)


def when(start: datetime) -> str:
    """The start in each reader's own time zone, with the meeting's zone as the fallback."""
    return slack_day_and_time(start)


def cadence(roundtable: Roundtable, first: datetime) -> str:
    """"every two weeks on Thursday at 3:00 PM America/Chicago"."""
    return f"{describe(roundtable.rrule, first.date())} at {clock_time(first)} {roundtable.timezone}"


def reminders_text(minutes: list[int]) -> str:
    labels = [REMINDER_CHOICES.get(m, f"{m} minutes before") for m in sorted(minutes, reverse=True)]
    return " and ".join(labels) if labels else "no reminders"


def video_link(url: str) -> str:
    return f"<{escape(url)}|Join the video call>" if url else ""


def build_reminder(roundtable: Roundtable, start: datetime, answers: list[RoundtableRsvp],
                   questions: list[OpenQuestion]) -> dict[str, Any]:
    """chat.postMessage / chat.update arguments for a reminder of the meeting at `start`."""
    details = [f"*{when(start)}* ({roundtable.duration_minutes} minutes)"]
    if roundtable.rrule:
        details.append(f"Meets {describe(roundtable.rrule, start.date())}.")
    if roundtable.video_url:
        details.append(video_link(roundtable.video_url))
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": fit(roundtable.title, 150)}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(details)}},
    ]
    if roundtable.agenda.strip():
        blocks.append(_section("*Agenda*\n" + fit(roundtable.agenda.strip(), 2900)))
    if questions:
        lines = [_question(q) for q in questions]
        blocks.append(_section("*Open questions from mayors*\n" + "\n".join(lines)))
    value = f"{roundtable.id}|{occurrence_key(start)}"
    blocks.append({"type": "actions", "block_id": "roundtable_rsvp", "elements": [
        {"type": "button", "action_id": f"{RSVP_ACTION}_{answer}", "value": value,
         "text": {"type": "plain_text", "text": label},
         **({"style": "primary"} if answer == "going" else {})}
        for answer, label in RSVP_LABELS.items()
    ]})
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": rsvp_summary(answers)}]})
    text = f"Roundtable reminder: {fit(roundtable.title, 150)}, {when(start)}"
    return {"text": text, "blocks": blocks}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _question(question: OpenQuestion) -> str:
    text = fit(" ".join(question.text.split()), 280)
    if question.permalink:
        return f"• <{escape(question.permalink)}|{text}>"
    return f"• {text}"


def rsvp_summary(answers: list[RoundtableRsvp]) -> str:
    """"*Going (2):* Frank Cownie, Dianah Neff · *Maybe (0)* · *Can't (1):* Bill Schrier"."""
    parts = []
    for answer, label in RSVP_LABELS.items():
        names = [fit(a.name or a.user_id, 40) for a in answers if a.answer == answer]
        shown = ", ".join(names[:NAMES_SHOWN])
        if len(names) > NAMES_SHOWN:
            shown += f" and {len(names) - NAMES_SHOWN} more"
        parts.append(f"*{label} ({len(names)})*" + (f": {shown}" if names else ""))
    return " · ".join(parts)


def build_list(items: list[tuple[Roundtable, datetime]]) -> dict[str, Any]:
    if not items:
        return {"text": "No roundtables are scheduled. Moderators schedule one with `/roundtable schedule`."}
    blocks = [_section(f"*Upcoming roundtables* ({len(items)})")]
    for roundtable, start in items[:LIST_LIMIT]:
        repeat = f"{describe(roundtable.rrule, start.date())} · " if roundtable.rrule else ""
        blocks.append(_section(
            f"*#{roundtable.id} {fit(roundtable.title, 150)}* in <#{roundtable.channel_id}>\n"
            f"{repeat}next {when(start)}"
        ))
    if len(items) > LIST_LIMIT:
        blocks.append(_section(f"…and {len(items) - LIST_LIMIT} more."))
    return {"text": f"Upcoming roundtables: {len(items)}", "blocks": blocks}


def scheduled_text(roundtable: Roundtable, start: datetime, verb: str = "Scheduled") -> str:
    """The moderator's confirmation."""
    repeat = f"meets {describe(roundtable.rrule, start.date())}, " if roundtable.rrule else ""
    return (f"{verb} roundtable #{roundtable.id} *{fit(roundtable.title, 150)}* in <#{roundtable.channel_id}>: "
            f"{repeat}next {when(start)}. Reminders {reminders_text(roundtable.reminder_minutes)}. "
            f"`/roundtable ics {roundtable.id}` gives a calendar file; "
            f"`/roundtable cancel {roundtable.id}` cancels it.")


def cancelled_texts(roundtable: Roundtable, occurrence: datetime | None,
                    continues: datetime | None) -> tuple[str, str]:
    """(the moderator's confirmation, the channel's notice) for a cancellation."""
    title = fit(roundtable.title, 150)
    if occurrence is not None and continues is not None:
        return (f"Cancelled the {when(occurrence)} meeting of roundtable #{roundtable.id} *{title}*; "
                f"the series continues {when(continues)}.",
                f"The {when(occurrence)} roundtable *{title}* is cancelled. The next one is {when(continues)}.")
    if occurrence is not None:
        return (f"Cancelled the {when(occurrence)} meeting of roundtable #{roundtable.id} *{title}*, its last. "
                "No more reminders will be posted.",
                f"The {when(occurrence)} roundtable *{title}* is cancelled.")
    return (f"Cancelled roundtable #{roundtable.id} *{title}* (the whole series). "
            "No more reminders will be posted.",
            f"The roundtable *{title}* is cancelled: there will be no more meetings.")


def announcement(roundtable: Roundtable, start: datetime, user_id: str) -> dict[str, Any]:
    """What the channel sees when a roundtable is scheduled."""
    repeat = f", then {describe(roundtable.rrule, start.date())}" if roundtable.rrule else ""
    text = (f"<@{user_id}> scheduled a roundtable: *{fit(roundtable.title, 150)}*, {when(start)}{repeat}. "
            f"Reminders with RSVP buttons come {reminders_text(roundtable.reminder_minutes)}; "
            f"`/roundtable ics {roundtable.id}` puts it on your calendar.")
    return {"text": text, "blocks": [_section(text)]}


def _button(text: str, action_id: str, value: str, style: str = "",
            confirm: dict[str, Any] | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "action_id": action_id, "value": value[:2000],
                               "text": {"type": "plain_text", "text": text[:75]}}
    return {**element, **({"style": style} if style else {}), **({"confirm": confirm} if confirm else {})}


def build_schedule_check(title: str, start: datetime, timezone: str, recurrence: str, channel_id: str,
                         value: str, reminder_minutes: list[int]) -> dict[str, Any]:
    """What the one-line form understood, for the moderator to confirm before the channel is told."""
    rrule = build_rrule(recurrence, start.date())
    repeat = describe(rrule, start.date()) if rrule else "once (no repeat)"
    lines = [
        "*Is this right?* Nothing is scheduled or announced until you confirm.",
        f"• Title: *{fit(title, 150)}*",
        f"• When: {local_text(start)} ({escape(timezone)})",
        f"• Repeats: {repeat}",
        f"• Channel: <#{channel_id}>, reminders {reminders_text(reminder_minutes)}",
    ]
    return {"text": f"Schedule {fit(title, 150)}, {local_text(start)}?", "blocks": [
        _section("\n".join(lines)),
        {"type": "actions", "block_id": "roundtable_schedule_check", "elements": [
            _button("Schedule and announce", SCHEDULE_CONFIRM, value, "primary"),
            _button("Discard", SCHEDULE_DISCARD, "discard"),
        ]},
    ]}


def build_cancel_check(roundtable: Roundtable, occurrence: datetime | None, next_only: bool) -> dict[str, Any]:
    """`/roundtable cancel` asks first; the button (with Slack's confirm dialog) cancels."""
    title = fit(roundtable.title, 150)
    what = (f"the {local_text(occurrence)} meeting of roundtable #{roundtable.id} *{title}*"
            if next_only and occurrence else f"roundtable #{roundtable.id} *{title}* (the whole series)")
    dialog = {"title": {"type": "plain_text", "text": "Cancel the roundtable?"},
              "text": {"type": "mrkdwn", "text": f"Cancel {what}? The channel is told."[:300]},
              "confirm": {"type": "plain_text", "text": "Cancel it"},
              "deny": {"type": "plain_text", "text": "Keep it"}, "style": "danger"}
    value = f"{roundtable.id} --next" if next_only else str(roundtable.id)
    return {"text": f"Cancel roundtable #{roundtable.id}?", "blocks": [
        _section(f"Cancel {what}? <#{roundtable.channel_id}> will be told."),
        {"type": "actions", "block_id": "roundtable_cancel_check", "elements": [
            _button("Cancel the meeting" if next_only else "Cancel the series", CANCEL_CONFIRM, value, "danger",
                    dialog),
        ]},
    ]}


def moved(roundtable: Roundtable, before: datetime | None, start: datetime) -> dict[str, Any]:
    """What the channel sees when a roundtable's next meeting moves."""
    was = f" (it was {when(before)})" if before is not None else ""
    repeat = f", then {describe(roundtable.rrule, start.date())}" if roundtable.rrule else ""
    text = (f"The roundtable *{fit(roundtable.title, 150)}* has moved: next {when(start)}{repeat}{was}. "
            f"`/roundtable ics {roundtable.id}` gives the new calendar file.")
    return {"text": text, "blocks": [_section(text)]}
