"""What the bot says about roundtables, composed once (bot/messages.py): the reminder with its
RSVP buttons, the list, the confirmations.

Times are local times (Slack's `<!date^...>`, Teams' `{{DATE()}}`), so every reader sees their
own; the fallback text is the meeting's own zone.
"""

from __future__ import annotations

from datetime import datetime

from bot import messages as m
from bot.dates import day_and_time_text, local_day_and_time
from bot.roundtables.agenda import OpenQuestion
from bot.roundtables.recurrence import build_rrule, describe, occurrence_key
from storage.roundtables import Roundtable, RoundtableRsvp

SCHEDULE_CONFIRM, SCHEDULE_DISCARD = "roundtable_schedule_confirm", "roundtable_schedule_discard"
CANCEL_CONFIRM = "roundtable_cancel_confirm"
RSVP_ACTION = "roundtable_rsvp"  # action ids are roundtable_rsvp_going, _maybe, _no
RSVP_LABELS = {"going": "Going", "maybe": "Maybe", "no": "Can't"}  # the counts under the buttons
RSVP_BUTTONS = {"going": "I'm going", "maybe": "I might go", "no": "I can't go"}  # the answers, in words
NAMES_SHOWN = 15  # per answer, the rest counted: 3 x 15 names of 40 stay under 3000 chars
TITLE_CHARS = 150
LIST_LIMIT = 40  # roundtables per list message (one block each, under the 50-block limit)
REMINDER_CHOICES = {  # minutes before -> label
    10080: "1 week before", 2880: "2 days before", 1440: "24 hours before",
    240: "4 hours before", 60: "1 hour before", 15: "15 minutes before",
}


def title(roundtable: Roundtable) -> m.Text:
    return m.bold(roundtable.title, cut=TITLE_CHARS)


def clock_time(start: datetime) -> str:
    return f"{start:%I}".lstrip("0") + f":{start:%M} {start:%p}"


def local_text(start: datetime) -> str:
    """"Thu, Dec 3, 2026 at 3:00 PM CST", in the meeting's zone."""
    return day_and_time_text(start)


def starts(start: datetime) -> m.LocalTime:
    """The start in each reader's own time zone, with the meeting's zone as the fallback."""
    return local_day_and_time(start)


def cadence(roundtable: Roundtable, first: datetime) -> str:
    """"every two weeks on Thursday at 3:00 PM America/Chicago"."""
    return f"{describe(roundtable.rrule, first.date())} at {clock_time(first)} {roundtable.timezone}"


def reminders_text(minutes: list[int]) -> str:
    labels = [REMINDER_CHOICES.get(m, f"{m} minutes before") for m in sorted(minutes, reverse=True)]
    return " and ".join(labels) if labels else "no reminders"


def build_reminder(roundtable: Roundtable, start: datetime, answers: list[RoundtableRsvp],
                   questions: list[OpenQuestion]) -> m.Message:
    """A reminder of the meeting at `start` (posted, then updated in place as members answer)."""
    details: list[m.Inline] = [m.line(m.Styled("bold", (starts(start),)), f" ({roundtable.duration_minutes} minutes)")]
    if roundtable.rrule:
        details.append(m.line(f"Meets {describe(roundtable.rrule, start.date())}."))
    if roundtable.video_url:
        details.append(m.line(m.Link(roundtable.video_url, m.Text("Join the video call"))))
    parts: list[m.Part] = [m.Heading(roundtable.title), m.Paragraph(m.joined(details))]
    if roundtable.agenda.strip():
        parts.append(m.Paragraph(m.line(m.bold("Agenda"), "\n", m.Text(roundtable.agenda.strip()))))
    if questions:
        lines = [_question(q) for q in questions]
        parts.append(m.Paragraph(m.line(m.bold("Open questions from mayors"), "\n", *m.joined(lines))))
    value = f"{roundtable.id}|{occurrence_key(start)}"
    parts.append(m.Actions(tuple(m.Button(label, f"{RSVP_ACTION}_{answer}", value, "primary" if answer == "going" else "")
                                 for answer, label in RSVP_BUTTONS.items()), id="roundtable_rsvp"))
    parts.append(m.Context((rsvp_summary(answers),)))
    return m.Message(m.line("Roundtable reminder: ", m.Text(roundtable.title, cut=TITLE_CHARS), ", ", starts(start)),
                     tuple(parts))


def _question(question: OpenQuestion) -> m.Inline:
    text = m.Text(question.text, cut=280, fold=True)
    return m.line("• ", m.Link(question.permalink, text) if question.permalink else text)


def rsvp_summary(answers: list[RoundtableRsvp]) -> m.Inline:
    """"*Going (2):* Frank Cownie, Dianah Neff · *Maybe (0)* · *Can't (1):* Bill Schrier"."""
    parts: list[m.Inline] = []
    for answer, label in RSVP_LABELS.items():
        names = [m.Text(a.name or a.user_id, cut=40) for a in answers if a.answer == answer]
        shown: list[m.Segment] = list(m.listed(names[:NAMES_SHOWN], last=", "))
        if len(names) > NAMES_SHOWN:
            shown.append(m.Text(f" and {len(names) - NAMES_SHOWN} more"))
        parts.append(m.line(m.bold(f"{label} ({len(names)})"), *([": ", *shown] if names else [])))
    return m.joined(parts, " · ")


def build_list(items: list[tuple[Roundtable, datetime]]) -> m.Message:
    if not items:
        return m.Message(m.line("No roundtables are scheduled. Moderators schedule one with ",
                                m.code("/roundtable schedule"), "."))
    parts: list[m.Part] = [m.Paragraph(m.line(m.bold("Upcoming roundtables"), f" ({len(items)})"))]
    for roundtable, start in items[:LIST_LIMIT]:
        repeat = f"{describe(roundtable.rrule, start.date())} · " if roundtable.rrule else ""
        parts.append(m.Paragraph(m.line(
            m.Styled("bold", (m.Text(f"#{roundtable.id} "), m.Text(roundtable.title, cut=TITLE_CHARS))), " in ",
            m.ChannelRef(roundtable.channel_id), f"\n{repeat}next ", starts(start))))
    if len(items) > LIST_LIMIT:
        parts.append(m.Paragraph(m.line(f"…and {len(items) - LIST_LIMIT} more.")))
    return m.Message(m.line(f"Upcoming roundtables: {len(items)}"), tuple(parts))


def scheduled_text(roundtable: Roundtable, start: datetime, verb: str = "Scheduled") -> m.Inline:
    """The moderator's confirmation."""
    repeat = f"meets {describe(roundtable.rrule, start.date())}, " if roundtable.rrule else ""
    return m.line(f"{verb} roundtable #{roundtable.id} ", title(roundtable), " in ", m.ChannelRef(roundtable.channel_id),
                  f": {repeat}next ", starts(start), f". Reminders {reminders_text(roundtable.reminder_minutes)}. ",
                  m.code(f"/roundtable ics {roundtable.id}"), " gives a calendar file; ",
                  m.code(f"/roundtable cancel {roundtable.id}"), " cancels it.")


def cancelled_texts(roundtable: Roundtable, occurrence: datetime | None,
                    continues: datetime | None) -> tuple[m.Inline, m.Inline]:
    """(the moderator's confirmation, the channel's notice) for a cancellation."""
    named, number = title(roundtable), f"#{roundtable.id} "
    if occurrence is not None and continues is not None:
        return (m.line("Cancelled the ", starts(occurrence), f" meeting of roundtable {number}", named,
                       "; the series continues ", starts(continues), "."),
                m.line("The ", starts(occurrence), " roundtable ", named, " is cancelled. The next one is ",
                       starts(continues), "."))
    if occurrence is not None:
        return (m.line("Cancelled the ", starts(occurrence), f" meeting of roundtable {number}", named,
                       ", its last. No more reminders will be posted."),
                m.line("The ", starts(occurrence), " roundtable ", named, " is cancelled."))
    return (m.line(f"Cancelled roundtable {number}", named, " (the whole series). No more reminders will be posted."),
            m.line("The roundtable ", named, " is cancelled: there will be no more meetings."))


def announcement(roundtable: Roundtable, start: datetime, user_id: str) -> m.Message:
    """What the channel sees when a roundtable is scheduled."""
    repeat = f", then {describe(roundtable.rrule, start.date())}" if roundtable.rrule else ""
    text = m.line(m.Mention(user_id), " scheduled a roundtable: ", title(roundtable), ", ", starts(start),
                  f"{repeat}. Reminders with RSVP buttons come {reminders_text(roundtable.reminder_minutes)}; ",
                  m.code(f"/roundtable ics {roundtable.id}"), " puts it on your calendar.")
    return m.Message(text, (m.Paragraph(text),))


def build_schedule_check(title: str, start: datetime, timezone: str, recurrence: str, channel_id: str,
                         value: str, reminder_minutes: list[int]) -> m.Message:
    """What the one-line form understood, for the moderator to confirm before the channel is told."""
    rrule = build_rrule(recurrence, start.date())
    repeat = describe(rrule, start.date()) if rrule else "once (no repeat)"
    lines = [
        m.line(m.bold("Is this right?"), " Nothing is scheduled or announced until you confirm."),
        m.line("• Title: ", m.bold(title, cut=TITLE_CHARS)),
        m.line(f"• When: {local_text(start)} (", m.Text(timezone), ")"),
        m.line(f"• Repeats: {repeat}"),
        m.line("• Channel: ", m.ChannelRef(channel_id), f", reminders {reminders_text(reminder_minutes)}"),
    ]
    return m.Message(m.line("Schedule ", m.Text(title, cut=TITLE_CHARS), f", {local_text(start)}?"), (
        m.Paragraph(m.joined(lines)),
        m.Actions((m.Button("Schedule and announce", SCHEDULE_CONFIRM, value, "primary"),
                   m.Button("Discard", SCHEDULE_DISCARD, "discard")), id="roundtable_schedule_check"),
    ))


def build_cancel_check(roundtable: Roundtable, occurrence: datetime | None, next_only: bool) -> m.Message:
    """`/roundtable cancel` asks first; the button (with a confirm dialog) cancels."""
    what = (m.line(f"the {local_text(occurrence)} meeting of roundtable #{roundtable.id} ", title(roundtable))
            if next_only and occurrence else m.line(f"roundtable #{roundtable.id} ", title(roundtable), " (the whole series)"))
    dialog = m.Confirm("Cancel the roundtable?", m.line("Cancel ", *what, "? The channel is told."), "Cancel it",
                       "Keep it", "danger")
    value = f"{roundtable.id} --next" if next_only else str(roundtable.id)
    label = "Cancel the meeting" if next_only else "Cancel the series"
    return m.Message(m.line(f"Cancel roundtable #{roundtable.id}?"), (
        m.Paragraph(m.line("Cancel ", *what, "? ", m.ChannelRef(roundtable.channel_id), " will be told.")),
        m.Actions((m.Button(label, CANCEL_CONFIRM, value, "danger", dialog),), id="roundtable_cancel_check"),
    ))


def moved(roundtable: Roundtable, before: datetime | None, start: datetime) -> m.Message:
    """What the channel sees when a roundtable's next meeting moves."""
    was = (" (it was ", starts(before), ")") if before is not None else ()
    repeat = f", then {describe(roundtable.rrule, start.date())}" if roundtable.rrule else ""
    text = m.line("The roundtable ", title(roundtable), " has moved: next ", starts(start), repeat, *was, ". ",
                  m.code(f"/roundtable ics {roundtable.id}"), " gives the new calendar file.")
    return m.Message(text, (m.Paragraph(text),))
