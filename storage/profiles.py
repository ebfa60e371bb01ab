"""Member profiles: role, city and expertise, so the exchange knows who knows what."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Connection, String, bindparam, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.base import PLATFORM_ID, Base, UTCDateTime

ROLES = ("mayor", "cio", "moderator", "other")  # "moderator" covers moderators and staff


class Profile(Base):
    __tablename__ = "profile"

    team_id: Mapped[str] = mapped_column(String(PLATFORM_ID), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(PLATFORM_ID), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), default="other")
    city: Mapped[str] = mapped_column(String(120), default="")
    state: Mapped[str] = mapped_column(String(60), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    expertise: Mapped[list[str]] = mapped_column(JSON, default=list)  # topic names
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


PROFILE_ROW = select(*Profile.__table__.c).where(Profile.__table__.c.team_id == bindparam("team_id"),
                                                Profile.__table__.c.user_id == bindparam("user_id"))


def get_profile(session: Session, team_id: str, user_id: str) -> Profile | None:
    return session.get(Profile, (team_id, user_id))


def read_profile(conn: Connection, team_id: str, user_id: str) -> Profile | None:
    """get_profile in Core, on a unit of work's connection (the one-line share's write): a detached
    Profile, no session."""
    row = conn.execute(PROFILE_ROW, {"team_id": team_id, "user_id": user_id}).first()
    return Profile(**row._mapping) if row is not None else None


def save_profile(session: Session, team_id: str, user_id: str, now: datetime, *, role: str, city: str,
                 state: str, title: str, expertise: list[str]) -> Profile:
    """Create or replace a member's profile."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    profile = session.get(Profile, (team_id, user_id)) or Profile(team_id=team_id, user_id=user_id)
    profile.role, profile.city, profile.state, profile.title = role, city, state, title
    profile.expertise = list(expertise)
    profile.updated_at = now
    session.add(profile)
    session.flush()
    return profile


def profiles_of(session: Session, team_id: str, user_ids: list[str]) -> dict[str, Profile]:
    if not user_ids:
        return {}
    rows = session.scalars(select(Profile).where(Profile.team_id == team_id, Profile.user_id.in_(user_ids)))
    return {p.user_id: p for p in rows}
