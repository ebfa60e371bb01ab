"""The roundtable form (schedule or edit), opened and saved by plain functions every platform calls.

Slack's modal and Teams' dialog are read and checked by the same rules: errors come back by field for
the form to show, and nothing is committed unless every check passed and the plan has a meeting to
come. The caller announces a new roundtable (or a moved one) in its channel. A roundtable in a Slack
Connect channel is kept under the channel's home (bot/connect.py), whichever workspace's moderator
saved it; a moderator of the other workspace edits it from the form while it meets there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot import connect
from bot import forms as f
from bot.roundtables import meetings
from bot.roundtables.commands import NO_NEXT_MEETING, REFUSAL
from bot.roundtables.modal import ModalErrors, read_modal, roundtable_id_of, schedule_form
from bot.services import Services
from storage.roundtables import Roundtable


def member_zone(services: Services, team_id: str, user_id: str) -> str:
    """The member's own time zone from their profile on the platform, else the bot's."""
    member = services.chat_for(team_id).member(user_id)
    return (member.timezone if member is not None else "") or services.settings.timezone


def new_form(services: Services, team_id: str, user_id: str, channel_id: str) -> f.Form:
    return schedule_form(channel_id=channel_id, timezone=member_zone(services, team_id, user_id))


def edit_form(services: Services, team_id: str, reference: str, here: str = "") -> f.Form | str:
    """The form filled with roundtable `reference` (a number from `/roundtable list`), or why not;
    `here`: where it was typed (a shared channel's roundtables are found from it)."""
    home = connect.home_team(services, team_id, here)
    try:
        with services.db.read() as session:
            roundtable = meetings.find(session, team_id, reference, typed_in=here, home=home)
            plan = meetings.plan_of(roundtable, services.clock())
    except LookupError as error:
        return str(error)
    return schedule_form(channel_id=roundtable.channel_id, timezone=roundtable.timezone, plan=plan,
                         roundtable_id=roundtable.id)


@dataclass
class Saved:
    """`errors` by field (nothing saved), or the roundtable, its next meeting and (edited) the one before."""

    errors: dict[str, str] = field(default_factory=dict)
    roundtable: Roundtable | None = None
    start: datetime | None = None
    before: datetime | None = None
    edited: bool = False

    @property
    def moved(self) -> bool:
        """An edit that changed when it meets: the channel hears of a new time, not of a typo fixed."""
        return self.edited and self.before != self.start


def save_form(services: Services, team_id: str, user_id: str, submitted: f.Submitted) -> Saved:
    if not services.is_moderator(team_id, user_id):
        return Saved({"title": REFUSAL})
    now = services.clock()
    editing = roundtable_id_of(submitted.state or "")
    before: datetime | None = None
    try:
        plan = read_modal(submitted.values, now)
        home = connect.home_team(services, team_id, plan.channel_id)  # the channel's (Slack Connect)
        with services.db.begin() as session:  # nothing is committed until every check has passed
            if editing is None:
                roundtable = meetings.schedule(session, team_id=home, user_id=user_id, plan=plan, now=now)
            else:
                found = meetings.reachable(session, team_id, editing, plan.channel_id, home)
                if found is None or found.cancelled_at is not None:
                    raise ModalErrors({"title": "This roundtable was cancelled meanwhile."})
                before = meetings.next_meeting(found, now)
                meetings.update(session, found, plan, now)
                roundtable = found
            start = meetings.next_meeting(roundtable, now)
            if start is None:
                raise ModalErrors({"date": NO_NEXT_MEETING})
    except ModalErrors as error:
        return Saved(error.errors)
    return Saved(roundtable=roundtable, start=start, before=before, edited=editing is not None)
