"""The week's questions, for the roundup: asked, first answered, answered, and the longest waiting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Index, func, select
from sqlalchemy.orm import Session

from storage.conversations import visible
from storage.practices import city_key
from storage.profiles import Profile
from storage.questions import ANSWERED, OPEN, Answer, Question, SuggestedExpert

# Week-bounded reads of questions and answers are range scans on these.
Index("ix_question_team_id_asked_at", Question.team_id, Question.asked_at)
Index("ix_question_team_id_closed_at", Question.team_id, Question.closed_at)
Index("ix_answer_team_id_created_at", Answer.team_id, Answer.created_at)


@dataclass(frozen=True)
class WaitingQuestion:
    question: Question
    city: str
    experts: list[str]


def count_asked(session: Session, team_id: str, start: datetime, end: datetime) -> int:
    return int(session.scalar(select(func.count()).select_from(Question).where(
        Question.team_id == team_id, Question.asked_at >= start, Question.asked_at < end,
        visible(Question.team_id, Question.channel_id))) or 0)


def first_answer_waits(session: Session, team_id: str, start: datetime, end: datetime) -> list[timedelta]:
    """For each question first replied to during the week: how long it waited for that reply."""
    replied = select(Answer.question_id).where(
        Answer.team_id == team_id, Answer.created_at >= start, Answer.created_at < end).distinct()
    first = func.min(Answer.created_at)
    rows = session.execute(
        select(Question.asked_at, first).join(Answer, Answer.question_id == Question.id)
        .where(Question.team_id == team_id, Question.id.in_(replied), visible(Question.team_id, Question.channel_id))
        .group_by(Question.id, Question.asked_at).having(first >= start)
    )
    return [max(timedelta(0), answered - asked) for asked, answered in rows]


def answered_between(session: Session, team_id: str, start: datetime, end: datetime,
                     limit: int) -> tuple[list[tuple[Question, str]], int]:
    """Questions confirmed answered during the week, newest first, with who gave the accepted answer."""
    where = (Question.team_id == team_id, Question.status == ANSWERED,
             Question.closed_at >= start, Question.closed_at < end, visible(Question.team_id, Question.channel_id))
    total = int(session.scalar(select(func.count()).select_from(Question).where(*where)) or 0)
    rows = session.execute(
        select(Question, Answer.user_id).outerjoin(
            Answer, (Answer.question_id == Question.id) & (Answer.ts == Question.answer_ts))
        .where(*where).order_by(Question.closed_at.desc(), Question.id.desc()).limit(limit)
    ).all()
    return [(question, answerer or "") for question, answerer in rows], total


def waiting_from_mayors(session: Session, team_id: str, limit: int) -> tuple[list[WaitingQuestion], int]:
    """Mayors' questions nobody has replied to yet, longest waiting first, with suggested experts."""
    mayors = (Question.team_id == team_id, Question.status == OPEN, Profile.role == "mayor",
              visible(Question.team_id, Question.channel_id))
    joined = select(Question, Profile.city).join(
        Profile, (Profile.team_id == Question.team_id) & (Profile.user_id == Question.user_id))
    total = int(session.scalar(select(func.count()).select_from(Question).join(
        Profile, (Profile.team_id == Question.team_id) & (Profile.user_id == Question.user_id)).where(*mayors))
        or 0)
    rows = session.execute(joined.where(*mayors).order_by(Question.asked_at, Question.id).limit(limit)).all()
    experts: dict[int, list[str]] = {}
    if rows:
        for question_id, user_id in session.execute(
            select(SuggestedExpert.question_id, SuggestedExpert.user_id)
            .where(SuggestedExpert.question_id.in_([q.id for q, _ in rows])).order_by(SuggestedExpert.user_id)
        ):
            experts.setdefault(question_id, []).append(user_id)
    return [WaitingQuestion(q, city, experts.get(q.id, [])) for q, city in rows], total


def question_cities(session: Session, team_id: str, start: datetime, end: datetime) -> set[str]:
    """Cities (from profiles) of members who asked or answered during the week, case-folded."""
    askers = select(Question.user_id.label("user_id")).where(
        Question.team_id == team_id, Question.asked_at >= start, Question.asked_at < end,
        visible(Question.team_id, Question.channel_id))
    answerers = select(Answer.user_id.label("user_id")).join(Question, Question.id == Answer.question_id).where(
        Answer.team_id == team_id, Answer.created_at >= start, Answer.created_at < end,
        visible(Question.team_id, Question.channel_id))
    people = askers.union(answerers).subquery()
    cities = session.scalars(select(Profile.city).where(
        Profile.team_id == team_id, Profile.user_id.in_(select(people.c.user_id)), Profile.city != ""))
    return {city_key(city) for city in cities}
