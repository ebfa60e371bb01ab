"""A durable record of processed Slack event ids, shared by every process on the database."""

from datetime import datetime, timedelta

from sqlalchemy import String, delete
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.base import PLATFORM_ID, Base, UTCDateTime
from storage.sql import insert_ignore

KEEP_EVENTS_FOR = timedelta(days=7)  # Slack retries within minutes; a week is plenty


class ProcessedEvent(Base):
    __tablename__ = "processed_event"

    team_id: Mapped[str] = mapped_column(String(PLATFORM_ID), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


def claim_event(session: Session, team_id: str, event_id: str, now: datetime) -> bool:
    """True the first time an event id is seen for a team, False for every re-delivery."""
    return insert_ignore(
        session,
        ProcessedEvent.__table__,  # type: ignore[arg-type]
        {"team_id": team_id, "event_id": event_id, "received_at": now},
    )


def forget_old_events(session: Session, now: datetime) -> int:
    result = session.execute(
        delete(ProcessedEvent).where(ProcessedEvent.received_at < now - KEEP_EVENTS_FOR)
    )
    return int(getattr(result, "rowcount", 0))
