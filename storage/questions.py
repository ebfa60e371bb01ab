"""Questions asked in the channels, the replies they got, and the experts suggested for them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, exists, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.base import PLATFORM_ID, Base, UTCDateTime
from storage.conversations import visible
from storage.profiles import Profile
from storage.sql import insert_ignore

OPEN = "open"  # nobody but the asker has replied yet
PENDING = "answered_pending"  # someone replied; the asker has not confirmed
ANSWERED = "answered"  # confirmed, with an accepted answer when there is one
CLOSED = "closed"  # closed without an accepted answer (by the asker or a moderator)
UNRESOLVED = (OPEN, PENDING)
TEXT_LIMIT = 4000  # characters kept of a question or an answer


class Question(Base):
    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("team_id", "channel_id", "ts"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(PLATFORM_ID), index=True)
    channel_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    ts: Mapped[str] = mapped_column(String(PLATFORM_ID))  # the question's message
    user_id: Mapped[str] = mapped_column(String(PLATFORM_ID))  # the asker
    text: Mapped[str] = mapped_column(Text)  # plain text, not mrkdwn: escape it to show it
    status: Mapped[str] = mapped_column(String(20), default=OPEN, index=True)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reply_ts: Mapped[str] = mapped_column(String(PLATFORM_ID), default="")  # the bot's suggestion in the thread
    answer_ts: Mapped[str] = mapped_column(String(PLATFORM_ID), default="")  # the accepted answer
    closed_by: Mapped[str] = mapped_column(String(PLATFORM_ID), default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, default=None)
    nudged_step: Mapped[int] = mapped_column(Integer, default=0)  # age steps already nudged


class Answer(Base):
    """A thread reply to a question from someone other than the asker."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("question_id", "ts"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(PLATFORM_ID), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), index=True)
    ts: Mapped[str] = mapped_column(String(PLATFORM_ID))
    user_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SuggestedExpert(Base):
    __tablename__ = "suggested_expert"

    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(PLATFORM_ID), primary_key=True, index=True)
    team_id: Mapped[str] = mapped_column(String(PLATFORM_ID), index=True)


def add_question(session: Session, team_id: str, channel_id: str, ts: str, user_id: str, text: str,
                 now: datetime) -> Question | None:
    """Record a question once; None when (team, channel, ts) is already recorded."""
    inserted = insert_ignore(session, Question.__table__, {  # type: ignore[arg-type]
        "team_id": team_id, "channel_id": channel_id, "ts": ts, "user_id": user_id,
        "text": text[:TEXT_LIMIT], "status": OPEN, "asked_at": now, "updated_at": now,
        "reply_ts": "", "answer_ts": "", "closed_by": "", "nudged_step": 0,
    })
    return question_at(session, team_id, channel_id, ts) if inserted else None


def question_at(session: Session, team_id: str, channel_id: str, ts: str) -> Question | None:
    return session.scalar(select(Question).where(
        Question.team_id == team_id, Question.channel_id == channel_id, Question.ts == ts))


def question_by_id(session: Session, team_id: str, question_id: int) -> Question | None:
    return session.scalar(select(Question).where(Question.team_id == team_id, Question.id == question_id))


def add_answer(session: Session, question: Question, ts: str, user_id: str, text: str,
               now: datetime) -> bool:
    """Record a reply once; False for a reply already recorded."""
    return insert_ignore(session, Answer.__table__, {  # type: ignore[arg-type]
        "team_id": question.team_id, "question_id": question.id, "ts": ts, "user_id": user_id,
        "text": text[:TEXT_LIMIT], "created_at": now,
    })


def answers_to(session: Session, question: Question) -> list[Answer]:
    return list(session.scalars(select(Answer).where(
        Answer.team_id == question.team_id, Answer.question_id == question.id).order_by(Answer.ts)))


def answer_at(session: Session, team_id: str, channel_id: str, ts: str) -> tuple[Question, Answer] | None:
    """The question and answer for a reply's ts in a channel, when that reply was recorded."""
    row = session.execute(
        select(Question, Answer).join(Answer, Answer.question_id == Question.id).where(
            Question.team_id == team_id, Question.channel_id == channel_id, Answer.ts == ts)
    ).first()
    return (row[0], row[1]) if row else None


def add_experts(session: Session, question: Question, user_ids: Sequence[str]) -> None:
    for user_id in user_ids:
        insert_ignore(session, SuggestedExpert.__table__, {  # type: ignore[arg-type]
            "question_id": question.id, "user_id": user_id, "team_id": question.team_id})


def experts_of(session: Session, question: Question) -> list[str]:
    return list(session.scalars(select(SuggestedExpert.user_id).where(
        SuggestedExpert.team_id == question.team_id, SuggestedExpert.question_id == question.id,
    ).order_by(SuggestedExpert.user_id)))


def claim_nudge(session: Session, question: Question, step: int) -> bool:
    """Claim age step `step` for one nudge; False when another run already claimed it."""
    result = session.execute(
        update(Question)
        .where(Question.id == question.id, Question.status == OPEN, Question.nudged_step < step)
        .values(nudged_step=step)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]  # a CursorResult for UPDATE


def teams_with_open_questions(session: Session) -> list[str]:
    return list(session.scalars(select(Question.team_id).where(Question.status == OPEN).distinct()))


def due_for_nudge(session: Session, team_id: str, asked_before: datetime,
                  max_step: int) -> list[tuple[int, str, datetime, int]]:
    """(id, channel_id, asked_at, nudged_step) of open questions (no reply yet) asked before
    `asked_before` and nudged fewer than `max_step` times, oldest first."""
    rows = session.execute(select(Question.id, Question.channel_id, Question.asked_at, Question.nudged_step).where(
        Question.team_id == team_id, Question.status == OPEN, Question.asked_at <= asked_before,
        Question.nudged_step < max_step,
    ).order_by(Question.asked_at, Question.id))
    return [(row[0], row[1], row[2], row[3]) for row in rows]


def release_nudge(session: Session, question_id: int, step: int, previous: int) -> None:
    """Give a claimed age step back after its nudge could not be posted; the next tick retries."""
    session.execute(update(Question).where(Question.id == question_id, Question.nudged_step == step)
                    .values(nudged_step=previous))


def open_questions(session: Session, team_id: str, channel_id: str, *, limit: int = 5,
                   asker_role: str | None = "mayor") -> list[Question]:
    """The channel's unresolved questions (no confirmed answer yet), oldest first.

    `asker_role` keeps questions whose asker's profile has that role; None keeps everyone's. The
    profile is the asker's, whichever workspace holds it (a person's profile is their own workspace's,
    and a shared channel's questions are kept under its home).
    """
    query = select(Question).where(
        Question.team_id == team_id, Question.channel_id == channel_id, Question.status.in_(UNRESOLVED))
    if asker_role is not None:
        query = query.where(exists().where(Profile.user_id == Question.user_id, Profile.role == asker_role))
    return list(session.scalars(query.order_by(Question.asked_at, Question.id).limit(limit)))


def questions_of(session: Session, team_id: str, user_id: str, limit: int = 10) -> list[Question]:
    """A member's unresolved questions, newest first."""
    return list(session.scalars(select(Question).where(
        Question.team_id == team_id, Question.user_id == user_id, Question.status.in_(UNRESOLVED),
        visible(Question.team_id, Question.channel_id),
    ).order_by(Question.asked_at.desc(), Question.id.desc()).limit(limit)))


def questions_for_expert(session: Session, team_id: str, user_id: str, limit: int = 10) -> list[Question]:
    """Unresolved questions this member was suggested for, newest first."""
    return list(session.scalars(select(Question).join(
        SuggestedExpert, SuggestedExpert.question_id == Question.id).where(
        Question.team_id == team_id, SuggestedExpert.user_id == user_id,
        Question.status.in_(UNRESOLVED), Question.user_id != user_id, visible(Question.team_id, Question.channel_id),
    ).order_by(Question.asked_at.desc(), Question.id.desc()).limit(limit)))


def unresolved_questions(session: Session, team_id: str, limit: int = 10) -> list[Question]:
    """Every unresolved question of the public channels, oldest first (the moderators' list)."""
    return list(session.scalars(select(Question).where(
        Question.team_id == team_id, Question.status.in_(UNRESOLVED), visible(Question.team_id, Question.channel_id),
    ).order_by(Question.asked_at, Question.id).limit(limit)))
