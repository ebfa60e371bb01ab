"""What the web library reads: practices (and digests) of the approved workspaces.

`public=True` is the anonymous reader's view: only practices their sharer (or a moderator)
published, and only those shared in a public conversation (storage.conversations, the one rule);
never a digest. `public=False` is a signed-in member's: everything the exchange shares (digests of
public conversations only). Every function takes a Session and never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from storage.conversations import visible
from storage.digests import Digest, recent_digests, search_digests
from storage.practices import Adoption, Practice, PracticeTopic, adopting_cities
from storage.profiles import Profile
from storage.search import search_practices

RELATED = 5


@dataclass(frozen=True)
class Entry:
    """A practice as a list shows it."""

    practice: Practice
    adoptions: int


@dataclass(frozen=True)
class PracticePage:
    practice: Practice
    sharer: Profile | None
    cities: list[str]
    related: list[Entry]
    card_public: bool  # its card is in a public channel: the page may link to it


def shown(team_ids: Sequence[str], public: bool) -> list[ColumnElement[bool]]:
    clauses = [Practice.team_id.in_(list(team_ids)), Practice.deleted_at.is_(None)]
    if public:
        clauses += [Practice.published.is_(True), visible(Practice.team_id, Practice.channel_id)]
    return clauses


def entries(session: Session, practices: Sequence[Practice]) -> list[Entry]:
    ids = [p.id for p in practices]
    counts: dict[int, int] = {}
    if ids:
        rows = session.execute(select(Adoption.practice_id, func.count()).where(Adoption.practice_id.in_(ids))
                               .group_by(Adoption.practice_id))
        counts = {practice_id: int(n) for practice_id, n in rows}
    return [Entry(p, counts.get(p.id, 0)) for p in practices]


def newest(session: Session, team_ids: Sequence[str], public: bool, *, topic: str = "", city_key: str = "",
           limit: int = 10) -> list[Entry]:
    statement = select(Practice).where(*shown(team_ids, public))
    if topic:
        statement = statement.where(Practice.id.in_(select(PracticeTopic.practice_id).where(PracticeTopic.topic == topic)))
    if city_key:
        statement = statement.where(Practice.city_key == city_key)
    return entries(session, session.scalars(
        statement.order_by(Practice.created_at.desc(), Practice.id.desc()).limit(limit)).all())


def most_adopted(session: Session, team_ids: Sequence[str], public: bool, limit: int = 5) -> list[Entry]:
    adopted = func.count(Adoption.id).label("adopted")
    rows = session.execute(
        select(Practice, adopted).join(Adoption, Adoption.practice_id == Practice.id)
        .where(*shown(team_ids, public)).group_by(Practice.id)
        .order_by(adopted.desc(), Practice.id.desc()).limit(limit)).all()
    return [Entry(practice, int(count)) for practice, count in rows]


def by_city(session: Session, team_ids: Sequence[str], public: bool, limit: int = 50) -> list[tuple[str, int]]:
    """(city as first written, practices) for the cities with most practices."""
    count = func.count(Practice.id).label("n")
    rows = session.execute(
        select(func.min(Practice.city), count).where(*shown(team_ids, public), Practice.city_key != "")
        .group_by(Practice.city_key).order_by(count.desc(), Practice.city_key).limit(limit)).all()
    return [(str(city), int(n)) for city, n in rows]


def by_topic(session: Session, team_ids: Sequence[str], public: bool, limit: int = 50) -> list[tuple[str, int]]:
    count = func.count(PracticeTopic.practice_id).label("n")
    rows = session.execute(
        select(PracticeTopic.topic, count).join(Practice, Practice.id == PracticeTopic.practice_id)
        .where(*shown(team_ids, public)).group_by(PracticeTopic.topic)
        .order_by(count.desc(), PracticeTopic.topic).limit(limit)).all()
    return [(str(topic), int(n)) for topic, n in rows]


def search(session: Session, team_ids: Sequence[str], public: bool, query: str, *, topic: str = "",
           city: str = "", limit: int = 20) -> list[Entry]:
    """The search of `/practice search` (storage.search), per approved workspace."""
    found: list[Practice] = []
    for team_id in team_ids:
        found += search_practices(session, team_id, query, topics=[topic] if topic else [], city=city or None,
                                  limit=limit - len(found), public_only=public)
        if len(found) >= limit:
            break
    return entries(session, found)


def practice_page(session: Session, team_ids: Sequence[str], public: bool, practice_id: int) -> PracticePage | None:
    practice = session.scalar(select(Practice).where(Practice.id == practice_id, *shown(team_ids, public)))
    if practice is None:
        return None
    sharer = session.get(Profile, (practice.team_id, practice.user_id))
    card_public = bool(practice.message_ts) and bool(session.scalar(
        select(visible(Practice.team_id, Practice.channel_id)).where(Practice.id == practice.id)))
    return PracticePage(practice, sharer, adopting_cities(session, [practice.id])[practice.id],
                        related(session, practice, public), card_public)


def related(session: Session, practice: Practice, public: bool, limit: int = RELATED) -> list[Entry]:
    """Practices sharing most topics with this one, newest first among equals."""
    topics = [t.topic for t in practice.topics]
    if not topics:
        return []
    shared = func.count(PracticeTopic.topic).label("shared")
    rows = session.scalars(
        select(Practice).join(PracticeTopic, PracticeTopic.practice_id == Practice.id)
        .where(*shown([practice.team_id], public), PracticeTopic.topic.in_(topics), Practice.id != practice.id)
        .group_by(Practice.id).order_by(shared.desc(), Practice.created_at.desc(), Practice.id.desc())
        .limit(limit)).all()
    return entries(session, rows)


def digests(session: Session, team_ids: Sequence[str], query: str = "", limit: int = 20) -> list[Digest]:
    """Signed-in readers only: digests of public conversations (newest, or best matching `query`)."""
    found: list[Digest] = []
    for team_id in team_ids:
        found += search_digests(session, team_id, query, limit) if query.strip() else \
            recent_digests(session, team_id, limit)[0]
    return found[:limit]


def digest(session: Session, team_ids: Sequence[str], digest_id: int) -> Digest | None:
    return session.scalar(select(Digest).where(
        Digest.id == digest_id, Digest.team_id.in_(list(team_ids)), visible(Digest.team_id, Digest.channel_id)))

