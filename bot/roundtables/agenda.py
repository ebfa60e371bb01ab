"""The open questions a reminder's agenda lists: the meeting starts from what mayors asked.

Questions belong to another feature. It registers a source here (`register_source`), a plain
function `(session, team_id, channel_id, limit) -> list[OpenQuestion]` giving the channel's open
questions from mayors, oldest first; with no source registered the agenda shows none.
"""

from __future__ import annotations

from collections.abc import Callable
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
SOURCES: list[QuestionSource] = []


def register_source(source: QuestionSource) -> None:
    if source not in SOURCES:
        SOURCES.append(source)


def open_questions(session: Session, team_id: str, channel_id: str,
                   limit: int = AGENDA_QUESTIONS) -> list[OpenQuestion]:
    """The oldest open questions from mayors in the channel, at most `limit`."""
    found: list[OpenQuestion] = []
    for source in SOURCES:
        found.extend(source(session, team_id, channel_id, limit))
    return sorted(found, key=lambda q: q.asked_at)[:limit]
