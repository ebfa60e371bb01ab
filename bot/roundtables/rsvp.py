"""*I'm going* / *I might go* / *I can't go* on a reminder, as a plain function every platform calls.

Slack and Teams record an answer by the same rule; each platform updates its own posts. A reminder
in a Slack Connect channel is answered by members of either workspace: the answer is the
roundtable's, kept under the channel's home (bot/connect.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot import connect
from bot.messages import Message
from bot.roundtables import blocks, meetings
from bot.roundtables.recurrence import parse_occurrence_key
from bot.roundtables.reminders import posted_reminders, reminder_message
from bot.services import Services
from bot.text import parse_id
from storage.roundtables import set_rsvp

RSVP_PATTERN = re.compile(rf"^{blocks.RSVP_ACTION}_(going|maybe|no)$")
VALUE = re.compile(r"^([0-9]{1,10})\|([0-9]{8}T[0-9]{4}Z)$")


@dataclass
class Answered:
    """`problem`: why nothing was recorded; else the reminder as it reads now, and where it is posted."""

    problem: str = ""
    message: Message | None = None
    posted: set[tuple[str, str]] = field(default_factory=set)  # (channel, message id) of each reminder
    team_id: str = ""  # the roundtable's workspace, whose bot posted the reminders (and may update them)


def answer(services: Services, team_id: str, user_id: str, name: str, action_id: str, value: str,
           here: str = "") -> Answered | None:
    """Record the answer of `user_id` (of workspace `team_id`, pressing in `here`); None for a press
    that is not ours (unknown action or value)."""
    match, pressed = VALUE.match(value or ""), RSVP_PATTERN.match(action_id or "")
    if match is None or pressed is None:
        return None
    start: datetime = parse_occurrence_key(match[2])
    now = services.clock()
    home = connect.home_team(services, team_id, here)
    with services.db.begin() as session:
        number = parse_id(match[1])
        roundtable = meetings.reachable(session, team_id, number, here, home) if number is not None else None
        if roundtable is None or roundtable.cancelled_at is not None:
            return Answered("This roundtable was cancelled.")
        if not meetings.series(roundtable).includes(start):
            return Answered("This meeting was cancelled or moved: see `/roundtable list`.")
        if now >= start + timedelta(minutes=roundtable.duration_minutes):
            return Answered("This meeting is over.")
        set_rsvp(session, team_id=roundtable.team_id, roundtable_id=roundtable.id, occurrence=match[2], user_id=user_id,
                 answer=pressed[1], name=name[:120], now=now)
    with services.db.begin() as session:  # read after the commit: the counts include everyone's
        message = reminder_message(session, roundtable, start, services.agenda_sources)
        posted = {(d.channel_id, d.slack_ts) for d in posted_reminders(session, roundtable, start) if d.slack_ts}
    return Answered(message=message, posted=posted, team_id=roundtable.team_id)
