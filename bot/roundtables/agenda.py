"""The open questions a reminder's agenda lists: the meeting starts from what mayors asked.

Questions belong to another feature. A source is a plain function `(session, team_id,
channel_id, limit) -> list[OpenQuestion]` giving the channel's open questions from mayors, oldest
first; bot/wiring.py hands the process's sources in (`Services.agenda_sources`); none, none shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

AGENDA_QUESTIONS = 5


@dataclass(frozen=True)
class OpenQuestion:
    text: str  # as asked (raw user text: the reminder escapes it)
    asked_by: str  # user id
    asked_at: datetime
    permalink: str = ""  # the question's message, when known


QuestionSource = Callable[[Session, str, str, int], list[OpenQuestion]]


def open_questions(session: Session, team_id: str, channel_id: str, sources: Sequence[QuestionSource],
                   limit: int = AGENDA_QUESTIONS) -> list[OpenQuestion]:
    """The oldest open questions from mayors in the channel, at most `limit`."""
    found: list[OpenQuestion] = []
    for source in sources:
        found.extend(source(session, team_id, channel_id, limit))
    return sorted(found, key=lambda q: q.asked_at)[:limit]
