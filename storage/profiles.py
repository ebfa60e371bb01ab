"""Member profiles: role, city and expertise, so the exchange knows who knows what."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, UTCDateTime

ROLES = ("mayor", "cio", "moderator", "other")  # "moderator" covers moderators and staff


class Profile(Base):
    __tablename__ = "profile"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), default="other")
    city: Mapped[str] = mapped_column(String(120), default="")
    state: Mapped[str] = mapped_column(String(60), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    expertise: Mapped[list[str]] = mapped_column(JSON, default=list)  # topic names
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
