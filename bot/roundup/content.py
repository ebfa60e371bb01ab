"""The weekly roundup: what the exchange shared, asked and answered in the last seven days.

`build_roundup` gathers it (bot/roundup/sections.py); `compose` says it as a neutral message
(bot/messages.py), which each platform's renderer lays out within its limits whatever the week
held: in Slack at most 50 blocks, sections within 3000 characters, the header within 150; what
does not fit is counted in an "and N more" line naming the command that lists it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.dates import day_text
from bot.messages import Context, Divider, Heading, Message, Paragraph, Part, code, line, mentions
from bot.questions.blocks import ASK
from bot.render import slack, text
from bot.roundup.sections import BUILDERS, Section, Week

PERIOD = timedelta(days=7)
QUIET = line("A quiet week: no practices were shared or adopted, and no questions were asked or answered. "
             "Share what worked in your city with ", code("/practice"), ", or ask the exchange with ", ASK, ".")


@dataclass
class Figures:
    practices_shared: int = 0
    adoptions: int = 0
    questions_asked: int = 0
    questions_answered: int = 0
    first_answer_waits: list[timedelta] = field(default_factory=list)
    digests_saved: int = 0
    cities_active: int = 0

    @property
    def median_first_answer(self) -> timedelta | None:
        if not self.first_answer_waits:
            return None
        return timedelta(seconds=median(w.total_seconds() for w in self.first_answer_waits))

    @property
    def quiet(self) -> bool:
        return not (self.practices_shared or self.adoptions or self.questions_asked
                    or self.questions_answered or self.digests_saved)

    def line(self) -> str:
        wait = self.median_first_answer
        parts = [
            _count(self.practices_shared, "practice shared", "practices shared"),
            _count(self.questions_asked, "question asked", "questions asked"),
            f"{self.questions_answered} answered",
            f"median time to first answer {duration(wait)}" if wait is not None else "",
            _count(self.cities_active, "city active", "cities active"),
        ]
        return " · ".join(p for p in parts if p)


@dataclass
class Roundup:
    team_id: str
    start: datetime  # aware, in the workspace's zone
    end: datetime
    sections: list[Section] = field(default_factory=list)
    figures: Figures = field(default_factory=Figures)

    @property
    def quiet(self) -> bool:
        return self.figures.quiet

    @property
    def title(self) -> str:
        return f"Roundtable roundup, week of {date_range(self.start, self.end)}"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def duration(value: timedelta) -> str:
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


def date_range(start: datetime, end: datetime) -> str:
    """"Mon, Nov 16, 2026 – Mon, Nov 23, 2026": each date the one way the bot shows dates."""
    return f"{day_text(start)} – {day_text(end)}"


def build_roundup(session: Session, team_id: str, now: datetime, timezone: str) -> Roundup:
    """The roundup of the seven days up to `now`."""
    zone = ZoneInfo(timezone)
    week = Week(team_id=team_id, start=now - PERIOD, end=now)
    for build in BUILDERS:
        build(session, week)
    figures = Figures(
        practices_shared=week.practices_shared, adoptions=week.adoptions,
        questions_asked=week.questions_asked, questions_answered=week.questions_answered,
        first_answer_waits=week.first_answer_waits, digests_saved=week.digests_saved,
        cities_active=len(week.cities),
    )
    return Roundup(team_id, week.start.astimezone(zone), now.astimezone(zone), week.sections, figures)


def compose(roundup: Roundup) -> Message:
    """The roundup as a neutral message; each platform's renderer fits it to its limits."""
    parts: list[Part] = [Heading(roundup.title), Context((line(roundup.figures.line()),))]
    if roundup.quiet:
        parts.append(Paragraph(QUIET))
    for section in roundup.sections:
        parts += [Divider(), section]
    return Message(line(f"{roundup.title} ({roundup.figures.line()})"), tuple(parts), unfurl=False)


def render_blocks(roundup: Roundup) -> list[dict[str, Any]]:
    return slack.message(compose(roundup))["blocks"]


def render_message(roundup: Roundup) -> dict[str, Any]:
    """chat.postMessage arguments: blocks, and the notification text Slack shows without them."""
    return slack.message(compose(roundup))


def render_text(roundup: Roundup, names: dict[str, str] | None = None) -> str:
    """The roundup as a person reads it in a terminal (`python -m bot roundup`): members by name
    (`names`: user id -> name), link labels, no mrkdwn emphasis."""
    known = names or {}
    return text.text(compose(roundup), lambda user_id: known.get(user_id, user_id))


def mentioned(roundup: Roundup) -> list[str]:
    """The user ids the roundup mentions, in order, once each."""
    return mentions(compose(roundup))
