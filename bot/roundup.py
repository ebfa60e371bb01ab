"""The weekly roundup: what the exchange shared, asked and answered this week.

The foundation gives it an honest empty form; the roundup feature fills in the sections.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session


@dataclass
class Roundup:
    team_id: str
    week_start: datetime  # local midnight, Monday
    lines: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"Roundtable roundup, week of {self.week_start:%B} {self.week_start.day}, {self.week_start:%Y}"


def week_start(now: datetime, timezone: str) -> datetime:
    local = now.astimezone(ZoneInfo(timezone))
    monday = local.date() - timedelta(days=local.weekday())
    return datetime(monday.year, monday.month, monday.day, tzinfo=ZoneInfo(timezone))


def build_roundup(session: Session, team_id: str, now: datetime, timezone: str) -> Roundup:
    roundup = Roundup(team_id=team_id, week_start=week_start(now, timezone))
    if not roundup.lines:
        roundup.lines.append(
            "A quiet week: nothing was shared or asked yet. Share what worked in your city with `/practice`."
        )
    return roundup


def render_text(roundup: Roundup) -> str:
    return "\n".join([roundup.title, "", *roundup.lines])


def render_blocks(roundup: Roundup) -> list[dict]:
    return [
        {"type": "header", "text": {"type": "plain_text", "text": roundup.title[:150]}},
        *({"type": "section", "text": {"type": "mrkdwn", "text": line[:3000]}} for line in roundup.lines),
    ]
