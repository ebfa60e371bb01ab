"""Digests: what a thread concluded, saved by a member so it outlives the scroll.

One digest per thread: saving again replaces the text. Searchable like practices (SQLite FTS5
table `digest_fts`, PostgreSQL generated `search_vector`; both made by the migration by hand).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnClause,
    ColumnElement,
    Index,
    Integer,
    Select,
    String,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    case,
    column,
    event,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    union_all,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.base import PLATFORM_ID, Base, TeamRow, UTCDateTime
from storage.conversations import visible
from storage.digest_presence import DIGESTS
from storage.search import fts5_query, search_terms, tsquery, tsquery_text
from storage.sql import Reader, core, dialect_name


class Digest(TeamRow, Base):
    __tablename__ = "digest"
    __table_args__ = (
        UniqueConstraint("team_id", "channel_id", "thread_ts"),
        Index("ix_digest_team_id_created_at", "team_id", "created_at"),
    )

    channel_id: Mapped[str] = mapped_column(String(PLATFORM_ID))
    thread_ts: Mapped[str] = mapped_column(String(PLATFORM_ID))
    title: Mapped[str] = mapped_column(String(150))
    body: Mapped[str] = mapped_column(Text)
    participant_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    message_count: Mapped[int] = mapped_column(Integer, default=0)
    saved_by: Mapped[str] = mapped_column(String(PLATFORM_ID))
    message_ts: Mapped[str] = mapped_column(String(PLATFORM_ID), default="")  # the digest's post in the thread
    permalink: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class DigestText:
    """What a member saved from the modal, plus what the bot knows about the thread."""

    channel_id: str
    thread_ts: str
    title: str
    body: str
    participant_ids: list[str]
    message_count: int


def digest_of_thread(session: Session, team_id: str, channel_id: str, thread_ts: str) -> Digest | None:
    return session.scalars(select(Digest).where(
        Digest.team_id == team_id, Digest.channel_id == channel_id, Digest.thread_ts == thread_ts)).first()


def save_digest(session: Session, team_id: str, user_id: str, text: DigestText, now: datetime) -> Digest:
    """Create the thread's digest, or replace the text of the one saved before."""
    digest = digest_of_thread(session, team_id, text.channel_id, text.thread_ts)
    if digest is None:
        digest = Digest(team_id=team_id, channel_id=text.channel_id, thread_ts=text.thread_ts,
                        created_at=now)
        session.add(digest)
    digest.title = text.title
    digest.body = text.body
    digest.participant_ids = list(text.participant_ids)
    digest.message_count = text.message_count
    digest.saved_by = user_id
    digest.updated_at = now
    session.flush()
    return digest


def record_post(session: Session, team_id: str, digest_id: int, message_ts: str, permalink: str) -> None:
    digest = session.get(Digest, digest_id)
    if digest is not None and digest.team_id == team_id:
        digest.message_ts = message_ts
        digest.permalink = permalink


def recent_digests(session: Session, team_id: str, limit: int, here: str = "",
                   home: str = "") -> tuple[list[Digest], int]:
    """The newest `limit` digests of public channels (and of `here`) and how many there are; with the
    `home` `here`'s digests are kept under (another team's, for a channel shared with it), those too."""
    where = and_(Digest.team_id == team_id, visible(Digest.team_id, Digest.channel_id, here))
    if here and home and home != team_id:
        where = or_(where, and_(Digest.team_id == home, Digest.channel_id == here))
    total = session.scalar(select(func.count()).select_from(Digest).where(where))
    rows = session.scalars(
        select(Digest).where(where)
        .order_by(Digest.created_at.desc(), Digest.id.desc()).limit(limit)
    ).all()
    return list(rows), int(total or 0)


def digests_saved_between(
    session: Session, team_id: str, start: datetime, end: datetime, limit: int
) -> tuple[list[Digest], int]:
    """Digests of public channels first saved in [start, end), newest first, and their number."""
    where = (Digest.team_id == team_id, Digest.created_at >= start, Digest.created_at < end,
             visible(Digest.team_id, Digest.channel_id))
    total = session.scalar(select(func.count()).select_from(Digest).where(*where))
    rows = session.scalars(
        select(Digest).where(*where).order_by(Digest.created_at.desc(), Digest.id.desc()).limit(limit)
    ).all()
    return list(rows), int(total or 0)


COLUMNS = tuple(c.key for c in Digest.__table__.c)
DIGEST_FTS = table("digest_fts", column("rowid"))
DIGEST_FTS_TABLE: ColumnClause[Any] = literal_column("digest_fts")
DIGEST_VECTOR: ColumnClause[Any] = literal_column("digest.search_vector")


def search_digests(session: Session, team_id: str, query: str, limit: int = 10, here: str = "",
                   teams: Collection[str] = ()) -> list[Digest]:
    """A team's digests best matching `query`, most relevant first: public channels' and `here`'s;
    with the exchange scope `teams`, the other approved workspaces' public ones too.

    The same safe query as practices (storage.search): typed text is cut into words, each reaching
    the engine as a quoted FTS5 string or its own plainto_tsquery; all words first, then any. Both
    tiers are asked in one statement (UNION ALL, tier by tier): any-word matches are looked for only
    when no digest shown has every word. Read in Core: the digests come back as detached objects.
    """
    rows = _search(session, team_id, query, limit, here, teams, COLUMNS)
    return [Digest(**{name: getattr(row, name) for name in COLUMNS}) for row in rows]


@dataclass(frozen=True)
class DigestLink:
    """What a pointer to a digest under practice search results shows (bot/practices/blocks.py
    digest_matches): no body, no participants."""

    id: int
    team_id: str
    channel_id: str
    title: str
    permalink: str
    saved_by: str
    created_at: datetime


LINK_COLUMNS = tuple(f.name for f in fields(DigestLink))


def search_digest_links(session: Reader, team_id: str, query: str, limit: int = 10, here: str = "",
                        teams: Collection[str] = ()) -> list[DigestLink]:
    """search_digests' digests, in the same order, as the few columns a link to each shows: the
    practice search reads no body and builds no ORM object for the digests it points to."""
    return [DigestLink(*row[:-1]) for row in _search(session, team_id, query, limit, here, teams, LINK_COLUMNS)]


def _search(session: Reader, team_id: str, query: str, limit: int, here: str, teams: Collection[str],
            columns: tuple[str, ...]) -> list[Any]:
    terms = search_terms(query)
    scope = sorted({team_id, *teams})
    if not terms or limit <= 0 or not any(has_digests(session, team) for team in scope):
        return []
    sqlite = dialect_name(session) == "sqlite"
    params: dict[str, Any] = {"teams": scope, "limit": limit, "here": here}
    for n, every in enumerate((True, False)[:1 if len(terms) == 1 else 2]):
        params[f"words_{n}"] = fts5_query(terms, every=every) if sqlite else tsquery_text(terms, every=every)
    rows = core(session).execute(_tiers(sqlite, 1 if len(terms) == 1 else 2, bool(here), columns), params).all()
    best = rows[0].tier if rows else 0
    return [row for row in rows if row.tier == best]


# Built once per shape (lru_cache), values bound: building the statement cost more than running it.
@lru_cache(maxsize=16)  # every shape: engine x tiers x here x columns
def _tiers(sqlite: bool, tiers: int, here: bool, columns: tuple[str, ...] = COLUMNS) -> Select:
    shown = visible(Digest.team_id, Digest.channel_id)
    if here:
        shown = or_(shown, Digest.channel_id == bindparam("here"))
    ranked = _ranked_sqlite if sqlite else _ranked_postgres
    arms = [ranked(0, columns).where(shown).add_columns(literal(0).label("tier"))]
    if tiers == 2:  # any word, only when no digest shown has every word (its rows would be left out)
        every = arms[0].cte("every_word")
        arms = [select(every), ranked(1, columns, unless=exists(select(every.c.id))).where(shown)
                .add_columns(literal(1).label("tier"))]
    both = union_all(*arms).subquery()
    return (select(*(both.c[name] for name in columns), both.c.tier)
            .order_by(both.c.tier, both.c.rank, both.c.id.desc()).limit(bindparam("limit", type_=Integer)))


def has_digests(session: Reader, team_id: str) -> bool:
    """Whether the team has any digest (storage.digest_presence: remembered for a few seconds)."""
    return DIGESTS.has(_database(core(session).engine.url), team_id,
                       lambda: bool(session.scalar(select(exists().where(Digest.team_id == team_id)))))


def _database(url: Any) -> str:
    return url.render_as_string(hide_password=True)


@event.listens_for(Digest, "after_insert")
def _inserted(_mapper: Any, connection: Any, digest: Digest) -> None:
    DIGESTS.note(_database(connection.engine.url), digest.team_id)


def _read(columns: tuple[str, ...]) -> list[ColumnElement[Any]]:
    """The digest's `columns`, and its id, which orders equal ranks."""
    return [Digest.__table__.c[name] for name in dict.fromkeys(("id", *columns))]


def _ranked_sqlite(tier: int, columns: tuple[str, ...], unless: ColumnElement[bool] | None = None) -> Select:
    """Tier `tier`'s digests (words_<tier>, an FTS5 query) with their columns and `rank` (lower first);
    none, without running the full-text query, when `unless` holds.

    The matches are ranked in the FTS table first (MATERIALIZED), then joined: joined directly,
    SQLite planned from the team's digests and ran the full-text query again for every one. `unless`
    is that CTE's LIMIT (0, else none: -1): as a WHERE term SQLite checked it per match, after the
    full-text scan, and outside the CTE after ranking every any-word match (most of the cost of a
    search's digests in the bench) only to throw them away."""
    rank = func.bm25(DIGEST_FTS_TABLE, literal(5.0), literal(1.0))
    hits = select(DIGEST_FTS.c.rowid.label("id"), rank.label("rank")).where(
        DIGEST_FTS_TABLE.op("MATCH")(bindparam(f"words_{tier}")))
    if unless is not None:
        hits = hits.limit(case((unless, 0), else_=-1))
    hits = hits.cte(f"hits_{tier}").prefix_with("MATERIALIZED")
    return (
        select(*_read(columns), hits.c.rank).select_from(hits).join(Digest, Digest.id == hits.c.id)
        .where(Digest.team_id.in_(bindparam("teams", expanding=True)))
    )


def _ranked_postgres(tier: int, columns: tuple[str, ...], unless: ColumnElement[bool] | None = None) -> Select:
    """As _ranked_sqlite; `unless` is a one-time filter (PostgreSQL checks it before the scan)."""
    query = tsquery(bindparam(f"words_{tier}"), every=tier == 0)
    return (
        select(*_read(columns), (-func.ts_rank(DIGEST_VECTOR, query)).label("rank"))
        .where(DIGEST_VECTOR.op("@@")(query), Digest.team_id.in_(bindparam("teams", expanding=True)),
               *([] if unless is None else [~unless]))
    )
