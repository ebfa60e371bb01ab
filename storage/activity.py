"""What happened in a workspace, and in the exchange it is part of, between two instants: the
queries behind the weekly roundup (practices and adoptions are the exchange's, issue 12).

Each query is bounded by an index on (team_id, created_at)-like columns and a LIMIT, so the
roundup costs the same with a hundred practices or a hundred thousand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Index, and_, func, or_, select, union
from sqlalchemy.orm import Session

from storage.conversations import visible
from storage.exchange import APPROVED, ExchangeMember
from storage.practices import Adoption, Practice

# The roundup reads practices and adoptions by week; these indexes make that a range scan.
Index("ix_practice_team_id_created_at", Practice.team_id, Practice.created_at)
Index("ix_adoption_team_id_created_at", Adoption.team_id, Adoption.created_at)
Index("ix_adoption_created_at", Adoption.created_at)  # the exchange's week, across workspaces (0017)


@dataclass(frozen=True)
class PracticeLine:
    id: int
    team_id: str
    title: str
    city: str
    user_id: str
    channel_id: str
    message_ts: str
    adoptions: int  # cities that adopted it, in all
    adoptions_this_week: int = 0


def _live(team_id: str) -> tuple:
    """The team's practices and the exchange's: every approved workspace's shared in a public
    conversation (one subquery, nothing read first; no exchange, no other rows)."""
    exchange = and_(Practice.team_id.in_(select(ExchangeMember.workspace_id).where(ExchangeMember.status == APPROVED)),
                    visible(Practice.team_id, Practice.channel_id))
    return (or_(Practice.team_id == team_id, exchange), Practice.deleted_at.is_(None))


def count_new_practices(session: Session, team_id: str, start: datetime, end: datetime) -> int:
    return int(session.scalar(
        select(func.count()).select_from(Practice)
        .where(*_live(team_id), Practice.created_at >= start, Practice.created_at < end)
    ) or 0)


def adoption_counts(session: Session, team_id: str, practice_ids: list[int]) -> dict[int, int]:
    if not practice_ids:
        return {}
    rows = session.execute(
        select(Adoption.practice_id, func.count()).where(Adoption.practice_id.in_(practice_ids))
        .group_by(Adoption.practice_id)
    )
    return {practice_id: int(count) for practice_id, count in rows}


def new_practices(session: Session, team_id: str, start: datetime, end: datetime, limit: int) -> list[PracticeLine]:
    """The week's newest practices, newest first, with how many cities adopted each."""
    rows = session.execute(
        select(Practice.id, Practice.team_id, Practice.title, Practice.city, Practice.user_id, Practice.channel_id,
               Practice.message_ts)
        .where(*_live(team_id), Practice.created_at >= start, Practice.created_at < end)
        .order_by(Practice.created_at.desc(), Practice.id.desc()).limit(limit)
    ).all()
    counts = adoption_counts(session, team_id, [r.id for r in rows])
    return [PracticeLine(*row, adoptions=counts.get(row.id, 0)) for row in rows]


def most_adopted(session: Session, team_id: str, start: datetime, end: datetime,
                 limit: int) -> tuple[list[PracticeLine], int]:
    """Practices most adopted during the week (and how many practices were adopted at all)."""
    week = (Adoption.created_at >= start, Adoption.created_at < end, *_live(team_id))
    adopted = func.count().label("adopted")
    ranked = session.execute(
        select(Adoption.practice_id, adopted).join(Practice, Practice.id == Adoption.practice_id)
        .where(*week).group_by(Adoption.practice_id).order_by(adopted.desc(), Adoption.practice_id).limit(limit)
    ).all()
    total = int(session.scalar(
        select(func.count(func.distinct(Adoption.practice_id))).join(Practice, Practice.id == Adoption.practice_id)
        .where(*week)
    ) or 0)
    if not ranked:
        return [], total
    ids = [r.practice_id for r in ranked]
    practices = {p.id: p for p in session.execute(
        select(Practice.id, Practice.team_id, Practice.title, Practice.city, Practice.user_id, Practice.channel_id,
               Practice.message_ts).where(Practice.id.in_(ids))
    )}
    counts = adoption_counts(session, team_id, ids)
    return [PracticeLine(*practices[r.practice_id], adoptions=counts.get(r.practice_id, 0),
                         adoptions_this_week=int(r.adopted)) for r in ranked], total


def active_cities(session: Session, team_id: str, start: datetime, end: datetime) -> set[str]:
    """Cities that shared or adopted a practice during the week (case-folded)."""
    shared = select(Practice.city_key.label("city")).where(
        *_live(team_id), Practice.created_at >= start, Practice.created_at < end)
    adopted = select(Adoption.city_key.label("city")).join(Practice, Practice.id == Adoption.practice_id).where(
        *_live(team_id), Adoption.created_at >= start, Adoption.created_at < end)
    return {city for city in session.scalars(select(union(shared, adopted).subquery().c.city)) if city}


def teams_seen(session: Session) -> list[str]:
    """Every workspace with a profile or a practice, in order."""
    from storage.profiles import Profile

    query = union(select(Profile.team_id), select(Practice.team_id))
    return sorted(session.scalars(select(query.subquery().c.team_id)))
