"""Syncing the posted log with the outbox: a scheduled roundup is posted by the outbox, which
learns the post's ts; this copies it onto the roundup's row so `/roundup last` can show it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.deliveries import SENT, get_delivery
from storage.roundups import SCHEDULED, PostedRoundup


def sync_scheduled(session: Session, team_id: str, kind: str, since: datetime) -> None:
    """Copy what the outbox learned (the post's ts) onto scheduled roundups claimed since `since`."""
    waiting = session.scalars(select(PostedRoundup).where(
        PostedRoundup.team_id == team_id, PostedRoundup.source == SCHEDULED,
        PostedRoundup.posted_at.is_(None), PostedRoundup.created_at >= since))
    for row in waiting:
        delivery = get_delivery(session, team_id, kind, row.key)
        if delivery is not None and delivery.status == SENT and delivery.sent_at is not None:
            row.message_ts, row.posted_at = delivery.slack_ts, delivery.sent_at
