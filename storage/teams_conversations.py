"""Where the bot can speak in Teams later: one conversation reference per conversation it heard from.

A reference is what the Bot Connector needs for a proactive post: the service URL to call, the
conversation id, its tenant (the workspace) and its type (personal, groupChat, channel); refreshed
from every incoming activity (the service URL can change). Beside it, what Teams calls the
conversation when it says (a channel's name and its team's, a group chat's name: member text, kept as
sent): a new name replaces the old one (a rename), an activity without one leaves it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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
    team_ref: Mapped[str | None] = mapped_column(String(255), nullable=True)  # that team's id (Teams')


@dataclass(frozen=True)
class Named:
    """What Teams called a conversation in one activity ("" for what it left out)."""

    name: str = ""
    team_name: str = ""
    fallback: str = ""  # a name kept only where none is ("General", a team's default channel)
    team_ref: str = ""  # the team a channel belongs to: its channels share the team's name


def _names(named: Named) -> dict[str, str]:
    """The names Teams sent (cut to the column), none that it left out."""
    return {k: v[:NAME] for k, v in (("name", named.name), ("team_name", named.team_name),
                                     ("team_ref", named.team_ref)) if v}


def remember(session: Session, conversation_id: str, tenant_id: str, service_url: str, conversation_type: str,
             now: datetime, named: Named = Named()) -> bool:
    """Store or refresh the reference and the names Teams sent with it; True when the conversation is
    new. Safe under racing requests."""
    values: dict[str, Any] = {"tenant_id": tenant_id, "service_url": service_url,
                              "conversation_type": conversation_type, "seen_at": now, **_names(named)}
    fallback = {"name": named.fallback[:NAME]} if named.fallback and not named.name else {}
    new = insert_ignore(session, TeamsConversation.__table__,  # type: ignore[arg-type]
                        {"conversation_id": conversation_id, **fallback, **values})
    if not new:
        if fallback:
            values["name"] = func.coalesce(TeamsConversation.name, fallback["name"])
        session.execute(update(TeamsConversation).where(TeamsConversation.conversation_id == conversation_id)
                        .values(**values))
    _share_team_name(session, conversation_id, tenant_id, named)
    return new


def rename(session: Session, conversation_id: str, tenant_id: str, named: Named) -> None:
    """New names for a conversation the bot already knows (a channel event names its channel)."""
    if names := _names(named):
        session.execute(update(TeamsConversation).where(TeamsConversation.conversation_id == conversation_id,
                                                        TeamsConversation.tenant_id == tenant_id).values(**names))
    _share_team_name(session, conversation_id, tenant_id, named)


def _share_team_name(session: Session, conversation_id: str, tenant_id: str, named: Named) -> None:
    """A team's name is its channels': a new one (a rename) reaches every channel of the team; a
    channel whose activity left it out takes the one its team's channels have."""
    if not named.team_ref:
        return
    team = (TeamsConversation.tenant_id == tenant_id, TeamsConversation.team_ref == named.team_ref[:255])
    if named.team_name:  # only the rows it changes (every channel message may carry it)
        name = named.team_name[:NAME]
        session.execute(update(TeamsConversation).where(*team, TeamsConversation.team_name.is_distinct_from(name))
                        .values(team_name=name))
        return
    known = session.scalar(select(TeamsConversation.team_name).where(*team, TeamsConversation.team_name.is_not(None))
                           .limit(1))
    if known:
        session.execute(update(TeamsConversation).where(TeamsConversation.conversation_id == conversation_id,
                                                        TeamsConversation.team_name.is_(None)).values(team_name=known))


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
