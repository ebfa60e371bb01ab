"""Every version of a practice, who made it and when: the record a deletion in Slack leaves behind.

Written by the storage functions that share, edit and delete a practice (storage.practices), so
no caller can change a practice without leaving a revision. Rows are never updated or deleted.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.base import PLATFORM_ID, Base, TeamRow, UTCDateTime

if TYPE_CHECKING:
    from storage.practices import Practice

SHARED, EDITED, DELETED = "shared", "edited", "deleted"
CONTENT = ("title", "city", "problem", "solution", "outcome", "cost", "contact")


class PracticeRevision(TeamRow, Base):
    __tablename__ = "practice_revision"
    __table_args__ = (
        UniqueConstraint("practice_id", "number"),
        Index("ix_practice_revision_team_id_at", "team_id", "at"),
    )

    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # 1 for the share, then one per edit or deletion
    action: Mapped[str] = mapped_column(String(8))  # shared, edited, deleted
    by_user_id: Mapped[str] = mapped_column(String(PLATFORM_ID))  # "" when unknown (rows from before 0010)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    # the practice as it was after this revision
    title: Mapped[str] = mapped_column(String(300))
    city: Mapped[str] = mapped_column(String(120), default="")
    problem: Mapped[str] = mapped_column(Text, default="")
    solution: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    cost: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(Text, default="")
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)


def record_revision(session: Session, practice: Practice, action: str, by_user_id: str, now: datetime) -> None:
    """Append the practice as it now stands (called after the change, inside the caller's unit of work).
    A practice just shared has no revision yet: its first is number 1, nothing to read."""
    last = 0 if action == SHARED else session.scalar(select(func.max(PracticeRevision.number))
                                                     .where(PracticeRevision.practice_id == practice.id)) or 0
    session.connection().execute(insert(PracticeRevision.__table__), {  # a row, no unit of work: nothing reads it back
        "team_id": practice.team_id, "practice_id": practice.id, "number": last + 1, "action": action,
        "by_user_id": by_user_id, "at": now, "topics": [t.topic for t in practice.topics],
        **{name: getattr(practice, name) for name in CONTENT},
    })


def revisions_of(session: Session, practice_id: int) -> list[PracticeRevision]:
    return list(session.scalars(select(PracticeRevision).where(PracticeRevision.practice_id == practice_id)
                                .order_by(PracticeRevision.number)))
