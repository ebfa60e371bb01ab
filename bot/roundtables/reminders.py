"""Roundtable reminders through the outbox: which are due, and what each one says.

Policy (the issue's "exactly once, on time" and "after downtime"):
- a reminder is enqueued when its time comes, keyed "<id>/<occurrence UTC>/<minutes>m", so any
  number of tickers enqueue it once;
- when several reminders of one meeting are due at once (after downtime), only the latest is
  enqueued, and an older one still waiting is skipped as superseded: never one post per missed slot;
- every reminder expires when its meeting starts: posted late if the meeting has not started,
  skipped and logged if it has;
- reminders due before the roundtable was scheduled (or re-timed) are not sent late.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot import outbox
from bot.messages import Message
from bot.roundtables import blocks
from bot.roundtables.agenda import QuestionSource, open_questions
from bot.roundtables.meetings import REMINDER_KIND, occurrence_prefix, reminder_key, series
from bot.roundtables.recurrence import occurrence_key, parse_occurrence_key
from bot.services import Services
from storage import deliveries
from storage.deliveries import Delivery
from storage.roundtables import Roundtable, active_roundtables, get_roundtable, rsvps

log = logging.getLogger("roundtable.reminders")

LOOKBACK = timedelta(days=1)  # meetings this recent that were missed are recorded as skipped


def due_reminders(roundtable: Roundtable, now: datetime) -> list[tuple[datetime, int]]:
    """(meeting start, minutes before) of the reminder to enqueue now for each meeting, if any."""
    minutes = roundtable.reminder_minutes
    if not minutes:
        return []
    starts = series(roundtable).between(now - LOOKBACK, now + timedelta(minutes=max(minutes)))
    due = []
    for start in starts:
        ready = [m for m in minutes if roundtable.schedule_set_at <= start - timedelta(minutes=m) <= now]
        if ready:
            due.append((start, min(ready)))
    return due


def enqueue_due_reminders(services: Services) -> int:
    """The scheduler job: put every reminder whose time has come into the outbox (once)."""
    now = services.clock()
    added = 0
    with services.db.begin() as session:
        for roundtable in active_roundtables(session):
            for start, minutes in due_reminders(roundtable, now):
                added += deliveries.enqueue(
                    session, team_id=roundtable.team_id, kind=REMINDER_KIND,
                    key=reminder_key(roundtable.id, start, minutes), channel_id=roundtable.channel_id,
                    due_at=start - timedelta(minutes=minutes), expires_at=start, now=now,
                )
    if added:
        log.info("enqueued %d roundtable reminder(s)", added)
    return added


def parse_key(key: str) -> tuple[int, datetime, int]:
    roundtable_id, occurrence, minutes = key.split("/")
    return int(roundtable_id), parse_occurrence_key(occurrence), int(minutes.removesuffix("m"))


def render_reminder(session: Session, delivery: Delivery, now: datetime, *,
                    sources: Sequence[QuestionSource] = ()) -> Message:
    roundtable_id, start, minutes = parse_key(delivery.key)
    roundtable = get_roundtable(session, delivery.team_id, roundtable_id)
    if roundtable is None or roundtable.cancelled_at is not None:
        raise outbox.Skip("roundtable cancelled")
    if not series(roundtable).includes(start):
        raise outbox.Skip("meeting cancelled or moved")
    if minutes not in roundtable.reminder_minutes:
        raise outbox.Skip(f"the {minutes}-minute reminder was removed")
    later = [m for m in roundtable.reminder_minutes if m < minutes and start - timedelta(minutes=m) <= now]
    if later:
        raise outbox.Skip(f"superseded by the {max(later)}-minute reminder")
    return reminder_message(session, roundtable, start, sources)


def reminder_message(session: Session, roundtable: Roundtable, start: datetime,
                     sources: Sequence[QuestionSource]) -> Message:
    """The reminder as it should look now: the agenda's open questions, the RSVPs so far."""
    local = start.astimezone(series(roundtable).tz)
    answers = rsvps(session, roundtable.team_id, roundtable.id, occurrence_key(start))
    questions = open_questions(session, roundtable.team_id, roundtable.channel_id, sources)
    return blocks.build_reminder(roundtable, local, answers, questions)


def posted_reminders(session: Session, roundtable: Roundtable, start: datetime) -> list[Delivery]:
    """The reminders of one meeting already in the channel (to update them in place)."""
    return deliveries.sent_with_prefix(session, roundtable.team_id, REMINDER_KIND,
                                       occurrence_prefix(roundtable.id, start))
