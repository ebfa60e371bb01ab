"""`roundtable list`, the one-line `roundtable schedule` with its confirm step, and `roundtable cancel`,
as plain functions every platform calls.

Slack's listeners and Teams' handlers read the same one-line forms and say the same words; each
platform posts the announcement and learns whether the channel is public itself. A roundtable is
its channel's: one in a Slack Connect channel is kept under the channel's home workspace
(bot/connect.py), whichever workspace's moderator scheduled it, and a member of the other
workspace lists, cancels and gets the calendar file of it from that channel (never the home's others).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import connect
from bot import messages as m
from bot.roundtables import blocks, calendar_links, ics, meetings
from bot.roundtables.plans import PlanError, decode_plan, encode_plan, parse_quick
from bot.roundtables.recurrence import LOCAL_FORMAT
from bot.services import Services
from storage.roundtables import Roundtable, same_roundtable

USAGE = ("Usage: `/roundtable list` · `/roundtable schedule` (a form) or "
         "`/roundtable schedule {day} 15:00 Central biweekly Wireless downtown` · "
         "`/roundtable edit 3` · `/roundtable cancel 3` (add `--next` for only the next meeting) · "
         "`/roundtable ics 3` (a calendar file)")
REFUSAL = "Only moderators can schedule, edit or cancel roundtables. Ask a moderator if you need one."
NO_NEXT_MEETING = "That plan has no meeting to come: pick a date in the future."
ICS_USAGE = "Usage: `/roundtable ics 3` (numbers from `/roundtable list`)."
CALENDARS = "Outlook, Google Calendar or Apple Calendar"
NO_CALENDAR_LINK = ("Calendar files need the bot's public address (LIBRARY_URL), which is not set here: "
                    "ask your administrator.")
CANCEL_USAGE = "Usage: `/roundtable cancel 3` cancels the series; `/roundtable cancel 3 --next` only its next meeting."


def upcoming(services: Services, team_id: str, here: str = "") -> m.Message:
    home = connect.home_team(services, team_id, here)
    with services.db.read() as session:
        return blocks.build_list(meetings.upcoming(session, team_id, services.clock(), here, home))


def schedule_check(services: Services, text: str, zone: str, channel_id: str) -> m.Message | str:
    """What the one line was understood as, with *Schedule and announce*; or what was wrong."""
    try:
        plan = parse_quick(text, now=services.clock(), default_zone=zone, channel_id=channel_id)
    except PlanError as error:
        return str(error)
    start = plan.starts_local.replace(tzinfo=ZoneInfo(plan.timezone))
    return blocks.build_schedule_check(plan.title, start, plan.timezone, plan.recurrence, plan.channel_id,
                                       encode_plan(plan), plan.reminder_minutes)


@dataclass
class Scheduled:
    """The confirmed plan: the roundtable and its next meeting, or why nothing was scheduled."""

    reply: m.Inline | str
    roundtable: Roundtable | None = None
    start: datetime | None = None


def confirm_schedule(services: Services, team_id: str, user_id: str, value: str) -> Scheduled:
    """The confirm button: schedule once (pressed twice, one roundtable); nothing is committed unless
    it has a next meeting. The caller announces `roundtable` in its channel."""
    now = services.clock()
    try:
        plan = decode_plan(value, now)
    except PlanError as error:
        return Scheduled(str(error))
    team_id = connect.home_team(services, team_id, plan.channel_id)  # the channel's (Slack Connect)
    with services.db.begin() as session:
        twice = same_roundtable(session, team_id, user_id, title=plan.title, timezone=plan.timezone,
                                starts_local=plan.starts_local.strftime(LOCAL_FORMAT), channel_id=plan.channel_id)
        done = twice.id if twice is not None else None
    if done is not None:
        return Scheduled(f"Already scheduled as roundtable #{done}: `/roundtable list` shows it.")
    try:
        with services.db.begin() as session:
            roundtable = meetings.schedule(session, team_id=team_id, user_id=user_id, plan=plan, now=now)
            start = meetings.next_meeting(roundtable, now)
            if start is None:
                raise PlanError(NO_NEXT_MEETING)
    except PlanError as error:
        return Scheduled(str(error))
    return Scheduled(blocks.scheduled_text(roundtable, start), roundtable, start)


@dataclass
class Cancelled:
    """`reply` for the moderator; `notice` for the roundtable's channel once confirmed."""

    reply: m.Message | m.Inline | str
    notice: m.Inline = ()
    channel_id: str = ""


def cancel(services: Services, team_id: str, text: str, *, confirmed: bool = False, here: str = "") -> Cancelled:
    """`/roundtable cancel 3 [--next]` asks first (the check); the confirmed button cancels.
    `here`: where it was typed or pressed (a shared channel's roundtables are found from it)."""
    words = text.split()
    references = [w for w in words if w != "--next"]
    if len(references) != 1:
        return Cancelled(CANCEL_USAGE)
    next_only = "--next" in words
    home = connect.home_team(services, team_id, here)
    try:
        with services.db.begin() as session:
            roundtable = meetings.find(session, team_id, references[0], typed_in=here, home=home)
            if not confirmed:
                upcoming_at = meetings.next_meeting(roundtable, services.clock())
                if next_only and upcoming_at is None:
                    raise LookupError(f"Roundtable #{roundtable.id} has no upcoming meeting to cancel.")
                return Cancelled(blocks.build_cancel_check(roundtable, upcoming_at, next_only))
            done = meetings.cancel(session, roundtable, services.clock(), next_only=next_only)
    except LookupError as error:
        return Cancelled(str(error))
    reply, notice = blocks.cancelled_texts(done.roundtable, done.occurrence, done.series_continues)
    return Cancelled(reply, notice, done.roundtable.channel_id)


def calendared(services: Services, team_id: str, reference: str, here: str) -> Roundtable | str:
    """The roundtable `roundtable ics 3` names, seen from `here`; or what to tell the member."""
    home = connect.home_team(services, team_id, here)
    try:
        with services.db.read() as session:
            return meetings.find(session, team_id, reference, here, typed_in=here, home=home)
    except LookupError as error:
        return str(error) if reference.strip() else ICS_USAGE


def calendar_file(services: Services, team_id: str, user_id: str, reference: str, here: str) -> m.Inline | str:
    """`/roundtable ics 3`: the calendar file, sent to the member directly; what to tell them."""
    roundtable = calendared(services, team_id, reference, here)
    if isinstance(roundtable, str):
        return roundtable
    name = ics.filename(roundtable)
    services.chat_for(team_id).send_file(
        user_id, name, ics.build_ics(roundtable, services.clock()), f"{roundtable.title} (calendar)"[:250],
        "Open this file to add the roundtable to " + CALENDARS + ".")
    return m.line("I sent you ", m.code(name), " in a direct message: open it to add ", blocks.title(roundtable),
                  " to your calendar.")


def calendar_link(services: Services, team_id: str, reference: str, here: str) -> m.Message | str:
    """`roundtable ics 3` where a bot cannot send files (Teams): a link to the file the bot serves."""
    roundtable = calendared(services, team_id, reference, here)
    if isinstance(roundtable, str):
        return roundtable
    url = calendar_links.link(services.settings, team_id, roundtable.id)
    if not url:
        return NO_CALENDAR_LINK
    text = m.line("Open ", m.Link(url, m.plain(ics.filename(roundtable))), " to add ", blocks.title(roundtable),
                  " to " + CALENDARS + ".")
    return m.Message(text, (m.Paragraph(text),))
