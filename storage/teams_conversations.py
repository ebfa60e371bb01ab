"""Where the bot can speak in Teams later: one conversation reference per conversation it heard from.

A reference is what the Bot Connector needs for a proactive post: the service URL to call, the
conversation id, its tenant (the workspace) and its type (personal, groupChat, channel). Plain ids
and URLs only; refreshed from every incoming activity (the service URL can change).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.base import Base, UTCDateTime
from storage.sql import insert_ignore


class TeamsConversation(Base):
    __tablename__ = "teams_conversation"

    conversation_id: Mapped[str] = mapped_column(String(512), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64), index=True)
    service_url: Mapped[str] = mapped_column(String(512))
    conversation_type: Mapped[str] = mapped_column(String(32))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


def remember(session: Session, conversation_id: str, tenant_id: str, service_url: str, conversation_type: str,
             now: datetime) -> bool:
    """Store or refresh the reference; True when the conversation is new. Safe under racing requests."""
    values = {"tenant_id": tenant_id, "service_url": service_url, "conversation_type": conversation_type,
              "seen_at": now}
    if insert_ignore(session, TeamsConversation.__table__,  # type: ignore[arg-type]
                     {"conversation_id": conversation_id, **values}):
        return True
    session.execute(update(TeamsConversation).where(TeamsConversation.conversation_id == conversation_id)
                    .values(**values))
    return False


def reference(session: Session, conversation_id: str) -> TeamsConversation | None:
    return session.get(TeamsConversation, conversation_id)


def conversations_of(session: Session, tenant_id: str) -> list[TeamsConversation]:
    return list(session.scalars(select(TeamsConversation).where(TeamsConversation.tenant_id == tenant_id)
                                .order_by(TeamsConversation.conversation_id)))


def tenant_service_url(session: Session, tenant_id: str) -> str | None:
    """The service URL the tenant's most recent activity came through (to start a conversation)."""
    return session.scalar(select(TeamsConversation.service_url).where(TeamsConversation.tenant_id == tenant_id)
                          .order_by(TeamsConversation.seen_at.desc()).limit(1))
