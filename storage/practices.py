"""Practices: what a city did about a problem, and which cities adopted it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, validates

from storage.base import Base, UTCDateTime


class Practice(Base):
    __tablename__ = "practice"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    user_id: Mapped[str] = mapped_column(String(32))  # the sharer
    city: Mapped[str] = mapped_column(String(120), default="")
    city_key: Mapped[str] = mapped_column(String(120), default="")  # city, case-folded, for filters
    title: Mapped[str] = mapped_column(String(300))
    problem: Mapped[str] = mapped_column(Text, default="")
    solution: Mapped[str] = mapped_column(Text, default="")  # what was done
    outcome: Mapped[str] = mapped_column(Text, default="")
    cost: Mapped[str] = mapped_column(Text, default="")  # cost or timeline, optional
    contact: Mapped[str] = mapped_column(Text, default="")
    channel_id: Mapped[str] = mapped_column(String(32), default="")  # where its card was posted
    message_ts: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, default=None)

    topics: Mapped[list[PracticeTopic]] = relationship(
        cascade="all, delete-orphan", order_by="PracticeTopic.topic", lazy="selectin"
    )

    @validates("city")
    def _keep_city_key(self, _key: str, city: str) -> str:
        self.city_key = city_key(city)
        return city


def city_key(city: str) -> str:
    """The form cities are compared in: case-folded, single spaces (SQLite's lower() is ASCII-only)."""
    return " ".join(city.casefold().split())[:120]


class PracticeTopic(Base):
    __tablename__ = "practice_topic"

    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)


class Adoption(Base):
    """A city that adopted a practice; one row per (practice, city)."""

    __tablename__ = "adoption"
    __table_args__ = (UniqueConstraint("practice_id", "city_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), index=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"), index=True)
    city: Mapped[str] = mapped_column(String(120))
    city_key: Mapped[str] = mapped_column(String(120))  # city, case-folded, for the uniqueness
    user_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


def newest_practices(session: Session, team_id: str, limit: int = 5) -> list[Practice]:
    """The team's most recently shared practices, deleted ones left out (the Home tab's list)."""
    return list(session.scalars(select(Practice).where(
        Practice.team_id == team_id, Practice.deleted_at.is_(None),
    ).order_by(Practice.created_at.desc(), Practice.id.desc()).limit(limit)))


def practices_on_topics(session: Session, team_id: str, topics: Sequence[str], limit: int = 10) -> list[Practice]:
    """The team's practices tagged with any of `topics` (stored slugs), newest first."""
    if not topics:
        return []
    tagged = select(PracticeTopic.practice_id).where(PracticeTopic.topic.in_(list(topics)))
    return list(session.scalars(select(Practice).where(
        Practice.team_id == team_id, Practice.deleted_at.is_(None), Practice.id.in_(tagged),
    ).order_by(Practice.created_at.desc(), Practice.id.desc()).limit(limit)))
