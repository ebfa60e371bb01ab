"""Who is in the exchange: one row per workspace (a Slack team or a Teams tenant) that joined it.

A workspace is an id and its platform; its status is pending until an exchange moderator decides,
or approved on install (EXCHANGE_TEAM_IDS, the host). The rule lives in bot/exchange.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, String, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.base import Base, UTCDateTime
from storage.sql import Reader, insert_ignore

PENDING, APPROVED, DECLINED = "pending", "approved", "declined"
STATUSES = (PENDING, APPROVED, DECLINED)


class ExchangeMember(Base):
    __tablename__ = "exchange_member"
    __table_args__ = (  # one host: two first installs racing cannot both become it (0017)
        Index("uix_exchange_member_host", "host", unique=True, postgresql_where=text("host"),
              sqlite_where=text("host")),
    )

    workspace_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16), default="slack")
    status: Mapped[str] = mapped_column(String(16), index=True)
    host: Mapped[bool] = mapped_column(Boolean, default=False)  # the first to join, unless one is configured
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


def join(session: Session, workspace_id: str, status: str, now: datetime, platform: str = "slack",
         host: bool = False) -> bool:
    """Record a workspace the first time it installs; True if it is new (a reinstall keeps its status)."""
    if status not in STATUSES:
        raise ValueError(f"unknown exchange status {status!r}")
    return insert_ignore(session, ExchangeMember.__table__,  # type: ignore[arg-type]
                         {"workspace_id": workspace_id, "platform": platform, "status": status, "joined_at": now,
                          "host": host})


def first_host(session: Reader) -> str | None:
    """The workspace recorded as the host when it joined, if any."""
    return session.scalar(select(ExchangeMember.workspace_id).where(ExchangeMember.host.is_(True))
                          .order_by(ExchangeMember.joined_at).limit(1))


def status_of(session: Session, workspace_id: str) -> str | None:
    """The workspace's status, or None if it never joined."""
    return session.scalar(select(ExchangeMember.status).where(ExchangeMember.workspace_id == workspace_id))


def decide(session: Session, workspace_id: str, status: str, by: str, now: datetime) -> bool:
    """Approve or decline a workspace that joined; False if it never did."""
    if status not in (APPROVED, DECLINED):
        raise ValueError(f"a decision is approved or declined, not {status!r}")
    member = session.get(ExchangeMember, workspace_id)
    if member is None:
        return False
    member.status, member.decided_by, member.decided_at = status, by, now
    return True


def members(session: Reader, status: str | None = None, platform: str | None = None) -> list[str]:
    """Workspace ids (of one status, on one platform, if given), oldest first."""
    query = select(ExchangeMember.workspace_id).order_by(ExchangeMember.joined_at, ExchangeMember.workspace_id)
    if status is not None:
        query = query.where(ExchangeMember.status == status)
    if platform is not None:
        query = query.where(ExchangeMember.platform == platform)
    return list(session.scalars(query))


def platform_of(session: Session, workspace_id: str) -> str | None:
    """"slack" or "teams" for a workspace that joined; None if it never did."""
    return session.scalar(select(ExchangeMember.platform).where(ExchangeMember.workspace_id == workspace_id))
