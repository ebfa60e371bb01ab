"""Questions as a roundtable's agenda: the channel's open questions from mayors, oldest first.

bot/wiring.py hands it to the roundtables' reminders (`Services.agenda_sources`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.roundtables.agenda import OpenQuestion
from storage.questions import open_questions


def mayors_open_questions(session: Session, team_id: str, channel_id: str, limit: int) -> list[OpenQuestion]:
    return [OpenQuestion(text=q.text, asked_by=q.user_id, asked_at=q.asked_at)
            for q in open_questions(session, team_id, channel_id, limit=limit, asker_role="mayor")]
