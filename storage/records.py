"""What a public-records export reads: every kind of record in a scope, streamed row by row.

Each `*_rows` function yields plain row mappings (Core rows, no ORM identity map) from one query
run with `yield_per`, which is a server-side cursor on PostgreSQL and a stepped cursor on SQLite,
so an export of any size holds one batch in memory. Deleted practices are included (marked by
`deleted_at`); content from private conversations only when the scope says so (`shown`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    create_engine,
    event,
    exists,
    false,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session, aliased

from storage.conversations import visible
from storage.db import make_engine
from storage.deliveries import SENT, Delivery
from storage.digests import Digest
from storage.practices import Adoption, Practice, PracticeTopic, city_key
from storage.profiles import Profile
from storage.questions import Answer, Question
from storage.revisions import DELETED, PracticeRevision
from storage.roundtables import Roundtable, RoundtableRsvp
from storage.roundups import PostedRoundup

BATCH = 1000  # rows fetched per round trip


@dataclass(frozen=True)
class Scope:
    team_ids: tuple[str, ...] = ()  # () = every workspace in the database
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    city: str = ""  # a city's name; "" = every city
    include_private: bool = False


Row = Any  # a sqlalchemy RowMapping
Members = dict[str, set[str]]  # team id -> user ids whose profile names the city


def teams(session: Session) -> list[str]:
    """Every workspace that has records."""
    found: set[str] = set()
    for model in (Practice, Question, Digest, Roundtable, PostedRoundup, Profile):
        found.update(session.scalars(select(model.team_id).distinct()))
    return sorted(found)


def city_members(session: Session, scope: Scope) -> Members:
    """Members whose profile city is the scope's city (compared case-folded, as practices' cities are)."""
    members: Members = {}
    if scope.city:
        key = city_key(scope.city)
        query = select(Profile.team_id, Profile.user_id, Profile.city)
        if scope.team_ids:
            query = query.where(Profile.team_id.in_(scope.team_ids))
        for team_id, user_id, city in session.execute(query):
            if city_key(city) == key:
                members.setdefault(team_id, set()).add(user_id)
    return members


def shown(scope: Scope, team_id: Any, channel_id: Any) -> ColumnElement[bool]:
    """The private-conversation rule (storage.conversations), for every kind tied to a conversation:
    without --include-private only public channels' content; with it (one workspace), everything."""
    return true() if scope.include_private else visible(team_id, channel_id)


class Query:
    """The scope's conditions, as SQL, for one export."""

    def __init__(self, scope: Scope, members: Members) -> None:
        self.scope, self.members = scope, members

    def teams(self, column: Any) -> ColumnElement[bool]:
        return column.in_(self.scope.team_ids) if self.scope.team_ids else true()

    @property
    def bounded(self) -> bool:
        return self.scope.since is not None or self.scope.until is not None

    def period(self, column: Any) -> ColumnElement[bool]:
        since, until = self.scope.since, self.scope.until
        return and_(column >= since if since else true(), column < until if until else true())

    def member(self, team_id: Any, user_id: Any) -> ColumnElement[bool]:
        """True without a city; else the user is one of the city's members."""
        if not self.scope.city:
            return true()
        if not self.members:
            return false()
        return or_(*(and_(team_id == team, user_id.in_(sorted(users))) for team, users in self.members.items()))

    def from_city(self, city_column: Any, team_id: Any, user_id: Any) -> ColumnElement[bool]:
        if not self.scope.city:
            return true()
        return or_(city_column == city_key(self.scope.city), self.member(team_id, user_id))

    def practice(self) -> ColumnElement[bool]:
        """A practice is in when it is the city's and it was shared, edited or deleted in the period."""
        revision = aliased(PracticeRevision)  # aliases: callers may select from the same tables
        touched = or_(self.period(Practice.created_at), self.period(Practice.updated_at),
                      exists().where(revision.practice_id == Practice.id, self.period(revision.at)))
        return and_(self.teams(Practice.team_id), touched if self.bounded else true(),
                    self.from_city(Practice.city_key, Practice.team_id, Practice.user_id))

    def question(self) -> ColumnElement[bool]:
        """Asked in the period by the city's member, or answered in the period by one."""
        asked = and_(self.period(Question.asked_at), self.member(Question.team_id, Question.user_id))
        answer = aliased(Answer)
        answered = exists().where(answer.question_id == Question.id, self.period(answer.created_at),
                                  self.member(answer.team_id, answer.user_id))
        return and_(self.teams(Question.team_id), shown(self.scope, Question.team_id, Question.channel_id),
                    or_(asked, answered))

    def roundtable(self) -> ColumnElement[bool]:
        """Created, changed or answered in the period; created by the city's member or answered by one."""
        changed = or_(self.period(Roundtable.created_at), self.period(Roundtable.updated_at))
        rsvp = aliased(RoundtableRsvp)
        answered = exists().where(rsvp.roundtable_id == Roundtable.id, self.period(rsvp.updated_at))
        by_city = or_(self.member(Roundtable.team_id, Roundtable.created_by), exists().where(
            rsvp.roundtable_id == Roundtable.id, self.member(rsvp.team_id, rsvp.user_id)))
        return and_(self.teams(Roundtable.team_id), shown(self.scope, Roundtable.team_id, Roundtable.channel_id),
                    or_(changed, answered), by_city)


def stream(session: Session, statement: Select) -> Iterator[Row]:
    yield from session.execute(statement.execution_options(yield_per=BATCH)).mappings()


def _topics(session: Session, owner: Any) -> Any:
    """A practice's topics as one string joined by spaces (topics are slugs); callers sort them."""
    if session.get_bind().dialect.name == "postgresql":
        joined = func.string_agg(PracticeTopic.topic, " ")
    else:
        joined = func.group_concat(PracticeTopic.topic, " ")
    return select(func.coalesce(joined, "")).where(PracticeTopic.practice_id == owner).scalar_subquery()


def practice_rows(session: Session, query: Query) -> Iterator[Row]:
    deleted_by = (select(PracticeRevision.by_user_id)
                  .where(PracticeRevision.practice_id == Practice.id, PracticeRevision.action == DELETED)
                  .order_by(PracticeRevision.number.desc()).limit(1).scalar_subquery())
    columns = [c for c in Practice.__table__.columns if c.name not in ("city_key",)]
    return stream(session, select(*columns, _topics(session, Practice.id).label("topics"),
                                  deleted_by.label("deleted_by"))
                  .where(query.practice()).order_by(Practice.id))


def revision_rows(session: Session, query: Query) -> Iterator[Row]:
    return stream(session, select(PracticeRevision.__table__).join(Practice, Practice.id == PracticeRevision.practice_id)
                  .where(query.practice(), query.period(PracticeRevision.at))
                  .order_by(PracticeRevision.practice_id, PracticeRevision.number))


def adoption_rows(session: Session, query: Query) -> Iterator[Row]:
    """Adoptions in the period; with a city, by the city or of one of its practices."""
    return stream(session, select(Adoption.__table__, Practice.title.label("practice_title"),
                                  Practice.channel_id, Practice.message_ts)
                  .join(Practice, Practice.id == Adoption.practice_id)
                  .where(query.teams(Adoption.team_id), query.period(Adoption.created_at),
                         or_(query.from_city(Adoption.city_key, Adoption.team_id, Adoption.user_id),
                             query.from_city(Practice.city_key, Practice.team_id, Practice.user_id)))
                  .order_by(Adoption.id))


def question_rows(session: Session, query: Query) -> Iterator[Row]:
    accepted = (select(Answer.user_id).where(Answer.question_id == Question.id, Answer.ts == Question.answer_ts)
                .limit(1).scalar_subquery())
    return stream(session, select(Question.__table__, accepted.label("answered_by"))
                  .where(query.question()).order_by(Question.id))


def answer_rows(session: Session, query: Query) -> Iterator[Row]:
    """Every answer given in the period to a question in the export (everyone's, for context)."""
    return stream(session, select(Answer.__table__, Question.channel_id, Question.ts.label("question_ts"),
                                  Question.answer_ts)
                  .join(Question, Question.id == Answer.question_id)
                  .where(query.question(), query.period(Answer.created_at)).order_by(Answer.id))


def digest_rows(session: Session, query: Query) -> Iterator[Row]:
    """Saved or saved again in the period; with a city, saved by or quoting one of its members."""
    rows = stream(session, select(Digest.__table__).where(
        query.teams(Digest.team_id), shown(query.scope, Digest.team_id, Digest.channel_id),
        or_(query.period(Digest.created_at), query.period(Digest.updated_at))).order_by(Digest.id))
    for row in rows:
        people = query.members.get(row["team_id"], set())
        if not query.scope.city or people & {row["saved_by"], *row["participant_ids"]}:
            yield row


def roundtable_rows(session: Session, query: Query) -> Iterator[Row]:
    return stream(session, select(Roundtable.__table__).where(query.roundtable()).order_by(Roundtable.id))


def reminder_posts(session: Session, query: Query, kind: str) -> dict[int, list[tuple[str, str]]]:
    """roundtable id -> (channel, ts) of each reminder posted in the period (outbox keys "<id>/...")."""
    posts: dict[int, list[tuple[str, str]]] = {}
    rows = session.execute(select(Delivery.key, Delivery.channel_id, Delivery.slack_ts).where(
        query.teams(Delivery.team_id), Delivery.kind == kind, Delivery.status == SENT, Delivery.slack_ts != "",
        query.period(Delivery.sent_at)).order_by(Delivery.id))
    for key, channel_id, ts in rows:
        roundtable_id = key.split("/", 1)[0]
        if roundtable_id.isdigit():
            posts.setdefault(int(roundtable_id), []).append((channel_id, ts))
    return posts


def rsvp_rows(session: Session, query: Query) -> Iterator[Row]:
    return stream(session, select(RoundtableRsvp.__table__).join(Roundtable, Roundtable.id == RoundtableRsvp.roundtable_id)
                  .where(query.roundtable(), query.period(RoundtableRsvp.updated_at))
                  .order_by(RoundtableRsvp.roundtable_id, RoundtableRsvp.occurrence, RoundtableRsvp.user_id))


def roundup_rows(session: Session, query: Query) -> Iterator[Row]:
    """Roundups as posted in the period; with a city, those that name it."""
    rows = stream(session, select(PostedRoundup.__table__).where(
        query.teams(PostedRoundup.team_id), PostedRoundup.posted_at.is_not(None),
        query.period(PostedRoundup.posted_at)).order_by(PostedRoundup.id))
    name = " ".join(query.scope.city.casefold().split())
    for row in rows:
        if not name or name in " ".join(row["text"].casefold().split()):
            yield row


def rsvp_names(session: Session, team_ids: tuple[str, ...]) -> dict[tuple[str, str], str]:
    """The name each member last answered a roundtable with (the only names the database keeps)."""
    query = select(RoundtableRsvp.team_id, RoundtableRsvp.user_id, RoundtableRsvp.name).where(
        RoundtableRsvp.name != "").order_by(RoundtableRsvp.updated_at)
    if team_ids:
        query = query.where(RoundtableRsvp.team_id.in_(team_ids))
    return {(team, user): name for team, user, name in session.execute(query)}


@contextmanager
def snapshot(url: str) -> Iterator[Session]:
    """A read-only session over one consistent snapshot that never blocks the bot's writers.

    The bot's own engine begins SQLite transactions IMMEDIATE (a write lock for the whole export);
    this one begins DEFERRED, which under WAL reads one snapshot. PostgreSQL: REPEATABLE READ, READ ONLY.
    """
    sqlite = url.startswith("sqlite")
    engine = make_engine(url) if not sqlite else create_engine(url, connect_args={"timeout": 30})
    if sqlite:
        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _on_begin(conn):  # type: ignore[no-untyped-def]
            conn.exec_driver_sql("BEGIN")
    try:
        with engine.connect() as conn:
            if not sqlite:
                conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin(), Session(bind=conn) as session:
                yield session
    finally:
        engine.dispose()
