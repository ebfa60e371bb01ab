"""Scheduling, editing and cancelling roundtables: the rules, on a Session, without Slack."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.roundtables.plans import MeetingPlan
from bot.roundtables.recurrence import LOCAL_FORMAT, Series, build_rrule, occurrence_key, recurrence_of
from bot.text import fit, parse_id
from storage import conversations, deliveries
from storage.roundtables import Roundtable, get_roundtable, shown_roundtables

DURATION_MINUTES = 60  # how long a meeting is blocked on calendars
REMINDER_KIND = "roundtable_reminder"  # the outbox kind; keys are "<id>/<occurrence>/<minutes>m"


def occurrence_prefix(roundtable_id: int, start: datetime) -> str:
    return f"{roundtable_id}/{occurrence_key(start)}/"


def reminder_key(roundtable_id: int, start: datetime, minutes: int) -> str:
    return f"{occurrence_prefix(roundtable_id, start)}{minutes}m"


def series(roundtable: Roundtable) -> Series:
    return Series.of(roundtable.starts_local, roundtable.timezone, roundtable.rrule,
                     roundtable.cancelled_starts)


def next_meeting(roundtable: Roundtable, now: datetime) -> datetime | None:
    """The next start that has not begun yet (aware, in the roundtable's zone)."""
    return series(roundtable).next_after(now)


def plan_of(roundtable: Roundtable, now: datetime) -> MeetingPlan:
    """The plan a roundtable was made from, to pre-fill the edit modal; it starts at the next
    meeting, so an unchanged form keeps the same series."""
    upcoming = next_meeting(roundtable, now)
    first = datetime.strptime(roundtable.starts_local, LOCAL_FORMAT)
    return MeetingPlan(
        title=roundtable.title, starts_local=upcoming.replace(tzinfo=None) if upcoming else first,
        timezone=roundtable.timezone, recurrence=recurrence_of(roundtable.rrule),
        channel_id=roundtable.channel_id, agenda=roundtable.agenda,
        reminder_minutes=list(roundtable.reminder_minutes), video_url=roundtable.video_url,
    )


def schedule(session: Session, *, team_id: str, user_id: str, plan: MeetingPlan, now: datetime) -> Roundtable:
    roundtable = Roundtable(team_id=team_id, created_by=user_id, created_at=now, cancelled_starts=[],
                            duration_minutes=DURATION_MINUTES)
    _apply_details(roundtable, plan, now)
    _apply_timing(roundtable, plan, now)
    session.add(roundtable)
    session.flush()
    return roundtable


def update(session: Session, roundtable: Roundtable, plan: MeetingPlan, now: datetime) -> None:
    """Apply an edited plan. The form opens at the next meeting: kept, the series is kept (and its
    cancelled meetings). A later meeting of the same series moves the series there (the meetings
    before it are dropped, the cancelled ones after it stay cancelled); any other time starts a
    fresh schedule. Either way reminders due before the edit are not sent late, and those queued
    for the old times are skipped."""
    reminders_before = sorted(roundtable.reminder_minutes)
    upcoming = next_meeting(roundtable, now)
    _apply_details(roundtable, plan, now)
    same = _same_series(roundtable, plan)
    if same and upcoming is not None and upcoming.replace(tzinfo=None) == plan.starts_local:
        if sorted(roundtable.reminder_minutes) != reminders_before:
            roundtable.schedule_set_at = now  # a reminder added now is not "missed" in the past
        return
    later = plan.starts_local.strftime(LOCAL_FORMAT)
    kept = [label for label in roundtable.cancelled_starts if same and label > later]
    _apply_timing(roundtable, plan, now)
    roundtable.cancelled_starts = kept
    deliveries.skip_pending(session, roundtable.team_id, REMINDER_KIND, f"{roundtable.id}/",
                            "roundtable rescheduled")


def _same_series(roundtable: Roundtable, plan: MeetingPlan) -> bool:
    if plan.timezone != roundtable.timezone or plan.recurrence != recurrence_of(roundtable.rrule):
        return False
    old = Series.of(roundtable.starts_local, roundtable.timezone, roundtable.rrule)  # cancelled ones too
    start = plan.starts_local.replace(tzinfo=old.tz)
    return any(s.replace(tzinfo=None) == plan.starts_local
               for s in old.between(start - timedelta(hours=3), start + timedelta(hours=3)))


def _apply_details(roundtable: Roundtable, plan: MeetingPlan, now: datetime) -> None:
    roundtable.title = plan.title
    roundtable.agenda = plan.agenda
    roundtable.channel_id = plan.channel_id
    roundtable.reminder_minutes = sorted(set(plan.reminder_minutes), reverse=True)
    roundtable.video_url = plan.video_url
    roundtable.updated_at = now


def _apply_timing(roundtable: Roundtable, plan: MeetingPlan, now: datetime) -> None:
    roundtable.starts_local = plan.starts_local.strftime(LOCAL_FORMAT)
    roundtable.timezone = plan.timezone
    roundtable.rrule = build_rrule(plan.recurrence, plan.starts_local.date())
    roundtable.schedule_set_at = now


@dataclass
class Cancelled:
    roundtable: Roundtable
    occurrence: datetime | None  # None: the whole series
    series_continues: datetime | None = None  # the next meeting after a one-off cancellation


def cancel(session: Session, roundtable: Roundtable, now: datetime, *, next_only: bool) -> Cancelled:
    """Cancel the whole series, or with `next_only` the next meeting that has not started.
    Raises LookupError when there is no upcoming meeting to cancel."""
    upcoming = next_meeting(roundtable, now)
    if next_only and upcoming is not None:
        following = series(roundtable).next_after(upcoming)
        if following is not None:
            label = series(roundtable).local_label(upcoming)
            roundtable.cancelled_starts = [*roundtable.cancelled_starts, label]
            roundtable.updated_at = now
            deliveries.skip_pending(session, roundtable.team_id, REMINDER_KIND,
                                    occurrence_prefix(roundtable.id, upcoming), "meeting cancelled")
            return Cancelled(roundtable, upcoming, following)
    if next_only and upcoming is None:
        raise LookupError(f"Roundtable #{roundtable.id} has no upcoming meeting to cancel.")
    roundtable.cancelled_at = now
    roundtable.updated_at = now
    deliveries.skip_pending(session, roundtable.team_id, REMINDER_KIND, f"{roundtable.id}/",
                            "roundtable cancelled")
    return Cancelled(roundtable, upcoming if next_only else None)


def upcoming(session: Session, team_id: str, now: datetime, here: str = "",
             home: str = "") -> list[tuple[Roundtable, datetime]]:
    """Active roundtables of public channels (and of `here`) with a meeting still ahead, soonest first;
    with the `home` of `here` (a shared channel's), that channel's roundtables too."""
    shown = shown_roundtables(session, team_id, here)
    if here and home and home != team_id:
        shown += [r for r in shown_roundtables(session, home, here) if r.channel_id == here]
    found = [(r, next_meeting(r, now)) for r in shown]
    return sorted(((r, start) for r, start in found if start is not None), key=lambda pair: pair[1])


def reachable(session: Session, team_id: str, number: int, here: str = "", home: str = "") -> Roundtable | None:
    """Roundtable `number` of workspace `team_id`; or, from a channel shared with it whose `home` is
    another workspace (Slack Connect), that channel's own, kept under its home: never the home's others."""
    found = get_roundtable(session, team_id, number)
    if found is None and here and home and home != team_id:
        shared = get_roundtable(session, home, number)
        found = shared if shared is not None and shared.channel_id == here else None
    return found


def find(session: Session, team_id: str, reference: str, here: str | None = None, *,
         typed_in: str = "", home: str = "") -> Roundtable:
    """The roundtable `#3` or `3` names; raises LookupError with a sentence for the moderator.
    With `here` (a member's command typed there), one in another private channel is not found;
    with the `home` of the channel it was `typed_in` (a shared channel's), that channel's are found too."""
    number = parse_id(reference)
    if number is None:
        raise LookupError(f"`{fit(reference, 40)}` is not a roundtable number. `/roundtable list` shows them.")
    roundtable = reachable(session, team_id, number, typed_in, home)
    hidden = (roundtable is not None and here is not None and roundtable.channel_id != here
              and conversations.known(session, roundtable.team_id, roundtable.channel_id) is not True)
    if roundtable is None or roundtable.cancelled_at is not None or hidden:
        raise LookupError(f"There is no roundtable #{number} scheduled. `/roundtable list` shows them.")
    return roundtable
