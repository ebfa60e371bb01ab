"""Every roundup the bot posted (kept, for `/roundup last`): the posted log.

A posted roundup keeps its content as platform-neutral data (bot/messages.py `to_data`), never
a platform's markup, so it can be shown again anywhere."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Index, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.base import PLATFORM_ID, Base, TeamRow, UTCDateTime
from storage.sql import insert_ignore

SCHEDULED, NOW, CLI = "schedule", "now", "cli"  # how a roundup came to be posted


class PostedRoundup(TeamRow, Base):
    __tablename__ = "posted_roundup"
    __table_args__ = (
        UniqueConstraint("team_id", "key"),
        Index("ix_posted_roundup_team_id_created_at", "team_id", "created_at"),
    )

    key: Mapped[str] = mapped_column(String(200))  # the outbox key, or "now:<minute>" for /roundup now
    source: Mapped[str] = mapped_column(String(16))
    channel_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    requested_by: Mapped[str] = mapped_column(String(PLATFORM_ID), default="")
    timezone: Mapped[str] = mapped_column(String(64))  # the schedule's zone when it was claimed
    post_if_quiet: Mapped[bool] = mapped_column(Boolean, default=True)
    title: Mapped[str] = mapped_column(String(150), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the composed message, neutral
    message_ts: Mapped[str] = mapped_column(String(PLATFORM_ID), default="")  # set once Slack accepted the post
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, default=None)


def claim_roundup(session: Session, team_id: str, key: str, source: str, channel_id: str, now: datetime, *,
                  timezone: str, post_if_quiet: bool = True, requested_by: str = "") -> bool:
    """Reserve `key` for one roundup; False when it is already taken (a double request)."""
    return insert_ignore(session, PostedRoundup.__table__, {  # type: ignore[arg-type]
        "team_id": team_id, "key": key, "source": source, "channel_id": channel_id,
        "requested_by": requested_by, "timezone": timezone, "post_if_quiet": post_if_quiet,
        "title": "", "text": "", "content": {}, "message_ts": "", "created_at": now, "posted_at": None,
    })


def record_content(session: Session, team_id: str, key: str, title: str, text: str,
                   content: dict[str, Any], channel_id: str) -> None:
    row = by_key(session, team_id, key)
    if row is not None:
        row.title, row.text, row.content, row.channel_id = title, text, content, channel_id


def record_posted(session: Session, team_id: str, key: str, message_ts: str, now: datetime) -> None:
    row = by_key(session, team_id, key)
    if row is not None:
        row.message_ts, row.posted_at = message_ts, now


def forget_claim(session: Session, team_id: str, key: str) -> None:
    """A roundup that could not be posted leaves no record behind."""
    row = by_key(session, team_id, key)
    if row is not None:
        session.delete(row)


def last_posted(session: Session, team_id: str) -> PostedRoundup | None:
    return session.scalars(
        select(PostedRoundup).where(PostedRoundup.team_id == team_id, PostedRoundup.posted_at.is_not(None))
        .order_by(PostedRoundup.posted_at.desc(), PostedRoundup.id.desc()).limit(1)
    ).first()


def posted_since(session: Session, team_id: str, sources: tuple[str, ...], since: datetime,
                 pending_since: datetime | None = None) -> PostedRoundup | None:
    """A roundup of one of `sources` claimed at or after `since`: posted, or claimed at or after
    `pending_since` and being posted right now (a claim a crash left behind does not count)."""
    pending = PostedRoundup.posted_at.is_not(None)
    if pending_since is not None:
        pending = pending | (PostedRoundup.created_at >= pending_since)
    return session.scalars(
        select(PostedRoundup).where(PostedRoundup.team_id == team_id, PostedRoundup.source.in_(sources),
                                    PostedRoundup.created_at >= since, pending)
        .order_by(PostedRoundup.created_at.desc()).limit(1)
    ).first()


def by_key(session: Session, team_id: str, key: str) -> PostedRoundup | None:
    return session.scalars(
        select(PostedRoundup).where(PostedRoundup.team_id == team_id, PostedRoundup.key == key)
    ).first()
