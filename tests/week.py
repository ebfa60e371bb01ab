"""A week of exchange activity written straight into a session, for roundup tests."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from bot.emulator import TEAM_ID
from storage import conversations
from storage.digests import Digest
from storage.practices import Adoption, Practice, city_key
from storage.profiles import Profile
from storage.questions import ANSWERED, OPEN, Answer, Question, SuggestedExpert

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # FakeClock's default: Monday 09:00 in New York
IN_WEEK = NOW - timedelta(days=2)
LAST_MONTH = NOW - timedelta(days=30)
_ts = itertools.count(1)


def ts() -> str:
    return f"{1_790_000_000 + next(_ts)}.000100"


def profile(session: Session, user_id: str, role: str, city: str, team_id: str = TEAM_ID) -> None:
    session.merge(Profile(team_id=team_id, user_id=user_id, role=role, city=city, updated_at=LAST_MONTH))


def practice(session: Session, title: str, *, at: datetime = IN_WEEK, city: str = "Detroit",
             user_id: str = "U0MILLER", team_id: str = TEAM_ID, deleted: bool = False) -> Practice:
    row = Practice(team_id=team_id, user_id=user_id, city=city, title=title, created_at=at, updated_at=at,
                   deleted_at=at if deleted else None)
    session.add(row)
    session.flush()
    return row


def adoption(session: Session, row: Practice, city: str, *, at: datetime = IN_WEEK) -> None:
    """`city` adopted `row`, recorded by one of its members (a member counts one city per practice)."""
    session.add(Adoption(team_id=row.team_id, practice_id=row.id, city=city, city_key=city_key(city),
                         user_id=f"U0IN{city_key(city).upper().replace(' ', '')[:20]}", created_at=at))
    session.flush()


def public(session: Session, channel_id: str = "C0GENERAL", *, team_id: str = TEAM_ID,
           is_public: bool = True) -> None:
    """What the bot learns from a channel's events: whether it is public (storage.conversations)."""
    conversations.record(session, team_id, channel_id, is_public, IN_WEEK)


def question(session: Session, text: str, *, user_id: str = "U0COWNIE", at: datetime = IN_WEEK,
             experts: tuple[str, ...] = (), team_id: str = TEAM_ID, channel_id: str = "C0GENERAL",
             private: bool = False) -> Question:
    public(session, channel_id, team_id=team_id, is_public=not private)
    row = Question(team_id=team_id, channel_id=channel_id, ts=ts(), user_id=user_id, text=text,
                   status=OPEN, asked_at=at, updated_at=at)
    session.add(row)
    session.flush()
    for expert in experts:
        session.add(SuggestedExpert(question_id=row.id, user_id=expert, team_id=team_id))
    session.flush()
    return row


def answer(session: Session, row: Question, user_id: str, at: datetime, *, accept: bool = False) -> None:
    reply = Answer(team_id=row.team_id, question_id=row.id, ts=ts(), user_id=user_id, text="Here is how.",
                   created_at=at)
    session.add(reply)
    if accept:
        row.status, row.answer_ts, row.closed_at, row.closed_by = ANSWERED, reply.ts, at, row.user_id
    else:
        row.status = "answered_pending"
    session.flush()


def digest(session: Session, title: str, *, at: datetime = IN_WEEK, team_id: str = TEAM_ID,
           channel_id: str = "C0GENERAL", private: bool = False) -> Digest:
    public(session, channel_id, team_id=team_id, is_public=not private)
    row = Digest(team_id=team_id, channel_id=channel_id, thread_ts=ts(), title=title, body="Key points.",
                 participant_ids=["U0COWNIE"], message_count=12, saved_by="U0GUIDO", created_at=at,
                 updated_at=at, permalink="https://roundtable.slack.com/archives/C0GENERAL/p1")
    session.add(row)
    session.flush()
    return row
