"""The outbox: every scheduled post the bot makes, keyed so that it is made at most once.

A row is enqueued with INSERT ... ON CONFLICT DO NOTHING on UNIQUE(team_id, kind, key), so any
number of tickers may enqueue the same delivery. Sending is claimed first (`pending -> sending`
with a lease, committed before the Slack call); a lease that runs out means the outcome of the
last send is unknown, and the outbox checks the channel before posting again (bot/outbox.py).

`next_attempt_at` is when the row next becomes claimable: its due time, a retry time, or the end
of its lease, so one indexed condition finds everything due.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Executable,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.base import PLATFORM_ID, Base, TeamRow, UTCDateTime
from storage.sql import insert_ignore

PENDING, SENDING, SENT, SKIPPED, FAILED = "pending", "sending", "sent", "skipped", "failed"
STATUSES = (PENDING, SENDING, SENT, SKIPPED, FAILED)
FINISHED = (SENT, SKIPPED, FAILED)


class Delivery(TeamRow, Base):
    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("team_id", "kind", "key"),
        Index("ix_delivery_status_next_attempt_at", "status", "next_attempt_at"),
    )

    kind: Mapped[str] = mapped_column(String(40))  # a renderer registered with bot.outbox
    key: Mapped[str] = mapped_column(String(200))  # unique per team and kind: what makes it "once"
    channel_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # then skipped, never posted
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    slack_ts: Mapped[str] = mapped_column(String(PLATFORM_ID), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


def enqueue(session: Session, *, team_id: str, kind: str, key: str, channel_id: str, due_at: datetime,
            expires_at: datetime | None = None, now: datetime | None = None) -> bool:
    """Add a delivery unless one with the same (team_id, kind, key) exists; True when added.

    `now` stamps created_at (the database's clock when omitted).
    """
    values: dict[str, Any] = {
        "team_id": team_id, "kind": kind, "key": key, "channel_id": channel_id,
        "due_at": due_at, "expires_at": expires_at, "status": PENDING, "attempts": 0,
        "next_attempt_at": due_at, "slack_ts": "", "error": "",
        "created_at": now if now is not None else func.now(),
    }
    return insert_ignore(session, Delivery.__table__, values)  # type: ignore[arg-type]


def _due(now: datetime) -> ColumnElement[bool]:
    return Delivery.status.in_((PENDING, SENDING)) & (Delivery.next_attempt_at <= now)


def claim_next(session: Session, now: datetime, lease: timedelta) -> tuple[Delivery, bool] | None:
    """Claim the most overdue delivery for `lease`; returns it and whether the last send's outcome
    is unknown (it was `sending` when its lease ran out). The caller commits before sending.

    PostgreSQL: FOR UPDATE SKIP LOCKED lets several tickers claim different rows at once. SQLite:
    the session already holds the write lock (BEGIN IMMEDIATE), where FOR UPDATE compiles to
    nothing. The conditional UPDATE guards both: a row someone else claimed first is not taken.
    """
    candidate = session.execute(
        select(Delivery.id, Delivery.status, Delivery.next_attempt_at)
        .where(_due(now))
        .order_by(Delivery.next_attempt_at, Delivery.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()
    if candidate is None:
        return None
    claimed = _changed(session, update(Delivery)
        .where(Delivery.id == candidate.id, Delivery.status == candidate.status,
               Delivery.next_attempt_at == candidate.next_attempt_at)
        .values(status=SENDING, lease_until=now + lease, next_attempt_at=now + lease,
                attempts=Delivery.attempts + 1))
    if claimed != 1:
        return None
    delivery = session.get(Delivery, candidate.id, populate_existing=True)
    if delivery is None:  # removed since the claim: nothing to send
        return None
    return delivery, candidate.status == SENDING


def _changed(session: Session, statement: Executable) -> int:
    """Run an UPDATE or DELETE; how many rows it changed."""
    result = session.execute(statement.execution_options(synchronize_session=False))
    return cast(CursorResult[Any], result).rowcount


def _finish(session: Session, delivery_id: int, **values: Any) -> None:
    session.execute(
        update(Delivery).where(Delivery.id == delivery_id).values(lease_until=None, **values)
        .execution_options(synchronize_session=False)
    )


def mark_sent(session: Session, delivery_id: int, slack_ts: str, now: datetime) -> None:
    _finish(session, delivery_id, status=SENT, slack_ts=slack_ts, sent_at=now, error="")


def mark_skipped(session: Session, delivery_id: int, reason: str) -> None:
    _finish(session, delivery_id, status=SKIPPED, error=reason)


def mark_failed(session: Session, delivery_id: int, error: str) -> None:
    _finish(session, delivery_id, status=FAILED, error=error)


def mark_retry(session: Session, delivery_id: int, error: str, at: datetime, *, unknown: bool = False) -> None:
    """Try again at `at`. `unknown`: the post may have gone through (a dropped connection), so the
    row stays `sending` and the next claim checks the channel before posting again."""
    if unknown:
        session.execute(
            update(Delivery).where(Delivery.id == delivery_id)
            .values(status=SENDING, lease_until=at, next_attempt_at=at, error=error)
            .execution_options(synchronize_session=False)
        )
    else:
        _finish(session, delivery_id, status=PENDING, next_attempt_at=at, error=error)


def skip_pending(session: Session, team_id: str, kind: str, key_prefix: str, reason: str) -> int:
    """Skip the pending deliveries whose key starts with `key_prefix` (e.g. a cancelled meeting's)."""
    return _changed(session, update(Delivery)
        .where(Delivery.team_id == team_id, Delivery.kind == kind, Delivery.status == PENDING,
               Delivery.key.startswith(key_prefix, autoescape=True))
        .values(status=SKIPPED, error=reason))


def sent_with_prefix(session: Session, team_id: str, kind: str, key_prefix: str) -> list[Delivery]:
    """Deliveries already posted whose key starts with `key_prefix`, oldest first."""
    return list(session.scalars(
        select(Delivery)
        .where(Delivery.team_id == team_id, Delivery.kind == kind, Delivery.status == SENT,
               Delivery.key.startswith(key_prefix, autoescape=True))
        .order_by(Delivery.id)
    ))


def get_delivery(session: Session, team_id: str, kind: str, key: str) -> Delivery | None:
    return session.scalar(
        select(Delivery).where(Delivery.team_id == team_id, Delivery.kind == kind, Delivery.key == key)
    )


def forget_finished(session: Session, before: datetime) -> int:
    """Drop finished deliveries due before `before`; enqueuers never look back that far."""
    return _changed(session, delete(Delivery).where(Delivery.status.in_(FINISHED), Delivery.due_at < before))
