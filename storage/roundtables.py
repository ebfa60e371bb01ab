"""Roundtables (recurring meetings a moderator schedules) and members' RSVPs per occurrence."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.base import PLATFORM_ID, Base, UTCDateTime
from storage.conversations import visible
from storage.sql import insert_ignore

ANSWERS = ("going", "maybe", "no")


class Roundtable(Base):
    __tablename__ = "roundtable"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(PLATFORM_ID), index=True)
    channel_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    title: Mapped[str] = mapped_column(String(150))
    agenda: Mapped[str] = mapped_column(Text, default="")
    starts_local: Mapped[str] = mapped_column(String(16))  # wall-clock "YYYY-MM-DDTHH:MM" in `timezone`
    timezone: Mapped[str] = mapped_column(String(64))  # IANA name
    rrule: Mapped[str] = mapped_column(String(200), default="")  # RFC 5545 RRULE; "" meets once
    cancelled_starts: Mapped[list[str]] = mapped_column(JSON, default=list)  # local starts called off
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    reminder_minutes: Mapped[list[int]] = mapped_column(JSON, default=list)  # before each start
    video_url: Mapped[str] = mapped_column(String(500), default="")
    created_by: Mapped[str] = mapped_column(String(PLATFORM_ID))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # when the time or reminders last changed: reminders due before it are not sent late
    schedule_set_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, default=None)


class RoundtableRsvp(Base):
    """A member's answer for one occurrence (keyed by its UTC start, like the reminders)."""

    __tablename__ = "roundtable_rsvp"

    roundtable_id: Mapped[int] = mapped_column(
        ForeignKey("roundtable.id", ondelete="CASCADE"), primary_key=True
    )
    occurrence: Mapped[str] = mapped_column(String(20), primary_key=True)  # recurrence.KEY_FORMAT
    user_id: Mapped[str] = mapped_column(String(PLATFORM_ID), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    answer: Mapped[str] = mapped_column(String(8))  # going, maybe, no
    name: Mapped[str] = mapped_column(String(120), default="")  # as shown on the reminder
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


def get_roundtable(session: Session, team_id: str, roundtable_id: int) -> Roundtable | None:
    return session.scalar(
        select(Roundtable).where(Roundtable.team_id == team_id, Roundtable.id == roundtable_id)
    )


def active_roundtables(session: Session, team_id: str | None = None) -> list[Roundtable]:
    """Roundtables not cancelled, in one team or (for the scheduler) in all of them."""
    query = select(Roundtable).where(Roundtable.cancelled_at.is_(None)).order_by(Roundtable.id)
    if team_id is not None:
        query = query.where(Roundtable.team_id == team_id)
    return list(session.scalars(query))


def same_roundtable(session: Session, team_id: str, user_id: str, *, title: str, starts_local: str,
                    timezone: str, channel_id: str) -> Roundtable | None:
    """An active roundtable this member already scheduled with exactly these details (a second
    press of the same confirm button)."""
    return session.scalar(select(Roundtable).where(
        Roundtable.team_id == team_id, Roundtable.created_by == user_id, Roundtable.cancelled_at.is_(None),
        Roundtable.title == title, Roundtable.starts_local == starts_local, Roundtable.timezone == timezone,
        Roundtable.channel_id == channel_id).limit(1))


def shown_roundtables(session: Session, team_id: str, here: str = "") -> list[Roundtable]:
    """A team's roundtables not cancelled that meet in a public channel (or in `here`): what
    lists, Home tabs and roundups show (storage.conversations)."""
    return list(session.scalars(select(Roundtable).where(
        Roundtable.cancelled_at.is_(None), Roundtable.team_id == team_id,
        visible(Roundtable.team_id, Roundtable.channel_id, here)).order_by(Roundtable.id)))


def set_rsvp(session: Session, *, team_id: str, roundtable_id: int, occurrence: str, user_id: str,
             answer: str, name: str, now: datetime) -> None:
    """Record or change a member's answer; safe when the same button is pressed twice at once."""
    if answer not in ANSWERS:
        raise ValueError(f"unknown RSVP answer {answer!r}")
    values = {"team_id": team_id, "roundtable_id": roundtable_id, "occurrence": occurrence,
              "user_id": user_id, "answer": answer, "name": name, "updated_at": now}
    if insert_ignore(session, RoundtableRsvp.__table__, values):  # type: ignore[arg-type]
        return
    session.execute(
        update(RoundtableRsvp)
        .where(RoundtableRsvp.team_id == team_id, RoundtableRsvp.roundtable_id == roundtable_id,
               RoundtableRsvp.occurrence == occurrence, RoundtableRsvp.user_id == user_id)
        .values(answer=answer, name=name, updated_at=now)
        .execution_options(synchronize_session=False)
    )


def rsvps(session: Session, team_id: str, roundtable_id: int, occurrence: str) -> list[RoundtableRsvp]:
    """Answers for one occurrence, in the order members first gave them."""
    return list(session.scalars(
        select(RoundtableRsvp)
        .where(RoundtableRsvp.team_id == team_id, RoundtableRsvp.roundtable_id == roundtable_id,
               RoundtableRsvp.occurrence == occurrence)
        .order_by(RoundtableRsvp.updated_at, RoundtableRsvp.user_id)
    ))
