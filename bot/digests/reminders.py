"""After a roundtable meeting ends, its moderator is reminded once, by direct message, to save a
digest of the meeting's thread (the reminder message the bot posted for it in the channel).

Through the outbox, keyed "<roundtable id>/<occurrence UTC>": once per meeting with any number of
tickers. A meeting that ended less than a day ago is still reminded after downtime; the reminder
is skipped when the meeting was cancelled or a digest of its thread was saved meanwhile.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot import outbox
from bot.chat import ChatError
from bot.messages import ChannelRef, Message, Paragraph, Text, bold, line
from bot.roundtables.meetings import REMINDER_KIND, occurrence_prefix, series
from bot.roundtables.recurrence import occurrence_key, parse_occurrence_key
from bot.services import Services
from storage import deliveries
from storage.deliveries import Delivery
from storage.digests import digest_of_thread
from storage.roundtables import Roundtable, active_roundtables, get_roundtable

log = logging.getLogger("roundtable.digests")

KIND = "digest_reminder"
LOOKBACK = timedelta(days=1)  # a meeting that ended this recently still gets its reminder


def ended_meetings(roundtable: Roundtable, now: datetime) -> list[datetime]:
    """Starts of the meetings that ended within LOOKBACK before `now` (after the roundtable existed)."""
    length = timedelta(minutes=roundtable.duration_minutes)
    starts = series(roundtable).between(now - LOOKBACK - length, now)
    return [s for s in starts if now - LOOKBACK < s + length <= now and s >= roundtable.created_at]


def enqueue_digest_reminders(services: Services) -> int:
    """The scheduler job: one reminder per ended meeting, to its moderator's direct messages."""
    now = services.clock()
    with services.db.begin() as session:
        due = [(r.team_id, r.id, r.created_by, start, start + timedelta(minutes=r.duration_minutes))
               for r in active_roundtables(session) for start in ended_meetings(r, now)]
    added = 0
    for team_id, roundtable_id, moderator, start, ended in due:
        key = f"{roundtable_id}/{occurrence_key(start)}"
        with services.db.begin() as session:
            if deliveries.get_delivery(session, team_id, KIND, key) is not None:
                continue
        try:  # the DM channel, so the outbox can also look the post up in its history
            dm = services.chat_for(team_id).direct_channel(moderator)
        except LookupError:  # bot.installs.NotInstalled
            log.info("no digest reminder for %s/%s: Roundtable is not installed there", team_id, key)
            continue
        except ChatError as error:
            log.warning("no DM with %s for %s/%s: %s", moderator, team_id, key, error.code)
            continue
        with services.db.begin() as session:
            added += deliveries.enqueue(session, team_id=team_id, kind=KIND, key=key, channel_id=dm,
                                        due_at=ended, expires_at=ended + LOOKBACK, now=now)
    return added


def meeting_thread(session: Session, roundtable: Roundtable, start: datetime) -> tuple[str, str] | None:
    """(channel, ts) of the last reminder the bot posted for this meeting: where it was discussed."""
    posted = deliveries.sent_with_prefix(session, roundtable.team_id, REMINDER_KIND,
                                         occurrence_prefix(roundtable.id, start))
    return (posted[-1].channel_id, posted[-1].slack_ts) if posted else None


def render_digest_reminder(session: Session, delivery: Delivery, now: datetime) -> Message:
    roundtable_id, occurrence = delivery.key.split("/", 1)
    start = parse_occurrence_key(occurrence)
    roundtable = get_roundtable(session, delivery.team_id, int(roundtable_id))
    if roundtable is None or not series(roundtable).includes(start):
        raise outbox.Skip("the meeting was cancelled")
    thread = meeting_thread(session, roundtable, start)
    if thread is not None and digest_of_thread(session, delivery.team_id, *thread) is not None:
        raise outbox.Skip("a digest of the meeting's thread is already saved")
    return build_digest_reminder(roundtable.title, thread[0] if thread else "", roundtable.channel_id)


def build_digest_reminder(meeting: str, reminder_channel: str, channel_id: str) -> Message:
    """The nudge to save a digest: where the meeting's thread is (its reminder's channel, when posted)."""
    title = Text(meeting, cut=150)
    where = (line("on the meeting's reminder in ", ChannelRef(reminder_channel)) if reminder_channel
             else line("on the message in ", ChannelRef(channel_id), " that started the discussion"))
    text = line(Text(title.text, "bold", cut=150), " has ended. Save what was said while it is fresh: ", *where,
                ", open the message's ", bold("More actions"), " menu and choose ", bold("Save discussion digest"),
                ". The draft quotes the thread; edit it, and it is posted there for those who missed the meeting.")
    return Message(line(title, " has ended: save a digest of its thread"), (Paragraph(text),))
