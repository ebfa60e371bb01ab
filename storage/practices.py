"""Practices: what a city did about a problem, and which cities adopted it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    delete,
    exists,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, validates

from storage.base import PLATFORM_ID, Base, UTCDateTime
from storage.conversations import visible
from storage.revisions import DELETED, EDITED, SHARED, record_revision
from storage.sql import insert_ignore


class Practice(Base):
    __tablename__ = "practice"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(PLATFORM_ID), index=True)
    user_id: Mapped[str] = mapped_column(String(PLATFORM_ID))  # the sharer (who answered, for a saved answer)
    asked_by: Mapped[str] = mapped_column(String(PLATFORM_ID), default="", server_default="")  # the question's asker
    saved_by: Mapped[str] = mapped_column(String(PLATFORM_ID), default="", server_default="")  # who saved the answer
    city: Mapped[str] = mapped_column(String(120), default="")
    city_key: Mapped[str] = mapped_column(String(120), default="")  # city, case-folded, for filters
    title: Mapped[str] = mapped_column(String(300))
    problem: Mapped[str] = mapped_column(Text, default="")
    solution: Mapped[str] = mapped_column(Text, default="")  # what was done
    outcome: Mapped[str] = mapped_column(Text, default="")
    cost: Mapped[str] = mapped_column(Text, default="")  # cost or timeline, optional
    contact: Mapped[str] = mapped_column(Text, default="")
    channel_id: Mapped[str] = mapped_column(String(PLATFORM_ID), default="")  # where its card was posted
    message_ts: Mapped[str] = mapped_column(String(PLATFORM_ID), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, default=None)
    published: Mapped[bool] = mapped_column(Boolean, default=False)  # on the public web library

    topics: Mapped[list[PracticeTopic]] = relationship(
        cascade="all, delete-orphan", order_by="PracticeTopic.topic", lazy="selectin"
    )

    @validates("city")
    def _keep_city_key(self, _key: str, city: str) -> str:
        self.city_key = city_key(city)
        return city


def city_key(city: str) -> str:
    """The form cities are compared in: case-folded, single spaces (SQLite's lower() is ASCII-only)."""
    return " ".join(city.casefold().split())[:120]


class PracticeTopic(Base):
    __tablename__ = "practice_topic"

    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)


class Adoption(Base):
    """A city that adopted a practice; one row per (practice, city), and one per (practice, member):
    a member who moves city (their profile) cannot count a second one."""

    __tablename__ = "adoption"
    __table_args__ = (UniqueConstraint("practice_id", "city_key"),
                      Index("uix_adoption_practice_id_user_id", "practice_id", "user_id", unique=True))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[str] = mapped_column(String(PLATFORM_ID), index=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"), index=True)
    city: Mapped[str] = mapped_column(String(120))
    city_key: Mapped[str] = mapped_column(String(120))  # city, case-folded, for the uniqueness
    user_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PracticeAsk(Base):
    """A member pressed *Ask about this* on a practice: its sharer is mentioned for them once."""

    __tablename__ = "practice_ask"

    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(PLATFORM_ID), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


def claim_ask(session: Session, practice: Practice, user_id: str, now: datetime) -> bool:
    """False when this member already asked about this practice."""
    return insert_ignore(session, PracticeAsk.__table__, {  # type: ignore[arg-type]
        "practice_id": practice.id, "user_id": user_id, "team_id": practice.team_id, "created_at": now})


def release_ask(session: Session, practice_id: int, user_id: str) -> None:
    session.execute(delete(PracticeAsk).where(PracticeAsk.practice_id == practice_id, PracticeAsk.user_id == user_id))


# queries: each takes a Session, filters on team_id, never commits ------------------------------
def add_practice(session: Session, team_id: str, user_id: str, now: datetime, *, topics: list[str],
                 **fields: str) -> Practice:
    """A new practice from `fields` (title, city, problem, solution, outcome, cost, contact, channel_id,
    and for a saved answer asked_by and saved_by)."""
    practice = Practice(team_id=team_id, user_id=user_id, created_at=now, updated_at=now, **fields)
    practice.topics = [PracticeTopic(topic=t) for t in topics]
    session.add(practice)
    session.flush()
    record_revision(session, practice, SHARED, user_id, now)
    return practice


def update_practice(session: Session, practice: Practice, now: datetime, *, by: str, topics: list[str],
                    **fields: str) -> Practice:
    """Edit by member `by` (the sharer or a moderator); the new version is kept as a revision."""
    for name, value in fields.items():
        setattr(practice, name, value)
    keep = set(topics)
    practice.topics = [t for t in practice.topics if t.topic in keep]  # the rest are deleted (orphans)
    have = {t.topic for t in practice.topics}
    practice.topics.extend(PracticeTopic(topic=t) for t in topics if t not in have)
    practice.updated_at = now
    session.flush()
    record_revision(session, practice, EDITED, by, now)
    return practice


def get_practice(session: Session, team_id: str, practice_id: int) -> Practice | None:
    """A practice of this team that was not deleted."""
    return session.scalar(select(Practice).where(
        Practice.id == practice_id, Practice.team_id == team_id, Practice.deleted_at.is_(None)))


def reachable_practice(session: Session, team_id: str, practice_id: int, teams: Collection[str] = ()) -> Practice | None:
    """A practice this team may act on (adopt): its own, or, for the exchange scope `teams`, another
    approved workspace's shared in a public conversation (never a private one); not deleted."""
    return session.scalar(select(Practice).where(Practice.id == practice_id, _in_scope(team_id, teams),
                                                 Practice.deleted_at.is_(None)))


def _in_scope(team_id: str, teams: Collection[str]) -> ColumnElement[bool]:
    """The team's own practices, and the other `teams`' shared in a public conversation."""
    own: ColumnElement[bool] = Practice.team_id == team_id
    others = sorted(set(teams) - {team_id})
    if others:
        own = or_(own, and_(Practice.team_id.in_(others), visible(Practice.team_id, Practice.channel_id)))
    return own


def delete_practice(session: Session, practice: Practice, now: datetime, *, by: str) -> None:
    """Soft delete by member `by`: gone from search, lists and roundups; the row, its adoptions and
    its revisions stay for the record (exports show it, marked deleted)."""
    practice.deleted_at = now
    practice.updated_at = now
    session.flush()
    record_revision(session, practice, DELETED, by, now)


def find_practice(session: Session, team_id: str, user_id: str, title: str) -> Practice | None:
    return session.scalar(select(Practice).where(
        Practice.team_id == team_id, Practice.user_id == user_id, Practice.title == title,
        Practice.deleted_at.is_(None)).limit(1))


def list_practices(session: Session, team_id: str, *, topics: Sequence[str] = (), city: str | None = None,
                   user_id: str | None = None, limit: int = 10, teams: Collection[str] = ()) -> list[Practice]:
    """Newest first, deleted ones left out; optionally only those with every topic, a city's, a member's.
    `teams`, the exchange scope: other approved workspaces' practices shared in public conversations too."""
    statement = select(Practice).where(_in_scope(team_id, teams), Practice.deleted_at.is_(None))
    for topic in topics:
        statement = statement.where(
            exists().where(PracticeTopic.practice_id == Practice.id, PracticeTopic.topic == topic))
    if city:
        statement = statement.where(Practice.city_key == city_key(city))
    if user_id:
        statement = statement.where(Practice.user_id == user_id)
    return list(session.scalars(statement.order_by(Practice.created_at.desc(), Practice.id.desc()).limit(limit)))


def known_cities(session: Session, team_id: str) -> list[str]:
    """Every city the exchange knows: of its practices, adoptions and members' profiles."""
    from storage.profiles import Profile  # profiles know nothing of practices; the import stays local

    found: set[str] = set()
    for column, where in ((Practice.city, Practice.team_id), (Adoption.city, Adoption.team_id),
                          (Profile.city, Profile.team_id)):
        found.update(c for c in session.scalars(select(column).where(where == team_id).distinct()) if c)
    return sorted(found)


def store_card(session: Session | Connection, practice_id: int, channel_id: str, message_ts: str) -> None:
    """Where a practice's card was posted: one UPDATE, nothing read first (a Connection: no ORM),
    built once (building it per call cost more Python than the share's three INSERTs)."""
    session.execute(STORE_CARD, {"card_of": practice_id, "card_channel": channel_id, "card_ts": message_ts})


STORE_CARD = (update(Practice.__table__).where(Practice.__table__.c.id == bindparam("card_of"))
              .values(channel_id=bindparam("card_channel"), message_ts=bindparam("card_ts")))


def adopt(session: Session, practice: Practice, city: str, user_id: str, now: datetime) -> bool:
    """Record that `city` adopted `practice`; False when that city already had (once per city)."""
    return insert_ignore(session, Adoption.__table__, {  # type: ignore[arg-type]
        "team_id": practice.team_id, "practice_id": practice.id, "city": city.strip(),
        "city_key": city_key(city), "user_id": user_id, "created_at": now,
    })


def adoption_by(session: Session, practice_id: int, user_id: str) -> Adoption | None:
    return session.scalar(select(Adoption).where(Adoption.practice_id == practice_id, Adoption.user_id == user_id))


def adoption_of(session: Session, practice_id: int, city: str) -> Adoption | None:
    return session.scalar(select(Adoption).where(
        Adoption.practice_id == practice_id, Adoption.city_key == city_key(city)))


def withdraw_adoption(session: Session, adoption: Adoption) -> None:
    """A city that no longer counts as adopting (recorded by mistake, or dropped)."""
    session.delete(adoption)
    session.flush()


def adopting_cities(session: Session, practice_ids: list[int]) -> dict[int, list[str]]:
    """practice id -> the cities that adopted it, in the order they did."""
    cities: dict[int, list[str]] = {i: [] for i in practice_ids}
    if practice_ids:
        rows = session.execute(select(Adoption.practice_id, Adoption.city)
                               .where(Adoption.practice_id.in_(practice_ids))
                               .order_by(Adoption.created_at, Adoption.id))
        for practice_id, city in rows:
            cities[practice_id].append(city)
    return cities


def practices_on_topics(session: Session, team_id: str, topics: Sequence[str], limit: int = 10) -> list[Practice]:
    """The team's practices tagged with any of `topics` (stored slugs), newest first."""
    if not topics:
        return []
    tagged = select(PracticeTopic.practice_id).where(PracticeTopic.topic.in_(list(topics)))
    return list(session.scalars(select(Practice).where(
        Practice.team_id == team_id, Practice.deleted_at.is_(None), Practice.id.in_(tagged),
    ).order_by(Practice.created_at.desc(), Practice.id.desc()).limit(limit)))


def practice_candidates(
    session: Session, team_id: str, sharers: list[str], linked: list[tuple[str, str]], limit: int = 500
) -> list[Practice]:
    """Practices a thread may mention: cards it links to, and the latest ones its participants shared."""
    found: dict[int, Practice] = {}
    live = (Practice.team_id == team_id, Practice.deleted_at.is_(None))
    for channel_id, message_ts in linked[:50]:
        for practice in session.scalars(select(Practice).where(
            *live, Practice.channel_id == channel_id, Practice.message_ts == message_ts
        )):
            found[practice.id] = practice
    if sharers:
        for practice in session.scalars(
            select(Practice).where(*live, Practice.user_id.in_(sharers[:100]))
            .order_by(Practice.created_at.desc(), Practice.id.desc()).limit(limit)
        ):
            found.setdefault(practice.id, practice)
    return list(found.values())
