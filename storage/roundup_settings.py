"""Roundup settings per workspace: the day, time, zone and channel a workspace chose."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.base import PLATFORM_ID, Base, UTCDateTime


class RoundupSettings(Base):
    """A workspace's own schedule; without a row the bot uses ROUNDUP_CRON, BOT_TIMEZONE, ROUNDUP_CHANNEL."""

    __tablename__ = "roundup_settings"

    team_id: Mapped[str] = mapped_column(String(PLATFORM_ID), primary_key=True)
    day: Mapped[str] = mapped_column(String(3))  # mon ... sun
    time: Mapped[str] = mapped_column(String(5))  # HH:MM, local
    timezone: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    post_quiet_weeks: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[str] = mapped_column(String(PLATFORM_ID))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


def settings_of(session: Session, team_id: str) -> RoundupSettings | None:
    return session.get(RoundupSettings, team_id)


def save_settings(session: Session, team_id: str, user_id: str, now: datetime, **values: Any) -> RoundupSettings:
    row = session.get(RoundupSettings, team_id)
    if row is None:
        row = RoundupSettings(team_id=team_id)
        session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_by = user_id
    row.updated_at = now
    session.flush()
    return row


def teams_with_settings(session: Session) -> list[str]:
    return list(session.scalars(select(RoundupSettings.team_id).order_by(RoundupSettings.team_id)))


def shared_channels(session: Session) -> dict[str, list[str]]:
    """Roundup channels that several workspaces chose (a Slack Connect channel): channel -> teams."""
    rows = session.execute(select(RoundupSettings.channel_id, RoundupSettings.team_id).where(
        RoundupSettings.channel_id.in_(select(RoundupSettings.channel_id).where(RoundupSettings.channel_id != "")
                                       .group_by(RoundupSettings.channel_id).having(func.count() > 1)))
        .order_by(RoundupSettings.channel_id, RoundupSettings.team_id))
    found: dict[str, list[str]] = {}
    for channel, team in rows:
        found.setdefault(channel, []).append(team)
    return found
