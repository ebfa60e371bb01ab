"""The demo workspace's roundtable: the 2004 Boston talks, continued every two weeks."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.roundtables import meetings
from bot.roundtables.plans import MeetingPlan
from bot.services import Services
from storage.roundtables import active_roundtables

CHANNEL = "C0GENERAL"  # the console's channel
MODERATOR = "U0GUIDO"  # Mayor Guido led the first roundtable
AGENDA = ("Wireless hotspots downtown: what Detroit learned\n"
          "Collapsing 12 tax systems into one: Philadelphia's path\n"
          "An e-governance leadership position for the Conference")


def load(services: Services, team_id: str) -> None:
    """A biweekly Thursday 3 pm Detroit roundtable, first meeting next Thursday."""
    now = services.clock()
    with services.db.begin() as session:
        if active_roundtables(session, team_id):
            return
        local = now.astimezone(ZoneInfo("America/Detroit"))
        thursday = local.date() + timedelta(days=(3 - local.weekday()) % 7 or 7)
        plan = MeetingPlan(
            title="Mayors and CIOs: keep talking", starts_local=datetime.combine(thursday, datetime.min.time())
            .replace(hour=15), timezone="America/Detroit", recurrence="biweekly", channel_id=CHANNEL,
            agenda=AGENDA, video_url="https://meet.example.org/mayors-cios",
        )
        meetings.schedule(session, team_id=team_id, user_id=MODERATOR, plan=plan, now=now)
