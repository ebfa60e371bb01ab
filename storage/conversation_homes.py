"""A Slack Connect channel's home: the one installed workspace that owns a shared channel.

Slack sends a shared channel's events to whichever installation it picks, so what is kept about
the channel (its questions, roundtables, reminders) is kept under its home, the first installed
workspace the bot heard it from: one row per channel id (the primary key), claimed once even
when two installations race. The rule that uses it is bot/connect.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.base import PLATFORM_ID, Base, UTCDateTime
from storage.sql import insert_ignore


class ConversationHome(Base):
    __tablename__ = "conversation_home"

    channel_id: Mapped[str] = mapped_column(String(PLATFORM_ID), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)


def home_of(session: Session, channel_id: str) -> str | None:
    """The workspace that owns a shared channel, or None for a channel never seen as shared."""
    return session.scalar(select(ConversationHome.team_id).where(ConversationHome.channel_id == channel_id))


def claim_home(session: Session, channel_id: str, team_id: str, now: datetime) -> str:
    """`team_id` owns the shared channel unless another workspace claimed it first; the owner."""
    insert_ignore(session, ConversationHome.__table__,  # type: ignore[arg-type]
                  {"channel_id": channel_id, "team_id": team_id, "claimed_at": now})
    return home_of(session, channel_id) or team_id
