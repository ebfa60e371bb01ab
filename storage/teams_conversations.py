"""Where the bot can speak in Teams later: one conversation reference per conversation it heard from.

A reference is what the Bot Connector needs for a proactive post: the service URL to call, the
conversation id, its tenant (the workspace) and its type (personal, groupChat, channel); refreshed
from every incoming activity (the service URL can change). Beside it, what Teams calls the
conversation when it says (a channel's name and its team's, a group chat's name: member text, kept as
sent): a new name replaces the old one (a rename), an activity without one leaves it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import String, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.base import Base, UTCDateTime
from storage.sql import insert_ignore

NAME = 255  # Teams allows 50 characters for a channel's name, 256 for a team's


class TeamsConversation(Base):
    __tablename__ = "teams_conversation"

    conversation_id: Mapped[str] = mapped_column(String(512), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64), index=True)
    service_url: Mapped[str] = mapped_column(String(512))
    conversation_type: Mapped[str] = mapped_column(String(32))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    name: Mapped[str | None] = mapped_column(String(NAME), nullable=True)  # the channel's or group chat's
    team_name: Mapped[str | None] = mapped_column(String(NAME), nullable=True)  # a channel's team


def _names(name: str, team_name: str) -> dict[str, str]:
    """The names Teams sent (cut to the column), none that it left out."""
    return {k: v[:NAME] for k, v in (("name", name), ("team_name", team_name)) if v}


def remember(session: Session, conversation_id: str, tenant_id: str, service_url: str, conversation_type: str,
             now: datetime, name: str = "", team_name: str = "", fallback_name: str = "") -> bool:
    """Store or refresh the reference (and the names Teams sent with it; `fallback_name` only where no
    name is kept); True when the conversation is new. Safe under racing requests."""
    values: dict[str, Any] = {"tenant_id": tenant_id, "service_url": service_url,
                              "conversation_type": conversation_type, "seen_at": now, **_names(name, team_name)}
    if insert_ignore(session, TeamsConversation.__table__,  # type: ignore[arg-type]
                     {"conversation_id": conversation_id, **_names(fallback_name, ""), **values}):
        return True
    if fallback_name and not name:
        values["name"] = func.coalesce(TeamsConversation.name, fallback_name[:NAME])
    session.execute(update(TeamsConversation).where(TeamsConversation.conversation_id == conversation_id)
                    .values(**values))
    return False


def rename(session: Session, conversation_id: str, tenant_id: str, name: str = "", team_name: str = "") -> None:
    """New names for a conversation the bot already knows (a channel event names its channel)."""
    if names := _names(name, team_name):
        session.execute(update(TeamsConversation).where(TeamsConversation.conversation_id == conversation_id,
                                                        TeamsConversation.tenant_id == tenant_id).values(**names))


def names_of(session: Session, tenant_id: str, conversation_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """(name, team name) of each of the tenant's conversations in `conversation_ids` with one known."""
    wanted = set(conversation_ids)
    if not wanted:
        return {}
    rows = session.execute(select(TeamsConversation.conversation_id, TeamsConversation.name, TeamsConversation.team_name)
                           .where(TeamsConversation.tenant_id == tenant_id,
                                  TeamsConversation.conversation_id.in_(wanted)))
    return {c: (name or "", team or "") for c, name, team in rows if name or team}


def reference(session: Session, conversation_id: str) -> TeamsConversation | None:
    return session.get(TeamsConversation, conversation_id)


def conversations_of(session: Session, tenant_id: str) -> list[TeamsConversation]:
    return list(session.scalars(select(TeamsConversation).where(TeamsConversation.tenant_id == tenant_id)
                                .order_by(TeamsConversation.conversation_id)))


def tenant_service_url(session: Session, tenant_id: str) -> str | None:
    """The service URL the tenant's most recent activity came through (to start a conversation)."""
    return session.scalar(select(TeamsConversation.service_url).where(TeamsConversation.tenant_id == tenant_id)
                          .order_by(TeamsConversation.seen_at.desc()).limit(1))
