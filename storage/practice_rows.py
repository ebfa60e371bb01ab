"""Practices on the hot path, in Core: a search's results with the cities that adopted each, in
one statement, and a share's rows (the practice, its topics, its first revision) written in one
statement on PostgreSQL (INSERT ... RETURNING id feeding the other two INSERTs as CTEs), three
INSERTs on SQLite (where a statement costs no round trip).

A search used to load its practices through the ORM (a second round trip for their topics, which
a result line does not show) and then their adopting cities (a third). Here one Core statement
reads the columns a result line shows and the cities, aggregated in order as a JSON array (SQLite:
json_group_array over an ordered subquery; PostgreSQL: json_agg ... ORDER BY).

A search with every word is one statement in all (`_every_word`): both tiers of storage/search.py's
ranking (title matches first, then the rest) and the rows. Only when that cannot be exact (SQLite:
the filters left too few of the best FTS candidates) or finds nothing (then fewer words, or any
word, may match) does storage.search.ranked_ids run its steps, and practice_rows read the rows.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    func,
    insert,
    literal,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by

from storage.practices import Adoption, Practice, PracticeTopic, city_key
from storage.revisions import CONTENT, SHARED, PracticeRevision
from storage.search import (
    Where,
    _filters,
    fts5_index,
    fts5_query,
    ranked_ids,
    search_terms,
    tier_match,
    tier_rank,
    tsquery,
    tsquery_text,
    where_for,
)
from storage.sql import Reader, core, dialect_name


@dataclass(frozen=True)
class PracticeRow:
    """What a result line shows of a practice (bot/practices/blocks.py result_line)."""

    id: int
    title: str
    city: str
    problem: str
    solution: str
    outcome: str
    cities: list[str]  # adopting cities, in the order they adopted
    team_id: str = ""  # the workspace it was shared in (the exchange names another's)


def practice_rows(session: Reader, ids: Sequence[int]) -> list[PracticeRow]:
    """The practices `ids`, in that order, with their adopting cities."""
    if not ids:
        return []
    sqlite = dialect_name(session) == "sqlite"
    found = {row.id: _row(row) for row in core(session).execute(_statement(sqlite), {"ids": list(ids)})}
    return [found[i] for i in ids if i in found]


def search_with_cities(session: Reader, team_id: str, query: str, *, topics: Sequence[str] = (),
                       city: str | None = None, limit: int = 10, teams: Collection[str] = ()) -> list[PracticeRow]:
    """storage.search.search_practices' results as rows with their adopting cities."""
    terms = search_terms(query)
    if not terms or limit <= 0:
        return []
    found = _every_word(session, terms, where_for(team_id, topics, city, False, teams), limit)
    if found is not None:
        return found
    return practice_rows(session, ranked_ids(session, team_id, query, topics=topics, city=city, limit=limit,
                                             teams=teams))


def _row(row: Any) -> PracticeRow:
    cities = json.loads(row.cities) if isinstance(row.cities, str) else row.cities
    return PracticeRow(row.id, row.title, row.city, row.problem, row.solution, row.outcome, list(cities or []),
                       row.team_id)


def _every_word(session: Reader, terms: Sequence[str], where: Where, limit: int) -> list[PracticeRow] | None:
    """The best `limit` practices with every word, title matches first, in one statement; None when
    storage.search.ranked_ids must decide (nothing found, or SQLite's candidates were too few)."""
    sqlite = dialect_name(session) == "sqlite"
    params: dict[str, Any] = {**where.params, "limit": limit}
    if sqlite:
        params |= {"title_match": fts5_query(terms, every=True, title_only=True),
                   "match": fts5_query(terms, every=True), "wanted": limit * where.per_result}
    else:
        params["words"] = tsquery_text(terms, every=True)
    rows = core(session).execute(_tiers(sqlite, where.topics, where.city, where.exchange), params).all()
    if not rows:
        return None
    if sqlite:  # as storage.search._ranked_fts5: exact unless the filters left too few of the candidates
        first = rows[0]
        short = first.kept_title < limit
        if (short and first.title_hits == params["wanted"]) or (
                short and first.kept_title + first.kept_text < limit and first.text_hits == params["wanted"]):
            return None
    return [_row(row) for row in rows]


@lru_cache(maxsize=64)
def _tiers(sqlite: bool, topics: int, city: bool, exchange: bool) -> Select:
    """storage.search's two tiers and the rows, as one statement (see _every_word)."""
    filters = _filters(topics, city, False, exchange)
    if sqlite:
        wanted = bindparam("wanted", type_=Integer)

        def best(name: str, n: int, limit: ColumnElement[int]) -> Any:  # n = 0: the titles alone
            fts, fts_table, bm25 = fts5_index(n == 0)
            rank = bm25.label("rank")  # ordered by its label: written out again, bm25() ran twice per match
            return (select(fts.c.rowid.label("id"), rank).where(fts_table.op("MATCH")(bindparam(name)))
                    .order_by(rank, fts.c.rowid.desc()).limit(limit).cte(f"hits_{n}").prefix_with("MATERIALIZED"))

        title_hits = best("title_match", 0, wanted)
        kept_title = (select(title_hits.c.id, title_hits.c.rank)
                      .join(Practice, and_(Practice.id == title_hits.c.id, *filters)).cte("kept_0"))
        # The text tier's matches are ranked only when the titles leave room (its LIMIT is 0 when
        # not): a common word is in hundreds of titles and thousands of texts (bench/search.py).
        full = select(func.count()).select_from(kept_title).scalar_subquery() >= bindparam("limit", type_=Integer)
        hits = [title_hits, best("match", 1, case((full, 0), else_=wanted))]
        kept_text = (select(hits[1].c.id, hits[1].c.rank).join(Practice, and_(Practice.id == hits[1].c.id, *filters))
                     .where(hits[1].c.id.not_in(select(kept_title.c.id))).cte("kept_1"))
        counts = [select(func.count()).select_from(t).scalar_subquery().label(name) for t, name in (
            (hits[0], "title_hits"), (kept_title, "kept_title"), (hits[1], "text_hits"), (kept_text, "kept_text"))]
        tiers = [kept_title, kept_text]
    else:
        query = tsquery(bindparam("words"), every=True)
        rank = tier_rank(query)
        title = (select(Practice.id, rank.label("rank")).where(*tier_match(query, "title"), *filters)
                 .order_by(rank.desc(), Practice.id.desc()).limit(bindparam("limit", type_=Integer)).cte("tier_0"))
        room = select(func.count()).select_from(title).scalar_subquery() < bindparam("limit", type_=Integer)
        text = (select(Practice.id, rank.label("rank")).where(*tier_match(query, "text"), *filters, room)
                .order_by(rank.desc(), Practice.id.desc()).limit(bindparam("limit", type_=Integer)).cte("tier_1"))
        counts, tiers = [], [title, text]
    both = union_all(*(select(literal(n).label("tier"), t.c.id, t.c.rank) for n, t in enumerate(tiers))).subquery("both")
    rank_order = both.c.rank if sqlite else both.c.rank.desc()  # bm25: lower is better; ts_rank: higher
    return (select(*_columns(sqlite), *counts).select_from(both.join(Practice, Practice.id == both.c.id))
            .order_by(both.c.tier, rank_order, Practice.id.desc()).limit(bindparam("limit", type_=Integer)))


def _columns(sqlite: bool) -> tuple[ColumnElement[Any], ...]:
    """What a result line shows, with the adopting cities in the order they adopted."""
    if sqlite:
        ordered = (select(Adoption.city).where(Adoption.practice_id == Practice.id)
                   .order_by(Adoption.created_at, Adoption.id).correlate(Practice).subquery())
        cities = select(func.json_group_array(ordered.c.city)).scalar_subquery()
    else:
        aggregated = func.json_agg(aggregate_order_by(Adoption.city, Adoption.created_at, Adoption.id))
        cities = (select(func.coalesce(aggregated, literal_column("'[]'::json")))
                  .where(Adoption.practice_id == Practice.id).scalar_subquery())
    return (Practice.id, Practice.title, Practice.city, Practice.problem, Practice.solution, Practice.outcome,
            cities.label("cities"), Practice.team_id)


@lru_cache(maxsize=2)
def _statement(sqlite: bool) -> Select:
    return select(*_columns(sqlite)).where(Practice.id.in_(bindparam("ids", expanding=True)))


INSERT_PRACTICE = insert(Practice.__table__).returning(Practice.__table__.c.id)  # built once, as store_card's
INSERT_TOPIC = insert(PracticeTopic.__table__)
INSERT_REVISION = insert(PracticeRevision.__table__)
CONTENT_DEFAULTS = {"city": "", "problem": "", "solution": "", "outcome": "", "cost": "", "contact": "",
                    "channel_id": "", "asked_by": "", "saved_by": ""}
SHARE_COLUMNS = ("team_id", "user_id", "asked_by", "saved_by", "city", "city_key", "title", "problem", "solution",
                 "outcome", "cost", "contact", "channel_id", "message_ts", "created_at", "updated_at", "deleted_at",
                 "published")  # what insert_practice writes of a practice


def _one_share_statement() -> Select:
    """PostgreSQL: the practice, its topics and its first revision in one statement, the rows
    add_practice writes: `shared` (INSERT ... RETURNING id) feeds `topics` (one row per element of
    :topic_rows) and `revision`, data-modifying CTEs run in the statement's one snapshot."""
    practice, topic, revision = Practice.__table__, PracticeTopic.__table__, PracticeRevision.__table__

    def bound(name: str, column: Any) -> Any:
        return bindparam(name, type_=column.type)

    shared = (insert(practice).values({name: bound(name, practice.c[name]) for name in SHARE_COLUMNS})
              .returning(practice.c.id).cte("shared"))
    topics = insert(topic).from_select(
        ["practice_id", "topic"],
        select(shared.c.id, func.unnest(bindparam("topic_rows", type_=ARRAY(String))))).cte("topics")
    first = insert(revision).from_select(
        ["team_id", "practice_id", "number", "action", "by_user_id", "at", "topics", *CONTENT],
        select(bound("team_id", revision.c.team_id), shared.c.id, literal(1), literal(SHARED),
               bound("user_id", revision.c.by_user_id), bound("created_at", revision.c.at),
               bound("topics", revision.c.topics), *(bound(name, revision.c[name]) for name in CONTENT))).cte("revision")
    return select(shared.c.id).add_cte(topics).add_cte(first)


ONE_SHARE_STATEMENT = _one_share_statement()


def insert_practice(conn: Connection, team_id: str, user_id: str, now: datetime, *, topics: list[str],
                    published: bool = False, **fields: str) -> Practice:
    """storage.practices.add_practice without the ORM's unit of work: the practice, its topics and
    its first revision (the same rows add_practice writes), in one statement on PostgreSQL
    (ONE_SHARE_STATEMENT), three INSERTs on SQLite. Returns the practice as a detached object, every
    column set, for the card and the confirmation."""
    values: dict[str, Any] = {**CONTENT_DEFAULTS, **fields, "team_id": team_id, "user_id": user_id,
                              "created_at": now, "updated_at": now, "deleted_at": None, "published": published,
                              "message_ts": ""}
    values["city_key"] = city_key(values["city"])
    if conn.dialect.name == "postgresql":
        practice_id = conn.execute(ONE_SHARE_STATEMENT, {**{name: values[name] for name in SHARE_COLUMNS},
                                                         "topic_rows": list(topics), "topics": list(topics)}).scalar_one()
    else:
        practice_id = conn.execute(INSERT_PRACTICE, values).scalar_one()
        if topics:
            conn.execute(INSERT_TOPIC, [{"practice_id": practice_id, "topic": t} for t in topics])
        conn.execute(INSERT_REVISION, {
            "team_id": team_id, "practice_id": practice_id, "number": 1, "action": SHARED, "by_user_id": user_id,
            "at": now, "topics": list(topics), **{name: values[name] for name in CONTENT}})
    practice = Practice(id=practice_id, **{k: v for k, v in values.items() if k != "city_key"})
    practice.topics = [PracticeTopic(practice_id=practice_id, topic=t) for t in topics]  # as typed, as add_practice
    return practice
