"""Which conversations are public: the one rule every exchange-wide surface applies.

Content from a private channel, a group DM or a DM (questions, digests) stays in it: the roundup,
the Home tabs, `/digest list` and `/digest search`, and the digests under `/practice search` show a
row only when its channel is recorded here as public (or, for a command's own reply, when it is
the conversation the command was typed in). A conversation the bot knows nothing about is private.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ColumnElement, String, exists, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.base import PLATFORM_ID, Base, UTCDateTime


class Conversation(Base):
    __tablename__ = "conversation"

    team_id: Mapped[str] = mapped_column(String(PLATFORM_ID), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(PLATFORM_ID), primary_key=True)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


def record(session: Session, team_id: str, channel_id: str, public: bool, now: datetime) -> None:
    """What the bot just learned about a conversation (an event's channel_type, conversations.info)."""
    if not team_id or not channel_id:
        return
    dialect = session.get_bind().dialect.name
    builder: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = builder(Conversation.__table__).values(
        team_id=team_id, channel_id=channel_id, public=public, updated_at=now)
    session.execute(statement.on_conflict_do_update(
        index_elements=["team_id", "channel_id"], set_={"public": public, "updated_at": now}))


def known(session: Session, team_id: str, channel_id: str) -> bool | None:
    """True (public), False (private), None (never told)."""
    return session.scalar(select(Conversation.public).where(
        Conversation.team_id == team_id, Conversation.channel_id == channel_id))


def visible(team_id: Any, channel: Any, here: str = "") -> ColumnElement[bool]:
    """SQL: the row's channel is public, or is `here` (the conversation a reply is shown in)."""
    public = exists().where(Conversation.team_id == team_id, Conversation.channel_id == channel,
                            Conversation.public.is_(True))
    return or_(public, channel == here) if here else public
